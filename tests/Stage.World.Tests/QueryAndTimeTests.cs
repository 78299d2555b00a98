using System.Numerics;
using Stage.Physics;

namespace Stage.World.Tests;

public class QueryAndTimeTests
{
    private static StageWorld Row()
    {
        var world = new StageWorld(new WorldSettings { SleepEnabled = false }, new WorldRules { GravityMps2 = Vector3D.Zero });
        for (int i = 0; i < 10; i++)
        {
            world.CreateEntity(new EntityDefinition { Name = $"marker-{i}", PositionM = new Vector3D(i * 2 - 9, 1, -5) });
        }
        return world;
    }

    [Fact]
    public void Frustum_from_planes_and_from_a_view_projection_select_the_same_entities_in_id_order()
    {
        using StageWorld world = Row();
        // Camera at the origin looking down −Z, 90° horizontal field: at z = −5 it sees −5 < x < 5.
        Matrix4x4 view = Matrix4x4.CreateLookAt(Vector3.Zero, -Vector3.UnitZ, Vector3.UnitY);
        Matrix4x4 projection = Matrix4x4.CreatePerspectiveFieldOfView(MathF.PI / 2, 1, 0.1f, 100);
        Frustum fromMatrix = Frustum.FromViewProjection(view * projection);
        double s = Math.Sqrt(0.5);
        var fromPlanes = new Frustum([
            new FrustumPlane(new Vector3D(s, 0, -s), 0), new FrustumPlane(new Vector3D(-s, 0, -s), 0),
            new FrustumPlane(new Vector3D(0, s, -s), 0), new FrustumPlane(new Vector3D(0, -s, -s), 0),
            new FrustumPlane(new Vector3D(0, 0, -1), -0.1), new FrustumPlane(new Vector3D(0, 0, 1), 100),
        ]);
        string[] expected = ["marker-2", "marker-3", "marker-4", "marker-5", "marker-6", "marker-7"];
        Assert.Equal(expected, world.InFrustum(fromMatrix).Select(e => e.Name));
        Assert.Equal(expected, world.InFrustum(fromPlanes).Select(e => e.Name));
        // A body's bounding sphere counts: a 1 m sphere centred just outside the edge is still seen.
        world.CreateEntity(Worlds.Ball("edge", new Vector3D(5.5, 1, -5), 1.0));
        Assert.Equal("edge", world.InFrustum(fromMatrix)[^1].Name);
    }

    [Fact]
    public void Queries_by_id_name_and_tag_and_everything_in_id_order()
    {
        using StageWorld world = Row();
        Entity tagged = world.CreateEntity(new EntityDefinition { Name = "hero", Tags = ["hero", "red"] });
        Assert.Same(tagged, world.Get(tagged.Id));
        Assert.Same(tagged, world.Find("hero"));
        Assert.Equal([tagged], world.WithTag("red"));
        Assert.Null(world.Get(999));
        Assert.Equal(world.Entities.Select(e => e.Id).Order(), world.Entities.Select(e => e.Id));
        world.Submit(new DestroyEntityCommand(world.Find("marker-0")!.Id));
        world.Submit(new CreateEntityCommand(new EntityDefinition { Name = "new" }));
        world.Step();
        Assert.Equal(12, world.Find("new")!.Id); // ids are never reused
        Assert.Equal(world.Entities.Select(e => e.Id).Order(), world.Entities.Select(e => e.Id));
    }

    [Fact]
    public void Advance_runs_whole_steps_and_interpolates_between_the_last_two()
    {
        using var world = new StageWorld(new WorldSettings { SleepEnabled = false }, new WorldRules { GravityMps2 = Vector3D.Zero });
        Entity ball = world.CreateEntity(Worlds.Ball("ball", Vector3D.Zero, velocityMps: new Vector3D(1.2, 0, 0)));
        world.AdvanceToSeconds(0.5 + 0.25 / 120);
        Assert.Equal(60, world.StepCount);
        Assert.Equal(0.25, world.InterpolationAlpha, 9);
        (Vector3D p, _) = world.InterpolatedPose(ball);
        Assert.Equal(ball.PreviousPositionM.X + 0.25 * 0.01, p.X, 12);
        Assert.Equal(0.6, ball.PositionM.X, 12);

        // Engine time: 1 s at time scale 1 is 120 steps however it is sliced; at 0.5, 60.
        using var sliced = new StageWorld();
        for (int i = 0; i < 7; i++) sliced.Advance(TimeSpan.FromTicks(i < 6 ? 1_428_571 : 1_428_574)); // 1 s in uneven slices
        Assert.Equal(120, sliced.StepCount);
        sliced.Submit(new SetRulesCommand(sliced.Rules with { TimeScale = 0.5 }));
        sliced.Step();
        sliced.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(181, sliced.StepCount);
    }

    [Fact]
    public void Kinematic_paths_follow_their_closed_forms()
    {
        using StageWorld world = Worlds.LoadExample("traffic");
        Entity car = world.Find("car-0")!;
        var loop = (LoopPathBehaviour)car.Behaviour!;
        Entity sign = world.Find("sign")!;
        Entity barrier = world.Find("barrier")!;
        world.StepTo(600);
        (Vector3D expected, _) = loop.PoseAt(5.0, car.HomePositionM, car.HomeOrientation);
        Assert.True((car.PositionM - expected).Length < 1e-9, $"{car.PositionM} vs {expected}");
        // The spinner has turned 45°/s × 5 s = 225° about +Y.
        Assert.Equal(Math.Cos(225 * Math.PI / 360), sign.Orientation.W, 6);
        // The swinging barrier stays on its circle about the pivot.
        var swing = (SwingBehaviour)barrier.Behaviour!;
        Assert.Equal((barrier.HomePositionM - swing.PivotM).Length, (barrier.PositionM - swing.PivotM).Length, 6);
        Assert.All(world.WithTag("vehicle"), v => Assert.True(v.IsKinematic));
    }
}
