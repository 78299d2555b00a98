using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Stage.Render.Meshes;

/// <summary>
/// Reads one parsed glTF asset. Every read of the JSON goes through a helper that knows the JSON path it
/// reads, so a fault is always reported where it is. Sizes are checked in 128-bit arithmetic before any
/// allocation, so a hostile count cannot allocate more than the file holds.
/// </summary>
internal sealed partial class GltfReader
{
    private const float NormalLengthTolerance = 0.02f;
    private const float QuaternionLengthTolerance = 0.01f;

    private readonly string _source;
    private readonly string? _baseDirectory;
    private readonly byte[] _json;
    private readonly byte[]? _bin;
    private readonly bool _isGlb;
    private readonly Dictionary<int, byte[]> _bufferData = [];
    private JsonElement[] _buffers = [];
    private JsonElement[] _bufferViews = [];
    private JsonElement[] _accessors = [];
    private JsonElement[] _materials = [];

    public GltfReader(string source, string? baseDirectory, byte[] json, byte[]? bin, bool isGlb)
    {
        _source = source;
        _baseDirectory = baseDirectory;
        _json = json;
        _bin = bin;
        _isGlb = isGlb;
    }

    public GltfModel Read()
    {
        CheckUtf8();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(_json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            string place = ex.LineNumber is long line && ex.BytePositionInLine is long column
                ? GltfLoader.Invariant($"line {line + 1}, column {column + 1}")
                : "";
            throw new GltfException(_source, place, "invalid JSON: " + GltfLoader.JsonErrorReason(ex), ex);
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Fail("", $"the top level must be a JSON object, found {GltfLoader.Describe(root)}");
            CheckAsset(root);
            CheckExtensionsRequired(root);
            _buffers = TopArray(root, "buffers");
            _bufferViews = TopArray(root, "bufferViews");
            _accessors = TopArray(root, "accessors");
            _materials = TopArray(root, "materials");
            JsonElement[] meshes = TopArray(root, "meshes");
            var gltfMeshes = new GltfMesh[meshes.Length];
            for (int m = 0; m < meshes.Length; m++) gltfMeshes[m] = ReadMesh(meshes[m], m);
            (int? scene, List<GltfMeshInstance> instances) = ReadScene(root, meshes.Length);
            return new GltfModel(_source, scene, gltfMeshes, instances);
        }
    }

    /// <summary>The parser only checks UTF-8 inside strings when they are read; check all of it first.</summary>
    private void CheckUtf8()
    {
        ReadOnlySpan<byte> text = _json;
        int line = 1, lineStart = 0;
        for (int at = 0; at < text.Length;)
        {
            if (System.Text.Rune.DecodeFromUtf8(text[at..], out System.Text.Rune rune, out int consumed) != System.Buffers.OperationStatus.Done)
                throw Fail(GltfLoader.Invariant($"line {line}, column {at - lineStart + 1}"), $"invalid UTF-8 (byte 0x{text[at]:X2} at offset {at} of the JSON)");
            at += consumed;
            if (rune.Value == '\n')
            {
                line++;
                lineStart = at;
            }
        }
    }

    // ---- asset, extensions ----

    private void CheckAsset(JsonElement root)
    {
        JsonElement asset = RequireObject(root, "asset", "asset");
        string version = RequireString(asset, "version", "asset.version");
        if (ParseVersion(version, "asset.version").Major != 2) throw Fail("asset.version", $"glTF {version} is not supported (only 2.x)");
        if (OptionalString(asset, "minVersion", "asset.minVersion") is string min)
        {
            (int minMajor, int minMinor) = ParseVersion(min, "asset.minVersion");
            if (minMajor != 2 || minMinor > 0) throw Fail("asset.minVersion", $"the asset needs glTF {min}; this loader reads 2.0");
        }
    }

    private (int Major, int Minor) ParseVersion(string version, string place)
    {
        Match match = VersionPattern().Match(version);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, out int major) || !int.TryParse(match.Groups[2].Value, out int minor))
            throw Fail(place, $"\"{GltfLoader.Truncate(version)}\" is not a version of the form <major>.<minor>");
        return (major, minor);
    }

    [GeneratedRegex(@"^([0-9]{1,6})\.([0-9]{1,6})$")]
    private static partial Regex VersionPattern();

    private void CheckExtensionsRequired(JsonElement root)
    {
        if (Optional(root, "extensionsRequired") is not JsonElement required) return;
        if (required.ValueKind != JsonValueKind.Array) throw Fail("extensionsRequired", $"expected an array of names, found {GltfLoader.Describe(required)}");
        var names = new List<string>();
        int i = 0;
        foreach (JsonElement name in required.EnumerateArray())
        {
            if (name.ValueKind != JsonValueKind.String) throw Fail($"extensionsRequired[{i}]", $"expected a name, found {GltfLoader.Describe(name)}");
            names.Add(GltfLoader.Truncate(name.GetString() ?? ""));
            i++;
        }
        if (names.Count > 0)
            throw Fail("extensionsRequired", $"the asset requires {string.Join(", ", names)}, which this loader does not support (it supports no extensions)");
    }

    // ---- meshes ----

    private GltfMesh ReadMesh(JsonElement mesh, int m)
    {
        string place = $"meshes[{m}]";
        if (mesh.ValueKind != JsonValueKind.Object) throw Fail(place, $"expected an object, found {GltfLoader.Describe(mesh)}");
        string? name = OptionalString(mesh, "name", place + ".name");
        JsonElement[] primitives = RequireArray(mesh, "primitives", place + ".primitives");
        if (primitives.Length == 0) throw Fail(place + ".primitives", "a mesh needs at least one primitive");
        var positions = new List<Vector3>();
        var normals = new List<Vector3>();
        var indices = new List<uint>();
        var submeshes = new List<MeshSubmesh>();
        for (int p = 0; p < primitives.Length; p++)
        {
            string pp = $"{place}.primitives[{p}]";
            if (ReadPrimitive(primitives[p], pp) is not MeshData part) continue;
            uint baseVertex = (uint)positions.Count;
            submeshes.Add(new MeshSubmesh(indices.Count, part.Indices.Length, part.Submeshes[0].BaseColorLinear));
            positions.AddRange(part.PositionsM);
            normals.AddRange(part.Normals);
            foreach (uint i in part.Indices) indices.Add(baseVertex + i);
        }
        return new GltfMesh(m, name, new MeshData([.. positions], [.. normals], [.. indices], submeshes));
    }

    private MeshData? ReadPrimitive(JsonElement primitive, string place)
    {
        if (primitive.ValueKind != JsonValueKind.Object) throw Fail(place, $"expected an object, found {GltfLoader.Describe(primitive)}");
        long mode = OptionalInteger(primitive, "mode", place + ".mode", 0, 6) ?? 4;
        if (mode != 4)
        {
            string[] modeNames = ["POINTS", "LINES", "LINE_LOOP", "LINE_STRIP", "TRIANGLES", "TRIANGLE_STRIP", "TRIANGLE_FAN"];
            throw Fail(place + ".mode", $"{mode} ({modeNames[mode]}) is not supported; only 4 (TRIANGLES)");
        }
        JsonElement attributes = RequireObject(primitive, "attributes", place + ".attributes");
        // No positions: the specification says to skip the primitive.
        if (Optional(attributes, "POSITION") is null) return null;
        string positionPlace = place + ".attributes.POSITION";
        int positionAccessor = RequireIndex(attributes, "POSITION", positionPlace, _accessors.Length, "accessors");
        Vector3[] positions = ReadVec3Floats(positionAccessor, positionPlace);

        Vector3[]? normals = null;
        if (Optional(attributes, "NORMAL") is not null)
        {
            string normalPlace = place + ".attributes.NORMAL";
            int normalAccessor = RequireIndex(attributes, "NORMAL", normalPlace, _accessors.Length, "accessors");
            normals = ReadVec3Floats(normalAccessor, normalPlace);
            if (normals.Length != positions.Length)
                throw Fail(normalPlace, $"accessors[{normalAccessor}] has {normals.Length} elements but POSITION has {positions.Length}; all attributes of a primitive need the same count");
            for (int v = 0; v < normals.Length; v++)
            {
                float length = normals[v].Length();
                if (MathF.Abs(length - 1) > NormalLengthTolerance)
                    throw Fail(normalPlace, GltfLoader.Invariant($"accessors[{normalAccessor}] element {v} ({normals[v].X}, {normals[v].Y}, {normals[v].Z}) has length {length:G6}; normals must be unit length"));
                normals[v] /= length;
            }
        }

        uint[] indices;
        if (Optional(primitive, "indices") is not null)
        {
            string indexPlace = place + ".indices";
            int indexAccessor = RequireIndex(primitive, "indices", indexPlace, _accessors.Length, "accessors");
            indices = ReadIndices(indexAccessor, indexPlace, positions.Length);
        }
        else
        {
            if (positions.Length % 3 != 0)
                throw Fail(positionPlace, $"{positions.Length} vertices without indices is not a whole number of triangles");
            indices = new uint[positions.Length];
            for (int i = 0; i < indices.Length; i++) indices[i] = (uint)i;
        }

        Vector4 color = MeshData.DefaultBaseColor;
        if (Optional(primitive, "material") is not null)
        {
            int material = RequireIndex(primitive, "material", place + ".material", _materials.Length, "materials");
            color = ReadBaseColor(material);
        }
        return normals is null
            ? MeshData.WithFlatNormals(positions, indices, color)
            : new MeshData(positions, normals, indices, baseColorLinear: color);
    }

    private Vector4 ReadBaseColor(int material)
    {
        string place = $"materials[{material}]";
        JsonElement element = _materials[material];
        if (element.ValueKind != JsonValueKind.Object) throw Fail(place, $"expected an object, found {GltfLoader.Describe(element)}");
        if (Optional(element, "pbrMetallicRoughness") is null) return MeshData.DefaultBaseColor;
        JsonElement pbr = RequireObject(element, "pbrMetallicRoughness", place + ".pbrMetallicRoughness");
        string colorPlace = place + ".pbrMetallicRoughness.baseColorFactor";
        if (OptionalNumbers(pbr, "baseColorFactor", colorPlace, 4) is not float[] f) return MeshData.DefaultBaseColor;
        for (int i = 0; i < 4; i++)
        {
            if (f[i] < 0 || f[i] > 1) throw Fail($"{colorPlace}[{i}]", GltfLoader.Invariant($"{f[i]} is outside 0..1"));
        }
        return new Vector4(f[0], f[1], f[2], f[3]);
    }

    // ---- accessors ----

    /// <summary>Where an accessor's elements lie: element k at <c>Data[Start + k × Stride]</c>.</summary>
    private readonly record struct AccessorView(int Index, byte[] Data, long Start, int Stride, int ComponentType, string Type, long Count, bool Normalized);

    private Vector3[] ReadVec3Floats(int accessor, string place)
    {
        AccessorView view = ResolveAccessor(accessor, place, vertexAttribute: true);
        var result = new Vector3[view.Count];
        for (long k = 0; k < view.Count; k++)
        {
            ReadOnlySpan<byte> bytes = view.Data.AsSpan((int)(view.Start + k * view.Stride), 12);
            var v = new Vector3(
                BinaryPrimitives.ReadSingleLittleEndian(bytes),
                BinaryPrimitives.ReadSingleLittleEndian(bytes[4..]),
                BinaryPrimitives.ReadSingleLittleEndian(bytes[8..]));
            if (!float.IsFinite(v.X) || !float.IsFinite(v.Y) || !float.IsFinite(v.Z))
                throw Fail(place, GltfLoader.Invariant($"accessors[{accessor}] element {k} is ({v.X}, {v.Y}, {v.Z}); NaN and infinity are not allowed"));
            result[k] = v;
        }
        return result;
    }

    private uint[] ReadIndices(int accessor, string place, int vertexCount)
    {
        AccessorView view = ResolveAccessor(accessor, place, vertexAttribute: false);
        if (view.Count % 3 != 0) throw Fail(place, $"accessors[{accessor}] has {view.Count} indices, not a whole number of triangles");
        int size = ComponentSize(view.ComponentType);
        uint restart = view.ComponentType switch { 5121 => byte.MaxValue, 5123 => ushort.MaxValue, _ => uint.MaxValue };
        var result = new uint[view.Count];
        for (long k = 0; k < view.Count; k++)
        {
            ReadOnlySpan<byte> bytes = view.Data.AsSpan((int)(view.Start + k * size), size);
            uint index = size switch
            {
                1 => bytes[0],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
                _ => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            };
            if (index == restart)
                throw Fail(place, $"accessors[{accessor}] element {k} is {index}, the primitive-restart value of {ComponentName(view.ComponentType)}, which glTF forbids");
            if (index >= (uint)vertexCount)
                throw Fail(place, $"accessors[{accessor}] element {k} is {index}, out of range for {vertexCount} vertices");
            result[k] = index;
        }
        return result;
    }

    /// <summary>
    /// Checks an accessor and where it reads. <paramref name="vertexAttribute"/>: a POSITION or NORMAL
    /// (VEC3 of float, strided by its view); otherwise indices (SCALAR of an unsigned integer, packed).
    /// </summary>
    private AccessorView ResolveAccessor(int index, string place, bool vertexAttribute)
    {
        string ap = $"accessors[{index}]";
        JsonElement accessor = _accessors[index];
        if (accessor.ValueKind != JsonValueKind.Object) throw Fail(place, $"{ap} is {GltfLoader.Describe(accessor)}, not an object");
        if (Optional(accessor, "sparse") is not null) throw Fail(place, $"{ap} is sparse; sparse accessors are not supported");
        if (Optional(accessor, "bufferView") is null)
            throw Fail(place, $"{ap} has no bufferView (its data would come from sparse substitution or an extension, which are not supported)");
        int viewIndex = RequireIndex(accessor, "bufferView", $"{place}: {ap}.bufferView", _bufferViews.Length, "bufferViews");
        long byteOffset = OptionalInteger(accessor, "byteOffset", $"{place}: {ap}.byteOffset", 0, long.MaxValue) ?? 0;
        int componentType = (int)RequireInteger(accessor, "componentType", $"{place}: {ap}.componentType", 0, int.MaxValue);
        if (componentType is not (5120 or 5121 or 5122 or 5123 or 5125 or 5126))
            throw Fail(place, $"{ap}.componentType {componentType} is not a glTF component type (5120, 5121, 5122, 5123, 5125, 5126)");
        bool normalized = OptionalBool(accessor, "normalized", $"{place}: {ap}.normalized") ?? false;
        if (normalized && componentType is 5125 or 5126)
            throw Fail(place, $"{ap} is normalized with componentType {componentType}; only 8- and 16-bit integers may be normalized");
        long count = RequireInteger(accessor, "count", $"{place}: {ap}.count", 1, long.MaxValue);
        string type = RequireString(accessor, "type", $"{place}: {ap}.type");
        int components = type switch
        {
            "SCALAR" => 1,
            "VEC2" => 2,
            "VEC3" => 3,
            "VEC4" => 4,
            "MAT2" => 4,
            "MAT3" => 9,
            "MAT4" => 16,
            _ => throw Fail(place, $"{ap}.type \"{GltfLoader.Truncate(type)}\" is not SCALAR, VEC2, VEC3, VEC4, MAT2, MAT3 or MAT4"),
        };
        // The format this use needs, checked before the layout so that the first fault reported is the deepest one.
        if (vertexAttribute && (type != "VEC3" || componentType != 5126))
            throw Fail(place, $"{ap} is {type} of {ComponentName(componentType)}; this attribute must be VEC3 of 5126 (float)");
        if (!vertexAttribute && (type != "SCALAR" || componentType is not (5121 or 5123 or 5125) || normalized))
            throw Fail(place, $"{ap} is {type} of {ComponentName(componentType)}{(normalized ? " normalized" : "")}; indices must be SCALAR of 5121, 5123 or 5125, not normalized");
        int componentSize = ComponentSize(componentType);
        int elementSize = componentSize * components;

        (byte[] data, long viewStart, long viewLength, int? viewStride) = ResolveBufferView(viewIndex, place);
        if (viewStride is int s && !vertexAttribute)
            throw Fail(place, $"{ap} uses bufferViews[{viewIndex}], which has byteStride {s}; only vertex attributes may be strided");
        int stride = viewStride ?? elementSize;
        if (byteOffset % componentSize != 0 || (viewStart + byteOffset) % componentSize != 0)
            throw Fail(place, $"{ap}.byteOffset {byteOffset} (bufferViews[{viewIndex}] at {viewStart} in its buffer) is not aligned to its {componentSize}-byte components");
        if (vertexAttribute && (byteOffset % 4 != 0 || stride % 4 != 0))
            throw Fail(place, $"{ap} has byteOffset {byteOffset} and stride {stride}; vertex attributes must be aligned to 4 bytes");
        if (stride < elementSize)
            throw Fail(place, $"bufferViews[{viewIndex}].byteStride {stride} is smaller than {ap}'s {elementSize}-byte elements");
        Int128 end = byteOffset + (Int128)stride * (count - 1) + elementSize;
        if (end > viewLength)
            throw Fail(place, $"{ap} reads past the end of bufferView {viewIndex} (byteOffset {byteOffset} + stride {stride} × (count {count} − 1) + {elementSize}-byte element = {end} > byteLength {viewLength})");
        return new AccessorView(index, data, viewStart + byteOffset, stride, componentType, type, count, normalized);
    }

    private (byte[] Data, long Start, long Length, int? Stride) ResolveBufferView(int index, string place)
    {
        string vp = $"bufferViews[{index}]";
        JsonElement view = _bufferViews[index];
        if (view.ValueKind != JsonValueKind.Object) throw Fail(place, $"{vp} is {GltfLoader.Describe(view)}, not an object");
        int buffer = RequireIndex(view, "buffer", $"{place}: {vp}.buffer", _buffers.Length, "buffers");
        long byteOffset = OptionalInteger(view, "byteOffset", $"{place}: {vp}.byteOffset", 0, long.MaxValue) ?? 0;
        long byteLength = RequireInteger(view, "byteLength", $"{place}: {vp}.byteLength", 1, long.MaxValue);
        long? stride = OptionalInteger(view, "byteStride", $"{place}: {vp}.byteStride", 4, 252);
        if (stride is long st && st % 4 != 0) throw Fail(place, $"{vp}.byteStride {st} is not a multiple of 4");
        (byte[] data, long bufferLength) = BufferData(buffer, place);
        if ((Int128)byteOffset + byteLength > bufferLength)
            throw Fail(place, $"{vp} (byteOffset {byteOffset} + byteLength {byteLength} = {(Int128)byteOffset + byteLength}) runs past the end of buffer {buffer} ({bufferLength} bytes)");
        return (data, byteOffset, byteLength, stride is long x ? (int)x : null);
    }

    private (byte[] Data, long Length) BufferData(int index, string place)
    {
        string bp = $"buffers[{index}]";
        JsonElement buffer = _buffers[index];
        if (buffer.ValueKind != JsonValueKind.Object) throw Fail(place, $"{bp} is {GltfLoader.Describe(buffer)}, not an object");
        long byteLength = RequireInteger(buffer, "byteLength", $"{place}: {bp}.byteLength", 1, long.MaxValue);
        if (!_bufferData.TryGetValue(index, out byte[]? data))
        {
            data = LoadBuffer(buffer, index, bp);
            _bufferData[index] = data;
        }
        if (data.LongLength < byteLength)
            throw Fail(bp, $"byteLength says {byteLength} bytes but the data holds {data.LongLength}");
        return (data, byteLength);
    }

    private byte[] LoadBuffer(JsonElement buffer, int index, string bp)
    {
        if (Optional(buffer, "uri") is null)
        {
            if (_isGlb && index == 0)
                return _bin ?? throw Fail(bp, "has no uri, so it is the GLB's BIN chunk, but the GLB has no BIN chunk");
            throw Fail(bp, _isGlb ? "has no uri; only buffers[0] of a GLB may omit it" : "has no uri; a .gltf buffer needs one");
        }
        string uri = RequireString(buffer, "uri", bp + ".uri");
        if (uri.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return DecodeDataUri(uri, bp + ".uri");
        if (uri.Contains("://", StringComparison.Ordinal))
            throw Fail(bp + ".uri", $"\"{GltfLoader.Truncate(uri)}\" is not a relative path; only files beside the asset and data: URIs are read");
        string relative;
        try
        {
            relative = Uri.UnescapeDataString(uri);
        }
        catch (UriFormatException ex)
        {
            throw Fail(bp + ".uri", $"\"{GltfLoader.Truncate(uri)}\" is not a valid URI: {ex.Message}");
        }
        if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Contains('\0', StringComparison.Ordinal))
            throw Fail(bp + ".uri", $"\"{GltfLoader.Truncate(uri)}\" is not a relative path");
        if (_baseDirectory is null)
            throw Fail(bp + ".uri", $"refers to the file \"{GltfLoader.Truncate(uri)}\", but the asset was loaded from memory with no folder to find it in");
        string path = Path.Combine(_baseDirectory, relative);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Fail(bp + ".uri", $"cannot read \"{path}\": {ex.Message}");
        }
    }

    private byte[] DecodeDataUri(string uri, string place)
    {
        int comma = uri.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0) throw Fail(place, "data: URI has no ',' before its data");
        string header = uri[5..comma];
        const string Base64Suffix = ";base64";
        if (!header.EndsWith(Base64Suffix, StringComparison.OrdinalIgnoreCase))
            throw Fail(place, $"data: URI \"data:{GltfLoader.Truncate(header)},...\" is not base64; glTF buffers are embedded as base64");
        string mediaType = header[..^Base64Suffix.Length];
        if (!mediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)
            && !mediaType.Equals("application/gltf-buffer", StringComparison.OrdinalIgnoreCase))
            throw Fail(place, $"data: URI media type \"{GltfLoader.Truncate(mediaType)}\" must be application/octet-stream or application/gltf-buffer");
        try
        {
            return Convert.FromBase64String(uri[(comma + 1)..]);
        }
        catch (FormatException)
        {
            throw Fail(place, "data: URI holds invalid base64");
        }
    }

    private static int ComponentSize(int componentType) => componentType switch
    {
        5120 or 5121 => 1,
        5122 or 5123 => 2,
        _ => 4,
    };

    private static string ComponentName(int componentType) => componentType switch
    {
        5120 => "5120 (byte)",
        5121 => "5121 (unsigned byte)",
        5122 => "5122 (short)",
        5123 => "5123 (unsigned short)",
        5125 => "5125 (unsigned int)",
        5126 => "5126 (float)",
        _ => componentType.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // ---- scenes and nodes ----

    private (int? Scene, List<GltfMeshInstance> Instances) ReadScene(JsonElement root, int meshCount)
    {
        JsonElement[] nodes = TopArray(root, "nodes");
        JsonElement[] scenes = TopArray(root, "scenes");
        int[] parent = ParentsOf(nodes);
        int? sceneIndex = null;
        if (Optional(root, "scene") is not null) sceneIndex = RequireIndex(root, "scene", "scene", scenes.Length, "scenes");
        else if (scenes.Length > 0) sceneIndex = 0;

        var roots = new List<int>();
        if (sceneIndex is int s)
        {
            string sp = $"scenes[{s}]";
            JsonElement scene = scenes[s];
            if (scene.ValueKind != JsonValueKind.Object) throw Fail(sp, $"expected an object, found {GltfLoader.Describe(scene)}");
            if (Optional(scene, "nodes") is not null)
            {
                JsonElement[] sceneNodes = RequireArray(scene, "nodes", sp + ".nodes");
                var seen = new HashSet<int>();
                for (int i = 0; i < sceneNodes.Length; i++)
                {
                    string np = $"{sp}.nodes[{i}]";
                    int node = AsIndex(sceneNodes[i], np, nodes.Length, "nodes");
                    if (parent[node] >= 0) throw Fail(np, $"node {node} is a child of node {parent[node]}; a scene lists only root nodes");
                    if (!seen.Add(node)) throw Fail(np, $"node {node} is listed twice");
                    roots.Add(node);
                }
            }
        }
        else
        {
            // No scenes: a library of entities. Every root node is placed; with no nodes, every mesh at the origin.
            for (int n = 0; n < nodes.Length; n++)
            {
                if (parent[n] < 0) roots.Add(n);
            }
            if (nodes.Length == 0)
            {
                var library = new List<GltfMeshInstance>();
                for (int m = 0; m < meshCount; m++) library.Add(new GltfMeshInstance(-1, null, m, Matrix4x4.Identity));
                return (null, library);
            }
        }

        var instances = new List<GltfMeshInstance>();
        var stack = new Stack<(int Node, Matrix4x4 ParentToModel)>();
        for (int r = roots.Count - 1; r >= 0; r--) stack.Push((roots[r], Matrix4x4.Identity));
        while (stack.Count > 0)
        {
            (int n, Matrix4x4 parentToModel) = stack.Pop();
            string np = $"nodes[{n}]";
            JsonElement node = nodes[n];
            Matrix4x4 nodeToModel = LocalTransform(node, np) * parentToModel;
            if (Optional(node, "mesh") is not null)
            {
                int mesh = RequireIndex(node, "mesh", np + ".mesh", meshCount, "meshes");
                instances.Add(new GltfMeshInstance(n, OptionalString(node, "name", np + ".name"), mesh, nodeToModel));
            }
            if (Optional(node, "children") is not null)
            {
                JsonElement[] children = RequireArray(node, "children", np + ".children");
                for (int c = children.Length - 1; c >= 0; c--) stack.Push((AsIndex(children[c], $"{np}.children[{c}]", nodes.Length, "nodes"), nodeToModel));
            }
        }
        return (sceneIndex, instances);
    }

    /// <summary>Each node's parent (−1 for a root), after checking that the hierarchy is a forest.</summary>
    private int[] ParentsOf(JsonElement[] nodes)
    {
        var parent = new int[nodes.Length];
        Array.Fill(parent, -1);
        for (int n = 0; n < nodes.Length; n++)
        {
            string np = $"nodes[{n}]";
            if (nodes[n].ValueKind != JsonValueKind.Object) throw Fail(np, $"expected an object, found {GltfLoader.Describe(nodes[n])}");
            if (Optional(nodes[n], "children") is null) continue;
            JsonElement[] children = RequireArray(nodes[n], "children", np + ".children");
            for (int c = 0; c < children.Length; c++)
            {
                string cp = $"{np}.children[{c}]";
                int child = AsIndex(children[c], cp, nodes.Length, "nodes");
                if (child == n) throw Fail(cp, $"node {n} lists itself as a child");
                if (parent[child] >= 0) throw Fail(cp, $"node {child} is already a child of node {parent[child]}; a node has at most one parent");
                parent[child] = n;
            }
        }
        // With one parent each, a cycle is a loop of parent links: walk each chain once.
        var state = new byte[nodes.Length];
        var chain = new List<int>();
        for (int n = 0; n < nodes.Length; n++)
        {
            chain.Clear();
            int at = n;
            while (at >= 0 && state[at] == 0)
            {
                state[at] = 1;
                chain.Add(at);
                at = parent[at];
            }
            if (at >= 0 && state[at] == 1) throw Fail($"nodes[{at}]", $"the node hierarchy has a cycle through node {at}");
            foreach (int c in chain) state[c] = 2;
        }
        return parent;
    }

    private Matrix4x4 LocalTransform(JsonElement node, string place)
    {
        bool hasTrs = Optional(node, "translation") is not null || Optional(node, "rotation") is not null || Optional(node, "scale") is not null;
        if (OptionalNumbers(node, "matrix", place + ".matrix", 16) is float[] m)
        {
            if (hasTrs) throw Fail(place, "has both matrix and translation/rotation/scale; a node uses one or the other");
            // glTF stores the column-vector matrix column by column, which is the System.Numerics
            // row-vector matrix (its transpose) row by row: translation lands in M41..M43.
            if (m[3] != 0 || m[7] != 0 || m[11] != 0 || m[15] != 1)
                throw Fail(place + ".matrix", GltfLoader.Invariant($"elements 3, 7, 11, 15 are {m[3]}, {m[7]}, {m[11]}, {m[15]}; an affine transform needs 0, 0, 0, 1"));
            return new Matrix4x4(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], m[10], m[11], m[12], m[13], m[14], m[15]);
        }
        float[] t = OptionalNumbers(node, "translation", place + ".translation", 3) ?? [0, 0, 0];
        float[] r = OptionalNumbers(node, "rotation", place + ".rotation", 4) ?? [0, 0, 0, 1];
        float[] s = OptionalNumbers(node, "scale", place + ".scale", 3) ?? [1, 1, 1];
        var q = new Quaternion(r[0], r[1], r[2], r[3]);
        float length = q.Length();
        if (MathF.Abs(length - 1) > QuaternionLengthTolerance)
            throw Fail(place + ".rotation", GltfLoader.Invariant($"({r[0]}, {r[1]}, {r[2]}, {r[3]}) has length {length:G6}; a rotation is a unit quaternion (x, y, z, w)"));
        q = Quaternion.Normalize(q);
        // T · R · S on column vectors is S · R · T on System.Numerics row vectors: scale first.
        return Matrix4x4.CreateScale(s[0], s[1], s[2]) * Matrix4x4.CreateFromQuaternion(q) * Matrix4x4.CreateTranslation(t[0], t[1], t[2]);
    }

    // ---- JSON helpers: every one knows the path it reads ----

    private GltfException Fail(string place, string detail) => new(_source, place, detail);

    private static JsonElement? Optional(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out JsonElement value) ? value : null;

    private JsonElement[] TopArray(JsonElement root, string name)
    {
        if (Optional(root, name) is null) return [];
        return RequireArray(root, name, name);
    }

    private JsonElement[] RequireArray(JsonElement obj, string name, string place)
    {
        JsonElement value = Optional(obj, name) ?? throw Fail(place, "is required");
        if (value.ValueKind != JsonValueKind.Array) throw Fail(place, $"expected an array, found {GltfLoader.Describe(value)}");
        return [.. value.EnumerateArray()];
    }

    private JsonElement RequireObject(JsonElement obj, string name, string place)
    {
        JsonElement value = Optional(obj, name) ?? throw Fail(place, "is required");
        if (value.ValueKind != JsonValueKind.Object) throw Fail(place, $"expected an object, found {GltfLoader.Describe(value)}");
        return value;
    }

    private string RequireString(JsonElement obj, string name, string place)
    {
        JsonElement value = Optional(obj, name) ?? throw Fail(place, "is required");
        if (value.ValueKind != JsonValueKind.String) throw Fail(place, $"expected a string, found {GltfLoader.Describe(value)}");
        return value.GetString() ?? "";
    }

    private string? OptionalString(JsonElement obj, string name, string place) =>
        Optional(obj, name) is null ? null : RequireString(obj, name, place);

    private bool? OptionalBool(JsonElement obj, string name, string place)
    {
        if (Optional(obj, name) is not JsonElement value) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Fail(place, $"expected true or false, found {GltfLoader.Describe(value)}"),
        };
    }

    private long AsInteger(JsonElement value, string place, long min, long max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long n))
            throw Fail(place, $"expected an integer, found {GltfLoader.Describe(value)}");
        if (n < min || n > max)
            throw Fail(place, max == long.MaxValue ? $"{n} is less than {min}" : $"{n} is outside {min}..{max}");
        return n;
    }

    private long RequireInteger(JsonElement obj, string name, string place, long min, long max) =>
        AsInteger(Optional(obj, name) ?? throw Fail(place, "is required"), place, min, max);

    private long? OptionalInteger(JsonElement obj, string name, string place, long min, long max) =>
        Optional(obj, name) is JsonElement value ? AsInteger(value, place, min, max) : null;

    private int AsIndex(JsonElement value, string place, int count, string arrayName)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long n))
            throw Fail(place, $"expected an index into {arrayName}, found {GltfLoader.Describe(value)}");
        if (n < 0 || n >= count)
            throw Fail(place, count == 0 ? $"{n} refers to {arrayName}, which is empty" : $"{n} is out of range: {arrayName} has {count} entries");
        return (int)n;
    }

    private int RequireIndex(JsonElement obj, string name, string place, int count, string arrayName) =>
        AsIndex(Optional(obj, name) ?? throw Fail(place, "is required"), place, count, arrayName);

    private float[]? OptionalNumbers(JsonElement obj, string name, string place, int length)
    {
        if (Optional(obj, name) is not JsonElement value) return null;
        if (value.ValueKind != JsonValueKind.Array) throw Fail(place, $"expected an array of {length} numbers, found {GltfLoader.Describe(value)}");
        if (value.GetArrayLength() != length) throw Fail(place, $"expected {length} numbers, found {value.GetArrayLength()}");
        var result = new float[length];
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out double d))
                throw Fail($"{place}[{i}]", $"expected a number, found {GltfLoader.Describe(item)}");
            float f = (float)d;
            if (!float.IsFinite(f)) throw Fail($"{place}[{i}]", $"{GltfLoader.Describe(item)} does not fit a 32-bit float");
            result[i++] = f;
        }
        return result;
    }
}
