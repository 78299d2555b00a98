namespace Stage.Core.Configuration;

/// <summary>
/// An output canvas: the image one GPU output / LED processor input receives. It carries
/// rectangular regions of walls, each at a canvas pixel offset.
/// </summary>
public sealed record OutputCanvas
{
    /// <summary>Unique output id.</summary>
    public required string Id { get; init; }

    /// <summary>Canvas width in pixels.</summary>
    public required int PixelWidth { get; init; }

    /// <summary>Canvas height in pixels.</summary>
    public required int PixelHeight { get; init; }

    /// <summary>Bits per colour channel: 8, 10, 12 or 16.</summary>
    public required int BitDepth { get; init; }

    /// <summary>What the output's LED processor expects: transfer, primaries, peak, calibration (<c>colour</c>; by default sRGB at 8 bits, linear deeper).</summary>
    public Stage.Core.Colour.OutputColour Colour { get; init; } = new();

    /// <summary>The wall regions on this canvas, in configuration order.</summary>
    public required IReadOnlyList<OutputRegion> Regions { get; init; }

    /// <summary>All the canvas's pixels.</summary>
    public PixelRect Bounds => new(0, 0, PixelWidth, PixelHeight);

    /// <summary>
    /// The wall pixel a canvas pixel shows, if any region covers it.
    /// </summary>
    public bool TryMapCanvasPixel(int canvasX, int canvasY, out OutputRegion region, out int wallColumn, out int wallRow)
    {
        foreach (OutputRegion candidate in Regions)
        {
            if (candidate.CanvasRect.Contains(canvasX, canvasY))
            {
                region = candidate;
                wallColumn = candidate.WallRect.X + (canvasX - candidate.CanvasX);
                wallRow = candidate.WallRect.Y + (canvasY - candidate.CanvasY);
                return true;
            }
        }
        region = null!;
        wallColumn = wallRow = -1;
        return false;
    }
}

/// <summary>A rectangle of one wall's pixels placed on a canvas at a pixel offset, one to one.</summary>
/// <param name="WallId">The wall the pixels come from.</param>
/// <param name="WallRect">The wall pixels carried.</param>
/// <param name="CanvasX">Canvas column of the rectangle's left edge.</param>
/// <param name="CanvasY">Canvas row of the rectangle's top edge.</param>
public sealed record OutputRegion(string WallId, PixelRect WallRect, int CanvasX, int CanvasY)
{
    /// <summary>Where the region lies on its canvas.</summary>
    public PixelRect CanvasRect => new(CanvasX, CanvasY, WallRect.Width, WallRect.Height);
}
