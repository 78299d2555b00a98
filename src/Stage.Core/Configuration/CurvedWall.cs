using System.Numerics;

namespace Stage.Core.Configuration;

/// <summary>
/// A curved LED wall: an arc of flat panel columns standing on the floor around a vertical axis,
/// seen from inside. Bearings are degrees as a pan is: 0 toward −Z from the centre, positive
/// clockwise seen from above. Column 0 is at <see cref="StartDeg"/>, the left end for a viewer at the
/// centre; each column is a flat chord whose edges lie on the circle.
/// </summary>
public sealed record CurvedWall : Wall
{
    /// <summary>Centre of the arc on the floor plane: stage X and Z in metres.</summary>
    public required Vector2 CentreXZM { get; init; }

    /// <summary>Height of the wall's bottom edge above the floor, metres.</summary>
    public required double BaseM { get; init; }

    /// <summary>Radius to the panel edges, metres.</summary>
    public required double RadiusM { get; init; }

    /// <summary>Bearing of the left end (column 0), degrees.</summary>
    public required double StartDeg { get; init; }

    /// <summary>Bearing of the right end, degrees (greater than <see cref="StartDeg"/>).</summary>
    public required double EndDeg { get; init; }

    /// <summary>Flat panel columns along the arc.</summary>
    public required int Columns { get; init; }

    /// <summary>Panel rows.</summary>
    public required int Rows { get; init; }

    /// <inheritdoc/>
    public override string Kind => "curved";

    /// <inheritdoc/>
    public override int PanelColumns => Columns;

    /// <inheritdoc/>
    public override int PanelRows => Rows;

    /// <summary>Angle each column spans, degrees.</summary>
    public double ColumnAngleDeg => (EndDeg - StartDeg) / Columns;

    /// <summary>Width of one flat column (a chord of the circle), metres; must equal the panel width.</summary>
    public double ChordM => ChordFor(RadiusM, EndDeg - StartDeg, Columns);

    /// <summary>Arc span in degrees.</summary>
    public double SpanDeg => EndDeg - StartDeg;

    /// <summary>The chord of a column for an arc of <paramref name="spanDeg"/> split into <paramref name="columns"/>.</summary>
    public static double ChordFor(double radiusM, double spanDeg, int columns) =>
        2 * radiusM * Math.Sin(double.DegreesToRadians(spanDeg / columns) / 2);

    /// <inheritdoc/>
    public override Vector3 GridPointM(double column, double row)
    {
        double panelColumn = column / Panel.PixelsX;
        int index = Math.Clamp((int)Math.Floor(panelColumn), 0, Columns - 1);
        double fraction = panelColumn - index;
        Vector2 a = EdgeXZ(index), b = EdgeXZ(index + 1);
        double x = a.X + (b.X - a.X) * fraction;
        double z = a.Y + (b.Y - a.Y) * fraction;
        double y = BaseM + HeightM - row * Panel.HeightM / Panel.PixelsY;
        return new Vector3((float)x, (float)y, (float)z);
    }

    /// <inheritdoc/>
    public override Vector3 NormalAt(double column, double row)
    {
        int index = Math.Clamp((int)Math.Floor(column / Panel.PixelsX), 0, Columns - 1);
        double bearingRad = double.DegreesToRadians(StartDeg + (index + 0.5) * ColumnAngleDeg);
        // The face looks back toward the centre.
        return new Vector3((float)-Math.Sin(bearingRad), 0f, (float)Math.Cos(bearingRad));
    }

    private Vector2 EdgeXZ(int edge)
    {
        double bearingRad = double.DegreesToRadians(StartDeg + edge * ColumnAngleDeg);
        return new Vector2((float)(CentreXZM.X + RadiusM * Math.Sin(bearingRad)), (float)(CentreXZM.Y - RadiusM * Math.Cos(bearingRad)));
    }
}
