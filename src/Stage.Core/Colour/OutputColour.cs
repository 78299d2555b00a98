namespace Stage.Core.Colour;

/// <summary>
/// What one output's LED processor expects (the configuration's <c>outputs[].colour</c>): its transfer function, primaries,
/// calibrated peak, what 1.0 of the working space means on it, and the wall's calibration.
/// </summary>
public sealed record OutputColour
{
    /// <summary>The transfer function of the code values sent.</summary>
    public Transfer Transfer { get; init; } = Transfer.Srgb;

    /// <summary>The primaries the code values are in.</summary>
    public Primaries Primaries { get; init; } = Primaries.Rec709;

    /// <summary>The wall's calibrated peak, nits: light above it is clipped (counted as over peak).</summary>
    public double PeakNits { get; init; } = 100;

    /// <summary>The light working-space 1.0 stands for on this output, nits (BT.2408: 203 for HDR; 100 for SDR).</summary>
    public double ReferenceWhiteNits { get; init; } = 100;

    /// <summary>The wall's calibration, applied after the grade.</summary>
    public WallCalibration Calibration { get; init; } = WallCalibration.None;

    /// <summary>Whether the transfer is HDR (PQ or HLG).</summary>
    public bool IsHdr => Transfer is Transfer.Pq or Transfer.Hlg;

    /// <summary>The default peak of a transfer: 1,000 nits for PQ and HLG (BT.2100's reference display), 100 for SDR.</summary>
    public static double DefaultPeakNits(Transfer transfer) => transfer is Transfer.Pq or Transfer.Hlg ? 1000 : 100;

    /// <summary>The default reference white of a transfer: 203 nits for PQ and HLG (ITU-R BT.2408), 100 for SDR.</summary>
    public static double DefaultReferenceWhiteNits(Transfer transfer) => transfer is Transfer.Pq or Transfer.Hlg ? 203 : 100;

    /// <summary>
    /// What an output without a colour section gets, as before colour was declared: 8-bit canvases sRGB, deeper ones linear,
    /// Rec.709, 100 nits peak and white (so 1.0 is the top code value).
    /// </summary>
    public static OutputColour DefaultFor(int bitDepth) => new() { Transfer = bitDepth <= 8 ? Transfer.Srgb : Transfer.Linear };

    /// <summary>"pq rec2020 1000 nits (white 203), calibration …" as validate and the summary print it.</summary>
    public override string ToString()
    {
        string text = FormattableString.Invariant($"{Name(Transfer)} {Name(Primaries)}, peak {PeakNits:0.#} nits, white {ReferenceWhiteNits:0.#} nits");
        return Calibration.IsNone ? text : $"{text}, calibration {Calibration}";
    }

    /// <summary>The configuration's name of a transfer.</summary>
    public static string Name(Transfer t) => t switch
    {
        Transfer.Linear => "linear", Transfer.Srgb => "srgb", Transfer.Bt1886 => "bt1886", Transfer.Pq => "pq", Transfer.Hlg => "hlg",
        _ => t.ToString(),
    };

    /// <summary>The configuration's name of a set of primaries.</summary>
    public static string Name(Primaries p) => p switch
    {
        Primaries.Rec709 => "rec709", Primaries.Rec2020 => "rec2020", Primaries.P3D65 => "p3d65", Primaries.AcesCg => "acescg",
        _ => p.ToString(),
    };
}

/// <summary>
/// A wall's calibration: a 3 × 3 matrix and per-channel gains on display-linear light in the output's primaries (from the
/// vendor's measured panel primaries to the target), then an optional <c>.cube</c> LUT on the code values.
/// </summary>
/// <param name="Matrix">Display-linear RGB → corrected RGB.</param>
/// <param name="GainR">Red gain after the matrix.</param><param name="GainG">Green gain.</param><param name="GainB">Blue gain.</param>
/// <param name="Lut">The LUT on code values, or null.</param>
public sealed record WallCalibration(ColourMatrix Matrix, double GainR, double GainG, double GainB, CubeLut? Lut)
{
    /// <summary>No calibration.</summary>
    public static WallCalibration None { get; } = new(ColourMatrix.Identity, 1, 1, 1, null);

    /// <summary>Whether it changes nothing.</summary>
    public bool IsNone => Matrix == ColourMatrix.Identity && GainR == 1 && GainG == 1 && GainB == 1 && Lut is null;

    /// <summary>Short description.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Matrix != ColourMatrix.Identity) parts.Add("matrix");
        if (GainR != 1 || GainG != 1 || GainB != 1) parts.Add(FormattableString.Invariant($"gains {GainR:0.###} {GainG:0.###} {GainB:0.###}"));
        if (Lut is not null) parts.Add($"{(Lut.Is3D ? "3D" : "1D")} LUT {Lut.Size} ({System.IO.Path.GetFileName(Lut.Path)})");
        return string.Join(", ", parts);
    }
}
