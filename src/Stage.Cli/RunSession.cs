using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Stage.Core.Configuration;
using Stage.Core.Time;
using Stage.Engine;
using Stage.Engine.Control;
using Stage.Engine.Outputs;
using Stage.Hosting.Rendering;
using Stage.Engine.Timing;
using Stage.Hosting.World;
using Stage.Hosting.Operator;
using Stage.Render;
using Stage.Render.Scene;
using Stage.Takes;
using Stage.Tracking;
using Stage.Tracking.Statistics;
using Stage.Vulkan;
using Stage.Core.Frames;
using Stage.Hosting.Outputs;

namespace Stage.Cli;

/// <summary>How a run goes: what <c>stage run</c> and <c>stage demo</c> ask of <see cref="RunSession"/>.</summary>
public sealed record RunSettings
{
    /// <summary>The stage configuration file.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>Stop after this many seconds of frames (null: until cancelled).</summary>
    public double? Seconds { get; init; }

    /// <summary>headless, files or preview (or another output the factory knows).</summary>
    public string Output { get; init; } = "preview";

    /// <summary>Folder of files/preview output.</summary>
    public string OutputFolder { get; init; } = "stage-output";

    /// <summary>Run the GPU with the validation layer.</summary>
    public bool Validate { get; init; }

    /// <summary>What previews and the operator page's thumbnails show: the view transform to sRGB (default) or the code values.</summary>
    public Stage.Core.Colour.ViewMode View { get; init; } = Stage.Core.Colour.ViewMode.Srgb;

    /// <summary>A simulated tracker path for every camera (orbit, dolly, handheld, a CSV), or null.</summary>
    public string? SimulateTracking { get; init; }

    /// <summary>Samples per second each simulated tracker sends (100 by default, as a typical optical tracker; the latency bench sends 1000).</summary>
    public int SimulatedTrackerRateHz { get; init; } = 100;

    /// <summary>The world scene instead of the configuration's (null: the configuration's, if any).</summary>
    public string? WorldScenePath { get; init; }

    /// <summary>Start the world from its scene even when a journal could resume it (the journal is set aside).</summary>
    public bool FreshWorld { get; init; }

    /// <summary>Record one take of this slate for the whole run (null: takes by command only).</summary>
    public string? TakeSlate { get; init; }

    /// <summary>Seconds of simulation between journal snapshots.</summary>
    public double JournalEverySeconds { get; init; } = 1.0;

    /// <summary>Label frames with the hero camera tracker's timecode (where it sends one) instead of the time of day.</summary>
    public bool TimecodeFromTracking { get; init; }

    /// <summary>Render canvases at 1/N size each way (rehearsal and previews on a slow GPU; 1 for the wall).</summary>
    public int CanvasScaleDivisor { get; init; } = 1;

    /// <summary>The take log instead of the configuration's (the demo keeps its own).</summary>
    public string? TakeDatabasePath { get; init; }

    /// <summary>The world journal folder instead of the one beside the take log.</summary>
    public string? JournalDirectory { get; init; }

    /// <summary>Builds an output the three built-in kinds don't cover (windows) on the run's device, or null for none.</summary>
    public IDeviceOutputFactory? OutputFactory { get; init; }

    /// <summary>Called once the renderer exists, before the first frame (tests reach its fault injection through it).</summary>
    public Action<DeviceLossRecovery>? OnRendererReady { get; init; }

    /// <summary>The cluster node to run (<c>--node</c>; docs/cluster.md), or null for a stage on one machine.</summary>
    public string? NodeId { get; init; }

    /// <summary>Cluster test hook: a render node applies a world command the primary did not send at this frame (<c>--diverge-at-frame</c>).</summary>
    public long? DivergeAtFrame { get; init; }
}

/// <summary>
/// An output made on the run's own Vulkan device (windows, whose swapchains share the renderer's device so canvases
/// never leave the GPU). Disposed after the output it made.
/// </summary>
public interface IDeviceOutputFactory : IDisposable
{
    /// <summary>The instance extensions the output needs (a window system's surface extensions).</summary>
    IReadOnlyList<string> InstanceExtensions { get; }

    /// <summary>Makes the output on <paramref name="device"/>.</summary>
    IFrameOutput Create(StageConfig stage, GpuDevice device);
}

/// <summary>What a run ended with.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Statistics">The engine's measurements (null when the run never started).</param>
/// <param name="LastTake">The last take of the run, or null.</param>
/// <param name="TakeDatabasePath">The take log.</param>
public sealed record RunOutcome(int ExitCode, EngineStatistics? Statistics, TakeInfo? LastTake, string? TakeDatabasePath);

/// <summary>
/// The main job, shared by <c>stage run</c> and <c>stage demo</c>: loads and validates the stage,
/// opens the take log (reporting interrupted takes), opens the world (resuming its journal after a
/// crash), starts tracking, the renderer, the output and the control surface, runs the frame loop
/// with a status line every second, and prints a summary.
/// </summary>
public static class RunSession
{
    /// <summary>Runs the stage until <paramref name="cancellation"/> or the settings' duration.</summary>
    public static RunOutcome Execute(RunSettings settings, TextWriter output, TextWriter error, ILoggerFactory logging, CancellationToken cancellation)
    {
        ILogger log = logging.CreateLogger("Stage.Run");
        ConfigLoadResult loaded = Stage.Tracking.StageConfigFile.Load(settings.ConfigPath);
        if (!loaded.IsValid)
        {
            error.WriteLine($"stage: {settings.ConfigPath} has {loaded.Faults.Count} faults:");
            foreach (ConfigFault fault in loaded.Faults) error.WriteLine($"  {fault}");
            return new RunOutcome(ExitCodes.Fault, null, null, null);
        }
        StageConfig stage = loaded.Config!;
        foreach (ConfigFault warning in loaded.Warnings) error.WriteLine($"warning: {settings.ConfigPath}: {warning}");
        if (settings.TakeDatabasePath is string database) stage = stage with { TakeDatabasePath = Path.GetFullPath(database) };
        // Cluster hook (docs/cluster.md): the node's own view of the stage.
        ClusterRole? cluster = ClusterRole.For(stage, settings, error, out bool clusterFault);
        if (clusterFault) return new RunOutcome(ExitCodes.Fault, null, null, null);
        if (cluster is not null) stage = cluster.Stage;
        bool follower = cluster is { IsPrimary: false };
        try
        {
            using TakeLog takes = TakeLog.Open(stage.TakeDatabasePath);
            foreach (long id in takes.RecoveredTakeIds)
            {
                TakeInfo take = takes.Take(id);
                error.WriteLine($"take {take.Scene}/{take.TakeNumber} was interrupted (the engine stopped while recording); kept its {take.FrameCount} frames");
            }
            string? scenePath = settings.WorldScenePath is string given ? Path.GetFullPath(given) : stage.WorldScenePath;
            using StageWorldHost? world = follower ? ClusterRole.OpenWorld(scenePath, error) : OpenWorld(scenePath, settings, stage, error);
            using Stage.Cluster.ClusterNode? link = cluster?.Connect(world, settings, logging);
            using TrackingSystem tracking = TrackingSystem.Create(stage);
            foreach (TrackingSourceConfig unhandled in tracking.UnhandledSources)
                if (unhandled.FliesWithKeys) error.WriteLine($"tracking source '{unhandled.Id}' is a virtual camera: {(settings.Output == "window" ? "fly it from the window (docs/windows.md)" : "only a window output flies it; its cameras show NO DATA")}");
                else error.WriteLine($"warning: tracking source '{unhandled.Id}' ({unhandled.Kind}) cannot be read by this build; its cameras show NO DATA");
            using IDeviceOutputFactory? outputFactory = settings.Output is "headless" or "files" or "preview" ? null : settings.OutputFactory;
            using GpuInstance instance = GpuInstance.Create(new GpuInstanceOptions
            {
                ApplicationName = "stage run",
                EnableValidation = settings.Validate,
                Extensions = outputFactory?.InstanceExtensions ?? [],
                // Where offered: a PQ window output may then present in the HDR10 colour space (docs/colour.md).
                OptionalExtensions = outputFactory is null ? [] : [GpuInstance.SwapchainColourSpaceExtension],
            });
            string folder = Path.GetFullPath(settings.OutputFolder);
            string sceneDirectory = Path.GetDirectoryName(scenePath) ?? Environment.CurrentDirectory;
            StageRendererOptions rendererOptions = StageRendererOptions.FromConfig(stage) with
            {
                Compose = new() { CanvasScaleDivisor = settings.CanvasScaleDivisor },
                WatchCompletion = true,
            };
            // The camera exposure outlives a GPU rebuild: each new stack's scene starts from the current one.
            float exposureEv = (float)stage.Render.ExposureEv;
            DeviceLossRecovery? recovery = null;
            void SetExposure(float ev)
            {
                exposureEv = ev;
                if (recovery?.Current is { } current) current.FrameRenderer.Scene.ExposureEv = ev;
            }
            (int Pipelines, double PipelineMs, double FrameMs) warmUp = default;
            // Everything on the GPU device is built in one place, so a lost device is rebuilt the same way (docs/engine.md).
            GpuStack BuildGpu()
            {
                GpuDevice device = instance.CreateDevice();
                IFrameOutput? windows = null;
                StageRenderer? stageRenderer = null;
                try
                {
                    if (outputFactory is not null) windows = outputFactory.Create(stage, device);
                    stageRenderer = new StageRenderer(device, stage, rendererOptions);
                    var frameRenderer = StageFrameRenderer.ForWorld(stageRenderer, world, sceneDirectory);
                    frameRenderer.Scene.ExposureEv = exposureEv;
                    // Pipelines compiled, shaders drawn once, meshes and textures uploaded, the environment baked: now, not
                    // by the first live frames (seconds of dropped frames on a CPU driver). Unseen: no presenter yet.
                    // Not on a cluster's render node: it is already connected and following, and a node restarted mid-take
                    // must be back in the barrier within seconds (it steps the replayed frames without drawing them).
                    if (!follower)
                    {
                        (int pipelines, double pipelineMs) = stageRenderer.PreparePipelines();
                        double warmUpMs = frameRenderer.WarmUp();
                        log.LogInformation("Warmed up before the first frame: {Pipelines} scene pipelines in {PipelineMs:0} ms, one unseen frame in {WarmUpMs:0} ms", pipelines, pipelineMs, warmUpMs);
                        warmUp = (pipelines, pipelineMs, warmUpMs);
                    }
                    // Windows show their canvases inside the renderer's own frames: nothing is read back for them.
                    if (windows is IPresentingOutput presenting)
                        foreach (ICanvasPresenter presenter in presenting.Presenters) stageRenderer.Presenters.Add(presenter);
                    return new GpuStack(device, windows, stageRenderer, frameRenderer);
                }
                catch
                {
                    stageRenderer?.Dispose();
                    windows?.Dispose();
                    device.Dispose();
                    throw;
                }
            }
            using var renderer = new DeviceLossRecovery(BuildGpu, logging.CreateLogger("Stage.Gpu"));
            recovery = renderer;
            settings.OnRendererReady?.Invoke(renderer);
            GpuStack gpu = renderer.Current!;
            // Previews and thumbnails show each output through its view transform (docs/colour.md); files keep code values.
            Dictionary<string, Stage.Core.Colour.OutputColour> outputColours = stage.Outputs.ToDictionary(o => o.Id, o => o.Colour, StringComparer.Ordinal);
            using IFrameOutput frameOutput = settings.Output switch
            {
                "headless" => new HeadlessOutput(),
                "files" => new FilesOutput(folder, FileFormat.Png),
                "preview" => new PreviewOutput(folder, Math.Max(1, stage.FrameRate.TimecodeBase), view: settings.View, outputs: outputColours),
                _ when outputFactory is not null => new WindowSlot(renderer),
                _ => throw new ArgumentException($"no output '{settings.Output}' in this build"),
            };
            // The operator page's thumbnails ride on the output (docs/operator.md: what runs on the frame thread).
            var pageWatch = new PageWatch();
            using var thumbnails = new ThumbnailTap(frameOutput, Math.Max(1, stage.FrameRate.TimecodeBase), pageWatch, logging.CreateLogger("Stage.Operator"),
                view: settings.View, outputs: outputColours);
            var recentWarnings = new RecentWarnings();
            logging.AddProvider(recentWarnings);
            long? maxFrames = settings.Seconds is double s ? (long)Math.Ceiling(s * stage.FrameRate.FramesPerSecond) : null;
            var engine = new FrameLoop(stage, tracking, world, renderer, stage.Operator.Web.Enabled ? thumbnails : frameOutput, takes, log,
                new EngineOptions { Cluster = link, MaxFrames = follower ? null : maxFrames, StatusEveryFrames = Math.Max(1, stage.FrameRate.TimecodeBase), RecordTakeSlate = follower ? null : settings.TakeSlate, TimecodeFromTracking = settings.TimecodeFromTracking },
                new StopwatchClock(), Timecode.FromFrameCount(TimeOfDayFrames(stage.FrameRate), stage.FrameRate));
            renderer.Grades = engine.Grades;
            if (frameOutput is IEngineAttachedOutput attached) attached.Attach(engine, tracking);
            ExposureCommand.Register(engine.Commands, engine.Queue, SetExposure, TimeSpan.FromSeconds(2), line => log.LogInformation("Camera {Exposure}", line));
            // A render node answers no control: its port belongs to the primary (which may run on the same machine).
            using ControlSurface? control = follower ? null : new ControlSurface(stage.Control, engine.Commands, logging.CreateLogger("Stage.Control"));
            control?.Start();
            tracking.Start();
            using var simulation = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            List<Thread> simulators = !follower && settings.SimulateTracking is string pathName ? StartSimulators(stage, pathName, settings.SimulatedTrackerRateHz, simulation.Token, error) : [];
            if (settings.CanvasScaleDivisor > 1)
                output.WriteLine($"canvases render at 1/{settings.CanvasScaleDivisor} size each way (rehearsal / preview; not for the wall)");
            if (gpu.Renderer.MsaaNote is { } msaaNote) error.WriteLine($"warning: {settings.ConfigPath}: {msaaNote}");
            output.WriteLine($"views drawn with {gpu.Renderer.Samples}× MSAA; {OuterResolution.Choose(stage)}" +
                             (settings.CanvasScaleDivisor > 1 ? $"; at 1/{settings.CanvasScaleDivisor} canvas scale {gpu.Renderer.OuterFaceSizePx}²" : ""));
            string pacing = engine.Pacer is DisplayPacer
                ? $"paced by the display ({(frameOutput is IDisplayTiming { ReportsDisplayTimes: true } ? "present wait" : "FIFO acquire, present times from the present call")}), {gpu.Renderer.FramesInFlight} frames in flight"
                : $"paced by the clock, {gpu.Renderer.FramesInFlight} frames in flight";
            output.WriteLine($"running {stage.Name} at {stage.FrameRate} fps on {gpu.Device.Info.Name}; output {frameOutput.Name}; {pacing}; " +
                             $"world {(world is null ? "none" : $"{world.World.Entities.Count} entities at {world.StepRateHz} Hz")}; " +
                             (follower ? "control on the primary" : $"control OSC on {stage.Control.BindAddress}:{control!.Port}") + $"; takes in {takes.Path}");
            if (cluster is not null)
            {
                output.WriteLine(cluster.Describe());
                output.WriteLine(ClusterRole.PresentBarrierLine(gpu.Device.Info.Name, gpu.Device.Info.PresentationOffered.PresentBarrier, gpu.Device.Presentation.PresentBarrier, outputFactory is not null));
            }
            output.WriteLine(follower
                ? "warm-up: none (a render node joins the cluster at once; its first drawn frames compile their shaders)"
                : FormattableString.Invariant($"warm-up: {warmUp.Pipelines} scene pipelines compiled in {warmUp.PipelineMs:0} ms, one unseen frame drawn in {warmUp.FrameMs:0} ms (shaders, meshes, textures, environment) before the first frame"));
            // Per window output: the swapchain's format and colour space, and why (docs/colour.md, "Presentation").
            if (frameOutput is WindowSlot windowStart)
                foreach (string line in windowStart.FormatLines()) output.WriteLine("swapchain " + line);
            if (frameOutput is PreviewOutput previewStart) output.WriteLine($"previews: view {(previewStart.View == Stage.Core.Colour.ViewMode.Srgb ? "srgb (each output's code values decoded and tone-mapped to sRGB)" : "none (code values)")}");
            using OperatorPage? page = OperatorPageStartup.TryStart(new OperatorPageParts
            {
                Stage = stage, Engine = engine, Tracking = tracking, World = world, TakeLogPath = takes.Path,
                Thumbnails = thumbnails, Watch = pageWatch, Warnings = recentWarnings, Logging = logging,
            }, output, error);
            output.Flush();
            EngineStatistics statistics = engine.Run(cancellation, line => { output.WriteLine(line); output.Flush(); });
            simulation.Cancel();
            foreach (Thread simulator in simulators) simulator.Join();
            tracking.Stop();
            string? checkpoint = world?.Checkpoint();
            if (cancellation.IsCancellationRequested) output.WriteLine($"stopped on request after {statistics.Frames} frames");
            output.WriteLine("summary:");
            foreach (string line in statistics.Summary()) output.WriteLine("  " + line);
            foreach (PassTiming timing in renderer.LastPassTimings) output.WriteLine($"  last frame {timing.Pass}: {timing.Milliseconds:0.0} ms");
            // GPU memory: what Stage's allocator holds in device memory blocks (targets, buffers, textures), and the material textures in it.
            if (renderer.Current is { } drawing)
                output.WriteLine($"  gpu memory: {drawing.Device.Memory.AllocatedBytes / (1024.0 * 1024.0):0.0} MiB allocated in {drawing.Device.Memory.BlockCount} blocks; " +
                    $"material textures {drawing.Renderer.Scene.TextureUploads} uploaded once ({drawing.Renderer.Scene.TextureBytes / (1024.0 * 1024.0):0.0} MiB with mips), {drawing.Renderer.Scene.TextureFaults.Count} not usable; exposure {exposureEv:0.##} EV");
            // The environment: bakes (the physical sky re-bakes on a worker as the sun moves) and what the last one cost.
            if (renderer.Current is { } lit && lit.Renderer.Scene.EnvironmentBakes > 0)
                output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"  environment: {lit.Renderer.Scene.EnvironmentBakes} bakes, last {lit.Renderer.Scene.EnvironmentBakeMs:0.0} ms (CPU), {lit.Renderer.Scene.EnvironmentLivePathMs:0.0} ms of it on the frame path"));
            double periodMs = 1000.0 * stage.FrameRate.Denominator / stage.FrameRate.Numerator;
            foreach (string line in statistics.LatencyLines(periodMs)) output.WriteLine("  latency " + line);
            long receiveNow = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (ITrackingSource source in tracking.Sources) output.WriteLine("  " + TrackingReport.SummaryLine(source, receiveNow));
            if (frameOutput is WindowSlot windowSlot)
            {
                output.WriteLine("  output: " + windowSlot.StatusText());
                foreach (string line in windowSlot.FormatLines()) output.WriteLine("  swapchain " + line);
            }
            if (renderer.DevicesLost > 0) output.WriteLine($"  GPU devices lost {renderer.DevicesLost}, rebuilt {renderer.Rebuilds} (the frames between counted as faulted)");
            // The colour counts of the renderer drawing now (after a device loss, the rebuilt one's).
            if (renderer.Current?.Renderer is { } colourRenderer)
                for (int o = 0; o < stage.Outputs.Count; o++)
                {
                    var (gamutFrames, peakFrames) = colourRenderer.ColourFaultFrames[o];
                    output.WriteLine($"  colour {stage.Outputs[o].Id}: {stage.Outputs[o].Colour}; " + (colourRenderer.Compositor.CountsColourFaults
                        ? $"of {colourRenderer.ColourCountedFrames} frames counted, {gamutFrames} had pixels out of its gamut and {peakFrames} pixels over its peak (clipped); last frame {colourRenderer.LastColourCounts[o].OutOfGamutPixels} and {colourRenderer.LastColourCounts[o].OverPeakPixels}"
                        : "not counted (the device has no fragment atomics)"));
                }
            if (link is not null) foreach (string line in link.Report(periodMs)) output.WriteLine("  " + line);
            if (world is not null) output.WriteLine($"  world: step {world.WorldStep}, state hash {TakeLog.HashText(world.StateHash)}{(checkpoint is null ? "" : $", saved to {checkpoint}")}");
            TakeInfo? last = engine.Takes.LastTake is { } l ? takes.Take(l.Id) : null;
            if (last is not null) output.WriteLine($"  last take {last.Scene}/{last.TakeNumber}: {last.FrameCount} frames {last.Start}–{last.LastFrame} ({takes.Path}, take id {last.Id})");
            if (last is { Nodes.Count: > 0 }) output.WriteLine($"  last take's cluster: {last.ClusterVerdict} ({string.Join("; ", last.Nodes.Select(n => n.Verdict))})");
            if (instance.Validation is { Messages.Count: > 0 } validation)
            {
                foreach (ValidationMessage message in validation.Messages) error.WriteLine($"validation: {message}");
                return new RunOutcome(ExitCodes.Fault, statistics, last, takes.Path);
            }
            return new RunOutcome(ExitCodes.Ok, statistics, last, takes.Path);
        }
        catch (Exception e) when (e is TakeLogException or Stage.Cluster.ClusterException or GpuUnavailableException or VulkanException or SocketException or IOException or FormatException or WorldLoadException)
        {
            error.WriteLine($"stage: {e.Message}");
            return new RunOutcome(ExitCodes.Fault, null, null, null);
        }
    }

    /// <summary>
    /// The world journal's folder: beside the take log, named after the stage configuration, so every
    /// stage keeps its own world across restarts.
    /// </summary>
    public static string JournalDirectory(StageConfig stage) =>
        Path.Combine(Path.GetDirectoryName(stage.TakeDatabasePath)!, Path.GetFileNameWithoutExtension(stage.TakeDatabasePath) + ".world");

    private static StageWorldHost? OpenWorld(string? scene, RunSettings settings, StageConfig stage, TextWriter error)
    {
        if (scene is null) return null;
        if (!File.Exists(scene)) throw new WorldLoadException($"world scene {scene} does not exist");
        return StageWorldHost.Open(scene, settings.JournalDirectory ?? JournalDirectory(stage), settings.FreshWorld, settings.JournalEverySeconds, line => error.WriteLine(line));
    }

    /// <summary>One simulated tracker thread per camera, each sending its path at <paramref name="rateHz"/> to the camera's own source.</summary>
    private static List<Thread> StartSimulators(StageConfig stage, string pathName, int rateHz, CancellationToken stop, TextWriter error)
    {
        var threads = new List<Thread>();
        foreach (CameraConfig camera in stage.Cameras)
        {
            TrackingSourceConfig source = stage.FindSource(camera.SourceId)!;
            ITrackingProtocol? protocol = TrackingProtocols.Find(source.Kind);
            if (protocol?.CreateSender(camera, source) is not { } sender)
            {
                error.WriteLine($"simulated tracker: camera {camera.Id} is fed by '{source.Id}' ({source.Kind}), which no tracker protocol reaches; not simulated");
                continue;
            }
            var tracker = new Stage.Tracking.Simulation.SimulatedTracker(sender,
                Stage.Tracking.Simulation.CameraPath.Create(pathName, camera.FocalLengthMm), Stage.Tracking.Simulation.SimulatedTracker.DefaultTarget(source, null));
            var thread = new Thread(() =>
            {
                using (tracker) tracker.Run(rateHz, null, stop);
            }) { IsBackground = true, Name = $"simulated tracker {camera.Id}" };
            thread.Start();
            threads.Add(thread);
            error.WriteLine($"simulated tracker: camera {camera.Id} follows '{pathName}' over {protocol.Name} to {source.Id} at {rateHz} Hz");
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
