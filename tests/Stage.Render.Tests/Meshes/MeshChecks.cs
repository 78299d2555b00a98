using System.Numerics;
using Stage.Render.Meshes;

namespace Stage.Render.Tests.Meshes;

/// <summary>Geometric checks shared by the mesh tests.</summary>
internal static class MeshChecks
{
    /// <summary>
    /// Closed and consistently wound: with vertices welded by exact position, every directed edge a→b
    /// appears exactly once and its reverse b→a exactly once, so every edge is shared by exactly two
    /// triangles that agree on orientation. Returns the faults found (empty when watertight).
    /// </summary>
    public static List<string> WatertightFaults(MeshData mesh)
    {
        var weld = new Dictionary<Vector3, int>();
        int Id(uint index)
        {
            Vector3 p = mesh.PositionsM[(int)index];
            p = new Vector3(p.X + 0f, p.Y + 0f, p.Z + 0f); // −0 and +0 weld together
            if (!weld.TryGetValue(p, out int id)) weld[p] = id = weld.Count;
            return id;
        }
        var directed = new Dictionary<(int, int), int>();
        var faults = new List<string>();
        ReadOnlySpan<uint> indices = mesh.Indices;
        for (int t = 0; t < indices.Length; t += 3)
        {
            int[] v = [Id(indices[t]), Id(indices[t + 1]), Id(indices[t + 2])];
            if (v[0] == v[1] || v[1] == v[2] || v[0] == v[2]) faults.Add($"triangle {t / 3} is degenerate");
            for (int k = 0; k < 3; k++)
            {
                (int, int) edge = (v[k], v[(k + 1) % 3]);
                directed[edge] = directed.GetValueOrDefault(edge) + 1;
            }
        }
        foreach (((int a, int b), int count) in directed)
        {
            if (count != 1) faults.Add($"edge {a}→{b} used {count} times in the same direction");
            if (!directed.ContainsKey((b, a))) faults.Add($"edge {a}→{b} has no neighbour across it");
        }
        return faults;
    }

    /// <summary>Asserts that every vertex normal and every face normal points away from <paramref name="centre"/>.</summary>
    public static void AssertOutward(MeshData mesh, Vector3 centre)
    {
        for (int v = 0; v < mesh.VertexCount; v++)
        {
            Vector3 outward = mesh.PositionsM[v] - centre;
            Assert.True(Vector3.Dot(mesh.Normals[v], outward) > 0, $"normal {v} {mesh.Normals[v]} at {mesh.PositionsM[v]} points inward");
        }
        ReadOnlySpan<uint> i = mesh.Indices;
        for (int t = 0; t < i.Length; t += 3)
        {
            Vector3 a = mesh.PositionsM[(int)i[t]], b = mesh.PositionsM[(int)i[t + 1]], c = mesh.PositionsM[(int)i[t + 2]];
            Vector3 face = Vector3.Cross(b - a, c - a);
            Assert.True(Vector3.Dot(face, (a + b + c) / 3 - centre) > 0, $"triangle {t / 3} ({a}, {b}, {c}) is wound inward");
        }
    }

    /// <summary>Asserts that each vertex normal is within <paramref name="toleranceRad"/> of the mean face normal of its triangles.</summary>
    public static void AssertNormalsAgreeWithFaces(MeshData mesh, float toleranceRad)
    {
        var sums = new Vector3[mesh.VertexCount];
        ReadOnlySpan<uint> i = mesh.Indices;
        for (int t = 0; t < i.Length; t += 3)
        {
            Vector3 a = mesh.PositionsM[(int)i[t]], b = mesh.PositionsM[(int)i[t + 1]], c = mesh.PositionsM[(int)i[t + 2]];
            Vector3 n = Vector3.Cross(b - a, c - a);
            sums[i[t]] += n; sums[i[t + 1]] += n; sums[i[t + 2]] += n;
        }
        for (int v = 0; v < sums.Length; v++)
        {
            // atan2(|a × b|, a · b) stays accurate for small angles, where acos of a dot product does not.
            Vector3 face = Vector3.Normalize(sums[v]);
            float angle = MathF.Atan2(Vector3.Cross(face, mesh.Normals[v]).Length(), Vector3.Dot(face, mesh.Normals[v]));
            Assert.True(angle <= toleranceRad, $"normal {v} {mesh.Normals[v]} is {angle} rad from its faces");
        }
    }

    public static void AssertNear(Vector3 expected, Vector3 actual, float tolerance = 1e-5f) =>
        Assert.True(Vector3.Distance(expected, actual) <= tolerance, $"expected {expected}, got {actual}");
}
