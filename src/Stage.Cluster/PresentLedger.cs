using Stage.Engine.Statistics;

namespace Stage.Cluster;

/// <summary>The primary's present and distribution figures.</summary>
/// <param name="SkewMs">Per frame every node presented: the latest present less the earliest (one monotonic clock on one machine).</param>
/// <param name="DistributionMs">Per frame every render node received: the last node's receipt of the frame input less the primary's publish.</param>
/// <param name="Frames">Frames with every node's present.</param>
public readonly record struct PresentFigures(PercentileSummary SkewMs, PercentileSummary DistributionMs, long Frames);

/// <summary>
/// Per frame, when the primary published its input and when each node received it and presented: the figures of
/// the frame lock. A frame is closed when its slot comes round again (or the figures are asked for); it counts only
/// when every node reported. Thread-safe.
/// </summary>
internal sealed class PresentLedger
{
    private const int Slots = 256;
    private readonly int _nodes;
    private readonly long[] _frame = new long[Slots];
    private readonly long[] _published = new long[Slots];
    private readonly long[,] _presented, _received;
    private readonly int[] _count = new int[Slots];
    private RollingPercentiles _skew = new(65536), _distribution = new(65536);
    private readonly Lock _lock = new();
    private long _frames;

    /// <summary>A ledger for a cluster of <paramref name="nodes"/> nodes.</summary>
    public PresentLedger(int nodes)
    {
        _nodes = nodes;
        _presented = new long[Slots, nodes];
        _received = new long[Slots, nodes];
        Array.Fill(_frame, -1);
    }

    /// <summary>The primary published the input of <paramref name="frame"/>.</summary>
    public void Published(long frame, long stamp)
    {
        lock (_lock) Slot(frame)._published[(int)(frame % Slots)] = stamp;
    }

    /// <summary>Node <paramref name="node"/> received the input of <paramref name="frame"/> at <paramref name="received"/> (0: the primary) and presented it at <paramref name="presented"/>.</summary>
    public void Presented(int node, long frame, long presented, long received, double barrierMs)
    {
        if ((uint)node >= (uint)_nodes || frame < 0) return;
        lock (_lock)
        {
            int slot = (int)(frame % Slots);
            Slot(frame);
            if (_presented[slot, node] != 0) return;
            _presented[slot, node] = presented;
            _received[slot, node] = received;
            _count[slot]++;
        }
    }

    /// <summary>Forgets the figures so far (a bench's warm-up: nodes joining and catching up).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            for (int slot = 0; slot < Slots; slot++) Close(slot);
            (_skew, _distribution, _frames) = (new RollingPercentiles(65536), new RollingPercentiles(65536), 0);
        }
    }

    /// <summary>The figures so far (closes every complete frame).</summary>
    public PresentFigures Figures()
    {
        lock (_lock)
        {
            for (int slot = 0; slot < Slots; slot++) Close(slot);
            return new PresentFigures(_skew.Summarise(), _distribution.Summarise(), _frames);
        }
    }

    private PresentLedger Slot(long frame)
    {
        int slot = (int)(frame % Slots);
        if (_frame[slot] == frame) return this;
        Close(slot);
        _frame[slot] = frame;
        _published[slot] = 0;
        _count[slot] = 0;
        for (int n = 0; n < _nodes; n++) (_presented[slot, n], _received[slot, n]) = (0, 0);
        return this;
    }

    private void Close(int slot)
    {
        if (_frame[slot] < 0 || _count[slot] < _nodes) return;
        long min = long.MaxValue, max = long.MinValue, lastReceived = long.MinValue;
        for (int n = 0; n < _nodes; n++)
        {
            min = Math.Min(min, _presented[slot, n]);
            max = Math.Max(max, _presented[slot, n]);
            if (_received[slot, n] != 0) lastReceived = Math.Max(lastReceived, _received[slot, n]);
        }
        double tick = 1000.0 / System.Diagnostics.Stopwatch.Frequency;
        _skew.Record((max - min) * tick);
        if (_published[slot] != 0 && lastReceived != long.MinValue) _distribution.Record((lastReceived - _published[slot]) * tick);
        _frames++;
        _count[slot] = -1;
    }
}
