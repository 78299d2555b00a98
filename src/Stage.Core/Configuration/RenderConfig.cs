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

    /// <summary>Pixels along each edge of the outer render's six cube faces.</summary>
    public int OuterFaceSizePx { get; init; } = 256;

    /// <summary>Width of the blend from outer to inner at the inner image's border, percent of the image.</summary>
    public double SoftEdgePercent { get; init; } = 2;
}
