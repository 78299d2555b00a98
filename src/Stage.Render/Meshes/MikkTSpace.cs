using System.Numerics;

namespace Stage.Render.Meshes;

/// <summary>
/// MikkTSpace tangents for a triangle list: a C# port of Morten S. Mikkelsen's <c>mikktspace.c</c>
/// (github.com/mmikk/MikkTSpace, zlib licence, © 2011 Morten S. Mikkelsen; this is an altered version, see below),
/// the reference that Blender, glTF exporters and bevy use and that glTF names for meshes without TANGENT.
/// <para>
/// The steps are those of <c>genTangSpaceDefault</c> (angular threshold 180°):
/// corners with bit-equal position, normal and uv are welded into one vertex; triangles with two equal positions are
/// degenerate and set aside; each good triangle gets its first-order UV derivatives (eq. 18/19 of the thesis:
/// <c>vOs</c>, <c>vOt</c>, normalised, signed by the UV orientation) and its edge neighbours; at each welded vertex the
/// triangles reachable through shared edges with the same UV orientation form a group (so a UV mirror seam splits
/// tangent spaces even where the vertex is shared); a group's tangent space is the angle-weighted sum of its
/// triangles' derivatives projected into the normal's plane; degenerate triangles copy the space of a good corner
/// of the same welded vertex. Triangles whose UVs span no area "group with any" and take the orientation of the
/// first group that reaches them (the one order dependency of the original, kept).
/// </para>
/// <para>
/// Altered from the original: triangles only (glTF primitives have no quads, so the quad split, the quad-orientation
/// fix and <c>AvgTSpace</c> never apply); the spatial hash of the weld is a dictionary lookup on exact bits
/// (the same equivalence: <c>==</c> on floats, so −0 welds with +0); the group walk is an explicit stack in the
/// same visiting order as the recursion (no stack overflow on big meshes); edges sort with a total order
/// (min index, max index, triangle), which the original's three quicksorts reach. The result is deterministic.
/// </para>
/// <para>
/// <b>Sign convention</b>: MikkTSpace's bitangent points along increasing v of the coordinates it is given. glTF's
/// v runs down the image while its normal textures have green = up, so, as three.js does for glTF
/// (<c>computeMikkTSpaceTangents(…, negateSign = true)</c>), <see cref="Generate"/> hands back w negated:
/// bitangent = cross(n, t) · w then points toward decreasing stored v (up the image), the frame of exported TANGENTs.
/// </para>
/// </summary>
public static class MikkTSpace
{
    private const int MarkDegenerate = 1;
    private const int GroupWithAny = 4;
    private const int OrientPreserving = 8;

    /// <summary>
    /// One glTF tangent per triangle corner (index <c>i</c> of <paramref name="indices"/> gets element <c>i</c>):
    /// xyz unit along increasing u, w = ±1 the glTF bitangent sign. A corner no good triangle reaches keeps
    /// MikkTSpace's default space (+X), as the original does.
    /// </summary>
    /// <exception cref="ArgumentException">Array lengths differ, the index count is not whole triangles, or an index is out of range.</exception>
    public static Vector4[] Generate(ReadOnlySpan<Vector3> positionsM, ReadOnlySpan<Vector3> normals, ReadOnlySpan<Vector2> texCoords, ReadOnlySpan<uint> indices)
    {
        if (normals.Length != positionsM.Length || texCoords.Length != positionsM.Length)
            throw new ArgumentException($"{positionsM.Length} positions, {normals.Length} normals, {texCoords.Length} texture coordinates: one each per vertex is required");
        if (indices.Length % 3 != 0) throw new ArgumentException($"{indices.Length} indices is not a whole number of triangles", nameof(indices));
        for (int i = 0; i < indices.Length; i++)
            if (indices[i] >= (uint)positionsM.Length)
                throw new ArgumentException($"indices[{i}]: {indices[i]} is out of range ({positionsM.Length} vertices)", nameof(indices));

        int triangleCount = indices.Length / 3;
        var spaces = new TSpace[indices.Length];
        for (int c = 0; c < spaces.Length; c++) spaces[c] = TSpace.Default;
        if (triangleCount == 0) return [];

        // Corners name their attributes through the mesh's vertex index.
        var corner = new Corners(positionsM, normals, texCoords, indices);

        // The welded list: each corner's representative, the first corner with bit-equal position, normal and uv.
        int[] triList = Weld(corner, indices.Length);

        // Degenerate triangles (two equal positions) go to the back, good ones keep their order.
        var flags = new int[triangleCount];
        var order = new int[triangleCount];
        int good = 0;
        for (int t = 0; t < triangleCount; t++)
        {
            Vector3 p0 = corner.Position(triList[t * 3]), p1 = corner.Position(triList[t * 3 + 1]), p2 = corner.Position(triList[t * 3 + 2]);
            if (p0 == p1 || p0 == p2 || p1 == p2) flags[t] |= MarkDegenerate;
            else order[good++] = t;
        }
        int goodCount = good;
        for (int t = 0; t < triangleCount; t++)
            if ((flags[t] & MarkDegenerate) != 0) order[good++] = t;

        // From here triangles are numbered in that order: slot s is original triangle order[s].
        var list = new int[goodCount * 3];
        for (int s = 0; s < goodCount; s++)
            for (int k = 0; k < 3; k++) list[s * 3 + k] = triList[order[s] * 3 + k];

        var info = new TriInfo[goodCount];
        InitTriInfo(info, list, corner, goodCount);
        var groups = new List<Group>();
        Build4RuleGroups(info, groups, list, goodCount);
        GenerateTSpaces(spaces, order, info, groups, list, corner);
        DegenEpilogue(spaces, order, triList, list, goodCount, triangleCount);

        var result = new Vector4[indices.Length];
        for (int c = 0; c < result.Length; c++)
        {
            Vector3 t = spaces[c].Os;
            result[c] = new Vector4(t, spaces[c].Orient ? -1f : 1f);
        }
        return result;
    }

    /// <summary>A corner's tangent space: the normalised derivatives and the UV orientation.</summary>
    private struct TSpace
    {
        public Vector3 Os;
        public Vector3 Ot;
        public float MagS;
        public float MagT;
        public int Counter;
        public bool Orient;

        public static TSpace Default => new() { Os = Vector3.UnitX, Ot = Vector3.UnitY, MagS = 1, MagT = 1 };
    }

    private struct TriInfo
    {
        public int Neighbor0, Neighbor1, Neighbor2;
        public int Group0, Group1, Group2;
        public Vector3 Os, Ot;
        public float MagS, MagT;
        public int Flag;

        public readonly int Neighbor(int i) => i == 0 ? Neighbor0 : i == 1 ? Neighbor1 : Neighbor2;

        public void SetNeighbor(int i, int value)
        {
            if (i == 0) Neighbor0 = value; else if (i == 1) Neighbor1 = value; else Neighbor2 = value;
        }

        public readonly int Group(int i) => i == 0 ? Group0 : i == 1 ? Group1 : Group2;

        public void SetGroup(int i, int value)
        {
            if (i == 0) Group0 = value; else if (i == 1) Group1 = value; else Group2 = value;
        }
    }

    private sealed class Group(int vertexRepresentative, bool orientPreserving)
    {
        public readonly int VertexRepresentative = vertexRepresentative;
        public readonly bool OrientPreserving = orientPreserving;
        public readonly List<int> Faces = [];
    }

    /// <summary>Attribute access by corner number (index into the triangle list).</summary>
    private readonly ref struct Corners(ReadOnlySpan<Vector3> positionsM, ReadOnlySpan<Vector3> normals, ReadOnlySpan<Vector2> texCoords, ReadOnlySpan<uint> indices)
    {
        private readonly ReadOnlySpan<Vector3> _positions = positionsM;
        private readonly ReadOnlySpan<Vector3> _normals = normals;
        private readonly ReadOnlySpan<Vector2> _texCoords = texCoords;
        private readonly ReadOnlySpan<uint> _indices = indices;

        public Vector3 Position(int c) => _positions[(int)_indices[c]];
        public Vector3 Normal(int c) => _normals[(int)_indices[c]];
        public Vector2 TexCoord(int c) => _texCoords[(int)_indices[c]];
    }

    /// <summary>The weld key: the bits of position, normal and uv, with −0 read as +0 (float == equality).</summary>
    private readonly record struct WeldKey(Vector3 P, Vector3 N, Vector2 T)
    {
        public static WeldKey Of(Vector3 p, Vector3 n, Vector2 t) => new(p + Vector3.Zero, n + Vector3.Zero, t + Vector2.Zero);
    }

    private static int[] Weld(Corners corner, int cornerCount)
    {
        var list = new int[cornerCount];
        var first = new Dictionary<WeldKey, int>(cornerCount);
        for (int c = 0; c < cornerCount; c++)
        {
            var key = WeldKey.Of(corner.Position(c), corner.Normal(c), corner.TexCoord(c));
            if (first.TryGetValue(key, out int representative)) list[c] = representative;
            else
            {
                first.Add(key, c);
                list[c] = c;
            }
        }
        return list;
    }

    private static void InitTriInfo(TriInfo[] info, int[] list, Corners corner, int count)
    {
        for (int f = 0; f < count; f++)
        {
            ref TriInfo ti = ref info[f];
            ti.Neighbor0 = ti.Neighbor1 = ti.Neighbor2 = -1;
            ti.Group0 = ti.Group1 = ti.Group2 = -1;
            ti.Flag = GroupWithAny; // assumed bad

            Vector3 v1 = corner.Position(list[f * 3]), v2 = corner.Position(list[f * 3 + 1]), v3 = corner.Position(list[f * 3 + 2]);
            Vector2 t1 = corner.TexCoord(list[f * 3]), t2 = corner.TexCoord(list[f * 3 + 1]), t3 = corner.TexCoord(list[f * 3 + 2]);
            float t21x = t2.X - t1.X, t21y = t2.Y - t1.Y, t31x = t3.X - t1.X, t31y = t3.Y - t1.Y;
            Vector3 d1 = v2 - v1, d2 = v3 - v1;
            float signedAreaStX2 = t21x * t31y - t21y * t31x;
            Vector3 os = t31y * d1 - t21y * d2;   // eq. 18
            Vector3 ot = -t31x * d1 + t21x * d2;  // eq. 19
            if (signedAreaStX2 > 0) ti.Flag |= OrientPreserving;
            if (NotZero(signedAreaStX2))
            {
                float absArea = MathF.Abs(signedAreaStX2);
                float lenOs = Length(os), lenOt = Length(ot);
                float sign = (ti.Flag & OrientPreserving) == 0 ? -1f : 1f;
                if (NotZero(lenOs)) ti.Os = sign / lenOs * os;
                if (NotZero(lenOt)) ti.Ot = sign / lenOt * ot;
                ti.MagS = lenOs / absArea;
                ti.MagT = lenOt / absArea;
                if (NotZero(ti.MagS) && NotZero(ti.MagT)) ti.Flag &= ~GroupWithAny;
            }
        }
        BuildNeighbors(info, list, count);
    }

    private static void BuildNeighbors(TriInfo[] info, int[] list, int count)
    {
        // Every edge as (min index, max index, triangle), sorted: equal edges of different triangles become adjacent.
        var edges = new (int I0, int I1, int F)[count * 3];
        for (int f = 0; f < count; f++)
            for (int i = 0; i < 3; i++)
            {
                int i0 = list[f * 3 + i], i1 = list[f * 3 + (i < 2 ? i + 1 : 0)];
                edges[f * 3 + i] = (Math.Min(i0, i1), Math.Max(i0, i1), f);
            }
        Array.Sort(edges);

        for (int i = 0; i < edges.Length; i++)
        {
            (int i0, int i1, int f) = edges[i];
            GetEdge(out int i0A, out int i1A, out int edgeA, list, f, i0, i1);
            if (info[f].Neighbor(edgeA) != -1) continue;
            // The partner runs the same edge the other way round and is still unpaired on it.
            for (int j = i + 1; j < edges.Length && edges[j].I0 == i0 && edges[j].I1 == i1; j++)
            {
                int t = edges[j].F;
                GetEdge(out int i1B, out int i0B, out int edgeB, list, t, i0, i1);
                if (i0A == i0B && i1A == i1B && info[t].Neighbor(edgeB) == -1)
                {
                    info[f].SetNeighbor(edgeA, t);
                    info[t].SetNeighbor(edgeB, f);
                    break;
                }
            }
        }
    }

    /// <summary>Which edge (0: v0→v1, 1: v1→v2, 2: v2→v0) of triangle <paramref name="f"/> joins the two indices, in its winding.</summary>
    private static void GetEdge(out int i0Out, out int i1Out, out int edge, int[] list, int f, int i0In, int i1In)
    {
        int a = list[f * 3], b = list[f * 3 + 1], c = list[f * 3 + 2];
        if (a == i0In || a == i1In)
        {
            if (b == i0In || b == i1In) { edge = 0; i0Out = a; i1Out = b; }
            else { edge = 2; i0Out = c; i1Out = a; }
        }
        else { edge = 1; i0Out = b; i1Out = c; }
    }

    private static void Build4RuleGroups(TriInfo[] info, List<Group> groups, int[] list, int count)
    {
        var stack = new Stack<int>();
        for (int f = 0; f < count; f++)
            for (int i = 0; i < 3; i++)
            {
                if ((info[f].Flag & GroupWithAny) != 0 || info[f].Group(i) != -1) continue;
                var group = new Group(list[f * 3 + i], (info[f].Flag & OrientPreserving) != 0);
                int g = groups.Count;
                groups.Add(group);
                info[f].SetGroup(i, g);
                group.Faces.Add(f);
                // The original recurses into the left neighbour's whole walk before the right's; the stack keeps that order.
                PushNeighbors(stack, info[f], i);
                while (stack.Count > 0) AssignStep(stack, list, info, stack.Pop(), groups, g);
            }
    }

    private static void PushNeighbors(Stack<int> stack, in TriInfo ti, int i)
    {
        int left = ti.Neighbor(i), right = ti.Neighbor(i > 0 ? i - 1 : 2);
        if (right >= 0) stack.Push(right);
        if (left >= 0) stack.Push(left);
    }

    /// <summary>One call of the original's <c>AssignRecur</c>, its recursive calls pushed instead of made.</summary>
    private static void AssignStep(Stack<int> stack, int[] list, TriInfo[] info, int tri, List<Group> groups, int g)
    {
        Group group = groups[g];
        int rep = group.VertexRepresentative;
        int i = list[tri * 3] == rep ? 0 : list[tri * 3 + 1] == rep ? 1 : list[tri * 3 + 2] == rep ? 2 : -1;
        if (i < 0) return;
        ref TriInfo ti = ref info[tri];
        if (ti.Group(i) != -1) return;
        if ((ti.Flag & GroupWithAny) != 0 && ti.Group0 == -1 && ti.Group1 == -1 && ti.Group2 == -1)
        {
            // The first group to reach a group-with-anything triangle sets its orientation.
            ti.Flag &= ~OrientPreserving;
            if (group.OrientPreserving) ti.Flag |= OrientPreserving;
        }
        if (((ti.Flag & OrientPreserving) != 0) != group.OrientPreserving) return;
        group.Faces.Add(tri);
        ti.SetGroup(i, g);
        PushNeighbors(stack, ti, i);
    }

    private static void GenerateTSpaces(TSpace[] spaces, int[] order, TriInfo[] info, List<Group> groups, int[] list, Corners corner)
    {
        var members = new List<int>();
        var subGroups = new List<int[]>();
        var subSpaces = new List<TSpace>();
        for (int g = 0; g < groups.Count; g++)
        {
            Group group = groups[g];
            subGroups.Clear();
            subSpaces.Clear();
            foreach (int f in group.Faces)
            {
                int index = info[f].Group0 == g ? 0 : info[f].Group1 == g ? 1 : 2;
                int vertex = list[f * 3 + index];
                Vector3 n = corner.Normal(vertex);
                Vector3 os = ProjectNormalize(info[f].Os, n), ot = ProjectNormalize(info[f].Ot, n);

                // With the default 180° threshold every triangle of the group joins (cos > −1 unless exactly opposite).
                members.Clear();
                foreach (int t in group.Faces)
                {
                    Vector3 os2 = ProjectNormalize(info[t].Os, n), ot2 = ProjectNormalize(info[t].Ot, n);
                    bool any = ((info[f].Flag | info[t].Flag) & GroupWithAny) != 0;
                    bool sameFace = f == t;
                    if (any || sameFace || (Dot(os, os2) > ThresholdCos && Dot(ot, ot2) > ThresholdCos)) members.Add(t);
                }
                members.Sort();

                int l = 0;
                while (l < subGroups.Count && !SameMembers(members, subGroups[l])) l++;
                if (l == subGroups.Count)
                {
                    int[] copy = [.. members];
                    subGroups.Add(copy);
                    subSpaces.Add(EvalTSpace(copy, list, info, corner, group.VertexRepresentative));
                }

                // Triangles only: each corner is written once.
                TSpace space = subSpaces[l];
                space.Counter = 1;
                space.Orient = group.OrientPreserving;
                spaces[order[f] * 3 + index] = space;
            }
        }
    }

    /// <summary>cos(180°) as the original computes it in float: the default threshold.</summary>
    private static readonly float ThresholdCos = (float)Math.Cos(180.0f * (float)Math.PI / 180.0f);

    private static bool SameMembers(List<int> a, int[] b)
    {
        if (a.Count != b.Length) return false;
        for (int i = 0; i < b.Length; i++)
            if (a[i] != b[i]) return false;
        return true;
    }

    private static TSpace EvalTSpace(int[] faces, int[] list, TriInfo[] info, Corners corner, int vertexRepresentative)
    {
        var res = new TSpace();
        float angleSum = 0;
        foreach (int f in faces)
        {
            if ((info[f].Flag & GroupWithAny) != 0) continue; // only valid triangles contribute
            int i = list[3 * f] == vertexRepresentative ? 0 : list[3 * f + 1] == vertexRepresentative ? 1 : 2;
            Vector3 n = corner.Normal(list[3 * f + i]);
            Vector3 os = ProjectNormalize(info[f].Os, n), ot = ProjectNormalize(info[f].Ot, n);
            int i2 = list[3 * f + (i < 2 ? i + 1 : 0)], i1 = list[3 * f + i], i0 = list[3 * f + (i > 0 ? i - 1 : 2)];
            Vector3 p0 = corner.Position(i0), p1 = corner.Position(i1), p2 = corner.Position(i2);
            Vector3 v1 = ProjectNormalize(p0 - p1, n), v2 = ProjectNormalize(p2 - p1, n);
            // Weighted by the angle between the two edges at the vertex.
            float cos = Math.Clamp(Dot(v1, v2), -1f, 1f);
            float angle = (float)Math.Acos(cos);
            res.Os += angle * os;
            res.Ot += angle * ot;
            res.MagS += angle * info[f].MagS;
            res.MagT += angle * info[f].MagT;
            angleSum += angle;
        }
        if (VNotZero(res.Os)) res.Os = Normalize(res.Os);
        if (VNotZero(res.Ot)) res.Ot = Normalize(res.Ot);
        if (angleSum > 0)
        {
            res.MagS /= angleSum;
            res.MagT /= angleSum;
        }
        return res;
    }

    /// <summary>Corners of degenerate triangles copy the space of the first good corner of the same welded vertex.</summary>
    private static void DegenEpilogue(TSpace[] spaces, int[] order, int[] triList, int[] list, int goodCount, int triangleCount)
    {
        if (goodCount == triangleCount) return;
        // First good corner (in the good list's order) of each welded vertex; a dictionary lookup, never iterated.
        var firstGood = new Dictionary<int, int>();
        for (int j = 0; j < list.Length; j++) firstGood.TryAdd(list[j], j);
        for (int s = goodCount; s < triangleCount; s++)
        {
            int t = order[s];
            for (int i = 0; i < 3; i++)
                if (firstGood.TryGetValue(triList[t * 3 + i], out int j))
                    spaces[t * 3 + i] = spaces[order[j / 3] * 3 + j % 3];
        }
    }

    private static Vector3 ProjectNormalize(Vector3 v, Vector3 n)
    {
        Vector3 p = v - Dot(n, v) * n;
        return VNotZero(p) ? Normalize(p) : p;
    }

    // Scalar helpers in the original's evaluation order, so results do not depend on SIMD reductions.
    private static float Dot(Vector3 a, Vector3 b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    private static float Length(Vector3 v) => MathF.Sqrt(Dot(v, v));

    private static Vector3 Normalize(Vector3 v) => 1 / Length(v) * v;

    private static bool NotZero(float x) => MathF.Abs(x) > FltMin;

    /// <summary>C's FLT_MIN, the smallest normal float (2^−126): the original's zero test.</summary>
    private const float FltMin = 1.17549435e-38f;

    private static bool VNotZero(Vector3 v) => NotZero(v.X) || NotZero(v.Y) || NotZero(v.Z);
}
