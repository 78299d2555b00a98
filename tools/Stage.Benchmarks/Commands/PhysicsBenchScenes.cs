using Stage.Physics;

using Stage.Cli;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// The physics benchmark scenes, built through Stage.Physics in exactly the order and with exactly the
/// values that tools/Stage.Benchmarks/Harnesses/ode-scenes.c uses against ODE's C API, so the two runs are the same
/// simulation (the checksum proves it) and the time ratio is Stage's overhead.
/// </summary>
public static class PhysicsBenchScenes
{
    /// <summary>Box edge, metres.</summary>
    public const double BoxSizeM = 0.5;

    /// <summary>Friction of every surface.</summary>
    public const double Friction = 0.6;

    /// <summary>
    /// A triangle of <paramref name="boxes"/> 0.5 m boxes (1 kg) standing on the floor, filled from the
    /// bottom row up: the worst case for a solver (every box in contact, nothing asleep).
    /// </summary>
    public static (PhysicsWorld World, IReadOnlyList<RigidBody> Bodies) Pyramid(int boxes, SleepSettings sleep)
    {
        var world = new PhysicsWorld(new PhysicsWorldSettings { Sleep = sleep });
        var material = new Material(Friction);
        world.CreateStaticGeom(PlaneShape.Floor, material);
        int rowBoxes = 1;
        while (rowBoxes * (rowBoxes + 1) / 2 < boxes) rowBoxes++;
        var bodies = new List<RigidBody>(boxes);
        var shape = new BoxShape(new Vector3D(BoxSizeM, BoxSizeM, BoxSizeM));
        for (int row = 0; row < rowBoxes && bodies.Count < boxes; row++)
        {
            int inRow = rowBoxes - row;
            for (int i = 0; i < inRow && bodies.Count < boxes; i++)
            {
                double x = (i - (inRow - 1) / 2.0) * BoxSizeM;
                double y = BoxSizeM / 2 + row * BoxSizeM;
                bodies.Add(world.CreateBody(shape, 1.0, material, new Vector3D(x, y, 0)));
            }
        }
        return (world, bodies);
    }

    /// <summary>
    /// <paramref name="resting"/> boxes lying apart on the floor (a grid, 1 m apart) and <paramref name="moving"/>
    /// boxes sliding across the far end — the sleeping benchmark: the resting ones go to sleep.
    /// </summary>
    public static (PhysicsWorld World, IReadOnlyList<RigidBody> Bodies) RestingAndMoving(int resting, int moving, SleepSettings sleep)
    {
        var world = new PhysicsWorld(new PhysicsWorldSettings { Sleep = sleep });
        var material = new Material(Friction);
        world.CreateStaticGeom(PlaneShape.Floor, material);
        var shape = new BoxShape(new Vector3D(BoxSizeM, BoxSizeM, BoxSizeM));
        var bodies = new List<RigidBody>(resting + moving);
        int side = (int)Math.Ceiling(Math.Sqrt(resting));
        for (int i = 0; i < resting; i++)
            bodies.Add(world.CreateBody(shape, 1.0, material, new Vector3D(i % side, BoxSizeM / 2, i / side)));
        for (int i = 0; i < moving; i++)
        {
            RigidBody body = world.CreateBody(shape, 1.0, material, new Vector3D(i * 1.0, BoxSizeM / 2 + 0.3, side + 5 + (i % 5)));
            // A push that keeps them going through the run (μ g decelerates 5.9 m/s² — start fast, and lift them to fall).
            body.LinearVelocityMps = new Vector3D(0, 0, 40);
            bodies.Add(body);
        }
        return (world, bodies);
    }

    /// <summary>
    /// A scattered stage world: a 40 m × 40 m heightfield terrain (41 × 41 samples) with <paramref name="count"/>
    /// spheres, boxes and capsules dropped onto it and a stack of 10 boxes — as ode-scenes' "stage" scene builds it.
    /// </summary>
    public static (PhysicsWorld World, IReadOnlyList<RigidBody> Bodies) StageWorld(int count, SleepSettings sleep)
    {
        var world = new PhysicsWorld(new PhysicsWorldSettings { Sleep = sleep });
        var material = new Material(Friction);
        const int samples = 41;
        var heights = new double[samples * samples];
        for (int iz = 0; iz < samples; iz++)
            for (int ix = 0; ix < samples; ix++)
                heights[iz * samples + ix] = (ix * 7 + iz * 13) % 11 * 0.05;
        world.CreateStaticGeom(new HeightfieldShape(40, 40, samples, samples, heights), material, new Vector3D(0, 0, 0));
        Shape[] shapes = [new SphereShape(0.25), new BoxShape(new Vector3D(0.5, 0.5, 0.5)), new CapsuleShape(0.2, 0.5)];
        var bodies = new List<RigidBody>(count + 10);
        for (int i = 0; i < count; i++)
            bodies.Add(world.CreateBody(shapes[i % 3], 1.0, material, new Vector3D((i % 20 - 10) * 1.5 + 0.25, 2 + i % 7 * 0.3, (i / 20 - 7) * 1.5)));
        for (int k = 0; k < 10; k++)
            bodies.Add(world.CreateBody(shapes[1], 1.0, material, new Vector3D(15.0, 1.5 + k * 0.5, 15.0)));
        return (world, bodies);
    }

    /// <summary>The checksum ode-scenes prints: the sum of every body's height.</summary>
    public static double Checksum(IReadOnlyList<RigidBody> bodies)
    {
        double sum = 0;
        foreach (RigidBody body in bodies) sum += body.PositionM.Y;
        return sum;
    }
}
