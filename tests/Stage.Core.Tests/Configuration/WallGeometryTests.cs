using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Space;

namespace Stage.Core.Tests.Configuration;

public class WallGeometryTests
{
    private static readonly PanelSpec Panel = new(0.5, 0.5, 100, 100);

    private static void AssertNear(Vector3 expected, Vector3 actual, float tolerance = 1e-5f) =>
        Assert.True(Vector3.Distance(expected, actual) < tolerance, $"expected {expected}, got {actual}");

    [Fact]
    public void Pitch_is_derived_from_panel_size_and_pixels()
    {
        var panel = new PanelSpec(0.5, 0.5, 192, 192);
        Assert.Equal(2.604, panel.PitchXMm, 3);
        Assert.Equal(2.604, panel.PitchYMm, 3);
    }

    [Fact]
    public void A_flat_wall_ahead_puts_pixel_zero_top_left_seen_from_the_stage()
    {
        var wall = new FlatWall { Id = "w", Panel = Panel, CentreM = new Vector3(0, 2, -4), Orientation = default, Columns = 4, Rows = 2 };
        Assert.Equal(400, wall.PixelWidth);
        Assert.Equal(200, wall.PixelHeight);
        // 2 m wide, 1 m high; the top-left pixel centre is half a pitch (2.5 mm) in from the corner.
        AssertNear(new Vector3(-1 + 0.0025f, 2.5f - 0.0025f, -4), wall.PixelCentreM(0, 0));
        AssertNear(new Vector3(1 - 0.0025f, 1.5f + 0.0025f, -4), wall.PixelCentreM(399, 199));
        AssertNear(Vector3.UnitZ, wall.NormalAt(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => wall.PixelCentreM(400, 0));
    }

    [Fact]
    public void Neighbouring_pixels_are_one_pitch_apart()
    {
        var wall = new FlatWall { Id = "w", Panel = Panel, CentreM = new Vector3(3, 2, 0), Orientation = new PanTiltRoll(90, 0, 0), Columns = 4, Rows = 2 };
        Assert.Equal(0.005f, Vector3.Distance(wall.PixelCentreM(10, 10), wall.PixelCentreM(11, 10)), 5);
        Assert.Equal(0.005f, Vector3.Distance(wall.PixelCentreM(10, 10), wall.PixelCentreM(10, 11)), 5);
    }

    [Fact]
    public void A_wall_to_the_right_runs_from_front_to_back()
    {
        // Facing it means panning right 90°: its left edge is toward the main wall (−Z), its face looks back to −X.
        var wall = new FlatWall { Id = "w", Panel = Panel, CentreM = new Vector3(3, 1, 0), Orientation = new PanTiltRoll(90, 0, 0), Columns = 4, Rows = 2 };
        AssertNear(new Vector3(3, 1.5f, -1), wall.GridPointM(0, 0));
        AssertNear(-Vector3.UnitX, wall.NormalAt(0, 0));
    }

    [Fact]
    public void A_ceiling_faces_down_and_its_top_rows_lie_upstage_of_the_camera_side()
    {
        var ceiling = new FlatWall { Id = "c", Panel = Panel, CentreM = new Vector3(0, 6, 0), Orientation = new PanTiltRoll(0, 90, 0), IsCeiling = true, Columns = 2, Rows = 2 };
        AssertNear(-Vector3.UnitY, ceiling.NormalAt(0, 0));
        // Looking up from the stage facing the main wall, the top of the view points back (+Z).
        AssertNear(new Vector3(-0.5f, 6, 0.5f), ceiling.GridPointM(0, 0));
    }

    [Fact]
    public void A_curved_wall_has_its_column_edges_on_the_circle_and_faces_the_centre()
    {
        var wall = new CurvedWall
        {
            Id = "arc", Panel = Panel, CentreXZM = new Vector2(1, -1), BaseM = 0.2, RadiusM = 1.9153,
            StartDeg = -45, EndDeg = 45, Columns = 6, Rows = 2,
        };
        Assert.Equal(0.5, wall.ChordM, 4);
        for (int edge = 0; edge <= 6; edge++)
        {
            Vector3 p = wall.GridPointM(edge * 100, 0);
            float radius = new Vector2(p.X - 1, p.Z + 1).Length();
            Assert.Equal(1.9153f, radius, 4);
            Assert.Equal(1.2f, p.Y, 5);
        }
        // Column 0 starts at bearing −45°: left front, seen from the centre looking toward −Z.
        Vector3 first = wall.GridPointM(0, 0);
        Assert.True(first.X < 1 && first.Z < -1);
        // Column 3 spans bearings 0° to 15°: its flat face looks back at the centre along bearing 7.5°.
        float s = MathF.Sin(7.5f * MathF.PI / 180), c = MathF.Cos(7.5f * MathF.PI / 180);
        AssertNear(new Vector3(-s, 0, c), wall.NormalAt(350, 0), 1e-5f);
        // The middle of the wall (bearing 0) is straight ahead of the centre.
        Vector3 middle = wall.GridPointM(300, 200);
        Assert.Equal(1f, middle.X, 4);
        Assert.Equal(0.2f, middle.Y, 5);
    }

    [Fact]
    public void Canvas_pixels_map_to_wall_pixels_through_regions()
    {
        var output = new OutputCanvas
        {
            Id = "o", PixelWidth = 100, PixelHeight = 50, BitDepth = 10,
            Regions = [new OutputRegion("a", new PixelRect(10, 5, 20, 20), 0, 0), new OutputRegion("b", new PixelRect(0, 0, 30, 30), 40, 10)],
        };
        Assert.True(output.TryMapCanvasPixel(0, 0, out OutputRegion region, out int column, out int row));
        Assert.Equal(("a", 10, 5), (region.WallId, column, row));
        Assert.True(output.TryMapCanvasPixel(45, 12, out region, out column, out row));
        Assert.Equal(("b", 5, 2), (region.WallId, column, row));
        Assert.False(output.TryMapCanvasPixel(35, 0, out _, out _, out _));
    }
}
