using System.Collections.Concurrent;
using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.ObjectStore;
using NATS.Client.ObjectStore.Models;
using Stage.Core.Configuration;
using Stage.Engine;
using Stage.Engine.Cluster;
using Stage.Engine.Statistics;
using Stage.World;

namespace Stage.Cluster;

/// <summary>Test and rehearsal hooks of a cluster node (never set on a stage).</summary>
public sealed record ClusterNodeOptions
{
    /// <summary>A render node applies <see cref="InjectedCommand"/> on top of the primary's commands at this frame (a deliberate divergence; -1: never).</summary>
    public long DivergeAtFrame { get; init; } = -1;

    /// <summary>The command a divergence injects.</summary>
    public WorldRuleCommand InjectedCommand { get; init; } = new("gravityScale", 0);

    /// <summary>How long a node waits for the primary's first snapshot before it gives up.</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// One node of a render cluster over NATS (docs/cluster.md), the frame loop's <see cref="IFrameLink"/>.
/// The primary publishes each frame input to the JetStream stream (in order, from one publisher task, retried
/// while the server is away), stores a world snapshot every few seconds in the object store, compares every
/// node's world hash with its own and, on a divergence, has every node store its snapshot at a later frame to
/// name the first entity that differs. A render node joins from the latest snapshot, replays the stream from
/// there, and follows it. Every node publishes its hash, takes part in the frame barrier and reports when it
/// presented.
/// </summary>
public sealed class ClusterNode : IFrameLink, IDisposable
{
    private const int InputQueue = 4096;
    private static readonly TimeSpan SnapshotReadTimeout = TimeSpan.FromSeconds(2);
    // Input buffers are rented on the engine thread and returned on the publisher's: a pool shared across threads
    // (the shared pool's per-thread caches would leave the engine thread renting new arrays every frame).
    private static readonly ArrayPool<byte> InputBuffers = ArrayPool<byte>.Create(64 * 1024, 64);
    private readonly ClusterConfig _cluster;
    private readonly StageConfig _stage;
    private readonly ILogger _log;
    private readonly ClusterNodeOptions _options;
    private readonly IWorldHost? _world;
    private readonly NatsConnection _nats;
    private readonly NatsJSContext _js;
    private readonly NatsObjContext _objects;
    private readonly string _stream, _inputSubject, _liveSubject, _hashSubject, _readySubject, _presentSubject, _bucket;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly FrameBarrier _barrier;
    // The core-NATS messages leave through a writer thread of their own (nothing allocated on the engine thread).
    private readonly CoreWriter _core;
    private const int LiveSubject = 0, HashSubject = 1, ReadySubject = 2, PresentSubject = 3;
    private readonly HashLedger? _ledger;
    private readonly PresentLedger? _presents;
    // Primary: the frame inputs (and snapshots) for the stream, in order, for the publisher thread. A queue and a
    // semaphore the publisher waits on synchronously, not a channel: waking an async reader from the engine thread
    // queues its continuation, which allocated there every frame.
    private readonly ConcurrentQueue<Outgoing>? _outgoing;
    private readonly SemaphoreSlim _outgoingSignal = new(0, int.MaxValue);
    private int _outgoingCount;
    private volatile bool _outgoingDone;
    private Thread? _publisher;
    // Frame inputs as they arrive, from the live subject and from the stream (pooled buffers: nothing allocated per frame).
    private readonly Channel<Incoming> _incoming = Channel.CreateBounded<Incoming>(new BoundedChannelOptions(InputQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    // The newest frame number that arrived on either feed: a node whose input is older is behind.
    private long _newestArrived = long.MinValue;
    private readonly ManualResetEventSlim _arrivedSignal = new(false);
    private CancellationToken _receiveToken;
    private CancellationTokenSource? _receiveLinked;
    private readonly FrameInput _received;
    private readonly byte[] _small = new byte[64];
    private RollingPercentiles _barrierMs = new(65536);
    // Render node: its frame's input arrived → it said "ready" (its world step, hash and record up to the submit):
    // the work an early, split input would overlap with the primary's frame (docs/cluster.md).
    private RollingPercentiles _receiveToReadyMs = new(65536);
    private INatsObjStore? _store;
    private CancellationTokenSource? _consumer;
    private Task<SnapshotEnvelope>? _prefetch;
    private long _lastFrame = long.MinValue;
    private long _lastPublished = -1;
    private long _published;
    private long _lastReceiveStamp;
    private long _nextSnapshotStamp = long.MinValue;
    private long _droppedFromBarrier;
    private long _publishRetries;
    private int _diagnoseNext;
    private int _diagnosing = -1;
    private readonly List<string> _alarms = [];
    private readonly Lock _alarmLock = new();

    private ClusterNode(ClusterConfig cluster, string nodeId, StageConfig stage, IWorldHost? world, ILogger log, ClusterNodeOptions options, NatsConnection nats)
    {
        _cluster = cluster;
        _stage = stage;
        _world = world;
        _log = log;
        _options = options;
        _nats = nats;
        NodeId = nodeId;
        NodeIndex = cluster.Nodes.ToList().FindIndex(n => n.Id == nodeId);
        if (NodeIndex < 0) throw new ArgumentException($"the cluster has no node '{nodeId}' (nodes: {string.Join(", ", cluster.Nodes.Select(n => n.Id))})", nameof(nodeId));
        IsPrimary = nodeId == cluster.PrimaryId;
        _js = new NatsJSContext(nats);
        _objects = new NatsObjContext(_js);
        _stream = "STAGE_" + cluster.Name.ToUpperInvariant().Replace('-', '_');
        _inputSubject = $"stage.{cluster.Name}.input";
        _liveSubject = $"stage.{cluster.Name}.live";
        _hashSubject = $"stage.{cluster.Name}.hash";
        _readySubject = $"stage.{cluster.Name}.ready";
        _presentSubject = $"stage.{cluster.Name}.present";
        _bucket = $"stage-{cluster.Name}-snapshots";
        _received = new FrameInput(stage.Cameras.Count);
        _core = new CoreWriter(nats, [_liveSubject, _hashSubject, _readySubject, _presentSubject], $"cluster {nodeId} NATS writer");
        _barrier = new FrameBarrier(NodeIndex, cluster.Nodes.Count, cluster.BarrierTimeoutMs)
        {
            Joined = (node, frame) => _log.LogInformation("Cluster: node {Node} is in the frame barrier from frame {Frame}", _cluster.Nodes[node].Id, frame),
        };
        if (IsPrimary)
        {
            _ledger = new HashLedger(cluster.Nodes.Select(n => n.Id).ToList(), NodeIndex);
            _ledger.Diverged += OnDiverged;
            _presents = new PresentLedger(cluster.Nodes.Count);
            _outgoing = new ConcurrentQueue<Outgoing>();
        }
    }

    /// <summary>This node's id.</summary>
    public string NodeId { get; }

    /// <summary>This node's index in the configuration.</summary>
    public int NodeIndex { get; }

    /// <summary>True on the primary.</summary>
    public bool IsPrimary { get; }

    /// <inheritdoc />
    public bool Follows => !IsPrimary;

    /// <summary>Divergence alarms so far (primary), one line each: node, frame, first entity that differs.</summary>
    public IReadOnlyList<string> Alarms
    {
        get
        {
            lock (_alarmLock) return [.. _alarms];
        }
    }

    /// <summary>Every render node's agreement with the primary so far (primary; empty on a render node).</summary>
    public IReadOnlyList<NodeAgreement> Agreements => _ledger?.Agreements() ?? [];

    /// <summary>Frames this node followed from the stream (render node).</summary>
    public long FramesFollowed { get; private set; }

    /// <summary>Core-NATS writes that the client did not take at once (each cost the writer thread a task; never the engine thread).</summary>
    public long WritesNotAtOnce => _core.NotAtOnce;

    /// <summary>Core-NATS messages dropped (the writer's ring full, the server away): fire and forget, a lost message costs a comparison or a barrier timeout.</summary>
    public long CoreMessagesDropped => _core.Dropped;

    /// <summary>Of the frames followed, those that came first on the live subject (core NATS) rather than the stream (render node).</summary>
    public long FramesLive { get; private set; }

    /// <summary>The first frame this node followed (render node; -1: none yet).</summary>
    public long FirstFollowed { get; private set; } = -1;

    /// <summary>The last frame this node followed or (primary) published (-1: none yet).</summary>
    public long LastFrame => _lastFrame == long.MinValue ? -1 : _lastFrame;

    /// <inheritdoc />
    public bool Behind { get; private set; }

    /// <summary>Times this node joined from a snapshot (render node: 1 at start, more after a gap).</summary>
    public int Joins { get; private set; }

    /// <summary>
    /// Connects to the cluster's NATS servers and sets the node up: the primary makes (afresh) the frame-input
    /// stream and the snapshot bucket; a render node finds them (waiting for the primary). Throws
    /// <see cref="ClusterException"/> with the reason when the servers cannot be reached.
    /// </summary>
    public static ClusterNode Connect(StageConfig stage, string nodeId, IWorldHost? world, ILogger log, ClusterNodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ClusterConfig cluster = stage.Cluster ?? throw new ClusterException($"{stage.SourcePath} has no cluster section");
        var nats = new NatsConnection(new NatsOpts
        {
            Url = string.Join(",", cluster.ServerUrls),
            Name = $"stage-{cluster.Name}-{nodeId}",
            // Hold on: the server going away is a pause, not the end (docs/cluster.md).
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(500),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            RequestTimeout = TimeSpan.FromSeconds(2),
        });
        ClusterNode? node = null;
        try
        {
            Wait(nats.ConnectAsync());
            node = new ClusterNode(cluster, nodeId, stage, world, log, options ?? new ClusterNodeOptions(), nats);
            node.Start();
            return node;
        }
        catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException or NatsJSException)
        {
            node?.Dispose();
            if (node is null) Wait(nats.DisposeAsync());
            throw new ClusterException($"cluster '{cluster.Name}': cannot reach NATS at {string.Join(", ", cluster.ServerUrls)}: {e.Message}", e);
        }
    }

    private void Start()
    {
        if (IsPrimary)
        {
            // A new run: the old log and snapshots would mislead a node that joins.
            try
            {
                Wait(_js.DeleteStreamAsync(_stream));
            }
            catch (NatsJSApiException e) when (e.Error.Code == 404)
            {
            }
            try
            {
                Wait(_objects.DeleteObjectStore(_bucket, CancellationToken.None));
            }
            catch (NatsJSApiException e) when (e.Error.Code == 404)
            {
            }
            Wait(_js.CreateStreamAsync(new StreamConfig(_stream, [_inputSubject])
            {
                Storage = StreamConfigStorage.File,
                // A node that rejoins replays from the latest snapshot; an hour of frames is far more than it needs.
                MaxAge = TimeSpan.FromHours(1),
                DuplicateWindow = TimeSpan.FromMinutes(1),
            }));
            _store = Wait(_objects.CreateObjectStoreAsync(new NatsObjConfig(_bucket) { Storage = NatsObjStorageType.File }));
            _publisher = new Thread(PublishLoop) { Name = $"cluster {NodeId} stream publisher", IsBackground = true };
            _publisher.Start();
            _tasks.Add(Task.Run(() => Listen(_hashSubject, OnHash)));
            _tasks.Add(Task.Run(() => Listen(_presentSubject, OnPresent)));
        }
        _tasks.Add(Task.Run(() => Listen(_readySubject, OnReady)));
        if (!IsPrimary) _tasks.Add(Task.Run(ListenLive));
        // A render node fetches its snapshot and starts following the stream now, while the GPU is built (a restarted node rejoins sooner).
        _log.LogInformation("Cluster: node {Node} connected to {Servers}{What}", NodeId, string.Join(", ", _cluster.ServerUrls),
            IsPrimary ? "; a new run's stream and snapshot bucket made" : "; fetching the latest world snapshot while the GPU is built");
        if (!IsPrimary)
            _prefetch = Task.Run(() =>
            {
                SnapshotEnvelope snapshot = FetchSnapshot(_stop.Token);
                FollowFrom(snapshot);
                return snapshot;
            });
    }

    // ---- primary ----

    /// <inheritdoc />
    public void Publish(FrameInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsPrimary) throw new InvalidOperationException("only the primary publishes frame inputs");
        // A divergence being diagnosed: every node stores its snapshot after this frame's step.
        input.DiagnosticSnapshot = Interlocked.Exchange(ref _diagnoseNext, 0) == 1;
        input.PreviousFrame = _lastPublished;
        _lastPublished = input.Frame;
        if (!input.EndOfRun)
        {
            _published++;
            _lastFrame = input.Frame;
        }
        int size = FrameInputCodec.SizeOf(input);
        byte[] buffer = InputBuffers.Rent(size);
        int length = FrameInputCodec.Encode(input, buffer);
        long stamp = Stopwatch.GetTimestamp();
        _presents!.Published(input.Frame, stamp);
        // The low-latency fan-out first (copied into the writer's ring: the buffer stays the stream publisher's),
        // skipped while the server is away (the stream's publisher retries; the nodes follow the stream then).
        _core.TrySend(LiveSubject, buffer.AsSpan(0, length));
        if (!Enqueue(new Outgoing(buffer, length, input.Frame, null)))
        {
            InputBuffers.Return(buffer);
            _log.LogError("Cluster: {Count} frame inputs wait for the NATS server; frame {Frame} is not published (nodes will rejoin from a snapshot)", InputQueue, input.Frame);
        }
    }

    /// <summary>Queues an input (or a snapshot) for the stream; false when <see cref="InputQueue"/> are already waiting. Allocates nothing.</summary>
    private bool Enqueue(Outgoing item)
    {
        if (Interlocked.Increment(ref _outgoingCount) > InputQueue)
        {
            Interlocked.Decrement(ref _outgoingCount);
            return false;
        }
        _outgoing!.Enqueue(item);
        _outgoingSignal.Release();
        return true;
    }

    /// <summary>The primary's stream publisher thread: each input in order, acknowledged before the next (the stream's publishes are async; this thread waits for them).</summary>
    private void PublishLoop()
    {
        ulong lastSequence = 0;
        bool away = false;
        while (true)
        {
            // A timed wait (a wait on a token registers, and allocates, each time): the end is seen within 50 ms.
            if (!_outgoingSignal.Wait(50))
            {
                if (_outgoingDone || _stop.IsCancellationRequested) return;
                continue;
            }
            _outgoing!.TryDequeue(out Outgoing item);
            Interlocked.Decrement(ref _outgoingCount);
            if (!PublishOne(item, ref lastSequence, ref away)) return;
        }
    }

    /// <summary>Publishes one input to the stream (retried in order while the server is away) or stores one snapshot; false when the node stops.</summary>
    private bool PublishOne(Outgoing item, ref ulong lastSequence, ref bool away)
    {
        if (item.Snapshot is { } snapshot)
        {
            // In turn under three names: a node reading the newest has two snapshot periods before it is replaced.
            PutSnapshot(snapshot with { InputSequence = lastSequence }, WorldSnapshotName(_snapshotsStored++ % WorldSnapshotNames)).GetAwaiter().GetResult();
            return true;
        }
        try
        {
            // In order, each acknowledged before the next: the log never has a hole, however long the server is away.
            while (true)
            {
                try
                {
                    PubAckResponse ack = Wait(_js.PublishAsync(_inputSubject, new ReadOnlyMemory<byte>(item.Buffer, 0, item.Length),
                        opts: new NatsJSPubOpts { MsgId = item.Frame.ToString(CultureInfo.InvariantCulture) }, cancellationToken: _stop.Token));
                    ack.EnsureSuccess();
                    lastSequence = ack.Seq;
                    if (away) _log.LogWarning("Cluster: the NATS server is back; frame inputs flow again from frame {Frame}", item.Frame);
                    away = false;
                    return true;
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return false;
                }
                catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException)
                {
                    _publishRetries++;
                    if (!away) _log.LogWarning("Cluster: frame input {Frame} not acknowledged ({Reason}); the primary keeps running and retries in order", item.Frame, e.Message);
                    away = true;
                    if (_stop.Token.WaitHandle.WaitOne(100)) return false;
                }
            }
        }
        finally
        {
            InputBuffers.Return(item.Buffer);
        }
    }

    private async Task PutSnapshot(SnapshotEnvelope snapshot, string name)
    {
        try
        {
            using var bytes = new MemoryStream(snapshot.Encode(), writable: false);
            // The description carries the frame, so that a joining node finds the newest without reading every snapshot.
            await _store!.PutAsync(new ObjectMetadata { Name = name, Description = snapshot.Frame.ToString(CultureInfo.InvariantCulture) }, bytes, leaveOpen: false, _stop.Token);
        }
        catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException or NatsObjException)
        {
            if (!_stop.IsCancellationRequested) _log.LogWarning("Cluster: world snapshot '{Name}' of frame {Frame} not stored ({Reason})", name, snapshot.Frame, e.Message);
        }
    }

    private void OnHash(ReadOnlySpan<byte> data)
    {
        if (data.Length < 26) return;
        int node = BinaryPrimitives.ReadUInt16LittleEndian(data);
        long frame = BinaryPrimitives.ReadInt64LittleEndian(data[2..]);
        ulong hash = BinaryPrimitives.ReadUInt64LittleEndian(data[18..]);
        if (node != NodeIndex) _ledger!.Record(node, frame, hash);
    }

    private void OnPresent(ReadOnlySpan<byte> data)
    {
        if (data.Length < 34) return;
        int node = BinaryPrimitives.ReadUInt16LittleEndian(data);
        long frame = BinaryPrimitives.ReadInt64LittleEndian(data[2..]);
        long presented = BinaryPrimitives.ReadInt64LittleEndian(data[10..]);
        long received = BinaryPrimitives.ReadInt64LittleEndian(data[18..]);
        double barrierMs = BinaryPrimitives.ReadDoubleLittleEndian(data[26..]);
        _presents!.Presented(node, frame, presented, received, barrierMs);
    }

    private void OnDiverged(int node, long frame, ulong nodeHash, ulong primaryHash)
    {
        string line = $"node {_cluster.Nodes[node].Id} diverged at frame {frame}: world hash {nodeHash:x16}, the primary's {primaryHash:x16}";
        _log.LogError("Cluster ALARM: {Divergence}", line);
        lock (_alarmLock) _alarms.Add(line);
        // Name the entity: every node stores its snapshot after the next frame published (the primary is already past the frame it just compared).
        if (Interlocked.CompareExchange(ref _diagnosing, node, -1) == -1) Volatile.Write(ref _diagnoseNext, 1);
    }

    /// <inheritdoc />
    public void TakeStarted(long frame) => _ledger?.OpenWindow(frame);

    /// <inheritdoc />
    public IReadOnlyList<Stage.Takes.TakeNode> TakeStopped(long lastFrame)
    {
        if (_ledger is null) return [];
        // The nodes' hashes of the take's last frames may still be on their way: wait for them (usually they are in
        // already, as each node sent its hash before its "ready"). Bounded by two frame periods or 250 ms, whichever is
        // longer: a node running a few frames behind (a loaded machine) still has its last frames counted, and a stop
        // never holds the primary longer than that.
        long lastPublished = Math.Min(lastFrame, LastFrame);
        TimeSpan bound = TimeSpan.FromSeconds(Math.Max(0.25, 2.0 * _stage.FrameRate.Denominator / _stage.FrameRate.Numerator));
        if (!_ledger.WaitForFrame(lastPublished, bound))
            _log.LogWarning("Cluster: at the take's stop not every node's hash of frame {Frame} had arrived within {Ms:0} ms; the take counts the frames compared so far", lastPublished, bound.TotalMilliseconds);
        var window = _ledger.CloseWindow(lastFrame);
        var nodes = new List<Stage.Takes.TakeNode>(_cluster.Nodes.Count);
        for (int i = 0; i < _cluster.Nodes.Count; i++)
        {
            ClusterNodeConfig node = _cluster.Nodes[i];
            nodes.Add(i == NodeIndex
                ? new Stage.Takes.TakeNode(node.Id, true, node.Outputs, 0, 0, -1)
                : new Stage.Takes.TakeNode(node.Id, false, node.Outputs, window[i].Compared, window[i].Agreed, window[i].FirstDiverged));
        }
        return nodes;
    }

    // ---- render node ----

    /// <inheritdoc />
    public FrameInput? Receive(CancellationToken cancellation)
    {
        if (IsPrimary) throw new InvalidOperationException("the primary does not follow frame inputs");
        // One linked token for the run (the loop passes the same one every frame): nothing allocated per frame.
        if (_receiveLinked is null || _receiveToken != cancellation)
        {
            _receiveLinked?.Dispose();
            (_receiveLinked, _receiveToken) = (CancellationTokenSource.CreateLinkedTokenSource(cancellation, _stop.Token), cancellation);
        }
        CancellationToken token = _receiveLinked.Token;
        try
        {
            if (Joins == 0) Join(token);
            while (true)
            {
                Incoming item = ReadNext(token);
                try
                {
                    FrameInputCodec.Decode(item.Data.Memory.Span, _stage.FrameRate, _received);
                }
                catch (FormatException e)
                {
                    // The stream will bring a live input again, in order; an unreadable one from the stream is a gap.
                    if (item.Live) continue;
                    _log.LogError("Cluster: a frame input after frame {Frame} is unreadable ({Reason}); joining again from the latest snapshot", _lastFrame, e.Message);
                    Join(token);
                    continue;
                }
                finally
                {
                    item.Data.Dispose();
                }
                if (_received.Frame <= _lastFrame) continue;
                if (_received.PreviousFrame != _lastFrame)
                {
                    // A live input ahead of the one due (the node replays from the stream): the stream brings it in its turn.
                    if (item.Live) continue;
                    _log.LogWarning("Cluster: the inputs between frame {Last} and frame {Previous} never arrived; joining again from the latest snapshot", _lastFrame, _received.PreviousFrame);
                    Join(token);
                    continue;
                }
                if (_received.EndOfRun)
                {
                    _log.LogInformation("Cluster: the primary ended the run after frame {Frame}", _lastFrame);
                    return null;
                }
                _lastFrame = _received.Frame;
                if (FirstFollowed < 0) FirstFollowed = _received.Frame;
                _lastReceiveStamp = item.Stamp;
                Behind = Volatile.Read(ref _newestArrived) > _received.Frame;
                if (item.Live) FramesLive++;
                if (_received.Frame == _options.DivergeAtFrame)
                {
                    _received.Commands.Add(_options.InjectedCommand);
                    _log.LogWarning("Cluster test hook: node {Node} applies {Rule} = {Value} at frame {Frame}, which the primary did not send", NodeId, _options.InjectedCommand.Name, _options.InjectedCommand.Value, _received.Frame);
                }
                FramesFollowed++;
                return _received;
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private Incoming ReadNext(CancellationToken cancellation)
    {
        ChannelReader<Incoming> reader = _incoming.Reader;
        while (true)
        {
            // Reset before looking, so that an input written after the look still wakes the wait: blocking this
            // way allocates nothing (a channel's async wait made a Task per frame).
            _arrivedSignal.Reset();
            if (reader.TryRead(out Incoming item)) return item;
            if (reader.Completion.IsCompleted) throw new OperationCanceledException("the frame-input consumer stopped");
            // A timed wait, not one on the token: registering on the token each frame allocates; a stop is seen within 50 ms.
            cancellation.ThrowIfCancellationRequested();
            _arrivedSignal.Wait(50);
        }
    }

    /// <summary>Restores the world from the primary's latest snapshot and follows the stream from the frame after it.</summary>
    private void Join(CancellationToken cancellation)
    {
        SnapshotEnvelope snapshot;
        if (_prefetch is { } prefetched)
        {
            // The first join: fetched (and the stream followed from it) while this node built its GPU.
            _prefetch = null;
            snapshot = prefetched.GetAwaiter().GetResult();
        }
        else
        {
            _consumer?.Cancel();
            while (_incoming.Reader.TryRead(out Incoming stale)) stale.Data.Dispose();
            snapshot = FetchSnapshot(cancellation);
            FollowFrom(snapshot);
        }
        if (_world is not null)
        {
            _world.Restore(snapshot.Snapshot);
            if (_world.StateHash != snapshot.StateHash)
                _log.LogError("Cluster: the snapshot of frame {Frame} restored to hash {Hash:x16}, not the primary's {Expected:x16}", snapshot.Frame, _world.StateHash, snapshot.StateHash);
        }
        _lastFrame = snapshot.Frame;
        Joins++;
        _log.LogInformation("Cluster: node {Node} joined from the snapshot of frame {Frame} (engine step {Step}, hash {Hash:x16}); replaying from stream sequence {Sequence}",
            NodeId, snapshot.Frame, snapshot.EngineStep, snapshot.StateHash, snapshot.InputSequence + 1);
    }

    /// <summary>The primary's latest world snapshot from the object store, read again until one arrives whole (or the join times out).</summary>
    private SnapshotEnvelope FetchSnapshot(CancellationToken cancellation)
    {
        long started = Stopwatch.GetTimestamp();
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            // One attempt at most a few seconds: the primary replaces the object every few seconds, and a read that
            // began on the old one can wait for chunks already purged (found by the kill -9 test); then read again.
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            attempt.CancelAfter(SnapshotReadTimeout);
            try
            {
                _store ??= Wait(_objects.GetObjectStoreAsync(_bucket, attempt.Token));
                string? newest = null;
                long newestFrame = long.MinValue;
                for (int i = 0; i < WorldSnapshotNames; i++)
                {
                    ObjectMetadata info;
                    try
                    {
                        info = Wait(_store.GetInfoAsync(WorldSnapshotName(i), cancellationToken: attempt.Token));
                    }
                    catch (NatsObjNotFoundException)
                    {
                        continue;
                    }
                    if (long.TryParse(info.Description, NumberStyles.Integer, CultureInfo.InvariantCulture, out long frame) && frame > newestFrame)
                        (newest, newestFrame) = (info.Name, frame);
                }
                if (newest is null) throw new NatsObjNotFoundException("no world snapshot stored yet");
                return SnapshotEnvelope.Decode(Wait(_store.GetBytesAsync(newest, attempt.Token)));
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                _log.LogWarning("Cluster: node {Node}: the snapshot read took more than {Seconds} s (the primary replaced it meanwhile); reading the newest again", NodeId, SnapshotReadTimeout.TotalSeconds);
            }
            catch (Exception e) when (e is NatsException or NatsObjException or TimeoutException or NatsJSException or FormatException)
            {
                if (Stopwatch.GetElapsedTime(started) > _options.JoinTimeout)
                    throw new ClusterException($"node {NodeId}: no world snapshot from the primary in bucket '{_bucket}' after {_options.JoinTimeout.TotalSeconds:0} s ({e.Message})", e);
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>Follows the frame-input stream from the input after <paramref name="snapshot"/>'s frame, into the incoming queue.</summary>
    private void FollowFrom(SnapshotEnvelope snapshot)
    {
        _consumer = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        CancellationToken token = _consumer.Token;
        ulong start = snapshot.InputSequence + 1;
        lock (_tasks) _tasks.Add(Task.Run(() => Consume(start, token)));
    }

    /// <summary>A frame input arrived on either feed: noted (its frame number, from its header) and queued for the engine thread, which returns its buffer.</summary>
    private async ValueTask Arrived(NatsMemoryOwner<byte> data, bool live, CancellationToken cancellation)
    {
        long stamp = Stopwatch.GetTimestamp();
        if (data.Length < 16)
        {
            data.Dispose();
            return;
        }
        long frame = BinaryPrimitives.ReadInt64LittleEndian(data.Memory.Span[8..]);
        for (long seen = Volatile.Read(ref _newestArrived); frame > seen; seen = Volatile.Read(ref _newestArrived))
            if (Interlocked.CompareExchange(ref _newestArrived, frame, seen) == seen) break;
        var item = new Incoming(data, stamp, live);
        if (_incoming.Writer.TryWrite(item))
        {
            _arrivedSignal.Set();
            return;
        }
        // The live feed never waits (the stream has every input); the stream waits for room.
        if (live)
        {
            data.Dispose();
            return;
        }
        try
        {
            await _incoming.Writer.WriteAsync(item, cancellation);
            _arrivedSignal.Set();
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>Render node: the primary's inputs on the core-NATS live subject, the low-latency fan-out (the stream stays the ordered, durable log).</summary>
    private async Task ListenLive()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await foreach (NatsMsg<NatsMemoryOwner<byte>> msg in _nats.SubscribeAsync<NatsMemoryOwner<byte>>(_liveSubject, cancellationToken: _stop.Token))
                    await Arrived(msg.Data, live: true, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NatsException or ChannelClosedException)
            {
                if (e is ChannelClosedException) return;
                _log.LogWarning("Cluster: subscription {Subject} lost ({Reason}); subscribing again", _liveSubject, e.Message);
                await Task.Delay(200);
            }
        }
    }

    private async Task Consume(ulong startSequence, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                INatsJSConsumer consumer = await _js.CreateOrderedConsumerAsync(_stream, new NatsJSOrderedConsumerOpts
                {
                    DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence,
                    OptStartSeq = startSequence,
                    MaxResetAttempts = -1,
                }, cancellation);
                await foreach (NatsJSMsg<NatsMemoryOwner<byte>> msg in consumer.ConsumeAsync<NatsMemoryOwner<byte>>(cancellationToken: cancellation))
                {
                    if (msg.Metadata is { } metadata) startSequence = metadata.Sequence.Stream + 1;
                    await Arrived(msg.Data, live: false, cancellation);
                }
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
            catch (NatsJSApiException e) when (e.Error.Code == 404)
            {
                // The primary removes its stream when its run ends: this run is over.
                _log.LogInformation("Cluster: the primary's frame-input stream is gone ({Reason}); the run is over", e.Message);
                _incoming.Writer.TryComplete();
                _arrivedSignal.Set();
                return;
            }
            catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException)
            {
                _log.LogWarning("Cluster: node {Node} lost the frame-input stream ({Reason}); holding the last frame and following again from sequence {Sequence}", NodeId, e.Message, startSequence);
                try
                {
                    await Task.Delay(200, cancellation);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // ---- both ----

    /// <inheritdoc />
    public void WorldAdvanced(FrameInput input, IWorldHost? world)
    {
        ArgumentNullException.ThrowIfNull(input);
        ulong hash = world?.StateHash ?? 0;
        if (IsPrimary)
        {
            _ledger!.Record(NodeIndex, input.Frame, hash);
            long now = Stopwatch.GetTimestamp();
            if (world is not null && (_nextSnapshotStamp == long.MinValue || now >= _nextSnapshotStamp))
            {
                _nextSnapshotStamp = now + (long)(_cluster.SnapshotEverySeconds * Stopwatch.Frequency);
                // After this frame's input in the publisher's queue: the snapshot names that input's stream sequence.
                Enqueue(new Outgoing([], 0, input.Frame, new SnapshotEnvelope(input.Frame, 0, world.StepCount, hash, world.Snapshot())));
            }
        }
        else
        {
            Span<byte> m = _small;
            BinaryPrimitives.WriteUInt16LittleEndian(m, (ushort)NodeIndex);
            BinaryPrimitives.WriteInt64LittleEndian(m[2..], input.Frame);
            BinaryPrimitives.WriteInt64LittleEndian(m[10..], input.WorldStep);
            BinaryPrimitives.WriteUInt64LittleEndian(m[18..], hash);
            _core.TrySend(HashSubject, m[..26]);
        }
        if (input.DiagnosticSnapshot && world is not null) StoreDiagnostic(input.Frame, world, hash);
    }

    /// <summary>
    /// A divergence being diagnosed: this node's snapshot after the frame's step, stored (render node) or compared
    /// with the diverged node's (primary). A method of its own: its closures would otherwise be allocated on every
    /// frame's call of <see cref="WorldAdvanced"/>, not only on a diagnostic frame.
    /// </summary>
    private void StoreDiagnostic(long frame, IWorldHost world, ulong hash)
    {
        var envelope = new SnapshotEnvelope(frame, 0, world.StepCount, hash, world.Snapshot());
        string name = DiagnosticName(frame, NodeId);
        Task diagnostic = IsPrimary ? Task.Run(() => Diagnose(envelope)) : Task.Run(async () =>
        {
            _store ??= await _objects.GetObjectStoreAsync(_bucket, _stop.Token);
            await PutSnapshot(envelope, name);
        });
        lock (_tasks) _tasks.Add(diagnostic);
    }

    private const int WorldSnapshotNames = 3;
    private long _snapshotsStored;

    private static string WorldSnapshotName(long index) => "world-" + index.ToString(CultureInfo.InvariantCulture);

    private static string DiagnosticName(long frame, string node) => $"diagnostic-{frame}-{node}";

    /// <summary>Primary: waits for the diverged node's snapshot of the diagnostic frame and names the first difference.</summary>
    private async Task Diagnose(SnapshotEnvelope own)
    {
        int node = Volatile.Read(ref _diagnosing);
        if (node < 0) return;
        string nodeId = _cluster.Nodes[node].Id;
        string name = DiagnosticName(own.Frame, nodeId);
        long started = Stopwatch.GetTimestamp();
        while (!_stop.IsCancellationRequested && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(20))
        {
            try
            {
                SnapshotEnvelope theirs = SnapshotEnvelope.Decode(await _store!.GetBytesAsync(name, _stop.Token));
                WorldImage primaryImage = WorldCodec.DecodeSnapshot(own.Snapshot, $"the primary's world at frame {own.Frame}");
                WorldImage nodeImage = WorldCodec.DecodeSnapshot(theirs.Snapshot, $"node {nodeId}'s world at frame {own.Frame}");
                IReadOnlyList<string> differences = WorldDiff.Compare(primaryImage, nodeImage, 8);
                string first = differences.FirstOrDefault(d => d.StartsWith("entity", StringComparison.Ordinal)) ?? differences.FirstOrDefault() ?? "no difference in the snapshots";
                string line = $"node {nodeId} at frame {own.Frame}: first difference (primary → node) {first}";
                _log.LogError("Cluster ALARM: {Divergence}", line);
                lock (_alarmLock) _alarms.Add(line);
                return;
            }
            catch (Exception e) when (e is NatsObjNotFoundException or NatsJSApiException or NatsException)
            {
                await Task.Delay(100);
            }
            catch (Exception e) when (e is WorldFileException or FormatException)
            {
                _log.LogError("Cluster: the diagnostic snapshots of frame {Frame} cannot be compared: {Reason}", own.Frame, e.Message);
                return;
            }
        }
        _log.LogError("Cluster: node {Node} stored no snapshot of frame {Frame}; the differing entity is not named", nodeId, own.Frame);
    }

    /// <inheritdoc />
    public void Ready(long frame)
    {
        if (!IsPrimary && _lastReceiveStamp != 0) _receiveToReadyMs.Record(Stopwatch.GetElapsedTime(_lastReceiveStamp).TotalMilliseconds);
        Span<byte> m = _small;
        BinaryPrimitives.WriteUInt16LittleEndian(m, (ushort)NodeIndex);
        BinaryPrimitives.WriteInt64LittleEndian(m[2..], frame);
        _core.TrySend(ReadySubject, m[..10]);
        long start = Stopwatch.GetTimestamp();
        IReadOnlyList<int> dropped = _barrier.Wait(frame, _stop.Token);
        double waitedMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        _barrierMs.Record(waitedMs);
        _lastBarrierMs = waitedMs;
        foreach (int node in dropped)
        {
            _droppedFromBarrier++;
            _log.LogWarning("Cluster: node {Node} was not ready for frame {Frame} within {TimeoutMs} ms; dropped from the barrier (its outputs hold their last frame)",
                _cluster.Nodes[node].Id, frame, _cluster.BarrierTimeoutMs);
        }
    }

    private double _lastBarrierMs;

    /// <inheritdoc />
    public void Presented(long frame, long presentedStamp)
    {
        if (IsPrimary)
        {
            _presents!.Presented(NodeIndex, frame, presentedStamp, 0, _lastBarrierMs);
            return;
        }
        Span<byte> m = _small;
        BinaryPrimitives.WriteUInt16LittleEndian(m, (ushort)NodeIndex);
        BinaryPrimitives.WriteInt64LittleEndian(m[2..], frame);
        BinaryPrimitives.WriteInt64LittleEndian(m[10..], presentedStamp);
        BinaryPrimitives.WriteInt64LittleEndian(m[18..], _lastReceiveStamp);
        BinaryPrimitives.WriteDoubleLittleEndian(m[26..], _lastBarrierMs);
        _core.TrySend(PresentSubject, m[..34]);
    }

    private void OnReady(ReadOnlySpan<byte> data)
    {
        if (data.Length < 10) return;
        int node = BinaryPrimitives.ReadUInt16LittleEndian(data);
        if (node != NodeIndex) _barrier.Ready(node, BinaryPrimitives.ReadInt64LittleEndian(data[2..]));
    }

    private async Task Listen(string subject, SpanAction handler)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await foreach (NatsMsg<NatsMemoryOwner<byte>> msg in _nats.SubscribeAsync<NatsMemoryOwner<byte>>(subject, cancellationToken: _stop.Token))
                {
                    using NatsMemoryOwner<byte> data = msg.Data;
                    handler(data.Memory.Span);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NatsException)
            {
                _log.LogWarning("Cluster: subscription {Subject} lost ({Reason}); subscribing again", subject, e.Message);
                await Task.Delay(200);
            }
        }
    }

    private delegate void SpanAction(ReadOnlySpan<byte> data);

    /// <summary>The cluster's figures for the run summary: agreement per node, barrier, skew, distribution, alarms.</summary>
    public IEnumerable<string> Report(double framePeriodMs)
    {
        PercentileSummary barrier = _barrierMs.Summarise();
        string role = IsPrimary ? $"; published {_published} frame inputs up to frame {LastFrame}; {_publishRetries} publish retries"
            : $"; followed {FramesFollowed} frames ({FirstFollowed}–{LastFrame}), joined {Joins} times";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"cluster node {NodeId} ({(IsPrimary ? "primary" : "render node")}): barrier wait p50 {barrier.P50:0.000} ms p99 {barrier.P99:0.000} ms over {barrier.Count} frames; {_droppedFromBarrier} drops of late nodes; {CoreMessagesDropped} core-NATS messages dropped (server away or writer behind){role}");
        if (!IsPrimary) yield break;
        foreach (NodeAgreement a in Agreements)
            yield return a.FirstFrame < 0
                ? $"cluster node {a.NodeId}: no hash compared"
                : $"cluster node {a.NodeId}: hash {(a.Diverged == 0 ? "AGREES" : "DIVERGED")} at {a.Agreed} of {a.Agreed + a.Diverged} frames compared ({a.FirstFrame}–{a.LastFrame})" +
                  (a.FirstDivergedFrame >= 0 ? $", first divergence at frame {a.FirstDivergedFrame}" : "");
        PresentFigures f = _presents!.Figures();
        yield return string.Create(CultureInfo.InvariantCulture,
            $"cluster present skew between nodes p50 {f.SkewMs.P50:0.000} ms p99 {f.SkewMs.P99:0.000} ms ({f.SkewMs.P99 / framePeriodMs:0.000} of a frame, {f.SkewMs.Count} frames all nodes presented); " +
            $"frame input publish → last node received p50 {f.DistributionMs.P50:0.000} ms p99 {f.DistributionMs.P99:0.000} ms ({f.DistributionMs.P99 / framePeriodMs:0.000} of a frame)");
        foreach (string alarm in Alarms) yield return "cluster ALARM " + alarm;
    }

    /// <summary>The primary's present and distribution figures so far.</summary>
    public PresentFigures Figures() => _presents?.Figures() ?? new PresentFigures(default, default, default);

    /// <summary>Forgets the frame-lock figures so far (a bench's warm-up). Call between frames only in a bench: the barrier figures are the engine thread's.</summary>
    public void ResetFigures()
    {
        _barrierMs = new RollingPercentiles(65536);
        _receiveToReadyMs = new RollingPercentiles(65536);
        _presents?.Reset();
    }

    /// <summary>This node's barrier waits so far.</summary>
    public PercentileSummary BarrierWait => _barrierMs.Summarise();

    /// <summary>Render node: its frames' input arrival → "ready" (world step, hash, record, submit), ms.</summary>
    public PercentileSummary ReceiveToReady => _receiveToReadyMs.Summarise();

    /// <summary>Stops the tasks and closes the connection (the primary first sends what it still holds, for up to 2 s).</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        // What the engine thread said last (the end of run's live input, the last hash, ready and present) goes out first.
        _core.Dispose(TimeSpan.FromSeconds(1));
        if (_outgoing is not null)
        {
            _outgoingDone = true;
            _publisher?.Join(TimeSpan.FromSeconds(2));
            RemoveRun();
        }
        _stop.Cancel();
        _incoming.Writer.TryComplete();
        _arrivedSignal.Set();
        try
        {
            Task[] tasks;
            lock (_tasks) tasks = [.. _tasks];
            if (_prefetch is { } prefetch) tasks = [.. tasks, prefetch];
            Task.WaitAll(tasks, TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // Stopping: the tasks' own faults were logged where they happened.
        }
        Wait(_nats.DisposeAsync());
        _stop.Dispose();
    }

    /// <summary>
    /// Primary, at the end of its run: a moment for the nodes to read the end-of-run input, then the stream and the
    /// snapshots go, so that a node started before the next primary waits for it instead of joining this old run.
    /// </summary>
    private void RemoveRun()
    {
        Thread.Sleep(TimeSpan.FromSeconds(1));
        try
        {
            Wait(_js.DeleteStreamAsync(_stream));
            Wait(_objects.DeleteObjectStore(_bucket, CancellationToken.None));
        }
        catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException)
        {
            _log.LogWarning("Cluster: the run's stream and snapshots were not removed ({Reason}); the next primary removes them at its start", e.Message);
        }
    }

    private static void Wait(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully) task.AsTask().GetAwaiter().GetResult();
    }

    private static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private readonly record struct Incoming(NatsMemoryOwner<byte> Data, long Stamp, bool Live);

    private readonly record struct Outgoing(byte[] Buffer, int Length, long Frame, SnapshotEnvelope? Snapshot);
}

/// <summary>A cluster cannot start or reach its servers; the message says which and why.</summary>
public sealed class ClusterException(string message, Exception? inner = null) : Exception(message, inner);
