using System.IO.Hashing;
using Stage.Physics;

namespace Stage.World.Tests;

/// <summary>A world with a bound: bodies that leave it are frozen or removed at that step, with an event (issue 13, item 2).</summary>
public class WorldBoundTests
{
    private static StageWorld Load(string json)
    {
        SceneLoadResult loaded = SceneLoader.LoadText(json, "bound.json");
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Faults));
        return loaded.Scene!.Build();
    }

    [Fact]
    public void The_ball_that_rolls_off_the_hills_is_frozen_at_the_kill_height_with_one_event_at_that_step()
    {
        using StageWorld world = Worlds.LoadExample("hills-edge");
        Assert.Equal(WorldBound.Default, world.Settings.Bound);
        Entity ball = world.Find("ball")!;
        var events = new List<WorldEvent>();
        world.EventRaised += (_, e) => events.Add(e);
        long frozenAt = -1;
        for (int i = 0; i < 120 * 10; i++)
        {
            double yBefore = ball.PositionM.Y;
            world.Step();
            if (frozenAt < 0 && ball.Overrides.Frozen)
            {
                frozenAt = world.StepCount;
                // Found below the kill height after this step, and not before it.
                Assert.True(yBefore >= -100, $"it was already at {yBefore} m");
            }
        }
        EntityLeftBoundEvent left = Assert.Single(events.OfType<EntityLeftBoundEvent>());
        Assert.Equal(frozenAt, left.Step);
        Assert.Equal(ball.Id, left.EntityId);
        Assert.Equal(BoundAction.Freeze, left.Action);
        Assert.True(left.PositionM.Y < -100);
        Assert.Contains("outside the world bound", left.Reason);
        // Free fall from the terrain's edge (≈ 0.7 s of rolling, then 100 m ≈ 4.5 s).
        Assert.InRange(frozenAt / 120.0, 4.6, 6);
        // Frozen on the bound, at rest, and it stays there: the entity persists.
        Assert.Equal(-100, ball.PositionM.Y);
        Assert.Equal(Vector3D.Zero, ball.LinearVelocityMps);
        Assert.Contains(world.Entities, e => e.Id == ball.Id);
        Vector3D there = ball.PositionM;
        world.StepTo(world.StepCount + 600);
        Assert.Equal(there, ball.PositionM);
        Assert.Single(events.OfType<EntityLeftBoundEvent>());
    }

    [Fact]
    public void A_scene_bound_with_remove_destroys_what_leaves_it_and_the_rest_stays()
    {
        using StageWorld world = Load("""
            { "bound": { "minM": [-5, -2, -5], "maxM": [5, 20, 5], "action": "remove" },
              "entities": [
                { "name": "floor", "shape": { "kind": "box", "sizeM": [2, 0.2, 2] }, "body": "static", "positionM": [0, -0.1, 0] },
                { "name": "stays", "shape": { "kind": "sphere", "radiusM": 0.1 }, "positionM": [0, 0.1, 0] },
                { "name": "thrown", "shape": { "kind": "sphere", "radiusM": 0.1 }, "positionM": [0, 1, 0], "linearVelocityMps": [12, 0, 0] } ] }
            """);
        var events = new List<WorldEvent>();
        world.EventRaised += (_, e) => events.Add(e);
        world.StepTo(120);
        Assert.Null(world.Find("thrown"));
        Assert.NotNull(world.Find("stays"));
        EntityLeftBoundEvent left = Assert.Single(events.OfType<EntityLeftBoundEvent>());
        Assert.Equal(BoundAction.Remove, left.Action);
        Assert.True(left.PositionM.X > 5);
        // Out at 5 m / 12 m/s ≈ step 50, then its destruction in the same step, after the bound event.
        Assert.InRange(left.Step, 48, 53);
        int leftAt = events.IndexOf(left);
        EntityDestroyedEvent destroyed = Assert.IsType<EntityDestroyedEvent>(events[leftAt + 1]);
        Assert.Equal((left.Step, left.EntityId), (destroyed.Step, destroyed.EntityId));
    }

    [Fact]
    public void A_body_faster_than_the_physics_limits_is_frozen_too()
    {
        using StageWorld world = Load("""
            { "rules": { "gravityMps2": [0, 0, 0] },
              "entities": [ { "name": "rocket", "shape": { "kind": "sphere", "radiusM": 0.1 }, "positionM": [0, 1, 0], "overrides": { "gravityScale": 100 } } ] }
            """);
        Entity rocket = world.Find("rocket")!;
        // A rule change can make gravity strong: 100 × 1,000 m/s² on its own scale is 10⁵ m/s², which passes 10 km/s in a tenth of a second.
        world.Submit(new SetRulesCommand(world.Rules with { GravityMps2 = new Vector3D(1000, 0, 0) }));
        var events = new List<EntityLeftBoundEvent>();
        world.EventRaised += (_, e) => { if (e is EntityLeftBoundEvent b) events.Add(b); };
        world.StepTo(60);
        EntityLeftBoundEvent left = Assert.Single(events);
        Assert.True(rocket.Overrides.Frozen);
        Assert.True(world.Settings.Bound.Contains(rocket.PositionM));
        Assert.True(left.Reason.Contains("faster than", StringComparison.Ordinal) || left.Reason.Contains("outside", StringComparison.Ordinal), left.Reason);
    }

    [Fact]
    public void Commands_cannot_put_a_body_outside_the_bound()
    {
        using StageWorld world = Load("""
            { "bound": { "minM": [-10, -1, -10], "maxM": [10, 10, 10] },
              "entities": [ { "name": "ball", "shape": { "kind": "sphere", "radiusM": 0.1 }, "positionM": [0, 1, 0] } ] }
            """);
        long ball = world.Find("ball")!.Id;
        var refused = new List<CommandRejectedEvent>();
        world.EventRaised += (_, e) => { if (e is CommandRejectedEvent r) refused.Add(r); };
        world.Submit(new TeleportCommand(ball, new Vector3D(50, 1, 0), QuaternionD.Identity));
        world.Submit(new CreateEntityCommand(Worlds.Ball("far", new Vector3D(0, 1, 40))));
        world.Step();
        Assert.Equal(2, refused.Count);
        Assert.Contains("outside the world bound", refused[0].Reason);
        Assert.Contains("outside the world bound", refused[1].Reason);
        Assert.Null(world.Find("far"));
        Assert.InRange(world.Get(ball)!.PositionM.X, -1e-9, 1e-9);
    }

    [Fact]
    public void The_bound_is_kept_in_snapshots_and_a_version_1_snapshot_reads_with_the_default()
    {
        using StageWorld world = Load("""
            { "bound": { "minM": [-3, -4, -5], "maxM": [6, 7, 8], "action": "remove" },
              "entities": [ { "name": "ball", "shape": { "kind": "sphere", "radiusM": 0.1 }, "positionM": [0, 1, 0] } ] }
            """);
        world.StepTo(10);
        // Format 2 (no sun) from today's bytes (FormatPinTests holds these to the old pinned bytes).
        byte[] v2 = FormatPinTests.AsFormatTwo(WorldCodec.EncodeSnapshot(world));
        Assert.Equal(2, WorldCodec.SnapshotVersionOf(v2));
        WorldImage image = WorldCodec.DecodeSnapshot(v2, "v2.snap");
        Assert.Equal(new WorldBound(new(-3, -4, -5), new(6, 7, 8), BoundAction.Remove), image.Settings.Bound);
        using StageWorld restored = image.Restore();
        Assert.Equal(world.ComputeStateHash(), restored.ComputeStateHash());

        // Version 1 had no bound: the same bytes without it (6 doubles + 1 byte after the settings).
        byte[] payload = v2[16..^4];
        const int boundAt = 4 + 8 + 4 + 1, boundLength = 6 * 8 + 1;
        byte[] v1Payload = [.. payload[..boundAt], .. payload[(boundAt + boundLength)..]];
        byte[] v1 = [.. "STGWORLD"u8, .. BitConverter.GetBytes(1), .. BitConverter.GetBytes(v1Payload.Length), .. v1Payload,
            .. BitConverter.GetBytes(Crc32.HashToUInt32(v1Payload))];
        WorldImage old = WorldCodec.DecodeSnapshot(v1, "v1.snap");
        Assert.Equal(WorldBound.Default, old.Settings.Bound);
        Assert.Equal(image.Entities.Count, old.Entities.Count);
        Assert.Equal(image.Step, old.Step);
    }

    [Theory]
    [InlineData("""{ "minM": [0, 0, 0], "maxM": [0, 10, 10] }""", "bound.maxM", "above minM")]
    [InlineData("""{ "minM": [-1e7, 0, 0] }""", "bound.minM", "±1000000 m")]
    [InlineData("""{ "action": "explode" }""", "bound.action", "freeze")]
    [InlineData("""{ "maxM": [1, 2] }""", "bound.maxM", "three")]
    public void A_bad_bound_is_a_fault_at_its_path(string bound, string path, string says)
    {
        SceneLoadResult result = SceneLoader.LoadText($$"""{ "bound": {{bound}}, "entities": [] }""", "bad-bound.json");
        Assert.False(result.IsValid);
        Assert.Contains(result.Faults, f => f.Path == path && f.Message.Contains(says, StringComparison.Ordinal));
    }

    [Fact]
    public void A_dynamic_entity_that_starts_outside_the_bound_is_a_fault_naming_it()
    {
        SceneLoadResult result = SceneLoader.LoadText("""
            { "bound": { "minM": [-10, -1, -10], "maxM": [10, 10, 10] },
              "entities": [ { "name": "high", "shape": { "kind": "sphere", "radiusM": 0.1 }, "positionM": [0, 50, 0] },
                            { "name": "set", "body": "static", "shape": { "kind": "box", "sizeM": [1, 1, 1] }, "positionM": [0, 50, 0] } ] }
            """, "outside.json");
        Assert.Equal("entities[0].positionM", Assert.Single(result.Faults).Path);
        Assert.Contains("outside the world bound", result.Faults[0].Message);
    }
}
