using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Cluster;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Time;
using Stage.Engine;
using Stage.Engine.Outputs;
using Stage.Engine.Statistics;
using Stage.Engine.Timing;
using Stage.Hosting.World;
using Stage.Takes;
using Stage.Tracking;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// <c>stage bench cluster</c>: 1, 2 and 4 nodes of one cluster in this process over a nats-server on loopback,
/// each with its own traffic world and frame loop (a renderer that latches and completes at once: the figures are
/// the cluster's, not the GPU's). Per size: frame input publish → last node received p50/p99, barrier wait p99,
/// present skew p99, as ms and as ratios of the frame period.
/// </summary>
public static class ClusterBench
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var seconds = new Option<double>("--seconds") { Description = "Seconds of frames measured per cluster size (after 3 s of warm-up: the nodes join and catch up).", DefaultValueFactory = _ => 8 };
        var command = new Command("cluster",
            "A primary and 0, 1 and 3 render nodes over a local nats-server (JetStream): frame input publish → last node received p50/p99, " +
            "barrier wait p99 and present skew p99, as ratios of the frame period (target: barrier + distribution p99 < 2 ms on loopback).")
        { seconds };
        command.SetAction(result => Run(output, error, Math.Max(1, result.GetValue(seconds))));
        return command;
    }

    private static int Run(TextWriter output, TextWriter error, double seconds)
    {
        string root = FindRoot();
        StageConfig rig = Stage.Tracking.StageConfigFile.Load(Path.Combine(root, "stage-configs", "test-rig.json")).Config!;
        double periodMs = 1000.0 * rig.FrameRate.Denominator / rig.FrameRate.Numerator;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cluster bench: test-rig at {rig.FrameRate} fps (frame period {periodMs:0.00} ms), traffic world, nats-server on loopback"));
        output.WriteLine("nodes | distribution p50 | distribution p99 | barrier p99 | skew p99 | barrier + distribution p99 (of a frame) | distribution p99 × the core-NATS floor | live share | nodes' input → ready p50 / p99 (what a split input could overlap)");
        foreach (int nodes in new[] { 1, 2, 4 })
        {
            string store = Directory.CreateTempSubdirectory("stage-bench-nats-").FullName;
            int port = FreePort();
            using Process server = Process.Start(new ProcessStartInfo("nats-server", ["-js", "-sd", store, "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            try
            {
                WaitListening(port);
                // The baseline, in the same run on the same server: what loopback NATS itself gives on this machine now.
                (PercentileSummary core, PercentileSummary stream) = NatsFloor.Measure($"nats://127.0.0.1:{port}");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"      floor (server of the {nodes}-node run): 122 B publish → receive, core NATS p50 {core.P50:0.000} ms p99 {core.P99:0.000} ms; JetStream (acknowledged, ordered consumer) p50 {stream.P50:0.000} ms p99 {stream.P99:0.000} ms"));
                string[] ids = [.. Enumerable.Range(0, nodes).Select(i => i == 0 ? "primary" : $"render-{i}")];
                StageConfig stage = rig with
                {
                    TrackingSources = [],
                    WorldScenePath = Path.Combine(root, "stage-configs", "worlds", "traffic.json"),
                    Cluster = new ClusterConfig { Name = "bench", ServerUrls = [$"nats://127.0.0.1:{port}"], PrimaryId = "primary", Nodes = ids.Select(id => new ClusterNodeConfig(id, [])).ToList() },
                };
                long frames = (long)(seconds * rig.FrameRate.FramesPerSecond);
                var running = ids.Select(id => new BenchNode(stage, id, id == "primary" ? frames + 72 : null)).ToList();
                // Warm-up: the nodes join from the first snapshot and catch up; the figures are of the steady frames after it.
                Thread.Sleep(TimeSpan.FromSeconds(3));
                foreach (BenchNode node in running) node.Link.ResetFigures();
                foreach (BenchNode node in running) node.Thread.Join(TimeSpan.FromSeconds(seconds * 4 + 30));
                ClusterNode primary = running[0].Link;
                PresentFigures figures = primary.Figures();
                double barrierP99 = running.Max(n => n.Link.BarrierWait.P99);
                PercentileSummary d = figures.DistributionMs, s = figures.SkewMs;
                double sum = (nodes == 1 ? 0 : d.P99) + barrierP99;
                long followed = running.Skip(1).Sum(n => n.Link.FramesFollowed), live = running.Skip(1).Sum(n => n.Link.FramesLive);
                string overFloor = nodes == 1 || core.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{d.P99 / core.P99:0.0}×");
                // A render node's frame from its input's arrival to its "ready": its world step, hash and record — the
                // most an early message with the frame's step and commands (before the poses) could take off the barrier.
                PercentileSummary[] toReady = [.. running.Skip(1).Select(n => n.Link.ReceiveToReady).Where(r => r.Count > 0)];
                string receiveToReady = toReady.Length == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{toReady.Max(r => r.P50):0.000} / {toReady.Max(r => r.P99):0.000} ms");
                string liveShare = followed == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * live / followed:0}% of {followed} inputs");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{nodes,5} | {Show(d.P50, periodMs, nodes)} | {Show(d.P99, periodMs, nodes)} | {barrierP99:0.000} ms ({barrierP99 / periodMs:0.0000}) | {Show(s.P99, periodMs, nodes)} | {sum:0.000} ms ({sum / periodMs:0.0000}){(sum < 2 ? "" : "  ABOVE the 2 ms target")} | {overFloor} | {liveShare} | {receiveToReady}"));
                foreach (var agreement in primary.Agreements)
                    if (agreement.Diverged > 0) error.WriteLine($"cluster bench: node {agreement.NodeId} diverged at frame {agreement.FirstDivergedFrame}");
                foreach (BenchNode node in running) node.Dispose();
            }
            finally
            {
                server.Kill();
                server.WaitForExit();
                Directory.Delete(store, recursive: true);
            }
        }
        return 0;
    }

    private static string Show(double ms, double periodMs, int nodes) =>
        nodes == 1 || double.IsNaN(ms) ? "–" : string.Create(CultureInfo.InvariantCulture, $"{ms:0.000} ms ({ms / periodMs:0.0000})");

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void WaitListening(int port)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new InvalidOperationException($"nats-server did not listen on port {port}");
    }

    private static string FindRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "Stage.sln"))) return dir;
        throw new InvalidOperationException("the repository (Stage.sln) is not above the benchmark's folder");
    }

    /// <summary>One node: its world, frame loop, take log and link; the primary's camera moves.</summary>
    private sealed class BenchNode : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly StageWorldHost _world;
        private readonly TrackingSystem _tracking;
        private readonly TakeLog _takes;
        private readonly string _takePath = Path.Combine(Path.GetTempPath(), $"stage-bench-cluster-{Guid.NewGuid():N}.sqlite");

        public BenchNode(StageConfig stage, string id, long? frames)
        {
            _world = StageWorldHost.Open(stage.WorldScenePath!, null, fresh: true, 1.0, _ => { });
            _tracking = TrackingSystem.Create(stage);
            _takes = TakeLog.Open(_takePath);
            Link = ClusterNode.Connect(stage, id, _world, NullLogger.Instance);
            var loop = new FrameLoop(stage, _tracking, _world, new LatchingRenderer(), new HeadlessOutput(), _takes, NullLogger.Instance,
                new EngineOptions { Cluster = Link, MaxFrames = frames, StatusEveryFrames = 100000 }, new StopwatchClock(), Timecode.FromFrameCount(0, stage.FrameRate));
            if (Link.IsPrimary)
                foreach (var buffer in _tracking.Cameras)
                    buffer.Write(CameraSample.Create(buffer.CameraId, new Vector3(0, 1.6f, 3), Quaternion.Identity, Stopwatch.GetTimestamp(), 1));
            Thread = new Thread(() => loop.Run(_stop.Token)) { Name = $"bench node {id}", IsBackground = true };
            Thread.Start();
        }

        public ClusterNode Link { get; }

        public Thread Thread { get; }

        public void Dispose()
        {
            _stop.Cancel();
            Thread.Join(TimeSpan.FromSeconds(10));
            Link.Dispose();
            _takes.Dispose();
            _tracking.Dispose();
            _world.Dispose();
            File.Delete(_takePath);
        }
    }

    private sealed class LatchingRenderer : IFrameRenderer
    {
        public IReadOnlyList<PassTiming> LastPassTimings { get; } = [];

        public long ReadbackBytes => 0;

        public void Render(in FrameRequest request, ICameraLatch latch, IFrameSink sink)
        {
            latch.Latch();
            latch.Submitted(double.NaN);
        }

        public void Collect(IFrameSink sink, bool wait)
        {
        }

        public void Dispose()
        {
        }
    }
}
