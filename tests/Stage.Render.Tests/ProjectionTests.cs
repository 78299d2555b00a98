using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Render.Projection;
using Stage.Tests.Shared;

namespace Stage.Render.Tests;

public class ProjectionTests
{
    private static void AssertNear(Vector3 expected, Vector3 actual, float tolerance = 1e-4f) =>
        Assert.True(Vector3.Distance(expected, actual) < tolerance, $"expected {expected}, got {actual}");

    [Fact]
    public void Vulkan_clip_space_has_y_down_and_depth_zero_to_one()
    {
        Matrix4x4 p = ClipSpace.OffAxisPerspective(-1, 1, -0.5, 0.5, 0.1, 100);
        AssertNear(new Vector3(0, 0, 0), ClipSpace.Project(new Vector3(0, 0, -0.1f), p));
        AssertNear(new Vector3(0, 0, 1), ClipSpace.Project(new Vector3(0, 0, -100), p), 1e-3f);
        // Up in the eye is the top of the image: NDC y = −1 in Vulkan.
        AssertNear(new Vector3(0, -1, ClipSpace.Project(new Vector3(0, 1, -2), p).Z), ClipSpace.Project(new Vector3(0, 1, -2), p));
        AssertNear(new Vector3(1, 0, ClipSpace.Project(new Vector3(4, 0, -4), p).Z), ClipSpace.Project(new Vector3(4, 0, -4), p));
        Assert.True(float.IsNaN(ClipSpace.Project(new Vector3(0, 0, 1), p).X));
        Assert.Equal(new Vector2(0, 0), ClipSpace.NdcToUv(new Vector3(-1, -1, 0)));
    }

    [Fact]
    public void The_lens_frustum_edge_follows_sensor_and_focal_length()
    {
        // 36 mm wide sensor at 18 mm: the horizontal half-angle is exactly 45°.
        LensProjection lens = LensProjection.ForCamera(Pose.Identity, Vector3.Zero, 18, 36, 24, Overscan.Uniform(0));
        Assert.Equal(90, lens.HorizontalFovDeg, 6);
        Vector3 edge = ClipSpace.Project(new Vector3(3, 0, -3), lens.ViewProjection);
        Assert.Equal(1, edge.X, 5);
        // 10 % overscan: the same direction lands 1/1.1 of the way to the image edge.
        LensProjection wider = LensProjection.ForCamera(Pose.Identity, Vector3.Zero, 18, 36, 24, Overscan.Uniform(10));
        Assert.Equal(1 / 1.1, ClipSpace.Project(new Vector3(3, 0, -3), wider.ViewProjection).X, 5);
    }

    [Fact]
    public void Overscan_can_differ_per_side()
    {
        LensProjection lens = LensProjection.ForCamera(Pose.Identity, Vector3.Zero, 18, 36, 24, new Overscan(0, 20, 0, 0));
        Assert.Equal(-1, lens.Left, 9);
        Assert.Equal(1.2, lens.Right, 9);
        // The optical axis is no longer the image centre.
        Assert.True(ClipSpace.Project(new Vector3(0, 0, -5), lens.ViewProjection).X < 0);
    }

    [Fact]
    public void The_eye_sits_at_the_entrance_pupil()
    {
        Pose tracked = Pose.FromPanTiltRoll(new Vector3(1, 1.5f, 2), new PanTiltRoll(90, 0, 0));
        LensProjection lens = LensProjection.ForCamera(tracked, new Vector3(0, 0, -0.1f), 35, 36, 24, Overscan.Uniform(0));
        AssertNear(new Vector3(1.1f, 1.5f, 2), lens.Eye.PositionM);
        // A point straight ahead of the pupil projects to the image centre.
        AssertNear(Vector3.Zero, ClipSpace.Project(new Vector3(5, 1.5f, 2), lens.ViewProjection) with { Z = 0 });
    }

    [Fact]
    public void Kooima_maps_the_screen_corners_to_the_image_corners()
    {
        Vector3 ll = new(-4, 0.2f, -4), lr = new(4, 0.2f, -4), ul = new(-4, 4.7f, -4);
        Matrix4x4 vp = GeneralizedPerspective.ViewProjection(ll, lr, ul, new Vector3(1.3f, 1.7f, 2.5f), 0.1, 100);
        Vector3 a = ClipSpace.Project(ll, vp), b = ClipSpace.Project(lr, vp), c = ClipSpace.Project(ul, vp);
        AssertNear(new Vector3(-1, 1, a.Z), a);
        AssertNear(new Vector3(1, 1, b.Z), b);
        AssertNear(new Vector3(-1, -1, c.Z), c);
        Assert.Throws<ArgumentException>(() => GeneralizedPerspective.ViewProjection(ll, lr, ul, new Vector3(0, 1, -6), 0.1, 100));
    }

    [Fact]
    public void Kooima_from_the_centre_equals_the_symmetric_lens_projection()
    {
        // A camera 4 m from a 8 × 4.5 m wall, centred: the wall fills a 90° × 58.4° frustum.
        Vector3 eye = new(0, 2.45f, 0);
        Matrix4x4 kooima = GeneralizedPerspective.ViewProjection(new Vector3(-4, 0.2f, -4), new Vector3(4, 0.2f, -4), new Vector3(-4, 4.7f, -4), eye, 0.1, 100);
        LensProjection lens = LensProjection.ForCamera(new Pose(eye, Quaternion.Identity), Vector3.Zero, 18, 36, 36 * 4.5 / 8, Overscan.Uniform(0), 0.1, 100);
        foreach (Vector3 q in new[] { new Vector3(1, 2, -7), new Vector3(-3, 0.5f, -12), new Vector3(0.2f, 3.9f, -4.5f) })
            AssertNear(ClipSpace.Project(q, lens.ViewProjection), ClipSpace.Project(q, kooima));
    }

    /// <summary>
    /// The check that matters: a world point Q seen by the camera at C appears on the wall exactly where
    /// the line C→Q crosses the wall, at the LED pixel the output mapping says — the compose pass
    /// projects that pixel's stage position through the camera and lands on Q's image position.
    /// </summary>
    [Fact]
    public void A_world_point_appears_where_the_line_from_the_camera_crosses_the_wall()
    {
        StageConfig config = Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "demo-flat.json")).Config!;
        FlatWall wall = (FlatWall)config.Walls[0];
        OutputCanvas output = config.Outputs[0];
        CameraConfig camera = config.Cameras[0];
        Gen<(Vector3 Camera, Vector3 Point)> cases =
            from cx in Gen.Choose(-200, 200) from cy in Gen.Choose(100, 250) from cz in Gen.Choose(-100, 400)
            from qx in Gen.Choose(-1500, 1500) from qy in Gen.Choose(-300, 900) from qz in Gen.Choose(-3000, -500)
            select (new Vector3(cx / 100f, cy / 100f, cz / 100f), new Vector3(qx / 100f, qy / 100f, qz / 100f - 4));
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            Vector2? hit = CanvasMapping.FlatWallHit(wall, c.Camera, c.Point);
            if (hit is null) return true;
            int column = Math.Min((int)hit.Value.X, wall.PixelWidth - 1), row = Math.Min((int)hit.Value.Y, wall.PixelHeight - 1);
            // The output mapping: which canvas pixel carries that wall pixel, and its stage position.
            OutputRegion region = output.Regions.Single(r => r.WallRect.Contains(column, row));
            int canvasX = region.CanvasX + column - region.WallRect.X, canvasY = region.CanvasY + row - region.WallRect.Y;
            Vector3 led = CanvasMapping.StagePositionM(config, output, canvasX, canvasY)!.Value;
            // Look from the camera toward the point; both must land at the same place of the inner image, within one LED pixel.
            Vector3 toward = Vector3.Normalize(c.Point - c.Camera);
            PanTiltRoll aim = new(double.RadiansToDegrees(Math.Atan2(toward.X, -toward.Z)), double.RadiansToDegrees(Math.Asin(toward.Y)), 0);
            LensProjection lens = LensProjection.ForCamera(camera, Pose.FromPanTiltRoll(c.Camera, aim), camera.FocalLengthMm);
            Vector3 pointNdc = ClipSpace.Project(c.Point, lens.ViewProjection), ledNdc = ClipSpace.Project(led, lens.ViewProjection);
            // Q's image lies inside the image of that LED's cell (its four corners), and the LED centre is in the same cell.
            Vector3[] corners = [.. new[] { (0, 0), (1, 0), (0, 1), (1, 1) }.Select(d => ClipSpace.Project(wall.GridPointM(column + d.Item1, row + d.Item2), lens.ViewProjection))];
            const float slack = 1e-4f;
            bool inside(Vector3 ndc) =>
                ndc.X >= corners.Min(k => k.X) - slack && ndc.X <= corners.Max(k => k.X) + slack &&
                ndc.Y >= corners.Min(k => k.Y) - slack && ndc.Y <= corners.Max(k => k.Y) + slack;
            return inside(pointNdc) && inside(ledNdc);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Kooima_for_a_flat_wall_puts_each_point_at_its_crossing_pixel()
    {
        StageConfig config = Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "demo-flat.json")).Config!;
        FlatWall wall = (FlatWall)config.Walls[0];
        Vector3 ll = wall.GridPointM(0, wall.PixelHeight), lr = wall.GridPointM(wall.PixelWidth, wall.PixelHeight), ul = wall.GridPointM(0, 0);
        var eye = new Vector3(0.7f, 1.8f, 1.5f);
        Matrix4x4 vp = GeneralizedPerspective.ViewProjection(ll, lr, ul, eye, 0.1, 200);
        var q = new Vector3(-2.5f, 3.1f, -9f);
        Vector2 uv = ClipSpace.NdcToUv(ClipSpace.Project(q, vp));
        Vector2 hit = CanvasMapping.FlatWallHit(wall, eye, q)!.Value;
        Assert.Equal(hit.X, uv.X * wall.PixelWidth, 1);
        Assert.Equal(hit.Y, uv.Y * wall.PixelHeight, 1);
    }

    [Fact]
    public void Canvas_pixels_lead_to_the_stage_position_of_their_led()
    {
        StageConfig config = Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "test-rig.json")).Config!;
        OutputCanvas side = config.Outputs.Single(o => o.Id == "out-side");
        Wall ceiling = config.FindWall("ceiling")!;
        AssertNear(ceiling.PixelCentreM(3, 4), CanvasMapping.StagePositionM(config, side, 96 + 3, 4)!.Value, 1e-6f);
        Assert.Null(CanvasMapping.StagePositionM(config, side, 10, 50));
    }

    [Fact]
    public void A_ray_hits_a_curved_wall_on_the_chord_the_leds_stand_on()
    {
        StageConfig config = Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "test-rig.json")).Config!;
        Wall curve = config.FindWall("curve")!;
        // Aim from the arc's centre at the centre of a chosen LED: the hit must be that LED.
        var eye = new Vector3(0, 0.5f, 0);
        foreach ((int column, int row) in new[] { (0, 0), (17, 5), (50, 20), (95, 31) })
        {
            Vector3 led = curve.PixelCentreM(column, row);
            Vector2 hit = CanvasMapping.WallHit(curve, eye, eye + 3 * (led - eye))!.Value;
            Assert.Equal(column + 0.5f, hit.X, 2);
            Assert.Equal(row + 0.5f, hit.Y, 2);
        }
        // Looking away from the wall misses it; a flat wall goes through the flat path.
        Assert.Null(CanvasMapping.WallHit(curve, eye, eye + new Vector3(0, 0, 1)));
        Wall front = config.FindWall("front")!;
        Assert.Equal(CanvasMapping.FlatWallHit((FlatWall)front, eye, new Vector3(0.1f, 0.6f, -3)), CanvasMapping.WallHit(front, eye, new Vector3(0.1f, 0.6f, -3)));
    }
}
