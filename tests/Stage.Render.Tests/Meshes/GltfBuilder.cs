using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Stage.Render.Meshes;

namespace Stage.Render.Tests.Meshes;

/// <summary>
/// Writes glTF assets for tests: binary data goes into one buffer, the JSON is a <see cref="JsonObject"/>
/// the test may edit, and the result comes out as a GLB container, a .gltf with a data: URI, or a .gltf
/// with an external .bin.
/// </summary>
internal sealed class GltfBuilder
{
    private readonly MemoryStream _bin = new();

    public JsonObject Root { get; } = new() { ["asset"] = new JsonObject { ["version"] = "2.0" } };

    public int BinLength => (int)_bin.Length;

    private JsonArray Array(string name)
    {
        if (Root[name] is not JsonArray array) Root[name] = array = [];
        return array;
    }

    private static int Add(JsonArray array, JsonNode node)
    {
        array.Add(node);
        return array.Count - 1;
    }

    /// <summary>Appends bytes (4-byte aligned) as a buffer view of buffer 0.</summary>
    public int AddView(byte[] data, int? byteStride = null)
    {
        while (_bin.Length % 4 != 0) _bin.WriteByte(0);
        var view = new JsonObject { ["buffer"] = 0, ["byteOffset"] = _bin.Length, ["byteLength"] = data.Length };
        if (byteStride is int s) view["byteStride"] = s;
        _bin.Write(data);
        return Add(Array("bufferViews"), view);
    }

    public int AddAccessor(int view, int componentType, int count, string type, int byteOffset = 0)
    {
        var accessor = new JsonObject { ["bufferView"] = view, ["componentType"] = componentType, ["count"] = count, ["type"] = type };
        if (byteOffset != 0) accessor["byteOffset"] = byteOffset;
        return Add(Array("accessors"), accessor);
    }

    public static byte[] Floats(IEnumerable<Vector3> values)
    {
        var list = values.ToList();
        var bytes = new byte[list.Count * 12];
        for (int i = 0; i < list.Count; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 12), list[i].X);
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 12 + 4), list[i].Y);
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 12 + 8), list[i].Z);
        }
        return bytes;
    }

    public static byte[] Indices(IReadOnlyList<uint> values, int componentType)
    {
        int size = componentType switch { 5121 => 1, 5123 => 2, _ => 4 };
        var bytes = new byte[values.Count * size];
        for (int i = 0; i < values.Count; i++)
        {
            switch (size)
            {
                case 1: bytes[i] = (byte)values[i]; break;
                case 2: BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), (ushort)values[i]); break;
                default: BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), values[i]); break;
            }
        }
        return bytes;
    }

    public int AddVec3(IReadOnlyList<Vector3> values) => AddAccessor(AddView(Floats(values)), 5126, values.Count, "VEC3");

    public int AddIndices(IReadOnlyList<uint> values, int componentType = 5123) =>
        AddAccessor(AddView(Indices(values, componentType)), componentType, values.Count, "SCALAR");

    /// <summary>Positions and normals interleaved in one strided view (24 bytes per vertex, normals at +12).</summary>
    public (int Positions, int Normals) AddInterleaved(IReadOnlyList<Vector3> positions, IReadOnlyList<Vector3> normals)
    {
        var data = new byte[positions.Count * 24];
        for (int i = 0; i < positions.Count; i++)
        {
            Floats([positions[i]]).CopyTo(data, i * 24);
            Floats([normals[i]]).CopyTo(data, i * 24 + 12);
        }
        int view = AddView(data, byteStride: 24);
        return (AddAccessor(view, 5126, positions.Count, "VEC3"), AddAccessor(view, 5126, positions.Count, "VEC3", byteOffset: 12));
    }

    public int AddMaterial(Vector4 baseColor) => Add(Array("materials"), new JsonObject
    {
        ["pbrMetallicRoughness"] = new JsonObject { ["baseColorFactor"] = new JsonArray(baseColor.X, baseColor.Y, baseColor.Z, baseColor.W) },
    });

    public static JsonObject Primitive(int positions, int? normals = null, int? indices = null, int? material = null)
    {
        var attributes = new JsonObject { ["POSITION"] = positions };
        if (normals is int n) attributes["NORMAL"] = n;
        var primitive = new JsonObject { ["attributes"] = attributes };
        if (indices is int i) primitive["indices"] = i;
        if (material is int m) primitive["material"] = m;
        return primitive;
    }

    public int AddMesh(params JsonObject[] primitives) => Add(Array("meshes"), new JsonObject { ["primitives"] = new JsonArray(primitives) });

    public int AddNode(JsonObject node) => Add(Array("nodes"), node);

    public int AddScene(params int[] nodes) => Add(Array("scenes"), new JsonObject { ["nodes"] = new JsonArray([.. nodes.Select(n => (JsonNode)n)]) });

    /// <summary>A cube of <paramref name="half"/> from the primitive generator, as one indexed mesh with normals.</summary>
    public int AddCubeMesh(float half = 0.5f, int? material = null, int indexType = 5123)
    {
        MeshData box = MeshPrimitives.Box(new Vector3(half));
        int p = AddVec3(box.PositionsM.ToArray());
        int n = AddVec3(box.Normals.ToArray());
        int i = AddIndices(box.Indices.ToArray(), indexType);
        return AddMesh(Primitive(p, n, i, material));
    }

    private JsonObject Finish(string? uri, Action<JsonObject>? edit)
    {
        var root = (JsonObject)Root.DeepClone();
        if (_bin.Length > 0)
        {
            var buffer = new JsonObject { ["byteLength"] = _bin.Length };
            if (uri is not null) buffer["uri"] = uri;
            root["buffers"] = new JsonArray(buffer);
        }
        edit?.Invoke(root);
        return root;
    }

    private byte[] PaddedBin()
    {
        byte[] bin = _bin.ToArray();
        return bin.Length % 4 == 0 ? bin : [.. bin, .. new byte[4 - bin.Length % 4]];
    }

    public byte[] ToGlb(Action<JsonObject>? edit = null) => Glb(Encoding.UTF8.GetBytes(Finish(null, edit).ToJsonString()), _bin.Length > 0 ? PaddedBin() : null);

    public byte[] ToGltfWithDataUri(Action<JsonObject>? edit = null) =>
        Encoding.UTF8.GetBytes(Finish("data:application/octet-stream;base64," + Convert.ToBase64String(_bin.ToArray()), edit).ToJsonString());

    public (byte[] Json, byte[] Bin) ToGltfWithExternal(string binName, Action<JsonObject>? edit = null) =>
        (Encoding.UTF8.GetBytes(Finish(binName, edit).ToJsonString()), _bin.ToArray());

    /// <summary>A GLB container: header, JSON chunk padded with spaces, BIN chunk (if any) padded with zeros.</summary>
    public static byte[] Glb(byte[] json, byte[]? bin)
    {
        byte[] paddedJson = json.Length % 4 == 0 ? json : [.. json, .. Enumerable.Repeat((byte)' ', 4 - json.Length % 4)];
        var output = new MemoryStream();
        void U32(uint v)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, v);
            output.Write(b);
        }
        int length = 12 + 8 + paddedJson.Length + (bin is null ? 0 : 8 + bin.Length);
        U32(GltfLoader.GlbMagic);
        U32(2);
        U32((uint)length);
        U32((uint)paddedJson.Length);
        U32(GltfLoader.ChunkTypeJson);
        output.Write(paddedJson);
        if (bin is not null)
        {
            U32((uint)bin.Length);
            U32(GltfLoader.ChunkTypeBin);
            output.Write(bin);
        }
        return output.ToArray();
    }
}
