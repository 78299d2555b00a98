using Stage.Physics;
using Stage.Physics.Native;

namespace Stage.Physics.Tests;

/// <summary>
/// Capture at step k → restore → step on equals the run that never stopped, bit for bit; and
/// the controls showing that each restored piece (orientation bits, space order, seed) matters.
/// </summary>
public class RestoreTests
{
    private const int CaptureStep = 150;
    private const int EndStep = 480;

    private static PhysicsState[] Reference()
    {
        using PhysicsWorld world = Scenes.Busy();
        var states = new PhysicsState[EndStep + 1];
        states[0] = world.CaptureState();
        for (int i = 1; i <= EndStep; i++)
        {
            world.Step();
            states[i] = world.CaptureState();
        }
        return states;
    }

    private static PhysicsState CaptureAt(int step)
    {
        using PhysicsWorld world = Scenes.Busy();
        world.Step(step);
        return world.CaptureState();
    }

    /// <summary>First step (after the restore point) whose body states differ from the reference, or null.</summary>
    private static int? FirstDivergence(PhysicsWorld world, PhysicsState[] reference, int from, bool wholeState)
    {
        for (int i = from + 1; i <= EndStep; i++)
        {
            world.Step();
            PhysicsState now = world.CaptureState();
            bool same = wholeState ? now.BitEquals(reference[i]) : DeterminismTests.BodiesBitEqual(now, reference[i]);
            if (!same) return i;
        }
        return null;
    }

    [Fact]
    public void Restore_into_a_fresh_world_continues_bit_identically()
    {
        PhysicsState[] reference = Reference();
        PhysicsState saved = CaptureAt(CaptureStep);
        Assert.True(saved.BitEquals(reference[CaptureStep]));

        using PhysicsWorld world = Scenes.Busy();
        // A fresh world's hash space lists geoms in creation order, not in the saved order.
        Assert.NotEqual(saved.SpaceOrder, world.CaptureState().SpaceOrder);
        world.RestoreState(saved);
        Assert.True(world.CaptureState().BitEquals(saved));
        foreach (RigidBody body in world.Bodies)
        {
            AssertRotationMatchesOdeIntegrator(body);
        }

        Assert.Null(FirstDivergence(world, reference, CaptureStep, wholeState: true));
        // The restore crossed a joint break and bodies falling asleep, and it needed the
        // exact quaternion write at least once.
        Assert.Contains(world.Joints, j => j.BrokenAtStep > CaptureStep);
        Assert.Contains(world.Bodies, b => !b.IsAwake);
        Assert.True(world.ExactOrientationWrites > 0);
    }

    [Fact]
    public void Restore_into_the_same_world_after_it_ran_on_continues_bit_identically()
    {
        PhysicsState[] reference = Reference();
        using PhysicsWorld world = Scenes.Busy();
        world.Step(CaptureStep);
        PhysicsState saved = world.CaptureState();
        world.Step(200); // history moves on: joints break, bodies sleep, the space reorders
        world.RestoreState(saved);

        Assert.Equal(CaptureStep, world.StepCount);
        Assert.All(world.Joints, j => Assert.False(j.IsBroken));
        Assert.Null(FirstDivergence(world, reference, CaptureStep, wholeState: true));
    }

    [Fact]
    public void Restored_breakable_joint_breaks_again_at_the_same_step_with_one_event()
    {
        PhysicsState saved = CaptureAt(CaptureStep);
        using PhysicsWorld world = Scenes.Busy();
        var events = new List<long>();
        world.JointBroken += (_, e) => events.Add(e.Step);
        world.Step(EndStep);
        long[] first = [.. events];
        Assert.Single(first);
        Assert.InRange(first[0], CaptureStep + 1, EndStep);

        world.RestoreState(saved);
        events.Clear();
        world.Step(EndStep - CaptureStep);
        Assert.Equal(first, events);
    }

    [Fact]
    public void Body_state_get_set_round_trips_every_bit()
    {
        using PhysicsWorld world = Scenes.Busy();
        world.Step(90);
        foreach (RigidBody body in world.Bodies)
        {
            BodyState state = body.GetState();
            double[] rotation = body.GetRotationMatrix();
            body.SetState(state);
            Assert.True(state.BitEquals(body.GetState()));
            Assert.Equal(rotation, body.GetRotationMatrix());
        }
    }

    [Fact]
    public unsafe void Finding_dBodySetQuaternion_alone_changes_bits_and_the_run_diverges()
    {
        PhysicsState[] reference = Reference();
        PhysicsState saved = CaptureAt(CaptureStep);
        using PhysicsWorld world = Scenes.Busy();
        world.RestoreState(saved);

        // Put every orientation back the ordinary way: ODE renormalises the stored unit quaternion.
        int changed = 0;
        double* given = stackalloc double[4];
        for (int i = 0; i < saved.BodyIds.Count; i++)
        {
            RigidBody body = world.Bodies.Single(b => b.Id == saved.BodyIds[i]);
            QuaternionD q = saved.Bodies[i].Orientation;
            (given[0], given[1], given[2], given[3]) = (q.W, q.X, q.Y, q.Z);
            Ode.BodySetQuaternion(body.Handle, given);
            if (!body.Orientation.BitEquals(q)) changed++;
        }
        world.SetSpaceOrder([.. saved.SpaceOrder.Select(id => world.Geoms.Single(g => g.Id == id))]);

        Assert.True(changed > 0, "some orientation should have lost its exact bits");
        Assert.NotNull(FirstDivergence(world, reference, CaptureStep, wholeState: false));
    }

    [Fact]
    public void Finding_without_the_space_order_the_run_diverges()
    {
        PhysicsState[] reference = Reference();
        PhysicsState saved = CaptureAt(CaptureStep);
        using PhysicsWorld world = Scenes.Busy();
        for (int i = 0; i < saved.BodyIds.Count; i++)
        {
            world.Bodies.Single(b => b.Id == saved.BodyIds[i]).SetState(saved.Bodies[i]);
        }
        world.RandomSeed = saved.RandomSeed;

        Assert.NotEqual(saved.SpaceOrder, world.CaptureState().SpaceOrder);
        Assert.NotNull(FirstDivergence(world, reference, CaptureStep, wholeState: false));
    }

    [Fact]
    public void Finding_without_the_seed_the_run_diverges()
    {
        PhysicsState[] reference = Reference();
        PhysicsState saved = CaptureAt(CaptureStep);
        using PhysicsWorld world = Scenes.Busy();
        world.RestoreState(saved);
        world.RandomSeed = world.Settings.RandomSeed; // as if the snapshot had not kept it

        Assert.NotEqual(saved.RandomSeed, world.RandomSeed);
        Assert.NotNull(FirstDivergence(world, reference, CaptureStep, wholeState: false));
    }

    [Fact]
    public void Space_order_can_be_read_and_set()
    {
        using PhysicsWorld world = Scenes.Busy();
        world.Step(30);
        IReadOnlyList<Geom> order = world.GetSpaceOrder();
        Assert.Equal(world.Geoms.Count(), order.Count);
        Geom[] reversed = [.. order.Reverse()];
        world.SetSpaceOrder(reversed);
        Assert.Equal(reversed, world.GetSpaceOrder());
        Assert.Throws<ArgumentException>(() => world.SetSpaceOrder([.. order.Skip(1)]));
        Assert.Throws<ArgumentException>(() => world.SetSpaceOrder([order[0], .. order.Skip(2), order[0]]));
    }

    [Fact]
    public void A_geom_whose_body_moved_goes_to_the_head_of_the_space_and_a_sleeping_one_does_not()
    {
        using var world = new PhysicsWorld();
        RigidBody a = world.CreateBody(new SphereShape(0.1), 1, Material.Default, new(0, 5, 0));
        RigidBody b = world.CreateBody(new SphereShape(0.1), 1, Material.Default, new(3, 5, 0));
        Geom ga = a.Geoms[0];
        Geom gb = b.Geoms[0];
        Assert.Equal([gb, ga], world.GetSpaceOrder()); // dSpaceAdd inserts at the head

        b.Sleep();
        world.Step(); // only a moves: dGeomMoved puts it first
        Assert.Equal([ga, gb], world.GetSpaceOrder());

        b.Wake();
        a.Sleep();
        world.Step(); // only b moves
        Assert.Equal([gb, ga], world.GetSpaceOrder());
    }

    [Fact]
    public void Restore_rejects_a_state_of_a_different_world()
    {
        using PhysicsWorld busy = Scenes.Busy();
        using var small = new PhysicsWorld();
        Scenes.Floor(small);
        small.CreateBody(new SphereShape(0.1), 1, Material.Default, new(0, 1, 0));
        Assert.Throws<ArgumentException>(() => small.RestoreState(busy.CaptureState()));
    }

    private static unsafe void AssertRotationMatchesOdeIntegrator(RigidBody body)
    {
        // ODE's integrator keeps R = dRfromQ(q) after every step; the restore must too.
        QuaternionD q = body.Orientation;
        double* qq = stackalloc double[4] { q.W, q.X, q.Y, q.Z };
        double* r = stackalloc double[12];
        Ode.RFromQ(r, qq);
        double[] actual = body.GetRotationMatrix();
        for (int i = 0; i < 12; i++) Assert.Equal(BitConverter.DoubleToInt64Bits(r[i]), BitConverter.DoubleToInt64Bits(actual[i]));
    }
}
