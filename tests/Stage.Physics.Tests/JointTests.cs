using Stage.Physics;

namespace Stage.Physics.Tests;

public class JointTests
{
    private const double G = Scenes.G;

    /// <summary>A 1 kg ball on a massless 1 m hinge to the world, released horizontal: the hinge load rises from 0 to about 3mg at the bottom.</summary>
    private static (PhysicsWorld World, RigidBody Ball, HingeJoint Hinge) Pendulum(JointStrength? strength)
    {
        var world = new PhysicsWorld();
        RigidBody ball = world.CreateBody(new SphereShape(0.05), 1, Material.Default, new(1, 2, 0));
        HingeJoint hinge = world.CreateHinge(ball, null, new(0, 2, 0), new(0, 0, 1), strength);
        return (world, ball, hinge);
    }

    [Fact]
    public void Weak_hinge_breaks_at_the_first_step_its_feedback_force_exceeds_its_strength_with_one_event()
    {
        const double strengthN = 15;
        const int steps = 120;
        var control = new List<JointFeedback>();
        (PhysicsWorld controlWorld, _, HingeJoint controlHinge) = Pendulum(null);
        using (controlWorld)
        {
            for (int i = 0; i < steps; i++)
            {
                controlWorld.Step();
                control.Add(controlHinge.Feedback);
            }
        }
        int expectedStep = control.FindIndex(f => f.ForceMagnitudeN > strengthN) + 1;
        Assert.True(expectedStep > 10, "the load must start below the strength"); // 1-based
        Assert.True(control.Max(f => f.ForceMagnitudeN) > 2 * G, "the swing loads the hinge well past mg");

        (PhysicsWorld world, RigidBody ball, HingeJoint hinge) = Pendulum(new JointStrength(strengthN, double.PositiveInfinity));
        using (world)
        {
            var events = new List<JointBrokenEventArgs>();
            world.JointBroken += (_, e) => events.Add(e);
            for (int i = 1; i <= steps; i++)
            {
                world.Step();
                Assert.Equal(i >= expectedStep, hinge.IsBroken);
            }

            JointBrokenEventArgs broke = Assert.Single(events);
            Assert.Same(hinge, broke.Joint);
            Assert.Equal(expectedStep, broke.Step);
            Assert.Equal(expectedStep, hinge.BrokenAtStep);
            Assert.Equal(control[expectedStep - 1], broke.Feedback);
            // Free now: the ball leaves the circle it was held on.
            Assert.True((ball.PositionM - new Vector3D(0, 2, 0)).Length > 1.05);
        }
    }

    [Fact]
    public void Unbreakable_hinge_keeps_a_swinging_rod_on_its_circle_and_in_its_plane()
    {
        // A 1 m rod hinged at one end, released horizontal. (A point mass on a long lever is
        // badly conditioned for quick-step's iterative solve: at 120 Hz with 20 iterations its
        // radius stretches by up to 5 %; see docs/physics.md.)
        using var world = new PhysicsWorld();
        RigidBody rod = world.CreateBody(new BoxShape(new(1, 0.05, 0.05)), 1, Material.Default, new(0.5, 2, 0));
        HingeJoint hinge = world.CreateHinge(rod, null, new(0, 2, 0), new(0, 0, 1));
        double lowest = 2;
        for (int i = 0; i < 600; i++)
        {
            world.Step();
            Assert.InRange((rod.PositionM - new Vector3D(0, 2, 0)).Length, 0.495, 0.505);
            Assert.InRange(rod.PositionM.Z, -1e-6, 1e-6);
            lowest = Math.Min(lowest, rod.PositionM.Y);
        }
        Assert.False(hinge.IsBroken);
        Assert.InRange(lowest, 1.495, 1.51); // it swung through the bottom
    }

    [Fact]
    public void Fixed_joint_breaks_on_torque_when_the_lever_is_too_heavy()
    {
        // A 3 kg beam glued by one end to a kinematic post: the post side of the joint carries
        // the moment m·g·d = 3 · 9.81 · 1 m = 29.4 N·m (ODE reports it on body 2, the post; on
        // body 1 the force acts at the beam's centre of mass, so no torque there).
        static (PhysicsWorld, FixedJoint) Beam(double torqueStrengthNm)
        {
            var world = new PhysicsWorld();
            RigidBody beam = world.CreateBody(new BoxShape(new(2, 0.1, 0.1)), 3, Material.Default, new(1, 3, 0));
            beam.CanSleep = false; // a sleeping body's joints are not solved, so report no load
            RigidBody post = world.CreateBody(new BoxShape(new(0.1, 0.1, 0.1)), 1, Material.Default, new(0, 3, 0));
            post.IsKinematic = true;
            return (world, world.CreateFixed(beam, post, new JointStrength(double.PositiveInfinity, torqueStrengthNm)));
        }

        (PhysicsWorld strongWorld, FixedJoint strong) = Beam(60);
        using (strongWorld)
        {
            strongWorld.Step(240);
            Assert.False(strong.IsBroken);
            Assert.InRange(strong.Feedback.TorqueMagnitudeNm, 3 * G * 1 * 0.98, 3 * G * 1 * 1.02);
            Assert.InRange(strong.Feedback.Torque1Nm.Length, 0, 1e-3);
        }

        (PhysicsWorld weakWorld, FixedJoint weak) = Beam(20);
        using (weakWorld)
        {
            weakWorld.Step(10);
            Assert.Equal(1, weak.BrokenAtStep);
        }
    }

    [Fact]
    public void Ball_joint_pendulum_swings_with_the_physical_pendulum_period()
    {
        using var world = new PhysicsWorld(new PhysicsWorldSettings { StepSeconds = 1.0 / 240 });
        const double lengthM = 1;
        const double radiusM = 0.05;
        double amplitude = 5 * Math.PI / 180;
        RigidBody ball = world.CreateBody(new SphereShape(radiusM), 1, Material.Default,
            new(lengthM * Math.Sin(amplitude), 2 - lengthM * Math.Cos(amplitude), 0));
        world.CreateBall(ball, null, new(0, 2, 0));

        var crossings = new List<double>();
        double previousX = ball.PositionM.X;
        for (int i = 1; i <= 240 * 9; i++)
        {
            world.Step();
            double x = ball.PositionM.X;
            if (previousX > 0 && x <= 0) crossings.Add((i - 1 + previousX / (previousX - x)) * world.StepSeconds);
            previousX = x;
        }

        Assert.True(crossings.Count >= 4);
        double measured = (crossings[^1] - crossings[0]) / (crossings.Count - 1);
        // T = 2π √(I / (m g L)), I = m L² + 2/5 m r², with the finite-amplitude factor 1 + θ₀²/16.
        double expected = 2 * Math.PI * Math.Sqrt((lengthM * lengthM + 0.4 * radiusM * radiusM) / (G * lengthM)) * (1 + amplitude * amplitude / 16);
        Assert.InRange(measured, expected * 0.995, expected * 1.005);
    }

    [Fact]
    public void Fixed_joint_to_the_world_holds_a_body_against_gravity()
    {
        using var world = new PhysicsWorld();
        RigidBody box = world.CreateBody(new BoxShape(new(0.5, 0.5, 0.5)), 10, Material.Default, new(0, 3, 0));
        FixedJoint joint = world.CreateFixed(box, null);
        world.Step(240);
        Assert.InRange((box.PositionM - new Vector3D(0, 3, 0)).Length, 0, 0.001);
        Assert.InRange(joint.Feedback.ForceMagnitudeN, 10 * G * 0.99, 10 * G * 1.01);
    }

    [Fact]
    public void Jointed_bodies_do_not_collide_unless_asked()
    {
        using var world = new PhysicsWorld(new PhysicsWorldSettings { GravityMps2 = Vector3D.Zero });
        RigidBody a = world.CreateBody(new SphereShape(0.3), 1, Material.Default, new(0, 2, 0));
        RigidBody b = world.CreateBody(new SphereShape(0.3), 1, Material.Default, new(0.4, 2, 0));
        BallJoint joint = world.CreateBall(a, b, new(0.2, 2, 0));
        world.Step();
        Assert.Empty(world.Contacts);

        joint.CollideConnected = true;
        world.Step();
        Assert.NotEmpty(world.Contacts);
    }

    [Fact]
    public void Joint_arguments_are_checked()
    {
        using var world = new PhysicsWorld();
        using var other = new PhysicsWorld();
        RigidBody a = world.CreateBody(new SphereShape(0.1), 1, Material.Default, new(0, 1, 0));
        RigidBody foreign = other.CreateBody(new SphereShape(0.1), 1, Material.Default, new(0, 1, 0));
        Assert.Throws<ArgumentException>(() => world.CreateBall(a, a, default));
        Assert.Throws<ArgumentException>(() => world.CreateBall(a, foreign, default));
        Assert.Throws<ArgumentException>(() => world.CreateHinge(a, null, default, Vector3D.Zero));
        Assert.Throws<ArgumentException>(() => world.CreateFixed(a, null, new JointStrength(0, 1)));
        Assert.Throws<ArgumentException>(() => world.CreateFixed(a, null, new JointStrength(double.NaN, 1)));
    }
}
