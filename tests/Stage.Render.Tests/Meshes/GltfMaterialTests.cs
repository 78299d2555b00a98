using System.Numerics;
using SharpGLTF.Memory;
using SharpGLTF.Schema2;
using Stage.Render.Meshes;

namespace Stage.Render.Tests.Meshes;

/// <summary>glTF files written by SharpGLTF load with their materials, textures, samplers, UV sets and extensions.</summary>
public class GltfMaterialTests
{
    private static readonly byte[] Checker = SharpGltfAssets.Checker2x2();

    private static ModelRoot FullMaterialQuad() => SharpGltfAssets.Quad((model, m) =>
    {
        Image colour = model.CreateImage("colour");
        colour.Content = new MemoryImage(Checker);
        Image data = model.CreateImage("data");
        data.Content = new MemoryImage(SharpGltfAssets.Png(4, 4, (_, _) => (128, 128, 255, 255)));
        MaterialChannel baseColor = m.FindChannel("BaseColor")!.Value;
        baseColor.SetTexture(0, colour, null, TextureWrapMode.CLAMP_TO_EDGE, TextureWrapMode.MIRRORED_REPEAT, TextureMipMapFilter.NEAREST, TextureInterpolationFilter.NEAREST);
        baseColor.Color = new Vector4(0.5f, 0.25f, 1, 0.75f);
        baseColor.SetTransform(new Vector2(0.25f, 0.5f), new Vector2(2, 3), MathF.PI / 2, null);
        MaterialChannel mr = m.FindChannel("MetallicRoughness")!.Value;
        mr.SetTexture(1, data);
        mr.SetFactor("MetallicFactor", 0.25f);
        mr.SetFactor("RoughnessFactor", 0.75f);
        MaterialChannel normal = m.FindChannel("Normal")!.Value;
        normal.SetTexture(0, data);
        normal.SetFactor("NormalScale", 0.5f);
        MaterialChannel occlusion = m.FindChannel("Occlusion")!.Value;
        occlusion.SetTexture(1, data);
        occlusion.SetFactor("OcclusionStrength", 0.8f);
        MaterialChannel emissive = m.FindChannel("Emissive")!.Value;
        emissive.SetTexture(0, colour);
        emissive.Color = new Vector4(1, 0.5f, 0.25f, 0);
        m.Alpha = AlphaMode.MASK;
        m.AlphaCutoff = 0.3f;
        m.DoubleSided = true;
    });

    private static void AssertFullMaterial(GltfModel model, string expectedSource)
    {
        MeshData mesh = Assert.Single(model.Meshes).Mesh;
        Assert.Equal(4, mesh.TexCoords0.Length);
        Assert.Equal(new Vector2(1, 1), mesh.TexCoords0[2]);
        Assert.Equal(new Vector2(2, 2), mesh.TexCoords1[2]);
        MeshMaterial material = Assert.Single(mesh.Submeshes).Material!;
        Assert.Equal(new Vector4(0.5f, 0.25f, 1, 0.75f), material.BaseColorFactor);
        Assert.Equal(0.25f, material.MetallicFactor);
        Assert.Equal(0.75f, material.RoughnessFactor);
        Assert.Equal(0.5f, material.NormalScale);
        Assert.Equal(0.8f, material.OcclusionStrength, 6);
        Assert.Equal(new Vector3(1, 0.5f, 0.25f), material.EmissiveFactor);
        Assert.Equal(MaterialAlphaMode.Mask, material.AlphaMode);
        Assert.Equal(0.3f, material.AlphaCutoff);
        Assert.True(material.DoubleSided);
        MaterialTexture baseTexture = material.BaseColorTexture!;
        Assert.Equal(new TextureSampling(TextureWrap.ClampToEdge, TextureWrap.MirroredRepeat, Linear: false, Mipmapped: false), baseTexture.Sampling);
        Assert.Equal(0, baseTexture.TexCoord);
        Assert.Equal(Checker, baseTexture.Image.Encoded.ToArray());
        Assert.Equal(expectedSource, baseTexture.Image.SourceName);
        // KHR_texture_transform: offset (0.25, 0.5), rotation 90°, scale (2, 3): uv (1, 0) → (2·cos, −2·sin) + offset.
        Vector2 moved = Vector2.Transform(new Vector2(1, 0), baseTexture.UvTransform);
        Assert.Equal(0.25f, moved.X, 5);
        Assert.Equal(0.5f - 2, moved.Y, 5);
        Assert.Equal(1, material.MetallicRoughnessTexture!.TexCoord);
        Assert.NotNull(material.NormalTexture);
        Assert.Equal(1, material.OcclusionTexture!.TexCoord);
        // The same image used by two channels is one TextureImage (one upload per file and image).
        Assert.Same(material.MetallicRoughnessTexture.Image, material.NormalTexture.Image);
        Assert.Same(baseTexture.Image, material.EmissiveTexture!.Image);
        Assert.Equal([true, false, false, false, true], material.Textures().Select(t => t.Srgb));
    }

    [Fact]
    public void A_glb_written_by_sharpgltf_loads_with_every_material_feature()
    {
        byte[] glb = FullMaterialQuad().WriteGLB().ToArray();
        AssertFullMaterial(GltfLoader.LoadGlb(glb, "quad.glb"), "quad.glb");
    }

    [Fact]
    public void A_gltf_with_external_images_loads_them_from_its_folder()
    {
        string folder = Directory.CreateTempSubdirectory("stage-gltf-mat-").FullName;
        try
        {
            string path = Path.Combine(folder, "quad.gltf");
            FullMaterialQuad().SaveGLTF(path);
            Assert.NotEmpty(Directory.GetFiles(folder, "*.png"));
            AssertFullMaterial(GltfLoader.Load(path), path);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Emissive_strength_and_texture_transform_texcoord_override_are_read()
    {
        ModelRoot model = SharpGltfAssets.Quad((root, m) =>
        {
            m.InitializePBRMetallicRoughness("EmissiveStrength");
            Image image = root.CreateImage("c");
            image.Content = new MemoryImage(Checker);
            MaterialChannel emissive = m.FindChannel("Emissive")!.Value;
            emissive.Color = new Vector4(1, 1, 1, 0);
            emissive.SetFactor("EmissiveStrength", 40);
            MaterialChannel baseColor = m.FindChannel("BaseColor")!.Value;
            baseColor.SetTexture(0, image);
            baseColor.SetTransform(Vector2.Zero, Vector2.One, 0, 1);
        });
        MeshMaterial material = Assert.Single(GltfLoader.LoadGlb(model.WriteGLB().ToArray(), "e.glb").Meshes[0].Mesh.Submeshes).Material!;
        Assert.Equal(40, material.EmissiveStrength);
        Assert.Equal(1, material.BaseColorTexture!.TexCoord);
        Assert.Equal(TextureSampling.Default, material.BaseColorTexture.Sampling);
    }

    [Fact]
    public void A_missing_external_image_is_named_with_file_and_uri()
    {
        string folder = Directory.CreateTempSubdirectory("stage-gltf-img-").FullName;
        try
        {
            string path = Path.Combine(folder, "quad.gltf");
            SharpGltfAssets.TexturedQuad(Checker).SaveGLTF(path);
            foreach (string png in Directory.GetFiles(folder, "*.png")) File.Delete(png);
            GltfException e = Assert.Throws<GltfException>(() => GltfLoader.Load(path));
            Assert.Equal(path, e.SourceName);
            Assert.StartsWith("uri \"", e.Place);
            Assert.Contains("cannot read", e.Detail);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Generated_tangents_follow_increasing_u_and_the_bitangent_up_the_image()
    {
        MeshData mesh = GltfLoader.LoadGlb(SharpGltfAssets.TexturedQuad(Checker).WriteGLB().ToArray(), "q.glb").Meshes[0].Mesh;
        Assert.Empty(mesh.Tangents.ToArray());
        MeshData generated = mesh.WithGeneratedTangents();
        Assert.Equal(mesh.VertexCount, generated.VertexCount);
        float[] v = generated.ToInterleavedVertices();
        for (int i = 0; i < generated.VertexCount; i++)
        {
            var t = new Vector4(v[i * 14 + 10], v[i * 14 + 11], v[i * 14 + 12], v[i * 14 + 13]);
            // u grows along +x; v grows down the image, i.e. along −y; glTF's bitangent (green) points up the image:
            // cross(n, t) · w = cross(+z, +x) · w = +y · w → w = +1.
            Assert.Equal(new Vector4(1, 0, 0, 1), t);
        }
    }
}
