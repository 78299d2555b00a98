namespace Stage.Core.Colour;

/// <summary>How a picture meant for people (previews, the operator page's thumbnails) shows an output's code values.</summary>
public enum ViewMode
{
    /// <summary>The view transform to sRGB Rec.709 (<see cref="ViewTransform"/>): a sensible picture of any output.</summary>
    Srgb,
    /// <summary>The code values as they are (for measuring; a PQ output then looks dim and washed out).</summary>
    None,
}

/// <summary>
/// The view transform (docs/colour.md, "What people look at"): an output's code values back to light, then to an sRGB
/// Rec.709 picture. On the CPU, on images already read back (previews, thumbnails: asynchronous, off the live path).
/// <list type="number">
/// <item>Decode the transfer to display light relative to the output's reference white: PQ's EOTF (nits ÷ reference
/// white), HLG's inverse OETF then its OOTF (γ for the peak), BT.1886 <c>V^2.4</c>, sRGB's decode, linear as is (the last
/// three × peak ÷ reference white, which is 1 for SDR outputs). The calibration (matrix, gains, LUT) is not undone: the
/// view shows what the nominal transfer means.</item>
/// <item>The output's primaries → Rec.709 (<see cref="ColourSpaces.Conversion"/>); gamut clip: negative channels to 0.</item>
/// <item>Tone map, HDR outputs (PQ, HLG) only: <c>s = 0.6 × light</c> (reference white → 0.6, sRGB code 0.80), then on
/// the largest channel <c>m</c> a soft shoulder above the knee <c>k = 0.5</c>: <c>m' = k + (1 − k)(1 − e^(−(m − k)/(1 − k)))</c>
/// (continuous in value and slope, tending to 1), the three channels scaled by <c>m'/m</c> so hue holds. SDR outputs
/// (reference white = peak): clipped to 1, no tone map, so an sRGB output's view equals its code values.</item>
/// <item>sRGB encode, 8 bits.</item>
/// </list>
/// Decoding goes through a 4,096-entry table per output (code → light, linear between entries), built once.
/// </summary>
public sealed class ViewTransform
{
    /// <summary>Where reference white lands before the shoulder (linear; sRGB code 0.80).</summary>
    public const double ReferenceWhiteView = 0.6;

    /// <summary>The shoulder's knee: below it HDR light is shown as is (scaled), above it rolled off towards 1.</summary>
    public const double Knee = 0.5;

    private const int TableSize = 4096;

    private readonly float[] _decode = new float[TableSize + 1];
    private readonly float[] _m = new float[9];
    private readonly bool _hdr;
    private readonly double _hlgGamma;
    private readonly (double R, double G, double B) _luma;

    /// <summary>The view transform of <paramref name="output"/>.</summary>
    public ViewTransform(OutputColour output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Output = output;
        _hdr = output.IsHdr;
        _hlgGamma = TransferFunctions.HlgSystemGamma(output.PeakNits);
        _luma = ColourSpaces.LuminanceWeights(output.Primaries);
        ColourMatrix m = ColourSpaces.Conversion(output.Primaries, Primaries.Rec709);
        for (int i = 0; i < 9; i++) _m[i] = (float)m[i / 3, i % 3];
        double relative = output.PeakNits / output.ReferenceWhiteNits;
        for (int i = 0; i <= TableSize; i++)
        {
            double v = i / (double)TableSize;
            _decode[i] = (float)(output.Transfer switch
            {
                Transfer.Pq => TransferFunctions.PqDecode(v) / output.ReferenceWhiteNits,
                // HLG: scene light here; the OOTF (which mixes channels through luminance) is applied per pixel.
                Transfer.Hlg => TransferFunctions.HlgInverseOetf(v),
                Transfer.Bt1886 => TransferFunctions.Bt1886Decode(v) * relative,
                Transfer.Srgb => TransferFunctions.SrgbDecode(v) * relative,
                _ => v * relative,
            });
        }
    }

    /// <summary>The output whose code values are viewed.</summary>
    public OutputColour Output { get; }

    /// <summary>Light relative to reference white (Rec.709, gamut-clipped) of code values <paramref name="r"/>, <paramref name="g"/>, <paramref name="b"/> (0 … 1).</summary>
    public (double R, double G, double B) Light(double r, double g, double b)
    {
        double lr = Decode(r), lg = Decode(g), lb = Decode(b);
        if (Output.Transfer == Transfer.Hlg)
        {
            // BT.2100 OOTF: display = scene × Ys^(γ − 1), as a fraction of peak; then relative to reference white.
            double ys = _luma.R * lr + _luma.G * lg + _luma.B * lb;
            double scale = ys > 0 ? Math.Pow(ys, _hlgGamma - 1) * Output.PeakNits / Output.ReferenceWhiteNits : 0;
            (lr, lg, lb) = (lr * scale, lg * scale, lb * scale);
        }
        double x = _m[0] * lr + _m[1] * lg + _m[2] * lb;
        double y = _m[3] * lr + _m[4] * lg + _m[5] * lb;
        double z = _m[6] * lr + _m[7] * lg + _m[8] * lb;
        return (Math.Max(x, 0), Math.Max(y, 0), Math.Max(z, 0));
    }

    /// <summary>The viewed sRGB value (0 … 1) of code values <paramref name="r"/>, <paramref name="g"/>, <paramref name="b"/> (0 … 1).</summary>
    public (double R, double G, double B) View(double r, double g, double b)
    {
        (double x, double y, double z) = Light(r, g, b);
        if (_hdr)
        {
            (x, y, z) = (x * ReferenceWhiteView, y * ReferenceWhiteView, z * ReferenceWhiteView);
            double m = Math.Max(x, Math.Max(y, z));
            if (m > Knee)
            {
                double rolled = Knee + (1 - Knee) * (1 - Math.Exp(-(m - Knee) / (1 - Knee)));
                double s = rolled / m;
                (x, y, z) = (x * s, y * s, z * s);
            }
        }
        return (TransferFunctions.SrgbEncode(x), TransferFunctions.SrgbEncode(y), TransferFunctions.SrgbEncode(z));
    }

    /// <summary>The viewed 8-bit sRGB of code values (0 … 1).</summary>
    public (byte R, byte G, byte B) View8(double r, double g, double b)
    {
        (double x, double y, double z) = View(r, g, b);
        return ((byte)Math.Round(x * 255), (byte)Math.Round(y * 255), (byte)Math.Round(z * 255));
    }

    /// <summary>
    /// Views a whole image: <paramref name="rgba"/> holds RGBA samples of <paramref name="bitDepth"/> bits (8, or 16
    /// little-endian), <paramref name="rgba8"/> gets 8-bit sRGB RGBA, opaque.
    /// </summary>
    public void ViewImage(ReadOnlySpan<byte> rgba, int bitDepth, Span<byte> rgba8)
    {
        int bytesPerPixel = bitDepth == 16 ? 8 : 4;
        int pixels = rgba.Length / bytesPerPixel;
        if (rgba8.Length < pixels * 4) throw new ArgumentException("the target holds fewer pixels than the source", nameof(rgba8));
        for (int p = 0; p < pixels; p++)
        {
            double r, g, b;
            if (bitDepth == 16)
            {
                int i = p * 8;
                r = (rgba[i] | rgba[i + 1] << 8) / 65535.0;
                g = (rgba[i + 2] | rgba[i + 3] << 8) / 65535.0;
                b = (rgba[i + 4] | rgba[i + 5] << 8) / 65535.0;
            }
            else
            {
                int i = p * 4;
                (r, g, b) = (rgba[i] / 255.0, rgba[i + 1] / 255.0, rgba[i + 2] / 255.0);
            }
            (byte vr, byte vg, byte vb) = View8(r, g, b);
            rgba8[p * 4] = vr;
            rgba8[p * 4 + 1] = vg;
            rgba8[p * 4 + 2] = vb;
            rgba8[p * 4 + 3] = 255;
        }
    }

    private double Decode(double code)
    {
        double at = Math.Clamp(code, 0, 1) * TableSize;
        int i = Math.Min((int)at, TableSize - 1);
        double f = at - i;
        return _decode[i] + (_decode[i + 1] - _decode[i]) * f;
    }
}
