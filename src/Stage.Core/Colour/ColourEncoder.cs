namespace Stage.Core.Colour;

/// <summary>
/// The per-pixel encoding of one output, in double precision: the CPU reference of the compose pass's encoding
/// (shaders/colour.glsl), in the same order —
/// <list type="number">
/// <item>working-space linear RGB (1.0 = reference white) → the output's primaries, scaled by white / peak so 1.0 is the
/// wall's peak (<see cref="ToOutput"/>; a negative channel counts as out of gamut, one above 1 as over peak);</item>
/// <item>the ASC CDL grade (camera's on inner pixels, wall's on outer), whose clamps to [0, 1] clip at the peak;</item>
/// <item>the calibration matrix and gains, clamped to [0, 1];</item>
/// <item>the transfer function → code value;</item>
/// <item>the calibration LUT on code values (trilinear on its lattice);</item>
/// <item>quantisation to the output's bit depth.</item>
/// </list>
/// </summary>
public sealed class ColourEncoder
{
    private readonly float[]? _lattice;
    private readonly int _latticeSize;

    /// <summary>An encoder for <paramref name="output"/> from a working space in <paramref name="working"/> primaries.</summary>
    public ColourEncoder(Primaries working, OutputColour output, int bitDepth)
    {
        ArgumentNullException.ThrowIfNull(output);
        Output = output;
        BitDepth = bitDepth;
        ToOutput = ColourSpaces.Conversion(working, output.Primaries) * (output.ReferenceWhiteNits / output.PeakNits);
        (LumaR, LumaG, LumaB) = ColourSpaces.LuminanceWeights(output.Primaries);
        HlgGamma = TransferFunctions.HlgSystemGamma(output.PeakNits);
        if (output.Calibration.Lut is { } lut) _lattice = lut.ToLattice(out _latticeSize);
    }

    /// <summary>The output.</summary>
    public OutputColour Output { get; }

    /// <summary>Bits per channel of the code values (8 … 16).</summary>
    public int BitDepth { get; }

    /// <summary>Working RGB → output RGB as a fraction of the peak.</summary>
    public ColourMatrix ToOutput { get; }

    /// <summary>Luminance weights of the output's primaries (HLG's OOTF).</summary>
    public double LumaR { get; }

    /// <summary>Luminance weight of green.</summary>
    public double LumaG { get; }

    /// <summary>Luminance weight of blue.</summary>
    public double LumaB { get; }

    /// <summary>HLG's system gamma for the output's peak.</summary>
    public double HlgGamma { get; }

    /// <summary>Tolerance of the out-of-gamut and over-peak counts (rounding of an in-gamut colour through the matrices).</summary>
    public const double CountTolerance = 1e-4;

    /// <summary>Encodes one working-space pixel; <paramref name="cdl"/> is the grade that applies to it.</summary>
    public (double R, double G, double B) Encode(double r, double g, double b, AscCdl cdl) => Encode(r, g, b, cdl, out _, out _);

    /// <summary>Encodes one pixel and says whether it was out of the output's gamut or over its peak.</summary>
    public (double R, double G, double B) Encode(double r, double g, double b, AscCdl cdl, out bool outOfGamut, out bool overPeak)
    {
        var (x, y, z) = ToOutput.Apply(r, g, b);
        outOfGamut = Math.Min(x, Math.Min(y, z)) < -CountTolerance;
        overPeak = Math.Max(x, Math.Max(y, z)) > 1 + CountTolerance;
        (x, y, z) = cdl.Apply(x, y, z);
        return EncodeDisplay(x, y, z);
    }

    /// <summary>From display light (fraction of peak, graded) on: calibration, transfer, LUT, quantisation.</summary>
    public (double R, double G, double B) EncodeDisplay(double r, double g, double b)
    {
        WallCalibration cal = Output.Calibration;
        var (x, y, z) = cal.Matrix.Apply(r, g, b);
        x = Math.Clamp(x * cal.GainR, 0, 1);
        y = Math.Clamp(y * cal.GainG, 0, 1);
        z = Math.Clamp(z * cal.GainB, 0, 1);
        (x, y, z) = Transfer(x, y, z);
        if (_lattice is not null) (x, y, z) = SampleLut(x, y, z);
        return (Quantise(x), Quantise(y), Quantise(z));
    }

    /// <summary>A value 0 … 1 rounded to the nearest code value of the bit depth.</summary>
    public double Quantise(double v)
    {
        double levels = (1 << BitDepth) - 1;
        return Math.Round(Math.Clamp(v, 0, 1) * levels) / levels;
    }

    /// <summary>The integer code value of a value 0 … 1.</summary>
    public int CodeValue(double v) => (int)Math.Round(Math.Clamp(v, 0, 1) * ((1 << BitDepth) - 1));

    private (double, double, double) Transfer(double r, double g, double b)
    {
        switch (Output.Transfer)
        {
            case Colour.Transfer.Linear:
                return (r, g, b);
            case Colour.Transfer.Srgb:
                return (TransferFunctions.SrgbEncode(r), TransferFunctions.SrgbEncode(g), TransferFunctions.SrgbEncode(b));
            case Colour.Transfer.Bt1886:
                return (TransferFunctions.Bt1886Encode(r), TransferFunctions.Bt1886Encode(g), TransferFunctions.Bt1886Encode(b));
            case Colour.Transfer.Pq:
                double peak = Output.PeakNits;
                return (TransferFunctions.PqEncode(r * peak), TransferFunctions.PqEncode(g * peak), TransferFunctions.PqEncode(b * peak));
            default:
                // HLG: display light (fraction of the peak) → scene light through the inverse OOTF (BT.2100:
                // Fd = Yd^(γ−1)... inverted: E = Fd · Yd^((1−γ)/γ)), then the OETF.
                double yd = LumaR * r + LumaG * g + LumaB * b;
                double k = yd > 0 ? Math.Pow(yd, (1 - HlgGamma) / HlgGamma) : 0;
                return (TransferFunctions.HlgOetf(r * k), TransferFunctions.HlgOetf(g * k), TransferFunctions.HlgOetf(b * k));
        }
    }

    // Trilinear on the lattice, as the GPU's 2D-array texture (bilinear in red–green, two layers of blue mixed).
    private (double, double, double) SampleLut(double r, double g, double b)
    {
        CubeLut lut = Output.Calibration.Lut!;
        int n = _latticeSize;
        double P(double v, double lo, double hi) => Math.Clamp((v - lo) / (hi - lo), 0, 1) * (n - 1);
        double pr = P(r, lut.DomainMin.R, lut.DomainMax.R), pg = P(g, lut.DomainMin.G, lut.DomainMax.G), pb = P(b, lut.DomainMin.B, lut.DomainMax.B);
        int r0 = Math.Min((int)pr, n - 2), g0 = Math.Min((int)pg, n - 2), b0 = Math.Min((int)pb, n - 2);
        double fr = pr - r0, fg = pg - g0, fb = pb - b0;
        double x = 0, y = 0, z = 0;
        for (int k = 0; k < 8; k++)
        {
            int dr = k & 1, dg = (k >> 1) & 1, db = (k >> 2) & 1;
            double w = (dr == 1 ? fr : 1 - fr) * (dg == 1 ? fg : 1 - fg) * (db == 1 ? fb : 1 - fb);
            int i = ((r0 + dr) + (g0 + dg) * n + (b0 + db) * n * n) * 3;
            x += w * _lattice![i];
            y += w * _lattice[i + 1];
            z += w * _lattice[i + 2];
        }
        return (x, y, z);
    }
}
