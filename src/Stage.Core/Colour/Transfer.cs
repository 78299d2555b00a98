namespace Stage.Core.Colour;

/// <summary>How an output turns display light into code values (its transfer function, an inverse EOTF).</summary>
public enum Transfer
{
    /// <summary>Code value = light as a fraction of the output's peak.</summary>
    Linear,

    /// <summary>IEC 61966-2-1 sRGB (piecewise: linear toe, 1/2.4 power).</summary>
    Srgb,

    /// <summary>ITU-R BT.1886 with a black level of 0: a pure 2.4 gamma.</summary>
    Bt1886,

    /// <summary>SMPTE ST 2084 perceptual quantiser: absolute light, 0 … 10,000 nits.</summary>
    Pq,

    /// <summary>ITU-R BT.2100 hybrid log-gamma: display light through the inverse OOTF, then the OETF.</summary>
    Hlg,
}

/// <summary>The transfer functions, each with its inverse, in double precision (the CPU reference the GPU is tested against).</summary>
public static class TransferFunctions
{
    /// <summary>ST 2084 m1 = 2610/16384.</summary>
    public const double PqM1 = 2610.0 / 16384.0;

    /// <summary>ST 2084 m2 = 2523/4096 × 128.</summary>
    public const double PqM2 = 2523.0 / 4096.0 * 128.0;

    /// <summary>ST 2084 c1 = 3424/4096 (= c3 − c2 + 1).</summary>
    public const double PqC1 = 3424.0 / 4096.0;

    /// <summary>ST 2084 c2 = 2413/4096 × 32.</summary>
    public const double PqC2 = 2413.0 / 4096.0 * 32.0;

    /// <summary>ST 2084 c3 = 2392/4096 × 32.</summary>
    public const double PqC3 = 2392.0 / 4096.0 * 32.0;

    /// <summary>The luminance PQ's code value 1.0 stands for, nits.</summary>
    public const double PqPeakNits = 10000.0;

    /// <summary>BT.2100 HLG a.</summary>
    public const double HlgA = 0.17883277;

    /// <summary>BT.2100 HLG b = 1 − 4a.</summary>
    public const double HlgB = 0.28466892;

    /// <summary>BT.2100 HLG c = 0.5 − a·ln(4a).</summary>
    public const double HlgC = 0.55991073;

    /// <summary>The BT.1886 display gamma.</summary>
    public const double Bt1886Gamma = 2.4;

    /// <summary>PQ inverse EOTF: absolute luminance (nits) → signal 0 … 1.</summary>
    public static double PqEncode(double nits)
    {
        double y = Math.Clamp(nits / PqPeakNits, 0, 1);
        double p = Math.Pow(y, PqM1);
        return Math.Pow((PqC1 + PqC2 * p) / (1 + PqC3 * p), PqM2);
    }

    /// <summary>PQ EOTF: signal 0 … 1 → absolute luminance, nits.</summary>
    public static double PqDecode(double signal)
    {
        double e = Math.Pow(Math.Clamp(signal, 0, 1), 1 / PqM2);
        return PqPeakNits * Math.Pow(Math.Max(e - PqC1, 0) / (PqC2 - PqC3 * e), 1 / PqM1);
    }

    /// <summary>sRGB encoding: linear 0 … 1 → signal.</summary>
    public static double SrgbEncode(double linear)
    {
        double l = Math.Clamp(linear, 0, 1);
        return l <= 0.0031308 ? 12.92 * l : 1.055 * Math.Pow(l, 1 / 2.4) - 0.055;
    }

    /// <summary>sRGB decoding: signal → linear 0 … 1.</summary>
    public static double SrgbDecode(double signal)
    {
        double v = Math.Clamp(signal, 0, 1);
        return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
    }

    /// <summary>BT.1886 inverse EOTF with black 0: light as a fraction of peak → signal (L = V^2.4).</summary>
    public static double Bt1886Encode(double linear) => Math.Pow(Math.Clamp(linear, 0, 1), 1 / Bt1886Gamma);

    /// <summary>BT.1886 EOTF with black 0: signal → light as a fraction of peak.</summary>
    public static double Bt1886Decode(double signal) => Math.Pow(Math.Clamp(signal, 0, 1), Bt1886Gamma);

    /// <summary>HLG OETF (BT.2100): normalised scene light E 0 … 1 → signal E′.</summary>
    public static double HlgOetf(double scene)
    {
        double e = Math.Clamp(scene, 0, 1);
        return e <= 1.0 / 12.0 ? Math.Sqrt(3 * e) : HlgA * Math.Log(12 * e - HlgB) + HlgC;
    }

    /// <summary>HLG inverse OETF: signal E′ → normalised scene light E.</summary>
    public static double HlgInverseOetf(double signal)
    {
        double v = Math.Clamp(signal, 0, 1);
        return v <= 0.5 ? v * v / 3 : (Math.Exp((v - HlgC) / HlgA) + HlgB) / 12;
    }

    /// <summary>
    /// The HLG system gamma for a display of <paramref name="peakNits"/> (BT.2100 note 5f / BT.2390's extended form):
    /// 1.2 at 1,000 nits, γ = 1.2 + 0.42·log10(Lw / 1000).
    /// </summary>
    public static double HlgSystemGamma(double peakNits) => 1.2 + 0.42 * Math.Log10(peakNits / 1000.0);
}
