using System.Numerics;

namespace Stage.Core.Configuration;

/// <summary>
/// How the stage is rendered beyond the walls and cameras: the outer frustum's viewpoint and cube-face
/// resolution (what lights the actors and what the walls show outside the cameras' views) and the soft
/// edge between a camera's inner frustum and the outer view.
/// </summary>
public sealed record RenderConfig
{
    /// <summary>Stage-space viewpoint of the outer render, metres (default: head height at the stage origin).</summary>
    public Vector3 OuterEyeM { get; init; } = new(0f, 1.7f, 0f);

    /// <summary>
    /// Pixels along each edge of the outer render's six cube faces as the configuration fixes them; null (the default)
    /// lets <see cref="OuterResolution.Choose"/> pick them from the walls' LED density seen from <see cref="OuterEyeM"/>.
    /// </summary>
    public int? OuterFaceSizePx { get; init; }

    /// <summary>
    /// Samples per pixel of the inner and outer views (1, 2, 4 or 8; default 4): multisample anti-aliasing, resolved
    /// before the compose pass. A count the GPU does not offer is lowered to the highest one it offers below it, with a warning.
    /// </summary>
    public int MsaaSamples { get; init; } = 4;

    /// <summary>Width of the blend from outer to inner at the inner image's border, percent of the image.</summary>
    public double SoftEdgePercent { get; init; } = 2;

    /// <summary>
    /// Frames the GPU may work on at once (1–3, default 2): the CPU records the next frame while the GPU renders this one.
    /// 1 trades throughput for the shortest queue; 3 hides a slow frame's CPU work on a GPU that keeps up.
    /// </summary>
    public int FramesInFlight { get; init; } = 2;

    /// <summary>
    /// The primaries of the scene-linear working space the world renders in (<c>workingSpace</c>: rec709, today's and the
    /// default, or acescg, ACES AP1); the compose pass converts to each output's primaries.
    /// </summary>
    public Stage.Core.Colour.Primaries WorkingSpace { get; init; } = Stage.Core.Colour.Primaries.Rec709;

    /// <summary>
    /// The light, in nits, that 1.0 of the working space stands for on every output (<c>referenceWhiteNits</c>); null: each
    /// output's default — 203 for PQ and HLG (ITU-R BT.2408), 100 for SDR.
    /// </summary>
    public double? ReferenceWhiteNits { get; init; }

    /// <summary>
    /// The camera's exposure in EV (−10 … 30, default 0): scene luminance L (cd/m²) is rendered as L · 2^−EV, so 1.0 of
    /// the scene-linear wall signal is 2^EV nits (15 for a world lit by ~100 klx daylight). Changed live by
    /// <c>/stage/camera/exposure</c>. The wall path stays scene-linear; encoding for the LED processor is separate.
    /// </summary>
    public double ExposureEv { get; init; }
}
