using Stage.Physics;

namespace Stage.Physics.Tests;

/// <summary>
/// A joint that breaks gives way in the step it breaks: the step is solved again without it, so
/// the momentum of an impact goes where physics says (docs/physics.md, "Breaking joints").
/// </summary>
public class BreakResolveTests
{
    private const double G = Scenes.G;
    private const double BallKg = 5, ShelfKg = 2;

    /// <summary>A 2 kg shelf on a 100 N bracket to the world and a 5 kg ball 1.835 m above it: it arrives at ≈ 6 m/s.</summary>
    private static (PhysicsWorld World, RigidBody Ball, RigidBody Shelf, FixedJoint Bracket) Shelf(JointStrength strength)
    {
        var world = new PhysicsWorld();
        RigidBody shelf = world.CreateBody(new BoxShape(new(0.6, 0.04, 0.3)), ShelfKg, Material.Default, new(0, 1, 0));
        FixedJoint bracket = world.CreateFixed(shelf, null, strength);
        RigidBody ball = world.CreateBody(new SphereShape(0.1), BallKg, Material.Default, new(0, 1.02 + 0.1 + 1.835, 0));
        return (world, ball, shelf, bracket);
    }

    [Fact]
    public void A_ball_that_breaks_a_shelf_bracket_goes_on_down_with_the_shelf_and_keeps_its_momentum()
    {
        (PhysicsWorld world, RigidBody ball, RigidBody shelf, FixedJoint bracket) = Shelf(new JointStrength(100, double.PositiveInfinity));
        using (world)
        {
            var events = new List<JointBrokenEventArgs>();
            world.JointBroken += (_, e) => events.Add(e);
            double before = 0, ballBefore = 0;
            while (!bracket.IsBroken && world.StepCount < 240)
            {
                ballBefore = ball.LinearVelocityMps.Y;
                before = BallKg * ballBefore + ShelfKg * shelf.LinearVelocityMps.Y;
                world.Step();
            }
            Assert.True(bracket.IsBroken, "the bracket never broke");
            JointBrokenEventArgs broke = Assert.Single(events);
            Assert.True(broke.Feedback.ForceMagnitudeN > 1000, $"the impact loaded the bracket with only {broke.Feedback.ForceMagnitudeN} N");
            Assert.Equal(1, world.StepsSolvedAgain);
            Assert.InRange(ballBefore, -6.1, -5.8);

            // In the step it broke: what the ball had is now in ball and shelf, less nothing the
            // world took (one step of gravity on both, 0.57 N·s of 30, is the only outside impulse).
            double after = BallKg * ball.LinearVelocityMps.Y + ShelfKg * shelf.LinearVelocityMps.Y;
            Assert.InRange(after, before * 1.1, before * 0.9);
            // Both go on down, together (restitution 0): 5/7 of the ball's speed.
            double together = BallKg * ballBefore / (BallKg + ShelfKg);
            Assert.InRange(ball.LinearVelocityMps.Y, together * 1.1, together * 0.9);
            Assert.InRange(shelf.LinearVelocityMps.Y, together * 1.1, together * 0.9);
        }

        // The control: a bracket that holds stops the ball dead (its momentum goes into the world).
        (PhysicsWorld held, RigidBody heldBall, _, FixedJoint strong) = Shelf(JointStrength.Unbreakable);
        using (held)
        {
            held.Step(80);
            Assert.False(strong.IsBroken);
            Assert.InRange(heldBall.LinearVelocityMps.Y, -0.5, 0.5);
            Assert.Equal(0, held.StepsSolvedAgain);
        }
    }

    [Fact]
    public void The_step_solved_again_keeps_the_forces_applied_for_it_and_is_bit_identical_in_every_run()
    {
        // A rocket pushed by a force every step flies free beside the shelf. The shelf's break
        // re-solves the whole world; the rocket must come out of that step exactly as in a world
        // where nothing broke (its force is re-applied, its state put back bit for bit).
        static (RigidBody Rocket, PhysicsWorld World) Run(bool withShelf, List<ulong> hashes)
        {
            PhysicsWorld world;
            if (withShelf)
            {
                world = Shelf(new JointStrength(100, double.PositiveInfinity)).World;
            }
            else
            {
                world = new PhysicsWorld();
                // The same bodies in the same order, but nothing to break.
                world.CreateBody(new BoxShape(new(0.6, 0.04, 0.3)), ShelfKg, Material.Default, new(0, 1, 0));
                world.CreateBody(new SphereShape(0.1), BallKg, Material.Default, new(0, 1.02 + 0.1 + 1.835, 0)).GravityEnabled = false;
            }
            RigidBody rocket = world.CreateBody(new SphereShape(0.05), 1, Material.Default, new(5, 2, 0));
            rocket.GravityEnabled = false;
            for (int i = 0; i < 100; i++)
            {
                rocket.AddForce(new Vector3D(0.3 * i, 1, -0.2));
                rocket.AddTorque(new Vector3D(0.01, 0, 0.02));
                world.Step();
                hashes.Add(world.CaptureState().ComputeHash());
            }
            return (rocket, world);
        }

        var first = new List<ulong>();
        var second = new List<ulong>();
        var free = new List<ulong>();
        (RigidBody a, PhysicsWorld worldA) = Run(true, first);
        (RigidBody b, PhysicsWorld worldB) = Run(true, second);
        (RigidBody c, PhysicsWorld worldC) = Run(false, free);
        using (worldA)
        using (worldB)
        using (worldC)
        {
            Assert.Equal(1, worldA.StepsSolvedAgain);
            Assert.Equal(first, second);
            Assert.True(a.GetState().BitEquals(b.GetState()));
            Assert.True(a.GetState().BitEquals(c.GetState()), $"{a.GetState()} vs {c.GetState()}");
        }
    }

    [Fact]
    public void A_world_restored_before_the_break_breaks_in_the_same_step_with_the_same_bits()
    {
        (PhysicsWorld world, _, _, FixedJoint bracket) = Shelf(new JointStrength(100, double.PositiveInfinity));
        using (world)
        {
            world.Step(60);
            PhysicsState saved = world.CaptureState();
            var straight = new List<ulong>();
            for (int i = 0; i < 60; i++)
            {
                world.Step();
                straight.Add(world.CaptureState().ComputeHash());
            }
            long brokeAt = bracket.BrokenAtStep!.Value;
            Assert.InRange(brokeAt, 61, 120);

            (PhysicsWorld other, _, _, FixedJoint otherBracket) = Shelf(new JointStrength(100, double.PositiveInfinity));
            using (other)
            {
                other.RestoreState(saved);
                var restored = new List<ulong>();
                for (int i = 0; i < 60; i++)
                {
                    other.Step();
                    restored.Add(other.CaptureState().ComputeHash());
                }
                Assert.Equal(straight, restored);
                Assert.Equal(brokeAt, otherBracket.BrokenAtStep);
            }
        }
    }

    [Fact]
    public void A_joint_only_the_second_solve_overloads_breaks_in_the_same_step()
    {
        // Two shelves, one resting on the other. The ball's impact first loads both brackets
        // (about 1,400 N and 2,600 N): the upper, 100 N one breaks, the lower, 3,000 N one holds.
        // Solved again without the upper bracket, the lower one takes the whole impact through the
        // shelf above it and breaks too — in the same step, after a second re-solve.
        using var world = new PhysicsWorld(new PhysicsWorldSettings { Sleep = SleepSettings.Off });
        RigidBody upper = world.CreateBody(new BoxShape(new(0.6, 0.04, 0.3)), ShelfKg, Material.Default, new(0, 1, 0));
        RigidBody lower = world.CreateBody(new BoxShape(new(0.6, 0.04, 0.3)), ShelfKg, Material.Default, new(0, 0.9605, 0));
        FixedJoint upperBracket = world.CreateFixed(upper, null, new JointStrength(100, double.PositiveInfinity));
        FixedJoint lowerBracket = world.CreateFixed(lower, null, new JointStrength(3000, double.PositiveInfinity));
        RigidBody ball = world.CreateBody(new SphereShape(0.1), BallKg, Material.Default, new(0, 2.955, 0));
        var events = new List<JointBrokenEventArgs>();
        world.JointBroken += (_, e) => events.Add(e);
        double before = 0;
        while (!upperBracket.IsBroken && world.StepCount < 240)
        {
            before = BallKg * ball.LinearVelocityMps.Y + ShelfKg * (upper.LinearVelocityMps.Y + lower.LinearVelocityMps.Y);
            world.Step();
        }
        Assert.True(lowerBracket.IsBroken, "the lower bracket held");
        Assert.Equal(upperBracket.BrokenAtStep, lowerBracket.BrokenAtStep);
        Assert.Equal(2, world.StepsSolvedAgain);
        Assert.Equal([upperBracket.Id, lowerBracket.Id], events.Select(e => e.Joint.Id));
        Assert.All(events, e => Assert.Equal(world.StepCount, e.Step));
        Assert.True(events[1].Feedback.ForceMagnitudeN > 3000);
        double after = BallKg * ball.LinearVelocityMps.Y + ShelfKg * (upper.LinearVelocityMps.Y + lower.LinearVelocityMps.Y);
        Assert.InRange(after, before * 1.1, before * 0.9);
        Assert.True(ball.LinearVelocityMps.Y < -3, $"the ball stopped at {ball.LinearVelocityMps.Y} m/s");
    }
}
