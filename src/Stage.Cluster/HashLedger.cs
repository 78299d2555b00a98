namespace Stage.Cluster;

/// <summary>How one node's world hashes compared with the primary's so far.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Agreed">Frames whose hash equalled the primary's.</param>
/// <param name="Diverged">Frames whose hash differed.</param>
/// <param name="FirstDivergedFrame">The first frame that differed (-1: none).</param>
/// <param name="FirstFrame">The first frame compared (-1: none).</param>
/// <param name="LastFrame">The last frame compared (-1: none).</param>
public readonly record struct NodeAgreement(string NodeId, long Agreed, long Diverged, long FirstDivergedFrame, long FirstFrame, long LastFrame);

/// <summary>
/// The primary's record of world hashes per frame: its own and every node's, compared once both are in, whichever
/// comes first (a node may run ahead of the primary by a frame). Thread-safe: the primary's engine thread records
/// its own hashes, the NATS thread the nodes'.
/// </summary>
internal sealed class HashLedger
{
    private const int Frames = 8192;
    private readonly string[] _nodes;
    private readonly int _primary;
    private readonly long[][] _frame;
    private readonly ulong[][] _hash;
    private readonly long[] _agreed, _diverged, _firstDiverged, _first, _last;
    private readonly Lock _lock = new();
    // The take window (docs/cluster.md): frames [first, last] counted apart, per node, for the take log.
    private readonly long[] _windowAgreed, _windowDiverged, _windowFirstDiverged;
    private long _windowFirst = long.MaxValue, _windowLast = long.MaxValue;
    // The newest frame each node reported, and a monitor for a take's stop waiting for the last frame's hashes.
    private readonly long[] _newest;
    private readonly object _arrivals = new();
    private int _waiters;

    /// <summary>A ledger for <paramref name="nodes"/>, one of which is <paramref name="primary"/>.</summary>
    public HashLedger(IReadOnlyList<string> nodes, int primary)
    {
        _nodes = [.. nodes];
        _primary = primary;
        _frame = new long[_nodes.Length][];
        _hash = new ulong[_nodes.Length][];
        for (int i = 0; i < _nodes.Length; i++)
        {
            _frame[i] = new long[Frames];
            Array.Fill(_frame[i], -1);
            _hash[i] = new ulong[Frames];
        }
        (_agreed, _diverged, _firstDiverged, _first, _last) = (new long[_nodes.Length], new long[_nodes.Length], new long[_nodes.Length], new long[_nodes.Length], new long[_nodes.Length]);
        Array.Fill(_firstDiverged, -1);
        Array.Fill(_first, -1);
        Array.Fill(_last, -1);
        (_windowAgreed, _windowDiverged, _windowFirstDiverged) = (new long[_nodes.Length], new long[_nodes.Length], new long[_nodes.Length]);
        _newest = new long[_nodes.Length];
        Array.Fill(_newest, -1);
    }

    /// <summary>Starts counting a take's frames from <paramref name="firstFrame"/> on (a take started recording).</summary>
    public void OpenWindow(long firstFrame)
    {
        lock (_lock)
        {
            (_windowFirst, _windowLast) = (firstFrame, long.MaxValue);
            Array.Clear(_windowAgreed);
            Array.Clear(_windowDiverged);
            Array.Fill(_windowFirstDiverged, -1);
        }
    }

    /// <summary>
    /// Waits (at most <paramref name="timeout"/>) until every node taking part in the window — one that reported a
    /// hash of a frame in it — has reported <paramref name="lastFrame"/> (or later), so that a take's stop counts
    /// the nodes' hashes of its last frames, which may still be on their way (a node's hash leaves after its own
    /// world step, and arrives on another subscription than its "ready"). True when all arrived in time.
    /// </summary>
    public bool WaitForFrame(long lastFrame, TimeSpan timeout)
    {
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        lock (_arrivals)
        {
            _waiters++;
            try
            {
                while (!AllReported(lastFrame))
                {
                    TimeSpan left = System.Diagnostics.Stopwatch.GetElapsedTime(System.Diagnostics.Stopwatch.GetTimestamp(), deadline);
                    if (left <= TimeSpan.Zero) return false;
                    Monitor.Wait(_arrivals, left);
                }
                return true;
            }
            finally
            {
                _waiters--;
            }
        }
    }

    private bool AllReported(long lastFrame)
    {
        lock (_lock)
            for (int i = 0; i < _nodes.Length; i++)
                if (i != _primary && _newest[i] >= _windowFirst && _newest[i] < lastFrame) return false;
        return true;
    }

    /// <summary>
    /// Ends the take's window after <paramref name="lastFrame"/> and returns, per node (configuration order, the
    /// primary included with nothing compared), the take's frames compared so far, agreed, and the first that differed.
    /// </summary>
    public IReadOnlyList<(long Compared, long Agreed, long FirstDiverged)> CloseWindow(long lastFrame)
    {
        lock (_lock)
        {
            _windowLast = lastFrame;
            var window = new (long, long, long)[_nodes.Length];
            for (int i = 0; i < _nodes.Length; i++) window[i] = (_windowAgreed[i] + _windowDiverged[i], _windowAgreed[i], _windowFirstDiverged[i]);
            _windowFirst = long.MaxValue;
            return window;
        }
    }

    /// <summary>Raised (under no lock) when a node's hash first differs from the primary's after agreeing or from the start: node index, frame, node hash, primary hash.</summary>
    public event Action<int, long, ulong, ulong>? Diverged;

    /// <summary>Records <paramref name="node"/>'s hash of <paramref name="frame"/> and compares what can be compared.</summary>
    public void Record(int node, long frame, ulong hash)
    {
        if (frame < 0 || (uint)node >= (uint)_nodes.Length) return;
        int slot = (int)(frame % Frames);
        (int Node, ulong Hash, ulong Primary)? divergence = null;
        List<(int, ulong, ulong)>? divergences = null;
        lock (_lock)
        {
            _frame[node][slot] = frame;
            _hash[node][slot] = hash;
            if (frame > _newest[node]) _newest[node] = frame;
            if (node != _primary)
            {
                if (_frame[_primary][slot] == frame && Compare(node, frame, slot)) divergence = (node, hash, _hash[_primary][slot]);
            }
            else
            {
                for (int other = 0; other < _nodes.Length; other++)
                    if (other != _primary && _frame[other][slot] == frame && Compare(other, frame, slot))
                        (divergences ??= []).Add((other, _hash[other][slot], hash));
            }
        }
        if (Volatile.Read(ref _waiters) > 0)
            lock (_arrivals) Monitor.PulseAll(_arrivals);
        if (divergence is { } d) Diverged?.Invoke(d.Node, frame, d.Hash, d.Primary);
        if (divergences is not null) foreach ((int n, ulong h, ulong p) in divergences) Diverged?.Invoke(n, frame, h, p);
    }

    /// <summary>Compares a node's slot with the primary's; true when this is the node's first divergence.</summary>
    private bool Compare(int node, long frame, int slot)
    {
        if (_first[node] < 0) _first[node] = frame;
        _last[node] = Math.Max(_last[node], frame);
        bool inWindow = frame >= _windowFirst && frame <= _windowLast;
        if (_hash[node][slot] == _hash[_primary][slot])
        {
            _agreed[node]++;
            if (inWindow) _windowAgreed[node]++;
            return false;
        }
        _diverged[node]++;
        if (inWindow)
        {
            _windowDiverged[node]++;
            if (_windowFirstDiverged[node] < 0 || frame < _windowFirstDiverged[node]) _windowFirstDiverged[node] = frame;
        }
        if (_firstDiverged[node] >= 0) return false;
        _firstDiverged[node] = frame;
        return true;
    }

    /// <summary>Every node but the primary, as compared so far.</summary>
    public IReadOnlyList<NodeAgreement> Agreements()
    {
        lock (_lock)
        {
            var list = new List<NodeAgreement>();
            for (int i = 0; i < _nodes.Length; i++)
                if (i != _primary) list.Add(new NodeAgreement(_nodes[i], _agreed[i], _diverged[i], _firstDiverged[i], _first[i], _last[i]));
            return list;
        }
    }
}
