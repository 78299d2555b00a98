using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Render.Projection;
using Stage.Render.Scene;
using Stage.Render.Tests.Gpu;
using Xunit.Abstractions;
using Stage.Core.Frames;

namespace Stage.Render.Tests;

/// <summary>The whole frame on lavapipe: shadow, inner, outer, compose, readback.</summary>
public sealed class StageRendererTests(ITestOutputHelper output)
{
    private static readonly StageRendererOptions SmallOptions = new()
    {
        OuterFaceSizePx = 64,
        Scene = new SceneRendererOptions { ShadowMapSize = 256 },
    };

    /// <summary>A black world with one small white sphere, flat-lit (ambient only) so its image is uniform.</summary>
    private static RenderScene Marker(Vector3 pointM, float radiusM)
    {
        var scene = new RenderScene { AmbientLinear = Vector3.One, SunColorLinear = Vector3.Zero, BackgroundLinear = Vector3.Zero };
        scene.Add(new DrawItem(DrawKind.Sphere, Matrix4x4.CreateScale(2 * radiusM) * Matrix4x4.CreateTranslation(pointM), Vector3.One));
        return scene;
    }

    [Theory]
    [InlineData("front", 0.0f, 0.5f, 0.5f, 0.0, 0.0, 24.0, 0.10f, 0.55f, -1.0f)]
    [InlineData("front", 0.5f, 0.7f, 0.3f, -15.0, -5.0, 35.0, 0.15f, 0.55f, -1.4f)]
    [InlineData("ceiling", 0.0f, 0.8f, 0.0f, 0.0, 40.0, 24.0, 0.05f, 1.2f, -0.55f)]
    [InlineData("curve", 0.0f, 0.5f, 0.0f, 90.0, 0.0, 24.0, 1.2f, 0.55f, 0.1f)]
    [InlineData("curve", 0.2f, 0.6f, 0.3f, 110.0, -5.0, 35.0, 1.0f, 0.5f, 0.6f)]
    public void A_small_bright_object_appears_on_the_canvas_at_the_LED_pixel_where_the_line_from_the_camera_through_it_crosses_the_wall(
        string wallId, float cx, float cy, float cz, double panDeg, double tiltDeg, double focalMm, float qx, float qy, float qz)
    {
        StageConfig config = RenderGpuTest.TestRig();
        Wall wall = config.FindWall(wallId)!;
        var q = new Vector3(qx, qy, qz);
        var pose = Pose.FromPanTiltRoll(new Vector3(cx, cy, cz), new PanTiltRoll(panDeg, tiltDeg, 0));
        CameraConfig camera = config.Cameras[0];
        LensProjection lens = LensProjection.ForCamera(camera, pose, focalMm);
        Vector2 hit = CanvasMapping.WallHit(wall, lens.Eye.PositionM, q) ?? throw new InvalidOperationException("the line must cross the wall");
        int outputIndex = config.Outputs.ToList().FindIndex(o => o.Regions.Any(r => r.WallId == wallId));
        OutputRegion region = config.Outputs[outputIndex].Regions.Single(r => r.WallId == wallId);
        OutputCanvas canvas = config.Outputs[outputIndex];
        var expected = new Vector2(region.CanvasX - region.WallRect.X + hit.X, region.CanvasY - region.WallRect.Y + hit.Y);

        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, SmallOptions);
            var pixels = renderer.Render([new CameraView(camera, pose, focalMm)], Marker(q, 0.03f))[outputIndex];
            // Brightness-weighted centroid of the marker, only inside the camera's inner frustum
            // (the outer render shows it too, seen from the outer viewpoint, elsewhere on the walls).
            double sum = 0, sx = 0, sy = 0;
            for (var y = 0; y < canvas.PixelHeight; y++)
            for (var x = 0; x < canvas.PixelWidth; x++)
            {
                if (CanvasMapping.StagePositionM(config, canvas, x, y) is not { } stage) continue;
                Vector3 ndc = ClipSpace.Project(stage, lens.ViewProjection);
                if (!(MathF.Abs(ndc.X) < 0.9f && MathF.Abs(ndc.Y) < 0.9f)) continue;
                int i = (y * canvas.PixelWidth + x) * 4;
                double w = pixels.Rgba.Span[i] + pixels.Rgba.Span[i + 1] + pixels.Rgba.Span[i + 2];
                sum += w;
                sx += w * (x + 0.5);
                sy += w * (y + 0.5);
            }
            Assert.True(sum > 0, "the marker must be visible in the inner frustum");
            var found = new Vector2((float)(sx / sum), (float)(sy / sum));
            output.WriteLine($"{wallId}: expected canvas ({expected.X:F2}, {expected.Y:F2}), marker centroid ({found.X:F2}, {found.Y:F2}), off by {Vector2.Distance(expected, found):F2} px");
            Assert.True(Vector2.Distance(expected, found) < 1.5f, $"marker at {found}, expected {expected}");
        });
    }

    [Fact]
    public void At_a_rehearsal_canvas_scale_the_inner_frustum_renders_at_that_scale_too()
    {
        StageConfig config = RenderGpuTest.TestRig();
        CameraConfig camera = config.Cameras[0];
        var pose = Pose.FromPanTiltRoll(new Vector3(0.1f, 0.6f, 0.4f), new PanTiltRoll(10, -5, 0));
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, SmallOptions with { Compose = new() { CanvasScaleDivisor = 2 } });
            IReadOnlyList<CanvasPixels> canvases = renderer.Render([new CameraView(camera, pose, 24)], Marker(new Vector3(0, 0.5f, -1), 0.1f));
            // Canvases at half size each way carry a quarter of the LED pixels: a full-size inner render would be 4× the work for nothing.
            Assert.Equal(((config.Outputs[0].PixelWidth + 1) / 2, (config.Outputs[0].PixelHeight + 1) / 2), (canvases[0].Width, canvases[0].Height));
            var inner = renderer.ReadInner("A")!.Value;
            Assert.Equal(((camera.InnerWidthPx + 1) / 2, (camera.InnerHeightPx + 1) / 2), (inner.Width, inner.Height));
        });
    }

    [Fact]
    public void A_frame_of_the_test_rig_renders_with_all_passes_and_moved_items_reuse_the_gpu_buffers()
    {
        StageConfig config = RenderGpuTest.TestRig();
        var scene = new RenderScene();
        scene.Add(new DrawItem(DrawKind.Plane, Matrix4x4.CreateScale(6, 1, 6), new Vector3(0.5f, 0.5f, 0.5f)));
        var box = scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(0.3f) * Matrix4x4.CreateTranslation(0.2f, 0.15f, -1.2f), new Vector3(0.8f, 0.2f, 0.1f)));
        scene.Add(new DrawItem(DrawKind.Sphere, Matrix4x4.CreateScale(0.25f) * Matrix4x4.CreateTranslation(-0.3f, 0.3f, -1.0f), new Vector3(0.1f, 0.3f, 0.9f)));
        scene.Add(new DrawItem(DrawKind.Capsule, Matrix4x4.CreateScale(0.15f) * Matrix4x4.CreateTranslation(0.6f, 0.3f, -0.8f), new Vector3(0.9f, 0.9f, 0.2f)));
        scene.Add(new DrawItem(DrawKind.Cylinder, Matrix4x4.CreateScale(0.2f, 0.6f, 0.2f) * Matrix4x4.CreateTranslation(-0.7f, 0.3f, -1.5f), new Vector3(0.2f, 0.8f, 0.3f)));
        CameraConfig camera = config.Cameras[0];
        var pose = Pose.FromPanTiltRoll(new Vector3(0.1f, 0.6f, 0.4f), new PanTiltRoll(10, -5, 0));

        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, SmallOptions);
            var frames = 4;
            var totals = new Dictionary<string, List<double>>();
            double floor = 0;
            for (var frame = 0; frame < frames; frame++)
            {
                scene.SetTransform(box, Matrix4x4.CreateScale(0.3f) * Matrix4x4.CreateTranslation(0.2f + 0.05f * frame, 0.15f, -1.2f));
                var canvases = renderer.Render([new CameraView(camera, pose, 24)], scene);
                Assert.Equal(config.Outputs.Select(o => o.Id), canvases.Select(c => c.OutputId));
                foreach (PassTiming t in renderer.LastTimings)
                {
                    if (!totals.TryGetValue(t.Pass, out var list)) totals[t.Pass] = list = [];
                    list.Add(t.Milliseconds);
                }
                floor = renderer.MeasureCopyFloorMs();
            }
            Assert.Equal(0, renderer.Scene.InstanceBufferGrowths);
            Assert.Equal(5, renderer.Scene.ItemCount);
            // Render once more for content checks (the floor measurement cleared the canvases).
            var front = renderer.Render([new CameraView(camera, pose, 24)], scene)[0];
            // Every mapped pixel of out-front is lit by something (sky or objects), none left at the clear colour.
            Assert.All(Enumerable.Range(0, 64 * 32), p => Assert.True(front.Rgba.Span[p / 64 * 128 * 4 + p % 64 * 4 + 2] > 0 || front.Rgba.Span[p / 64 * 128 * 4 + p % 64 * 4] > 0));
            var inner = renderer.ReadInner("A")!.Value;
            Assert.Equal((camera.InnerWidthPx, camera.InnerHeightPx), (inner.Width, inner.Height));
            foreach (var (pass, list) in totals.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                output.WriteLine($"{pass,-10} median {list.Order().ElementAt(list.Count / 2):F2} ms");
            }
            output.WriteLine($"copy floor (clear + copy + readback of both canvases): {floor:F2} ms");
        });
    }
}
