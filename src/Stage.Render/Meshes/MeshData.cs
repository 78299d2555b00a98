using System.Globalization;
using System.Numerics;

namespace Stage.Render.Meshes;

/// <summary>An axis-aligned box in stage space, metres.</summary>
/// <param name="MinM">The smallest x, y and z.</param>
/// <param name="MaxM">The largest x, y and z.</param>
public readonly record struct AxisAlignedBox(Vector3 MinM, Vector3 MaxM)
{
    /// <summary>The box of no points: min +∞, max −∞, so that any point grows it to itself.</summary>
    public static AxisAlignedBox Empty { get; } = new(new Vector3(float.PositiveInfinity), new Vector3(float.NegativeInfinity));

    /// <summary>True when the box holds no point.</summary>
    public bool IsEmpty => !(MinM.X <= MaxM.X && MinM.Y <= MaxM.Y && MinM.Z <= MaxM.Z);

    /// <summary>Edge lengths along x, y, z (zero for an empty box).</summary>
    public Vector3 SizeM => IsEmpty ? Vector3.Zero : MaxM - MinM;

    /// <summary>The middle of the box.</summary>
    public Vector3 CentreM => (MinM + MaxM) / 2;

    /// <summary>The smallest box holding <paramref name="pointsM"/>; <see cref="Empty"/> for none.</summary>
    public static AxisAlignedBox Of(ReadOnlySpan<Vector3> pointsM)
    {
        Vector3 min = Empty.MinM, max = Empty.MaxM;
        foreach (Vector3 p in pointsM)
        {
            min = Vector3.Min(min, p);
            max = Vector3.Max(max, p);
        }
        return new AxisAlignedBox(min, max);
    }
}

/// <summary>
/// A run of triangles of a <see cref="MeshData"/> drawn with one base colour (a glTF primitive, or the
/// whole of a generated primitive).
/// </summary>
/// <param name="FirstIndex">First index into <see cref="MeshData.Indices"/>; a multiple of 3.</param>
/// <param name="IndexCount">Indices of the run; a multiple of 3.</param>
/// <param name="BaseColorLinear">Base colour, linear RGBA, each channel 0..1.</param>
public readonly record struct MeshSubmesh(int FirstIndex, int IndexCount, Vector4 BaseColorLinear)
{
    /// <summary>
    /// The glTF material of the run (textures, metallic, roughness, emissive, alpha), or null for a plain
    /// dielectric surface of <see cref="BaseColorLinear"/> whose metallic and roughness come from the item drawn.
    /// When set, <see cref="BaseColorLinear"/> equals its base colour factor.
    /// </summary>
    public MeshMaterial? Material { get; init; }
}

/// <summary>
/// A triangle mesh on the CPU, ready to upload: separate arrays of positions (metres) and unit normals,
/// one vertex per index, 32-bit indices, and submeshes that each carry a base colour.
/// <para>
/// <b>Winding</b>: every triangle (a, b, c) is counter-clockwise seen from outside, i.e.
/// <c>cross(b − a, c − a)</c> points out of the surface (right-handed stage space, +Y up). The renderer's
/// projection flips y once (see <c>ClipSpace</c>), which keeps the image upright, so a pipeline that culls
/// uses <c>VK_FRONT_FACE_COUNTER_CLOCKWISE</c> as the front face.
/// </para>
/// The constructor checks the shape of the data (equal array lengths, whole triangles, submeshes that tile
/// the indices); <see cref="FindFaults"/> and <see cref="Validate"/> check its content.
/// </summary>
public sealed class MeshData
{
    /// <summary>Base colour used where none is given: opaque white.</summary>
    public static readonly Vector4 DefaultBaseColor = Vector4.One;

    /// <summary>How far from 1 a normal's length may be and still count as unit length.</summary>
    public const float UnitNormalTolerance = 1e-3f;

    private readonly Vector3[] _positionsM;
    private readonly Vector3[] _normals;
    private readonly uint[] _indices;
    private readonly MeshSubmesh[] _submeshes;
    private readonly Vector2[]? _texCoords0;
    private readonly Vector2[]? _texCoords1;
    private readonly Vector4[]? _tangents;

    /// <summary>
    /// Takes the arrays as they are (not copied: the caller hands them over). With no
    /// <paramref name="submeshes"/>, one submesh of <paramref name="baseColorLinear"/> (default white) covers
    /// every index.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, the index count is not a multiple of 3, or the submeshes do not tile the indices in order.</exception>
    /// <param name="positionsM">Vertex positions, metres.</param>
    /// <param name="normals">Unit normals, one per position.</param>
    /// <param name="indices">Triangle list.</param>
    /// <param name="submeshes">Runs of triangles with their colours and materials.</param>
    /// <param name="baseColorLinear">The one colour when <paramref name="submeshes"/> is null.</param>
    /// <param name="texCoords0">glTF TEXCOORD_0 per vertex (u right, v down the image), or null.</param>
    /// <param name="texCoords1">glTF TEXCOORD_1 per vertex, or null.</param>
    /// <param name="tangents">glTF TANGENT per vertex (xyz unit, w ±1 the bitangent's sign), or null.</param>
    public MeshData(Vector3[] positionsM, Vector3[] normals, uint[] indices, IReadOnlyList<MeshSubmesh>? submeshes = null, Vector4? baseColorLinear = null,
        Vector2[]? texCoords0 = null, Vector2[]? texCoords1 = null, Vector4[]? tangents = null)
    {
        if (texCoords0 is not null && texCoords0.Length != positionsM.Length) throw new ArgumentException($"{texCoords0.Length} TEXCOORD_0 for {positionsM.Length} positions", nameof(texCoords0));
        if (texCoords1 is not null && texCoords1.Length != positionsM.Length) throw new ArgumentException($"{texCoords1.Length} TEXCOORD_1 for {positionsM.Length} positions", nameof(texCoords1));
        if (tangents is not null && tangents.Length != positionsM.Length) throw new ArgumentException($"{tangents.Length} tangents for {positionsM.Length} positions", nameof(tangents));
        _texCoords0 = texCoords0;
        _texCoords1 = texCoords1;
        _tangents = tangents;
        ArgumentNullException.ThrowIfNull(positionsM);
        ArgumentNullException.ThrowIfNull(normals);
        ArgumentNullException.ThrowIfNull(indices);
        if (normals.Length != positionsM.Length)
            throw new ArgumentException($"{normals.Length} normals for {positionsM.Length} positions; one normal per vertex is required", nameof(normals));
        if (indices.Length % 3 != 0)
            throw new ArgumentException($"{indices.Length} indices is not a whole number of triangles", nameof(indices));
        if (submeshes is not null && baseColorLinear is not null)
            throw new ArgumentException("give submeshes (each with its colour) or one base colour, not both", nameof(baseColorLinear));
        _submeshes = submeshes is null
            ? [new MeshSubmesh(0, indices.Length, baseColorLinear ?? DefaultBaseColor)]
            : [.. submeshes];
        int next = 0;
        for (int s = 0; s < _submeshes.Length; s++)
        {
            MeshSubmesh sub = _submeshes[s];
            if (sub.FirstIndex != next || sub.IndexCount < 0 || sub.IndexCount % 3 != 0)
                throw new ArgumentException($"submeshes[{s}] covers indices {sub.FirstIndex}..+{sub.IndexCount}; expected to start at {next} with a multiple of 3", nameof(submeshes));
            next += sub.IndexCount;
        }
        if (next != indices.Length)
            throw new ArgumentException($"submeshes cover {next} of {indices.Length} indices", nameof(submeshes));
        _positionsM = positionsM;
        _normals = normals;
        _indices = indices;
        BoundsM = AxisAlignedBox.Of(positionsM);
    }

    /// <summary>Vertex positions, metres.</summary>
    public ReadOnlySpan<Vector3> PositionsM => _positionsM;

    /// <summary>Vertex normals, unit length, one per position.</summary>
    public ReadOnlySpan<Vector3> Normals => _normals;

    /// <summary>Triangle list indices, three per triangle, counter-clockwise seen from outside.</summary>
    public ReadOnlySpan<uint> Indices => _indices;

    /// <summary>Runs of triangles with their base colours, in index order, together covering every index.</summary>
    public IReadOnlyList<MeshSubmesh> Submeshes => _submeshes;

    /// <summary>TEXCOORD_0 per vertex; empty when the mesh has none.</summary>
    public ReadOnlySpan<Vector2> TexCoords0 => _texCoords0;

    /// <summary>TEXCOORD_1 per vertex; empty when the mesh has none.</summary>
    public ReadOnlySpan<Vector2> TexCoords1 => _texCoords1;

    /// <summary>Tangents per vertex (xyz, w the bitangent sign); empty when the mesh has none.</summary>
    public ReadOnlySpan<Vector4> Tangents => _tangents;

    /// <summary>Vertices.</summary>
    public int VertexCount => _positionsM.Length;

    /// <summary>Triangles.</summary>
    public int TriangleCount => _indices.Length / 3;

    /// <summary>The box around every vertex position (referenced or not); empty for no vertices.</summary>
    public AxisAlignedBox BoundsM { get; }

    /// <summary>Floats per vertex of <see cref="ToInterleavedVertices"/>: position 3, normal 3, uv0 2, uv1 2, tangent 4.</summary>
    public const int InterleavedFloats = 14;

    /// <summary>
    /// The renderer's vertex layout, <see cref="InterleavedFloats"/> floats (56 bytes) per vertex: position, normal,
    /// TEXCOORD_0, TEXCOORD_1 (zero where absent; uv1 = uv0 when only set 0 exists), tangent (given, or those of
    /// <see cref="WithGeneratedTangents"/> where no vertex needed splitting). A mesh without tangents should go through
    /// <see cref="WithGeneratedTangents"/> first (the renderer does): here a vertex whose corners got different MikkTSpace
    /// tangents takes the tangent of its first corner.
    /// </summary>
    public float[] ToInterleavedVertices()
    {
        Vector4[] tangents = _tangents ?? FirstCornerTangents();
        var result = new float[_positionsM.Length * InterleavedFloats];
        for (int v = 0; v < _positionsM.Length; v++)
        {
            Vector3 p = _positionsM[v], n = _normals[v];
            Vector2 uv0 = _texCoords0 is null ? Vector2.Zero : _texCoords0[v];
            Vector2 uv1 = _texCoords1 is null ? uv0 : _texCoords1[v];
            Vector4 t = tangents[v];
            int o = v * InterleavedFloats;
            result[o] = p.X; result[o + 1] = p.Y; result[o + 2] = p.Z;
            result[o + 3] = n.X; result[o + 4] = n.Y; result[o + 5] = n.Z;
            result[o + 6] = uv0.X; result[o + 7] = uv0.Y; result[o + 8] = uv1.X; result[o + 9] = uv1.Y;
            result[o + 10] = t.X; result[o + 11] = t.Y; result[o + 12] = t.Z; result[o + 13] = t.W;
        }
        return result;
    }

    /// <summary>
    /// This mesh with a tangent per vertex: itself when it has tangents; otherwise MikkTSpace tangents
    /// (<see cref="MikkTSpace"/>, from TEXCOORD_0, glTF's sign convention), with a vertex copied wherever the
    /// triangles sharing it got different tangent spaces (a UV mirror seam, say): the first tangent keeps the vertex,
    /// each further one gets a copy appended after the original vertices, in the order of the corners. Submeshes
    /// keep their index ranges. Without TEXCOORD_0 (nothing for a normal map to follow) each vertex gets a unit
    /// vector perpendicular to its normal.
    /// </summary>
    public MeshData WithGeneratedTangents()
    {
        if (_tangents is not null) return this;
        if (_texCoords0 is null)
            return new MeshData(_positionsM, _normals, _indices, _submeshes, texCoords1: _texCoords1, tangents: PerpendicularTangents(_normals));

        Vector4[] corners = MikkTSpace.Generate(_positionsM, _normals, _texCoords0, _indices);
        int vertexCount = _positionsM.Length;
        var tangents = new List<Vector4>(vertexCount);
        var source = new List<int>(vertexCount);
        var nextCopy = new List<int>(vertexCount);
        var used = new bool[vertexCount];
        Vector4[] fallback = PerpendicularTangents(_normals);
        for (int v = 0; v < vertexCount; v++)
        {
            tangents.Add(fallback[v]);
            source.Add(v);
            nextCopy.Add(-1);
        }
        var indices = new uint[_indices.Length];
        for (int c = 0; c < _indices.Length; c++)
        {
            int v = (int)_indices[c];
            Vector4 t = corners[c];
            if (!used[v])
            {
                used[v] = true;
                tangents[v] = t;
                indices[c] = (uint)v;
                continue;
            }
            // Walk the vertex's copies for one with this exact tangent; append a copy when none has it.
            int k = v;
            while (tangents[k] != t && nextCopy[k] != -1) k = nextCopy[k];
            if (tangents[k] != t)
            {
                int copy = tangents.Count;
                tangents.Add(t);
                source.Add(v);
                nextCopy.Add(-1);
                nextCopy[k] = copy;
                k = copy;
            }
            indices[c] = (uint)k;
        }
        var positions = new Vector3[source.Count];
        var normals = new Vector3[source.Count];
        var uv0 = new Vector2[source.Count];
        Vector2[]? uv1 = _texCoords1 is null ? null : new Vector2[source.Count];
        for (int v = 0; v < source.Count; v++)
        {
            int s = source[v];
            positions[v] = _positionsM[s];
            normals[v] = _normals[s];
            uv0[v] = _texCoords0[s];
            if (uv1 is not null) uv1[v] = _texCoords1![s];
        }
        return new MeshData(positions, normals, indices, _submeshes, texCoords0: uv0, texCoords1: uv1, tangents: [.. tangents]);
    }

    /// <summary>Per-vertex tangents without splitting: each vertex takes its first corner's (see <see cref="ToInterleavedVertices"/>).</summary>
    private Vector4[] FirstCornerTangents()
    {
        MeshData generated = WithGeneratedTangents();
        return generated._tangents![.._positionsM.Length];
    }

    /// <summary>A unit vector perpendicular to each normal, w = +1: the tangent where no UVs give one.</summary>
    private static Vector4[] PerpendicularTangents(ReadOnlySpan<Vector3> normals)
    {
        var tangents = new Vector4[normals.Length];
        for (int v = 0; v < normals.Length; v++)
        {
            Vector3 n = normals[v];
            Vector3 axis = MathF.Abs(n.X) < 0.9f ? Vector3.UnitX : Vector3.UnitY;
            Vector3 t = Vector3.Cross(Vector3.Cross(n, axis), n);
            float length = t.Length();
            tangents[v] = new Vector4(length > 0 && float.IsFinite(length) ? t / length : Vector3.UnitX, 1);
        }
        return tangents;
    }

    /// <summary>
    /// Positions and normals interleaved, six floats per vertex (px, py, pz, nx, ny, nz: 24 bytes, the
    /// layout of the renderer's <c>MeshVertex</c>).
    /// </summary>
    public float[] ToInterleavedPositionNormal()
    {
        var result = new float[_positionsM.Length * 6];
        for (int v = 0; v < _positionsM.Length; v++)
        {
            Vector3 p = _positionsM[v], n = _normals[v];
            int o = v * 6;
            result[o] = p.X; result[o + 1] = p.Y; result[o + 2] = p.Z;
            result[o + 3] = n.X; result[o + 4] = n.Y; result[o + 5] = n.Z;
        }
        return result;
    }

    /// <summary>
    /// Every fault of the content, each naming its place (<c>indices[7]: 12 is out of range (8 vertices)</c>):
    /// positions and normals finite, normals of unit length (±<see cref="UnitNormalTolerance"/>), indices in
    /// range, colours finite and within 0..1. Stops after <paramref name="maxFaults"/>.
    /// </summary>
    public IReadOnlyList<string> FindFaults(int maxFaults = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFaults, 1);
        var faults = new List<string>();
        bool Add(string fault)
        {
            faults.Add(fault);
            return faults.Count >= maxFaults;
        }
        for (int v = 0; v < _positionsM.Length; v++)
        {
            if (!IsFinite(_positionsM[v]) && Add($"positionsM[{v}]: {Show(_positionsM[v])} is not finite")) return faults;
            if (_texCoords0 is not null && !(float.IsFinite(_texCoords0[v].X) && float.IsFinite(_texCoords0[v].Y)) && Add($"texCoords0[{v}]: {_texCoords0[v]} is not finite")) return faults;
            if (_texCoords1 is not null && !(float.IsFinite(_texCoords1[v].X) && float.IsFinite(_texCoords1[v].Y)) && Add($"texCoords1[{v}]: {_texCoords1[v]} is not finite")) return faults;
            Vector3 n = _normals[v];
            if (!IsFinite(n))
            {
                if (Add($"normals[{v}]: {Show(n)} is not finite")) return faults;
            }
            else if (MathF.Abs(n.Length() - 1) > UnitNormalTolerance && Add($"normals[{v}]: {Show(n)} has length {n.Length().ToString("G6", CultureInfo.InvariantCulture)}, not 1"))
            {
                return faults;
            }
        }
        for (int i = 0; i < _indices.Length; i++)
        {
            if (_indices[i] >= (uint)_positionsM.Length && Add($"indices[{i}]: {_indices[i]} is out of range ({_positionsM.Length} vertices)")) return faults;
        }
        for (int s = 0; s < _submeshes.Length; s++)
        {
            Vector4 c = _submeshes[s].BaseColorLinear;
            bool ok = float.IsFinite(c.X) && float.IsFinite(c.Y) && float.IsFinite(c.Z) && float.IsFinite(c.W)
                && Vector4.Min(c, Vector4.Zero) == Vector4.Zero && Vector4.Max(c, Vector4.One) == Vector4.One;
            if (!ok && Add($"submeshes[{s}].BaseColorLinear: {c} is not within 0..1")) return faults;
        }
        return faults;
    }

    /// <summary>Throws <see cref="MeshDataException"/> listing the faults <see cref="FindFaults"/> finds, if any.</summary>
    public void Validate()
    {
        IReadOnlyList<string> faults = FindFaults();
        if (faults.Count > 0) throw new MeshDataException(faults);
    }

    /// <summary>
    /// The enclosed volume by the divergence theorem, Σ a·(b×c)/6 over the triangles, m³. Exact for a closed
    /// mesh, positive when the winding faces outward; meaningless for an open one.
    /// </summary>
    public double SignedVolumeM3()
    {
        double sum = 0;
        for (int i = 0; i < _indices.Length; i += 3)
        {
            Vector3 a = _positionsM[_indices[i]], b = _positionsM[_indices[i + 1]], c = _positionsM[_indices[i + 2]];
            sum += Vector3.Dot(a, Vector3.Cross(b, c));
        }
        return sum / 6;
    }

    /// <summary>Total area of the triangles, m².</summary>
    public double SurfaceAreaM2()
    {
        double sum = 0;
        for (int i = 0; i < _indices.Length; i += 3)
        {
            Vector3 a = _positionsM[_indices[i]], b = _positionsM[_indices[i + 1]], c = _positionsM[_indices[i + 2]];
            sum += Vector3.Cross(b - a, c - a).Length() / 2;
        }
        return sum;
    }

    /// <summary>A copy with every submesh drawn in <paramref name="baseColorLinear"/>.</summary>
    public MeshData WithBaseColor(Vector4 baseColorLinear) =>
        new((Vector3[])_positionsM.Clone(), (Vector3[])_normals.Clone(), (uint[])_indices.Clone(),
            [.. _submeshes.Select(s => s with { BaseColorLinear = baseColorLinear, Material = s.Material is null ? null : s.Material with { BaseColorFactor = baseColorLinear } })],
            texCoords0: (Vector2[]?)_texCoords0?.Clone(), texCoords1: (Vector2[]?)_texCoords1?.Clone(), tangents: (Vector4[]?)_tangents?.Clone());

    /// <summary>
    /// A copy moved by <paramref name="transform"/> (a System.Numerics row-vector matrix: p' = p · M).
    /// Normals go through the inverse transpose and are renormalised; a mirroring transform (negative
    /// determinant) has its triangles' winding reversed so that they stay counter-clockwise from outside.
    /// </summary>
    /// <exception cref="ArgumentException">The transform is not invertible or not affine.</exception>
    public MeshData Transformed(Matrix4x4 transform)
    {
        if (transform.M14 != 0 || transform.M24 != 0 || transform.M34 != 0 || transform.M44 != 1)
            throw new ArgumentException($"transform {transform} is not affine (last column must be 0, 0, 0, 1)", nameof(transform));
        if (!Matrix4x4.Invert(transform, out Matrix4x4 inverse))
            throw new ArgumentException($"transform {transform} is not invertible", nameof(transform));
        Matrix4x4 normalMatrix = Matrix4x4.Transpose(inverse);
        var positions = new Vector3[_positionsM.Length];
        var normals = new Vector3[_normals.Length];
        for (int v = 0; v < positions.Length; v++)
        {
            positions[v] = Vector3.Transform(_positionsM[v], transform);
            normals[v] = Vector3.Normalize(Vector3.TransformNormal(_normals[v], normalMatrix));
        }
        var indices = (uint[])_indices.Clone();
        bool mirrors = transform.GetDeterminant() < 0;
        if (mirrors)
        {
            for (int i = 0; i < indices.Length; i += 3) (indices[i + 1], indices[i + 2]) = (indices[i + 2], indices[i + 1]);
        }
        Vector4[]? tangents = null;
        if (_tangents is not null)
        {
            // Tangents follow the surface (the model matrix); a mirror flips the bitangent's handedness.
            tangents = new Vector4[_tangents.Length];
            for (int v = 0; v < tangents.Length; v++)
            {
                Vector3 t = Vector3.TransformNormal(new Vector3(_tangents[v].X, _tangents[v].Y, _tangents[v].Z), transform);
                float length = t.Length();
                t = length > 0 && float.IsFinite(length) ? t / length : Vector3.UnitX;
                tangents[v] = new Vector4(t, mirrors ? -_tangents[v].W : _tangents[v].W);
            }
        }
        return new MeshData(positions, normals, indices, _submeshes, texCoords0: _texCoords0, texCoords1: _texCoords1, tangents: tangents);
    }

    /// <summary>One mesh holding all of <paramref name="meshes"/>, in order, with their submeshes.</summary>
    public static MeshData Combine(IEnumerable<MeshData> meshes)
    {
        ArgumentNullException.ThrowIfNull(meshes);
        var positions = new List<Vector3>();
        var normals = new List<Vector3>();
        var indices = new List<uint>();
        var submeshes = new List<MeshSubmesh>();
        var uv0 = new List<Vector2>();
        var uv1 = new List<Vector2>();
        var tangents = new List<Vector4>();
        MeshData[] parts = [.. meshes];
        bool anyUv0 = false, anyUv1 = false, anyTangents = parts.Any(m => m._tangents is not null);
        foreach (MeshData part in parts)
        {
            // A part without tangents gets generated ones (its vertices split where MikkTSpace asks), so that the
            // combined mesh carries one kind for all.
            MeshData mesh = anyTangents ? part.WithGeneratedTangents() : part;
            uint baseVertex = (uint)positions.Count;
            int baseIndex = indices.Count;
            positions.AddRange(mesh._positionsM);
            normals.AddRange(mesh._normals);
            anyUv0 |= mesh._texCoords0 is not null;
            anyUv1 |= mesh._texCoords1 is not null;
            uv0.AddRange(mesh._texCoords0 ?? new Vector2[mesh.VertexCount]);
            uv1.AddRange(mesh._texCoords1 ?? mesh._texCoords0 ?? new Vector2[mesh.VertexCount]);
            if (mesh._tangents is not null) tangents.AddRange(mesh._tangents);
            foreach (uint i in mesh._indices) indices.Add(i + baseVertex);
            foreach (MeshSubmesh s in mesh._submeshes) submeshes.Add(s with { FirstIndex = s.FirstIndex + baseIndex });
        }
        return new MeshData([.. positions], [.. normals], [.. indices], submeshes,
            texCoords0: anyUv0 ? [.. uv0] : null, texCoords1: anyUv1 ? [.. uv1] : null, tangents: anyTangents ? [.. tangents] : null);
    }

    /// <summary>
    /// A mesh with flat normals from an indexed triangle list: every triangle gets three vertices of its
    /// own carrying its face normal (what glTF asks for when a primitive has no normals). A triangle of zero
    /// area gets +Y (it covers no pixel, so any unit normal will do).
    /// </summary>
    public static MeshData WithFlatNormals(ReadOnlySpan<Vector3> positionsM, ReadOnlySpan<uint> indices, Vector4? baseColorLinear = null)
    {
        if (indices.Length % 3 != 0) throw new ArgumentException($"{indices.Length} indices is not a whole number of triangles", nameof(indices));
        var positions = new Vector3[indices.Length];
        var normals = new Vector3[indices.Length];
        var newIndices = new uint[indices.Length];
        for (int i = 0; i < indices.Length; i += 3)
        {
            for (int k = 0; k < 3; k++)
            {
                if (indices[i + k] >= (uint)positionsM.Length)
                    throw new ArgumentException($"indices[{i + k}]: {indices[i + k]} is out of range ({positionsM.Length} vertices)", nameof(indices));
                positions[i + k] = positionsM[(int)indices[i + k]];
                newIndices[i + k] = (uint)(i + k);
            }
            Vector3 n = FaceNormal(positions[i], positions[i + 1], positions[i + 2]);
            normals[i] = normals[i + 1] = normals[i + 2] = n;
        }
        return new MeshData(positions, normals, newIndices, baseColorLinear: baseColorLinear);
    }

    /// <summary>
    /// Smooth normals for an indexed triangle list: at each vertex the area-weighted sum of the normals of
    /// the triangles that use it, normalised; +Y where that sum vanishes (an unused vertex).
    /// </summary>
    public static Vector3[] ComputeSmoothNormals(ReadOnlySpan<Vector3> positionsM, ReadOnlySpan<uint> indices)
    {
        var normals = new Vector3[positionsM.Length];
        for (int i = 0; i + 2 < indices.Length; i += 3)
        {
            uint a = indices[i], b = indices[i + 1], c = indices[i + 2];
            if (a >= normals.Length || b >= normals.Length || c >= normals.Length)
                throw new ArgumentException($"indices[{i}..{i + 2}]: ({a}, {b}, {c}) out of range ({positionsM.Length} vertices)", nameof(indices));
            // Cross product length is twice the area: the weighting comes for free.
            Vector3 n = Vector3.Cross(positionsM[(int)b] - positionsM[(int)a], positionsM[(int)c] - positionsM[(int)a]);
            normals[a] += n;
            normals[b] += n;
            normals[c] += n;
        }
        for (int v = 0; v < normals.Length; v++)
        {
            float length = normals[v].Length();
            normals[v] = length > 0 && float.IsFinite(length) ? normals[v] / length : Vector3.UnitY;
        }
        return normals;
    }

    /// <summary>The unit normal of triangle (a, b, c) by the counter-clockwise rule; +Y for a degenerate one.</summary>
    public static Vector3 FaceNormal(Vector3 a, Vector3 b, Vector3 c)
    {
        Vector3 n = Vector3.Cross(b - a, c - a);
        float length = n.Length();
        return length > 0 && float.IsFinite(length) ? n / length : Vector3.UnitY;
    }

    private static bool IsFinite(Vector3 v) => float.IsFinite(v.X) && float.IsFinite(v.Y) && float.IsFinite(v.Z);

    private static string Show(Vector3 v) =>
        string.Create(CultureInfo.InvariantCulture, $"({v.X:G6}, {v.Y:G6}, {v.Z:G6})");
}

/// <summary>A <see cref="MeshData"/> whose content is faulty; <see cref="Faults"/> name each place.</summary>
public sealed class MeshDataException : Exception
{
    /// <summary>Creates the exception from the faults found.</summary>
    public MeshDataException(IReadOnlyList<string> faults)
        : base("invalid mesh: " + string.Join("; ", faults))
    {
        Faults = faults;
    }

    /// <summary>Each fault, naming its place.</summary>
    public IReadOnlyList<string> Faults { get; }
}
