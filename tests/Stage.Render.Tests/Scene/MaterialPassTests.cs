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

/// <summary>
/// Material passes on lavapipe (validation on, zero messages): blended surfaces sorted back to front, alpha-masked
/// shadows, and the untextured fast path drawing exactly what the textured path draws.
/// </summary>
public sealed class MaterialPassTests(ITestOutputHelper output)
{
    private static readonly StageRendererOptions Options = new()
    {
        OuterFaceSizePx = 16,
        MsaaSamples = 1,
        Scene = new SceneRendererOptions { ShadowMapSize = 512 },
    };

    private static float Linear(byte code) => RenderGpuTest.Linear(code);

    private static SceneMesh Mesh(string name, ModelRoot root) => new(name, GltfLoader.LoadGlb(root.WriteGLB().ToArray(), name + ".glb").ToSceneMesh());

    /// <summary>Renders <paramref name="scene"/> from <paramref name="pose"/> (24 mm) and returns the inner image (copied).</summary>
    private static (CanvasPixels Inner, LensProjection Lens) Render(RenderScene scene, Pose pose)
    {
        StageConfig config = RenderGpuTest.TestRig();
        CameraConfig camera = config.Cameras[0];
        CanvasPixels inner = default;
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, Options);
            renderer.Render([new CameraView(camera, pose, 24)], scene);
            CanvasPixels read = renderer.ReadInner(camera.Id)!.Value;
            inner = read with { Rgba = read.Rgba.ToArray() };
        });
        return (inner, LensProjection.ForCamera(camera, pose, 24));
    }

    /// <summary>The linear colour of the pixel where stage point <paramref name="pointM"/> lands.</summary>
    private static Vector3 At(CanvasPixels image, LensProjection lens, Vector3 pointM)
    {
        Vector3 ndc = ClipSpace.Project(pointM, lens.ViewProjection);
        int x = (int)((ndc.X + 1) / 2 * image.Width), y = (int)((ndc.Y + 1) / 2 * image.Height);
        int o = (y * image.Width + x) * 4;
        ReadOnlySpan<byte> p = image.Rgba.Span;
        return new Vector3(Linear(p[o]), Linear(p[o + 1]), Linear(p[o + 2]));
    }

    /// <summary>A quad of emissive colour <paramref name="emissive"/> and alpha 0.5, alpha-blended, black base (no light needed).</summary>
    private static SceneMesh Glass(string name, Vector3 emissive) => Mesh(name, SharpGltfAssets.Quad((_, m) =>
    {
        MaterialChannel baseColor = m.FindChannel("BaseColor")!.Value;
        baseColor.Color = new Vector4(0, 0, 0, 0.5f);
        m.FindChannel("MetallicRoughness")!.Value.SetFactor("MetallicFactor", 0);
        MaterialChannel emission = m.FindChannel("Emissive")!.Value;
        emission.Color = new Vector4(emissive, 0);
        m.Alpha = AlphaMode.BLEND;
        m.DoubleSided = true;
    }));

    private static RenderScene Dark() => new()
    {
        AmbientLinear = Vector3.Zero,
        SunColorLinear = Vector3.Zero,
        BackgroundLinear = Vector3.Zero,
    };

    [Fact]
    public void Overlapping_translucent_quads_look_the_same_whichever_mesh_comes_first()
    {
        // A red half-transparent quad 1 m in front of the camera and a blue one 2 m away behind it, overlapping at the
        // centre. Back to front: blue over black (0, 0, 0.5), then red over that: (0.5, 0, 0.25). The wrong order (red
        // first) gives (0.25, 0, 0.5), or red alone where the near quad's depth hides the far one.
        SceneMesh red = Glass("red", new Vector3(1, 0, 0)), blue = Glass("blue", new Vector3(0, 0, 1));
        var pose = Pose.FromPanTiltRoll(new Vector3(0, 1, 0), new PanTiltRoll(0, 0, 0));
        DrawItem near = DrawItem.ForMesh(red, Matrix4x4.CreateScale(0.3f) * Matrix4x4.CreateTranslation(0, 1, -1), Vector3.One);
        DrawItem far = DrawItem.ForMesh(blue, Matrix4x4.CreateScale(0.6f) * Matrix4x4.CreateTranslation(0, 1, -2), Vector3.One);
        Vector3 Centre(params DrawItem[] items)
        {
            RenderScene scene = Dark();
            foreach (DrawItem item in items) scene.Add(item);
            (CanvasPixels inner, LensProjection lens) = Render(scene, pose);
            return At(inner, lens, new Vector3(0, 1, -1));
        }
        Vector3 nearFirst = Centre(near, far), farFirst = Centre(far, near);
        output.WriteLine($"near listed first {nearFirst}, far listed first {farFirst}; expected (0.5, 0, 0.25)");
        var expected = new Vector3(0.5f, 0, 0.25f);
        Assert.True(Vector3.Distance(nearFirst, expected) < 0.02f, $"near quad listed first: {nearFirst}");
        Assert.True(Vector3.Distance(farFirst, expected) < 0.02f, $"far quad listed first: {farFirst}");

        // The camera turned round to look from the other side (at z = −3 looking +Z): now blue is in front.
        var behind = Pose.FromPanTiltRoll(new Vector3(0, 1, -3), new PanTiltRoll(180, 0, 0));
        RenderScene turned = Dark();
        turned.Add(near);
        turned.Add(far);
        (CanvasPixels image, LensProjection turnedLens) = Render(turned, behind);
        Vector3 fromBehind = At(image, turnedLens, new Vector3(0, 1, -1));
        output.WriteLine($"from behind {fromBehind}; expected (0.25, 0, 0.5)");
        Assert.True(Vector3.Distance(fromBehind, new Vector3(0.25f, 0, 0.5f)) < 0.02f, $"seen from behind: {fromBehind}");
    }

    [Fact]
    public void A_masked_quad_with_a_checker_alpha_casts_a_checkered_shadow()
    {
        // A 0.5 m quad lying flat 0.5 m above a white floor at x = −1, its alpha a 2 × 2 checker (cells (0, 0) and (1, 1)
        // opaque) under a mask cutoff of 0.5; the sun comes down at 45° toward +x, so the shadow lies on the floor
        // centred at x = −0.5, beside where the camera (above, looking straight down) sees the quad itself. Texel (0, 0)
        // covers the quad's −x, −z quarter once laid flat: shadow cells at (−0.625, −0.125) and (−0.375, +0.125) dark,
        // the other two lit. (The sun's fit keeps the floor inside its depth range at this height.)
        byte[] checker = SharpGltfAssets.Png(2, 2, (x, y) => (255, 255, 255, (x + y) % 2 == 0 ? (byte)255 : (byte)0));
        SceneMesh quad = Mesh("masked", SharpGltfAssets.Quad((model, m) =>
        {
            Image image = model.CreateImage("checker");
            image.Content = new SharpGLTF.Memory.MemoryImage(checker);
            MaterialChannel baseColor = m.FindChannel("BaseColor")!.Value;
            baseColor.SetTexture(0, image, null, TextureWrapMode.CLAMP_TO_EDGE, TextureWrapMode.CLAMP_TO_EDGE, TextureMipMapFilter.NEAREST, TextureInterpolationFilter.NEAREST);
            m.FindChannel("MetallicRoughness")!.Value.SetFactor("MetallicFactor", 0);
            m.Alpha = AlphaMode.MASK;
            m.AlphaCutoff = 0.5f;
            m.DoubleSided = true;
        }));
        var scene = new RenderScene
        {
            AmbientLinear = new Vector3(0.05f),
            BackgroundLinear = Vector3.Zero,
            SunColorLinear = Vector3.One,
            SunDirection = Vector3.Normalize(new Vector3(1, -1, 0)),
        };
        scene.Add(new DrawItem(DrawKind.Plane, Matrix4x4.CreateScale(8, 1, 8), Vector3.One));
        Matrix4x4 lieFlat = Matrix4x4.CreateRotationX(-MathF.PI / 2);
        scene.Add(DrawItem.ForMesh(quad, Matrix4x4.CreateScale(0.5f) * lieFlat * Matrix4x4.CreateTranslation(-1, 0.5f, 0), Vector3.One));
        var pose = Pose.FromPanTiltRoll(new Vector3(1, 4, 0), new PanTiltRoll(0, -90, 0));
        (CanvasPixels inner, LensProjection lens) = Render(scene, pose);
        float Floor(float x, float z) => At(inner, lens, new Vector3(x, 0, z)).X;
        float darkA = Floor(-0.625f, -0.125f), darkB = Floor(-0.375f, 0.125f), litA = Floor(-0.375f, -0.125f), litB = Floor(-0.625f, 0.125f);
        float open = Floor(1f, 0);
        output.WriteLine($"shadow cells: dark {darkA:F3} {darkB:F3}, lit {litA:F3} {litB:F3}; open floor {open:F3}");
        // Lit floor: E cos / π … here sun colour 1 × cos 45° + ambient 0.05 ≈ 0.76; shadowed: the ambient alone.
        Assert.True(open > 0.5f, "the open floor is sunlit");
        Assert.True(darkA < 0.1f && darkB < 0.1f, "the opaque cells cast shadow");
        Assert.True(litA > 0.9f * open && litB > 0.9f * open, "the cut-out cells let the sun through (no shadow of the card)");
    }

    [Fact]
    public void The_untextured_fast_path_draws_what_the_textured_path_draws_with_neutral_textures()
    {
        // The same factors twice: once with no textures (the untextured pipeline reads none) and once with 1 × 1 white
        // base colour, metallic-roughness, occlusion and emissive textures (the textured pipeline, every read returning
        // the neutral value; no normal map, whose 8-bit flat value 128 is not exactly flat). Lit by sun and environment,
        // with emission: the pictures must match.
        byte[] white = SharpGltfAssets.Png(1, 1, (_, _) => (255, 255, 255, 255));
        SceneMesh Quad(bool textured) => Mesh(textured ? "textured" : "plain", SharpGltfAssets.Quad((model, m) =>
        {
            MaterialChannel baseColor = m.FindChannel("BaseColor")!.Value;
            baseColor.Color = new Vector4(0.6f, 0.3f, 0.2f, 1);
            MaterialChannel mr = m.FindChannel("MetallicRoughness")!.Value;
            mr.SetFactor("MetallicFactor", 0.3f);
            mr.SetFactor("RoughnessFactor", 0.5f);
            MaterialChannel emissive = m.FindChannel("Emissive")!.Value;
            emissive.Color = new Vector4(0.05f, 0.02f, 0, 0);
            if (!textured) return;
            Image w = model.CreateImage("white");
            w.Content = new SharpGLTF.Memory.MemoryImage(white);
            baseColor.SetTexture(0, w);
            mr.SetTexture(0, w);
            emissive.SetTexture(0, w);
            m.FindChannel("Occlusion")!.Value.SetTexture(0, w);
        }));
        CanvasPixels Picture(bool textured)
        {
            var scene = new RenderScene { AmbientLinear = new Vector3(0.2f), SunColorLinear = Vector3.One, SunDirection = Vector3.Normalize(new Vector3(-0.3f, -0.4f, -1)) };
            scene.Add(DrawItem.ForMesh(Quad(textured), Matrix4x4.CreateScale(0.5f) * Matrix4x4.CreateRotationY(0.4f) * Matrix4x4.CreateTranslation(0, 1, -1), Vector3.One));
            scene.Add(new DrawItem(DrawKind.Sphere, Matrix4x4.CreateScale(0.2f) * Matrix4x4.CreateTranslation(0.3f, 1.1f, -1.2f), new Vector3(0.2f, 0.5f, 0.8f)));
            return Render(scene, Pose.FromPanTiltRoll(new Vector3(0, 1, 0), new PanTiltRoll(0, 0, 0))).Inner;
        }
        CanvasPixels plain = Picture(false), textured = Picture(true);
        ReadOnlySpan<byte> a = plain.Rgba.Span, b = textured.Rgba.Span;
        int worst = 0, covered = 0;
        for (int i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
            if (i % 4 == 0 && a[i] > 0) covered++;
        }
        output.WriteLine($"worst difference {worst} of 255 over {covered} lit pixels");
        Assert.True(covered > 1000, "the quad and the sphere are in view");
        Assert.True(worst <= 1, $"the fast path differs from the textured path by {worst} code values");
    }
}
