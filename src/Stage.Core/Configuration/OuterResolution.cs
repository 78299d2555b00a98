using System.Globalization;
using System.Numerics;

namespace Stage.Core.Configuration;

/// <summary>The outer cube's face size and how it came about.</summary>
/// <param name="FaceSizePx">Pixels along each edge of the six faces the renderer uses.</param>
/// <param name="NeededPx">The face size at which no texel covers more than <see cref="OuterResolution.LedPixelsPerTexel"/> LED pixels (0 without walls).</param>
/// <param name="LedPixelsPerTexel">LED pixels along one texel at the densest place of the walls, at <see cref="FaceSizePx"/>.</param>
/// <param name="Source">"configuration" (render.outerFaceSizePx), "walls" (chosen from the walls) or "walls, capped" (the GPU budget cut it).</param>
public readonly record struct OuterFaceChoice(int FaceSizePx, int NeededPx, double LedPixelsPerTexel, string Source)
{
    /// <summary>One line for <c>stage validate</c> and the start of <c>stage run</c>.</summary>
    public override string ToString() => Source switch
    {
        "configuration" => string.Create(CultureInfo.InvariantCulture, $"outer view: {FaceSizePx}² per cube face (render.outerFaceSizePx), {LedPixelsPerTexel:0.0} LED px per texel at the densest wall point (the walls need {NeededPx}² for ≤ {OuterResolution.LedPixelsPerTexel:0})"),
        "walls, capped" => string.Create(CultureInfo.InvariantCulture, $"outer view: {FaceSizePx}² per cube face, capped by the GPU budget ({OuterResolution.MaxFaceSizePx}²; the walls need {NeededPx}² for ≤ {OuterResolution.LedPixelsPerTexel:0} LED px per texel), {LedPixelsPerTexel:0.0} LED px per texel at the densest wall point"),
        _ => string.Create(CultureInfo.InvariantCulture, $"outer view: {FaceSizePx}² per cube face, chosen from the walls ({LedPixelsPerTexel:0.0} LED px per texel at the densest wall point)"),
    };
}

/// <summary>
/// Chooses the outer cube's face size from the walls' angular LED density seen from the outer eye, so that one texel of
/// the outer view covers no more than <see cref="LedPixelsPerTexel"/> LED pixels anywhere on the walls, within the GPU
/// budget <see cref="MaxFaceSizePx"/>.
/// <para>
/// At a wall point P at distance d from the eye, with incidence cosine c between the LED face's normal and the line of
/// sight, one LED pixel of pitch p subtends the solid angle p²·c / d². A texel of a face of N pixels at face coordinates
/// (s, t) (tangents: −1 … 1 across the face) subtends (2/N)² / (1 + s² + t²)^{3/2}. The linear ratio of the two is the
/// LED pixels along one texel; asking it to be at most k gives N ≥ 2·d / (k·p·√c·(1 + s² + t²)^{3/4}). For a flat wall
/// square to a face's axis at distance D that is 2·D / (k·p) everywhere on it (the gnomonic projection onto a parallel
/// plane is uniform); demo-flat (D = 4 m, p = 0.5 m / 192) needs 1536 px.
/// </para>
/// </summary>
public static class OuterResolution
{
    /// <summary>LED pixels one outer texel may cover, along each axis (the "no more than ~2").</summary>
    public const double LedPixelsPerTexel = 2;

    /// <summary>
    /// The GPU budget: at most 2048² per face. Six faces are 25.2 Mpx a frame (three 4K canvases); in memory the six
    /// resolved RGBA16F faces are 201 MB, and one 4× multisampled face with its depth 201 MB more.
    /// </summary>
    public const int MaxFaceSizePx = 2048;

    /// <summary>The smallest face chosen (a stage whose walls are all far off still gets a usable cube).</summary>
    public const int MinFaceSizePx = 64;

    /// <summary>Grid samples per wall and axis where the density is evaluated (fine enough that the densest point is within 0.1 %).</summary>
    private const int SamplesPerAxis = 256;

    /// <summary>The face size for <paramref name="config"/>: its <c>render.outerFaceSizePx</c> where given, else chosen from the walls and capped.</summary>
    public static OuterFaceChoice Choose(StageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        double needed = NeededFaceSizePx(config.Walls, config.Render.OuterEyeM);
        int neededPx = needed <= 0 ? 0 : RoundUp16(needed);
        if (config.Render.OuterFaceSizePx is { } fixedPx)
            return new OuterFaceChoice(fixedPx, neededPx, Ratio(needed, fixedPx), "configuration");
        if (neededPx > MaxFaceSizePx)
            return new OuterFaceChoice(MaxFaceSizePx, neededPx, Ratio(needed, MaxFaceSizePx), "walls, capped");
        int size = Math.Max(MinFaceSizePx, neededPx);
        return new OuterFaceChoice(size, neededPx, Ratio(needed, size), "walls");
    }

    /// <summary>
    /// The (fractional) face size at which no texel covers more than <see cref="LedPixelsPerTexel"/> LED pixels on any of
    /// <paramref name="walls"/> seen from <paramref name="eyeM"/>: the largest over a grid of points on each wall.
    /// </summary>
    public static double NeededFaceSizePx(IReadOnlyList<Wall> walls, Vector3 eyeM)
    {
        ArgumentNullException.ThrowIfNull(walls);
        double needed = 0;
        foreach (Wall wall in walls)
        {
            double pitchM = Math.Sqrt(wall.Panel.WidthM / wall.Panel.PixelsX * (wall.Panel.HeightM / wall.Panel.PixelsY));
            for (var i = 0; i <= SamplesPerAxis; i++)
            {
                double column = wall.PixelWidth * (double)i / SamplesPerAxis;
                for (var j = 0; j <= SamplesPerAxis; j++)
                {
                    double row = wall.PixelHeight * (double)j / SamplesPerAxis;
                    needed = Math.Max(needed, NeededAt(wall.GridPointM(column, row), wall.NormalAt(column, row), pitchM, eyeM));
                }
            }
        }
        return needed;
    }

    /// <summary>N ≥ 2·d / (k·p·√c·(1 + s² + t²)^{3/4}) at one wall point (see the class remarks).</summary>
    private static double NeededAt(Vector3 pointM, Vector3 normal, double pitchM, Vector3 eyeM)
    {
        Vector3 toPoint = pointM - eyeM;
        double d = toPoint.Length();
        if (d < 1e-6) return 0;
        Vector3 a = Vector3.Abs(toPoint);
        double major = Math.Max(a.X, Math.Max(a.Y, a.Z));
        // 1 + s² + t² = |v|² / major² for the face of the major axis.
        double faceTerm = (double)toPoint.LengthSquared() / (major * major);
        // An LED seen edge-on covers no angle; floor the cosine so a grazing point does not ask for infinity.
        double cosine = Math.Max(0.05, Math.Abs(Vector3.Dot(normal, toPoint)) / d);
        return 2 * d / (LedPixelsPerTexel * pitchM * Math.Sqrt(cosine) * Math.Pow(faceTerm, 0.75));
    }

    /// <summary>LED pixels per texel at face size <paramref name="faceSizePx"/> where <paramref name="needed"/> gives 2.</summary>
    private static double Ratio(double needed, int faceSizePx) => needed <= 0 ? 0 : LedPixelsPerTexel * needed / faceSizePx;

    // Stage positions are single precision: a few 1e-4 px of rounding must not push a size to the next step.
    private static int RoundUp16(double size) => (int)Math.Ceiling(size / 16 - 1e-3) * 16;

    /// <summary>
    /// Null when <paramref name="eyeM"/> is inside the volume the walls enclose — in front of the LED face of every wall
    /// point — else the first wall it is behind (the LEDs there face away from it: the outer view sees their backs).
    /// </summary>
    public static Wall? WallBehindEye(IReadOnlyList<Wall> walls, Vector3 eyeM)
    {
        ArgumentNullException.ThrowIfNull(walls);
        const int samples = 16;
        foreach (Wall wall in walls)
        {
            for (var i = 0; i <= samples; i++)
            {
                for (var j = 0; j <= samples; j++)
                {
                    double column = wall.PixelWidth * (double)i / samples, row = wall.PixelHeight * (double)j / samples;
                    if (Vector3.Dot(wall.NormalAt(column, row), eyeM - wall.GridPointM(column, row)) <= 0) return wall;
                }
            }
        }
        return null;
    }
}
