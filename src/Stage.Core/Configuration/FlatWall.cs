using System.Numerics;
using Stage.Core.Space;

namespace Stage.Core.Configuration;

/// <summary>
/// A flat LED wall (or a ceiling): a rectangle of panels centred on <see cref="CentreM"/>. Its
/// orientation is the direction one looks to see it face-on, as pan/tilt/roll: all zero is a wall
/// straight ahead (−Z) standing upright; tilt 90 is a ceiling seen by looking up.
/// </summary>
public sealed record FlatWall : Wall
{
    /// <summary>Stage-space centre of the LED face, metres.</summary>
    public required Vector3 CentreM { get; init; }

    /// <summary>Direction one looks to face the wall.</summary>
    public required PanTiltRoll Orientation { get; init; }

    /// <summary>True for a wall declared as a ceiling.</summary>
    public bool IsCeiling { get; init; }

    /// <summary>Panel columns.</summary>
    public required int Columns { get; init; }

    /// <summary>Panel rows.</summary>
    public required int Rows { get; init; }

    /// <inheritdoc/>
    public override string Kind => IsCeiling ? "ceiling" : "flat";

    /// <inheritdoc/>
    public override int PanelColumns => Columns;

    /// <inheritdoc/>
    public override int PanelRows => Rows;

    /// <inheritdoc/>
    public override Vector3 GridPointM(double column, double row)
    {
        // Wall-local frame: +X to the viewer's right, +Y up, the face in the z = 0 plane facing +Z.
        double xM = -WidthM / 2 + column * Panel.WidthM / Panel.PixelsX;
        double yM = HeightM / 2 - row * Panel.HeightM / Panel.PixelsY;
        return CentreM + Vector3.Transform(new Vector3((float)xM, (float)yM, 0f), Orientation.ToQuaternion());
    }

    /// <inheritdoc/>
    public override Vector3 NormalAt(double column, double row) => Vector3.Transform(Vector3.UnitZ, Orientation.ToQuaternion());
}
