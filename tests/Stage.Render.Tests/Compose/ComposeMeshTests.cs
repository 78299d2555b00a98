using System.Numerics;
using Stage.Core.Configuration;
using Stage.Render.Compose;
using Stage.Render.Projection;
using Stage.Render.Tests.Gpu;

namespace Stage.Render.Tests.Compose;

public class ComposeMeshTests
{
    [Fact]
    public void The_mesh_interpolated_at_every_canvas_pixel_centre_is_that_LED_pixels_stage_position_on_flat_curved_and_ceiling_walls()
    {
        StageConfig config = RenderGpuTest.TestRig();
        foreach (OutputCanvas output in config.Outputs)
        {
            ComposeVertex[] mesh = ComposeMesh.Build(config, output);
            for (var y = 0; y < output.PixelHeight; y++)
            for (var x = 0; x < output.PixelWidth; x++)
            {
                Vector3? expected = CanvasMapping.StagePositionM(config, output, x, y);
                Vector3? actual = ComposeMesh.Interpolate(mesh, x, y);
                Assert.Equal(expected.HasValue, actual.HasValue);
                if (expected is { } e) Assert.True(Vector3.Distance(e, actual!.Value) < 2e-6f, $"{output.Id} ({x}, {y}): {e} vs {actual}");
            }
        }
    }

    [Fact]
    public void A_curved_wall_region_is_cut_into_one_quad_per_panel_column()
    {
        StageConfig config = RenderGpuTest.TestRig();
        OutputCanvas side = config.Outputs.Single(o => o.Id == "out-side");
        ComposeVertex[] mesh = ComposeMesh.Build(config, side);
        // Curve: 96 px = 6 columns of 16 → 6 quads; ceiling 32 px = 2 panel columns → 2 quads.
        Assert.Equal((6 + 2) * 6, mesh.Length);
    }

    [Fact]
    public void Each_cube_face_projects_its_own_axis_to_the_image_centre_and_the_face_chosen_for_a_direction_sees_it()
    {
        var eye = new Vector3(0.3f, 1.1f, -0.4f);
        Vector3[] axes = [Vector3.UnitX, -Vector3.UnitX, Vector3.UnitY, -Vector3.UnitY, Vector3.UnitZ, -Vector3.UnitZ];
        for (var face = 0; face < CubeFaces.Count; face++)
        {
            Vector3 ndc = ClipSpace.Project(eye + 2 * axes[face], CubeFaces.ViewProjection(face, eye, 0.05, 100));
            Assert.True(MathF.Abs(ndc.X) < 1e-5f && MathF.Abs(ndc.Y) < 1e-5f, $"face {face}: {ndc}");
            Assert.Equal(face, CubeFaces.FaceFor(axes[face]));
        }
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var d = new Vector3(random.NextSingle() * 2 - 1, random.NextSingle() * 2 - 1, random.NextSingle() * 2 - 1);
            Vector3 ndc = ClipSpace.Project(eye + d, CubeFaces.ViewProjection(CubeFaces.FaceFor(d), eye, 0.01, 100));
            Assert.InRange(ndc.X, -1.0001f, 1.0001f);
            Assert.InRange(ndc.Y, -1.0001f, 1.0001f);
        }
    }
}
