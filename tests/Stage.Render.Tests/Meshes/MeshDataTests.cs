using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Stage.Render.Meshes;

namespace Stage.Render.Tests.Meshes;

public class MeshDataTests
{
    private static MeshData Triangle(Vector3 normal, uint lastIndex = 2, float x = 1) =>
        new([Vector3.Zero, new Vector3(0, 0, 1), new Vector3(x, 0, 0)], [normal, Vector3.UnitY, Vector3.UnitY], [0, 1, lastIndex]);

    [Fact]
    public void Validation_names_each_fault_and_its_place()
    {
        Assert.Empty(Triangle(Vector3.UnitY).FindFaults());
        Assert.Equal(["indices[2]: 3 is out of range (3 vertices)"], Triangle(Vector3.UnitY, lastIndex: 3).FindFaults());
        Assert.Equal(["normals[0]: (0, 0.5, 0) has length 0.5, not 1"], Triangle(new Vector3(0, 0.5f, 0)).FindFaults());
        Assert.Equal(["normals[0]: (NaN, 0, 0) is not finite"], Triangle(new Vector3(float.NaN, 0, 0)).FindFaults());
        Assert.Equal(["positionsM[2]: (Infinity, 0, 0) is not finite"], Triangle(Vector3.UnitY, x: float.PositiveInfinity).FindFaults());
        var tooRed = new MeshData([Vector3.Zero], [Vector3.UnitY], [], baseColorLinear: new Vector4(2, 0, 0, 1));
        Assert.Single(tooRed.FindFaults(), f => f.StartsWith("submeshes[0].BaseColorLinear", StringComparison.Ordinal));
        MeshDataException e = Assert.Throws<MeshDataException>(() => Triangle(new Vector3(0, 0.5f, 0), lastIndex: 7).Validate());
        Assert.Equal(2, e.Faults.Count);
        Assert.Contains("indices[2]: 7 is out of range", e.Message);
    }

    [Fact]
    public void The_constructor_refuses_data_of_the_wrong_shape()
    {
        Assert.Contains("2 normals for 3 positions", Assert.Throws<ArgumentException>(() => new MeshData(new Vector3[3], new Vector3[2], [0, 1, 2])).Message);
        Assert.Contains("4 indices is not a whole number of triangles", Assert.Throws<ArgumentException>(() => new MeshData(new Vector3[3], new Vector3[3], [0, 1, 2, 0])).Message);
        Assert.Contains("submeshes[1] covers indices 6..+3", Assert.Throws<ArgumentException>(() =>
            new MeshData(new Vector3[3], new Vector3[3], [0, 1, 2, 0, 1, 2], [new MeshSubmesh(0, 3, Vector4.One), new MeshSubmesh(6, 3, Vector4.One)])).Message);
        Assert.Contains("cover 3 of 6", Assert.Throws<ArgumentException>(() =>
            new MeshData(new Vector3[3], new Vector3[3], [0, 1, 2, 0, 1, 2], [new MeshSubmesh(0, 3, Vector4.One)])).Message);
    }

    [Fact]
    public void Bounds_of_no_vertices_are_empty()
    {
        var empty = new MeshData([], [], []);
        Assert.True(empty.BoundsM.IsEmpty);
        Assert.Equal(Vector3.Zero, empty.BoundsM.SizeM);
        Assert.False(MeshPrimitives.Plane(1, 1).BoundsM.IsEmpty);
    }

    [Fact]
    public void Interleaving_puts_position_then_normal_per_vertex()
    {
        float[] data = MeshPrimitives.Box(new Vector3(1, 2, 3)).ToInterleavedPositionNormal();
        Assert.Equal(24 * 6, data.Length);
        Assert.Equal([1f, -2, -3, 1, 0, 0], data[..6]);
    }

    [Fact]
    public void Random_transforms_keep_closed_meshes_closed_outward_and_scale_the_volume_by_the_determinant()
    {
        MeshData capsule = MeshPrimitives.Capsule(0.5f, 1, 12);
        double volume = capsule.SignedVolumeM3();
        Prop.ForAll(
            Gen.Choose(-3000, 3000).ArrayOf(10).Where(a => a.Length == 10).ToArbitrary(),
            raw =>
            {
                float[] v = [.. raw.Select(r => r / 1000f)];
                var scale = new Vector3(Signed(v[0]), Signed(v[1]), Signed(v[2]));
                Quaternion q = Quaternion.Normalize(new Quaternion(v[3], v[4], v[5], v[6] + 0.01f));
                var t = new Vector3(v[7], v[8], v[9]);
                Matrix4x4 m = Matrix4x4.CreateScale(scale) * Matrix4x4.CreateFromQuaternion(q) * Matrix4x4.CreateTranslation(t);
                MeshData moved = capsule.Transformed(m);
                Assert.Empty(moved.FindFaults());
                Assert.Empty(MeshChecks.WatertightFaults(moved));
                double expected = volume * Math.Abs((double)scale.X * scale.Y * scale.Z);
                Assert.True(Math.Abs(moved.SignedVolumeM3() - expected) <= 1e-3 * expected, $"volume {moved.SignedVolumeM3()} expected {expected}");
                // An affine image of a convex shape is convex around the image of its centre.
                MeshChecks.AssertOutward(moved, t);
                // Normals stay perpendicular to the transformed surface: exact on the box's flat faces.
                MeshChecks.AssertNormalsAgreeWithFaces(MeshPrimitives.Box(new Vector3(1, 2, 3)).Transformed(m), 1e-3f);
            }).QuickCheckThrowOnFailure();

        static float Signed(float s) => s >= 0 ? s + 0.2f : s - 0.2f;
    }

    [Fact]
    public void Transformed_refuses_singular_and_projective_matrices()
    {
        MeshData box = MeshPrimitives.Box(Vector3.One);
        Assert.Contains("not invertible", Assert.Throws<ArgumentException>(() => box.Transformed(Matrix4x4.CreateScale(1, 0, 1))).Message);
        Matrix4x4 projective = Matrix4x4.Identity;
        projective.M34 = -1;
        Assert.Contains("not affine", Assert.Throws<ArgumentException>(() => box.Transformed(projective)).Message);
    }

    [Fact]
    public void Combine_offsets_indices_and_submeshes()
    {
        MeshData a = MeshPrimitives.Plane(1, 1).WithBaseColor(new Vector4(1, 0, 0, 1));
        MeshData b = MeshPrimitives.Box(Vector3.One).WithBaseColor(new Vector4(0, 0, 1, 1));
        MeshData both = MeshData.Combine([a, b]);
        Assert.Equal(4 + 24, both.VertexCount);
        Assert.Equal([new MeshSubmesh(0, 6, new Vector4(1, 0, 0, 1)), new MeshSubmesh(6, 36, new Vector4(0, 0, 1, 1))], both.Submeshes);
        Assert.Equal(b.Indices[0] + 4, both.Indices[6]);
        both.Validate();
    }

    [Fact]
    public void Smooth_normals_of_a_sphere_are_radial_and_flat_normals_follow_faces()
    {
        MeshData sphere = MeshPrimitives.Sphere(1, 48);
        Vector3[] smooth = MeshData.ComputeSmoothNormals(sphere.PositionsM, sphere.Indices);
        for (int v = 0; v < smooth.Length; v++)
            Assert.True(Vector3.Dot(smooth[v], sphere.Normals[v]) > 0.999f, $"vertex {v}: {smooth[v]} vs {sphere.Normals[v]}");
        MeshData flat = MeshData.WithFlatNormals(sphere.PositionsM, sphere.Indices);
        Assert.Equal(sphere.Indices.Length, flat.VertexCount);
        MeshChecks.AssertNormalsAgreeWithFaces(flat, 1e-5f);
        Assert.Equal(sphere.SignedVolumeM3(), flat.SignedVolumeM3(), 5);
        Assert.Equal(Vector3.UnitY, MeshData.FaceNormal(Vector3.One, Vector3.One, Vector3.Zero));
    }
}
