using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Space;
using Stage.Render.Projection;
using Stage.Render.Scene;
using Stage.Render.Sky;
using Stage.Render.Tests.Gpu;
using Xunit.Abstractions;

namespace Stage.Render.Tests.Scene;

/// <summary>Image-based light and the sky on lavapipe (validation on, zero messages): HDR images, the physical sky, prefiltering.</summary>
public sealed class EnvironmentShadingTests(ITestOutputHelper output)
{
    private static readonly StageRendererOptions Options = new()
    {
        OuterFaceSizePx = 16,
        Scene = new SceneRendererOptions { ShadowMapSize = 256 },
    };

    private static float Linear(byte code) => RenderGpuTest.Linear(code);

    private static Vector3 Pixel(CanvasPixels image, int x, int y) => RenderGpuTest.Pixel(image, x, y);

    /// <summary>The inner image of a camera at (0, 1, 0) looking along −Z (pan 0) with a 24 mm lens.</summary>
    private static CanvasPixels RenderInner(RenderScene scene, Action<StageRenderer>? check = null) =>
        RenderGpuTest.RenderInner(RenderGpuTest.TestRig(), Options, scene, check);

    private static EquirectMap Map(int width, int height, Func<Vector3, Vector3> radiance)
    {
        var map = new EquirectMap(width, height);
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            map[x, y] = radiance(map.TexelDirection(x, y));
        return map;
    }

    private static RenderScene Lit(SceneEnvironment environment) => new()
    {
        Environment = environment,
        SunColorLinear = Vector3.Zero,
        AmbientLinear = new Vector3(9),   // must not show: the environment replaces the uniform ambient
        BackgroundLinear = new Vector3(9),
    };

    private static DrawItem Sphere(float metallic, float roughness, float radiusM = 0.3f) =>
        new(DrawKind.Sphere, Matrix4x4.CreateScale(2 * radiusM) * Matrix4x4.CreateTranslation(0, 1, -1), Vector3.One) { Metallic = metallic, Roughness = roughness };

    [Theory]
    [InlineData(0f, 1f, 0.01f)]
    [InlineData(1f, 1f, 0.03f)]
    [InlineData(1f, 0.5f, 0.03f)]
    public void White_furnace_holds_with_a_uniform_image_environment(float metallic, float roughness, float tolerance)
    {
        const float L = 0.5f;
        RenderScene scene = Lit(new SceneEnvironment { Image = Map(64, 32, _ => new Vector3(L)) });
        scene.Add(Sphere(metallic, roughness, 0.15f));
        CanvasPixels inner = RenderInner(scene, r => Assert.Equal(1, r.Scene.EnvironmentBakes));
        int cx = inner.Width / 2, cy = inner.Height / 2;
        float worst = 0;
        for (int dy = -5; dy <= 5; dy++)
        for (int dx = -5; dx <= 5; dx++)
        {
            Vector3 v = Pixel(inner, cx + dx, cy + dy);
            worst = MathF.Max(worst, MathF.Max(MathF.Abs(v.X - L), MathF.Max(MathF.Abs(v.Y - L), MathF.Abs(v.Z - L))) / L);
        }
        Vector3 background = Pixel(inner, 2, 2);
        output.WriteLine($"metallic {metallic}, roughness {roughness}: worst {worst:P2}; background {background}");
        Assert.True(worst <= tolerance, $"worst {worst:P2} > {tolerance:P0}");
        Assert.Equal(L, background.Y, 0.01f);
    }

    [Fact]
    public void An_environment_lit_from_above_lights_the_top_of_a_sphere_and_not_its_bottom()
    {
        RenderScene scene = Lit(new SceneEnvironment { Image = Map(64, 32, d => d.Y > 0 ? new Vector3(0.8f) : new Vector3(0.02f)) });
        scene.Add(Sphere(0, 1));
        CanvasPixels inner = RenderInner(scene);
        int cx = inner.Width / 2, cy = inner.Height / 2;
        // The sphere (radius 0.3 m at 1 m) spans well over ±10 % of the image height around the centre.
        int reach = inner.Height / 10;
        Vector3 top = Pixel(inner, cx, cy - reach), bottom = Pixel(inner, cx, cy + reach);
        output.WriteLine($"top {top}, bottom {bottom}");
        // Near the centre the normals tilt only ~±20° from the view axis: E/π differs by ~40 % there (SH of a half-lit sky).
        Assert.True(top.Y > 1.25f * bottom.Y, "lit from above");
    }

    [Fact]
    public void Rotation_moves_a_bright_spot_of_an_hdr_file_to_the_expected_pixel_and_it_lights_a_sphere()
    {
        // A dark panorama with one bright patch at pan −90° (toward −X) on the horizon, written as a Radiance file.
        string dir = Path.Combine(Path.GetTempPath(), "stage-env-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "spot.hdr");
            File.WriteAllBytes(path, RadianceHdr.Encode(Map(128, 64, d => Vector3.Dot(d, -Vector3.UnitX) > 0.995f ? new Vector3(20f, 12f, 6f) : new Vector3(0.02f))));
            // The spot's centre along the middle row: the centroid of the pixels above half the peak.
            (double X, float Value) Brightest(double rotationDeg)
            {
                CanvasPixels inner = RenderInner(Lit(SceneEnvironment.FromImage(path, rotationDeg)));
                int cy = inner.Height / 2;
                float peak = 0;
                for (int x = 0; x < inner.Width; x++) peak = MathF.Max(peak, Pixel(inner, x, cy).X);
                double sum = 0, count = 0;
                for (int x = 0; x < inner.Width; x++)
                {
                    if (Pixel(inner, x, cy).X < peak / 2) continue;
                    sum += x + 0.5;
                    count++;
                }
                return (count > 0 ? sum / count : -1, peak);
            }
            CanvasPixels any0 = RenderInner(Lit(SceneEnvironment.FromImage(path, 90)));
            var turned = Brightest(90);   // pan −90° + 90° = 0: straight ahead
            var left = Brightest(80);     // 10° left of centre
            var right = Brightest(100);   // 10° right
            var unturned = Brightest(0);  // behind the camera's left shoulder: not in view
            output.WriteLine($"rotation 90: x {turned.X:F1} ({turned.Value:F3}); 80: x {left.X:F1}; 100: x {right.X:F1}; 0: brightest {unturned.Value:F3}; image {any0.Width} wide");
            Assert.True(turned.Value > 0.5f && unturned.Value < 0.05f);
            CanvasPixels any = any0;
            Assert.InRange(turned.X, any.Width / 2.0 - 1, any.Width / 2.0 + 1);
            Assert.True(left.X < turned.X - 5 && right.X > turned.X + 5, "the spot moves with the rotation, clockwise seen from above");
            Assert.Equal(turned.X - left.X, right.X - turned.X, 1.0);

            // It lights a sphere: the side facing the spot (turned to −Z: toward the camera's side of the sphere, the front) is brighter than with the spot behind.
            RenderScene front = Lit(SceneEnvironment.FromImage(path, 90 + 180));   // spot at pan 180°: behind the camera, lighting the sphere's front
            front.Add(Sphere(0, 1));
            RenderScene back = Lit(SceneEnvironment.FromImage(path, 90));          // spot straight ahead, behind the sphere
            back.Add(Sphere(0, 1));
            float litFront = Pixel(RenderInner(front), any.Width / 2, any.Height / 2).X, litBack = Pixel(RenderInner(back), any.Width / 2, any.Height / 2).X;
            output.WriteLine($"sphere centre: spot behind the camera {litFront:F4}, spot behind the sphere {litBack:F4}");
            Assert.True(litFront > 1.5f * litBack);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_rough_mirror_sphere_is_blurrier_than_a_smooth_one()
    {
        // Vertical stripes 20° wide: a smooth mirror shows them sharp, a rough one averages them.
        var environment = new SceneEnvironment { Image = Map(256, 128, d => ((int)MathF.Floor((MathF.Atan2(d.X, -d.Z) * 180 / MathF.PI + 360) / 20) & 1) == 0 ? new Vector3(0.9f) : new Vector3(0.05f)) };
        float Contrast(float roughness)
        {
            RenderScene scene = Lit(environment);
            scene.Add(Sphere(1, roughness));
            CanvasPixels inner = RenderInner(scene);
            int cx = inner.Width / 2, cy = inner.Height / 2, reach = inner.Height / 12;
            float min = float.MaxValue, max = 0;
            for (int x = cx - reach; x <= cx + reach; x++)
            {
                float v = Pixel(inner, x, cy).Y;
                (min, max) = (MathF.Min(min, v), MathF.Max(max, v));
            }
            return max - min;
        }
        float smooth = Contrast(0.05f), rough = Contrast(0.7f);
        output.WriteLine($"stripe contrast across the sphere: smooth {smooth:F3}, rough {rough:F3}");
        Assert.True(smooth > 0.5f, "a smooth mirror shows the stripes");
        Assert.True(rough < 0.5f * smooth, "a rough one blurs them");
    }

    [Fact]
    public void The_physical_sky_fills_the_background_bluer_away_from_the_sun_and_lights_the_scene()
    {
        // The sun 40° up behind the camera's right shoulder; the camera looks along −Z, tilted up 30° at the sky.
        var scene = new RenderScene
        {
            Environment = new SceneEnvironment { Turbidity = 3, GroundAlbedo = 0.2 },
            SunDirection = -Vector3.Normalize(new Vector3(0.5f, 0.84f, 0.2f)),
            SunIlluminanceLux = 100_000,
            ExposureEv = 14,
        };
        StageConfig config = RenderGpuTest.TestRig();
        CameraConfig camera = config.Cameras[0];
        Pose pose = Pose.FromPanTiltRoll(new Vector3(0, 1, 0), new PanTiltRoll(0, 30, 0));
        CanvasPixels inner = default;
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, Options);
            renderer.Render([new CameraView(camera, pose, 24)], scene);
            inner = renderer.ReadInner(camera.Id)!.Value;
            inner = inner with { Rgba = inner.Rgba.ToArray() };
            output.WriteLine($"bake {renderer.Scene.EnvironmentBakeMs:F1} ms, on the frame's path {renderer.Scene.EnvironmentLivePathMs:F1} ms");
        });
        Vector3 centre = Pixel(inner, inner.Width / 2, inner.Height / 2);
        Vector3 right = Pixel(inner, inner.Width - 3, inner.Height / 2);  // toward the sun's side
        Vector3 left = Pixel(inner, 2, inner.Height / 2);
        output.WriteLine($"sky: left {left}, centre {centre}, right (sun side) {right}");
        Assert.True(centre.Z > centre.X, "the sky is blue");
        Assert.True(right.Y > left.Y, "brighter toward the sun");
        Assert.True(left.Z / MathF.Max(left.X, 1e-4f) > right.Z / MathF.Max(right.X, 1e-4f), "bluer away from the sun");
    }

    [Fact]
    public void The_sky_follows_the_sun_rebaking_off_the_frame_path()
    {
        var scene = new RenderScene
        {
            Environment = new SceneEnvironment { Turbidity = 3 },
            SunDirection = -Vector3.Normalize(new Vector3(0, 1, -1)),
            SunIlluminanceLux = 100_000,
            ExposureEv = 14,
        };
        StageConfig config = RenderGpuTest.TestRig();
        CameraConfig camera = config.Cameras[0];
        Pose pose = Pose.FromPanTiltRoll(new Vector3(0, 1, 0), new PanTiltRoll(0, 0, 0));
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, Options);
            renderer.Render([new CameraView(camera, pose, 24)], scene);
            Assert.Equal(1, renderer.Scene.EnvironmentBakes);
            // A turn below the threshold re-bakes nothing.
            scene.SunDirection = Vector3.Transform(scene.SunDirection, Quaternion.CreateFromAxisAngle(Vector3.UnitY, 0.1f * MathF.PI / 180));
            renderer.Render([new CameraView(camera, pose, 24)], scene);
            renderer.Scene.WaitForEnvironment(scene);
            Assert.Equal(1, renderer.Scene.EnvironmentBakes);
            // One above it does, on a worker; the frame after it is done takes it.
            scene.SunDirection = Vector3.Transform(scene.SunDirection, Quaternion.CreateFromAxisAngle(Vector3.UnitY, 5 * MathF.PI / 180));
            renderer.Render([new CameraView(camera, pose, 24)], scene);
            renderer.Scene.WaitForEnvironment(scene);
            renderer.Render([new CameraView(camera, pose, 24)], scene);
            Assert.Equal(2, renderer.Scene.EnvironmentBakes);
            output.WriteLine($"re-bake {renderer.Scene.EnvironmentBakeMs:F1} ms on a worker; upload on the frame path {renderer.Scene.EnvironmentLivePathMs:F1} ms");
        });
    }

    [Fact]
    public void Frames_with_the_physical_sky_allocate_nothing_in_steady_state()
    {
        var scene = new RenderScene
        {
            Environment = new SceneEnvironment { Turbidity = 3 },
            SunDirection = -Vector3.Normalize(new Vector3(0.3f, 1, -1)),
        };
        scene.Add(Sphere(1, 0.3f));
        StageConfig config = RenderGpuTest.TestRig();
        CameraConfig camera = config.Cameras[0];
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, Options);
            bool[] all = new bool[config.Outputs.Count];
            CameraView[] views = [new CameraView(camera, Pose.FromPanTiltRoll(new Vector3(0, 1, 0), new PanTiltRoll(0, 0, 0)), 24)];
            Action<long, IReadOnlyList<CanvasPixels>> sink = (_, _) => { };
            void Frame(int frame)
            {
                // The sun creeps 0.01° a frame: under the re-bake threshold, so steady frames only read the baked sky.
                scene.SunDirection = Vector3.Transform(scene.SunDirection, Quaternion.CreateFromAxisAngle(Vector3.UnitY, 0.0001745f));
                renderer.BeginFrame(scene, frame, all, sink);
                renderer.Submit(views);
                renderer.Present();
                renderer.CollectReadbacks();
            }
            for (int frame = 0; frame < 4; frame++) Frame(frame);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int frame = 4; frame < 12; frame++) Frame(frame);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"{allocated} bytes allocated over 8 frames with the sky");
            Assert.Equal(1, renderer.Scene.EnvironmentBakes);
        });
    }
}
