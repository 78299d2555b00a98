using Stage.Physics;

namespace Stage.World.Tests;

public class DeterminismTests
{
    private static List<ulong> Run(Func<StageWorld> make, int steps, Action<StageWorld>? commands = null)
    {
        using StageWorld world = make();
        var hashes = new List<ulong> { world.ComputeStateHash() };
        for (int i = 0; i < steps; i++)
        {
            commands?.Invoke(world);
            world.Step();
            hashes.Add(world.ComputeStateHash());
        }
        return hashes;
    }

    private static void Commands(StageWorld w)
    {
        if (w.StepCount == 100) w.Submit(new SetRulesCommand(w.Rules with { GravityScale = 0.5 }));
        if (w.StepCount == 150) w.Submit(new SetOverridesCommand(w.Find("ball-2")!.Id, new EntityOverrides(Floats: true)));
        if (w.StepCount == 200) w.Submit(new DestroyEntityCommand(w.Find("stack-4")!.Id));
        if (w.StepCount == 220) w.Submit(new CreateEntityCommand(Worlds.Ball("late", new Vector3D(0, 4, 0))));
        if (w.StepCount == 260) w.Submit(new SetVelocityCommand(w.Find("late")!.Id, new Vector3D(1, 2, 0), Vector3D.Zero));
    }

    [Fact]
    public void Same_world_and_commands_give_the_same_hash_every_step()
    {
        List<ulong> a = Run(() => Worlds.Busy(), 480, Commands);
        List<ulong> b = Run(() => Worlds.Busy(), 480, Commands);
        Assert.Equal(a, b);
        Assert.Equal(a.Count, a.Distinct().Count()); // the state really changes every step (the hash covers it)
    }

    [Fact]
    public void A_different_solver_seed_or_command_changes_the_hashes()
    {
        List<ulong> a = Run(() => Worlds.Busy(1), 240);
        List<ulong> b = Run(() => Worlds.Busy(2), 240);
        Assert.NotEqual(a[^1], b[^1]);
        List<ulong> c = Run(() => Worlds.Busy(1), 240, Commands);
        Assert.Equal(a.Take(101), c.Take(101));
        Assert.NotEqual(a[^1], c[^1]);
    }

    [Fact]
    public void Snapshot_at_k_restored_and_stepped_to_m_equals_the_uninterrupted_run()
    {
        List<ulong> straight = Run(() => Worlds.Busy(), 480, Commands);
        foreach (int k in new[] { 0, 1, 150, 210, 300 })
        {
            byte[] snapshot;
            using (StageWorld world = Worlds.Busy())
            {
                while (world.StepCount < k)
                {
                    Commands(world);
                    world.Step();
                }
                snapshot = WorldCodec.EncodeSnapshot(WorldImage.Capture(world));
            }
            using StageWorld restored = WorldCodec.DecodeSnapshot(snapshot, "memory").Restore();
            Assert.Equal(straight[k], restored.ComputeStateHash());
            while (restored.StepCount < 480)
            {
                Commands(restored);
                restored.Step();
                Assert.True(straight[(int)restored.StepCount] == restored.ComputeStateHash(), $"k={k}: diverged at step {restored.StepCount}");
            }
        }
    }

    [Fact]
    public void Events_carry_nondecreasing_steps_and_the_spawner_spawns_the_same_entities()
    {
        var first = new List<WorldEvent>();
        var second = new List<WorldEvent>();
        foreach (List<WorldEvent> log in new[] { first, second })
        {
            using StageWorld world = Worlds.Busy();
            world.EventRaised += (_, e) => log.Add(e);
            for (int i = 0; i < 400; i++) world.Step();
            Assert.Equal(6, world.Entities.Count(e => e.Name.StartsWith("spawner.", StringComparison.Ordinal)));
        }
        Assert.Equal(first.Select(e => e.ToString()), second.Select(e => e.ToString()));
        for (int i = 1; i < first.Count; i++) Assert.True(first[i].Step >= first[i - 1].Step);
        Assert.Contains(first, e => e is JointBrokeEvent { JointName: "weak" });
        Assert.Contains(first, e => e is ContactEvent);
        Assert.Equal(6, first.OfType<EntitySpawnedEvent>().Count(e => e.SpawnerId is not null));
    }
}
