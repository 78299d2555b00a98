using Stage.Physics;

namespace Stage.Physics.Tests;

/// <summary>What ODE would abort on (an infinite inertia, an AABB its hash space cannot place) is refused with an ArgumentException first.</summary>
public class LimitsTests
{
    [Fact]
    public void Shapes_masses_and_places_past_the_limits_are_refused_before_they_reach_ode()
    {
        using var world = new PhysicsWorld();
        Assert.Throws<ArgumentException>(() => world.CreateBody(new SphereShape(1e300), 1, Material.Default, new(0, 1, 0)));
        Assert.Throws<ArgumentException>(() => world.CreateBody(new SphereShape(1e-9), 1, Material.Default, new(0, 1, 0)));
        Assert.Throws<ArgumentException>(() => world.CreateBody(new BoxShape(new(1, 2e4, 1)), 1, Material.Default, new(0, 1, 0)));
        Assert.Throws<ArgumentException>(() => world.CreateBody(new CapsuleShape(0.1, 1e5), 1, Material.Default, new(0, 1, 0)));
        Assert.Throws<ArgumentException>(() => world.CreateBody(new SphereShape(0.1), 1e300, Material.Default, new(0, 1, 0)));
        Assert.Throws<ArgumentException>(() => world.CreateBody(new SphereShape(0.1), 1e-9, Material.Default, new(0, 1, 0)));
        Assert.Throws<ArgumentException>(() => world.CreateStaticGeom(new BoxShape(new(1, 1, 1)), Material.Default, new(1e9, 0, 0)));
        Assert.Throws<ArgumentException>(() => world.CreateStaticGeom(new PlaneShape(Vector3D.UnitY, 1e300), Material.Default));
        Assert.Throws<ArgumentException>(() => world.CreateStaticGeom(new HeightfieldShape(10, 10, 2, 2, [0, 0, 0, 1e300]), Material.Default));
        RigidBody body = world.CreateBody(new SphereShape(0.1), 1, Material.Default, new(0, 1, 0));
        Assert.Throws<ArgumentException>(() => world.CreateBall(body, null, new(0, 1e300, 0)));
        Assert.Throws<ArgumentException>(() => world.CreateHinge(body, null, new(1e7, 0, 0), Vector3D.UnitY));
        // At the limits themselves, all is well: made and stepped.
        world.CreateBody(new SphereShape(PhysicsLimits.MinSizeM), PhysicsLimits.MinMassKg, Material.Default, new(5, 1, 0));
        world.CreateBody(new BoxShape(new(PhysicsLimits.MaxSizeM, 1, 1)), PhysicsLimits.MaxMassKg, Material.Default, new(0, 100, 0));
        world.CreateStaticGeom(new BoxShape(new(1, 1, 1)), Material.Default, new(PhysicsLimits.MaxCoordinateM, 0, 0));
        world.Step(5);
        Assert.True(body.PositionM.IsFinite);
    }
}
