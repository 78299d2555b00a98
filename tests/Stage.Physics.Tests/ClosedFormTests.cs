using Stage.Physics;

namespace Stage.Physics.Tests;

/// <summary>Physics against closed-form answers.</summary>
public class ClosedFormTests
{
    private const double G = Scenes.G;

    [Theory]
    [InlineData(1.0, 120)]
    [InlineData(5.0, 120)]
    [InlineData(2.0, 240)]
    public void Free_fall_reaches_the_floor_after_sqrt_2h_over_g_within_one_step(double heightM, int hz)
    {
        using var world = new PhysicsWorld(new PhysicsWorldSettings { StepSeconds = 1.0 / hz });
        Geom floor = Scenes.Floor(world);
        const double radius = 0.1;
        RigidBody ball = world.CreateBody(new SphereShape(radius), 1, Material.Default, new(0, heightM + radius, 0));

        long? touchStep = null;
        for (int i = 0; i < 10 * hz && touchStep is null; i++)
        {
            long before = world.StepCount;
            world.Step();
            if (world.Contacts.Any(c => c.Geom1Id == floor.Id || c.Geom2Id == floor.Id)) touchStep = before;
        }

        Assert.NotNull(touchStep);
        double touchS = touchStep.Value * world.StepSeconds;
        Assert.InRange(touchS, Math.Sqrt(2 * heightM / G) - world.StepSeconds, Math.Sqrt(2 * heightM / G) + world.StepSeconds);
    }

    [Theory]
    [InlineData(10.0, 60.0)]
    [InlineData(20.0, 30.0)]
    [InlineData(15.0, 75.0)]
    public void Projectile_apex_is_v2_sin2_theta_over_2g(double speedMps, double angleDeg)
    {
        using var world = new PhysicsWorld();
        double theta = angleDeg * Math.PI / 180;
        var v0 = new Vector3D(speedMps * Math.Cos(theta), speedMps * Math.Sin(theta), 0);
        RigidBody ball = world.CreateBody(new SphereShape(0.1), 1, Material.Default, new(0, 0, 0));
        ball.LinearVelocityMps = v0;

        double apex = 0;
        for (int i = 0; i < 5 * 120; i++)
        {
            world.Step();
            apex = Math.Max(apex, ball.PositionM.Y);
            Assert.Equal(v0.X, ball.LinearVelocityMps.X, 12); // nothing acts sideways
        }

        double expected = v0.Y * v0.Y / (2 * G);
        // Semi-implicit Euler samples the parabola once per step: the apex it sees is low by at
        // most one step's climb at the top, v_y·dt/2, plus the sampling of the peak.
        Assert.InRange(apex, expected - v0.Y * world.StepSeconds, expected + 1e-9);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void Bounce_with_restitution_e_reaches_e_squared_of_the_drop_height(double restitution)
    {
        using var world = new PhysicsWorld(new PhysicsWorldSettings { StepSeconds = 1.0 / 240 });
        var bouncy = new Material(0.5, restitution, BounceThresholdMps: 0.01);
        Scenes.Floor(world, bouncy);
        const double radius = 0.1;
        const double dropM = 2.0;
        RigidBody ball = world.CreateBody(new SphereShape(radius), 1, bouncy, new(0, dropM + radius, 0));

        bool bounced = false;
        double apex = 0;
        for (int i = 0; i < 4 * 240; i++)
        {
            world.Step();
            double vy = ball.LinearVelocityMps.Y;
            if (!bounced && vy > 0) bounced = true;
            if (bounced)
            {
                if (vy < 0) break; // past the first apex
                apex = Math.Max(apex, ball.PositionM.Y - radius);
            }
        }

        Assert.True(bounced);
        double expected = restitution * restitution * dropM;
        Assert.InRange(apex, expected * 0.97, expected * 1.03);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    public void Sliding_box_decelerates_at_mu_g(double mu)
    {
        using var world = new PhysicsWorld();
        var surface = new Material(mu);
        Scenes.Floor(world, surface);
        RigidBody box = world.CreateBody(new BoxShape(new(1, 1, 1)), 10, surface, new(0, 0.5, 0));
        world.Step(30); // settle onto the floor
        box.LinearVelocityMps = new Vector3D(6, 0, 0);
        world.Step(5);

        double v1 = box.LinearVelocityMps.X;
        const int steps = 60;
        world.Step(steps);
        double v2 = box.LinearVelocityMps.X;

        Assert.True(v2 > 0, "still sliding at the end of the measurement");
        double decel = (v1 - v2) / (steps * world.StepSeconds);
        Assert.InRange(decel, mu * G * 0.98, mu * G * 1.02);
        // The solver's friction pyramid and row shuffling leave a sideways drift far below 0.1 %.
        Assert.InRange(box.LinearVelocityMps.Z, -1e-3, 1e-3);
    }

    [Fact]
    public void Box_resting_on_the_floor_stays_put_and_falls_asleep()
    {
        using var world = new PhysicsWorld();
        Scenes.Floor(world);
        RigidBody box = world.CreateBody(new BoxShape(new(1, 0.5, 2)), 20, Material.Default, new(1, 0.25, -2));
        Vector3D start = box.PositionM;

        int? sleptAt = null;
        for (int i = 1; i <= 240; i++)
        {
            world.Step();
            Assert.InRange((box.PositionM - start).Length, 0, 0.002);
            if (sleptAt is null && !box.IsAwake) sleptAt = i;
        }

        Assert.NotNull(sleptAt);
        Assert.InRange(sleptAt.Value, world.Settings.Sleep.StepsBeforeSleep, 2 * world.Settings.Sleep.StepsBeforeSleep);
        Assert.Equal(Vector3D.Zero, box.LinearVelocityMps);

        // Asleep, it does not move by a single bit.
        BodyState asleep = box.GetState();
        world.Step(120);
        Assert.True(asleep.BitEquals(box.GetState()));
    }

    [Fact]
    public void Sleeping_box_wakes_when_a_ball_lands_on_it()
    {
        using var world = new PhysicsWorld();
        Scenes.Floor(world);
        RigidBody box = world.CreateBody(new BoxShape(new(1, 1, 1)), 5, Material.Default, new(0, 0.5, 0));
        world.Step(200);
        Assert.False(box.IsAwake);

        RigidBody ball = world.CreateBody(new SphereShape(0.2), 50, Material.Default, new(0.3, 3, 0));
        bool woke = false;
        for (int i = 0; i < 240 && !woke; i++)
        {
            world.Step();
            woke = box.IsAwake;
        }
        Assert.True(woke);
    }

    [Fact]
    public void Without_sleeping_a_resting_box_stays_awake()
    {
        using var world = new PhysicsWorld(new PhysicsWorldSettings { Sleep = SleepSettings.Off });
        Scenes.Floor(world);
        RigidBody box = world.CreateBody(new BoxShape(new(1, 1, 1)), 5, Material.Default, new(0, 0.5, 0));
        world.Step(300);
        Assert.True(box.IsAwake);
        Assert.InRange(box.PositionM.Y, 0.49, 0.501);
    }

    [Theory]
    [InlineData("sphere")]
    [InlineData("capsule")]
    [InlineData("cylinder")]
    [InlineData("box")]
    public void Each_shape_comes_to_rest_on_the_floor_at_its_half_height(string kind)
    {
        using var world = new PhysicsWorld();
        Scenes.Floor(world, new Material(1.0));
        (Shape shape, double restY) = kind switch
        {
            "sphere" => ((Shape)new SphereShape(0.3), 0.3),
            "capsule" => (new CapsuleShape(0.2, 0.8), 0.2), // lies along Z: rests on its side
            "cylinder" => (new CylinderShape(0.25, 0.5), 0.25),
            _ => (new BoxShape(new(0.4, 0.6, 0.8)), 0.3),
        };
        RigidBody body = world.CreateBody(shape, 3, new Material(1.0), new(0, restY + 0.5, 0));
        world.Step(360);
        // Contacts rest inside the surface layer (1 mm).
        Assert.InRange(body.PositionM.Y, restY - 0.003, restY + 0.001);
    }

    [Fact]
    public void Ball_lands_on_heightfield_slope_where_the_terrain_height_says()
    {
        using var world = new PhysicsWorld();
        const int samples = 33;
        const double sizeM = 16;
        const double slope = 0.25;
        var heights = new double[samples * samples];
        for (int iz = 0; iz < samples; iz++)
        {
            for (int ix = 0; ix < samples; ix++)
            {
                double x = -sizeM / 2 + ix * sizeM / (samples - 1);
                heights[iz * samples + ix] = slope * x + 2; // rises along +X, flat along Z
            }
        }
        Geom terrain = world.CreateStaticGeom(new HeightfieldShape(sizeM, sizeM, samples, samples, heights), Material.Default, new(10, 0, 0));
        const double radius = 0.25;
        RigidBody ball = world.CreateBody(new SphereShape(radius), 1, Material.Default, new(12, 2.8, -5));
        // Released 4 cm above the slope so the first contact has almost no penetration.

        ContactPoint? first = null;
        for (int i = 0; i < 240 && first is null; i++)
        {
            world.Step();
            if (world.Contacts.Count > 0) first = world.Contacts[0];
        }

        Assert.NotNull(first);
        ContactPoint c = first.Value;
        Assert.True(c.Geom1Id == terrain.Id || c.Geom2Id == terrain.Id);
        // Terrain is centred on (10, 0, 0): local x = world x − 10, height = slope·x + 2.
        Assert.InRange(c.PositionM.Y - (slope * (c.PositionM.X - 10) + 2), -0.02, 0.02);
        // The slope rises along +X, so its normal leans to −X and the sphere touches it
        // the point of contact lies at x + r·sin θ.
        double theta = Math.Atan(slope);
        Assert.InRange(c.PositionM.X, 12 + radius * Math.Sin(theta) - 0.02, 12 + radius * Math.Sin(theta) + 0.02);
        Assert.InRange(c.PositionM.Z, -5 - 0.02, -5 + 0.02);
    }
}
