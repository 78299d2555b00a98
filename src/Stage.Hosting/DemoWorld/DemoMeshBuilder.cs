using System.Numerics;
using System.Runtime.InteropServices;
using SharpGLTF.Memory;
using SharpGLTF.Schema2;

namespace Stage.Hosting.DemoWorld;

/// <summary>
/// Builds one glTF model of quads, boxes and cylinders, one primitive per material (in order of first use), and
/// writes it with SharpGLTF's Schema2 API: positions, normals and UVs (tangents are left to the loader's generator),
/// 32-bit indices, images embedded. UVs are in texture repeats (a texture covers <c>metresPerRepeat</c>), so surfaces
/// of any size keep their texel density.
/// </summary>
internal sealed class DemoMeshBuilder
{
    private readonly List<Part> _parts = [];

    /// <summary>
    /// A quad with corners o, o+u, o+u+v, o+v, facing cross(u, v). UV (0, 0) lies at o+v (the image's top left at the
    /// quad's top left seen from the front, v up), reaching (|u|, |v|) / <paramref name="metresPerRepeat"/> at o+u.
    /// </summary>
    public void Quad(DemoMaterial material, Vector3 o, Vector3 u, Vector3 v, Vector2 metresPerRepeat, Vector2 uvOffset = default)
    {
        Part part = PartFor(material);
        Vector3 n = Vector3.Normalize(Vector3.Cross(u, v));
        float su = u.Length() / metresPerRepeat.X, sv = v.Length() / metresPerRepeat.Y;
        var first = (uint)part.Positions.Count;
        Vector3[] corners = [o, o + u, o + u + v, o + v];
        Vector2[] uvs = [new(0, sv), new(su, sv), new(su, 0), new(0, 0)];
        for (int i = 0; i < 4; i++)
        {
            part.Positions.Add(corners[i]);
            part.Normals.Add(n);
            part.Uvs.Add(uvs[i] + uvOffset);
        }
        part.Indices.AddRange([first, first + 1, first + 2, first, first + 2, first + 3]);
    }

    /// <summary>An axis-aligned box between <paramref name="min"/> and <paramref name="max"/>, every face outward; the bottom only when asked.</summary>
    public void Box(DemoMaterial material, Vector3 min, Vector3 max, Vector2 metresPerRepeat, bool bottom = false, DemoMaterial? top = null)
    {
        Vector3 s = max - min;
        Vector3 x = new(s.X, 0, 0), y = new(0, s.Y, 0), z = new(0, 0, s.Z);
        Quad(material, min + z, x, y, metresPerRepeat);                 // +Z face
        Quad(material, min + x, -x, y, metresPerRepeat);                // −Z face (seen from −Z: x runs right to left)
        Quad(material, min + x + z, -z, y, metresPerRepeat);            // +X face
        Quad(material, min, z, y, metresPerRepeat);                     // −X face
        Quad(top ?? material, min + y + z, x, -z, metresPerRepeat);     // top, facing +Y
        if (bottom) Quad(material, min, x, z, metresPerRepeat);         // bottom, facing −Y
    }

    /// <summary>A box of size <paramref name="size"/> centred at <paramref name="centre"/>.</summary>
    public void BoxAt(DemoMaterial material, Vector3 centre, Vector3 size, bool bottom = false) =>
        Box(material, centre - size / 2, centre + size / 2, Vector2.One, bottom);

    /// <summary>
    /// A closed cylinder of <paramref name="segments"/> sides from <paramref name="a"/> to <paramref name="b"/>; the side's
    /// UV u runs around (one repeat), v along.
    /// </summary>
    public void Cylinder(DemoMaterial material, Vector3 a, Vector3 b, float radiusM, int segments, bool caps = true)
    {
        Part part = PartFor(material);
        Vector3 axis = Vector3.Normalize(b - a);
        Vector3 side = MathF.Abs(axis.Y) < 0.9f ? Vector3.UnitY : Vector3.UnitX;
        Vector3 e1 = Vector3.Normalize(Vector3.Cross(axis, side)), e2 = Vector3.Cross(axis, e1);
        var first = (uint)part.Positions.Count;
        float length = Vector3.Distance(a, b);
        for (int i = 0; i <= segments; i++)
        {
            float t = 2 * MathF.PI * i / segments;
            Vector3 n = e1 * MathF.Cos(t) + e2 * MathF.Sin(t);
            part.Positions.Add(a + n * radiusM);
            part.Normals.Add(n);
            part.Uvs.Add(new Vector2(i / (float)segments, length));
            part.Positions.Add(b + n * radiusM);
            part.Normals.Add(n);
            part.Uvs.Add(new Vector2(i / (float)segments, 0));
        }
        for (uint i = 0; i < segments; i++)
        {
            uint k = first + 2 * i;
            // Counter-clockwise seen from outside: a, a', b' then a, b', b (a' the next segment's).
            part.Indices.AddRange([k, k + 2, k + 3, k, k + 3, k + 1]);
        }
        if (!caps) return;
        foreach ((Vector3 c, Vector3 n) in new[] { (a, -axis), (b, axis) })
        {
            var centre = (uint)part.Positions.Count;
            part.Positions.Add(c);
            part.Normals.Add(n);
            part.Uvs.Add(new Vector2(0.5f, 0.5f));
            for (int i = 0; i <= segments; i++)
            {
                float t = 2 * MathF.PI * i / segments;
                Vector3 r = e1 * MathF.Cos(t) + e2 * MathF.Sin(t);
                part.Positions.Add(c + r * radiusM);
                part.Normals.Add(n);
                part.Uvs.Add(new Vector2(0.5f + 0.5f * MathF.Cos(t), 0.5f + 0.5f * MathF.Sin(t)));
            }
            for (uint i = 0; i < segments; i++)
            {
                // The ring runs counter-clockwise about +axis: the top cap keeps that order, the bottom reverses it.
                if (n == axis) part.Indices.AddRange([centre, centre + 1 + i, centre + 2 + i]);
                else part.Indices.AddRange([centre, centre + 2 + i, centre + 1 + i]);
            }
        }
    }

    /// <summary>The glTF model: one mesh named <paramref name="name"/>, one node, one scene; images embedded as PNG, shared per byte array.</summary>
    public ModelRoot Build(string name)
    {
        ModelRoot model = ModelRoot.CreateModel();
        Mesh mesh = model.CreateMesh(name);
        var images = new Dictionary<byte[], Image>(ReferenceEqualityComparer.Instance);
        foreach (Part part in _parts)
        {
            MeshPrimitive primitive = mesh.CreatePrimitive();
            primitive.SetVertexAccessor("POSITION", Vertices(model, part.Positions.ToArray(), DimensionType.VEC3));
            primitive.SetVertexAccessor("NORMAL", Vertices(model, part.Normals.ToArray(), DimensionType.VEC3));
            primitive.SetVertexAccessor("TEXCOORD_0", Vertices(model, part.Uvs.ToArray(), DimensionType.VEC2));
            uint[] indices = [.. part.Indices];
            BufferView indexView = model.UseBufferView(MemoryMarshal.AsBytes(indices.AsSpan()).ToArray(), 0, null, 0, BufferMode.ELEMENT_ARRAY_BUFFER);
            Accessor indexAccessor = model.CreateAccessor();
            indexAccessor.SetIndexData(indexView, 0, indices.Length, IndexEncodingType.UNSIGNED_INT);
            primitive.SetIndexAccessor(indexAccessor);
            primitive.Material = Material(model, part.Material, images);
        }
        model.UseScene("scene").CreateNode(name).Mesh = mesh;
        return model;
    }

    private static Material Material(ModelRoot model, DemoMaterial d, Dictionary<byte[], Image> images)
    {
        Material m = model.CreateMaterial(d.Name);
        m.InitializePBRMetallicRoughness();
        Image ImageOf(byte[] png, string suffix)
        {
            if (images.TryGetValue(png, out Image? known)) return known;
            Image image = model.CreateImage($"{d.Name}-{suffix}");
            image.Content = new MemoryImage(png);
            images.Add(png, image);
            return image;
        }
        MaterialChannel baseColor = m.FindChannel("BaseColor")!.Value;
        baseColor.Color = d.BaseColor;
        if (d.BaseColorPng is { } b) baseColor.SetTexture(0, ImageOf(b, "base"));
        MaterialChannel mr = m.FindChannel("MetallicRoughness")!.Value;
        mr.SetFactor("MetallicFactor", d.Metallic);
        mr.SetFactor("RoughnessFactor", d.Roughness);
        if (d.MetallicRoughnessPng is { } r) mr.SetTexture(0, ImageOf(r, "mr"));
        if (d.NormalPng is { } n) m.FindChannel("Normal")!.Value.SetTexture(0, ImageOf(n, "normal"));
        if (d.Emissive != Vector3.Zero)
        {
            MaterialChannel emissive = m.FindChannel("Emissive")!.Value;
            emissive.Color = new Vector4(d.Emissive, 0);
            if (d.EmissivePng is { } e) emissive.SetTexture(0, ImageOf(e, "emissive"));
        }
        if (d.Mask)
        {
            m.Alpha = AlphaMode.MASK;
            m.AlphaCutoff = d.AlphaCutoff;
        }
        else if (d.Blend) m.Alpha = AlphaMode.BLEND;
        m.DoubleSided = d.DoubleSided;
        return m;
    }

    private static Accessor Vertices<T>(ModelRoot model, T[] values, DimensionType dimensions) where T : unmanaged
    {
        BufferView view = model.UseBufferView(MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), 0, null, 0, BufferMode.ARRAY_BUFFER);
        Accessor accessor = model.CreateAccessor();
        accessor.SetVertexData(view, 0, values.Length, new AttributeFormat(dimensions));
        return accessor;
    }

    private Part PartFor(DemoMaterial material)
    {
        foreach (Part p in _parts) if (ReferenceEquals(p.Material, material)) return p;
        var part = new Part(material);
        _parts.Add(part);
        return part;
    }

    private sealed class Part(DemoMaterial material)
    {
        public DemoMaterial Material { get; } = material;
        public List<Vector3> Positions { get; } = [];
        public List<Vector3> Normals { get; } = [];
        public List<Vector2> Uvs { get; } = [];
        public List<uint> Indices { get; } = [];
    }
}
