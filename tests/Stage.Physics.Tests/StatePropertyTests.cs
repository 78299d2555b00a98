using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Stage.Physics;

namespace Stage.Physics.Tests;

public class StatePropertyTests
{
    private static Arbitrary<QuaternionD> Orientations() =>
        (from w in Gen.Choose(-1000, 1000)
         from x in Gen.Choose(-1000, 1000)
         from y in Gen.Choose(-1000, 1000)
         from z in Gen.Choose(-1000, 1000)
         from scale in Gen.Elements(1e-3, 0.37, 1.0, 7.5)
         where w != 0 || x != 0 || y != 0 || z != 0
         select new QuaternionD(w * scale / 1000.0, x * scale / 1000.0, y * scale / 1000.0, z * scale / 1000.0)).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Any_orientation_read_from_ode_is_put_back_bit_for_bit()
    {
        // Prop.ForAll runs after this method returns: each case builds its own world.
        return Prop.ForAll(Orientations(), q =>
        {
            using var world = new PhysicsWorld();
            RigidBody body = world.CreateBody(new BoxShape(new(1, 2, 3)), 1, Material.Default, new(0, 1, 0));
            body.Orientation = q; // ODE normalises, as after a step
            BodyState state = body.GetState();
            double[] rotation = body.GetRotationMatrix();
            body.Orientation = QuaternionD.Identity;
            body.SetState(state);
            return state.BitEquals(body.GetState()) && rotation.AsSpan().SequenceEqual(body.GetRotationMatrix());
        });
    }

    [Property(MaxTest = 100)]
    public Property A_state_with_a_non_unit_quaternion_comes_back_normalised()
    {
        return Prop.ForAll(Orientations(), q =>
        {
            using var world = new PhysicsWorld();
            RigidBody body = world.CreateBody(new SphereShape(0.5), 1, Material.Default, new(0, 1, 0));
            var state = new BodyState(new(1, 2, 3), q, Vector3D.Zero, Vector3D.Zero, true, 0);
            body.SetState(state);
            return Math.Abs(body.Orientation.Norm - 1) < 1e-12;
        });
    }
}
