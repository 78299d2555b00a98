namespace Stage.Core.Configuration;

/// <summary>A rectangle of pixels: left, top, width, height (right and bottom exclusive).</summary>
/// <param name="X">Left column.</param>
/// <param name="Y">Top row.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    /// <summary>One past the right column.</summary>
    public int Right => X + Width;

    /// <summary>One past the bottom row.</summary>
    public int Bottom => Y + Height;

    /// <summary>Number of pixels.</summary>
    public long Area => (long)Width * Height;

    /// <summary>True when the pixel lies inside.</summary>
    public bool Contains(int x, int y) => x >= X && x < Right && y >= Y && y < Bottom;

    /// <summary>True when <paramref name="other"/> lies wholly inside.</summary>
    public bool Contains(PixelRect other) => other.X >= X && other.Y >= Y && other.Right <= Right && other.Bottom <= Bottom;

    /// <summary>The common part, or null when they do not overlap.</summary>
    public PixelRect? Intersect(PixelRect other)
    {
        int left = Math.Max(X, other.X), top = Math.Max(Y, other.Y);
        int right = Math.Min(Right, other.Right), bottom = Math.Min(Bottom, other.Bottom);
        return right > left && bottom > top ? new PixelRect(left, top, right - left, bottom - top) : null;
    }

    /// <summary>"x 0–1919, y 0–1079" (inclusive, as a person reads pixel ranges).</summary>
    public override string ToString() => $"x {X}–{Right - 1}, y {Y}–{Bottom - 1}";

    /// <summary>
    /// The parts of this rectangle that none of <paramref name="covers"/> reaches, as disjoint
    /// rectangles (row bands merged). Works on the grid of the rectangles' edges, so its cost follows the
    /// number of regions, not of pixels.
    /// </summary>
    public IReadOnlyList<PixelRect> Uncovered(IReadOnlyList<PixelRect> covers)
    {
        ArgumentNullException.ThrowIfNull(covers);
        PixelRect bounds = this;
        var xs = new SortedSet<int> { bounds.X, bounds.Right };
        var ys = new SortedSet<int> { bounds.Y, bounds.Bottom };
        foreach (PixelRect c in covers)
        {
            PixelRect? clipped = c.Intersect(bounds);
            if (clipped is null) continue;
            xs.Add(clipped.Value.X); xs.Add(clipped.Value.Right);
            ys.Add(clipped.Value.Y); ys.Add(clipped.Value.Bottom);
        }
        int[] xEdges = [.. xs], yEdges = [.. ys];
        var gaps = new List<PixelRect>();
        for (int yi = 0; yi + 1 < yEdges.Length; yi++)
        {
            int? runStart = null;
            for (int xi = 0; xi + 1 <= xEdges.Length; xi++)
            {
                bool uncovered = false;
                if (xi + 1 < xEdges.Length)
                {
                    var cell = new PixelRect(xEdges[xi], yEdges[yi], xEdges[xi + 1] - xEdges[xi], yEdges[yi + 1] - yEdges[yi]);
                    uncovered = !covers.Any(c => c.Contains(cell));
                }
                if (uncovered && runStart is null) runStart = xEdges[xi];
                if (!uncovered && runStart is not null)
                {
                    gaps.Add(new PixelRect(runStart.Value, yEdges[yi], xEdges[xi] - runStart.Value, yEdges[yi + 1] - yEdges[yi]));
                    runStart = null;
                }
            }
        }
        // Merge vertically adjacent bands with the same columns so a gap reads as one rectangle.
        var merged = new List<PixelRect>();
        foreach (PixelRect gap in gaps)
        {
            int match = merged.FindIndex(m => m.X == gap.X && m.Width == gap.Width && m.Bottom == gap.Y);
            if (match >= 0) merged[match] = merged[match] with { Height = merged[match].Height + gap.Height };
            else merged.Add(gap);
        }
        return merged;
    }
}
