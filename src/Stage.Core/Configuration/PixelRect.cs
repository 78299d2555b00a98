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
}
