using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Render.Meshes;
using Stage.Render.Projection;
using Stage.Render.Scene;
using Stage.Render.Tests.Gpu;
using Stage.Tests.Shared;
using Xunit.Abstractions;
using Stage.Core.Frames;

namespace Stage.Render.Tests.Scene;

/// <summary>glTF models and generated meshes in the scene passes: where they appear, their colour, uploads, bad content.</summary>
public sealed class SceneMeshTests(ITestOutputHelper output)
{
    private static readonly StageRendererOptions SmallOptions = new()
    {
        OuterFaceSizePx = 32,
        Scene = new SceneRendererOptions { ShadowMapSize = 256 },
    };

    private static string Asset(string name) => RepositoryPaths.Of("stage-configs", "assets", name);

    /// <summary>Flat light (ambient 1, no sun) on black, so a surface shows its colour exactly.</summary>
    private static RenderScene FlatLit() => new() { AmbientLinear = Vector3.One, SunColorLinear = Vector3.Zero, BackgroundLinear = Vector3.Zero };

    private static (CameraConfig Camera, Pose Pose, LensProjection Lens) FrontCamera(StageConfig config)
    {
        CameraConfig camera = config.Cameras[0];
        var pose = Pose.FromPanTiltRoll(new Vector3(0.1f, 0.55f, 0.4f), new PanTiltRoll(8, -4, 0));
        return (camera, pose, LensProjection.ForCamera(camera, pose, 24));
    }

    /// <summary>Brightness-weighted centroid of an RGBA image, pixel units (centres at +0.5).</summary>
    private static (Vector2 Centroid, double Weight) Centroid(CanvasPixels image)
    {
        double sum = 0, sx = 0, sy = 0;
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        {
            int i = (y * image.Width + x) * 4;
            double w = image.Rgba.Span[i] + image.Rgba.Span[i + 1] + image.Rgba.Span[i + 2];
            sum += w;
            sx += w * (x + 0.5);
            sy += w * (y + 0.5);
        }
        return (sum > 0 ? new Vector2((float)(sx / sum), (float)(sy / sum)) : new Vector2(float.NaN), sum);
    }

    [Theory]
    [InlineData("unit-cube.gltf", -0.15f, 0.5f, -1.0f)]
    [InlineData("unit-cube.glb", 0.25f, 0.65f, -1.3f)]
    public void A_gltf_mesh_appears_in_the_inner_image_where_the_lens_projects_it_with_its_base_colour_times_the_tint(string file, float qx, float qy, float qz)
    {
        StageConfig config = RenderGpuTest.TestRig();
        var (camera, pose, lens) = FrontCamera(config);
        var q = new Vector3(qx, qy, qz);
        var library = new MeshLibrary();
        SceneMesh cube = library.Load(Asset(file));
        RenderScene scene = FlatLit();
        // A 4 cm cube (the asset is 1 m, grey 0.5, metallic 1 by glTF's default) tinted 2 and made a dielectric: a white
        // Lambert-plus-specular surface, which under a uniform environment of radiance 0.5 shows exactly 0.5 (furnace).
        scene.AmbientLinear = new Vector3(0.5f);
        scene.Add(DrawItem.ForMesh(cube, Matrix4x4.CreateScale(0.04f) * Matrix4x4.CreateTranslation(q), new Vector3(2, 2, 2)) with { Metallic = 0 });
        Vector3 ndc = ClipSpace.Project(q, lens.ViewProjection);
        var expected = new Vector2((ndc.X + 1) / 2 * camera.InnerWidthPx, (ndc.Y + 1) / 2 * camera.InnerHeightPx);

        RenderGpuTest.Run(device =>
        {
            // One sample: the 4 cm cube is under 2 px across, so with MSAA no pixel of it is fully covered and its centre
            // pixel's colour is shared with the background; the exact colour is what is checked here (MSAA: AntiAliasingTests).
            using var renderer = new StageRenderer(device, config, SmallOptions with { MsaaSamples = 1 });
            renderer.Render([new CameraView(camera, pose, 24)], scene);
            Assert.Equal(1, renderer.Scene.MeshUploads);
            CanvasPixels inner = renderer.ReadInner(camera.Id)!.Value;
            var (found, weight) = Centroid(inner);
            Assert.True(weight > 0, "the mesh must be visible in the inner image");
            output.WriteLine($"{file}: expected inner ({expected.X:F2}, {expected.Y:F2}), centroid ({found.X:F2}, {found.Y:F2}), off by {Vector2.Distance(expected, found):F2} px");
            Assert.True(Vector2.Distance(expected, found) < 1.0f, $"mesh at {found}, expected {expected}");
            int centre = ((int)expected.Y * inner.Width + (int)expected.X) * 4;
            byte[] colour = [inner.Rgba.Span[centre], inner.Rgba.Span[centre + 1], inner.Rgba.Span[centre + 2]];
            byte grey = ColorEncoding.LinearToSrgb8(0.5f);
            Assert.All(colour, c => Assert.InRange(c, grey - 1, grey + 1));
        });
    }

    [Fact]
    public void A_mesh_is_uploaded_once_for_all_its_items_and_moving_them_rebuilds_no_buffer()
    {
        StageConfig config = RenderGpuTest.TestRig();
        var (camera, pose, _) = FrontCamera(config);
        var library = new MeshLibrary();
        SceneMesh model = library.Load(Asset("two-mesh-scene.gltf"));
        Assert.Same(model, library.Load(Asset("two-mesh-scene.gltf")));
        var scene = new RenderScene();
        var terrain = new SceneMesh("ramp", MeshPrimitives.Terrain([0, 0, 0.2f, 0.2f], 2, 2, 2f, 1f));
        scene.Add(DrawItem.ForMesh(terrain, Matrix4x4.CreateTranslation(0, 0, -1.5f), new Vector3(0.3f, 0.6f, 0.2f)));
        var a = scene.Add(DrawItem.ForMesh(model, Matrix4x4.CreateScale(0.1f), Vector3.One));
        var b = scene.Add(DrawItem.ForMesh(model, Matrix4x4.CreateScale(0.1f), Vector3.One));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(0.1f) * Matrix4x4.CreateTranslation(0, 0.3f, -1), Vector3.One));

        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, SmallOptions);
            for (var frame = 0; frame < 3; frame++)
            {
                scene.SetTransform(a, Matrix4x4.CreateScale(0.1f) * Matrix4x4.CreateTranslation(-0.3f + 0.05f * frame, 0.4f, -1.2f));
                scene.SetTransform(b, Matrix4x4.CreateScale(0.1f) * Matrix4x4.CreateRotationY(frame) * Matrix4x4.CreateTranslation(0.3f, 0.4f, -1.2f));
                renderer.Render([new CameraView(camera, pose, 24)], scene);
            }
            Assert.Equal(2, renderer.Scene.MeshUploads);
            Assert.Equal(0, renderer.Scene.InstanceBufferGrowths);
            Assert.Equal(4, renderer.Scene.ItemCount);
            Assert.Empty(renderer.Scene.MeshFaults);
        });
    }

    [Fact]
    public void A_mesh_with_bad_content_is_skipped_and_logged_once_and_the_rest_of_the_frame_is_drawn()
    {
        StageConfig config = RenderGpuTest.TestRig();
        var (camera, pose, lens) = FrontCamera(config);
        var logged = new List<string>();
        var bad = new SceneMesh("broken.glb", new MeshData([Vector3.Zero, Vector3.UnitX, Vector3.UnitY], [Vector3.UnitZ, Vector3.UnitZ * 3, Vector3.UnitZ], [0, 1, 2]));
        RenderScene scene = FlatLit();
        scene.Add(DrawItem.ForMesh(bad, Matrix4x4.CreateTranslation(0, 0.5f, -1), Vector3.One));
        var q = new Vector3(0.05f, 0.55f, -1.1f);
        scene.Add(new DrawItem(DrawKind.Sphere, Matrix4x4.CreateScale(0.05f) * Matrix4x4.CreateTranslation(q), Vector3.One));
        Vector3 ndc = ClipSpace.Project(q, lens.ViewProjection);
        var expected = new Vector2((ndc.X + 1) / 2 * camera.InnerWidthPx, (ndc.Y + 1) / 2 * camera.InnerHeightPx);

        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, SmallOptions with { Scene = SmallOptions.Scene with { Log = logged.Add } });
            renderer.Render([new CameraView(camera, pose, 24)], scene);
            renderer.Render([new CameraView(camera, pose, 24)], scene);
            string line = Assert.Single(logged);
            Assert.Contains("broken.glb", line);
            Assert.Contains("normals[1]", line);
            Assert.Equal(logged, renderer.Scene.MeshFaults);
            Assert.Equal(1, renderer.Scene.ItemCount);
            var (found, weight) = Centroid(renderer.ReadInner(camera.Id)!.Value);
            Assert.True(weight > 0 && Vector2.Distance(expected, found) < 1.0f, $"the sphere is drawn at {found}, expected {expected}");
        });
    }

    [Fact]
    public void A_bad_gltf_file_is_refused_with_its_path_and_the_place_of_the_fault()
    {
        string folder = Directory.CreateTempSubdirectory("stage-mesh-").FullName;
        try
        {
            string path = Path.Combine(folder, "crate.gltf");
            File.WriteAllText(path, "{ \"asset\": { \"version\": \"2.0\" },\n  \"meshes\": [ { \"primitives\": [ { \"attributes\": { \"POSITION\": 7 } } ] } ] }");
            var ex = Assert.Throws<GltfException>(() => new MeshLibrary().Load(path));
            output.WriteLine(ex.Message);
            Assert.Contains(path, ex.Message);
            Assert.Contains("meshes[0].primitives[0].attributes.POSITION", ex.Message);

            string missing = Path.Combine(folder, "nothing.glb");
            ex = Assert.Throws<GltfException>(() => new MeshLibrary().Load(missing));
            Assert.Contains(missing, ex.Message);

            string empty = Path.Combine(folder, "empty.gltf");
            File.WriteAllText(empty, "{ \"asset\": { \"version\": \"2.0\" } }");
            ex = Assert.Throws<GltfException>(() => new MeshLibrary().Load(empty));
            Assert.Contains("no triangles", ex.Message);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void The_sun_shadow_fits_a_mesh_by_its_bounds_and_leaves_planes_out()
    {
        var tall = new SceneMesh("mast", MeshPrimitives.Box(new Vector3(0.1f, 5f, 0.1f)));
        DrawItem[] items =
        [
            new DrawItem(DrawKind.Plane, Matrix4x4.CreateScale(60, 1, 60), Vector3.One),
            DrawItem.ForMesh(tall, Matrix4x4.CreateTranslation(2, 5, 0), Vector3.One),
        ];
        Matrix4x4 sun = SunShadow.ViewProjection(new Vector3(0, -1, -0.2f), items);
        // The mast's top and bottom are inside the map; a plane corner 30 m away is not.
        foreach (var p in new[] { new Vector3(2, 10, 0), new Vector3(2, 0, 0), new Vector3(2.1f, 10, 0.1f) })
        {
            Vector3 s = ClipSpace.Project(p, sun);
            Assert.True(MathF.Abs(s.X) <= 1 && MathF.Abs(s.Y) <= 1 && s.Z is >= 0 and <= 1, $"{p} → {s} must lie in the shadow map");
        }
        Vector3 corner = ClipSpace.Project(new Vector3(30, 0, 30), sun);
        Assert.False(MathF.Abs(corner.X) <= 1 && MathF.Abs(corner.Y) <= 1, "the floor's far corner should not widen the map");
    }

    [Fact]
    public void One_submission_per_frame_and_one_per_pass_give_the_same_canvases()
    {
        StageConfig config = RenderGpuTest.TestRig();
        var (camera, pose, _) = FrontCamera(config);
        var scene = new RenderScene();
        scene.Add(new DrawItem(DrawKind.Plane, Matrix4x4.CreateScale(6, 1, 6), new Vector3(0.5f)));
        scene.Add(DrawItem.ForMesh(new MeshLibrary().Load(Asset("unit-cube.glb")), Matrix4x4.CreateScale(0.2f) * Matrix4x4.CreateTranslation(0, 0.3f, -1.2f), new Vector3(0.9f, 0.4f, 0.1f)));
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, SmallOptions);
            CameraView[] cameras = [new CameraView(camera, pose, 24)];
            byte[][] single = [.. renderer.Render(cameras, scene).Select(c => c.Rgba.ToArray())];
            Assert.Equal(["slot wait", "record", "gpu", "readback"], renderer.LastTimings.Select(t => t.Pass));
            renderer.TimeEachPass = true;
            byte[][] each = [.. renderer.Render(cameras, scene).Select(c => c.Rgba.ToArray())];
            Assert.Equal(["shadow", "inner A", "outer", "compose", "readback"], renderer.LastTimings.Select(t => t.Pass));
            Assert.Equal(single, each);
        });
    }
}
