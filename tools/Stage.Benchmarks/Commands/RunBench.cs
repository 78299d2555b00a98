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
using Stage.Hosting.Operator;
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
        var seconds = new Option<double>("--seconds") { Description = "How long to run (each round, with --pages).", DefaultValueFactory = _ => 10 };
        var world = new Option<string?>("--world") { Description = "The world scene to run (default: the configuration's world; none when it names none)." };
        var pages = new Option<int>("--pages") { Description = "Also serve the operator page and run each round twice in the same sitting: without pages connected, then with this many (each holding the live status open and fetching thumbnails and takes as the page does); prints both frame times and the status push latency.", DefaultValueFactory = _ => 0 };
        var rounds = new Option<int>("--rounds") { Description = "With --pages: how many without/with pairs, alternated.", DefaultValueFactory = _ => 1 };
        Option<int> canvasScale = CommonOptions.CanvasScale(1, "to measure a slow GPU at preview size");
        var command = new Command("run",
            "Run the frame loop headless for N seconds with every camera fed 1 kHz of poses in-process; print fps against the stage rate, " +
            "frame and render time (p50/p99), dropped and late frames, and pose age (receive → submit) with the engine's overhead (latch → submit) " +
            "separated from render time. With a world (the configuration's or --world) the world is stepped and drawn as in stage run. " +
            "--pages N compares the frame time with and without N operator pages connected, in the same sitting.") { config, seconds, world, pages, rounds, canvasScale };
        command.SetAction((result, cancellation) => Task.Run(() =>
        {
            ConfigLoadResult loaded = Stage.Tracking.StageConfigFile.Load(result.GetValue(config)!);
            if (!loaded.IsValid)
            {
                error.WriteLine($"stage: {result.GetValue(config)} has faults; run stage validate");
                return ExitCodes.Fault;
            }
            if (result.GetValue(pages) < 0 || result.GetValue(rounds) < 1)
            {
                error.WriteLine("stage: --pages must be 0 or more and --rounds at least 1");
                return ExitCodes.Usage;
            }
            // The page on a free port of this machine: the bench must not need (or take) the configured one.
            StageConfig stage = loaded.Config! with { Operator = loaded.Config!.Operator with { Web = new OperatorWebConfig { Port = 0 } } };
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
                long frames = (long)Math.Ceiling(result.GetValue(seconds) * stage.FrameRate.FramesPerSecond);
                var parts = new Parts(stage, tracking, host, renderer, takes, frames);
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                Thread feeder = StartFeeder(tracking.Cameras, stop.Token);
                try
                {
                    if (result.GetValue(pages) == 0)
                    {
                        Round round = Measure(parts, pages: null, cancellation);
                        Report(output, stage, device, host, round);
                        return ExitCodes.Ok;
                    }
                    return ComparePages(output, stage, device, host, parts, result.GetValue(pages), result.GetValue(rounds), cancellation);
                }
                finally
                {
                    stop.Cancel();
                    feeder.Join();
                }
            }
            catch (Exception e) when (e is GpuUnavailableException or VulkanException or WorldLoadException or OperatorPageException)
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

    /// <summary>What every round runs with.</summary>
    private sealed record Parts(StageConfig Stage, TrackingSystem Tracking, StageWorldHost? World, StageFrameRenderer Renderer, TakeLog Takes, long Frames);

    /// <summary>One round's figures: the engine's statistics, its wall time, and what the pages saw (empty without pages).</summary>
    private sealed record Round(EngineStatistics Statistics, double ElapsedS, int Pages, long Events, long Thumbnails, double[] PushMs);

    /// <summary>
    /// One run of the frame loop. <paramref name="pages"/> null: as before, no operator page at all; otherwise the page
    /// is served (thumbnails tapped off the output, as in stage run) and that many pages connect.
    /// </summary>
    private static Round Measure(Parts parts, int? pages, CancellationToken cancellation)
    {
        using var headless = new HeadlessOutput();
        var watch = new PageWatch();
        using var thumbnails = new ThumbnailTap(headless, Math.Max(1, parts.Stage.FrameRate.TimecodeBase), watch, NullLogger.Instance);
        var engine = new FrameLoop(parts.Stage, parts.Tracking, parts.World, parts.Renderer, pages is null ? headless : thumbnails, parts.Takes, NullLogger.Instance,
            new EngineOptions { MaxFrames = parts.Frames }, new StopwatchClock(), Timecode.FromFrameCount(0, parts.Stage.FrameRate));
        using OperatorPage? page = pages is null ? null : OperatorPage.Start(new OperatorPageParts
        {
            Stage = parts.Stage, Engine = engine, Tracking = parts.Tracking, World = parts.World, TakeLogPath = parts.Takes.Path,
            Thumbnails = thumbnails, Watch = watch, Warnings = new RecentWarnings(), Logging = NullLoggerFactory.Instance,
        });
        PageClients? clients = page is null || pages == 0 ? null : PageClients.Open(new Uri(page.Urls[0]), pages!.Value);
        try
        {
            // Let the pages connect before the first frame, so every frame of the round has them.
            for (int i = 0; clients is not null && page!.ConnectedPages < pages && i < 500; i++) Thread.Sleep(10);
            long started = Stopwatch.GetTimestamp();
            EngineStatistics stats = engine.Run(cancellation);
            double elapsedS = Stopwatch.GetElapsedTime(started).TotalSeconds;
            return new Round(stats, elapsedS, pages ?? 0, clients?.Events ?? 0, clients?.Thumbnails ?? 0, clients?.PushMs() ?? []);
        }
        finally
        {
            clients?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void Report(TextWriter output, StageConfig stage, GpuDevice device, StageWorldHost? host, Round round)
    {
        EngineStatistics stats = round.Statistics;
        double elapsedS = round.ElapsedS;
        PercentileSummary frame = stats.FrameMs.Summarise(), render = stats.RenderMs.Summarise(), age = stats.PoseAgeMs.Summarise(), latch = stats.LatchToSubmitMs.Summarise();
        output.WriteLine($"{stage.Name}: {stats.Frames} frames in {elapsedS:0.0} s on {device.Info.Name}");
        output.WriteLine(Inv($"  fps {stats.Frames / elapsedS:0.00} of {stage.FrameRate.FramesPerSecond:0.###} ({stats.Frames / elapsedS / stage.FrameRate.FramesPerSecond:0.00}× the stage rate); dropped {stats.DroppedFrames}, late {stats.LateFrames}, faulted {stats.FaultedFrames}"));
        output.WriteLine(Inv($"  frame time  p50 {frame.P50:0.00} ms  p99 {frame.P99:0.00} ms"));
        output.WriteLine(Inv($"  render      p50 {render.P50:0.00} ms  p99 {render.P99:0.00} ms (GPU work, submit → read back)"));
        output.WriteLine(Inv($"  pose age    p50 {age.P50:0.000} ms  p99 {age.P99:0.000} ms (tracker receive → frame submit)"));
        if (host is not null)
            output.WriteLine(Inv($"  world       {host.World.Entities.Count} entities, {stats.WorldSteps} steps at {host.StepRateHz} Hz ({stats.WorldSteps / (double)Math.Max(1, stats.Frames):0.0} per frame), hashed once per frame"));
        output.WriteLine(Inv($"  engine overhead (latch → submit) p50 {latch.P50:0.000} ms  p99 {latch.P99:0.000} ms (target p99 < 1 ms)"));
    }

    /// <summary>Rounds without and with pages, alternated in one sitting (a shared machine drifts; alternation spreads the drift over both).</summary>
    private static int ComparePages(TextWriter output, StageConfig stage, GpuDevice device, StageWorldHost? host, Parts parts, int pages, int rounds, CancellationToken cancellation)
    {
        output.WriteLine($"{stage.Name} on {device.Info.Name}: {rounds} × (0 pages, {pages} pages), {parts.Frames} frames a round; the operator page served in both");
        var without = new List<double>();
        var with = new List<double>();
        var push = new List<double>();
        for (int r = 1; r <= rounds && !cancellation.IsCancellationRequested; r++)
        {
            foreach (int count in new[] { 0, pages })
            {
                Round round = Measure(parts, count, cancellation);
                PercentileSummary frame = round.Statistics.FrameMs.Summarise();
                (count == 0 ? without : with).Add(frame.P99);
                string line = Inv($"  round {r}, {count} page(s): fps {round.Statistics.Frames / round.ElapsedS:0.00}, frame time p50 {frame.P50:0.00} ms p99 {frame.P99:0.00} ms, dropped {round.Statistics.DroppedFrames}, late {round.Statistics.LateFrames}");
                if (count > 0)
                {
                    push.AddRange(round.PushMs);
                    PercentileSummary p = Percentiles(round.PushMs);
                    line += Inv($"; {round.Events / round.ElapsedS / count:0.0} status events/s a page, push {PushText(p)} ({p.Count} pushes), {round.Thumbnails} thumbnails fetched");
                }
                output.WriteLine(line);
                output.Flush();
            }
        }
        PercentileSummary all = Percentiles([.. push]);
        output.WriteLine(Inv($"frame time p99 without pages: {string.Join(", ", without.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture)))} ms (median {Median(without):0.00})"));
        output.WriteLine(Inv($"frame time p99 with {pages} pages: {string.Join(", ", with.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture)))} ms (median {Median(with):0.00})"));
        output.WriteLine(Inv($"status push (engine publish → page received): {PushText(all)} over {all.Count} pushes (target p99 < 50 ms)"));
        return ExitCodes.Ok;
    }

    /// <summary>The push latency's percentiles, or a dash for each when no push arrived (a short round on a loaded machine).</summary>
    private static string PushText(PercentileSummary p) => p.Count == 0
        ? "p50 – ms p99 – ms max – ms (no push arrived in the round)"
        : Inv($"p50 {p.P50:0.00} ms p99 {p.P99:0.00} ms max {p.Max:0.00} ms");

    private static PercentileSummary Percentiles(double[] values)
    {
        if (values.Length == 0) return new PercentileSummary(double.NaN, double.NaN, double.NaN, 0);
        double[] sorted = [.. values.Order()];
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new PercentileSummary(At(0.5), At(0.99), sorted[^1], sorted.Length);
    }

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);

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
