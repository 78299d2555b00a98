namespace Stage.Tracking.FreeD;

/// <summary>
/// A lens encoder calibration: raw encoder values (FreeD zoom or focus, 24-bit unsigned) to a physical
/// value (focal length in mm, focus distance in m), linear between points and clamped at both ends.
/// Evaluation reads a private array and never allocates.
/// </summary>
public sealed class LensCalibration
{
    private readonly int[] _encoders;
    private readonly double[] _values;

    /// <summary>Builds a calibration from points in strictly ascending encoder order.</summary>
    /// <exception cref="ArgumentException">Encoders are not strictly ascending, or a value is not finite.</exception>
    public LensCalibration(IReadOnlyList<CalibrationPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        _encoders = new int[points.Count];
        _values = new double[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            if (!double.IsFinite(points[i].Value))
                throw new ArgumentException($"calibration point {i}: value {points[i].Value} is not finite", nameof(points));
            if (i > 0 && points[i].Encoder <= points[i - 1].Encoder)
                throw new ArgumentException($"calibration point {i}: encoder {points[i].Encoder} is not above {points[i - 1].Encoder}", nameof(points));
            _encoders[i] = points[i].Encoder;
            _values[i] = points[i].Value;
        }
    }

    /// <summary>A calibration with no points: every evaluation is NaN (unknown).</summary>
    public static LensCalibration Empty { get; } = new([]);

    /// <summary>Number of points.</summary>
    public int Count => _encoders.Length;

    /// <summary>True when the calibration has no points and so cannot convert anything.</summary>
    public bool IsEmpty => _encoders.Length == 0;

    /// <summary>
    /// The physical value for a raw encoder reading: linear interpolation between the two surrounding
    /// points, the first or last point's value outside the table, the only value for a one-point table,
    /// NaN for an empty one.
    /// </summary>
    public double Evaluate(int encoder)
    {
        int[] enc = _encoders;
        if (enc.Length == 0) return double.NaN;
        if (encoder <= enc[0]) return _values[0];
        int last = enc.Length - 1;
        if (encoder >= enc[last]) return _values[last];
        // Binary search for the segment [lo, lo + 1] holding the encoder value.
        int lo = 0, hi = last;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) >>> 1;
            if (enc[mid] <= encoder) lo = mid; else hi = mid;
        }
        double t = (encoder - (double)enc[lo]) / (enc[hi] - (double)enc[lo]);
        return _values[lo] + (_values[hi] - _values[lo]) * t;
    }

    /// <summary>
    /// The encoder reading that gives <paramref name="value"/> (what a tracker would send for it): the first segment
    /// that holds the value, linear within it; the nearer end's encoder outside the table; 0 for an empty table.
    /// </summary>
    public int EncoderOf(double value)
    {
        if (_encoders.Length == 0) return 0;
        for (int i = 1; i < _encoders.Length; i++)
        {
            double a = _values[i - 1], b = _values[i];
            if (value >= Math.Min(a, b) && value <= Math.Max(a, b) && b != a)
                return (int)Math.Round(_encoders[i - 1] + (value - a) / (b - a) * (_encoders[i] - _encoders[i - 1]));
        }
        return value <= _values[0] ? _encoders[0] : _encoders[^1];
    }
}
