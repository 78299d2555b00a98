using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Stage.Render.Meshes;

namespace Stage.Render.Tests.Meshes;

/// <summary>Every fault is a <see cref="GltfException"/> that says where it is and what is wrong.</summary>
public class GltfFaultTests
{
    private static GltfBuilder Cube()
    {
        var b = new GltfBuilder();
        b.AddMaterial(new Vector4(1, 0, 0, 1));
        b.AddCubeMesh(0.5f, material: 0);
        b.AddScene(b.AddNode(new JsonObject { ["mesh"] = 0 }));
        return b;
    }

    private static GltfException Glb(Action<JsonObject> edit, GltfBuilder? builder = null) =>
        Assert.Throws<GltfException>(() => GltfLoader.LoadGlb((builder ?? Cube()).ToGlb(edit), "bad.glb"));

    private static GltfException Json(string json) =>
        Assert.Throws<GltfException>(() => GltfLoader.LoadGltf(Encoding.UTF8.GetBytes(json), "bad.gltf"));

    private static JsonObject Primitive(JsonObject root) => root["meshes"]![0]!["primitives"]![0]!.AsObject();

    [Fact]
    public void An_accessor_reading_past_its_buffer_view_names_the_accessor()
    {
        GltfException e = Glb(root => root["accessors"]![0]!["count"] = 25);
        Assert.Equal("bad.glb", e.SourceName);
        Assert.StartsWith("accessors[0]", e.Place);
        Assert.StartsWith("bad.glb: accessors[0]", e.Message);
    }

    [Fact]
    public void Invalid_json_is_reported_with_line_and_column()
    {
        GltfException e = Json("{\n  \"asset\": {\"version\": \"2.0\"},\n  \"meshes\": [,]\n}");
        Assert.Equal("line 3, column 14", e.Place);
        Assert.StartsWith("invalid JSON", e.Detail);
    }

    [Fact]
    public void Invalid_utf8_is_reported_with_line_and_column()
    {
        byte[] json = [.. Encoding.UTF8.GetBytes("{\"asset\":{\"version\":\"2.0\"},\n\"nodes\":[{\"name\":\"a"), 0xD3, .. Encoding.UTF8.GetBytes("\"}]}")];
        GltfException e = Assert.Throws<GltfException>(() => GltfLoader.LoadGltf(json, "bad.gltf"));
        Assert.Equal("line 2, column 20", e.Place);
        Assert.StartsWith("invalid UTF-8 (byte 0xD3", e.Detail);
    }

    // Places as SharpGLTF's validation names them, mapped to JSON paths; where it names only the model, the place is empty.
    [Theory]
    [InlineData("[]", "", "Unexpected token StartArray")]
    [InlineData("{}", "asset", "must not be null")]
    [InlineData("{\"asset\":{\"version\":\"1.0\"}}", "asset.version", "1.0 must be greater or equal to 2.0")]
    [InlineData("{\"asset\":{\"version\":2}}", "asset.version", "Unknown glTF major asset version")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"extensionsRequired\":[\"KHR_draco_mesh_compression\",\"EXT_meshopt_compression\"]}", "extensionsRequired", "KHR_draco_mesh_compression")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"meshes\":[{\"primitives\":[]}]}", "meshes[0].primitives", "is an empty array")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0}}]}]}", "meshes[0].primitives[0].attributes.POSITION", "0 refers to accessors, which is empty")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":\"0\"}}]}]}", "meshes[0].primitives[0].attributes.POSITION", "expected an index into accessors, found \"0\"")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"scenes\":[{}],\"scene\":1}", "scene", "1 refers to scenes, which has 1 entry")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"materials\":[{\"pbrMetallicRoughness\":{\"baseColorTexture\":{\"index\":2}}}]}", "materials[0].pbrMetallicRoughness.baseColorTexture.index", "2 refers to textures, which is empty")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"textures\":[{\"source\":0}]}", "textures[0].source", "0 refers to images, which is empty")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"children\":[1]},{\"children\":[0]}]}", "nodes[0]", "circular reference")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"children\":[0]}]}", "nodes[0]", "circular reference")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"children\":[2]},{\"children\":[2]},{}]}", "nodes[2]", "more than one parent")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"children\":[1]},{}],\"scenes\":[{\"nodes\":[1]}]}", "nodes[0].children", "Root nodes cannot be children")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"matrix\":[1,0,0,0,0,1,0,0,0,0,1,0,0,0,0,1],\"scale\":[1,1,1]}],\"scenes\":[{\"nodes\":[0]}]}", "nodes[0].scale", "must NOT be defined")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"matrix\":[1,0,0,1,0,1,0,0,0,0,1,0,0,0,0,1]}],\"scenes\":[{\"nodes\":[0]}]}", "nodes[0].matrix", "Invalid Matrix")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"rotation\":[0,0,0,2]}],\"scenes\":[{\"nodes\":[0]}]}", "nodes[0].rotation", "Invalid Rotation")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"translation\":[0,1e300,0]}],\"scenes\":[{\"nodes\":[0]}]}", "nodes[0].translation", "Invalid Position")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"mesh\":3}],\"scenes\":[{\"nodes\":[0]}]}", "nodes[0].mesh", "3 refers to meshes, which is empty")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\n\"meshes\":[,]}", "line 2, column 11", "invalid JSON")]
    public void Structural_faults_name_their_place(string json, string place, string detail)
    {
        GltfException e = Json(json);
        Assert.Equal("bad.gltf", e.SourceName);
        Assert.Equal(place, e.Place);
        Assert.Contains(detail, e.Detail);
        Assert.StartsWith(place.Length == 0 ? "bad.gltf: " : $"bad.gltf: {place}: ", e.Message);
        Assert.DoesNotContain("Model generated by", e.Message);
    }

    [Fact]
    public void Strips_load_as_triangles_and_points_are_refused_by_name()
    {
        var b = new GltfBuilder();
        int p = b.AddVec3([Vector3.Zero, Vector3.UnitX, Vector3.UnitZ, new Vector3(1, 0, 1)]);
        JsonObject strip = GltfBuilder.Primitive(p);
        strip["mode"] = 5;
        b.AddMesh(strip);
        Assert.Equal(2, GltfLoader.LoadGlb(b.ToGlb(), "strip.glb").Meshes[0].Mesh.TriangleCount);
        GltfException e = Glb(root => Primitive(root)["mode"] = 0);
        Assert.Equal("meshes[0].primitives[0].mode", e.Place);
        Assert.Contains("POINTS is not drawable", e.Detail);
    }

    [Fact]
    public void A_malformed_sparse_accessor_is_named()
    {
        GltfException e = Glb(root => root["accessors"]![0]!["sparse"] = new JsonObject { ["count"] = 1 });
        Assert.StartsWith("accessors", e.Place);
    }

    // What SharpGLTF's validation names for each accessor fault; where it names only the model (""), the file is still named.
    [Theory]
    [InlineData("type", "\"VEC2\"", "accessors[0].format")]
    [InlineData("count", "0", "accessors[0].count")]
    [InlineData("byteOffset", "2", "accessors[0]")]
    [InlineData("componentType", "5124", null)]
    [InlineData("componentType", "5123", null)]
    [InlineData("type", "\"VEC7\"", null)]
    [InlineData("normalized", "true", null)]
    [InlineData("bufferView", "9", "accessors[0].bufferView")]
    public void Position_accessor_faults_name_the_accessor(string field, string value, string? place)
    {
        GltfException e = Glb(root => root["accessors"]![0]![field] = JsonNode.Parse(value));
        Assert.Equal("bad.glb", e.SourceName);
        if (place is not null) Assert.Equal(place, e.Place);
        Assert.NotEmpty(e.Detail);
        Assert.DoesNotContain("Model generated by", e.Message);
    }

    [Fact]
    public void Index_faults_name_the_index_accessor()
    {
        var b = new GltfBuilder();
        int p = b.AddVec3([Vector3.Zero, Vector3.UnitX, Vector3.UnitZ]);
        b.AddMesh(GltfBuilder.Primitive(p, indices: b.AddIndices([0, 1, 3])));
        GltfException e = Assert.Throws<GltfException>(() => GltfLoader.LoadGlb(b.ToGlb(), "bad.glb"));
        Assert.StartsWith("accessors[1]", e.Place);

        b = new GltfBuilder();
        p = b.AddVec3([Vector3.Zero, Vector3.UnitX, Vector3.UnitZ]);
        b.AddMesh(GltfBuilder.Primitive(p, indices: b.AddIndices([0, 1, 2, 0])));
        e = Assert.Throws<GltfException>(() => GltfLoader.LoadGlb(b.ToGlb(), "bad.glb"));
        Assert.Equal("bad.glb", e.SourceName);
    }

    [Fact]
    public void Non_finite_positions_and_non_unit_normals_are_refused_with_the_place()
    {
        var b = new GltfBuilder();
        int p = b.AddVec3([Vector3.Zero, new Vector3(1, float.NaN, 0), Vector3.UnitZ]);
        b.AddMesh(GltfBuilder.Primitive(p));
        GltfException e = Assert.Throws<GltfException>(() => GltfLoader.LoadGlb(b.ToGlb(), "bad.glb"));
        Assert.StartsWith("accessors[0]", e.Place);

        b = new GltfBuilder();
        p = b.AddVec3([Vector3.Zero, Vector3.UnitX, Vector3.UnitZ]);
        int n = b.AddVec3([Vector3.UnitY, Vector3.UnitY, new Vector3(0, 0.5f, 0)]);
        b.AddMesh(GltfBuilder.Primitive(p, n));
        e = Assert.Throws<GltfException>(() => GltfLoader.LoadGlb(b.ToGlb(), "bad.glb"));
        Assert.Equal("bad.glb", e.SourceName);
        Assert.True(e.Place is "meshes[0].primitives[0].attributes.NORMAL" or "accessors[1]", e.Place);
    }

    [Fact]
    public void Buffer_view_and_buffer_faults_are_named()
    {
        GltfException e = Glb(root => root["bufferViews"]![0]!["byteStride"] = 14);
        Assert.StartsWith("bufferViews[0]", e.Place);
        Assert.Contains("14 is not a multiple of 4", e.Detail);
        e = Glb(root => root["bufferViews"]![1]!["byteOffset"] = 1000);
        Assert.Equal("bad.glb", e.SourceName);
        e = Glb(root => root["buffers"]![0]!["byteLength"] = 700);
        Assert.StartsWith("buffers[0]", e.Place);
    }

    private static GltfBuilder WithViewOn(int buffer)
    {
        GltfBuilder b = Cube();
        b.Root["bufferViews"]![0]!["buffer"] = buffer;
        b.Root["bufferViews"]![0]!["byteOffset"] = 0;
        b.Root["bufferViews"]![0]!["byteLength"] = 4;
        return b;
    }

    [Fact]
    public void Data_uri_and_external_file_faults_are_named()
    {
        GltfBuilder b = Cube();
        GltfException e = Assert.Throws<GltfException>(() => GltfLoader.LoadGltf(b.ToGltfWithExternal("cube.bin").Json, "bad.gltf"));
        Assert.Equal("uri \"cube.bin\"", e.Place);
        Assert.Contains("loaded from memory", e.Detail);
        e = Assert.Throws<GltfException>(() => GltfLoader.LoadGltf(b.ToGltfWithExternal("http://example.com/cube.bin").Json, "bad.gltf", "/tmp"));
        Assert.Contains("absolute or remote URIs are refused", e.Detail);
        string dir = Directory.CreateTempSubdirectory("stage-gltf-").FullName;
        try
        {
            e = Assert.Throws<GltfException>(() => GltfLoader.LoadGltf(b.ToGltfWithExternal("missing.bin").Json, "bad.gltf", dir));
            Assert.Equal("uri \"missing.bin\"", e.Place);
            Assert.Contains("cannot read missing.bin", e.Detail);
            e = Assert.Throws<GltfException>(() => GltfLoader.Load(Path.Combine(dir, "nothing.glb")));
            Assert.StartsWith("cannot read the file", e.Detail);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Material_colour_out_of_range_is_named()
    {
        GltfException e = Glb(root => root["materials"]![0]!["pbrMetallicRoughness"]!["baseColorFactor"] = new JsonArray(1, 0, 2, 1));
        Assert.Equal("bad.glb", e.SourceName);
        Assert.NotEmpty(e.Detail);
    }

    private static byte[] ValidGlb() => Cube().ToGlb();

    private static GltfException Container(byte[] bytes) => Assert.Throws<GltfException>(() => GltfLoader.LoadGlb(bytes, "bad.glb"));

    [Fact]
    public void Container_faults_name_the_byte()
    {
        byte[] glb = ValidGlb();
        Assert.Equal("truncated GLB: 7 bytes, the header alone needs 12", Container(glb[..7]).Detail);

        byte[] magic = (byte[])glb.Clone();
        magic[0] = (byte)'G';
        GltfException e = Container(magic);
        Assert.Equal("byte 0", e.Place);
        Assert.Equal("wrong magic 0x46546C47, a GLB starts with 0x46546C67 (\"glTF\")", e.Detail);

        byte[] version = (byte[])glb.Clone();
        version[4] = 1;
        Assert.Equal("GLB container version 1 is not supported (only 2)", Container(version).Detail);

        e = Container(glb[..^8]);
        Assert.Equal("byte 8", e.Place);
        Assert.Equal($"truncated GLB: the header says {glb.Length} bytes, there are {glb.Length - 8}", e.Detail);

        // A truncation with the header's length fixed up leaves the BIN chunk short.
        byte[] shortBin = glb[..^8];
        BinaryPrimitives.WriteUInt32LittleEndian(shortBin.AsSpan(8), (uint)shortBin.Length);
        Assert.Contains("truncated chunk 1 (BIN): it says 648 bytes, 640 are left", Container(shortBin).Detail);

        byte[] notJson = (byte[])glb.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(notJson.AsSpan(16), GltfLoader.ChunkTypeBin);
        e = Container(notJson);
        Assert.Equal("byte 12", e.Place);
        Assert.Equal("the first chunk must be JSON (0x4E4F534A), found BIN", e.Detail);

        byte[] odd = (byte[])glb.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(odd.AsSpan(12), BinaryPrimitives.ReadUInt32LittleEndian(odd.AsSpan(12)) - 1);
        Assert.Contains("length", Container(odd).Detail);

        GltfBuilder noBin = Cube();
        byte[] json = Encoding.UTF8.GetBytes(noBin.Root.ToJsonString().Replace("\"meshes\"", "\"buffers\":[{\"byteLength\":648}],\"meshes\"", StringComparison.Ordinal));
        e = Container(GltfBuilder.Glb(json, null));
        Assert.StartsWith("buffers[0]", e.Place);
    }
}
