namespace Stage.Core.Colour;

/// <summary>A set of RGB primaries and its white point.</summary>
public enum Primaries
{
    /// <summary>ITU-R BT.709 (and sRGB), D65.</summary>
    Rec709,

    /// <summary>ITU-R BT.2020 / BT.2100, D65.</summary>
    Rec2020,

    /// <summary>DCI-P3 primaries with a D65 white (SMPTE EG 432-1 "P3-D65").</summary>
    P3D65,

    /// <summary>ACES AP1 (ACEScg, SMPTE S-2014-004), ACES white (≈ D60).</summary>
    AcesCg,
}

/// <summary>The chromaticities of each <see cref="Primaries"/> and the matrices derived from them.</summary>
public static class ColourSpaces
{
    /// <summary>CIE 1931 xy of red, green, blue and white.</summary>
    public static (double Rx, double Ry, double Gx, double Gy, double Bx, double By, double Wx, double Wy) Chromaticities(Primaries p) => p switch
    {
        Primaries.Rec709 => (0.640, 0.330, 0.300, 0.600, 0.150, 0.060, 0.3127, 0.3290),
        Primaries.Rec2020 => (0.708, 0.292, 0.170, 0.797, 0.131, 0.046, 0.3127, 0.3290),
        Primaries.P3D65 => (0.680, 0.320, 0.265, 0.690, 0.150, 0.060, 0.3127, 0.3290),
        Primaries.AcesCg => (0.713, 0.293, 0.165, 0.830, 0.128, 0.044, 0.32168, 0.33767),
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>
    /// RGB → CIE XYZ (Y of white = 1) from the chromaticities (SMPTE RP 177): the primaries' XYZ columns scaled so
    /// that RGB (1, 1, 1) gives the white point.
    /// </summary>
    public static ColourMatrix RgbToXyz(Primaries p)
    {
        var c = Chromaticities(p);
        var primaries = new ColourMatrix(
            c.Rx / c.Ry, c.Gx / c.Gy, c.Bx / c.By,
            1, 1, 1,
            (1 - c.Rx - c.Ry) / c.Ry, (1 - c.Gx - c.Gy) / c.Gy, (1 - c.Bx - c.By) / c.By);
        var (sr, sg, sb) = primaries.Inverse().Apply(c.Wx / c.Wy, 1, (1 - c.Wx - c.Wy) / c.Wy);
        return primaries * ColourMatrix.Diagonal(sr, sg, sb);
    }

    /// <summary>The Bradford cone response matrix (for white-point adaptation).</summary>
    public static readonly ColourMatrix Bradford = new(0.8951, 0.2664, -0.1614, -0.7502, 1.7135, 0.0367, 0.0389, -0.0685, 1.0296);

    /// <summary>
    /// Linear RGB in <paramref name="from"/> → linear RGB in <paramref name="to"/>; where the white points differ (AP1's
    /// ACES white against D65) a Bradford adaptation maps white to white.
    /// </summary>
    public static ColourMatrix Conversion(Primaries from, Primaries to)
    {
        if (from == to) return ColourMatrix.Identity;
        ColourMatrix toXyz = RgbToXyz(from);
        ColourMatrix fromXyz = RgbToXyz(to).Inverse();
        var a = Chromaticities(from);
        var b = Chromaticities(to);
        if (a.Wx == b.Wx && a.Wy == b.Wy) return fromXyz * toXyz;
        var (sr, sg, sb) = Bradford.Apply(a.Wx / a.Wy, 1, (1 - a.Wx - a.Wy) / a.Wy);
        var (dr, dg, db) = Bradford.Apply(b.Wx / b.Wy, 1, (1 - b.Wx - b.Wy) / b.Wy);
        ColourMatrix adapt = Bradford.Inverse() * ColourMatrix.Diagonal(dr / sr, dg / sg, db / sb) * Bradford;
        return fromXyz * adapt * toXyz;
    }

    /// <summary>The luminance weights (the Y row of RGB → XYZ) of a set of primaries.</summary>
    public static (double R, double G, double B) LuminanceWeights(Primaries p)
    {
        ColourMatrix m = RgbToXyz(p);
        return (m.M10, m.M11, m.M12);
    }
}
