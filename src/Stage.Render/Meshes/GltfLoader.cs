using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using SharpGLTF.Schema2;
using SharpGLTF.Validation;

namespace Stage.Render.Meshes;

/// <summary>
/// Loads glTF 2.0 assets — <c>.gltf</c> (JSON with external or base64 <c>data:</c> buffers and images) and
/// <c>.glb</c> — through SharpGLTF (validation strict) into <see cref="GltfModel"/>: triangle meshes (TRIANGLES,
/// strips and fans) with positions, normals, TEXCOORD_0/1 and tangents, one submesh per primitive carrying its
/// metallic-roughness <see cref="MeshMaterial"/> (textures with their samplers, UV sets and
/// <c>KHR_texture_transform</c>, <c>KHR_materials_emissive_strength</c>, alpha mode), and the default scene's
/// node hierarchy. glTF space is stage space (right-handed, metres, +Y up): nothing is converted.
/// <para>
/// Every fault raises <see cref="GltfException"/> naming the file and the place (a JSON path such as
/// <c>meshes[0].primitives[1].attributes.POSITION</c>, or what SharpGLTF's validation names, e.g.
/// <c>Accessor[3]</c>); nothing else escapes. Image bytes are kept encoded: they are decoded (StbImageSharp)
/// by the renderer when first drawn, where a bad image is one logged fault and a neutral texture.
/// </para>
/// Ignored: skins (drawn in bind pose under the node's transform), morph targets (base shape), animations,
/// cameras, lights, COLOR_n. Missing normals are computed flat, as the specification requires.
/// </summary>
public static class GltfLoader
{
    /// <summary>GLB header magic, ASCII "glTF" little-endian.</summary>
    public const uint GlbMagic = 0x46546C67;

    /// <summary>GLB chunk type of the JSON chunk, ASCII "JSON".</summary>
    public const uint ChunkTypeJson = 0x4E4F534A;

    /// <summary>GLB chunk type of the binary buffer chunk, ASCII "BIN\0".</summary>
    public const uint ChunkTypeBin = 0x004E4942;

    private const string MemoryAssetName = "asset.gltf";

    /// <summary>
    /// Loads a file (<c>.glb</c> or <c>.gltf</c>, or either by its first bytes); external buffers and images are
    /// found relative to its folder.
    /// </summary>
    /// <exception cref="GltfException">The file cannot be read or is not a valid, supported asset.</exception>
    public static GltfModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
            bytes = File.ReadAllBytes(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new GltfException(path, "", $"cannot read the file: {ex.Message}", ex);
        }
        return Load(bytes, path, Path.GetDirectoryName(fullPath));
    }

    /// <summary>Loads bytes held in memory, as GLB when they start with the GLB magic, else as glTF JSON.</summary>
    /// <param name="bytes">The asset.</param>
    /// <param name="sourceName">Named in errors (a file name or a description) and in texture cache keys.</param>
    /// <param name="baseDirectory">Where relative buffer and image URIs are found; null refuses external files.</param>
    /// <exception cref="GltfException">The bytes are not a valid, supported asset.</exception>
    public static GltfModel Load(ReadOnlySpan<byte> bytes, string sourceName, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        bool glb = bytes.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == GlbMagic;
        return LoadCore(bytes.ToArray(), glb, sourceName, baseDirectory);
    }

    /// <summary>Loads glTF JSON (UTF-8).</summary>
    /// <inheritdoc cref="Load(ReadOnlySpan{byte}, string, string?)"/>
    public static GltfModel LoadGltf(ReadOnlySpan<byte> json, string sourceName, string? baseDirectory = null) =>
        LoadCore(json.ToArray(), glb: false, sourceName ?? throw new ArgumentNullException(nameof(sourceName)), baseDirectory);

    /// <summary>Loads a GLB container.</summary>
    /// <inheritdoc cref="Load(ReadOnlySpan{byte}, string, string?)"/>
    public static GltfModel LoadGlb(ReadOnlySpan<byte> glb, string sourceName, string? baseDirectory = null) =>
        LoadCore(glb.ToArray(), glb: true, sourceName ?? throw new ArgumentNullException(nameof(sourceName)), baseDirectory);

    private static GltfModel LoadCore(byte[] bytes, bool glb, string sourceName, string? baseDirectory)
    {
        ModelRoot root;
        if (glb)
        {
            (byte[] json, _) = ReadContainer(bytes, sourceName);
            GltfReferenceCheck.Run(json, sourceName);
        }
        else
        {
            if (bytes.AsSpan().StartsWith("\uFEFF"u8)) bytes = bytes[3..]; // a byte order mark is allowed before JSON
            GltfReferenceCheck.Run(bytes, sourceName);
        }
        try
        {
            ReadContext context = ReadContext.Create(uri => ReadExternal(uri, bytes, sourceName, baseDirectory));
            context = context.WithSettingsFrom(new ReadSettings { Validation = ValidationMode.Strict });
            using var stream = new MemoryStream(bytes, writable: false);
            root = glb ? context.ReadBinarySchema2(stream) : context.ReadTextSchema2(stream);
        }
        catch (GltfException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw Wrap(sourceName, ex);
        }
        try
        {
            return new ModelReader(sourceName, root).Read();
        }
        catch (GltfException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw Wrap(sourceName, ex);
        }
    }

    /// <summary>GLB container version read.</summary>
    public const uint GlbVersion = 2;

    // The container is checked here before SharpGLTF reads it, so that its faults name the byte.
    private static (byte[] Json, byte[]? Bin) ReadContainer(ReadOnlySpan<byte> glb, string source)
    {
        GltfException Fail(long offset, string detail) => new(source, $"byte {offset}", detail);
        if (glb.Length < 12) throw new GltfException(source, "", $"truncated GLB: {glb.Length} bytes, the header alone needs 12");
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(glb);
        if (magic != GlbMagic) throw Fail(0, $"wrong magic 0x{magic:X8}, a GLB starts with 0x{GlbMagic:X8} (\"glTF\")");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(glb[4..]);
        if (version != GlbVersion) throw Fail(4, $"GLB container version {version} is not supported (only {GlbVersion})");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(glb[8..]);
        if (length > glb.Length) throw Fail(8, $"truncated GLB: the header says {length} bytes, there are {glb.Length}");
        if (length < glb.Length) throw Fail(8, $"the header says {length} bytes but there are {glb.Length}");
        if (length % 4 != 0) throw Fail(8, $"length {length} is not a multiple of 4");

        byte[]? json = null, bin = null;
        long offset = 12;
        for (int chunk = 0; offset < length; chunk++)
        {
            if (length - offset < 8) throw Fail(offset, $"truncated chunk {chunk}: {length - offset} bytes left, a chunk header needs 8");
            uint chunkLength = BinaryPrimitives.ReadUInt32LittleEndian(glb[(int)offset..]);
            uint chunkType = BinaryPrimitives.ReadUInt32LittleEndian(glb[(int)(offset + 4)..]);
            long dataStart = offset + 8;
            if (chunkLength > length - dataStart)
                throw Fail(offset, $"truncated chunk {chunk} ({ChunkName(chunkType)}): it says {chunkLength} bytes, {length - dataStart} are left");
            if (chunkLength % 4 != 0) throw Fail(offset, $"chunk {chunk} ({ChunkName(chunkType)}) length {chunkLength} is not a multiple of 4");
            ReadOnlySpan<byte> data = glb.Slice((int)dataStart, (int)chunkLength);
            if (chunk == 0)
            {
                if (chunkType != ChunkTypeJson) throw Fail(offset, $"the first chunk must be JSON (0x{ChunkTypeJson:X8}), found {ChunkName(chunkType)}");
                json = data.ToArray();
            }
            else if (chunkType == ChunkTypeJson)
            {
                throw Fail(offset, $"chunk {chunk} is a second JSON chunk");
            }
            else if (chunkType == ChunkTypeBin)
            {
                if (chunk != 1) throw Fail(offset, $"chunk {chunk} is BIN; the BIN chunk must be the second chunk");
                bin = data.ToArray();
            }
            // Unknown chunk types are skipped, as the specification asks (extensions may add them).
            offset = dataStart + chunkLength;
        }
        if (json is null) throw Fail(12, "the GLB has no JSON chunk");
        return (json, bin);
    }

    private static string ChunkName(uint type) => type switch
    {
        ChunkTypeJson => "JSON",
        ChunkTypeBin => "BIN",
        _ => $"type 0x{type:X8}",
    };


    /// <summary>Reads a buffer or image file the asset names: relative to the asset's folder only; never absolute or remote.</summary>
    private static ArraySegment<byte> ReadExternal(string uri, byte[] self, string sourceName, string? baseDirectory)
    {
        if (uri == MemoryAssetName) return self;
        string place = $"uri \"{Truncate(uri)}\"";
        if (baseDirectory is null) throw new GltfException(sourceName, place, "external files cannot be read for an asset loaded from memory");
        string decoded = Uri.UnescapeDataString(uri);
        if (decoded.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(decoded))
            throw new GltfException(sourceName, place, "absolute or remote URIs are refused; give a path relative to the asset");
        try
        {
            return File.ReadAllBytes(Path.Combine(baseDirectory, decoded));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new GltfException(sourceName, place, $"cannot read {decoded}: {ex.Message}", ex);
        }
    }

    // SharpGLTF's validation messages read "<Object>[i] <Field>: <what>" (or "ModelRoot LogicalNode[2]: …"), end with an
    // advice to run the Khronos validator, and JSON errors carry "LineNumber: L | BytePositionInLine: B" (both from 0).
    private static readonly Regex JsonPosition = new(@"LineNumber: (?<line>\d+) \| BytePositionInLine: (?<byte>\d+)\.?", RegexOptions.CultureInvariant);
    private static readonly Regex LibraryObject = new(@"^(?:ModelRoot\s+)?(?:Logical)?(?<obj>[A-Z][A-Za-z]*)(?:\[(?<index>\d+)\])?(?:\s+|:\s*)(?<rest>.*)$",
        RegexOptions.Singleline | RegexOptions.CultureInvariant);
    private static readonly Regex LibraryField = new(@"^_?(?<field>[A-Za-z]+):\s*(?<rest>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant);

    private static GltfException Wrap(string sourceName, Exception ex)
    {
        // Reach the innermost exception that still says something (reflection and aggregate wrappers say little).
        Exception e = ex;
        while (e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException is not null) e = e.InnerException;
        if (e is GltfException g) return g;
        string message = e.Message.ReplaceLineEndings(" ").Trim();
        int advice = message.IndexOf("Model generated by", StringComparison.Ordinal);
        if (advice >= 0) message = message[..advice].Trim();
        Match position = JsonPosition.Match(message);
        if (position.Success)
        {
            long line = long.Parse(position.Groups["line"].Value, CultureInfo.InvariantCulture) + 1;
            long column = long.Parse(position.Groups["byte"].Value, CultureInfo.InvariantCulture) + 1;
            string detail = message.Replace(position.Value, "", StringComparison.Ordinal).Replace("ModelRoot ", "", StringComparison.Ordinal).Trim();
            return new GltfException(sourceName, Invariant($"line {line}, column {column}"), "invalid JSON: " + detail.TrimEnd('.', ' '), ex);
        }
        if (e is System.Text.Json.JsonException json && json.LineNumber is long l)
            return new GltfException(sourceName, Invariant($"line {l + 1}, column {(json.BytePositionInLine ?? 0) + 1}"), "invalid JSON: " + message, ex);
        return new GltfException(sourceName, PlaceOf(ref message), message.Length == 0 ? e.GetType().Name : message, ex);
    }

    /// <summary>The JSON path SharpGLTF's message names (<c>Node[0] Rotation: …</c> → <c>nodes[0].rotation</c>), cut from the message.</summary>
    private static string PlaceOf(ref string message)
    {
        Match m = LibraryObject.Match(message);
        if (!m.Success) return "";
        string? collection = m.Groups["obj"].Value switch
        {
            "Asset" => "asset",
            "Extensions" => "extensionsRequired",
            "Node" => "nodes",
            "Mesh" => "meshes",
            "MeshPrimitive" => "primitives",
            "Accessor" or "AccessorSparse" => "accessors",
            "BufferView" => "bufferViews",
            "Buffer" => "buffers",
            "Material" => "materials",
            "Texture" => "textures",
            "TextureSampler" => "samplers",
            "Image" => "images",
            "Scene" => "scenes",
            "Skin" => "skins",
            "Camera" => "cameras",
            "Animation" => "animations",
            _ => null,
        };
        if (collection is null)
        {
            // The whole model is at fault, or the library names nothing we can map: say so without a place.
            if (message.StartsWith("ModelRoot ", StringComparison.Ordinal)) message = message["ModelRoot ".Length..];
            return "";
        }
        string rest = m.Groups["rest"].Value.Trim();
        string place = m.Groups["index"].Success ? $"{collection}[{m.Groups["index"].Value}]" : collection;
        Match repeated = LibraryObject.Match(rest);
        if (repeated.Success && repeated.Groups["obj"].Value == m.Groups["obj"].Value && repeated.Groups["index"].Value == m.Groups["index"].Value && rest.Contains(':'))
            rest = repeated.Groups["rest"].Value.Trim();
        Match field = LibraryField.Match(rest);
        if (field.Success && field.Groups["rest"].Value.Length > 0)
        {
            string name = field.Groups["field"].Value;
            name = char.ToLowerInvariant(name[0]) + name[1..];
            place = place.Length == 0 ? name : place == "extensionsRequired" ? place : $"{place}.{name}";
            rest = field.Groups["rest"].Value.Trim();
        }
        message = rest.Length > 0 ? rest : message;
        return place;
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    internal static string Truncate(string text) => text.Length <= 60 ? text : text[..57] + "...";

    /// <summary>Turns SharpGLTF's object model into meshes, materials and instances, naming places as JSON paths.</summary>
    private sealed class ModelReader(string sourceName, ModelRoot root)
    {
        private readonly Dictionary<int, MeshMaterial> _materials = [];
        private readonly Dictionary<int, TextureImage> _images = [];

        private GltfException Fail(string place, string detail) => new(sourceName, place, detail);

        public GltfModel Read()
        {
            foreach (string required in root.ExtensionsRequired)
            {
                if (required is not ("KHR_texture_transform" or "KHR_materials_emissive_strength"))
                    throw Fail("extensionsRequired", $"extension {required} is required by the asset and not supported");
            }
            var meshes = new List<GltfMesh>();
            foreach (Mesh mesh in root.LogicalMeshes) meshes.Add(new GltfMesh(mesh.LogicalIndex, mesh.Name, ReadMesh(mesh)));
            var instances = new List<GltfMeshInstance>();
            SharpGLTF.Schema2.Scene? scene = root.DefaultScene ?? (root.LogicalScenes.Count > 0 ? root.LogicalScenes[0] : null);
            if (scene is not null)
            {
                foreach (Node node in scene.VisualChildren) Walk(node, Matrix4x4.Identity, instances);
            }
            else if (root.LogicalNodes.Count > 0)
            {
                foreach (Node node in root.LogicalNodes) if (node.VisualParent is null) Walk(node, Matrix4x4.Identity, instances);
            }
            else
            {
                foreach (GltfMesh mesh in meshes) instances.Add(new GltfMeshInstance(-1, null, mesh.Index, Matrix4x4.Identity));
            }
            return new GltfModel(sourceName, scene?.LogicalIndex, meshes, instances);
        }

        private void Walk(Node node, Matrix4x4 parentToModel, List<GltfMeshInstance> instances)
        {
            // Composed here, parent first (row vectors: local · parent), rather than by Node.WorldMatrix, which refuses
            // a product it cannot decompose; one that overflows is kept and left out by GltfModel.ToSceneMesh.
            Matrix4x4 world = node.LocalMatrix * parentToModel;
            if (node.Mesh is not null) instances.Add(new GltfMeshInstance(node.LogicalIndex, node.Name, node.Mesh.LogicalIndex, world));
            foreach (Node child in node.VisualChildren) Walk(child, world, instances);
        }

        private MeshData ReadMesh(Mesh mesh)
        {
            var parts = new List<MeshData>();
            foreach (MeshPrimitive primitive in mesh.Primitives)
            {
                string place = $"meshes[{mesh.LogicalIndex}].primitives[{primitive.LogicalIndex}]";
                if (primitive.DrawPrimitiveType is not (PrimitiveType.TRIANGLES or PrimitiveType.TRIANGLE_STRIP or PrimitiveType.TRIANGLE_FAN))
                    throw Fail(place + ".mode", $"mode {primitive.DrawPrimitiveType} is not drawable (only triangles, strips and fans)");
                Accessor? positionAccessor = primitive.GetVertexAccessor("POSITION");
                if (positionAccessor is null) continue; // the specification: primitives without positions are skipped
                Vector3[] positions = Vec3(positionAccessor, place + ".attributes.POSITION");
                uint[] indices = Triangles(primitive, positions.Length, place);
                MeshMaterial material = primitive.Material is null ? MeshMaterial.Default : MaterialOf(primitive.Material);
                Vector2[]? uv0 = Uv(primitive, 0, place);
                Vector2[]? uv1 = Uv(primitive, 1, place);
                Accessor? normalAccessor = primitive.GetVertexAccessor("NORMAL");
                Accessor? tangentAccessor = primitive.GetVertexAccessor("TANGENT");
                var sub = new MeshSubmesh(0, indices.Length, material.BaseColorFactor) { Material = material };
                if (normalAccessor is null)
                {
                    // Flat normals: three vertices of its own per triangle (given tangents no longer match them).
                    var p = new Vector3[indices.Length];
                    var n = new Vector3[indices.Length];
                    var flat = new uint[indices.Length];
                    Vector2[]? f0 = uv0 is null ? null : new Vector2[indices.Length];
                    Vector2[]? f1 = uv1 is null ? null : new Vector2[indices.Length];
                    for (int i = 0; i < indices.Length; i += 3)
                    {
                        for (int k = 0; k < 3; k++)
                        {
                            int v = (int)indices[i + k];
                            p[i + k] = positions[v];
                            if (f0 is not null) f0[i + k] = uv0![v];
                            if (f1 is not null) f1[i + k] = uv1![v];
                            flat[i + k] = (uint)(i + k);
                        }
                        n[i] = n[i + 1] = n[i + 2] = MeshData.FaceNormal(p[i], p[i + 1], p[i + 2]);
                    }
                    parts.Add(new MeshData(p, n, flat, [sub], texCoords0: f0, texCoords1: f1));
                    continue;
                }
                Vector3[] normals = Vec3(normalAccessor, place + ".attributes.NORMAL");
                if (normals.Length != positions.Length) throw Fail(place + ".attributes.NORMAL", $"{normals.Length} normals for {positions.Length} positions");
                for (int v = 0; v < normals.Length; v++)
                {
                    float length = normals[v].Length();
                    if (MathF.Abs(length - 1) > 0.02f)
                        throw Fail(place + ".attributes.NORMAL", Invariant($"element {v} has length {length:G6}; normals must be unit length"));
                    normals[v] /= length;
                }
                Vector4[]? tangents = null;
                if (tangentAccessor is not null)
                {
                    string tplace = place + ".attributes.TANGENT";
                    if (tangentAccessor.Dimensions != DimensionType.VEC4 || tangentAccessor.Count != positions.Length)
                        throw Fail(tplace, $"must be {positions.Length} VEC4, is {tangentAccessor.Count} {tangentAccessor.Dimensions}");
                    tangents = [.. tangentAccessor.AsVector4Array()];
                    for (int v = 0; v < tangents.Length; v++)
                    {
                        Vector4 t = tangents[v];
                        if (!(float.IsFinite(t.X) && float.IsFinite(t.Y) && float.IsFinite(t.Z)) || MathF.Abs(MathF.Abs(t.W) - 1) > 1e-3f)
                            throw Fail(tplace, Invariant($"element {v} ({t.X:G6}, {t.Y:G6}, {t.Z:G6}, {t.W:G6}) is not a unit tangent with w ±1"));
                    }
                }
                parts.Add(new MeshData(positions, normals, indices, [sub], texCoords0: uv0, texCoords1: uv1, tangents: tangents));
            }
            return MeshData.Combine(parts);
        }

        private Vector3[] Vec3(Accessor accessor, string place)
        {
            if (accessor.Dimensions != DimensionType.VEC3 || accessor.Encoding != EncodingType.FLOAT)
                throw Fail(place, $"must be VEC3 of FLOAT, is {accessor.Dimensions} of {accessor.Encoding}");
            Vector3[] values = [.. accessor.AsVector3Array()];
            for (int v = 0; v < values.Length; v++)
            {
                if (!(float.IsFinite(values[v].X) && float.IsFinite(values[v].Y) && float.IsFinite(values[v].Z)))
                    throw Fail(place, Invariant($"element {v} ({values[v].X:G6}, {values[v].Y:G6}, {values[v].Z:G6}) is not finite"));
            }
            return values;
        }

        private Vector2[]? Uv(MeshPrimitive primitive, int set, string place)
        {
            Accessor? accessor = primitive.GetVertexAccessor($"TEXCOORD_{set}");
            if (accessor is null) return null;
            string uvPlace = $"{place}.attributes.TEXCOORD_{set}";
            if (accessor.Dimensions != DimensionType.VEC2) throw Fail(uvPlace, $"must be VEC2, is {accessor.Dimensions}");
            Vector2[] values = [.. accessor.AsVector2Array()];
            for (int v = 0; v < values.Length; v++)
            {
                if (!(float.IsFinite(values[v].X) && float.IsFinite(values[v].Y)))
                    throw Fail(uvPlace, Invariant($"element {v} ({values[v].X:G6}, {values[v].Y:G6}) is not finite"));
            }
            if (values.Length != primitive.GetVertexAccessor("POSITION").Count)
                throw Fail(uvPlace, $"{values.Length} elements for {primitive.GetVertexAccessor("POSITION").Count} positions");
            return values;
        }

        private uint[] Triangles(MeshPrimitive primitive, int vertexCount, string place)
        {
            var list = new List<uint>();
            foreach ((int a, int b, int c) in primitive.GetTriangleIndices())
            {
                foreach (int i in (ReadOnlySpan<int>)[a, b, c])
                {
                    if ((uint)i >= (uint)vertexCount) throw Fail(place + ".indices", $"index {i} is out of range ({vertexCount} vertices)");
                }
                list.Add((uint)a);
                list.Add((uint)b);
                list.Add((uint)c);
            }
            return [.. list];
        }

        private MeshMaterial MaterialOf(Material material)
        {
            if (_materials.TryGetValue(material.LogicalIndex, out MeshMaterial? known)) return known;
            string place = $"materials[{material.LogicalIndex}]";
            var result = new MeshMaterial
            {
                Name = material.Name,
                AlphaMode = material.Alpha switch
                {
                    AlphaMode.MASK => MaterialAlphaMode.Mask,
                    AlphaMode.BLEND => MaterialAlphaMode.Blend,
                    _ => MaterialAlphaMode.Opaque,
                },
                AlphaCutoff = material.AlphaCutoff,
                DoubleSided = material.DoubleSided,
            };
            if (material.FindChannel("BaseColor") is MaterialChannel baseColor)
            {
                Vector4 c = baseColor.Color;
                if (!InUnitRange(c)) throw Fail(place + ".pbrMetallicRoughness.baseColorFactor", Invariant($"({c.X:G6}, {c.Y:G6}, {c.Z:G6}, {c.W:G6}) is not within 0..1"));
                result = result with { BaseColorFactor = c, BaseColorTexture = TextureOf(baseColor, place + ".pbrMetallicRoughness.baseColorTexture") };
            }
            if (material.FindChannel("MetallicRoughness") is MaterialChannel mr)
            {
                float metallic = mr.GetFactor("MetallicFactor"), roughness = mr.GetFactor("RoughnessFactor");
                if (!(metallic is >= 0 and <= 1) || !(roughness is >= 0 and <= 1))
                    throw Fail(place + ".pbrMetallicRoughness", Invariant($"metallicFactor {metallic:G6} and roughnessFactor {roughness:G6} must be within 0..1"));
                result = result with { MetallicFactor = metallic, RoughnessFactor = roughness, MetallicRoughnessTexture = TextureOf(mr, place + ".pbrMetallicRoughness.metallicRoughnessTexture") };
            }
            if (material.FindChannel("Normal") is MaterialChannel normal)
            {
                result = result with { NormalScale = normal.GetFactor("NormalScale"), NormalTexture = TextureOf(normal, place + ".normalTexture") };
            }
            if (material.FindChannel("Occlusion") is MaterialChannel occlusion)
            {
                result = result with { OcclusionStrength = occlusion.GetFactor("OcclusionStrength"), OcclusionTexture = TextureOf(occlusion, place + ".occlusionTexture") };
            }
            if (material.FindChannel("Emissive") is MaterialChannel emissive)
            {
                Vector4 e = emissive.Color;
                float strength = emissive.Parameters.Any(p => p.Name == "EmissiveStrength") ? emissive.GetFactor("EmissiveStrength") : 1;
                if (!(e.X >= 0 && e.Y >= 0 && e.Z >= 0 && e.X <= 1 && e.Y <= 1 && e.Z <= 1) || !(strength >= 0) || !float.IsFinite(strength))
                    throw Fail(place + ".emissiveFactor", Invariant($"({e.X:G6}, {e.Y:G6}, {e.Z:G6}) × strength {strength:G6} is not a valid emission"));
                result = result with { EmissiveFactor = new Vector3(e.X, e.Y, e.Z), EmissiveStrength = strength, EmissiveTexture = TextureOf(emissive, place + ".emissiveTexture") };
            }
            _materials.Add(material.LogicalIndex, result);
            return result;
        }

        private MaterialTexture? TextureOf(MaterialChannel channel, string place)
        {
            Texture? texture = channel.Texture;
            if (texture is null) return null;
            int texCoord = channel.TextureCoordinate;
            Matrix3x2 transform = Matrix3x2.Identity;
            if (channel.TextureTransform is TextureTransform t)
            {
                if (t.TextureCoordinateOverride is int over) texCoord = over;
                transform = UvTransform(t.Offset, t.Rotation, t.Scale);
            }
            if (texCoord is < 0 or > 1) throw Fail(place + ".texCoord", $"TEXCOORD_{texCoord} is not supported (UV sets 0 and 1)");
            Image? image = texture.PrimaryImage;
            if (image is null) throw Fail($"textures[{texture.LogicalIndex}].source", "the texture has no image");
            TextureSampling sampling = SamplingOf(texture.Sampler);
            return new MaterialTexture(ImageOf(image), texCoord, sampling, transform);
        }

        private TextureImage ImageOf(Image image)
        {
            if (_images.TryGetValue(image.LogicalIndex, out TextureImage? known)) return known;
            ReadOnlyMemory<byte> bytes = image.Content.IsEmpty ? ReadOnlyMemory<byte>.Empty : image.Content.Content;
            string name = image.Name ?? image.Content.SourcePath ?? $"image {image.LogicalIndex}";
            var result = new TextureImage(sourceName, image.LogicalIndex, name, bytes);
            _images.Add(image.LogicalIndex, result);
            return result;
        }

        private static TextureSampling SamplingOf(TextureSampler? sampler)
        {
            if (sampler is null) return TextureSampling.Default;
            static TextureWrap Wrap(TextureWrapMode mode) => mode switch
            {
                TextureWrapMode.CLAMP_TO_EDGE => TextureWrap.ClampToEdge,
                TextureWrapMode.MIRRORED_REPEAT => TextureWrap.MirroredRepeat,
                _ => TextureWrap.Repeat,
            };
            bool linear = sampler.MagFilter != TextureInterpolationFilter.NEAREST;
            bool mipmapped = sampler.MinFilter is not (TextureMipMapFilter.NEAREST or TextureMipMapFilter.LINEAR);
            return new TextureSampling(Wrap(sampler.WrapS), Wrap(sampler.WrapT), linear, mipmapped);
        }

        private static bool InUnitRange(Vector4 c) =>
            c.X is >= 0 and <= 1 && c.Y is >= 0 and <= 1 && c.Z is >= 0 and <= 1 && c.W is >= 0 and <= 1;
    }

    /// <summary>
    /// KHR_texture_transform as a row-vector 3 × 2 matrix: uv' = T · R · S · uv in the extension's column form,
    /// with R = [cos sin; −sin cos] (the extension's rotation, counter-clockwise in UV space as the image is drawn).
    /// </summary>
    public static Matrix3x2 UvTransform(Vector2 offset, float rotationRad, Vector2 scale)
    {
        float c = MathF.Cos(rotationRad), s = MathF.Sin(rotationRad);
        // Column form from the extension: [c s ox; -s c oy] · diag(sx, sy, 1). Row-vector form is its transpose.
        return new Matrix3x2(c * scale.X, -s * scale.X, s * scale.Y, c * scale.Y, offset.X, offset.Y);
    }

}
