using Stage.Physics;

namespace Stage.Physics.Tests;

/// <summary>Scenes the tests build more than once, always in the same order (ids must match).</summary>
internal static class Scenes
{
    public const double G = 9.81;

    /// <summary>Strength of the outermost chain hinge in <see cref="Busy"/>: it first exceeds it between steps 150 and 240.</summary>
    public const double ChainBreakForceN = 250;

    /// <summary>A floor plane with the given material.</summary>
    public static Geom Floor(PhysicsWorld world, Material? material = null) =>
        world.CreateStaticGeom(PlaneShape.Floor, material ?? Material.Default);

    /// <summary>
    /// A busy scene: floor, a low wall, a small box stack, a rain of mixed shapes dropped with
    /// spin, and a chain of boxes on breakable hinges hanging from the world — contacts, joints,
    /// breaks and sleeping all happen in the first few seconds.
    /// </summary>
    public static PhysicsWorld Busy(ulong seed = 7, SleepSettings? sleep = null)
    {
        var world = new PhysicsWorld(new PhysicsWorldSettings
        {
            RandomSeed = seed,
            Sleep = sleep ?? SleepSettings.Default,
        });
        Floor(world, new Material(0.6, 0.2));
        world.CreateStaticGeom(new BoxShape(new(0.2, 0.6, 6)), new Material(0.5), new(-3, 0.3, 0));
        var box = new BoxShape(new(0.5, 0.5, 0.5));
        for (int level = 0; level < 4; level++)
        {
            world.CreateBody(box, 5, new Material(0.7), new(2, 0.25 + 0.5 * level, 0));
        }
        Shape[] shapes =
        [
            new SphereShape(0.2),
            new BoxShape(new(0.3, 0.2, 0.4)),
            new CapsuleShape(0.12, 0.4),
            new CylinderShape(0.15, 0.3),
        ];
        for (int i = 0; i < 16; i++)
        {
            double x = -2 + (i % 4) * 0.9 + 0.05 * i;
            double z = -1 + (i / 4) * 0.6;
            var orientation = QuaternionD.FromAxisAngle(new Vector3D(1, 0.3 * i, 0.5), 0.4 * i);
            RigidBody body = world.CreateBody(shapes[i % 4], 1 + 0.25 * i, new Material(0.4 + 0.02 * i, 0.1 * (i % 3)),
                new Vector3D(x, 1.0 + 0.35 * i, z), orientation);
            body.AngularVelocityRadps = new Vector3D(0.5 * (i % 3), 1 - 0.1 * i, 0.3);
            body.LinearVelocityMps = new Vector3D(0.2 * (i % 5) - 0.4, 0, 0.1 * (i % 2));
        }
        // A chain of four links on hinges, released horizontal: as it swings down the load on
        // the outermost hinge rises past that hinge's strength, which breaks mid-swing.
        RigidBody? previous = null;
        for (int i = 0; i < 4; i++)
        {
            var anchor = new Vector3D(0.5 + 0.45 * i, 4.0, 1.5);
            RigidBody link = world.CreateBody(new BoxShape(new(0.4, 0.1, 0.1)), 2, new Material(0.5), anchor + new Vector3D(0.225, 0, 0));
            world.CreateHinge(link, previous, anchor, new Vector3D(0, 0, 1), i == 3 ? new JointStrength(ChainBreakForceN, double.PositiveInfinity) : null);
            previous = link;
        }
        return world;
    }

    /// <summary>A bit-exact fingerprint of every body, one per step.</summary>
    public static ulong Hash(PhysicsWorld world) => world.CaptureState().ComputeHash();
}
