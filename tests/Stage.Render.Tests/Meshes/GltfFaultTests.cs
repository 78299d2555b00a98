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
    public void An_accessor_reading_past_its_buffer_view_names_the_attribute_and_the_arithmetic()
    {
        GltfException e = Glb(root => root["accessors"]![0]!["count"] = 25);
        Assert.Equal("bad.glb", e.SourceName);
        Assert.Equal("meshes[0].primitives[0].attributes.POSITION", e.Place);
        Assert.Equal("accessors[0] reads past the end of bufferView 0 (byteOffset 0 + stride 12 × (count 25 − 1) + 12-byte element = 300 > byteLength 288)", e.Detail);
        Assert.Equal("bad.glb: meshes[0].primitives[0].attributes.POSITION: " + e.Detail, e.Message);
    }

    [Fact]
    public void Invalid_json_is_reported_with_line_and_column()
    {
        GltfException e = Json("{\n  \"asset\": {\"version\": \"2.0\"},\n  \"meshes\": [,]\n}");
        Assert.Equal("line 3, column 14", e.Place);
        Assert.StartsWith("invalid JSON", e.Detail);
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_reported_with_line_and_column()
    {
        byte[] json = [.. Encoding.UTF8.GetBytes("{\"asset\":{\"version\":\"2.0\"},\n\"nodes\":[{\"name\":\"a"), 0xD3, .. Encoding.UTF8.GetBytes("\"}]}")];
        GltfException e = Assert.Throws<GltfException>(() => GltfLoader.LoadGltf(json, "bad.gltf"));
        Assert.Equal("line 2, column 20", e.Place);
        Assert.StartsWith("invalid UTF-8 (byte 0xD3", e.Detail);
    }

    [Theory]
    [InlineData("[]", "", "the top level must be a JSON object")]
    [InlineData("{}", "asset", "is required")]
    [InlineData("{\"asset\":{\"version\":\"1.0\"}}", "asset.version", "glTF 1.0 is not supported (only 2.x)")]
    [InlineData("{\"asset\":{\"version\":2}}", "asset.version", "expected a string, found 2")]
    [InlineData("{\"asset\":{\"version\":\"2.0\",\"minVersion\":\"2.1\"}}", "asset.minVersion", "needs glTF 2.1")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"extensionsRequired\":[\"KHR_draco_mesh_compression\",\"EXT_meshopt_compression\"]}", "extensionsRequired", "requires KHR_draco_mesh_compression, EXT_meshopt_compression, which this loader does not support")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"meshes\":[{\"primitives\":[]}]}", "meshes[0].primitives", "at least one primitive")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0}}]}]}", "meshes[0].primitives[0].attributes.POSITION", "0 refers to accessors, which is empty")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":\"0\"}}]}]}", "meshes[0].primitives[0].attributes.POSITION", "expected an index into accessors, found \"0\"")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"children\":[1]},{\"children\":[0]}]}", "nodes[0]", "cycle")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"children\":[0]}]}", "nodes[0].children[0]", "node 0 lists itself as a child")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"children\":[2]},{\"children\":[2]},{}]}", "nodes[1].children[0]", "node 2 is already a child of node 0")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"children\":[1]},{}],\"scenes\":[{\"nodes\":[1]}]}", "scenes[0].nodes[0]", "node 1 is a child of node 0; a scene lists only root nodes")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"scenes\":[],\"scene\":0}", "scene", "0 refers to scenes, which is empty")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"matrix\":[1,0,0,0,0,1,0,0,0,0,1,0,0,0,0,1],\"scale\":[1,1,1]}],\"scenes\":[{\"nodes\":[0]}]}", "nodes[0]", "both matrix and translation/rotation/scale")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"matrix\":[1,0,0,0,0,1,0,0,0,0,1,0,0,0,0]}],\"scenes\":[{\"nodes\":[0]}]}", "nodes[0].matrix", "expected 16 numbers, found 15")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"matrix\":[1,0,0,1,0,1,0,0,0,0,1,0,0,0,0,1]}],\"scenes\":[{\"nodes\":[0]}]}", "nodes[0].matrix", "an affine transform needs 0, 0, 0, 1")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"rotation\":[0,0,0,2]}],\"scenes\":[{\"nodes\":[0]}]}", "nodes[0].rotation", "has length 2; a rotation is a unit quaternion")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"translation\":[0,1e300,0]}],\"scenes\":[{\"nodes\":[0]}]}", "nodes[0].translation[1]", "does not fit a 32-bit float")]
    [InlineData("{\"asset\":{\"version\":\"2.0\"},\"nodes\":[{\"mesh\":3}],\"scenes\":[{\"nodes\":[0]}]}", "nodes[0].mesh", "3 refers to meshes, which is empty")]
    public void Structural_faults_name_their_place(string json, string place, string detail)
    {
        GltfException e = Json(json);
        Assert.Equal(place, e.Place);
        Assert.Contains(detail, e.Detail);
    }

    [Fact]
    public void Modes_other_than_triangles_are_refused_by_name()
    {
        GltfException e = Glb(root => Primitive(root)["mode"] = 5);
        Assert.Equal("meshes[0].primitives[0].mode", e.Place);
        Assert.Equal("5 (TRIANGLE_STRIP) is not supported; only 4 (TRIANGLES)", e.Detail);
    }

    [Fact]
    public void Sparse_accessors_and_accessors_without_a_view_are_refused()
    {
        GltfException e = Glb(root => root["accessors"]![0]!["sparse"] = new JsonObject { ["count"] = 1 });
        Assert.Equal("accessors[0] is sparse; sparse accessors are not supported", e.Detail);
        e = Glb(root => root["accessors"]![1]!.AsObject().Remove("bufferView"));
        Assert.Equal("meshes[0].primitives[0].attributes.NORMAL", e.Place);
        Assert.StartsWith("accessors[1] has no bufferView", e.Detail);
    }

    [Theory]
    [InlineData("type", "\"VEC2\"", "meshes[0].primitives[0].attributes.POSITION", "accessors[0] is VEC2 of 5126 (float); this attribute must be VEC3 of 5126 (float)")]
    [InlineData("componentType", "5123", "meshes[0].primitives[0].attributes.POSITION", "accessors[0] is VEC3 of 5123 (unsigned short)")]
    [InlineData("componentType", "5124", "meshes[0].primitives[0].attributes.POSITION", "accessors[0].componentType 5124 is not a glTF component type")]
    [InlineData("type", "\"VEC7\"", "meshes[0].primitives[0].attributes.POSITION", "accessors[0].type \"VEC7\" is not SCALAR")]
    [InlineData("count", "0", "meshes[0].primitives[0].attributes.POSITION: accessors[0].count", "0 is less than 1")]
    [InlineData("byteOffset", "2", "meshes[0].primitives[0].attributes.POSITION", "accessors[0].byteOffset 2 (bufferViews[0] at 0 in its buffer) is not aligned to its 4-byte components")]
    [InlineData("normalized", "true", "meshes[0].primitives[0].attributes.POSITION", "accessors[0] is normalized with componentType 5126")]
    [InlineData("bufferView", "9", "meshes[0].primitives[0].attributes.POSITION: accessors[0].bufferView", "9 is out of range: bufferViews has 3 entries")]
    public void Position_accessor_faults_name_the_attribute_and_the_accessor(string field, string value, string place, string detail)
    {
        GltfException e = Glb(root => root["accessors"]![0]![field] = JsonNode.Parse(value));
        Assert.Equal(place, e.Place);
        Assert.Contains(detail, e.Detail);
    }

    [Fact]
    public void Index_faults_name_the_element()
    {
        var b = new GltfBuilder();
        int p = b.AddVec3([Vector3.Zero, Vector3.UnitX, Vector3.UnitZ]);
        b.AddMesh(GltfBuilder.Primitive(p, indices: b.AddIndices([0, 1, 3])));
        GltfException e = Assert.Throws<GltfException>(() => GltfLoader.LoadGlb(b.ToGlb(), "bad.glb"));
        Assert.Equal("meshes[0].primitives[0].indices", e.Place);
        Assert.Equal("accessors[1] element 2 is 3, out of range for 3 vertices", e.Detail);

        b = new GltfBuilder();
        p = b.AddVec3([Vector3.Zero, Vector3.UnitX, Vector3.UnitZ]);
        b.AddMesh(GltfBuilder.Primitive(p, indices: b.AddIndices([0, 255, 1], 5121)));
        e = Assert.Throws<GltfException>(() => GltfLoader.LoadGlb(b.ToGlb(), "bad.glb"));
        Assert.Contains("element 1 is 255, the primitive-restart value", e.Detail);

        b = new GltfBuilder();
        p = b.AddVec3([Vector3.Zero, Vector3.UnitX, Vector3.UnitZ]);
        b.AddMesh(GltfBuilder.Primitive(p, indices: b.AddIndices([0, 1, 2, 0])));
        e = Assert.Throws<GltfException>(() => GltfLoader.LoadGlb(b.ToGlb(), "bad.glb"));
        Assert.Equal("accessors[1] has 4 indices, not a whole number of triangles", e.Detail);

        e = Glb(root => root["accessors"]![2]!["type"] = "VEC3");
        Assert.Contains("indices must be SCALAR of 5121, 5123 or 5125", e.Detail);
    }

    [Fact]
    public void Non_finite_positions_and_non_unit_normals_are_refused_with_the_element()
    {
        var b = new GltfBuilder();
        int p = b.AddVec3([Vector3.Zero, new Vector3(1, float.NaN, 0), Vector3.UnitZ]);
        b.AddMesh(GltfBuilder.Primitive(p));
        GltfException e = Assert.Throws<GltfException>(() => GltfLoader.LoadGlb(b.ToGlb(), "bad.glb"));
        Assert.Equal("meshes[0].primitives[0].attributes.POSITION", e.Place);
        Assert.Equal("accessors[0] element 1 is (1, NaN, 0); NaN and infinity are not allowed", e.Detail);

        b = new GltfBuilder();
        p = b.AddVec3([Vector3.Zero, Vector3.UnitX, Vector3.UnitZ]);
        int n = b.AddVec3([Vector3.UnitY, Vector3.UnitY, new Vector3(0, 0.5f, 0)]);
        b.AddMesh(GltfBuilder.Primitive(p, n));
        e = Assert.Throws<GltfException>(() => GltfLoader.LoadGlb(b.ToGlb(), "bad.glb"));
        Assert.Equal("meshes[0].primitives[0].attributes.NORMAL", e.Place);
        Assert.Equal("accessors[1] element 2 (0, 0.5, 0) has length 0.5; normals must be unit length", e.Detail);

        b = new GltfBuilder();
        p = b.AddVec3([Vector3.Zero, Vector3.UnitX, Vector3.UnitZ]);
        n = b.AddVec3([Vector3.UnitY, Vector3.UnitY]);
        b.AddMesh(GltfBuilder.Primitive(p, n));
        e = Assert.Throws<GltfException>(() => GltfLoader.LoadGlb(b.ToGlb(), "bad.glb"));
        Assert.Contains("accessors[1] has 2 elements but POSITION has 3", e.Detail);
    }

    [Fact]
    public void Buffer_view_and_buffer_faults_are_named()
    {
        GltfException e = Glb(root => root["bufferViews"]![0]!["byteStride"] = 14);
        Assert.Contains("bufferViews[0].byteStride 14 is not a multiple of 4", e.Detail);
        e = Glb(root => root["bufferViews"]![0]!["byteStride"] = 256);
        Assert.Equal("meshes[0].primitives[0].attributes.POSITION: bufferViews[0].byteStride", e.Place);
        e = Glb(root => root["bufferViews"]![2]!["byteStride"] = 4);
        Assert.Contains("has byteStride 4; only vertex attributes may be strided", e.Detail);
        e = Glb(root => root["bufferViews"]![1]!["byteOffset"] = 1000);
        Assert.Contains("bufferViews[1] (byteOffset 1000 + byteLength 288 = 1288) runs past the end of buffer 0 (648 bytes)", e.Detail);
        e = Glb(root => root["buffers"]![0]!["byteLength"] = 700);
        Assert.Equal("buffers[0]", e.Place);
        Assert.Equal("byteLength says 700 bytes but the data holds 648", e.Detail);
        e = Glb(root => root["buffers"]!.AsArray().Add(new JsonObject { ["byteLength"] = 4 }) , WithViewOn(1));
        Assert.Equal("buffers[1]", e.Place);
        Assert.Contains("only buffers[0] of a GLB may omit it", e.Detail);
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
        GltfException e = Assert.Throws<GltfException>(() => GltfLoader.LoadGltf(b.ToGltfWithDataUri(r => r["buffers"]![0]!["uri"] = "data:application/octet-stream;base64,@@@@"), "bad.gltf"));
        Assert.Equal("buffers[0].uri", e.Place);
        Assert.Equal("data: URI holds invalid base64", e.Detail);
        e = Assert.Throws<GltfException>(() => GltfLoader.LoadGltf(b.ToGltfWithDataUri(r => r["buffers"]![0]!["uri"] = "data:image/png;base64,AAAA"), "bad.gltf"));
        Assert.Contains("media type \"image/png\" must be application/octet-stream or application/gltf-buffer", e.Detail);
        e = Assert.Throws<GltfException>(() => GltfLoader.LoadGltf(b.ToGltfWithExternal("cube.bin").Json, "bad.gltf"));
        Assert.Contains("loaded from memory with no folder", e.Detail);
        e = Assert.Throws<GltfException>(() => GltfLoader.LoadGltf(b.ToGltfWithExternal("http://example.com/cube.bin").Json, "bad.gltf", "/tmp"));
        Assert.Contains("is not a relative path", e.Detail);
        string dir = Directory.CreateTempSubdirectory("stage-gltf-").FullName;
        try
        {
            e = Assert.Throws<GltfException>(() => GltfLoader.LoadGltf(b.ToGltfWithExternal("missing.bin").Json, "bad.gltf", dir));
            Assert.Equal("buffers[0].uri", e.Place);
            Assert.Contains($"cannot read \"{Path.Combine(dir, "missing.bin")}\"", e.Detail);
            e = Assert.Throws<GltfException>(() => GltfLoader.Load(Path.Combine(dir, "nothing.glb")));
            Assert.StartsWith("cannot read the file", e.Detail);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        e = Assert.Throws<GltfException>(() => GltfLoader.LoadGltf(b.ToGltfWithDataUri(r => r["buffers"]![0]!.AsObject().Remove("uri")), "bad.gltf"));
        Assert.Contains("has no uri; a .gltf buffer needs one", e.Detail);
    }

    [Fact]
    public void Material_colour_out_of_range_is_named()
    {
        GltfException e = Glb(root => root["materials"]![0]!["pbrMetallicRoughness"]!["baseColorFactor"] = new JsonArray(1, 0, 2, 1));
        Assert.Equal("materials[0].pbrMetallicRoughness.baseColorFactor[2]", e.Place);
        Assert.Equal("2 is outside 0..1", e.Detail);
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
        Assert.Equal("buffers[0]", e.Place);
        Assert.Equal("has no uri, so it is the GLB's BIN chunk, but the GLB has no BIN chunk", e.Detail);
    }
}
