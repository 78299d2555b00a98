using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Space;
using Stage.Render.Projection;
using Stage.Render.Scene;
using Stage.Render.Tests.Gpu;
using Xunit.Abstractions;

namespace Stage.Render.Tests.Scene;

/// <summary>Sun shadow cascades fitted to the inner camera (lavapipe, validation on): where shadows land, how sharp near ones are, no allocation.</summary>
public sealed class ShadowCascadeTests(ITestOutputHelper output)
{
    // The sun travels +x and down at 45°: a point at height h shadows the floor h metres further along +x.
    private static readonly Vector3 Sun = Vector3.Normalize(new Vector3(1, -1, 0));

    private static StageRendererOptions Options(int cascades) => new()
    {
        OuterFaceSizePx = 16,
        MsaaSamples = 1,
        Scene = new SceneRendererOptions { ShadowMapSize = 512, ShadowCascades = cascades },
    };

    private static float Linear(byte code)
    {
        float c = code / 255f;
        return c <= 0.04045f ? c / 12.92f : MathF.Pow((c + 0.055f) / 1.055f, 2.4f);
    }

    /// <summary>
    /// A street-sized scene: a wide floor, two far boxes 40 m out that stretch the caster-fitted map over ~115 m, a 1 m
    /// box 4 m ahead of the camera and a thin pole (0.3 m square, 3 m tall) 25 m ahead.
    /// </summary>
    private static RenderScene Street()
    {
        var scene = new RenderScene { AmbientLinear = new Vector3(0.05f), BackgroundLinear = Vector3.Zero, SunColorLinear = Vector3.One, SunDirection = Sun };
        scene.Add(new DrawItem(DrawKind.Plane, Matrix4x4.CreateScale(200, 1, 200), Vector3.One));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(2) * Matrix4x4.CreateTranslation(-40, 1, -40), Vector3.One));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(2) * Matrix4x4.CreateTranslation(40, 1, 30), Vector3.One));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateTranslation(-1, 0.5f, -4), Vector3.One));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(0.3f, 3, 0.3f) * Matrix4x4.CreateTranslation(3, 1.5f, -25), Vector3.One));
        return scene;
    }

    private static readonly Pose Eye = Pose.FromPanTiltRoll(new Vector3(0, 1.7f, 0), new PanTiltRoll(0, -10, 0));

    private static (CanvasPixels Inner, LensProjection Lens, int Cascades) Render(int cascades)
    {
        // The rig's camera at 1024 × 768, so that the floor 25 m out still has a few pixels per 10 cm.
        StageConfig rig = RenderGpuTest.TestRig();
        CameraConfig camera = rig.Cameras[0] with { InnerWidthPx = 1024, InnerHeightPx = 768 };
        StageConfig config = rig with { Cameras = [camera] };
        CanvasPixels inner = default;
        var fitted = 0;
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, Options(cascades));
            renderer.Render([new CameraView(camera, Eye, 24)], Street());
            CanvasPixels read = renderer.ReadInner(camera.Id)!.Value;
            inner = read with { Rgba = read.Rgba.ToArray() };
            fitted = renderer.Scene.CascadesFitted;
        });
        return (inner, LensProjection.ForCamera(camera, Eye, 24), fitted);
    }

    private static float At(CanvasPixels image, LensProjection lens, Vector3 pointM)
    {
        Vector3 ndc = ClipSpace.Project(pointM, lens.ViewProjection);
        int x = (int)((ndc.X + 1) / 2 * image.Width), y = (int)((ndc.Y + 1) / 2 * image.Height);
        Assert.InRange(x, 0, image.Width - 1);
        Assert.InRange(y, 0, image.Height - 1);
        return Linear(image.Rgba.Span[(y * image.Width + x) * 4]);
    }

    [Fact]
    public void A_thin_pole_far_from_the_camera_casts_its_shadow_where_geometry_puts_it()
    {
        var (inner, lens, fitted) = Render(3);
        Assert.Equal(3, fitted);
        // The pole spans x 2.85…3.15, z −25.15…−24.85, 3 m tall: its shadow runs along +x from x 3 to x 6 on the floor.
        float Floor(float x, float z) => At(inner, lens, new Vector3(x, 0, z));
        float open = Floor(8, -25);
        float[] inside = [Floor(4, -25), Floor(5, -25), Floor(5.6f, -25)];
        float[] outside = [Floor(4.5f, -24.4f), Floor(4.5f, -25.6f), Floor(6.5f, -25), Floor(2.4f, -25)];
        output.WriteLine($"open {open:F3}; inside {string.Join(" ", inside.Select(v => v.ToString("F3")))}; outside {string.Join(" ", outside.Select(v => v.ToString("F3")))}");
        Assert.True(open > 0.5f, "the open floor is sunlit");
        foreach (float v in inside) Assert.True(v < 0.15f, $"inside the pole's shadow: {v:F3}");
        foreach (float v in outside) Assert.True(v > 0.9f * open, $"beside the pole's shadow: {v:F3}");
    }

    /// <summary>The largest distance between the 1 m box's far shadow edge (x = 0.5 on the floor) and where it is drawn, over ten rows.</summary>
    private static float EdgeErrorM(CanvasPixels inner, LensProjection lens)
    {
        float open = At(inner, lens, new Vector3(1.5f, 0, -4));
        float worst = 0;
        for (var row = 0; row < 10; row++)
        {
            float z = -4.45f + 0.1f * row;
            // First lit point scanning +x from inside the shadow.
            float edge = 1;
            for (float x = 0; x <= 1; x += 0.005f)
            {
                if (At(inner, lens, new Vector3(x, 0, z)) > 0.5f * open)
                {
                    edge = x;
                    break;
                }
            }
            worst = MathF.Max(worst, MathF.Abs(edge - 0.5f));
        }
        return worst;
    }

    [Fact]
    public void A_near_shadow_edge_is_sharper_with_cascades_than_with_the_one_map()
    {
        var (single, lens, none) = Render(0);
        var (cascaded, _, fitted) = Render(3);
        Assert.Equal(0, none);
        Assert.Equal(3, fitted);
        float singleM = EdgeErrorM(single, lens), cascadedM = EdgeErrorM(cascaded, lens);
        output.WriteLine($"edge error: one map {singleM * 100:F1} cm, cascades {cascadedM * 100:F1} cm");
        Assert.True(cascadedM < 0.08f, $"cascaded edge within 8 cm ({cascadedM:F3} m)");
        Assert.True(cascadedM * 3 < singleM, $"cascades at least 3× sharper ({cascadedM:F3} against {singleM:F3} m)");
    }

    [Fact]
    public void Live_frames_with_cascades_allocate_nothing_in_steady_state()
    {
        StageConfig config = RenderGpuTest.TestRig();
        CameraConfig camera = config.Cameras[0];
        RenderScene scene = Street();
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, Options(3));
            bool[] all = new bool[config.Outputs.Count];
            Action<long, IReadOnlyList<CanvasPixels>> sink = (_, _) => { };
            var views = new CameraView[1];
            void Frame(int frame)
            {
                // The camera dollies 1 cm a frame: the cascades are refitted every frame.
                views[0] = new CameraView(camera, Pose.FromPanTiltRoll(new Vector3(0, 1.7f, -0.01f * frame), new PanTiltRoll(0, -10, 0)), 24);
                renderer.BeginFrame(scene, frame, all, sink);
                renderer.Submit(views);
                renderer.Present();
                renderer.CollectReadbacks();
            }
            for (int frame = 0; frame < 4; frame++) Frame(frame);
            Assert.Equal(3, renderer.Scene.CascadesFitted);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int frame = 4; frame < 12; frame++) Frame(frame);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"{allocated} bytes allocated over 8 frames with cascades");
        });
    }

    [Fact]
    public void Cascades_are_split_along_the_view_and_snapped_to_whole_texels()
    {
        LensProjection Lens(Vector3 eye) => LensProjection.ForCamera(RenderGpuTest.TestRig().Cameras[0], Pose.FromPanTiltRoll(eye, new PanTiltRoll(15, -10, 0)), 24);
        var a = new Matrix4x4[3];
        var b = new Matrix4x4[3];
        var texelA = new float[3];
        var texelB = new float[3];
        var splits = new float[3];
        Assert.Equal(3, SunCascades.Fit(Sun, Vector3.Zero, 60, Lens(new Vector3(0, 1.7f, 0)).ViewProjection, 60, 0.5f, 1024, a, texelA, splits));
        Assert.True(splits[0] < splits[1] && splits[1] < splits[2], "splits grow along the view");
        Assert.Equal(60, splits[2], 3);
        Assert.True(texelA[0] < texelA[1] && texelA[1] < texelA[2], "near cascades have the finer texels");
        // A 3 mm move: same radius, and each box's centre moves by whole texels (or not at all): no shimmer.
        Assert.Equal(3, SunCascades.Fit(Sun, Vector3.Zero, 60, Lens(new Vector3(0.003f, 1.7f, -0.002f)).ViewProjection, 60, 0.5f, 1024, b, texelB, splits));
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(texelA[c], texelB[c]);
            float radius = 1 / a[c].M11;
            float shiftX = (a[c].M41 - b[c].M41) * radius / texelA[c], shiftY = (a[c].M42 - b[c].M42) * radius / texelA[c];
            Assert.Equal(MathF.Round(shiftX), shiftX, 2);
            Assert.Equal(MathF.Round(shiftY), shiftY, 2);
        }
    }
}
