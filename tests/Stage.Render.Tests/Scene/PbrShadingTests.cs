using System.Numerics;
using SharpGLTF.Schema2;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Space;
using Stage.Render.Meshes;
using Stage.Render.Projection;
using Stage.Render.Scene;
using Stage.Render.Tests.Gpu;
using Stage.Render.Tests.Meshes;
using Xunit.Abstractions;

namespace Stage.Render.Tests.Scene;

/// <summary>Physically based shading on lavapipe (validation on): white furnace, textures and their orientation, normal maps, colour spaces, mips.</summary>
public sealed class PbrShadingTests(ITestOutputHelper output)
{
    private static readonly StageRendererOptions Options = new()
    {
        OuterFaceSizePx = 16,
        Scene = new SceneRendererOptions { ShadowMapSize = 256 },
    };

    private static (CameraConfig Camera, Pose Pose) Camera(StageConfig config, Vector3 eye)
    {
        CameraConfig camera = config.Cameras[0];
        return (camera, Pose.FromPanTiltRoll(eye, new PanTiltRoll(0, 0, 0)));
    }

    private static float Linear(byte srgb) => Srgb8ToLinear(srgb);

    /// <summary>An 8-bit sRGB code value to linear light (IEC 61966-2-1).</summary>
    private static float Srgb8ToLinear(byte code) => RenderGpuTest.Linear(code);

    /// <summary>Renders the scene from a camera at <paramref name="eye"/> looking along −Z with a 24 mm lens, returns the inner image.</summary>
    private static CanvasPixels RenderInner(RenderScene scene, Vector3 eye, Action<StageRenderer>? check = null)
    {
        StageConfig config = RenderGpuTest.TestRig();
        var (camera, pose) = Camera(config, eye);
        CanvasPixels inner = default;
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, Options);
            renderer.Render([new CameraView(camera, pose, 24)], scene);
            inner = renderer.ReadInner(camera.Id)!.Value;
            check?.Invoke(renderer);
            // Copy: the memory is reused by a later frame.
            inner = inner with { Rgba = inner.Rgba.ToArray() };
        });
        return inner;
    }

    private static RenderScene Furnace(float radiance) => new()
    {
        AmbientLinear = new Vector3(radiance),
        SunColorLinear = Vector3.Zero,
        BackgroundLinear = Vector3.Zero,
    };

    /// <summary>Linear values of the pixels of the inner image's central disc (radius in pixels).</summary>
    private static List<Vector3> Centre(CanvasPixels image, int radiusPx)
    {
        var values = new List<Vector3>();
        int cx = image.Width / 2, cy = image.Height / 2;
        for (int y = cy - radiusPx; y <= cy + radiusPx; y++)
        for (int x = cx - radiusPx; x <= cx + radiusPx; x++)
        {
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) > radiusPx * radiusPx) continue;
            int o = (y * image.Width + x) * 4;
            values.Add(new Vector3(Linear(image.Rgba.Span[o]), Linear(image.Rgba.Span[o + 1]), Linear(image.Rgba.Span[o + 2])));
        }
        return values;
    }

    [Theory]
    [InlineData(0f, 1f, 0.01f)]   // white Lambert (a glTF dielectric: diffuse + its specular) renders L within 1 %
    [InlineData(1f, 1f, 0.03f)]   // a rough white metal renders F0 × L = L within 3 %
    [InlineData(1f, 0.5f, 0.03f)] // a half-rough white metal likewise
    public void White_furnace_a_white_sphere_in_a_uniform_environment_renders_its_radiance(float metallic, float roughness, float tolerance)
    {
        const float L = 0.5f;
        RenderScene scene = Furnace(L);
        // A 0.3 m sphere 1 m in front of the camera fills the centre of the inner image.
        scene.Add(new DrawItem(DrawKind.Sphere, Matrix4x4.CreateScale(0.3f) * Matrix4x4.CreateTranslation(0, 1, -1), Vector3.One) { Metallic = metallic, Roughness = roughness });
        CanvasPixels inner = RenderInner(scene, new Vector3(0, 1, 0));
        List<Vector3> centre = Centre(inner, 6);
        float worst = centre.Max(v => MathF.Max(MathF.Abs(v.X - L), MathF.Max(MathF.Abs(v.Y - L), MathF.Abs(v.Z - L)))) / L;
        output.WriteLine($"metallic {metallic}, roughness {roughness}: {centre.Count} pixels, worst relative error {worst:P2} (8-bit sRGB readback quantises ~0.4 %)");
        Assert.True(worst <= tolerance, $"worst {worst:P2} > {tolerance:P0}");
    }

    [Fact]
    public void Exposure_scales_the_scene_pass_by_two_to_the_minus_ev()
    {
        // The furnace at radiance 1 seen with +1 EV: 0.5; the background (radiance 0.8) likewise 0.4.
        RenderScene scene = Furnace(1);
        scene.BackgroundLinear = new Vector3(0.8f);
        scene.ExposureEv = 1;
        scene.Add(new DrawItem(DrawKind.Sphere, Matrix4x4.CreateScale(0.3f) * Matrix4x4.CreateTranslation(0, 1, -1), Vector3.One) { Metallic = 0, Roughness = 1 });
        CanvasPixels inner = RenderInner(scene, new Vector3(0, 1, 0));
        float centre = Centre(inner, 4).Average(v => v.Y);
        float corner = Linear(inner.Rgba.Span[1]);
        output.WriteLine($"+1 EV: sphere {centre:F4} (0.5), background {corner:F4} (0.4)");
        Assert.Equal(0.5f, centre, 0.01f);
        Assert.Equal(0.4f, corner, 0.01f);
    }

    [Fact]
    public void A_checker_texture_lands_where_its_uvs_put_it_top_left_texel_at_uv_0_0()
    {
        // The quad faces +Z; UV (0, 0) is its top-left corner (glTF: v runs down the image), where the PNG's first texel
        // (red) is. Seen from +Z, upright: red top left, green top right, blue bottom left, white bottom right.
        GltfModel model = GltfLoader.LoadGlb(SharpGltfAssets.TexturedQuad(SharpGltfAssets.Checker2x2()).WriteGLB().ToArray(), "checker.glb");
        var mesh = new SceneMesh("checker", model.ToSceneMesh());
        RenderScene scene = Furnace(1);
        scene.Add(DrawItem.ForMesh(mesh, Matrix4x4.CreateScale(0.4f) * Matrix4x4.CreateTranslation(0, 1, -1), Vector3.One));
        CanvasPixels inner = RenderInner(scene, new Vector3(0, 1, 0), r => Assert.Equal(1, r.Scene.TextureUploads));
        int w = inner.Width, h = inner.Height, dx = w / 10, dy = h / 10;
        (byte, byte, byte) At(int x, int y)
        {
            int o = (y * w + x) * 4;
            return (inner.Rgba.Span[o], inner.Rgba.Span[o + 1], inner.Rgba.Span[o + 2]);
        }
        static string Name((byte R, byte G, byte B) c) => (c.R > 200, c.G > 200, c.B > 200) switch
        {
            (true, false, false) => "red",
            (false, true, false) => "green",
            (false, false, true) => "blue",
            (true, true, true) => "white",
            _ => $"({c.R}, {c.G}, {c.B})",
        };
        Assert.Equal("red", Name(At(w / 2 - dx, h / 2 - dy)));
        Assert.Equal("green", Name(At(w / 2 + dx, h / 2 - dy)));
        Assert.Equal("blue", Name(At(w / 2 - dx, h / 2 + dy)));
        Assert.Equal("white", Name(At(w / 2 + dx, h / 2 + dy)));
    }

    [Fact]
    public void Colour_textures_are_srgb_and_data_textures_linear()
    {
        // The same mid-grey PNG (sRGB 128 = linear 0.216) as base colour (decoded from sRGB) and as a metallic-roughness
        // texture of a material whose base colour factor comes from it… compared through the emissive path, which is
        // linear in the texture: an emissive texture is colour (sRGB), so 128 shows as linear 0.216.
        byte[] grey = SharpGltfAssets.Png(4, 4, (_, _) => (128, 128, 128, 255));
        ModelRoot root = SharpGltfAssets.Quad((model, m) =>
        {
            Image image = model.CreateImage("grey");
            image.Content = new SharpGLTF.Memory.MemoryImage(grey);
            MaterialChannel emissive = m.FindChannel("Emissive")!.Value;
            emissive.SetTexture(0, image);
            emissive.Color = Vector4.One;
            MaterialChannel baseColor = m.FindChannel("BaseColor")!.Value;
            baseColor.Color = new Vector4(0, 0, 0, 1);
        });
        var mesh = new SceneMesh("grey", GltfLoader.LoadGlb(root.WriteGLB().ToArray(), "grey.glb").ToSceneMesh());
        RenderScene scene = Furnace(0);
        scene.Add(DrawItem.ForMesh(mesh, Matrix4x4.CreateScale(0.4f) * Matrix4x4.CreateTranslation(0, 1, -1), Vector3.One));
        CanvasPixels inner = RenderInner(scene, new Vector3(0, 1, 0));
        Vector3 c = Centre(inner, 2).Aggregate(Vector3.Zero, (a, b) => a + b) / Centre(inner, 2).Count;
        output.WriteLine($"emissive sRGB 128 → linear {c.X:F4} (expected {Srgb8ToLinear(128):F4})");
        Assert.Equal(Srgb8ToLinear(128), c.X, 0.01f);

        // The same bytes as a normal map (data, linear): 128 → 0.502 → a normal tilted by almost nothing (0.004), so a
        // surface lit head-on keeps its brightness; read as sRGB it would tilt by (0.216·2 − 1) = −0.57 and darken.
        ModelRoot normalRoot = SharpGltfAssets.Quad((model, m) =>
        {
            Image image = model.CreateImage("flat");
            image.Content = new SharpGLTF.Memory.MemoryImage(SharpGltfAssets.Png(4, 4, (_, _) => (128, 128, 255, 255)));
            m.FindChannel("Normal")!.Value.SetTexture(0, image);
            m.FindChannel("MetallicRoughness")!.Value.SetFactor("MetallicFactor", 0);
        });
        var flat = new SceneMesh("flat", GltfLoader.LoadGlb(normalRoot.WriteGLB().ToArray(), "flat.glb").ToSceneMesh());
        RenderScene sunlit = Furnace(0);
        sunlit.SunColorLinear = Vector3.One;
        sunlit.SunDirection = -Vector3.UnitZ;
        sunlit.Add(DrawItem.ForMesh(flat, Matrix4x4.CreateScale(0.4f) * Matrix4x4.CreateTranslation(0, 1, -1), Vector3.One));
        CanvasPixels lit = RenderInner(sunlit, new Vector3(0, 1, 0));
        float value = Centre(lit, 2).Average(v => v.X);
        output.WriteLine($"flat normal map, sun head-on: {value:F4}");
        Assert.True(value > 0.9f, $"a flat normal map read as linear keeps the head-on sun's brightness (got {value:F4})");
    }

    [Fact]
    public void A_normal_map_tilting_toward_plus_u_brightens_a_surface_lit_from_plus_x()
    {
        // Tangent-space normal (+0.6, 0, 0.8): tilted toward +u = +x on the quad. A sun from +x (grazing the quad) lights
        // the tilted surface at cos = 0.6 and the untilted one at ~0; the wrong convention would give 0.
        byte[] tilted = SharpGltfAssets.Png(4, 4, (_, _) => ((byte)Math.Round((0.6 + 1) / 2 * 255), 128, (byte)Math.Round((0.8 + 1) / 2 * 255), 255));
        float Lit(byte[]? normalMap, Vector3 toSun)
        {
            ModelRoot root = SharpGltfAssets.Quad((model, m) =>
            {
                m.FindChannel("MetallicRoughness")!.Value.SetFactor("MetallicFactor", 0);
                if (normalMap is null) return;
                Image image = model.CreateImage("n");
                image.Content = new SharpGLTF.Memory.MemoryImage(normalMap);
                m.FindChannel("Normal")!.Value.SetTexture(0, image);
            });
            var mesh = new SceneMesh("n", GltfLoader.LoadGlb(root.WriteGLB().ToArray(), "n.glb").ToSceneMesh());
            RenderScene scene = Furnace(0);
            scene.SunColorLinear = Vector3.One;
            scene.SunDirection = -toSun;
            scene.Add(DrawItem.ForMesh(mesh, Matrix4x4.CreateScale(0.4f) * Matrix4x4.CreateTranslation(0, 1, -1), Vector3.One));
            return Centre(RenderInner(scene, new Vector3(0, 1, 0)), 2).Average(v => v.X);
        }
        Vector3 fromPlusX = Vector3.Normalize(new Vector3(1, 0, 0.05f));
        Vector3 fromMinusX = Vector3.Normalize(new Vector3(-1, 0, 0.05f));
        float flatLit = Lit(null, fromPlusX), tiltedLit = Lit(tilted, fromPlusX), tiltedAway = Lit(tilted, fromMinusX);
        output.WriteLine($"sun from +x: flat {flatLit:F4}, tilted {tiltedLit:F4}; sun from −x: tilted {tiltedAway:F4}");
        Assert.True(tiltedLit > 5 * flatLit && tiltedLit > 0.3f, "the map tilts the surface toward +x, into the light");
        Assert.True(tiltedAway < flatLit + 0.01f, "and away from light coming from −x");
    }

    [Fact]
    public void Mips_average_a_fine_checker_on_the_far_part_of_a_receding_plane_where_level_0_alone_aliases()
    {
        // A 1-texel black/white checker (32²) on a 4 m floor square seen from 0.5 m above it, looking 25° down: toward the
        // horizon many texels fall in one pixel. With the mip chain (glTF's default sampler) those pixels show the texels'
        // mean, linear 0.5; with a sampler that reads level 0 only (minFilter LINEAR) the same pixels alias to near black
        // and white. The near rows are alike in both.
        (float Mean, float Spread) Far(TextureMipMapFilter minFilter)
        {
            byte[] checker = SharpGltfAssets.Png(32, 32, (x, y) => ((x + y) % 2 == 0 ? (byte)255 : (byte)0) is var v ? (v, v, v, (byte)255) : default);
            ModelRoot root = SharpGltfAssets.Quad((model, m) =>
            {
                Image image = model.CreateImage("checker");
                image.Content = new SharpGLTF.Memory.MemoryImage(checker);
                MaterialChannel baseColor = m.FindChannel("BaseColor")!.Value;
                baseColor.SetTexture(0, image, null, TextureWrapMode.REPEAT, TextureWrapMode.REPEAT, minFilter, TextureInterpolationFilter.LINEAR);
                baseColor.Color = Vector4.One;
                m.FindChannel("MetallicRoughness")!.Value.SetFactor("MetallicFactor", 0);
            });
            var mesh = new SceneMesh("floor", GltfLoader.LoadGlb(root.WriteGLB().ToArray(), "floor.glb").ToSceneMesh());
            RenderScene scene = Furnace(1);
            Matrix4x4 lieFlat = Matrix4x4.CreateRotationX(-MathF.PI / 2);
            scene.Add(DrawItem.ForMesh(mesh, Matrix4x4.CreateScale(4) * lieFlat * Matrix4x4.CreateTranslation(0, 0, -2.5f), Vector3.One));
            StageConfig config = RenderGpuTest.TestRig();
            CameraConfig camera = config.Cameras[0];
            var pose = Pose.FromPanTiltRoll(new Vector3(0, 0.5f, 0), new PanTiltRoll(0, -25, 0));
            CanvasPixels inner = default;
            RenderGpuTest.Run(device =>
            {
                using var renderer = new StageRenderer(device, config, Options);
                renderer.Render([new CameraView(camera, pose, 24)], scene);
                CanvasPixels read = renderer.ReadInner(camera.Id)!.Value;
                inner = read with { Rgba = read.Rgba.ToArray() };
            });
            (float Mean, float Spread) Row(int y)
            {
                var values = new List<float>();
                for (int x = inner.Width / 4; x < inner.Width * 3 / 4; x++) values.Add(Linear(inner.Rgba.Span[(y * inner.Width + x) * 4]));
                return (values.Average(), values.Max() - values.Min());
            }
            // The far rows: the first three with floor in them (the top of the floor is its far edge).
            int top = Enumerable.Range(0, inner.Height).First(y => Row(y).Mean > 0.05f) + 1;
            var rows = Enumerable.Range(top, 3).Select(Row).ToList();
            return (rows.Average(r => r.Mean), rows.Max(r => r.Spread));
        }
        var mipmapped = Far(TextureMipMapFilter.LINEAR_MIPMAP_LINEAR);
        var levelZero = Far(TextureMipMapFilter.LINEAR);
        output.WriteLine($"far rows, mip chain: mean {mipmapped.Mean:F3}, spread {mipmapped.Spread:F3}; level 0 only: mean {levelZero.Mean:F3}, spread {levelZero.Spread:F3}");
        Assert.True(mipmapped.Spread < 0.25f && MathF.Abs(mipmapped.Mean - 0.5f) < 0.1f, "the mip chain averages the far texels to mid grey");
        Assert.True(levelZero.Spread > 0.5f, "level 0 alone aliases there (so the test can tell the two apart)");
    }
}
