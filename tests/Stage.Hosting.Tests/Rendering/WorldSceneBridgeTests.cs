using System.Numerics;
using Stage.Hosting.Rendering;
using Stage.Physics;
using Stage.Render.Meshes;
using Stage.Render.Scene;
using Stage.Tests.Shared;
using Stage.World;
using RenderKind = Stage.Render.Scene.DrawKind;
using WorldKind = Stage.World.PrimitiveKind;

namespace Stage.Hosting.Tests.Rendering;

/// <summary>The world → render scene mapping: sizes, axes, poses, rebuilds, and no allocation per frame.</summary>
public sealed class WorldSceneBridgeTests : IDisposable
{
    private const float ToleranceM = 1e-5f;
    private StageWorld _world = new();

    public void Dispose() => _world.Dispose();

    private static QuaternionD Turn(double xDeg, double yDeg, double zDeg) => QuaternionMath.FromEulerDeg(xDeg, yDeg, zDeg);

    private static Vector3 V(Vector3D v) => new((float)v.X, (float)v.Y, (float)v.Z);

    private static Entity Add(StageWorld world, string name, Shape? shape, WorldKind look, Vector3D positionM, QuaternionD orientation, BodyKind kind = BodyKind.Static) =>
        world.CreateEntity(new EntityDefinition
        {
            Name = name,
            PositionM = positionM,
            Orientation = orientation,
            Body = shape is null ? null : new BodyComponent(kind, shape, Material.Default, 1),
            Appearance = new Appearance(look, new ColorRgb(0.25, 0.5, 0.75)),
        });

    private static void AssertClose(Vector3 expected, Vector3 actual, string what)
    {
        Assert.True(Vector3.Distance(expected, actual) < ToleranceM, $"{what}: expected {expected}, got {actual}");
    }

    [Fact]
    public void A_box_item_maps_the_unit_cube_corners_onto_the_bodys_corners_at_its_pose()
    {
        QuaternionD q = Turn(10, 35, -20);
        var p = new Vector3D(1, 2, -3);
        Add(_world, "crate", new BoxShape(new Vector3D(0.4, 1.2, 2.0)), WorldKind.Box, p, q);
        var scene = new RenderScene();
        new WorldSceneBridge(() => _world, ".").Fill(scene);

        DrawItem item = Assert.Single(scene.Items);
        Assert.Equal(RenderKind.Box, item.Kind);
        Assert.Equal(new Vector3(0.25f, 0.5f, 0.75f), item.ColorLinear);
        for (var corner = 0; corner < 8; corner++)
        {
            var sign = new Vector3D((corner & 1) == 0 ? -1 : 1, (corner & 2) == 0 ? -1 : 1, (corner & 4) == 0 ? -1 : 1);
            var unit = new Vector3((float)sign.X * 0.5f, (float)sign.Y * 0.5f, (float)sign.Z * 0.5f);
            Vector3D bodyCorner = p + q.Rotate(new Vector3D(sign.X * 0.2, sign.Y * 0.6, sign.Z * 1.0));
            AssertClose(V(bodyCorner), Vector3.Transform(unit, item.Transform), $"corner {corner}");
        }
    }

    [Fact]
    public void A_cylinder_lies_along_the_worlds_local_z_with_the_shapes_radius_and_length()
    {
        QuaternionD q = Turn(0, 90, 30);
        var p = new Vector3D(-2, 1, 4);
        Add(_world, "pipe", new CylinderShape(0.3, 2.0), WorldKind.Cylinder, p, q);
        var scene = new RenderScene();
        new WorldSceneBridge(() => _world, ".").Fill(scene);

        Vector3 axis = V(q.Rotate(new Vector3D(0, 0, 1)));
        Vector3 side = V(q.Rotate(new Vector3D(1, 0, 0)));
        Vector3 other = V(q.Rotate(new Vector3D(0, 1, 0)));

        // Renderer cylinder: radius 0.5, height 1 along Y; its ends must land at ±L/2 along the world's local Z.
        DrawItem cylinder = scene.Items[0];
        Assert.Equal(RenderKind.Cylinder, cylinder.Kind);
        AssertClose(V(p) + axis * 1.0f, Vector3.Transform(new Vector3(0, 0.5f, 0), cylinder.Transform), "cylinder top");
        AssertClose(V(p) - axis * 1.0f, Vector3.Transform(new Vector3(0, -0.5f, 0), cylinder.Transform), "cylinder bottom");
        AssertClose(V(p) + side * 0.3f, Vector3.Transform(new Vector3(0.5f, 0, 0), cylinder.Transform), "cylinder rim x");
        AssertClose(V(p) - other * 0.3f, Vector3.Transform(new Vector3(0, 0, 0.5f), cylinder.Transform), "cylinder rim z");
    }

    [Fact]
    public void A_sphere_has_the_bodys_radius_and_a_floor_plane_lies_on_the_plane_facing_its_normal()
    {
        Add(_world, "ball", new SphereShape(0.1), WorldKind.Sphere, new Vector3D(0, 1, 4), QuaternionD.Identity, BodyKind.Dynamic);
        Add(_world, "floor", new PlaneShape(new Vector3D(0, 2, 0), 1.0), WorldKind.Plane, new Vector3D(5, 5, 5), QuaternionD.Identity);
        var scene = new RenderScene();
        new WorldSceneBridge(() => _world, ".").Fill(scene);

        DrawItem ball = scene.Items[0];
        AssertClose(new Vector3(0.1f, 1, 4), Vector3.Transform(new Vector3(0.5f, 0, 0), ball.Transform), "sphere surface");

        // Normal (0, 2, 0) with offset 1: the plane y = 0.5, drawn whatever the entity's own position says.
        DrawItem floor = scene.Items[1];
        Assert.Equal(RenderKind.Plane, floor.Kind);
        AssertClose(new Vector3(0, 0.5f, 0), floor.Transform.Translation, "plane centre");
        AssertClose(Vector3.UnitY, Vector3.Normalize(Vector3.TransformNormal(Vector3.UnitY, floor.Transform)), "plane normal");
        Assert.Equal(WorldSceneBridge.PlaneSizeM, Vector3.TransformNormal(Vector3.UnitX, floor.Transform).Length(), 3);
    }

    [Fact]
    public void Items_follow_the_interpolated_pose_and_come_in_ascending_id_order()
    {
        Entity first = Add(_world, "falling", new SphereShape(0.2), WorldKind.Sphere, new Vector3D(0, 5, 0), QuaternionD.Identity, BodyKind.Dynamic);
        Add(_world, "hidden", new BoxShape(new Vector3D(1, 1, 1)), WorldKind.Box, new Vector3D(3, 0, 0), QuaternionD.Identity);
        _world.Submit(new SetAppearanceCommand(2, null));
        Add(_world, "third", new BoxShape(new Vector3D(1, 1, 1)), WorldKind.Box, new Vector3D(-3, 0, 0), QuaternionD.Identity);
        var scene = new RenderScene();
        var bridge = new WorldSceneBridge(() => _world, ".");
        bridge.Fill(scene);
        Assert.Equal(3, scene.Count);

        _world.Advance(TimeSpan.FromSeconds(0.5 + 0.25 / 120));
        bridge.Update(scene);
        // The appearance command hid entity 2: the mapping is rebuilt without it.
        Assert.Equal(2, scene.Count);
        (Vector3D p, _) = _world.InterpolatedPose(first);
        Assert.True(p.Y < 5 - 1, $"the sphere should have fallen (y = {p.Y})");
        AssertClose(V(p), scene.Items[0].Transform.Translation, "sphere centre");
        AssertClose(new Vector3(-3, 0, 0), scene.Items[1].Transform.Translation, "third");
    }

    [Fact]
    public void A_replaced_world_or_a_new_entity_rebuilds_the_mapping_and_keeps_items_added_before_fill()
    {
        Add(_world, "a", new BoxShape(new Vector3D(1, 1, 1)), WorldKind.Box, new Vector3D(1, 0, 0), QuaternionD.Identity);
        var scene = new RenderScene();
        scene.Add(new DrawItem(RenderKind.Sphere, Matrix4x4.Identity, Vector3.One));   // someone else's item
        var bridge = new WorldSceneBridge(() => _world, ".");
        bridge.Fill(scene);
        Assert.Equal(2, scene.Count);

        Add(_world, "b", new SphereShape(0.5), WorldKind.Sphere, new Vector3D(2, 0, 0), QuaternionD.Identity);
        bridge.Update(scene);
        Assert.Equal(3, scene.Count);
        Assert.Equal(2, bridge.Rebuilds);

        StageWorld old = _world;
        _world = new StageWorld();
        old.Dispose();
        Add(_world, "c", new CylinderShape(0.1, 1), WorldKind.Cylinder, new Vector3D(0, 0, -7), QuaternionD.Identity);
        bridge.Update(scene);
        Assert.Equal(2, scene.Count);
        Assert.Equal(RenderKind.Sphere, scene.Items[0].Kind);
        Assert.Equal(RenderKind.Cylinder, scene.Items[1].Kind);
        AssertClose(new Vector3(0, 0, -7), scene.Items[1].Transform.Translation, "c");
        Assert.Equal(3, bridge.Rebuilds);
    }

    [Fact]
    public void Updating_a_settled_scene_allocates_nothing()
    {
        for (var i = 0; i < 20; i++)
        {
            Add(_world, $"b{i}", new BoxShape(new Vector3D(0.3, 0.3, 0.3)), WorldKind.Box, new Vector3D(i * 0.5, 3, 0), Turn(i, 2 * i, 0), BodyKind.Dynamic);
        }
        var scene = new RenderScene();
        var bridge = new WorldSceneBridge(() => _world, ".");
        bridge.Fill(scene);
        // Settle the JIT first: tier-up compiles allocate on this thread.
        for (var i = 0; i < 200; i++) bridge.Update(scene);
        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            for (var i = 0; i < 100; i++) bridge.Update(scene);
        }));
        Assert.Equal(1, bridge.Rebuilds);
    }

    [Fact]
    public void The_pose_matrix_rotates_like_the_worlds_quaternion()
    {
        QuaternionD q = Turn(33, -71, 12);
        var v = new Vector3D(0.3, -1.1, 2.5);
        Matrix4x4 m = WorldSceneBridge.PoseMatrix(new Vector3D(1, 2, 3), q);
        AssertClose(V(q.Rotate(v) + new Vector3D(1, 2, 3)), Vector3.Transform(V(v), m), "rotated point");
    }

    [Fact]
    public void A_capsule_is_an_exact_mesh_shared_by_capsules_of_its_size_with_its_axis_along_local_z()
    {
        QuaternionD q = Turn(20, 0, 50);
        var p = new Vector3D(1, 1, 1);
        Add(_world, "pill", new CapsuleShape(0.25, 1.5), WorldKind.Capsule, p, q);
        Add(_world, "twin", new CapsuleShape(0.25, 1.5), WorldKind.Capsule, new Vector3D(3, 1, 1), q);
        var scene = new RenderScene();
        new WorldSceneBridge(() => _world, ".").Fill(scene);

        DrawItem pill = scene.Items[0];
        Assert.Equal(RenderKind.Mesh, pill.Kind);
        Assert.Same(pill.Mesh, scene.Items[1].Mesh);
        // The mesh's tip (the top of its bounds along Y) lands at L/2 + r along the body's local Z.
        AxisAlignedBox bounds = pill.Mesh!.Data.BoundsM;
        Assert.Equal(1.0f, bounds.MaxM.Y, 5);
        Assert.Equal(0.25f, bounds.MaxM.X, 5);
        AssertClose(V(p + q.Rotate(new Vector3D(0, 0, 1))), Vector3.Transform(new Vector3(0, bounds.MaxM.Y, 0), pill.Transform), "capsule tip");
    }

    [Fact]
    public void Terrain_is_the_heightfield_mesh_with_samples_where_the_physics_puts_them()
    {
        // 3 × 2 samples over 4 m × 1 m: cells 2 m along X, 1 m along Z (not square).
        double[] heights = [0.0, 0.5, 1.0, 0.2, 0.7, 1.2];
        var field = new HeightfieldShape(4, 1, 3, 2, heights);
        var p = new Vector3D(0, -1, -5);
        Add(_world, "valley", field, WorldKind.Terrain, p, QuaternionD.Identity);
        var scene = new RenderScene();
        new WorldSceneBridge(() => _world, ".").Fill(scene);

        DrawItem item = Assert.Single(scene.Items);
        Assert.Equal(RenderKind.Mesh, item.Kind);
        ReadOnlySpan<Vector3> positions = item.Mesh!.Data.PositionsM;
        for (var iz = 0; iz < 2; iz++)
        for (var ix = 0; ix < 3; ix++)
        {
            var expected = new Vector3(-2 + 2 * ix, (float)heights[iz * 3 + ix], -0.5f + iz);
            AssertClose(expected + V(p), Vector3.Transform(positions[iz * 3 + ix], item.Transform), $"sample ({ix}, {iz})");
        }
    }

    [Fact]
    public void A_gltf_look_is_loaded_relative_to_the_scene_folder_and_a_bad_file_is_skipped_and_logged_once()
    {
        string assets = RepositoryPaths.Of("stage-configs", "assets");
        string folder = Directory.CreateTempSubdirectory("stage-bridge-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "bad.gltf"), "{ \"asset\": { \"version\": \"1.0\" } }");
            File.Copy(Path.Combine(assets, "unit-cube.glb"), Path.Combine(folder, "cube.glb"));
            var good = new EntityDefinition { Name = "crate", PositionM = new Vector3D(0, 1, 0), Appearance = new Appearance(WorldKind.Mesh, new ColorRgb(1, 1, 1), "cube.glb") };
            var bad = new EntityDefinition { Name = "prop", Appearance = new Appearance(WorldKind.Mesh, new ColorRgb(1, 1, 1), "bad.gltf") };
            _world.CreateEntity(bad);
            _world.CreateEntity(good);
            _world.CreateEntity(good with { Name = "crate 2" });
            var logged = new List<string>();
            var scene = new RenderScene();
            var bridge = new WorldSceneBridge(() => _world, folder) { Log = logged.Add };
            bridge.Fill(scene);

            Assert.Equal(2, scene.Count);
            Assert.Same(scene.Items[0].Mesh, scene.Items[1].Mesh);
            Assert.Equal(Path.Combine(folder, "cube.glb"), scene.Items[0].Mesh!.Name);
            AssertClose(new Vector3(0, 1, 0), scene.Items[0].Transform.Translation, "crate");
            string line = Assert.Single(logged);
            Assert.Contains("'prop'", line);
            Assert.Contains(Path.Combine(folder, "bad.gltf"), line);
            Assert.Contains("version", line);

            _world.CreateEntity(good with { Name = "crate 3" });
            bridge.Update(scene);
            Assert.Equal(3, scene.Count);
            Assert.Single(logged);
            Assert.Equal(logged, bridge.MeshFaults);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void A_restored_world_with_the_same_terrain_and_capsules_reuses_their_meshes()
    {
        double[] heights = [0.0, 0.5, 1.0, 0.2, 0.7, 1.2];
        Add(_world, "valley", new HeightfieldShape(4, 1, 3, 2, heights), WorldKind.Terrain, new Vector3D(0, 0, -5), QuaternionD.Identity);
        Add(_world, "pill", new CapsuleShape(0.2, 1), WorldKind.Capsule, new Vector3D(0, 2, -5), QuaternionD.Identity);
        var scene = new RenderScene();
        var bridge = new WorldSceneBridge(() => _world, ".");
        bridge.Fill(scene);
        SceneMesh terrain = scene.Items[0].Mesh!, capsule = scene.Items[1].Mesh!;

        // A restore builds new shape records (a new heights list): equal by value, so the same meshes.
        StageWorld old = _world;
        _world = new StageWorld();
        old.Dispose();
        Add(_world, "valley", new HeightfieldShape(4, 1, 3, 2, [.. heights]), WorldKind.Terrain, new Vector3D(0, 0, -5), QuaternionD.Identity);
        Add(_world, "pill", new CapsuleShape(0.2, 1), WorldKind.Capsule, new Vector3D(0, 2, -5), QuaternionD.Identity);
        bridge.Update(scene);
        Assert.Same(terrain, scene.Items[0].Mesh);
        Assert.Same(capsule, scene.Items[1].Mesh);

        // A different terrain gets its own mesh.
        Add(_world, "hill", new HeightfieldShape(4, 1, 3, 2, [0.0, 0.5, 1.0, 0.2, 0.7, 9.0]), WorldKind.Terrain, new Vector3D(0, 0, 5), QuaternionD.Identity);
        bridge.Update(scene);
        Assert.NotSame(terrain, scene.Items[2].Mesh);
    }

    [Fact]
    public void A_world_that_places_the_sun_sets_the_scene_sun_every_frame_and_turns_it_off_below_the_horizon()
    {
        // London, 21 June 2026 from 21:00 BST at 3,600 × : the sun goes down within a simulated second.
        long start = new DateTime(2026, 6, 21, 20, 0, 0, DateTimeKind.Utc).Ticks;
        using var world = new StageWorld(new WorldSettings { Sun = new PlacedSun(51.5074, -0.1278, 0, start, 60) }, new WorldRules { TimeOfDayScale = 3600 });
        Add(world, "crate", new BoxShape(new Vector3D(1, 1, 1)), WorldKind.Box, new Vector3D(0, 0.5, 0), QuaternionD.Identity);
        var scene = new RenderScene { SunColorLinear = new Vector3(2, 1.5f, 1) };
        var bridge = new WorldSceneBridge(() => world, ".");
        bridge.Fill(scene);
        SunPosition up = world.Sun!.Value;
        Assert.True(up.IsUp, $"the sun is already down at {up.ElevationDeg}°");
        AssertClose(V(up.DirectionTravel), scene.SunDirection, "sun direction");
        Assert.True(scene.SunDirection.X > 0, "an evening sun in the north-west shines toward +X (east) with north along -Z");
        Assert.Equal(new Vector3(2, 1.5f, 1), scene.SunColorLinear);
        world.StepTo(240);
        bridge.Update(scene);
        SunPosition down = world.Sun!.Value;
        Assert.False(down.IsUp);
        AssertClose(V(down.DirectionTravel), scene.SunDirection, "sun direction after sunset");
        Assert.Equal(Vector3.Zero, scene.SunColorLinear);
    }

    [Fact]
    public void A_world_without_a_sun_leaves_the_scene_light_alone()
    {
        var scene = new RenderScene();
        Vector3 direction = scene.SunDirection, colour = scene.SunColorLinear;
        new WorldSceneBridge(() => _world, ".").Fill(scene);
        Assert.Equal(direction, scene.SunDirection);
        Assert.Equal(colour, scene.SunColorLinear);
    }
}
