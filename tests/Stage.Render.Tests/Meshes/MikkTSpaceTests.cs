using System.Numerics;
using Stage.Render.Meshes;
using Xunit;
using Xunit.Abstractions;

namespace Stage.Render.Tests.Meshes;

/// <summary>
/// MikkTSpace on meshes whose tangents are known in closed form. glTF convention throughout: tangent along +u,
/// bitangent = cross(n, t) · w pointing up the image (toward decreasing stored v).
/// </summary>
public sealed class MikkTSpaceTests(ITestOutputHelper output)
{
    /// <summary>A quad in the XY plane facing +Z, TL (−1, 1) BL (−1, −1) BR (1, −1) TR (1, 1), with the UVs given in that order.</summary>
    private static MeshData Quad(Vector2 tl, Vector2 bl, Vector2 br, Vector2 tr) =>
        new([new(-1, 1, 0), new(-1, -1, 0), new(1, -1, 0), new(1, 1, 0)], [Vector3.UnitZ, Vector3.UnitZ, Vector3.UnitZ, Vector3.UnitZ],
            [0, 1, 2, 0, 2, 3], texCoords0: [tl, bl, br, tr]);

    private static void AssertNear(Vector4 expected, Vector4 actual, float tolerance = 1e-5f) =>
        Assert.True(Vector4.Distance(expected, actual) < tolerance, $"expected {expected}, got {actual}");

    [Fact]
    public void A_flat_quad_gets_its_plus_u_direction_and_w_plus_one()
    {
        // u grows along +x, stored v down the image (−y): the image stands upright on the quad.
        MeshData quad = Quad(new(0, 0), new(0, 1), new(1, 1), new(1, 0));
        Vector4[] corners = MikkTSpace.Generate(quad.PositionsM, quad.Normals, quad.TexCoords0, quad.Indices);
        Assert.Equal(6, corners.Length);
        foreach (Vector4 t in corners) AssertNear(new Vector4(1, 0, 0, 1), t);
        // The bitangent the shader builds points up the image, +y.
        Vector3 b = Vector3.Cross(Vector3.UnitZ, new Vector3(corners[0].X, corners[0].Y, corners[0].Z)) * corners[0].W;
        Assert.True(Vector3.Distance(Vector3.UnitY, b) < 1e-5f);
    }

    [Fact]
    public void The_same_quad_with_u_mirrored_gets_minus_u_and_w_minus_one()
    {
        MeshData quad = Quad(new(1, 0), new(1, 1), new(0, 1), new(0, 0));
        foreach (Vector4 t in MikkTSpace.Generate(quad.PositionsM, quad.Normals, quad.TexCoords0, quad.Indices))
            AssertNear(new Vector4(-1, 0, 0, -1), t);
    }

    [Fact]
    public void A_uv_mirror_seam_through_shared_vertices_keeps_the_two_halves_apart()
    {
        // Two unit squares side by side sharing the seam's two vertices (same position, normal and uv 1): u runs 0 → 1
        // toward the seam on the left and 1 → 0 away from it on the right (a mirrored island, as for a face).
        Vector3[] p = [new(-1, 1, 0), new(-1, 0, 0), new(0, 0, 0), new(0, 1, 0), new(1, 0, 0), new(1, 1, 0)];
        Vector2[] uv = [new(0, 0), new(0, 1), new(1, 1), new(1, 0), new(0, 1), new(0, 0)];
        uint[] indices = [0, 1, 2, 0, 2, 3, 3, 2, 4, 3, 4, 5];
        var mesh = new MeshData(p, [.. p.Select(_ => Vector3.UnitZ)], indices, texCoords0: uv);
        Vector4[] corners = MikkTSpace.Generate(mesh.PositionsM, mesh.Normals, mesh.TexCoords0, mesh.Indices);
        for (int c = 0; c < 6; c++) AssertNear(new Vector4(1, 0, 0, 1), corners[c]);
        for (int c = 6; c < 12; c++) AssertNear(new Vector4(-1, 0, 0, -1), corners[c]);

        // On the mesh: the seam's two vertices are copied, one copy per side; nothing else changes.
        MeshData split = mesh.WithGeneratedTangents();
        Assert.Equal(8, split.VertexCount);
        for (int c = 0; c < 12; c++)
        {
            int v = (int)split.Indices[c];
            AssertNear(corners[c], split.Tangents[v]);
            Assert.Equal(p[indices[c]], split.PositionsM[v]);
            Assert.Equal(uv[indices[c]], split.TexCoords0[v]);
        }
        Assert.Equal(mesh.Submeshes, split.Submeshes);
    }

    [Fact]
    public void A_uv_sphere_gets_tangents_along_the_longitude_direction()
    {
        // Rings from pole to pole (the pole rows hold duplicated vertices, so their triangles are degenerate), u = φ / 2π
        // increasing to the right seen from outside, v = θ / π down the image.
        const int segments = 32, rings = 16;
        var positions = new List<Vector3>();
        var uvs = new List<Vector2>();
        for (int i = 0; i <= rings; i++)
            for (int j = 0; j <= segments; j++)
            {
                double theta = Math.PI * i / rings, phi = 2 * Math.PI * j / segments;
                positions.Add(new Vector3((float)(Math.Sin(theta) * Math.Cos(phi)), (float)Math.Cos(theta), (float)(-Math.Sin(theta) * Math.Sin(phi))));
                uvs.Add(new Vector2(j / (float)segments, i / (float)rings));
            }
        var indices = new List<uint>();
        for (int i = 0; i < rings; i++)
            for (int j = 0; j < segments; j++)
            {
                uint a = (uint)(i * (segments + 1) + j), b = a + segments + 1, c = b + 1, d = a + 1;
                indices.AddRange([a, b, c, a, c, d]);
            }
        Vector3[] normals = [.. positions.Select(Vector3.Normalize)];
        var sphere = new MeshData([.. positions], normals, [.. indices], texCoords0: [.. uvs]);
        Assert.True(Vector3.Dot(MeshData.FaceNormal(positions[(int)indices[6 * segments]], positions[(int)indices[6 * segments + 1]], positions[(int)indices[6 * segments + 2]]), normals[(int)indices[6 * segments]]) > 0,
            "the test sphere winds counter-clockwise seen from outside");

        MeshData generated = sphere.WithGeneratedTangents();
        float worstDeg = 0;
        for (int v = 0; v < generated.VertexCount; v++)
        {
            Vector4 t = generated.Tangents[v];
            Assert.True(float.IsFinite(t.X) && float.IsFinite(t.Y) && float.IsFinite(t.Z), $"vertex {v}: {t}");
            Vector3 p = generated.PositionsM[v];
            if (MathF.Abs(p.Y) > 0.999f) continue; // the poles have no longitude direction
            Assert.Equal(1f, t.W);
            // On the u = 0 / u = 1 seam a vertex sees the triangles of one side only: its flat facets lean it (5.5° next to the pole).
            if (generated.TexCoords0[v].X is 0 or 1) continue;
            float phi = MathF.Atan2(-p.Z, p.X);
            var east = new Vector3(-MathF.Sin(phi), 0, -MathF.Cos(phi));
            float angleDeg = MathF.Acos(Math.Clamp(Vector3.Dot(east, Vector3.Normalize(new Vector3(t.X, t.Y, t.Z))), -1, 1)) * 180 / MathF.PI;
            worstDeg = MathF.Max(worstDeg, angleDeg);
        }
        output.WriteLine($"worst angle from the longitude direction: {worstDeg:F4}°");
        Assert.True(worstDeg < 0.05f, $"tangents follow increasing longitude (worst {worstDeg}°)");
        // u = 0 and u = 1 meet at φ = 0 with different uvs: those vertices are not welded, and neither side splits further.
        Assert.Equal(sphere.VertexCount, generated.VertexCount);
    }

    [Fact]
    public void Degenerate_triangles_give_finite_unit_tangents_and_take_their_vertex_s_space()
    {
        // A good quad, then: a triangle of three equal positions on a quad corner, a sliver with two equal positions,
        // a triangle whose uvs span no area, and a triangle with every uv equal.
        Vector3[] p = [new(-1, 1, 0), new(-1, -1, 0), new(1, -1, 0), new(1, 1, 0), new(1, 1, 0), new(1, 1, 0), new(2, 2, 0), new(3, 2, 0), new(3, 3, 0), new(4, 4, 0), new(5, 4, 0), new(5, 5, 0)];
        Vector2[] uv = [new(0, 0), new(0, 1), new(1, 1), new(1, 0), new(1, 0), new(1, 0), new(0, 0), new(1, 0), new(2, 0), new(0.5f, 0.5f), new(0.5f, 0.5f), new(0.5f, 0.5f)];
        uint[] indices = [0, 1, 2, 0, 2, 3, 3, 4, 5, 0, 3, 4, 6, 7, 8, 9, 10, 11];
        var mesh = new MeshData(p, [.. p.Select(_ => Vector3.UnitZ)], indices, texCoords0: uv);
        Vector4[] corners = MikkTSpace.Generate(mesh.PositionsM, mesh.Normals, mesh.TexCoords0, mesh.Indices);
        foreach (Vector4 t in corners)
        {
            Assert.True(float.IsFinite(t.X) && float.IsFinite(t.Y) && float.IsFinite(t.Z) && float.IsFinite(t.W), $"{t}");
            Assert.Equal(1f, new Vector3(t.X, t.Y, t.Z).Length(), 4);
            Assert.True(MathF.Abs(t.W) == 1);
        }
        // The degenerate triangles at the quad's corner (welded to its vertices 0 and 3) copy the quad's space.
        for (int c = 6; c < 12; c++) AssertNear(new Vector4(1, 0, 0, 1), corners[c]);
        MeshData split = mesh.WithGeneratedTangents();
        foreach (Vector4 t in split.Tangents) Assert.True(float.IsFinite(t.X + t.Y + t.Z + t.W));
    }

    [Fact]
    public void Generation_is_deterministic_and_keeps_corner_order()
    {
        MeshData sphere = MeshPrimitives.Sphere(1, 24);
        Vector2[] uvs = [.. sphere.PositionsM.ToArray().Select(q => new Vector2(MathF.Atan2(q.Z, q.X), q.Y))];
        Vector4[] first = MikkTSpace.Generate(sphere.PositionsM, sphere.Normals, uvs, sphere.Indices);
        Vector4[] second = MikkTSpace.Generate(sphere.PositionsM, sphere.Normals, uvs, sphere.Indices);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_place_named()
    {
        MeshData quad = Quad(new(0, 0), new(0, 1), new(1, 1), new(1, 0));
        var e = Assert.Throws<ArgumentException>(() => MikkTSpace.Generate(quad.PositionsM, quad.Normals, quad.TexCoords0, [0, 1, 7]));
        Assert.Contains("indices[2]", e.Message);
        Assert.Throws<ArgumentException>(() => MikkTSpace.Generate(quad.PositionsM, quad.Normals, quad.TexCoords0[..2], quad.Indices));
    }

    [Fact]
    public void A_mesh_without_uvs_gets_unit_tangents_perpendicular_to_its_normals()
    {
        MeshData box = MeshPrimitives.Box(new Vector3(1, 2, 3));
        MeshData generated = box.WithGeneratedTangents();
        Assert.Equal(box.VertexCount, generated.VertexCount);
        for (int v = 0; v < generated.VertexCount; v++)
        {
            var t = new Vector3(generated.Tangents[v].X, generated.Tangents[v].Y, generated.Tangents[v].Z);
            Assert.Equal(1f, t.Length(), 5);
            Assert.Equal(0f, Vector3.Dot(t, generated.Normals[v]), 5);
        }
    }
}
