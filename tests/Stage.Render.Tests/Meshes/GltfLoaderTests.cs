using System.Numerics;
using System.Text.Json.Nodes;
using Stage.Render.Meshes;

namespace Stage.Render.Tests.Meshes;

public class GltfLoaderTests
{
    private static readonly Vector4 Red = new(0.8f, 0.1f, 0.1f, 1);
    private static readonly Vector4 Blue = new(0.1f, 0.2f, 0.9f, 0.5f);

    private static GltfBuilder Cube(int indexType = 5123)
    {
        var b = new GltfBuilder();
        int red = b.AddMaterial(Red);
        b.AddCubeMesh(0.5f, red, indexType);
        b.AddScene(b.AddNode(new JsonObject { ["mesh"] = 0, ["name"] = "cube" }));
        return b;
    }

    private static void AssertSameAsBox(MeshData mesh, float half)
    {
        MeshData box = MeshPrimitives.Box(new Vector3(half));
        Assert.Equal(box.PositionsM.ToArray(), mesh.PositionsM.ToArray());
        Assert.Equal(box.Normals.ToArray(), mesh.Normals.ToArray());
        Assert.Equal(box.Indices.ToArray(), mesh.Indices.ToArray());
    }

    [Theory]
    [InlineData(5121)]
    [InlineData(5123)]
    [InlineData(5125)]
    public void A_cube_in_a_glb_loads_with_positions_normals_indices_and_colour(int indexType)
    {
        GltfModel model = GltfLoader.LoadGlb(Cube(indexType).ToGlb(), "cube.glb");
        GltfMesh mesh = Assert.Single(model.Meshes);
        AssertSameAsBox(mesh.Mesh, 0.5f);
        Assert.Equal(Red, Assert.Single(mesh.Mesh.Submeshes).BaseColorLinear);
        GltfMeshInstance instance = Assert.Single(model.Instances);
        Assert.Equal((0, "cube", 0, Matrix4x4.Identity), (instance.NodeIndex, instance.NodeName, instance.MeshIndex, instance.MeshToModel));
        Assert.Equal(0, model.SceneIndex);
        MeshData scene = model.ToSceneMesh();
        scene.Validate();
        Assert.Empty(MeshChecks.WatertightFaults(scene));
        Assert.Equal(1, scene.SignedVolumeM3(), 5);
    }

    [Fact]
    public void Gltf_with_data_uri_external_bin_and_glb_load_the_same()
    {
        GltfBuilder b = Cube();
        MeshData fromGlb = GltfLoader.LoadGlb(b.ToGlb(), "cube.glb").Meshes[0].Mesh;
        MeshData fromDataUri = GltfLoader.LoadGltf(b.ToGltfWithDataUri(), "cube.gltf").Meshes[0].Mesh;
        string dir = Directory.CreateTempSubdirectory("stage-gltf-").FullName;
        try
        {
            (byte[] json, byte[] bin) = b.ToGltfWithExternal("cube%20data.bin");
            File.WriteAllBytes(Path.Combine(dir, "cube.gltf"), json);
            File.WriteAllBytes(Path.Combine(dir, "cube data.bin"), bin);
            MeshData fromFile = GltfLoader.Load(Path.Combine(dir, "cube.gltf")).Meshes[0].Mesh;
            foreach (MeshData m in new[] { fromDataUri, fromFile })
            {
                Assert.Equal(fromGlb.PositionsM.ToArray(), m.PositionsM.ToArray());
                Assert.Equal(fromGlb.Normals.ToArray(), m.Normals.ToArray());
                Assert.Equal(fromGlb.Indices.ToArray(), m.Indices.ToArray());
                Assert.Equal(fromGlb.Submeshes, m.Submeshes);
            }
            File.WriteAllBytes(Path.Combine(dir, "cube.glb"), b.ToGlb());
            Assert.Equal(fromGlb.PositionsM.ToArray(), GltfLoader.Load(Path.Combine(dir, "cube.glb")).Meshes[0].Mesh.PositionsM.ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Interleaved_attributes_are_read_through_the_byte_stride()
    {
        var b = new GltfBuilder();
        MeshData box = MeshPrimitives.Box(new Vector3(1, 2, 3));
        (int p, int n) = b.AddInterleaved(box.PositionsM.ToArray(), box.Normals.ToArray());
        b.AddMesh(GltfBuilder.Primitive(p, n, b.AddIndices(box.Indices.ToArray(), 5125)));
        MeshData mesh = GltfLoader.LoadGlb(b.ToGlb(), "interleaved.glb").Meshes[0].Mesh;
        Assert.Equal(box.PositionsM.ToArray(), mesh.PositionsM.ToArray());
        Assert.Equal(box.Normals.ToArray(), mesh.Normals.ToArray());
    }

    [Fact]
    public void Missing_normals_are_computed_flat_with_a_vertex_per_triangle_corner()
    {
        var b = new GltfBuilder();
        // A tetrahedron sharing 4 vertices between 4 triangles, wound outward.
        Vector3[] p = [new(0, 0, 0), new(1, 0, 0), new(0, 1, 0), new(0, 0, 1)];
        uint[] i = [0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3];
        b.AddMesh(GltfBuilder.Primitive(b.AddVec3(p), indices: b.AddIndices(i, 5121)));
        MeshData mesh = GltfLoader.LoadGlb(b.ToGlb(), "tetra.glb").Meshes[0].Mesh;
        Assert.Equal(12, mesh.VertexCount);
        Assert.Equal(-Vector3.UnitZ, mesh.Normals[0]);
        MeshChecks.AssertNormalsAgreeWithFaces(mesh, 1e-6f);
        Assert.Equal(-Vector3.UnitX, mesh.Normals[8]);
        MeshChecks.AssertNear(Vector3.Normalize(Vector3.One), mesh.Normals[9], 1e-6f);
        Assert.Empty(MeshChecks.WatertightFaults(mesh));
        Assert.Equal(1.0 / 6, mesh.SignedVolumeM3(), 6);
    }

    [Fact]
    public void A_primitive_without_indices_draws_its_vertices_in_order()
    {
        var b = new GltfBuilder();
        b.AddMesh(GltfBuilder.Primitive(b.AddVec3([new(0, 0, 0), new(0, 0, 1), new(1, 0, 0)])));
        MeshData mesh = GltfLoader.LoadGlb(b.ToGlb(), "tri.glb").Meshes[0].Mesh;
        Assert.Equal([0u, 1u, 2u], mesh.Indices.ToArray());
        Assert.Equal(Vector3.UnitY, mesh.Normals[0]);
        Assert.Equal(MeshData.DefaultBaseColor, mesh.Submeshes[0].BaseColorLinear);
    }

    [Fact]
    public void Each_primitive_is_a_submesh_with_its_material_colour_and_one_without_positions_is_skipped()
    {
        var b = new GltfBuilder();
        int red = b.AddMaterial(Red), blue = b.AddMaterial(Blue);
        int pos = b.AddVec3([new(0, 0, 0), new(0, 0, 1), new(1, 0, 0), new(1, 0, 1)]);
        int first = b.AddIndices([0, 1, 2]);
        int second = b.AddIndices([2, 1, 3]);
        b.AddMesh(GltfBuilder.Primitive(pos, indices: first, material: red), GltfBuilder.Primitive(pos, indices: second, material: blue));
        // A third primitive without POSITION (normals only) is skipped, as the specification says.
        b.Root["meshes"]![0]!["primitives"]!.AsArray().Add(new JsonObject { ["attributes"] = new JsonObject { ["NORMAL"] = b.AddVec3([Vector3.UnitY, Vector3.UnitY, Vector3.UnitY]) } });
        MeshData mesh = GltfLoader.LoadGlb(b.ToGlb(), "two.glb").Meshes[0].Mesh;
        Assert.Equal([Red, Blue], mesh.Submeshes.Select(s => s.BaseColorLinear));
        Assert.Equal([(0, 3), (3, 3)], mesh.Submeshes.Select(s => (s.FirstIndex, s.IndexCount)));
        Assert.Equal([Red, Blue], mesh.Submeshes.Select(s => s.Material!.BaseColorFactor));
        Assert.Equal(6, mesh.VertexCount);
        mesh.Validate();
    }

    [Fact]
    public void Node_transforms_compose_parent_trs_with_child_matrix()
    {
        var b = new GltfBuilder();
        b.AddCubeMesh(0.5f);
        float s = MathF.Sqrt(0.5f);
        // Parent: turn +90° about +Y, then move to (2, 0, −3). Child: matrix moving +1 along z, and a
        // grandchild scaling z by 2.
        b.AddNode(new JsonObject
        {
            ["name"] = "rig",
            ["translation"] = new JsonArray(2, 0, -3),
            ["rotation"] = new JsonArray(0, s, 0, s),
            ["children"] = new JsonArray(1),
        });
        b.AddNode(new JsonObject
        {
            ["name"] = "arm",
            ["matrix"] = new JsonArray(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1),
            ["mesh"] = 0,
            ["children"] = new JsonArray(2),
        });
        b.AddNode(new JsonObject { ["name"] = "long", ["scale"] = new JsonArray(1, 1, 2), ["mesh"] = 0 });
        b.AddScene(0);
        GltfModel model = GltfLoader.LoadGlb(b.ToGlb(), "rig.glb");
        Assert.Equal([1, 2], model.Instances.Select(i => i.NodeIndex));
        // +90° about +Y takes (x, y, z) to (z, y, −x): the arm's origin (0, 0, 1) lands at (2 + 1, 0, −3).
        MeshChecks.AssertNear(new Vector3(3, 0, -3), Vector3.Transform(Vector3.Zero, model.Instances[0].MeshToModel));
        MeshChecks.AssertNear(new Vector3(3, 0, -4), Vector3.Transform(Vector3.UnitX, model.Instances[0].MeshToModel));
        // The long cube: z half-extent 1 before the turn, so x half-extent 1 after it.
        MeshData scene = model.ToSceneMesh();
        Assert.Equal(2, scene.Submeshes.Count);
        MeshData longCube = model.Meshes[0].Mesh.Transformed(model.Instances[1].MeshToModel);
        MeshChecks.AssertNear(new Vector3(2, -0.5f, -3.5f), longCube.BoundsM.MinM);
        MeshChecks.AssertNear(new Vector3(4, 0.5f, -2.5f), longCube.BoundsM.MaxM);
        Assert.Equal(2, longCube.SignedVolumeM3(), 4);
        MeshChecks.AssertOutward(longCube, new Vector3(3, 0, -3));
        longCube.Validate();
    }

    [Fact]
    public void A_mirroring_node_keeps_the_mesh_wound_outward()
    {
        var b = new GltfBuilder();
        b.AddCubeMesh(0.5f);
        b.AddScene(b.AddNode(new JsonObject { ["mesh"] = 0, ["scale"] = new JsonArray(-1, 2, 1), ["translation"] = new JsonArray(5, 0, 0) }));
        MeshData scene = GltfLoader.LoadGlb(b.ToGlb(), "mirror.glb").ToSceneMesh();
        Assert.Equal(2, scene.SignedVolumeM3(), 5);
        MeshChecks.AssertOutward(scene, new Vector3(5, 0, 0));
        Assert.Empty(MeshChecks.WatertightFaults(scene));
    }

    [Fact]
    public void The_scene_property_picks_the_scene_and_instances_share_meshes()
    {
        var b = new GltfBuilder();
        b.AddCubeMesh(0.5f);
        int a = b.AddNode(new JsonObject { ["mesh"] = 0, ["translation"] = new JsonArray(1, 0, 0) });
        int c = b.AddNode(new JsonObject { ["mesh"] = 0, ["translation"] = new JsonArray(-1, 0, 0) });
        int hidden = b.AddNode(new JsonObject { ["mesh"] = 0, ["scale"] = new JsonArray(0, 0, 0) });
        b.AddScene(a);
        b.AddScene(c, a, hidden);
        b.Root["scene"] = 1;
        GltfModel model = GltfLoader.LoadGlb(b.ToGlb(), "scenes.glb");
        Assert.Equal(1, model.SceneIndex);
        Assert.Equal([c, a, hidden], model.Instances.Select(i => i.NodeIndex));
        Assert.All(model.Instances, i => Assert.Equal(0, i.MeshIndex));
        // The zero-scaled instance draws nothing and is left out of the combined mesh.
        MeshData scene = model.ToSceneMesh();
        Assert.Equal(48, scene.VertexCount);
        Assert.Equal(new AxisAlignedBox(new Vector3(-1.5f, -0.5f, -0.5f), new Vector3(1.5f, 0.5f, 0.5f)), scene.BoundsM);
    }

    [Fact]
    public void An_instance_whose_composed_scale_overflows_is_left_out_of_the_scene_mesh()
    {
        var b = new GltfBuilder();
        b.AddCubeMesh(0.5f);
        b.AddNode(new JsonObject { ["scale"] = new JsonArray(3e38, 3e38, 3e38), ["children"] = new JsonArray(1) });
        b.AddNode(new JsonObject { ["mesh"] = 0, ["scale"] = new JsonArray(3e38, 3e38, 3e38) });
        b.AddScene(b.AddNode(new JsonObject { ["mesh"] = 0 }), 0);
        GltfModel model = GltfLoader.LoadGlb(b.ToGlb(), "huge.glb");
        Assert.Equal(2, model.Instances.Count);
        Assert.Equal(24, model.ToSceneMesh().VertexCount);
    }

    [Fact]
    public void Without_scenes_every_root_node_is_placed_and_without_nodes_every_mesh()
    {
        var b = new GltfBuilder();
        b.AddCubeMesh(0.5f);
        b.AddCubeMesh(1f);
        GltfModel library = GltfLoader.LoadGlb(b.ToGlb(), "library.glb");
        Assert.Null(library.SceneIndex);
        Assert.Equal([(-1, 0), (-1, 1)], library.Instances.Select(i => (i.NodeIndex, i.MeshIndex)));
        b.AddNode(new JsonObject { ["mesh"] = 1, ["children"] = new JsonArray(1) });
        b.AddNode(new JsonObject { ["mesh"] = 0 });
        GltfModel roots = GltfLoader.LoadGlb(b.ToGlb(), "roots.glb");
        Assert.Equal([(0, 1), (1, 0)], roots.Instances.Select(i => (i.NodeIndex, i.MeshIndex)));
    }

    [Fact]
    public void Unknown_chunks_after_bin_are_skipped()
    {
        byte[] glb = Cube().ToGlb();
        byte[] extra = [.. glb, 4, 0, 0, 0, (byte)'X', (byte)'Y', (byte)'Z', 0, 1, 2, 3, 4];
        BitConverter.TryWriteBytes(extra.AsSpan(8), (uint)extra.Length);
        AssertSameAsBox(GltfLoader.LoadGlb(extra, "extra.glb").Meshes[0].Mesh, 0.5f);
    }

    [Fact]
    public void Load_of_bytes_tells_glb_from_json_by_the_magic()
    {
        GltfBuilder b = Cube();
        Assert.Equal(24, GltfLoader.Load(b.ToGlb(), "a").Meshes[0].Mesh.VertexCount);
        Assert.Equal(24, GltfLoader.Load(b.ToGltfWithDataUri(), "b").Meshes[0].Mesh.VertexCount);
        byte[] bom = [0xEF, 0xBB, 0xBF, .. b.ToGltfWithDataUri()];
        Assert.Equal(24, GltfLoader.LoadGltf(bom, "bom").Meshes[0].Mesh.VertexCount);
    }
}
