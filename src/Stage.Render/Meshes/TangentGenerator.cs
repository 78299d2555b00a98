using System.Numerics;

namespace Stage.Render.Meshes;

/// <summary>
/// Tangents for normal mapping where a mesh gives none, in glTF's convention: xyz along increasing u,
/// w = ±1 so that bitangent = cross(normal, tangent.xyz) · w points along increasing v of the
/// <b>texture coordinates as stored</b> (glTF's v runs down the image; the shader's normal map uses the same
/// frame, so green = +bitangent as glTF asks).
/// <para>
/// Not MikkTSpace itself: each triangle's tangent and bitangent come from its UV gradients
/// (Lengyel's method), weighted by the triangle's area in UV-gradient form and summed per vertex, then
/// Gram–Schmidt orthogonalised against the vertex normal; the sign from the summed bitangent. On meshes whose
/// UV islands are split at seams (what glTF exporters write) this agrees with MikkTSpace to within the
/// averaging; it differs at vertices shared by triangles with very different UV mappings. Vertices without
/// UVs (or with degenerate ones) get a unit vector perpendicular to the normal.
/// </para>
/// </summary>
public static class TangentGenerator
{
    /// <summary>One tangent per vertex.</summary>
    public static Vector4[] Generate(ReadOnlySpan<Vector3> positionsM, ReadOnlySpan<Vector3> normals, ReadOnlySpan<Vector2> texCoords, ReadOnlySpan<uint> indices)
    {
        var tangents = new Vector4[positionsM.Length];
        var tan = new Vector3[positionsM.Length];
        var bitan = new Vector3[positionsM.Length];
        if (texCoords.Length == positionsM.Length)
        {
            for (int i = 0; i + 2 < indices.Length; i += 3)
            {
                uint a = indices[i], b = indices[i + 1], c = indices[i + 2];
                if (a >= tan.Length || b >= tan.Length || c >= tan.Length) continue;
                Vector3 e1 = positionsM[(int)b] - positionsM[(int)a], e2 = positionsM[(int)c] - positionsM[(int)a];
                Vector2 d1 = texCoords[(int)b] - texCoords[(int)a], d2 = texCoords[(int)c] - texCoords[(int)a];
                float det = d1.X * d2.Y - d2.X * d1.Y;
                if (!(MathF.Abs(det) > 1e-20f)) continue;
                // Scaled by |det| (the triangle weighs by its UV area) and signed by det (the mirror sense is kept).
                float r = MathF.Sign(det);
                Vector3 t = (e1 * d2.Y - e2 * d1.Y) * r;
                Vector3 bt = (e2 * d1.X - e1 * d2.X) * r;
                tan[a] += t; tan[b] += t; tan[c] += t;
                bitan[a] += bt; bitan[b] += bt; bitan[c] += bt;
            }
        }
        for (int v = 0; v < tangents.Length; v++)
        {
            Vector3 n = normals[v];
            Vector3 t = tan[v] - n * Vector3.Dot(n, tan[v]);
            float length = t.Length();
            if (!(length > 1e-12f) || !float.IsFinite(length))
            {
                // No usable UV gradient: any unit vector perpendicular to the normal.
                Vector3 axis = MathF.Abs(n.X) < 0.9f ? Vector3.UnitX : Vector3.UnitY;
                t = Vector3.Cross(Vector3.Cross(n, axis), n);
                length = t.Length();
                t = length > 0 ? t / length : Vector3.UnitX;
                tangents[v] = new Vector4(t, 1);
                continue;
            }
            t /= length;
            float w = Vector3.Dot(Vector3.Cross(n, t), bitan[v]) < 0 ? -1 : 1;
            tangents[v] = new Vector4(t, w);
        }
        return tangents;
    }
}
