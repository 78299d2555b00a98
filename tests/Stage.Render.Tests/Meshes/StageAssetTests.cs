using System.Numerics;
using Stage.Render.Meshes;
using Stage.Tests.Shared;

namespace Stage.Render.Tests.Meshes;

/// <summary>The hand-built assets under stage-configs/assets, which world and scene files refer to.</summary>
public class StageAssetTests
{
    private static string Asset(string name) => RepositoryPaths.Of("stage-configs", "assets", name);

    [Theory]
    [InlineData("unit-cube.gltf")]
    [InlineData("unit-cube.glb")]
    public void The_unit_cube_is_a_closed_grey_one_metre_cube(string file)
    {
        GltfModel model = GltfLoader.Load(Asset(file));
        GltfMesh mesh = Assert.Single(model.Meshes);
        Assert.Equal("unit cube", mesh.Name);
        Assert.Equal(24, mesh.Mesh.VertexCount);
        Assert.Equal(12, mesh.Mesh.TriangleCount);
        // Face +X first: corners (0.5, ∓0.5, ∓0.5) running counter-clockwise seen from +X.
        Assert.Equal(new Vector3(0.5f, -0.5f, -0.5f), mesh.Mesh.PositionsM[0]);
        Assert.Equal(new Vector3(0.5f, 0.5f, -0.5f), mesh.Mesh.PositionsM[1]);
        Assert.Equal(new Vector3(0.5f, 0.5f, 0.5f), mesh.Mesh.PositionsM[2]);
        Assert.Equal(Vector3.UnitX, mesh.Mesh.Normals[0]);
        Assert.Equal([0u, 1u, 2u, 0u, 2u, 3u], mesh.Mesh.Indices[..6].ToArray());
        Assert.Equal(new Vector4(0.5f, 0.5f, 0.5f, 1), Assert.Single(mesh.Mesh.Submeshes).BaseColorLinear);
        Assert.Equal(new AxisAlignedBox(new Vector3(-0.5f), new Vector3(0.5f)), mesh.Mesh.BoundsM);
        Assert.Equal(1, mesh.Mesh.SignedVolumeM3(), 6);
        Assert.Empty(MeshChecks.WatertightFaults(mesh.Mesh));
        MeshChecks.AssertOutward(mesh.Mesh, Vector3.Zero);
        mesh.Mesh.Validate();
        Assert.Equal(Matrix4x4.Identity, Assert.Single(model.Instances).MeshToModel);
    }

    [Fact]
    public void The_gltf_and_glb_unit_cubes_are_the_same_cube()
    {
        MeshData gltf = GltfLoader.Load(Asset("unit-cube.gltf")).Meshes[0].Mesh;
        MeshData glb = GltfLoader.Load(Asset("unit-cube.glb")).Meshes[0].Mesh;
        Assert.Equal(gltf.PositionsM.ToArray(), glb.PositionsM.ToArray());
        Assert.Equal(gltf.Normals.ToArray(), glb.Normals.ToArray());
        Assert.Equal(gltf.Indices.ToArray(), glb.Indices.ToArray());
        // And the same as the box generator's.
        Assert.Equal(MeshPrimitives.Box(new Vector3(0.5f)).PositionsM.ToArray(), glb.PositionsM.ToArray());
    }

    [Fact]
    public void The_two_mesh_scene_places_its_meshes_through_the_hierarchy_with_their_colours()
    {
        var red = new Vector4(0.8f, 0.1f, 0.1f, 1);
        var blue = new Vector4(0.1f, 0.2f, 0.9f, 1);
        GltfModel model = GltfLoader.Load(Asset("two-mesh-scene.gltf"));
        Assert.Equal(["box", "tile"], model.Meshes.Select(m => m.Name));
        Assert.Equal([("long box", 0), ("tile", 1), ("box", 0)], model.Instances.Select(i => (i.NodeName, i.MeshIndex)));

        // rig: +90° about +Y ((x, y, z) → (z, y, −x)) then +(2, 0, −3).
        // long box: the cube stretched to 2 m along z and lifted 0.5 m: after the rig 2 m along x.
        MeshData longBox = model.Meshes[0].Mesh.Transformed(model.Instances[0].MeshToModel);
        MeshChecks.AssertNear(new Vector3(1, 0, -3.5f), longBox.BoundsM.MinM);
        MeshChecks.AssertNear(new Vector3(3, 1, -2.5f), longBox.BoundsM.MaxM);
        Assert.Equal(2, longBox.SignedVolumeM3(), 4);

        // tile: corners (0,0,0) (1,0,0) (1,0,−1) (0,0,−1), moved +1 along z by its matrix, then the rig.
        MeshData tileLocal = model.Meshes[1].Mesh;
        Assert.Equal(6, tileLocal.VertexCount); // no normals in the file: flat ones, a vertex per corner
        Assert.All(tileLocal.Normals.ToArray(), n => Assert.Equal(Vector3.UnitY, n));
        Matrix4x4 tile = model.Instances[1].MeshToModel;
        MeshChecks.AssertNear(new Vector3(3, 0, -3), Vector3.Transform(new Vector3(0, 0, 0), tile));
        MeshChecks.AssertNear(new Vector3(3, 0, -4), Vector3.Transform(new Vector3(1, 0, 0), tile));
        MeshChecks.AssertNear(new Vector3(2, 0, -4), Vector3.Transform(new Vector3(1, 0, -1), tile));
        MeshChecks.AssertNear(new Vector3(2, 0, -3), Vector3.Transform(new Vector3(0, 0, -1), tile));

        // box: a root of its own at (−1, 0.5, 0).
        Assert.Equal(Matrix4x4.CreateTranslation(-1, 0.5f, 0), model.Instances[2].MeshToModel);

        MeshData scene = model.ToSceneMesh();
        scene.Validate();
        Assert.Equal(24 + 6 + 24, scene.VertexCount);
        Assert.Equal([red, blue, red], scene.Submeshes.Select(s => s.BaseColorLinear));
        MeshChecks.AssertNear(new Vector3(-1.5f, 0, -4), scene.BoundsM.MinM);
        MeshChecks.AssertNear(new Vector3(3, 1, 0.5f), scene.BoundsM.MaxM);
        Assert.Equal(10 + 1 + 6, scene.SurfaceAreaM2(), 4); // long box 10 m², tile 1 m², box 6 m²
    }
}
