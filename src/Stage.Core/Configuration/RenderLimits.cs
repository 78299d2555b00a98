namespace Stage.Core.Configuration;

/// <summary>Bounds of render settings given in configurations and live commands.</summary>
public static class RenderLimits
{
    /// <summary>The lowest camera exposure accepted, EV (1.0 = 2^−10 nits: a very dark night).</summary>
    public const double MinExposureEv = -10;

    /// <summary>The highest camera exposure accepted, EV (1.0 = 2^30 nits: far beyond the sun's disc).</summary>
    public const double MaxExposureEv = 30;
}
