using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Stage.Render.Meshes;

namespace Stage.Render.Tests.Meshes;

public class MeshPrimitivesTests
{
    public static TheoryData<string> ClosedShapes => ["box", "sphere", "capsule", "capsule without cylinder", "cylinder", "sphere of 3 segments", "cylinder of 3 segments"];

    private static MeshData Closed(string name) => name switch
    {
        "box" => MeshPrimitives.Box(new Vector3(0.5f, 1.25f, 2)),
        "sphere" => MeshPrimitives.Sphere(0.7f, 24),
        "capsule" => MeshPrimitives.Capsule(0.3f, 1.1f, 20),
        "capsule without cylinder" => MeshPrimitives.Capsule(0.3f, 0, 16),
        "cylinder" => MeshPrimitives.Cylinder(0.4f, 2.5f, 17),
        "sphere of 3 segments" => MeshPrimitives.Sphere(1, 3),
        "cylinder of 3 segments" => MeshPrimitives.Cylinder(1, 1, 3),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(ClosedShapes))]
    public void Closed_shapes_are_watertight_with_every_edge_shared_by_two_triangles(string shape)
    {
        Assert.Empty(MeshChecks.WatertightFaults(Closed(shape)));
    }

    [Theory]
    [MemberData(nameof(ClosedShapes))]
    public void Closed_shapes_face_outward_and_validate(string shape)
    {
        MeshData mesh = Closed(shape);
        mesh.Validate();
        MeshChecks.AssertOutward(mesh, Vector3.Zero);
        Assert.True(mesh.SignedVolumeM3() > 0);
    }

    [Fact]
    public void The_watertight_check_finds_a_missing_triangle_and_a_flipped_one()
    {
        MeshData box = MeshPrimitives.Box(Vector3.One);
        uint[] holed = box.Indices[3..].ToArray();
        var open = new MeshData(box.PositionsM.ToArray(), box.Normals.ToArray(), holed);
        Assert.NotEmpty(MeshChecks.WatertightFaults(open));
        uint[] flipped = box.Indices.ToArray();
        (flipped[1], flipped[2]) = (flipped[2], flipped[1]);
        Assert.NotEmpty(MeshChecks.WatertightFaults(new MeshData(box.PositionsM.ToArray(), box.Normals.ToArray(), flipped)));
    }

    [Fact]
    public void Box_volume_area_and_bounds_are_exact()
    {
        var h = new Vector3(0.5f, 1.25f, 2);
        MeshData box = MeshPrimitives.Box(h);
        Assert.Equal(24, box.VertexCount);
        Assert.Equal(12, box.TriangleCount);
        Assert.Equal(8 * 0.5 * 1.25 * 2, box.SignedVolumeM3(), 5);
        Assert.Equal(8 * (0.5 * 1.25 + 1.25 * 2 + 0.5 * 2), box.SurfaceAreaM2(), 5);
        Assert.Equal(new AxisAlignedBox(-h, h), box.BoundsM);
        // Flat faces: every normal is an axis, and agrees with its face.
        MeshChecks.AssertNormalsAgreeWithFaces(box, 1e-6f);
    }

    [Fact]
    public void Sphere_volume_approaches_four_thirds_pi_r_cubed_as_segments_grow()
    {
        const float r = 1.5f;
        double exact = 4.0 / 3 * Math.PI * r * r * r;
        double previousError = double.PositiveInfinity;
        foreach (int segments in new[] { 8, 16, 32, 64, 128 })
        {
            MeshData sphere = MeshPrimitives.Sphere(r, segments);
            double error = (exact - sphere.SignedVolumeM3()) / exact;
            // Inscribed: always a little smaller; the error falls as 1/segments² (about 16/n² for this tessellation).
            Assert.True(error > 0, $"{segments} segments: volume {sphere.SignedVolumeM3()} exceeds {exact}");
            Assert.True(error < 20.0 / (segments * segments), $"{segments} segments: relative error {error}");
            if (!double.IsInfinity(previousError)) Assert.InRange(previousError / error, 3.5, 4.5);
            previousError = error;
        }
        Assert.True(previousError < 0.0011);
    }

    [Fact]
    public void Sphere_normals_are_radial_and_bounds_are_exact()
    {
        MeshData sphere = MeshPrimitives.Sphere(2, 32);
        for (int v = 0; v < sphere.VertexCount; v++)
        {
            MeshChecks.AssertNear(Vector3.Normalize(sphere.PositionsM[v]), sphere.Normals[v], 1e-6f);
            Assert.Equal(2, sphere.PositionsM[v].Length(), 5);
        }
        // Segments a multiple of 4: the equator ring has vertices on ±X and ±Z exactly.
        Assert.Equal(new AxisAlignedBox(new Vector3(-2), new Vector3(2)), sphere.BoundsM);
        Assert.Equal(1 + 15 * 32 + 1, sphere.VertexCount);
    }

    [Fact]
    public void Cylinder_volume_equals_its_inscribed_prism_and_approaches_pi_r_squared_h()
    {
        const float r = 0.4f, h = 2.5f;
        foreach (int segments in new[] { 3, 7, 32, 256 })
        {
            MeshData cylinder = MeshPrimitives.Cylinder(r, h, segments);
            double prism = segments / 2.0 * r * r * Math.Sin(2 * Math.PI / segments) * h;
            Assert.Equal(1, cylinder.SignedVolumeM3() / prism, 5);
        }
        MeshData fine = MeshPrimitives.Cylinder(r, h, 256);
        Assert.Equal(1, fine.SignedVolumeM3() / (Math.PI * r * r * h), 3);
        Assert.Equal(new AxisAlignedBox(new Vector3(-r, -h / 2, -r), new Vector3(r, h / 2, r)), MeshPrimitives.Cylinder(r, h, 32).BoundsM);
        MeshData c = MeshPrimitives.Cylinder(r, h, 32);
        for (int v = 0; v < c.VertexCount; v++)
        {
            Vector3 n = c.Normals[v];
            // Side normals are horizontal and radial; cap normals are ±Y.
            Assert.True(n == Vector3.UnitY || n == -Vector3.UnitY || (MathF.Abs(n.Y) == 0 && Vector3.Dot(n, c.PositionsM[v] with { Y = 0 }) > 0), $"normal {v} {n}");
        }
    }

    [Fact]
    public void Capsule_runs_along_y_and_its_volume_approaches_cylinder_plus_sphere()
    {
        const float r = 0.3f, length = 1.1f;
        MeshData capsule = MeshPrimitives.Capsule(r, length, 128);
        double exact = Math.PI * r * r * length + 4.0 / 3 * Math.PI * r * r * r;
        Assert.InRange(capsule.SignedVolumeM3() / exact, 0.999, 1);
        Assert.True(capsule.SignedVolumeM3() < exact);
        Assert.Equal(new AxisAlignedBox(new Vector3(-r, -length / 2 - r, -r), new Vector3(r, length / 2 + r, r)), MeshPrimitives.Capsule(r, length, 32).BoundsM);
        // Normals point from the nearest point of the axis segment.
        for (int v = 0; v < capsule.VertexCount; v++)
        {
            Vector3 p = capsule.PositionsM[v];
            Vector3 axis = new(0, Math.Clamp(p.Y, -length / 2, length / 2), 0);
            MeshChecks.AssertNear(Vector3.Normalize(p - axis), capsule.Normals[v], 1e-5f);
        }
        // Length zero is a sphere.
        MeshData ball = MeshPrimitives.Capsule(r, 0, 128);
        Assert.Equal(1, ball.SignedVolumeM3() / (4.0 / 3 * Math.PI * r * r * r), 2);
    }

    [Fact]
    public void Plane_faces_up_with_area_width_times_depth()
    {
        MeshData plane = MeshPrimitives.Plane(4, 3);
        Assert.Equal(12, plane.SurfaceAreaM2(), 6);
        Assert.Equal(new AxisAlignedBox(new Vector3(-2, 0, -1.5f), new Vector3(2, 0, 1.5f)), plane.BoundsM);
        MeshChecks.AssertNormalsAgreeWithFaces(plane, 1e-6f);
        Assert.All(plane.Normals.ToArray(), n => Assert.Equal(Vector3.UnitY, n));
        plane.Validate();
    }

    [Fact]
    public void Terrain_of_a_sloped_plane_has_its_exact_normal_area_and_bounds()
    {
        // h = 0.5 x − 0.25 z + 1 on a 5 × 4 grid of 2 m cells, laid out as the physics heightfield.
        const int w = 5, d = 4;
        const float cell = 2;
        float H(float x, float z) => 0.5f * x - 0.25f * z + 1;
        var heights = new float[w * d];
        for (int iz = 0; iz < d; iz++)
            for (int ix = 0; ix < w; ix++)
                heights[iz * w + ix] = H(-4 + ix * cell, -3 + iz * cell);
        MeshData terrain = MeshPrimitives.Terrain(heights, w, d, cell);
        terrain.Validate();
        Assert.Equal((w - 1) * (d - 1) * 2, terrain.TriangleCount);
        Vector3 expected = Vector3.Normalize(new Vector3(-0.5f, 1, 0.25f));
        Assert.All(terrain.Normals.ToArray(), n => MeshChecks.AssertNear(expected, n, 1e-6f));
        MeshChecks.AssertNormalsAgreeWithFaces(terrain, 1e-5f);
        Assert.Equal(8 * 6 * Math.Sqrt(1 + 0.25 + 0.0625), terrain.SurfaceAreaM2(), 4);
        Assert.Equal(new AxisAlignedBox(new Vector3(-4, H(-4, 3), -3), new Vector3(4, H(4, -3), 3)), terrain.BoundsM);
        // Sample (ix, iz) = (3, 1) sits at x = −4 + 6, z = −3 + 2.
        Assert.Equal(new Vector3(2, H(2, -1), -1), terrain.PositionsM[1 * w + 3]);
    }

    [Fact]
    public void Random_terrain_faces_up_with_unit_normals()
    {
        Prop.ForAll(
            Gen.Choose(2, 9).Zip(Gen.Choose(2, 9)).Zip(Gen.Choose(-3000, 3000).ArrayOf(81)).ToArbitrary(),
            input =>
            {
                ((int w, int d), int[] raw) = input;
                float[] heights = [.. raw.Take(w * d).Select(h => h / 1000f)];
                if (heights.Length < w * d) return;
                MeshData terrain = MeshPrimitives.Terrain(heights, w, d, 0.5f);
                Assert.Empty(terrain.FindFaults());
                ReadOnlySpan<uint> i = terrain.Indices;
                for (int t = 0; t < i.Length; t += 3)
                {
                    Vector3 a = terrain.PositionsM[(int)i[t]], b = terrain.PositionsM[(int)i[t + 1]], c = terrain.PositionsM[(int)i[t + 2]];
                    Assert.True(Vector3.Cross(b - a, c - a).Y > 0, $"triangle {t / 3} faces down");
                }
                Assert.All(terrain.Normals.ToArray(), n => Assert.True(n.Y > 0));
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Random_sizes_give_valid_outward_closed_shapes_with_exact_bounds()
    {
        Prop.ForAll(
            Gen.Choose(1, 4000).Three().Zip(Gen.Choose(1, 16)).ToArbitrary(),
            input =>
            {
                ((int a, int b, int c), int quarter) = input;
                float x = a / 1000f, y = b / 1000f, z = c / 1000f;
                int segments = quarter * 4;
                MeshData box = MeshPrimitives.Box(new Vector3(x, y, z));
                Assert.Equal(new AxisAlignedBox(new Vector3(-x, -y, -z), new Vector3(x, y, z)), box.BoundsM);
                MeshData capsule = MeshPrimitives.Capsule(x, y, segments);
                Assert.Equal(new AxisAlignedBox(new Vector3(-x, -y / 2 - x, -x), new Vector3(x, y / 2 + x, x)), capsule.BoundsM);
                MeshData cylinder = MeshPrimitives.Cylinder(z, y, segments);
                Assert.Equal(new AxisAlignedBox(new Vector3(-z, -y / 2, -z), new Vector3(z, y / 2, z)), cylinder.BoundsM);
                foreach (MeshData mesh in new[] { box, capsule, cylinder, MeshPrimitives.Sphere(x, segments) })
                {
                    Assert.Empty(mesh.FindFaults());
                    Assert.Empty(MeshChecks.WatertightFaults(mesh));
                    Assert.True(mesh.SignedVolumeM3() > 0);
                }
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Bad_sizes_are_refused_naming_the_parameter()
    {
        Assert.Equal("radiusM", Assert.Throws<ArgumentOutOfRangeException>(() => MeshPrimitives.Sphere(0)).ParamName);
        Assert.Equal("radiusM", Assert.Throws<ArgumentOutOfRangeException>(() => MeshPrimitives.Sphere(float.NaN)).ParamName);
        Assert.Equal("segments", Assert.Throws<ArgumentOutOfRangeException>(() => MeshPrimitives.Cylinder(1, 1, 2)).ParamName);
        Assert.Equal("cylinderLengthM", Assert.Throws<ArgumentOutOfRangeException>(() => MeshPrimitives.Capsule(1, -1)).ParamName);
        Assert.Equal("halfExtentsM", Assert.Throws<ArgumentOutOfRangeException>(() => MeshPrimitives.Box(new Vector3(1, -1, 1))).ParamName);
        Assert.Equal("depthM", Assert.Throws<ArgumentOutOfRangeException>(() => MeshPrimitives.Plane(1, float.PositiveInfinity)).ParamName);
        var e = Assert.Throws<ArgumentException>(() => MeshPrimitives.Terrain(new float[5], 2, 2, 1));
        Assert.Contains("5 heights for a grid of 2 × 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => MeshPrimitives.Terrain([0, 0, float.NaN, 0], 2, 2, 1));
        Assert.Contains("heightsM[2] (ix 0, iz 1)", e.Message);
    }
}
