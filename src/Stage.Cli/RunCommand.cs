using System.CommandLine;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Stage.Core.Configuration;
using Stage.Core.Time;
using Stage.Engine;
using Stage.Engine.Control;
using Stage.Engine.Outputs;
using Stage.Engine.Rendering;
using Stage.Engine.Timing;
using Stage.Render;
using Stage.Render.Scene;
using Stage.Takes;
using Stage.Tracking;
using Stage.Vulkan;

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
        var outputKind = new Option<string>("--output") { Description = "headless (render and discard), files (a PNG per canvas per frame) or preview (a scaled PNG per canvas every second).", DefaultValueFactory = _ => "preview" };
        outputKind.AcceptOnlyFromAmong("headless", "files", "preview");
        var outDir = new Option<string?>("--out") { Description = "Folder for files/preview output (default: ./stage-output)." };
        var validate = new Option<bool>("--validate") { Description = "Run the GPU with the Vulkan validation layer (slower; for diagnosis)." };
        var simulate = new Option<string?>("--simulate-tracking") { Description = "Feed every camera from an in-process simulated tracker (orbit, dolly, handheld or a path CSV) over its source's protocol on loopback, when no real tracker is attached." };
        var command = new Command("run",
            "Run the stage: latch tracked camera poses every frame, advance the world, render every output, log takes, obey the OSC control " +
            "surface. Prints a status line every second (frame, timecode, latency, cameras, take) and a summary at exit. Ctrl+C stops cleanly.")
        { config, seconds, outputKind, outDir, validate, simulate };
        command.SetAction((result, cancellation) => Task.Run(() => Run(result, output, error, config, seconds, outputKind, outDir, validate, simulate, cancellation), CancellationToken.None));
        return command;
    }

    private static int Run(ParseResult result, TextWriter output, TextWriter error, Argument<string> configArgument, Option<double?> secondsOption,
        Option<string> outputOption, Option<string?> outOption, Option<bool> validateOption, Option<string?> simulateOption, CancellationToken cancellation)
    {
        using ILoggerFactory logging = CommonOptions.CreateLogging(result);
        ILogger log = logging.CreateLogger("Stage.Run");
        ConfigLoadResult loaded = StageConfigLoader.LoadFile(result.GetValue(configArgument)!);
        if (!loaded.IsValid)
        {
            error.WriteLine($"stage: {result.GetValue(configArgument)} has {loaded.Faults.Count} faults:");
            foreach (ConfigFault fault in loaded.Faults) error.WriteLine($"  {fault}");
            return ExitCodes.Fault;
        }
        StageConfig stage = loaded.Config!;
        try
        {
            using TakeLog takes = TakeLog.Open(stage.TakeDatabasePath);
            foreach (long id in takes.RecoveredTakeIds)
            {
                TakeInfo take = takes.Take(id);
                error.WriteLine($"take {take.Scene}/{take.TakeNumber} was interrupted (the engine stopped while recording); kept its {take.FrameCount} frames");
            }
            using TrackingSystem tracking = TrackingSystem.Create(stage);
            foreach (TrackingSourceConfig unhandled in tracking.UnhandledSources)
                error.WriteLine($"warning: tracking source '{unhandled.Id}' ({unhandled.Kind}) cannot be read by this build; its cameras show NO DATA");
            using RunWorld? world = null;
            string folder = Path.GetFullPath(result.GetValue(outOption) ?? "stage-output");
            using IFrameOutput frameOutput = result.GetValue(outputOption) switch
            {
                "headless" => new HeadlessOutput(),
                "files" => new FilesOutput(folder, FileFormat.Png),
                _ => new PreviewOutput(folder, Math.Max(1, stage.FrameRate.TimecodeBase)),
            };
            using GpuInstance instance = GpuInstance.Create(new GpuInstanceOptions { ApplicationName = "stage run", EnableValidation = result.GetValue(validateOption) });
            using GpuDevice device = instance.CreateDevice();
            using var stageRenderer = new StageRenderer(device, stage);
            var scene = new RenderScene();
            world?.FillScene(scene);
            using var renderer = new StageFrameRenderer(stageRenderer, scene, world is null ? null : world.UpdateScene);
            long? maxFrames = result.GetValue(secondsOption) is double s ? (long)Math.Ceiling(s * stage.FrameRate.FramesPerSecond) : null;
            var engine = new Engine.Engine(stage, tracking, world?.Host, renderer, frameOutput, takes, log,
                new EngineOptions { MaxFrames = maxFrames, StatusEveryFrames = Math.Max(1, stage.FrameRate.TimecodeBase) },
                new StopwatchClock(), Timecode.FromFrameCount(TimeOfDayFrames(stage.FrameRate), stage.FrameRate));
            using var control = new ControlSurface(stage.Control, engine.Commands, logging.CreateLogger("Stage.Control"));
            control.Start();
            tracking.Start();
            using var simulation = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            List<Thread> simulators = result.GetValue(simulateOption) is string pathName ? StartSimulators(stage, pathName, simulation.Token, error) : [];
            output.WriteLine($"running {stage.Name} at {stage.FrameRate} fps on {device.Info.Name}; output {frameOutput.Name}; control OSC on {stage.Control.BindAddress}:{control.Port}; takes in {takes.Path}");
            output.Flush();
            EngineStatistics statistics = engine.Run(cancellation, line => { output.WriteLine(line); output.Flush(); });
            simulation.Cancel();
            foreach (Thread simulator in simulators) simulator.Join();
            tracking.Stop();
            output.WriteLine("summary:");
            foreach (string line in statistics.Summary()) output.WriteLine("  " + line);
            foreach (PassTiming timing in renderer.LastPassTimings) output.WriteLine($"  last frame {timing.Pass}: {timing.Milliseconds:0.0} ms");
            if (engine.Takes.LastTake is { } last) output.WriteLine($"  last take {last.Scene}/{last.TakeNumber} ({takes.Path})");
            if (instance.Validation is { Messages.Count: > 0 } validation)
            {
                foreach (ValidationMessage message in validation.Messages) error.WriteLine($"validation: {message}");
                return ExitCodes.Fault;
            }
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is TakeLogException or GpuUnavailableException or VulkanException or SocketException or IOException or FormatException)
        {
            error.WriteLine($"stage: {e.Message}");
            return ExitCodes.Fault;
        }
    }

    /// <summary>One simulated tracker thread per camera, each sending its path at 100 Hz to the camera's own source.</summary>
    private static List<Thread> StartSimulators(StageConfig stage, string pathName, CancellationToken stop, TextWriter error)
    {
        var threads = new List<Thread>();
        foreach (CameraConfig camera in stage.Cameras)
        {
            TrackingSourceConfig source = stage.FindSource(camera.SourceId)!;
            var protocol = source switch
            {
                OscSourceConfig => Stage.Tracking.Simulation.SimulatedProtocol.Osc,
                FreeDSourceConfig => Stage.Tracking.Simulation.SimulatedProtocol.FreeD,
                _ => Stage.Tracking.Simulation.SimulatedProtocol.OpenTrackIO,
            };
            var tracker = new Stage.Tracking.Simulation.SimulatedTracker(camera, source,
                Stage.Tracking.Simulation.CameraPath.Create(pathName, camera.FocalLengthMm), protocol,
                Stage.Tracking.Simulation.SimulatedTracker.DefaultTarget(source, null));
            var thread = new Thread(() =>
            {
                using (tracker) tracker.Run(100, null, stop);
            }) { IsBackground = true, Name = $"simulated tracker {camera.Id}" };
            thread.Start();
            threads.Add(thread);
            error.WriteLine($"simulated tracker: camera {camera.Id} follows '{pathName}' over {protocol} to {source.Id}");
        }
        return threads;
    }

    /// <summary>Timecode starts at the time of day (the usual free-run time-of-day timecode on a stage).</summary>
    private static long TimeOfDayFrames(FrameRate rate)
    {
        TimeSpan now = DateTime.Now.TimeOfDay;
        return rate.FrameAtNanoseconds((long)(now.TotalSeconds * 1e9));
    }
}

/// <summary>A world the run drives, with what the renderer needs from it.</summary>
/// <param name="Host">The engine's view of the world.</param>
/// <param name="FillScene">Adds the world's draw items to an empty scene.</param>
/// <param name="UpdateScene">Writes the world's interpolated transforms into the scene before each frame.</param>
/// <param name="OnDispose">Releases the world.</param>
public sealed record RunWorld(IWorldHost Host, Action<RenderScene> FillScene, Action<RenderScene> UpdateScene, Action OnDispose) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose() => OnDispose();
}
