using System.Numerics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Time;
using Stage.Engine;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Hosting.World;
using Stage.Takes;
using Stage.Tests.Shared;
using Stage.Tracking;

namespace Stage.Cluster.Tests;

/// <summary>
/// A cluster in one process: per node its own world (the traffic scene, ODE physics), frame loop, take log and
/// NATS connection; a renderer that only latches the cameras (the GPU is not what is under test). The primary's
/// camera moves (samples written into its pose buffer from a thread, as a tracker's receive thread does).
/// </summary>
internal sealed class ClusterHarness : IDisposable
{
    public static readonly string[] NodeIds = ["primary", "render-1", "render-2", "render-3"];
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-cluster-").FullName;
    private readonly List<Node> _nodes = [];

    public ClusterHarness(NatsServer server, double barrierTimeoutMs = 200, double snapshotEverySeconds = 1)
    {
        StageConfig rig = StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "test-rig.json")).Config!;
        Stage = rig with
        {
            TrackingSources = [],
            WorldScenePath = RepositoryPaths.Of("stage-configs", "worlds", "traffic.json"),
            Cluster = new ClusterConfig
            {
                Name = "test", ServerUrls = [server.Url], PrimaryId = "primary", BarrierTimeoutMs = barrierTimeoutMs, SnapshotEverySeconds = snapshotEverySeconds,
                Nodes = NodeIds.Select(id => new ClusterNodeConfig(id, [])).ToList(),
            },
        };
    }

    public StageConfig Stage { get; }

    /// <summary>Starts node <paramref name="id"/>; <paramref name="stallOnce"/>, asked before each world step, stalls that step by 60 ms the first time it says so (a node late with a frame).</summary>
    public Node Start(string id, long? maxFrames = null, ClusterNodeOptions? options = null, Func<bool>? stallOnce = null)
    {
        var node = new Node(this, id, maxFrames, options, stallOnce);
        lock (_nodes) _nodes.Add(node);
        return node;
    }

    public void Dispose()
    {
        lock (_nodes) foreach (Node node in _nodes) node.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal sealed class Node : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread, _tracker;
        private readonly StageWorldHost _world;
        private readonly TrackingSystem _tracking;
        private readonly TakeLog _takes;
        private readonly MeasuredWorld _measured;
        private readonly LatchingRenderer _renderer;

        public Node(ClusterHarness harness, string id, long? maxFrames, ClusterNodeOptions? options, Func<bool>? stallOnce)
        {
            Id = id;
            _world = StageWorldHost.Open(harness.Stage.WorldScenePath!, null, fresh: true, 1.0, _ => { });
            _tracking = TrackingSystem.Create(harness.Stage);
            _takes = TakeLog.Open(Path.Combine(harness._folder, $"{id}-{Guid.NewGuid():N}.sqlite"));
            _measured = new MeasuredWorld(_world, stallOnce ?? (() => false));
            _renderer = new LatchingRenderer(_measured);
            Link = ClusterNode.Connect(harness.Stage, id, _measured, NullLogger.Instance, options);
            Loop = new FrameLoop(harness.Stage, _tracking, _measured, _renderer, new HeadlessOutput(), _takes, NullLogger.Instance,
                new EngineOptions { Cluster = Link, MaxFrames = maxFrames, StatusEveryFrames = 1000 }, new StopwatchClock(), Timecode.FromFrameCount(0, harness.Stage.FrameRate));
            _thread = new Thread(() => Statistics = Loop.Run(_stop.Token)) { Name = $"cluster node {id}", IsBackground = true };
            _tracker = new Thread(Track) { Name = $"tracker {id}", IsBackground = true };
            if (Link.IsPrimary) _tracker.Start();
            _thread.Start();
        }

        public string Id { get; }

        public ClusterNode Link { get; }

        public FrameLoop Loop { get; }

        public EngineStatistics? Statistics { get; private set; }

        public ulong StateHash => _world.StateHash;

        public TakeLog Takes => _takes;

        /// <summary>
        /// The bytes the node's engine thread allocated from each drawn frame's render call to the next one's, less
        /// what the world's own step and hash allocated (the traffic world's contact events are objects, and its
        /// hash allocates when a car comes back: Stage.World's, not the cluster's), the
        /// last <paramref name="frames"/> of them.
        /// </summary>
        public long[] AllocatedPerFrame(int frames) => _renderer.AllocatedPerFrame(frames);

        public bool Join(TimeSpan timeout) => _thread.Join(timeout);

        /// <summary>A camera on a dolly: 100 samples a second, moving.</summary>
        private void Track()
        {
            long sequence = 0;
            while (!_stop.IsCancellationRequested)
            {
                long now = System.Diagnostics.Stopwatch.GetTimestamp();
                float t = (float)(now / (double)System.Diagnostics.Stopwatch.Frequency);
                foreach (var buffer in _tracking.Cameras)
                    buffer.Write(CameraSample.Create(buffer.CameraId, new Vector3(MathF.Sin(t), 1.6f, 3 + MathF.Cos(t)), Quaternion.CreateFromYawPitchRoll(0.3f * MathF.Sin(t), 0, 0), now, ++sequence));
                Thread.Sleep(10);
            }
        }

        /// <summary>Stops the node as a kill would (no end of run said to anyone).</summary>
        public void Kill()
        {
            _stop.Cancel();
            _thread.Join(TimeSpan.FromSeconds(10));
            Link.Dispose();
        }

        public void Dispose()
        {
            _stop.Cancel();
            _thread.Join(TimeSpan.FromSeconds(10));
            if (_tracker.IsAlive) _tracker.Join(TimeSpan.FromSeconds(2));
            Link.Dispose();
            _takes.Dispose();
            _tracking.Dispose();
            _world.Dispose();
        }
    }

    /// <summary>A world that counts what its steps and hashes allocate on the engine thread, and stalls one step when asked to (a node late with one frame's hash).</summary>
    private sealed class MeasuredWorld(IWorldHost inner, Func<bool> stallNow) : IWorldHost
    {
        private bool _stalled;

        /// <summary>Bytes the world's steps and state hashes allocated so far (engine thread).</summary>
        public long StepAllocatedBytes { get; private set; }

        public int StepRateHz => inner.StepRateHz;

        public long StepCount => inner.StepCount;

        public long WorldStep => inner.WorldStep;

        public ulong StateHash
        {
            get
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                ulong hash = inner.StateHash;
                StepAllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before;
                return hash;
            }
        }

        public int AdvanceToStep(long step)
        {
            if (!_stalled && stallNow())
            {
                _stalled = true;
                Thread.Sleep(60);
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            int steps = inner.AdvanceToStep(step);
            StepAllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before;
            return steps;
        }

        public byte[] Snapshot() => inner.Snapshot();

        public void SaveSnapshot(string path) => inner.SaveSnapshot(path);

        public void Restore(ReadOnlySpan<byte> snapshot) => inner.Restore(snapshot);

        public bool TrySetRule(string name, double value, out string message) => inner.TrySetRule(name, value, out message);
    }

    /// <summary>Latches the cameras as a real renderer does and completes each frame at once.</summary>
    private sealed class LatchingRenderer(MeasuredWorld world) : IFrameRenderer
    {
        // GC.GetAllocatedBytesForCurrentThread at each render call, on the engine thread (preallocated: sampling allocates nothing).
        private readonly long[] _allocatedAt = new long[8192];
        private int _rendered;

        public long[] AllocatedPerFrame(int frames)
        {
            int rendered = Volatile.Read(ref _rendered);
            int count = Math.Min(frames, Math.Min(rendered, _allocatedAt.Length) - 1);
            var perFrame = new long[Math.Max(0, count)];
            for (int i = 0; i < perFrame.Length; i++)
            {
                int at = rendered - count + i;
                perFrame[i] = _allocatedAt[at % _allocatedAt.Length] - _allocatedAt[(at - 1) % _allocatedAt.Length];
            }
            return perFrame;
        }

        public IReadOnlyList<PassTiming> LastPassTimings { get; } = [];

        public long ReadbackBytes => 0;

        public void Render(in FrameRequest request, ICameraLatch latch, IFrameSink sink)
        {
            _allocatedAt[_rendered % _allocatedAt.Length] = GC.GetAllocatedBytesForCurrentThread() - world.StepAllocatedBytes;
            Volatile.Write(ref _rendered, _rendered + 1);
            latch.Latch();
            latch.Submitted(double.NaN);
            long now = System.Diagnostics.Stopwatch.GetTimestamp();
            sink.Completed(new FrameCompletionTimes(request.Tick, now, now, 0, double.NaN));
        }

        public void Collect(IFrameSink sink, bool wait)
        {
        }

        public void Dispose()
        {
        }
    }
}
