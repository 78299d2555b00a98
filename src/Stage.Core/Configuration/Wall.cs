using System.Numerics;

namespace Stage.Core.Configuration;

/// <summary>
/// An LED surface in stage space built of identical panels. Its pixel grid (column 0 at the left and
/// row 0 at the top, as seen by someone facing the LEDs) and the stage-space position of every pixel
/// are derived from the geometry and the panel, never typed in.
/// </summary>
public abstract record Wall
{
    /// <summary>Unique wall id, referenced by output regions.</summary>
    public required string Id { get; init; }

    /// <summary>The panel the wall is built of.</summary>
    public required PanelSpec Panel { get; init; }

    /// <summary>The grade of the wall's outer-frustum pixels (ASC CDL; identity by default), set live over OSC too.</summary>
    public Stage.Core.Colour.AscCdl Cdl { get; init; } = Stage.Core.Colour.AscCdl.Identity;

    /// <summary>Kind name as written in the configuration ("flat", "curved", "ceiling").</summary>
    public abstract string Kind { get; }

    /// <summary>Panel columns.</summary>
    public abstract int PanelColumns { get; }

    /// <summary>Panel rows.</summary>
    public abstract int PanelRows { get; }

    /// <summary>Width of the LED face in metres (along the surface for curved walls).</summary>
    public double WidthM => PanelColumns * Panel.WidthM;

    /// <summary>Height of the LED face in metres.</summary>
    public double HeightM => PanelRows * Panel.HeightM;

    /// <summary>Pixels across.</summary>
    public int PixelWidth => PanelColumns * Panel.PixelsX;

    /// <summary>Pixels down.</summary>
    public int PixelHeight => PanelRows * Panel.PixelsY;

    /// <summary>All the wall's pixels.</summary>
    public PixelRect Bounds => new(0, 0, PixelWidth, PixelHeight);

    /// <summary>
    /// The stage-space position (metres) of a point of the pixel grid; (0, 0) is the top-left corner of
    /// the top-left pixel and (PixelWidth, PixelHeight) the bottom-right corner of the last one, so a
    /// pixel's centre is at (column + 0.5, row + 0.5).
    /// </summary>
    public abstract Vector3 GridPointM(double column, double row);

    /// <summary>The stage-space centre of pixel (<paramref name="column"/>, <paramref name="row"/>), in metres.</summary>
    public Vector3 PixelCentreM(int column, int row)
    {
        if ((uint)column >= (uint)PixelWidth || (uint)row >= (uint)PixelHeight)
            throw new ArgumentOutOfRangeException(nameof(column), $"pixel ({column}, {row}) is outside wall '{Id}' ({PixelWidth} × {PixelHeight})");
        return GridPointM(column + 0.5, row + 0.5);
    }

    /// <summary>The unit normal of the LED face at a grid point, pointing out of the LEDs toward the viewer.</summary>
    public abstract Vector3 NormalAt(double column, double row);
}
