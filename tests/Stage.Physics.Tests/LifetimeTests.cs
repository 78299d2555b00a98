using Stage.Physics;

namespace Stage.Physics.Tests;

public class LifetimeTests
{
    [Fact]
    public void World_dispose_is_idempotent_and_disposes_everything_in_it()
    {
        var world = new PhysicsWorld();
        Geom floor = Scenes.Floor(world);
        RigidBody a = world.CreateBody(new BoxShape(new(1, 1, 1)), 1, Material.Default, new(0, 2, 0));
        RigidBody b = world.CreateBody(new SphereShape(0.5), 1, Material.Default, new(0, 4, 0));
        Joint joint = world.CreateBall(a, b, new(0, 3, 0));
        world.Step(10);

        world.Dispose();
        world.Dispose();

        Assert.True(world.IsDisposed);
        Assert.True(floor.IsDisposed && a.IsDisposed && b.IsDisposed && joint.IsDisposed);
        Assert.True(a.Geoms[0].IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => world.Step());
        Assert.Throws<ObjectDisposedException>(() => world.CaptureState());
        Assert.Throws<ObjectDisposedException>(() => a.PositionM);
        Assert.Throws<ObjectDisposedException>(() => joint.Feedback);
        a.Dispose();
        joint.Dispose();
        floor.Dispose();
    }

    [Fact]
    public void Disposing_a_body_removes_its_geoms_and_joints_and_wakes_the_rest()
    {
        using var world = new PhysicsWorld();
        Scenes.Floor(world);
        RigidBody support = world.CreateBody(new BoxShape(new(1, 1, 1)), 5, Material.Default, new(0, 0.5, 0));
        RigidBody top = world.CreateBody(new BoxShape(new(0.5, 0.5, 0.5)), 1, Material.Default, new(0, 1.25, 0));
        RigidBody side = world.CreateBody(new SphereShape(0.1), 1, Material.Default, new(0.6, 0.1, 0));
        Joint joint = world.CreateFixed(side, support);
        world.Step(300);
        Assert.False(top.IsAwake);

        support.Dispose();
        support.Dispose();

        Assert.True(support.IsDisposed);
        Assert.True(joint.IsDisposed);
        Assert.DoesNotContain(world.Joints, j => j == joint);
        Assert.Equal(3, world.Geoms.Count()); // floor, top, side
        Assert.Equal(3, world.GetSpaceOrder().Count);
        Assert.True(top.IsAwake);
        world.Step(120);
        Assert.InRange(top.PositionM.Y, 0.24, 0.26); // fell to the floor
        // The state lists only live bodies and joints, by id.
        PhysicsState state = world.CaptureState();
        Assert.Equal([top.Id, side.Id], state.BodyIds);
        Assert.Empty(state.JointIds);
    }

    [Fact]
    public void Disposing_a_geom_leaves_its_body()
    {
        using var world = new PhysicsWorld();
        RigidBody body = world.CreateBody(new SphereShape(0.2), 1, Material.Default, new(0, 1, 0));
        Geom extra = body.AddGeom(new BoxShape(new(0.1, 0.1, 0.1)), Material.Default, new(0, 0.3, 0));
        Assert.Equal(2, body.Geoms.Count);
        Assert.Equal(new Vector3D(0, 1.3, 0), extra.PositionM);
        extra.Dispose();
        extra.Dispose();
        Assert.Single(body.Geoms);
        Assert.False(body.IsDisposed);
        world.Step();
    }

    [Fact]
    public void Invalid_shapes_materials_and_settings_are_refused()
    {
        using var world = new PhysicsWorld();
        Assert.Throws<ArgumentException>(() => world.CreateBody(PlaneShape.Floor, 1, Material.Default, default));
        Assert.Throws<ArgumentException>(() => world.CreateBody(new SphereShape(0.1), 0, Material.Default, default));
        Assert.Throws<ArgumentException>(() => world.CreateBody(new SphereShape(-1), 1, Material.Default, default));
        Assert.Throws<ArgumentException>(() => world.CreateBody(new BoxShape(new(1, double.NaN, 1)), 1, Material.Default, default));
        Assert.Throws<ArgumentException>(() => world.CreateBody(new SphereShape(0.1), 1, new Material(0.5, 1.5), default));
        Assert.Throws<ArgumentException>(() => world.CreateBody(new SphereShape(0.1), 1, new Material(-1), default));
        Assert.Throws<ArgumentException>(() => world.CreateStaticGeom(new HeightfieldShape(1, 1, 3, 3, [0, 0, 0]), Material.Default));
        Assert.Throws<ArgumentException>(() => world.CreateStaticGeom(PlaneShape.Floor, Material.Default, new(0, 1, 0)));
        Assert.Throws<ArgumentException>(() => new PhysicsWorld(new PhysicsWorldSettings { StepSeconds = 0 }));
        Assert.Throws<ArgumentException>(() => new PhysicsWorld(new PhysicsWorldSettings { MaxContactsPerPair = 0 }));
        Assert.Empty(world.Bodies);
    }

    [Fact]
    public void Setting_velocity_wakes_a_sleeping_body()
    {
        using var world = new PhysicsWorld();
        Scenes.Floor(world);
        RigidBody box = world.CreateBody(new BoxShape(new(1, 1, 1)), 5, Material.Default, new(0, 0.5, 0));
        world.Step(200);
        Assert.False(box.IsAwake);
        box.LinearVelocityMps = new Vector3D(1, 0, 0);
        Assert.True(box.IsAwake);
        Assert.Equal(0, box.SleepCounter);
        world.Step();
        Assert.True(box.PositionM.X > 0);
    }

    [Fact]
    public void Kinematic_body_moves_at_its_velocity_and_pushes_dynamic_ones()
    {
        using var world = new PhysicsWorld();
        Scenes.Floor(world);
        RigidBody pusher = world.CreateBody(new BoxShape(new(0.5, 1, 2)), 100, Material.Default, new(-1, 0.6, 0));
        pusher.IsKinematic = true;
        pusher.LinearVelocityMps = new Vector3D(1, 0, 0);
        RigidBody crate = world.CreateBody(new BoxShape(new(0.5, 0.5, 0.5)), 1, Material.Default, new(0.5, 0.25, 0));
        world.Step(240);
        Assert.Equal(-1 + 240 * world.StepSeconds * 1, pusher.PositionM.X, 9);
        Assert.Equal(0.6, pusher.PositionM.Y, 12);
        Assert.True(crate.PositionM.X > pusher.PositionM.X + 0.45);
    }

    [Fact]
    public void Gravity_can_be_turned_off_per_body()
    {
        using var world = new PhysicsWorld();
        RigidBody floating = world.CreateBody(new SphereShape(0.2), 1, Material.Default, new(0, 2, 0));
        RigidBody falling = world.CreateBody(new SphereShape(0.2), 1, Material.Default, new(1, 2, 0));
        floating.GravityEnabled = false;
        world.Step(60);
        Assert.Equal(2, floating.PositionM.Y);
        Assert.True(falling.PositionM.Y < 1);
    }

    [Fact]
    public void Body_damping_removes_its_fraction_of_velocity_every_step()
    {
        using var world = new PhysicsWorld(new PhysicsWorldSettings { GravityMps2 = Vector3D.Zero });
        RigidBody damped = world.CreateBody(new SphereShape(0.1), 1, Material.Default, new(0, 1, 0));
        RigidBody free = world.CreateBody(new SphereShape(0.1), 1, Material.Default, new(5, 1, 0));
        damped.LinearDamping = 0.1;
        damped.AngularDamping = 0.2;
        damped.LinearVelocityMps = new Vector3D(2, 0, 0);
        damped.AngularVelocityRadps = new Vector3D(0, 3, 0);
        free.LinearVelocityMps = new Vector3D(2, 0, 0);
        world.Step(10);
        Assert.Equal(2 * Math.Pow(0.9, 10), damped.LinearVelocityMps.X, 9);
        Assert.Equal(3 * Math.Pow(0.8, 10), damped.AngularVelocityRadps.Y, 9);
        Assert.Equal(2, free.LinearVelocityMps.X);
        Assert.Throws<ArgumentOutOfRangeException>(() => damped.LinearDamping = 1.5);
    }
}
