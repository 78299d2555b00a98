using System.Numerics;
using Stage.Core.Configuration;

namespace Stage.Render.Projection;

/// <summary>
/// Where each canvas pixel of an output lies in stage space: through the output's regions to a wall
/// pixel, then through the wall's geometry. The compose pass rasterises exactly this mapping.
/// </summary>
public static class CanvasMapping
{
    /// <summary>The stage-space centre of canvas pixel (<paramref name="x"/>, <paramref name="y"/>), or null where no region covers it.</summary>
    public static Vector3? StagePositionM(StageConfig config, OutputCanvas output, int x, int y)
    {
        if (!output.TryMapCanvasPixel(x, y, out OutputRegion region, out int column, out int row)) return null;
        Wall wall = config.FindWall(region.WallId) ?? throw new InvalidOperationException($"output '{output.Id}' names wall '{region.WallId}', which the stage does not have");
        return wall.PixelCentreM(column, row);
    }

    /// <summary>
    /// The wall pixel (column, row) where the ray from <paramref name="eyeM"/> through <paramref name="pointM"/> crosses a flat wall,
    /// or null when it misses the wall or runs away from it.
    /// </summary>
    public static Vector2? FlatWallHit(FlatWall wall, Vector3 eyeM, Vector3 pointM)
    {
        Vector3 origin = wall.GridPointM(0, 0);
        Vector3 alongColumns = wall.GridPointM(wall.PixelWidth, 0) - origin;
        Vector3 alongRows = wall.GridPointM(0, wall.PixelHeight) - origin;
        Vector3 normal = Vector3.Normalize(Vector3.Cross(alongColumns, alongRows));
        Vector3 direction = pointM - eyeM;
        float denominator = Vector3.Dot(direction, normal);
        if (MathF.Abs(denominator) < 1e-9f) return null;
        float t = Vector3.Dot(origin - eyeM, normal) / denominator;
        if (t <= 0) return null;
        Vector3 hit = eyeM + t * direction - origin;
        float u = Vector3.Dot(hit, alongColumns) / alongColumns.LengthSquared();
        float v = Vector3.Dot(hit, alongRows) / alongRows.LengthSquared();
        if (u < 0 || u > 1 || v < 0 || v > 1) return null;
        return new Vector2(u * wall.PixelWidth, v * wall.PixelHeight);
    }

    /// <summary>
    /// The wall pixel (column, row) where the ray from <paramref name="eyeM"/> through <paramref name="pointM"/> first
    /// crosses any wall built of flat panel columns (flat walls, ceilings and curved walls alike), or null when it
    /// misses. Each column is a flat quad between its grid edges, so a curved wall is hit chord by chord, exactly
    /// as its LEDs stand.
    /// </summary>
    public static Vector2? WallHit(Wall wall, Vector3 eyeM, Vector3 pointM)
    {
        if (wall is FlatWall flat) return FlatWallHit(flat, eyeM, pointM);
        Vector3 direction = pointM - eyeM;
        Vector2? best = null;
        float bestT = float.PositiveInfinity;
        int columnPx = wall.PixelWidth / wall.PanelColumns;
        for (int column = 0; column < wall.PanelColumns; column++)
        {
            Vector3 origin = wall.GridPointM(column * columnPx, 0);
            Vector3 across = wall.GridPointM((column + 1) * columnPx, 0) - origin;
            Vector3 down = wall.GridPointM(column * columnPx, wall.PixelHeight) - origin;
            Vector3 normal = Vector3.Cross(across, down);
            float denominator = Vector3.Dot(direction, normal);
            if (MathF.Abs(denominator) < 1e-12f) continue;
            float t = Vector3.Dot(origin - eyeM, normal) / denominator;
            if (t <= 0 || t >= bestT) continue;
            Vector3 hit = eyeM + t * direction - origin;
            float u = Vector3.Dot(hit, across) / across.LengthSquared();
            float v = Vector3.Dot(hit, down) / down.LengthSquared();
            if (u < 0 || u > 1 || v < 0 || v > 1) continue;
            bestT = t;
            best = new Vector2((column + u) * columnPx, v * wall.PixelHeight);
        }
        return best;
    }
}
