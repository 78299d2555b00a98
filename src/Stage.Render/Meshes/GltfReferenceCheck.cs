using System.Text.Json;

namespace Stage.Render.Meshes;

/// <summary>
/// Checks a glTF JSON document's references and arrays before SharpGLTF reads it, so that the faults the
/// library reports without a place (an index out of range, an index that is not a number, an empty array)
/// name their JSON path: <c>meshes[0].primitives[0].attributes.POSITION: 7 refers to accessors, which has 1 entry</c>.
/// </summary>
internal static class GltfReferenceCheck
{
    /// <summary>Throws <see cref="GltfException"/> at the first faulty reference or empty array; invalid JSON is left to the reader.</summary>
    public static void Run(ReadOnlySpan<byte> json, string sourceName)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            // Find the first bad byte and say where it is: the JSON reader checks UTF-8 only inside strings it reads.
            System.Text.Unicode.Utf8.ToUtf16(json, new char[json.Length], out int valid, out _, replaceInvalidSequences: false);
            int line = 1, column = 1;
            for (int i = 0; i < valid; i++)
            {
                if (json[i] == (byte)'\n') { line++; column = 1; }
                else if ((json[i] & 0xC0) != 0x80) column++;
            }
            throw new GltfException(sourceName, $"line {line}, column {column}", $"invalid UTF-8 (byte 0x{json[valid]:X2} at offset {valid})");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException)
        {
            return; // the reader reports it with line and column
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return;
            new Checker(root, sourceName).Check();
        }
    }

    private sealed class Checker(JsonElement root, string sourceName)
    {
        private int Count(string collection) =>
            root.TryGetProperty(collection, out JsonElement array) && array.ValueKind == JsonValueKind.Array ? array.GetArrayLength() : 0;

        private void Reference(JsonElement value, string place, string collection)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int index) || index < 0)
                throw new GltfException(sourceName, place, $"expected an index into {collection}, found {Show(value)}");
            int count = Count(collection);
            if (index >= count)
                throw new GltfException(sourceName, place, count == 0 ? $"{index} refers to {collection}, which is empty" : $"{index} refers to {collection}, which has {count} entr{(count == 1 ? "y" : "ies")}");
        }

        private void Optional(JsonElement owner, string name, string place, string collection)
        {
            if (owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out JsonElement value)) Reference(value, $"{place}.{name}", collection);
        }

        private IEnumerable<(JsonElement Item, string Place)> Items(string collection)
        {
            if (!root.TryGetProperty(collection, out JsonElement array) || array.ValueKind != JsonValueKind.Array) yield break;
            int i = 0;
            foreach (JsonElement item in array.EnumerateArray()) yield return (item, $"{collection}[{i++}]");
        }

        public void Check()
        {
            EmptyArrays(root, "");
            if (root.TryGetProperty("scene", out JsonElement scene)) Reference(scene, "scene", "scenes");
            foreach ((JsonElement s, string place) in Items("scenes")) List(s, "nodes", place, "nodes");
            foreach ((JsonElement n, string place) in Items("nodes"))
            {
                List(n, "children", place, "nodes");
                Optional(n, "mesh", place, "meshes");
                Optional(n, "skin", place, "skins");
                Optional(n, "camera", place, "cameras");
            }
            foreach ((JsonElement m, string place) in Items("meshes"))
            {
                if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("primitives", out JsonElement primitives) || primitives.ValueKind != JsonValueKind.Array) continue;
                int p = 0;
                foreach (JsonElement primitive in primitives.EnumerateArray())
                {
                    string pp = $"{place}.primitives[{p++}]";
                    if (primitive.ValueKind != JsonValueKind.Object) continue;
                    if (primitive.TryGetProperty("attributes", out JsonElement attributes) && attributes.ValueKind == JsonValueKind.Object)
                    {
                        foreach (JsonProperty a in attributes.EnumerateObject()) Reference(a.Value, $"{pp}.attributes.{a.Name}", "accessors");
                    }
                    Optional(primitive, "indices", pp, "accessors");
                    Optional(primitive, "material", pp, "materials");
                }
            }
            foreach ((JsonElement a, string place) in Items("accessors")) Optional(a, "bufferView", place, "bufferViews");
            foreach ((JsonElement v, string place) in Items("bufferViews")) Optional(v, "buffer", place, "buffers");
            foreach ((JsonElement t, string place) in Items("textures"))
            {
                Optional(t, "source", place, "images");
                Optional(t, "sampler", place, "samplers");
            }
            foreach ((JsonElement i, string place) in Items("images")) Optional(i, "bufferView", place, "bufferViews");
            foreach ((JsonElement m, string place) in Items("materials"))
            {
                if (m.ValueKind != JsonValueKind.Object) continue;
                if (m.TryGetProperty("pbrMetallicRoughness", out JsonElement pbr))
                {
                    TextureInfo(pbr, "baseColorTexture", place + ".pbrMetallicRoughness");
                    TextureInfo(pbr, "metallicRoughnessTexture", place + ".pbrMetallicRoughness");
                }
                TextureInfo(m, "normalTexture", place);
                TextureInfo(m, "occlusionTexture", place);
                TextureInfo(m, "emissiveTexture", place);
            }
        }

        private void TextureInfo(JsonElement owner, string name, string place)
        {
            if (owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out JsonElement info) && info.ValueKind == JsonValueKind.Object)
                Optional(info, "index", $"{place}.{name}", "textures");
        }

        private void List(JsonElement owner, string name, string place, string collection)
        {
            if (owner.ValueKind != JsonValueKind.Object || !owner.TryGetProperty(name, out JsonElement list) || list.ValueKind != JsonValueKind.Array) return;
            int i = 0;
            foreach (JsonElement value in list.EnumerateArray()) Reference(value, $"{place}.{name}[{i++}]", collection);
        }

        // glTF's schema gives every array minItems 1: an empty one is a fault, named here by its path.
        private void EmptyArrays(JsonElement element, string place)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (JsonProperty p in element.EnumerateObject())
                    {
                        if (p.Name is "extras" or "extensions") continue;
                        EmptyArrays(p.Value, place.Length == 0 ? p.Name : $"{place}.{p.Name}");
                    }
                    break;
                case JsonValueKind.Array:
                    if (element.GetArrayLength() == 0) throw new GltfException(sourceName, place, "is an empty array; glTF asks for at least one item");
                    int i = 0;
                    foreach (JsonElement item in element.EnumerateArray()) EmptyArrays(item, $"{place}[{i++}]");
                    break;
            }
        }

        private static string Show(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => "\"" + GltfLoader.Truncate(value.GetString() ?? "") + "\"",
            JsonValueKind.Number => GltfLoader.Truncate(value.GetRawText()),
            _ => value.ValueKind.ToString().ToLowerInvariant(),
        };
    }
}
