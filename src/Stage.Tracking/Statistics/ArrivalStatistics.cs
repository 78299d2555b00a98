using System.Diagnostics;

namespace Stage.Tracking.Statistics;

/// <summary>Figures about a stream of arrivals (datagrams or samples) at one instant.</summary>
/// <param name="Count">Arrivals recorded since the start.</param>
/// <param name="RatePerSecond">Arrivals during the last second (estimated from the recorded window when it is shorter).</param>
/// <param name="IntervalP50Ms">Median time between consecutive arrivals, milliseconds; NaN with fewer than two arrivals.</param>
/// <param name="IntervalP99Ms">99th percentile of the time between arrivals, milliseconds; NaN with fewer than two arrivals.</param>
/// <param name="JitterP50Ms">Median of |interval − median interval|, milliseconds; NaN with fewer than two arrivals.</param>
/// <param name="JitterP99Ms">99th percentile of |interval − median interval|, milliseconds; NaN with fewer than two arrivals.</param>
/// <param name="SinceLastMs">Time from the last arrival to the snapshot instant, milliseconds; NaN before the first.</param>
public readonly record struct ArrivalSnapshot(
    long Count, double RatePerSecond, double IntervalP50Ms, double IntervalP99Ms,
    double JitterP50Ms, double JitterP99Ms, double SinceLastMs);

/// <summary>
/// Arrival times of one stream in a fixed ring (the last <see cref="Capacity"/> arrivals), written by one
/// thread with no allocation and no lock; any thread may take a <see cref="Snapshot"/> (which sorts a copy,
/// so it belongs in monitors, not hot paths).
/// </summary>
public sealed class ArrivalStatistics
{
    private readonly long[] _ticks;
    private long _count;

    /// <summary>A ring holding the last <paramref name="capacity"/> arrivals (at least 2).</summary>
    public ArrivalStatistics(int capacity = 2048)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _ticks = new long[capacity];
    }

    /// <summary>How many arrivals the ring keeps.</summary>
    public int Capacity => _ticks.Length;

    /// <summary>Arrivals recorded since the start.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Time of the last arrival in Stopwatch ticks, or null before the first.</summary>
    public long? LastTicks
    {
        get
        {
            long n = Volatile.Read(ref _count);
            return n == 0 ? null : Volatile.Read(ref _ticks[(n - 1) % _ticks.Length]);
        }
    }

    /// <summary>Records one arrival. Single writer: call from one thread only.</summary>
    public void Record(long ticks)
    {
        long n = _count;
        Volatile.Write(ref _ticks[n % _ticks.Length], ticks);
        Volatile.Write(ref _count, n + 1);
    }

    /// <summary>The figures as of <paramref name="nowTicks"/>.</summary>
    public ArrivalSnapshot Snapshot(long nowTicks)
    {
        long n = Volatile.Read(ref _count);
        if (n == 0) return new ArrivalSnapshot(0, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        int kept = (int)Math.Min(n, _ticks.Length);
        // Copy oldest → newest. A concurrent writer may replace the oldest entries while we copy; the
        // figures are statistics, so such an entry is simply dropped by the ordering check below.
        var times = new long[kept];
        for (int i = 0; i < kept; i++) times[i] = Volatile.Read(ref _ticks[(n - kept + i) % _ticks.Length]);
        long last = times[kept - 1];
        double tickMs = 1000.0 / Stopwatch.Frequency;
        double sinceLastMs = (nowTicks - last) * tickMs;

        long windowStart = nowTicks - Stopwatch.Frequency;
        int inWindow = 0;
        for (int i = 0; i < kept; i++) if (times[i] > windowStart && times[i] <= nowTicks) inWindow++;
        double rate = inWindow;
        if (inWindow == kept && kept == _ticks.Length && nowTicks > times[0])
            rate = kept / ((nowTicks - times[0]) / (double)Stopwatch.Frequency);

        if (kept < 2) return new ArrivalSnapshot(n, rate, double.NaN, double.NaN, double.NaN, double.NaN, sinceLastMs);
        var intervals = new double[kept - 1];
        int m = 0;
        for (int i = 1; i < kept; i++)
        {
            long d = times[i] - times[i - 1];
            if (d >= 0) intervals[m++] = d * tickMs;
        }
        if (m == 0) return new ArrivalSnapshot(n, rate, double.NaN, double.NaN, double.NaN, double.NaN, sinceLastMs);
        Span<double> used = intervals.AsSpan(0, m);
        used.Sort();
        double p50 = Percentile(used, 0.50);
        double p99 = Percentile(used, 0.99);
        for (int i = 0; i < used.Length; i++) used[i] = Math.Abs(used[i] - p50);
        used.Sort();
        return new ArrivalSnapshot(n, rate, p50, p99, Percentile(used, 0.50), Percentile(used, 0.99), sinceLastMs);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(ReadOnlySpan<double> sorted, double fraction)
    {
        int rank = (int)Math.Ceiling(fraction * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
