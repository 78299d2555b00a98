using System.Numerics;
using System.Runtime.InteropServices;
using Stage.Core.Configuration;

namespace Stage.Render.Compose;

/// <summary>One vertex of a canvas's compose mesh (28 bytes, the layout shaders/compose.vert reads).</summary>
/// <param name="CanvasPx">Position on the canvas in pixels (origin top-left, pixel edges on integers).</param>
/// <param name="StageM">The stage-space position of that point of the wall, metres.</param>
/// <param name="WallPx">The wall pixel-grid coordinate (column, row) of that point.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct ComposeVertex(Vector2 CanvasPx, Vector3 StageM, Vector2 WallPx)
{
    /// <summary>Bytes per vertex.</summary>
    public const int SizeBytes = 28;
}

/// <summary>
/// The triangles the compose pass rasterises for one output canvas: every region's wall rectangle,
/// cut at panel-column boundaries. Within one panel column every wall kind Stage knows is affine in
/// (column, row) — a flat wall everywhere, a curved wall along each flat chord — so the stage position
/// interpolated linearly across a quad in canvas pixels equals <see cref="Wall.GridPointM"/> exactly
/// (up to float rounding) at every pixel; the curve is exact chord by chord.
/// </summary>
public static class ComposeMesh
{
    /// <summary>Builds the triangle list (6 vertices per quad) for <paramref name="canvas"/>.</summary>
    public static ComposeVertex[] Build(StageConfig config, OutputCanvas canvas)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(canvas);
        var vertices = new List<ComposeVertex>();
        foreach (OutputRegion region in canvas.Regions)
        {
            Wall wall = config.FindWall(region.WallId)
                ?? throw new InvalidOperationException($"output '{canvas.Id}' names wall '{region.WallId}', which the stage does not have");
            PixelRect rect = region.WallRect;
            int panelPx = wall.Panel.PixelsX;
            int c0 = rect.X;
            while (c0 < rect.Right)
            {
                // The next panel-column edge, or the region's right edge.
                int c1 = Math.Min(rect.Right, (c0 / panelPx + 1) * panelPx);
                AddQuad(vertices, wall, region, c0, c1, rect.Y, rect.Bottom);
                c0 = c1;
            }
        }
        return [.. vertices];
    }

    private static void AddQuad(List<ComposeVertex> vertices, Wall wall, OutputRegion region, int c0, int c1, int r0, int r1)
    {
        ComposeVertex Corner(int column, int row)
        {
            var canvas = new Vector2(region.CanvasX + column - region.WallRect.X, region.CanvasY + row - region.WallRect.Y);
            return new ComposeVertex(canvas, wall.GridPointM(column, row), new Vector2(column, row));
        }

        ComposeVertex a = Corner(c0, r0), b = Corner(c1, r0), c = Corner(c1, r1), d = Corner(c0, r1);
        vertices.AddRange([a, b, c, a, c, d]);
    }

    /// <summary>
    /// The stage position the rasteriser interpolates at canvas pixel centre (<paramref name="x"/>+½, <paramref name="y"/>+½),
    /// computed on the CPU from the mesh (for tests): null where no triangle covers it.
    /// </summary>
    public static Vector3? Interpolate(ReadOnlySpan<ComposeVertex> mesh, int x, int y)
    {
        var p = new Vector2(x + 0.5f, y + 0.5f);
        for (var i = 0; i + 2 < mesh.Length; i += 3)
        {
            ComposeVertex a = mesh[i], b = mesh[i + 1], c = mesh[i + 2];
            float area = Cross(b.CanvasPx - a.CanvasPx, c.CanvasPx - a.CanvasPx);
            if (area == 0) continue;
            float wa = Cross(b.CanvasPx - p, c.CanvasPx - p) / area;
            float wb = Cross(c.CanvasPx - p, a.CanvasPx - p) / area;
            float wc = 1 - wa - wb;
            if (wa < 0 || wb < 0 || wc < 0) continue;
            return wa * a.StageM + wb * b.StageM + wc * c.StageM;
        }
        return null;
    }

    private static float Cross(Vector2 u, Vector2 v) => u.X * v.Y - u.Y * v.X;
}
