using System.Globalization;

namespace Stage.Core.Time;

/// <summary>
/// A frame rate as an exact rational number of frames per second (24000/1001 for "23.976").
/// Why rational: 1001-based rates are not representable in binary floating point, and frame
/// times must never drift by accumulating rounded seconds.
/// </summary>
public readonly record struct FrameRate
{
    /// <summary>Frames per second, numerator (always positive, reduced).</summary>
    public long Numerator { get; }

    /// <summary>Frames per second, denominator (always positive, reduced).</summary>
    public long Denominator { get; }

    /// <summary>Creates the rate <paramref name="numerator"/>/<paramref name="denominator"/> frames per second, reduced.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Either part is not positive.</exception>
    public FrameRate(long numerator, long denominator)
    {
        if (numerator <= 0) throw new ArgumentOutOfRangeException(nameof(numerator), numerator, "frame rate numerator must be positive");
        if (denominator <= 0) throw new ArgumentOutOfRangeException(nameof(denominator), denominator, "frame rate denominator must be positive");
        long gcd = GreatestCommonDivisor(numerator, denominator);
        Numerator = numerator / gcd;
        Denominator = denominator / gcd;
    }

    /// <summary>23.976 (24000/1001).</summary>
    public static FrameRate Fps23976 => new(24000, 1001);
    /// <summary>24.</summary>
    public static FrameRate Fps24 => new(24, 1);
    /// <summary>25.</summary>
    public static FrameRate Fps25 => new(25, 1);
    /// <summary>29.97 (30000/1001).</summary>
    public static FrameRate Fps2997 => new(30000, 1001);
    /// <summary>30.</summary>
    public static FrameRate Fps30 => new(30, 1);
    /// <summary>47.952 (48000/1001).</summary>
    public static FrameRate Fps47952 => new(48000, 1001);
    /// <summary>48.</summary>
    public static FrameRate Fps48 => new(48, 1);
    /// <summary>50.</summary>
    public static FrameRate Fps50 => new(50, 1);
    /// <summary>59.94 (60000/1001).</summary>
    public static FrameRate Fps5994 => new(60000, 1001);
    /// <summary>60.</summary>
    public static FrameRate Fps60 => new(60, 1);

    /// <summary>The rates a stage commonly runs at, in ascending order.</summary>
    public static IReadOnlyList<FrameRate> Common { get; } =
        [Fps23976, Fps24, Fps25, Fps2997, Fps30, Fps47952, Fps48, Fps50, Fps5994, Fps60];

    /// <summary>Frames per second as a double, for display and statistics only.</summary>
    public double FramesPerSecond => (double)Numerator / Denominator;

    /// <summary>
    /// The whole number of frames that timecode counts per second (24 for 23.976, 30 for 29.97):
    /// the rate rounded to the nearest integer.
    /// </summary>
    public int TimecodeBase => (int)((Numerator + Denominator / 2) / Denominator);

    /// <summary>True for 1001-based rates (23.976, 29.97, 59.94 …), which run slower than their timecode base.</summary>
    public bool IsFractional => Denominator == 1001;

    /// <summary>True where SMPTE 12M defines drop-frame timecode: 29.97 and 59.94 only.</summary>
    public bool SupportsDropFrame => Denominator == 1001 && (Numerator == 30000 || Numerator == 60000);

    /// <summary>Frames dropped at each minute (except every tenth) in drop-frame timecode: 2 at 29.97, 4 at 59.94, else 0.</summary>
    public int DropFramesPerMinute => SupportsDropFrame ? (int)(Numerator / 15000) : 0;

    /// <summary>Exact time of the start of frame <paramref name="frame"/> in nanoseconds from frame 0 (rounded down).</summary>
    public long NanosecondsOfFrame(long frame) =>
        (long)((Int128)frame * Denominator * 1_000_000_000 / Numerator);

    /// <summary>Exact time of the start of frame <paramref name="frame"/> in <see cref="System.Diagnostics.Stopwatch"/> ticks (rounded down).</summary>
    public long StopwatchTicksOfFrame(long frame) =>
        (long)((Int128)frame * Denominator * System.Diagnostics.Stopwatch.Frequency / Numerator);

    /// <summary>The frame in progress at <paramref name="nanoseconds"/> after frame 0 (floor).</summary>
    public long FrameAtNanoseconds(long nanoseconds)
    {
        Int128 scaled = (Int128)nanoseconds * Numerator;
        Int128 divisor = (Int128)Denominator * 1_000_000_000;
        Int128 quotient = scaled / divisor;
        if (scaled % divisor != 0 && scaled < 0) quotient -= 1;
        return (long)quotient;
    }

    /// <summary>
    /// Parses a rate as a stage crew writes it: a rational ("24000/1001", "25/1"), an integer ("25"),
    /// or a decimal name of a 1001-based rate ("23.976", "23.98", "29.97", "47.952", "59.94", "119.88").
    /// </summary>
    public static bool TryParse(string? text, out FrameRate rate, out string error)
    {
        rate = default;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "frame rate is empty";
            return false;
        }
        string trimmed = text.Trim();
        int slash = trimmed.IndexOf('/');
        if (slash >= 0)
        {
            if (!long.TryParse(trimmed.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ||
                !long.TryParse(trimmed.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long d) ||
                n <= 0 || d <= 0)
            {
                error = $"'{trimmed}' is not a rational frame rate of two positive integers such as 24000/1001";
                return false;
            }
            rate = new FrameRate(n, d);
            return CheckRange(rate, trimmed, out error);
        }
        if (!decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value) || value <= 0)
        {
            error = $"'{trimmed}' is not a frame rate (write 24, 25, 29.97, 59.94 or a rational such as 24000/1001)";
            return false;
        }
        if (value == decimal.Truncate(value))
        {
            rate = new FrameRate((long)value, 1);
            return CheckRange(rate, trimmed, out error);
        }
        // A 1001-based rate written as a decimal: N × 1000/1001 for a whole N, to the precision written.
        decimal whole = decimal.Round(value * 1.001m);
        decimal exact = whole * 1000m / 1001m;
        int places = BitConverter.GetBytes(decimal.GetBits(value)[3])[2];
        decimal tolerance = 0.5m / Pow10(places) + 0.0000001m;
        if (whole > 0 && Math.Abs(exact - value) <= tolerance)
        {
            rate = new FrameRate((long)whole * 1000, 1001);
            return CheckRange(rate, trimmed, out error);
        }
        error = $"'{trimmed}' is neither a whole rate nor a 1001-based rate (23.976, 29.97, 59.94 …); write it as a rational such as 24000/1001";
        return false;
    }

    /// <summary>Parses a frame rate; see <see cref="TryParse(string?, out FrameRate, out string)"/>.</summary>
    /// <exception cref="FormatException">The text is not a frame rate.</exception>
    public static FrameRate Parse(string text) =>
        TryParse(text, out FrameRate rate, out string error) ? rate : throw new FormatException(error);

    /// <summary>The usual name: "23.976", "29.97", "25"; other rates as "N/D".</summary>
    public override string ToString()
    {
        if (Denominator == 1) return Numerator.ToString(CultureInfo.InvariantCulture);
        if (Denominator == 1001 && Numerator % 1000 == 0)
        {
            decimal value = Numerator / 1001m;
            return decimal.Round(value, Numerator == 24000 || Numerator == 48000 ? 3 : 2).ToString(CultureInfo.InvariantCulture);
        }
        return $"{Numerator}/{Denominator}";
    }

    /// <summary>The exact rational form "N/D".</summary>
    public string ToRationalString() => $"{Numerator}/{Denominator}";

    private static bool CheckRange(FrameRate rate, string text, out string error)
    {
        if (rate.FramesPerSecond > 1000)
        {
            error = $"'{text}' is above 1000 frames per second";
            return false;
        }
        error = "";
        return true;
    }

    private static decimal Pow10(int places)
    {
        decimal result = 1m;
        for (int i = 0; i < places; i++) result *= 10m;
        return result;
    }

    private static long GreatestCommonDivisor(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
