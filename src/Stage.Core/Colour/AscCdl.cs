using System.Globalization;

namespace Stage.Core.Colour;

/// <summary>
/// An ASC Color Decision List grade (ASC CDL v1.2): per channel out = clamp(in × slope + offset)^power, then saturation
/// about the Rec.709 luma, clamped again — both clamps to [0, 1], as the ASC's specification and OpenColorIO's
/// "v1.2" style do.
/// </summary>
/// <param name="SlopeR">Red slope (≥ 0).</param><param name="SlopeG">Green slope.</param><param name="SlopeB">Blue slope.</param>
/// <param name="OffsetR">Red offset.</param><param name="OffsetG">Green offset.</param><param name="OffsetB">Blue offset.</param>
/// <param name="PowerR">Red power (&gt; 0).</param><param name="PowerG">Green power.</param><param name="PowerB">Blue power.</param>
/// <param name="Saturation">Saturation (≥ 0; 1 leaves colour as it is).</param>
public readonly record struct AscCdl(
    double SlopeR, double SlopeG, double SlopeB,
    double OffsetR, double OffsetG, double OffsetB,
    double PowerR, double PowerG, double PowerB,
    double Saturation)
{
    /// <summary>The grade that changes nothing (inside [0, 1]).</summary>
    public static AscCdl Identity { get; } = new(1, 1, 1, 0, 0, 0, 1, 1, 1, 1);

    /// <summary>Rec.709 luma weights, as the ASC specifies for saturation.</summary>
    public const double LumaR = 0.2126, LumaG = 0.7152, LumaB = 0.0722;

    /// <summary>Whether this is exactly the identity.</summary>
    public bool IsIdentity => this == Identity;

    /// <summary>The grade from ten numbers: slope rgb, offset rgb, power rgb, saturation (the OSC message's order).</summary>
    public static AscCdl FromValues(ReadOnlySpan<double> v)
    {
        if (v.Length != 10) throw new ArgumentException("an ASC CDL takes ten numbers", nameof(v));
        return new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    /// <summary>Why these numbers are not a grade (negative slope or saturation, power ≤ 0, not finite), or null.</summary>
    public string? Fault()
    {
        ReadOnlySpan<double> all = [SlopeR, SlopeG, SlopeB, OffsetR, OffsetG, OffsetB, PowerR, PowerG, PowerB, Saturation];
        foreach (double x in all) if (!double.IsFinite(x)) return "every value must be a finite number";
        if (SlopeR < 0 || SlopeG < 0 || SlopeB < 0) return "slopes must be at least 0";
        if (PowerR <= 0 || PowerG <= 0 || PowerB <= 0) return "powers must be greater than 0";
        if (Saturation < 0) return "saturation must be at least 0";
        return null;
    }

    /// <summary>Applies the grade to one RGB value.</summary>
    public (double R, double G, double B) Apply(double r, double g, double b)
    {
        r = Math.Pow(Math.Clamp(r * SlopeR + OffsetR, 0, 1), PowerR);
        g = Math.Pow(Math.Clamp(g * SlopeG + OffsetG, 0, 1), PowerG);
        b = Math.Pow(Math.Clamp(b * SlopeB + OffsetB, 0, 1), PowerB);
        double luma = LumaR * r + LumaG * g + LumaB * b;
        return (Math.Clamp(luma + Saturation * (r - luma), 0, 1),
                Math.Clamp(luma + Saturation * (g - luma), 0, 1),
                Math.Clamp(luma + Saturation * (b - luma), 0, 1));
    }

    /// <summary>The ALE's ASC_SOP column: "(sR sG sB)(oR oG oB)(pR pG pB)".</summary>
    public string SopText() => FormattableString.Invariant(
        $"({F(SlopeR)} {F(SlopeG)} {F(SlopeB)})({F(OffsetR)} {F(OffsetG)} {F(OffsetB)})({F(PowerR)} {F(PowerG)} {F(PowerB)})");

    /// <summary>The ALE's ASC_SAT column.</summary>
    public string SatText() => F(Saturation);

    /// <summary>A number as the ASC files write it (six decimals, invariant).</summary>
    public static string F(double x) => x.ToString("0.000000", CultureInfo.InvariantCulture);
}
