using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Space;
using Stage.Render.Projection;
using Stage.Render.Scene;
using Stage.Render.Tests.Gpu;
using Xunit.Abstractions;

namespace Stage.Render.Tests.Scene;

/// <summary>
/// Sun shadow cascades fitted to each inner camera (lavapipe, validation on): where shadows land, how sharp near ones are
/// for the first and a second camera, blended cascade edges, no allocation.
/// </summary>
public sealed class ShadowCascadeTests(ITestOutputHelper output)
{
    // The sun travels +x and down at 45°: a point at height h shadows the floor h metres further along +x.
    private static readonly Vector3 Sun = Vector3.Normalize(new Vector3(1, -1, 0));

    private static StageRendererOptions Options(int cascades, int mapSize = 512, float blend = 0.1f) => new()
    {
        OuterFaceSizePx = 16,
        MsaaSamples = 1,
        Scene = new SceneRendererOptions { ShadowMapSize = mapSize, ShadowCascades = cascades, ShadowCascadeBlend = blend },
    };

    private static float Linear(byte code) => RenderGpuTest.Linear(code);

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

    /// <summary>
    /// Camera B's inner view of the 1 m box (B posed as A is in the tests above) while camera A, drawn first, looks the
    /// other way: B's near shadow edge must come from cascades fitted to B (A's do not reach the box).
    /// </summary>
    private static (CanvasPixels Inner, LensProjection Lens, int Fitted) RenderSecondCamera(int cascades)
    {
        StageConfig rig = RenderGpuTest.TestRig();
        CameraConfig a = rig.Cameras[0] with { InnerWidthPx = 256, InnerHeightPx = 192 };
        CameraConfig b = rig.Cameras[0] with { Id = "B", InnerWidthPx = 1024, InnerHeightPx = 768 };
        StageConfig config = rig with { Cameras = [a, b] };
        Pose away = Pose.FromPanTiltRoll(new Vector3(0, 1.7f, 0), new PanTiltRoll(180, -10, 0));
        CanvasPixels inner = default;
        var fitted = 0;
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, Options(cascades));
            renderer.Render([new CameraView(a, away, 24), new CameraView(b, Eye, 24)], Street());
            CanvasPixels read = renderer.ReadInner("B")!.Value;
            inner = read with { Rgba = read.Rgba.ToArray() };
            fitted = renderer.Scene.CascadesFittedFor(1);
            if (cascades > 0) Assert.Equal(cascades, renderer.Scene.CascadesFittedFor(0));
        });
        return (inner, LensProjection.ForCamera(b, Eye, 24), fitted);
    }

    [Fact]
    public void A_second_camera_has_cascades_of_its_own_and_as_sharp_a_near_shadow_edge()
    {
        var (single, lens, none) = RenderSecondCamera(0);
        var (cascaded, _, fitted) = RenderSecondCamera(3);
        Assert.Equal(0, none);
        Assert.Equal(3, fitted);
        float singleM = EdgeErrorM(single, lens), cascadedM = EdgeErrorM(cascaded, lens);
        output.WriteLine($"camera B's edge error: one map {singleM * 100:F1} cm, its own cascades {cascadedM * 100:F1} cm");
        Assert.True(cascadedM < 0.08f, $"camera B's cascaded edge within 8 cm ({cascadedM:F3} m)");
        Assert.True(cascadedM * 3 < singleM, $"camera B's cascades at least 3× sharper ({cascadedM:F3} against {singleM:F3} m)");
    }

    // A low sun (25° up, travelling +x): shadows are long and the cascades' normal offsets (two of their texels) shift a
    // shadow edge by offset / tan 25°, so neighbouring cascades draw the same edge visibly apart.
    private static readonly Vector3 LowSun = Vector3.Normalize(new Vector3(MathF.Cos(25 * MathF.PI / 180), -MathF.Sin(25 * MathF.PI / 180), 0));

    /// <summary>
    /// A 0.4 m high, 0.2 m thick wall along the view (x −1.2…−1.0, z −1…−41) under the low sun: its shadow's far edge
    /// runs along z at x ≈ −0.14 through the first cascades' boundaries, parallel to the map's texel rows (no staircase).
    /// </summary>
    private static RenderScene WallUnderLowSun()
    {
        var scene = new RenderScene { AmbientLinear = new Vector3(0.05f), BackgroundLinear = Vector3.Zero, SunColorLinear = Vector3.One, SunDirection = LowSun };
        scene.Add(new DrawItem(DrawKind.Plane, Matrix4x4.CreateScale(200, 1, 200), Vector3.One));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(2) * Matrix4x4.CreateTranslation(-40, 1, -40), Vector3.One));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(2) * Matrix4x4.CreateTranslation(40, 1, 30), Vector3.One));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(0.2f, 0.4f, 40) * Matrix4x4.CreateTranslation(-1.1f, 0.2f, -21), Vector3.One));
        return scene;
    }

    private const float FirstRowZ = -4;

    /// <summary>The wall's shadowed width (metres) across x −0.9…0.6 on each floor row z −4…−21.5 (5 cm apart).</summary>
    private static float[] ShadowWidthsM(float blend)
    {
        StageConfig rig = RenderGpuTest.TestRig();
        CameraConfig camera = rig.Cameras[0] with { InnerWidthPx = 1024, InnerHeightPx = 768 };
        StageConfig config = rig with { Cameras = [camera] };
        var widths = new float[351];
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, Options(3, mapSize: 256, blend: blend));
            renderer.Render([new CameraView(camera, Eye, 24)], WallUnderLowSun());
            Assert.Equal(3, renderer.Scene.CascadesFitted);
            CanvasPixels inner = renderer.ReadInner(camera.Id)!.Value;
            LensProjection lens = LensProjection.ForCamera(camera, Eye, 24);
            for (var row = 0; row < widths.Length; row++)
            {
                float z = FirstRowZ - 0.05f * row;
                float open = At(inner, lens, new Vector3(1.5f, 0, z));
                float shadowed = 0;
                for (float x = -0.9f; x < 0.6f; x += 0.0025f) shadowed += (1 - Math.Clamp(At(inner, lens, new Vector3(x, 0, z)) / open, 0, 1)) * 0.0025f;
                widths[row] = shadowed;
            }
        });
        return widths;
    }

    /// <summary>The largest change of the shadowed width from one row to the next (5 cm further), and where (z).</summary>
    private static (float StepM, float AtZ) LargestStep(float[] widths)
    {
        float step = 0, at = 0;
        for (var row = 1; row < widths.Length; row++)
        {
            float d = MathF.Abs(widths[row] - widths[row - 1]);
            if (d > step) (step, at) = (d, FirstRowZ - 0.05f * row);
        }
        return (step, at);
    }

    /// <summary>
    /// Across a cascade boundary a shadow edge drawn by the finer cascade and by the coarser one lies in different places
    /// (their texels and normal offsets differ): unblended it steps there. Blended over the box's outer tenth (about 0.7 m
    /// of floor for the first cascade here), the edge slides from one place to the other. Measure: the wall shadow's
    /// width on each floor row (a 1.5 m window integrated, so it moves continuously with a blended edge, 5 cm rows).
    /// X = 5 cm: where the boundary lies (~14 m out) one inner pixel row covers ~13 cm of floor, over which a blended edge
    /// (~17 cm over ~1 m of band here) moves ~2 cm, and pixel rounding across the window adds about a pixel (~1.5 cm);
    /// 5 cm bounds both and is under a third of the unblended step.
    /// </summary>
    [Fact]
    public void A_blended_cascade_edge_moves_a_shadow_edge_gradually_where_the_unblended_one_steps()
    {
        var (stepped, steppedAt) = LargestStep(ShadowWidthsM(0));
        float[] blendedWidths = ShadowWidthsM(0.1f);
        var (blended, blendedAt) = LargestStep(blendedWidths);
        output.WriteLine($"largest row-to-row change of the shadow's width: unblended {stepped * 100:F1} cm at z {steppedAt:F2}, blended {blended * 100:F1} cm at z {blendedAt:F2}");
        output.WriteLine("blended widths (cm) every 0.5 m: " + string.Join(" ", blendedWidths.Where((_, i) => i % 10 == 0).Select(w => (w * 100).ToString("F1"))));
        Assert.True(stepped > 0.08f, $"the unblended cascade edge steps the shadow's width by more than 8 cm ({stepped * 100:F1} cm): else this scene shows nothing");
        Assert.True(blended < 0.05f, $"blended, no row-to-row change over 5 cm ({blended * 100:F1} cm at z {blendedAt:F2})");
        Assert.True(blended * 3 < stepped, $"blended, the largest change is under a third of the unblended step ({blended:F3} against {stepped:F3} m)");
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
