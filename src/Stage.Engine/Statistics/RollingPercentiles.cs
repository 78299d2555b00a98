namespace Stage.Engine.Statistics;

/// <summary>
/// The last N values of a measurement (frame time, pose age …) and their percentiles. Recording is a
/// store into a preallocated ring (no allocation per frame); percentiles sort a preallocated copy
/// when asked, which the engine does once a second.
/// </summary>
public sealed class RollingPercentiles
{
    private readonly double[] _values;
    private readonly double[] _sorted;
    private long _count;
    private double _maxEver;

    /// <summary>Keeps the last <paramref name="capacity"/> values.</summary>
    public RollingPercentiles(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _values = new double[capacity];
        _sorted = new double[capacity];
    }

    /// <summary>Values recorded since creation.</summary>
    public long Count => _count;

    /// <summary>The largest value ever recorded.</summary>
    public double MaxEver => _maxEver;

    /// <summary>Records a value.</summary>
    public void Record(double value)
    {
        _values[_count % _values.Length] = value;
        _count++;
        if (value > _maxEver || _count == 1) _maxEver = value;
    }

    /// <summary>
    /// Copies the values held (in ring order, which percentiles ignore) into <paramref name="destination"/>
    /// and returns how many; at most the destination's length. No allocation: the engine hands its windows
    /// to another thread this way, and that thread sorts them.
    /// </summary>
    public int CopyWindow(Span<double> destination)
    {
        int n = (int)Math.Min(Math.Min(_count, _values.Length), destination.Length);
        _values.AsSpan(0, n).CopyTo(destination);
        return n;
    }

    /// <summary>p50, p99 and max of the values held (NaN when none).</summary>
    public PercentileSummary Summarise()
    {
        int n = (int)Math.Min(_count, _values.Length);
        if (n == 0) return new PercentileSummary(double.NaN, double.NaN, double.NaN, 0);
        Array.Copy(_values, _sorted, n);
        Array.Sort(_sorted, 0, n);
        return new PercentileSummary(At(0.50, n), At(0.99, n), _sorted[n - 1], n);
    }

    private double At(double quantile, int n) => _sorted[Math.Min(n - 1, (int)Math.Ceiling(quantile * n) - 1)];
}

/// <summary>Percentiles of a window of values.</summary>
/// <param name="P50">Median.</param>
/// <param name="P99">99th percentile (nearest rank).</param>
/// <param name="Max">Largest in the window.</param>
/// <param name="Count">Values in the window.</param>
public readonly record struct PercentileSummary(double P50, double P99, double Max, int Count);
