namespace Stage.Cluster;

/// <summary>
/// The frame lock as each node sees it: every node says "ready N" (over NATS); a node presents N once every other
/// node in the barrier has said ready N or later, or when the timeout passes — then the late ones are dropped from
/// the barrier (never waited for again until they catch up: their next "ready" for a frame at or past the one
/// waited on puts them back). A node unseen so far is not waited for. Thread-safe: readies arrive on the NATS
/// thread, the wait is on the engine thread.
/// </summary>
internal sealed class FrameBarrier
{
    private readonly int _self;
    private readonly long[] _ready;
    private readonly bool[] _active;
    private readonly TimeSpan _timeout;
    private readonly object _lock = new();
    private long _waitingFor = -1;

    /// <summary>A barrier of <paramref name="nodeCount"/> nodes seen from node <paramref name="self"/>.</summary>
    public FrameBarrier(int self, int nodeCount, double timeoutMs)
    {
        _self = self;
        _ready = new long[nodeCount];
        Array.Fill(_ready, -1);
        _active = new bool[nodeCount];
        _active[self] = true;
        _timeout = TimeSpan.FromMilliseconds(timeoutMs);
    }

    /// <summary>Raised (under the lock; keep it short) when a node joins or rejoins the barrier: node index, frame.</summary>
    public Action<int, long>? Joined { get; set; }

    /// <summary>Node <paramref name="node"/> is ready for <paramref name="frame"/>.</summary>
    public void Ready(int node, long frame)
    {
        if ((uint)node >= (uint)_ready.Length) return;
        lock (_lock)
        {
            if (frame > _ready[node]) _ready[node] = frame;
            if (!_active[node] && frame >= _waitingFor)
            {
                _active[node] = true;
                Joined?.Invoke(node, frame);
            }
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Waits until every active node is ready for <paramref name="frame"/>; returns the nodes dropped for being late (empty when none).</summary>
    public IReadOnlyList<int> Wait(long frame, CancellationToken cancellation = default)
    {
        lock (_lock)
        {
            _waitingFor = frame;
            _ready[_self] = Math.Max(_ready[_self], frame);
            long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(_timeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            while (!AllReady(frame))
            {
                TimeSpan left = System.Diagnostics.Stopwatch.GetElapsedTime(System.Diagnostics.Stopwatch.GetTimestamp(), deadline);
                if (left <= TimeSpan.Zero || cancellation.IsCancellationRequested)
                {
                    var dropped = new List<int>();
                    for (int i = 0; i < _ready.Length; i++)
                        if (_active[i] && _ready[i] < frame)
                        {
                            _active[i] = false;
                            dropped.Add(i);
                        }
                    return dropped;
                }
                Monitor.Wait(_lock, left);
            }
            return [];
        }
    }

    /// <summary>The nodes in the barrier now.</summary>
    public int ActiveCount
    {
        get
        {
            lock (_lock) return _active.Count(a => a);
        }
    }

    private bool AllReady(long frame)
    {
        for (int i = 0; i < _ready.Length; i++)
            if (_active[i] && _ready[i] < frame) return false;
        return true;
    }
}

