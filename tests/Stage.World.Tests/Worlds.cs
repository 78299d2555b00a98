using Stage.Physics;
using Stage.Tests.Shared;

namespace Stage.World.Tests;

/// <summary>Small worlds the tests build.</summary>
internal static class Worlds
{
    public static string Example(string name) => RepositoryPaths.Of("stage-configs", "worlds", name + ".json");

    public static StageWorld LoadExample(string name)
    {
        SceneLoadResult loaded = SceneLoader.LoadFile(Example(name));
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Faults));
        return loaded.Scene!.Build();
    }

    public static EntityDefinition Floor(Material? material = null) => new()
    {
        Name = "floor",
        Body = new BodyComponent(BodyKind.Static, PlaneShape.Floor, material ?? new Material(0.8), 0),
    };

    public static EntityDefinition Ball(string name, Vector3D positionM, double radiusM = 0.1, Material? material = null, Vector3D velocityMps = default, EntityOverrides overrides = default) => new()
    {
        Name = name,
        PositionM = positionM,
        LinearVelocityMps = velocityMps,
        Body = new BodyComponent(BodyKind.Dynamic, new SphereShape(radiusM), material ?? new Material(0.5), 1),
        Overrides = overrides,
    };

    public static EntityDefinition Box(string name, Vector3D positionM, Vector3D sizeM, double massKg = 1, Material? material = null) => new()
    {
        Name = name,
        PositionM = positionM,
        Body = new BodyComponent(BodyKind.Dynamic, new BoxShape(sizeM), material ?? new Material(0.6), massKg),
    };

    /// <summary>A busy world: floor, a stack, spheres and capsules, a breakable hinge chain, a spawner, a spinner.</summary>
    public static StageWorld Busy(ulong seed = 1)
    {
        var world = new StageWorld(new WorldSettings { SolverSeed = seed }, new WorldRules { LinearDampingPerS = 0.05 });
        world.CreateEntity(Floor());
        for (int i = 0; i < 5; i++) world.CreateEntity(Box($"stack-{i}", new Vector3D(0, 0.25 + i * 0.501, 0), new Vector3D(0.5, 0.5, 0.5)));
        for (int i = 0; i < 8; i++)
        {
            world.CreateEntity(Ball($"ball-{i}", new Vector3D(-2 + i * 0.5, 2 + i * 0.3, 1 + (i % 3) * 0.2), 0.15,
                new Material(0.5, 0.4), new Vector3D(0.3 * (i % 4), 0, -0.5)));
        }
        world.CreateEntity(new EntityDefinition
        {
            Name = "capsule",
            PositionM = new Vector3D(1, 3, -1),
            Orientation = QuaternionMath.FromEulerDeg(30, 10, 0),
            Body = new BodyComponent(BodyKind.Dynamic, new CapsuleShape(0.1, 0.6), new Material(0.7), 2),
        });
        Entity a = world.CreateEntity(Box("link-a", new Vector3D(3, 2, 0), new Vector3D(0.6, 0.1, 0.1)));
        Entity b = world.CreateEntity(Box("link-b", new Vector3D(3.61, 2, 0), new Vector3D(0.6, 0.1, 0.1), 3));
        world.CreateJoint(new JointDefinition("anchor", JointKind.Hinge, a.Id, null, new Vector3D(2.7, 2, 0), new Vector3D(0, 0, 1), JointStrength.Unbreakable));
        world.CreateJoint(new JointDefinition("weak", JointKind.Hinge, b.Id, a.Id, new Vector3D(3.3, 2, 0), new Vector3D(0, 0, 1), new JointStrength(45, double.PositiveInfinity)));
        world.CreateEntity(new EntityDefinition
        {
            Name = "spawner",
            PositionM = new Vector3D(-1, 2.5, -1),
            Behaviour = new SpawnerBehaviour(Ball("drop", Vector3D.Zero, 0.12), 0.25, 6, 99, new Vector3D(0.5, 0.1, 0.5)),
        });
        world.CreateEntity(new EntityDefinition
        {
            Name = "spinner",
            PositionM = new Vector3D(-2, 0.2, -2),
            Body = new BodyComponent(BodyKind.Dynamic, new BoxShape(new Vector3D(2, 0.2, 0.2)), new Material(0.5), 5),
            Behaviour = new SpinBehaviour(new Vector3D(0, 1, 0), 2),
        });
        return world;
    }
}
