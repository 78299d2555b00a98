using System.Numerics;
using System.Runtime.InteropServices;

namespace Stage.Render.Scene;

/// <summary>A vertex of a primitive mesh: position and unit normal (24 bytes, what shaders/scene.vert reads).</summary>
/// <param name="PositionM">Local position.</param>
/// <param name="Normal">Local unit normal.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct MeshVertex(Vector3 PositionM, Vector3 Normal)
{
    /// <summary>Bytes per vertex.</summary>
    public const int SizeBytes = 24;
}

/// <summary>Where one primitive lies in the shared vertex and index arrays.</summary>
/// <param name="FirstIndex">First index.</param>
/// <param name="IndexCount">Indices (three per triangle).</param>
/// <param name="VertexOffset">Added to every index.</param>
public readonly record struct MeshRange(uint FirstIndex, uint IndexCount, int VertexOffset);

/// <summary>
/// The unit primitives of <see cref="DrawKind"/> in one vertex array and one index array, with
/// smooth normals on curved surfaces and flat ones on faces (the pipelines do not cull, so winding is
/// not relied on). Internal to the renderer: it needs no mesh
/// loader, so it stays independent of the glTF work in Stage.Render.Meshes.
/// </summary>
public sealed class PrimitiveMeshes
{
    private readonly MeshRange[] _ranges;

    private PrimitiveMeshes(MeshVertex[] vertices, uint[] indices, MeshRange[] ranges)
    {
        Vertices = vertices;
        Indices = indices;
        _ranges = ranges;
    }

    /// <summary>Every primitive's vertices.</summary>
    public MeshVertex[] Vertices { get; }

    /// <summary>Every primitive's indices (relative to its <see cref="MeshRange.VertexOffset"/>).</summary>
    public uint[] Indices { get; }

    /// <summary>The unit primitives, in the order they are built and drawn (every kind but <see cref="DrawKind.Mesh"/>).</summary>
    public static readonly DrawKind[] Kinds = [DrawKind.Box, DrawKind.Sphere, DrawKind.Capsule, DrawKind.Cylinder, DrawKind.Plane];

    /// <summary>Where <paramref name="kind"/> lies.</summary>
    public MeshRange this[DrawKind kind] => _ranges[(int)kind];

    /// <summary>Builds all primitives; <paramref name="segments"/> around curved shapes.</summary>
    public static PrimitiveMeshes Build(int segments = 24)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segments, 3);
        var vertices = new List<MeshVertex>();
        var indices = new List<uint>();
        var ranges = new MeshRange[Kinds.Length];
        foreach (DrawKind kind in Kinds)
        {
            var v = new List<MeshVertex>();
            var i = new List<uint>();
            switch (kind)
            {
                case DrawKind.Box: Box(v, i); break;
                case DrawKind.Sphere: Lathe(v, i, segments, SphereProfile(segments / 2, 0)); break;
                case DrawKind.Capsule: Lathe(v, i, segments, SphereProfile(segments / 2, 0.5f)); break;
                case DrawKind.Cylinder: Cylinder(v, i, segments); break;
                case DrawKind.Plane: Quad(v, i, Vector3.UnitY, Vector3.UnitX, -Vector3.UnitZ); break;
            }
            ranges[(int)kind] = new MeshRange((uint)indices.Count, (uint)i.Count, vertices.Count);
            vertices.AddRange(v);
            indices.AddRange(i);
        }
        return new PrimitiveMeshes([.. vertices], [.. indices], ranges);
    }

    /// <summary>A unit square facing <paramref name="normal"/>, spanned by <paramref name="u"/> × <paramref name="w"/> (u × w = normal), at 0.5 along the normal for a box face, 0 for the plane.</summary>
    private static void Quad(List<MeshVertex> v, List<uint> i, Vector3 normal, Vector3 u, Vector3 w, float offset = 0)
    {
        var b = (uint)v.Count;
        Vector3 c = normal * offset;
        v.Add(new MeshVertex(c - u / 2 - w / 2, normal));
        v.Add(new MeshVertex(c + u / 2 - w / 2, normal));
        v.Add(new MeshVertex(c + u / 2 + w / 2, normal));
        v.Add(new MeshVertex(c - u / 2 + w / 2, normal));
        i.AddRange([b, b + 1, b + 2, b, b + 2, b + 3]);
    }

    private static void Box(List<MeshVertex> v, List<uint> i)
    {
        Quad(v, i, Vector3.UnitX, -Vector3.UnitZ, Vector3.UnitY, 0.5f);
        Quad(v, i, -Vector3.UnitX, Vector3.UnitZ, Vector3.UnitY, 0.5f);
        Quad(v, i, Vector3.UnitY, Vector3.UnitX, -Vector3.UnitZ, 0.5f);
        Quad(v, i, -Vector3.UnitY, Vector3.UnitX, Vector3.UnitZ, 0.5f);
        Quad(v, i, Vector3.UnitZ, Vector3.UnitX, Vector3.UnitY, 0.5f);
        Quad(v, i, -Vector3.UnitZ, -Vector3.UnitX, Vector3.UnitY, 0.5f);
    }

    /// <summary>A profile (radius, height, normal radial, normal y) from the top pole down: two hemispheres of radius 0.5 apart by 2 × <paramref name="halfStraight"/>.</summary>
    private static List<(float R, float Y, float Nr, float Ny)> SphereProfile(int rings, float halfStraight)
    {
        var profile = new List<(float, float, float, float)>();
        int half = Math.Max(2, rings / 2);
        for (var k = 0; k <= half; k++)
        {
            float a = MathF.PI / 2 * k / half; // 0 at the top pole
            profile.Add((0.5f * MathF.Sin(a), halfStraight + 0.5f * MathF.Cos(a), MathF.Sin(a), MathF.Cos(a)));
        }
        for (var k = 0; k <= half; k++)
        {
            float a = MathF.PI / 2 + MathF.PI / 2 * k / half;
            profile.Add((0.5f * MathF.Sin(a), -halfStraight + 0.5f * MathF.Cos(a), MathF.Sin(a), MathF.Cos(a)));
        }
        return profile;
    }

    /// <summary>Revolves a profile around Y.</summary>
    private static void Lathe(List<MeshVertex> v, List<uint> i, int segments, List<(float R, float Y, float Nr, float Ny)> profile)
    {
        var b = (uint)v.Count;
        for (var s = 0; s <= segments; s++)
        {
            float t = 2 * MathF.PI * s / segments;
            float cx = MathF.Cos(t), sz = -MathF.Sin(t);
            foreach (var (r, y, nr, ny) in profile)
            {
                v.Add(new MeshVertex(new Vector3(r * cx, y, r * sz), Vector3.Normalize(new Vector3(nr * cx, ny, nr * sz))));
            }
        }
        var rows = (uint)profile.Count;
        for (uint s = 0; s < segments; s++)
        for (uint k = 0; k + 1 < rows; k++)
        {
            uint a = b + s * rows + k, c = b + (s + 1) * rows + k;
            i.AddRange([a, a + 1, c + 1, a, c + 1, c]);
        }
    }

    private static void Cylinder(List<MeshVertex> v, List<uint> i, int segments)
    {
        // Side: profile top edge to bottom edge with radial normals; caps: flat discs.
        Lathe(v, i, segments, [(0.5f, 0.5f, 1, 0), (0.5f, -0.5f, 1, 0)]);
        foreach (var sign in new[] { 1f, -1f })
        {
            var centre = (uint)v.Count;
            var normal = new Vector3(0, sign, 0);
            v.Add(new MeshVertex(new Vector3(0, 0.5f * sign, 0), normal));
            for (var s = 0; s <= segments; s++)
            {
                float t = 2 * MathF.PI * s / segments;
                v.Add(new MeshVertex(new Vector3(0.5f * MathF.Cos(t), 0.5f * sign, -0.5f * MathF.Sin(t)), normal));
            }
            for (uint s = 0; s < segments; s++)
            {
                uint a = centre + 1 + s;
                i.AddRange(sign > 0 ? [centre, a, a + 1] : [centre, a + 1, a]);
            }
        }
    }
}
