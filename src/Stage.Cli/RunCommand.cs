using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Stage.Cli;

/// <summary>
/// <c>stage run</c>: the main job. Tracking in, the world advanced, every output rendered, takes logged,
/// the control surface listening; a status line every second and a summary at the end.
/// </summary>
public static class RunCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Argument<string>("config") { Description = "The stage configuration file." };
        var seconds = new Option<double?>("--seconds") { Description = "Stop after this many seconds of frames (default: until Ctrl+C)." };
        var outputKind = new Option<string>("--output") { Description = "headless (render and discard), files (a PNG per canvas per frame), preview (a scaled PNG per canvas every second) or window (every canvas on a display: docs/windows.md).", DefaultValueFactory = _ => "preview" };
        outputKind.AcceptOnlyFromAmong("headless", "files", "preview", "window");
        var outDir = new Option<string?>("--out") { Description = "Folder for files/preview output (default: ./stage-output)." };
        var view = new Option<string>("--view") { Description = "What preview PNGs and the operator page's thumbnails show: srgb (each output's code values decoded and tone-mapped to sRGB Rec.709, docs/colour.md) or none (the code values as they are, for measuring). Files (--output files) always hold code values.", DefaultValueFactory = _ => "srgb" };
        view.AcceptOnlyFromAmong("srgb", "none");
        var validate = new Option<bool>("--validate") { Description = "Run the GPU with the Vulkan validation layer (slower; for diagnosis)." };
        var simulate = new Option<string?>("--simulate-tracking") { Description = "Feed every camera from an in-process simulated tracker (orbit, dolly, handheld or a path CSV) over its source's protocol on loopback, when no real tracker is attached." };
        var world = new Option<string?>("--world") { Description = "The world scene to run (default: the configuration's world, if it names one)." };
        var fresh = new Option<bool>("--fresh-world") { Description = "Start the world from its scene even when its journal (beside the take log) could resume it; the old journal is set aside, not deleted." };
        var take = new Option<string?>("--take") { Description = "Record one take of this slate from the first frame to the end of the run." };
        var timecode = new Option<string>("--timecode") { Description = "free (time of day on the monotonic clock, the default) or tracking (the hero camera's tracker timecode where it sends one, e.g. OpenTrackIO; free otherwise). Frames are paced by the clock either way.", DefaultValueFactory = _ => "free" };
        timecode.AcceptOnlyFromAmong("free", "tracking");
        Option<int> canvasScale = CommonOptions.CanvasScale(1, "for rehearsal and previews on a slow GPU");
        var node = new Option<string?>("--node") { Description = "Run this node of the configuration's render cluster (docs/cluster.md): the primary owns tracking, control and takes; a render node draws its outputs from the primary's frame inputs." };
        var diverge = new Option<long?>("--diverge-at-frame") { Description = "Cluster test hook (never on a stage): this render node applies a world command the primary did not send at this frame, so the hash comparison must catch it." };
        var command = new Command("run",
            "Run the stage: latch tracked camera poses every frame, advance the world, render every output, log takes, obey the OSC control " +
            "surface. The world is journalled beside the take log and resumed from it after a crash. Prints a status line every second " +
            "(frame, timecode, latency, cameras, take) and a summary at exit. Ctrl+C stops cleanly.")
        { config, seconds, outputKind, outDir, view, validate, simulate, world, fresh, take, canvasScale, timecode, node, diverge };
        command.SetAction((result, cancellation) => Task.Run(() => Run(result, output, error, config, seconds, outputKind, outDir, view, validate, simulate, world, fresh, take, canvasScale, timecode, node, diverge, cancellation), CancellationToken.None));
        return command;
    }

    private static int Run(ParseResult result, TextWriter output, TextWriter error, Argument<string> configArgument, Option<double?> secondsOption,
        Option<string> outputOption, Option<string?> outOption, Option<string> viewOption, Option<bool> validateOption, Option<string?> simulateOption,
        Option<string?> worldOption, Option<bool> freshOption, Option<string?> takeOption, Option<int> canvasScaleOption, Option<string> timecodeOption,
        Option<string?> nodeOption, Option<long?> divergeOption, CancellationToken cancellation)
    {
        using ILoggerFactory logging = CommonOptions.CreateLogging(result);
        var settings = new RunSettings
        {
            ConfigPath = result.GetValue(configArgument)!,
            Seconds = result.GetValue(secondsOption),
            Output = result.GetValue(outputOption)!,
            OutputFolder = result.GetValue(outOption) ?? "stage-output",
            Validate = result.GetValue(validateOption),
            View = result.GetValue(viewOption) == "none" ? Stage.Core.Colour.ViewMode.None : Stage.Core.Colour.ViewMode.Srgb,
            OutputFactory = result.GetValue(outputOption) == "window" ? new WindowRun(logging) : null,
            SimulateTracking = result.GetValue(simulateOption),
            WorldScenePath = result.GetValue(worldOption),
            FreshWorld = result.GetValue(freshOption),
            TakeSlate = result.GetValue(takeOption),
            CanvasScaleDivisor = result.GetValue(canvasScaleOption),
            TimecodeFromTracking = result.GetValue(timecodeOption) == "tracking",
            NodeId = result.GetValue(nodeOption),
            DivergeAtFrame = result.GetValue(divergeOption),
        };
        return RunSession.Execute(settings, output, error, logging, cancellation).ExitCode;
    }
}
