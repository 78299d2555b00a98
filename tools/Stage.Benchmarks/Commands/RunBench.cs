using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Core.Time;
using Stage.Engine;
using Stage.Engine.Outputs;
using Stage.Hosting.Rendering;
using Stage.Hosting.World;
using Stage.Engine.Statistics;
using Stage.Engine.Timing;
using Stage.Render;
using Stage.Render.Scene;
using Stage.Takes;
using Stage.Tracking;
using Stage.Tracking.Buffers;
using Stage.Vulkan;

using Stage.Cli;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// <c>stage bench run &lt;config&gt;</c>: the whole frame loop, headless, with every camera fed 1,000 poses a
/// second from an in-process tracker thread: frames per second against the stage rate, frame time,
/// dropped frames, and the tracking-to-frame latency with the engine's own overhead separated from
/// the GPU's time.
/// </summary>
public static class RunBench
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Argument<string>("config") { Description = "The stage configuration to run." };
        var seconds = new Option<double>("--seconds") { Description = "How long to run.", DefaultValueFactory = _ => 10 };
        var world = new Option<string?>("--world") { Description = "The world scene to run (default: the configuration's world; none when it names none)." };
        Option<int> canvasScale = CommonOptions.CanvasScale(1, "to measure a slow GPU at preview size");
        var command = new Command("run",
            "Run the frame loop headless for N seconds with every camera fed 1 kHz of poses in-process; print fps against the stage rate, " +
            "frame and render time (p50/p99), dropped and late frames, and pose age (receive → submit) with the engine's overhead (latch → submit) " +
            "separated from render time. With a world (the configuration's or --world) the world is stepped and drawn as in stage run.") { config, seconds, world, canvasScale };
        command.SetAction((result, cancellation) => Task.Run(() =>
        {
            ConfigLoadResult loaded = Stage.Tracking.StageConfigFile.Load(result.GetValue(config)!);
            if (!loaded.IsValid)
            {
                error.WriteLine($"stage: {result.GetValue(config)} has faults; run stage validate");
                return ExitCodes.Fault;
            }
            StageConfig stage = loaded.Config!;
            string folder = Directory.CreateTempSubdirectory("stage-bench-run-").FullName;
            try
            {
                using TakeLog takes = TakeLog.Open(Path.Combine(folder, "takes.sqlite"));
                using TrackingSystem tracking = TrackingSystem.Create(stage);
                using GpuInstance instance = GpuInstance.Create(new GpuInstanceOptions { ApplicationName = "stage bench run" });
                using GpuDevice device = instance.CreateDevice();
                using var stageRenderer = new StageRenderer(device, stage, StageRendererOptions.FromConfig(stage) with { Compose = new() { CanvasScaleDivisor = result.GetValue(canvasScale) } });
                string? scenePath = result.GetValue(world) is string given ? Path.GetFullPath(given) : stage.WorldScenePath;
                using StageWorldHost? host = scenePath is null ? null : StageWorldHost.Open(scenePath, null, fresh: true, 1.0, line => error.WriteLine(line));
                using StageFrameRenderer renderer = StageFrameRenderer.ForWorld(stageRenderer, host, Path.GetDirectoryName(scenePath) ?? Environment.CurrentDirectory);
                using var headless = new HeadlessOutput();
                long frames = (long)Math.Ceiling(result.GetValue(seconds) * stage.FrameRate.FramesPerSecond);
                var engine = new FrameLoop(stage, tracking, host, renderer, headless, takes, NullLogger.Instance,
                    new EngineOptions { MaxFrames = frames }, new StopwatchClock(), Timecode.FromFrameCount(0, stage.FrameRate));
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                Thread feeder = StartFeeder(tracking.Cameras, stop.Token);
                long started = Stopwatch.GetTimestamp();
                EngineStatistics stats = engine.Run(cancellation);
                double elapsedS = Stopwatch.GetElapsedTime(started).TotalSeconds;
                stop.Cancel();
                feeder.Join();
                PercentileSummary frame = stats.FrameMs.Summarise(), render = stats.RenderMs.Summarise(), age = stats.PoseAgeMs.Summarise(), latch = stats.LatchToSubmitMs.Summarise();
                output.WriteLine($"{stage.Name}: {stats.Frames} frames in {elapsedS:0.0} s on {device.Info.Name}");
                output.WriteLine(Inv($"  fps {stats.Frames / elapsedS:0.00} of {stage.FrameRate.FramesPerSecond:0.###} ({stats.Frames / elapsedS / stage.FrameRate.FramesPerSecond:0.00}× the stage rate); dropped {stats.DroppedFrames}, late {stats.LateFrames}, faulted {stats.FaultedFrames}"));
                output.WriteLine(Inv($"  frame time  p50 {frame.P50:0.00} ms  p99 {frame.P99:0.00} ms"));
                output.WriteLine(Inv($"  render      p50 {render.P50:0.00} ms  p99 {render.P99:0.00} ms (GPU work, submit → read back)"));
                output.WriteLine(Inv($"  pose age    p50 {age.P50:0.000} ms  p99 {age.P99:0.000} ms (tracker receive → frame submit)"));
                if (host is not null)
                    output.WriteLine(Inv($"  world       {host.World.Entities.Count} entities, {stats.WorldSteps} steps at {host.StepRateHz} Hz ({stats.WorldSteps / (double)Math.Max(1, stats.Frames):0.0} per frame), hashed once per frame"));
                output.WriteLine(Inv($"  engine overhead (latch → submit) p50 {latch.P50:0.000} ms  p99 {latch.P99:0.000} ms (target p99 < 1 ms)"));
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is GpuUnavailableException or VulkanException or WorldLoadException)
            {
                error.WriteLine($"stage: {e.Message}");
                return ExitCodes.Fault;
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
        }, CancellationToken.None));
        return command;
    }

    /// <summary>A tracker thread: every camera gets a pose each millisecond, orbiting slowly, stamped at write time.</summary>
    private static Thread StartFeeder(IReadOnlyList<PoseBuffer> cameras, CancellationToken stop)
    {
        var thread = new Thread(() =>
        {
            long sequence = 0;
            long next = Stopwatch.GetTimestamp();
            long period = Stopwatch.Frequency / 1000;
            while (!stop.IsCancellationRequested)
            {
                long now = Stopwatch.GetTimestamp();
                if (now < next)
                {
                    if (next - now > Stopwatch.Frequency / 2000) Thread.Sleep(0);
                    continue;
                }
                next += period;
                double t = sequence / 1000.0;
                foreach (PoseBuffer camera in cameras)
                {
                    var pose = Pose.FromPanTiltRoll(new Vector3((float)Math.Sin(t * 0.3), 1.7f, 2f), new PanTiltRoll(10 * Math.Sin(t * 0.2), -2, 0));
                    camera.Write(CameraSample.Create(camera.CameraId, pose.PositionM, pose.Orientation, Stopwatch.GetTimestamp(), sequence));
                }
                sequence++;
            }
        }) { IsBackground = true, Name = "bench tracker" };
        thread.Start();
        return thread;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
