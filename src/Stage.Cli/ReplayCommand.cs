using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Stage.Core.Configuration;
using Stage.Engine.Outputs;
using Stage.Hosting.Rendering;
using Stage.Hosting.Replay;
using Stage.Hosting.World;
using Stage.Render;
using Stage.Render.Scene;
using Stage.Takes;
using Stage.Vulkan;
using Stage.World;
using Stage.Hosting.Outputs;

namespace Stage.Cli;

/// <summary>
/// <c>stage replay &lt;db&gt; &lt;take&gt; --out DIR</c>: re-renders a take offline, frame for frame, from its
/// recorded camera track and world snapshot, and verifies the world's state hash at every frame.
/// </summary>
public static class ReplayCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var db = new Argument<string>("db") { Description = "The take log (SQLite)." };
        var take = new Argument<string>("take") { Description = "The take's id (as 'stage takes list' shows it), or 'last'." };
        var outDir = new Option<string?>("--out") { Description = "Folder for the frames: DIR/<output-id>/<frame>.png (default ./replay-<take>)." };
        var config = new Option<string?>("--config") { Description = "The stage configuration to render (default: the one the take was shot with)." };
        var outputKind = new Option<string>("--output") { Description = "files (a PNG per canvas per frame) or headless (verify the world only, render and discard).", DefaultValueFactory = _ => "files" };
        outputKind.AcceptOnlyFromAmong("files", "headless");
        var validate = new Option<bool>("--validate") { Description = "Run the GPU with the Vulkan validation layer (exit 1 on any message)." };
        Option<int> canvasScale = CommonOptions.CanvasScale(1, "for a quick look on a slow GPU");
        var command = new Command("replay",
            "Re-render a take offline, frame for frame, from its recorded camera track and world snapshot, making the take's recorded rule " +
            "changes again, and verify the world's state hash at every frame against the recorded one. Exit 1 when any frame differs.")
        { db, take, outDir, config, outputKind, validate, canvasScale };
        command.SetAction((result, cancellation) => Task.Run(() => Run(result, output, error, db, take, outDir, config, outputKind, validate, canvasScale, cancellation), CancellationToken.None));
        return command;
    }

    private static int Run(ParseResult result, TextWriter output, TextWriter error, Argument<string> dbArgument, Argument<string> takeArgument,
        Option<string?> outOption, Option<string?> configOption, Option<string> outputOption, Option<bool> validateOption, Option<int> canvasScaleOption, CancellationToken cancellation)
    {
        try
        {
            using TakeLog log = TakeLog.Open(result.GetValue(dbArgument)!, create: false);
            string takeText = result.GetValue(takeArgument)!;
            TakeInfo take = takeText == "last"
                ? log.LastTake() ?? throw new TakeLogException($"{log.Path} holds no takes")
                : long.TryParse(takeText, NumberStyles.None, CultureInfo.InvariantCulture, out long id)
                    ? log.Take(id)
                    : throw new TakeLogException($"'{takeText}' is not a take id (a number from 'stage takes list', or 'last')");
            string? configPath = result.GetValue(configOption) ?? take.StageConfigPath;
            if (configPath is null)
            {
                error.WriteLine($"stage: take {take.Id} ({take.Scene}/{take.TakeNumber}) does not record its stage configuration; name it with --config");
                return ExitCodes.Usage;
            }
            ConfigLoadResult loaded = Stage.Tracking.StageConfigFile.Load(configPath);
            if (!loaded.IsValid)
            {
                error.WriteLine($"stage: {configPath} has {loaded.Faults.Count} faults:");
                foreach (ConfigFault fault in loaded.Faults) error.WriteLine($"  {fault}");
                return ExitCodes.Fault;
            }
            StageConfig stage = loaded.Config!;
            string folder = Path.GetFullPath(result.GetValue(outOption) ?? $"replay-{take.Id}");
            output.WriteLine($"replaying take {take.Id} ({take.Scene}/{take.TakeNumber}, {take.FrameCount} frames {take.Start}–{take.LastFrame}) on {stage.Name}" +
                             (result.GetValue(outputOption) == "files" ? $" into {folder}" : " (headless)"));
            output.Flush();

            using StageWorldHost? world = TakeReplay.RestoreStartWorld(log, take.Id);
            using GpuInstance instance = GpuInstance.Create(new GpuInstanceOptions { ApplicationName = "stage replay", EnableValidation = result.GetValue(validateOption) });
            using GpuDevice device = instance.CreateDevice();
            using var stageRenderer = new StageRenderer(device, stage, StageRendererOptions.FromConfig(stage) with { Compose = new() { CanvasScaleDivisor = result.GetValue(canvasScaleOption) } });
            using StageFrameRenderer renderer = StageFrameRenderer.ForWorld(stageRenderer, world,
                Path.GetDirectoryName(stage.WorldScenePath ?? stage.SourcePath) ?? Environment.CurrentDirectory);
            renderer.Scene.ExposureEv = (float)stage.Render.ExposureEv;
            try
            {
                // The take's world is restored from its snapshot; its sky comes from the configuration's scene (presentation, not world state).
                renderer.Scene.Environment ??= SceneEnvironmentLoader.LoadFromScene(stage.WorldScenePath);
            }
            catch (Stage.Render.Sky.EnvironmentImageException e)
            {
                error.WriteLine($"stage: {stage.WorldScenePath}: environment.image: {e.Message}");
                return ExitCodes.Fault;
            }
            using IFrameOutput frames = result.GetValue(outputOption) == "files" ? new FilesOutput(folder, FileFormat.Png) : new HeadlessOutput();
            var clock = Stopwatch.StartNew();
            ReplayResult replay = TakeReplay.Run(log, take.Id, stage, world, renderer, frames, line => { error.WriteLine(line); error.Flush(); }, cancellation);
            output.WriteLine($"replayed {replay.Frames} frames in {clock.Elapsed.TotalSeconds:0.0} s{(cancellation.IsCancellationRequested ? $"; stopped on request before the end of the take's {take.FrameCount} frames" : "")}");
            if (!replay.HasWorld) output.WriteLine("world: none recorded (camera track only)");
            else if (replay.Mismatches.Count == 0) output.WriteLine($"world: state hash verified at all {replay.HashesVerified} frames; end {TakeLog.HashText(world!.StateHash)} (recorded end {take.EndStateHash})");
            else
            {
                output.WriteLine($"world: {replay.Mismatches.Count} of {replay.Frames} frames differ from the recording; first:");
                foreach (ReplayMismatch m in replay.Mismatches.Take(10))
                    output.WriteLine($"  frame {m.Frame} {m.Timecode}: recorded {m.RecordedHash}, replayed {m.ReplayedHash}");
            }
            if (replay.RenderFaults > 0) output.WriteLine($"render faults: {replay.RenderFaults} frames");
            bool clean = true;
            if (instance.Validation is { Messages.Count: > 0 } validation)
            {
                foreach (ValidationMessage message in validation.Messages) error.WriteLine($"validation: {message}");
                clean = false;
            }
            // Stopped on request, what was replayed was still verified: a clean stop, not a fault.
            return replay.Verified && clean ? ExitCodes.Ok : ExitCodes.Fault;
        }
        catch (Exception e) when (e is TakeLogException or ReplayException or WorldFileException or GpuUnavailableException or VulkanException or IOException)
        {
            error.WriteLine($"stage: {e.Message}");
            return ExitCodes.Fault;
        }
    }
}
