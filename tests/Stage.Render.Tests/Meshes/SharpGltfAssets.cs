using System.Numerics;
using SharpGLTF.Memory;
using SharpGLTF.Schema2;
using Stage.Render.Imaging;

namespace Stage.Render.Tests.Meshes;

/// <summary>glTF assets written by SharpGLTF for the tests: a textured quad with every material feature the loader reads.</summary>
internal static class SharpGltfAssets
{
    /// <summary>An 8-bit RGBA PNG of <paramref name="width"/> × <paramref name="height"/> from a per-pixel function (x right, y down).</summary>
    public static byte[] Png(int width, int height, Func<int, int, (byte R, byte G, byte B, byte A)> pixel)
    {
        var samples = new ushort[width * height * 4];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            (byte r, byte g, byte b, byte a) = pixel(x, y);
            int o = (y * width + x) * 4;
            samples[o] = r; samples[o + 1] = g; samples[o + 2] = b; samples[o + 3] = a;
        }
        return PngCodec.Encode(new PngImage(width, height, 4, 8, samples));
    }

    /// <summary>A 2 × 2 checker: texel (0, 0) (top left of the image) red, (1, 0) green, (0, 1) blue, (1, 1) white.</summary>
    public static byte[] Checker2x2() => Png(2, 2, (x, y) => (x, y) switch
    {
        (0, 0) => ((byte)255, (byte)0, (byte)0, (byte)255),
        (1, 0) => ((byte)0, (byte)255, (byte)0, (byte)255),
        (0, 1) => ((byte)0, (byte)0, (byte)255, (byte)255),
        _ => ((byte)255, (byte)255, (byte)255, (byte)255),
    });

    private static Accessor Vertex<T>(ModelRoot model, T[] values, DimensionType dimensions) where T : unmanaged
    {
        byte[] bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        BufferView view = model.UseBufferView(bytes, 0, null, 0, BufferMode.ARRAY_BUFFER);
        Accessor accessor = model.CreateAccessor();
        accessor.SetVertexData(view, 0, values.Length, new AttributeFormat(dimensions));
        return accessor;
    }

    /// <summary>
    /// A 1 m square quad in the XY plane facing +Z, centred on the origin, with UV set 0 = (0, 0) at the top left
    /// corner (x −0.5, y +0.5) to (1, 1) at the bottom right (glTF: v runs down the image), UV set 1 = UV 0 × 2,
    /// and a material built by <paramref name="material"/> (given the model, to add images).
    /// </summary>
    public static ModelRoot Quad(Action<ModelRoot, Material> material, bool withTangents = false)
    {
        ModelRoot model = ModelRoot.CreateModel();
        Material m = model.CreateMaterial("quad material");
        m.InitializePBRMetallicRoughness();
        material(model, m);
        Mesh mesh = model.CreateMesh("quad");
        MeshPrimitive primitive = mesh.CreatePrimitive();
        Vector3[] positions = [new(-0.5f, 0.5f, 0), new(-0.5f, -0.5f, 0), new(0.5f, -0.5f, 0), new(0.5f, 0.5f, 0)];
        Vector2[] uv0 = [new(0, 0), new(0, 1), new(1, 1), new(1, 0)];
        primitive.SetVertexAccessor("POSITION", Vertex(model, positions, DimensionType.VEC3));
        primitive.SetVertexAccessor("NORMAL", Vertex(model, [Vector3.UnitZ, Vector3.UnitZ, Vector3.UnitZ, Vector3.UnitZ], DimensionType.VEC3));
        primitive.SetVertexAccessor("TEXCOORD_0", Vertex(model, uv0, DimensionType.VEC2));
        primitive.SetVertexAccessor("TEXCOORD_1", Vertex(model, [.. uv0.Select(u => u * 2)], DimensionType.VEC2));
        if (withTangents) primitive.SetVertexAccessor("TANGENT", Vertex(model, [Vector4.UnitX + Vector4.UnitW, Vector4.UnitX + Vector4.UnitW, Vector4.UnitX + Vector4.UnitW, Vector4.UnitX + Vector4.UnitW], DimensionType.VEC4));
        uint[] indices = [0, 1, 2, 0, 2, 3];
        BufferView indexView = model.UseBufferView(System.Runtime.InteropServices.MemoryMarshal.AsBytes(indices.AsSpan()).ToArray(), 0, null, 0, BufferMode.ELEMENT_ARRAY_BUFFER);
        Accessor indexAccessor = model.CreateAccessor();
        indexAccessor.SetIndexData(indexView, 0, indices.Length, IndexEncodingType.UNSIGNED_INT);
        primitive.SetIndexAccessor(indexAccessor);
        primitive.Material = m;
        model.UseScene("scene").CreateNode("quad").Mesh = mesh;
        return model;
    }

    /// <summary>A base colour texture on the quad (nearest filter, clamped), white factor, dielectric, rough.</summary>
    public static ModelRoot TexturedQuad(byte[] png, bool srgbColour = true)
    {
        return Quad((model, m) =>
        {
            Image image = model.CreateImage("checker");
            image.Content = new MemoryImage(png);
            MaterialChannel baseColor = m.FindChannel("BaseColor")!.Value;
            baseColor.SetTexture(0, image, null, TextureWrapMode.CLAMP_TO_EDGE, TextureWrapMode.CLAMP_TO_EDGE, TextureMipMapFilter.NEAREST, TextureInterpolationFilter.NEAREST);
            baseColor.Color = Vector4.One;
            MaterialChannel mr = m.FindChannel("MetallicRoughness")!.Value;
            mr.SetFactor("MetallicFactor", 0);
            mr.SetFactor("RoughnessFactor", 1);
        });
    }
}
