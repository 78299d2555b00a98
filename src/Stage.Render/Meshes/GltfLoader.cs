using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Stage.Render.Meshes;

/// <summary>
/// Loads glTF 2.0 assets — <c>.gltf</c> (JSON with external or base64 <c>data:</c> buffers) and <c>.glb</c>
/// (the binary container) — into <see cref="GltfModel"/>: static triangle meshes with positions, normals,
/// 32-bit indices and per-primitive base colour, and the default scene's node transforms.
/// glTF space is stage space (right-handed, metres, +Y up), so nothing is converted.
/// <para>
/// Refused, each with a <see cref="GltfException"/> naming the place: modes other than TRIANGLES, sparse
/// accessors and accessors without a buffer view, any <c>extensionsRequired</c>, asset versions other
/// than 2.x, and every violation of the specification that the loader meets (out-of-range references,
/// misaligned or overrunning accessors, non-finite numbers, malformed JSON or GLB). Bad input never
/// raises anything but <see cref="GltfException"/>.
/// </para>
/// Ignored: textures, other material parameters, COLOR_n/TEXCOORD_n/TANGENT, skins (the mesh is drawn in
/// its bind pose under its node's transform), morph targets (the base shape), animations, cameras.
/// Primitives without POSITION are skipped, as the specification says. Missing normals are computed
/// flat, as the specification requires (each triangle gets three vertices of its own).
/// </summary>
public static class GltfLoader
{
    /// <summary>GLB header magic, ASCII "glTF" little-endian.</summary>
    public const uint GlbMagic = 0x46546C67;

    /// <summary>The GLB container version this loader reads.</summary>
    public const uint GlbVersion = 2;

    /// <summary>GLB chunk type of the JSON chunk, ASCII "JSON".</summary>
    public const uint ChunkTypeJson = 0x4E4F534A;

    /// <summary>GLB chunk type of the binary buffer chunk, ASCII "BIN\0".</summary>
    public const uint ChunkTypeBin = 0x004E4942;

    /// <summary>
    /// Loads a file: <c>.glb</c> as the binary container, <c>.gltf</c> as JSON, anything else by its first
    /// bytes. External buffers are found relative to the file's folder.
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
        string? directory = Path.GetDirectoryName(fullPath);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".glb" => LoadGlb(bytes, path, directory),
            ".gltf" => LoadGltf(bytes, path, directory),
            _ => Load(bytes, path, directory),
        };
    }

    /// <summary>Loads bytes held in memory, as GLB when they start with the GLB magic, else as glTF JSON.</summary>
    /// <param name="bytes">The asset.</param>
    /// <param name="sourceName">Named in errors (a file name or a description).</param>
    /// <param name="baseDirectory">Where relative buffer URIs are found; null refuses external buffers.</param>
    /// <exception cref="GltfException">The bytes are not a valid, supported asset.</exception>
    public static GltfModel Load(ReadOnlySpan<byte> bytes, string sourceName, string? baseDirectory = null) =>
        bytes.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == GlbMagic
            ? LoadGlb(bytes, sourceName, baseDirectory)
            : LoadGltf(bytes, sourceName, baseDirectory);

    /// <summary>Loads glTF JSON (UTF-8, an optional byte order mark is skipped).</summary>
    /// <inheritdoc cref="Load(ReadOnlySpan{byte}, string, string?)"/>
    public static GltfModel LoadGltf(ReadOnlySpan<byte> json, string sourceName, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        if (json.StartsWith("\uFEFF"u8)) json = json[3..];
        return new GltfReader(sourceName, baseDirectory, json.ToArray(), bin: null, isGlb: false).Read();
    }

    /// <summary>Loads a GLB container: 12-byte header, a JSON chunk, an optional BIN chunk; unknown chunks after them are skipped.</summary>
    /// <inheritdoc cref="Load(ReadOnlySpan{byte}, string, string?)"/>
    public static GltfModel LoadGlb(ReadOnlySpan<byte> glb, string sourceName, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        (byte[] json, byte[]? bin) = ReadContainer(glb, sourceName);
        return new GltfReader(sourceName, baseDirectory, json, bin, isGlb: true).Read();
    }

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

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => "\"" + Truncate(element.GetString() ?? "") + "\"",
        JsonValueKind.Number => Truncate(element.GetRawText()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    internal static string Truncate(string text) => text.Length <= 60 ? text : text[..57] + "...";

    internal static string JsonErrorReason(JsonException ex)
    {
        string message = ex.Message;
        foreach (string marker in new[] { " LineNumber:", " Path:" })
        {
            int cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut >= 0) message = message[..cut];
        }
        return message.Trim().TrimEnd('.');
    }
}
