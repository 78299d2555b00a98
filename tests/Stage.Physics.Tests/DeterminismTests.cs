using Stage.Physics;

namespace Stage.Physics.Tests;

/// <summary>Same scene, same steps → same bits, whatever else the process is doing.</summary>
public class DeterminismTests
{
    private const int Steps = 480;

    [Fact]
    public void Two_identical_runs_are_bit_identical_every_step()
    {
        using PhysicsWorld a = Scenes.Busy();
        using PhysicsWorld b = Scenes.Busy();
        for (int i = 1; i <= Steps; i++)
        {
            a.Step();
            b.Step();
            Assert.True(a.CaptureState().BitEquals(b.CaptureState()), $"runs differ at step {i}");
        }
        // The scene exercised what determinism has to cover.
        Assert.Contains(a.Joints, j => j.IsBroken);
        Assert.Contains(a.Bodies, body => !body.IsAwake);
    }

    [Fact]
    public void Worlds_stepped_on_two_threads_at_once_match_a_run_alone()
    {
        ulong[] alone = Run(Scenes.Busy(seed: 7));
        ulong[] otherAlone = Run(Scenes.Busy(seed: 99));

        ulong[]? first = null;
        ulong[]? second = null;
        var t1 = new Thread(() => first = Run(Scenes.Busy(seed: 7)));
        var t2 = new Thread(() => second = Run(Scenes.Busy(seed: 99)));
        t1.Start();
        t2.Start();
        t1.Join();
        t2.Join();

        Assert.Equal(alone, first);
        Assert.Equal(otherAlone, second);
    }

    [Fact]
    public void Interleaving_another_world_does_not_disturb_the_seed_sequence()
    {
        ulong[] alone = Run(Scenes.Busy(seed: 3));
        using PhysicsWorld world = Scenes.Busy(seed: 3);
        using PhysicsWorld noise = Scenes.Busy(seed: 12345);
        var hashes = new ulong[Steps];
        for (int i = 0; i < Steps; i++)
        {
            noise.Step(); // reseeds ODE's global generator in between
            world.Step();
            hashes[i] = Scenes.Hash(world);
        }
        Assert.Equal(alone, hashes);
    }

    [Fact]
    public void The_solver_seed_changes_the_result_so_it_must_be_saved()
    {
        ulong[] seven = Run(Scenes.Busy(seed: 7));
        ulong[] eight = Run(Scenes.Busy(seed: 8));
        // Step counts and seeds differ in the hash anyway: compare body bits instead.
        using PhysicsWorld a = Scenes.Busy(seed: 7);
        using PhysicsWorld b = Scenes.Busy(seed: 8);
        a.Step(Steps);
        b.Step(Steps);
        Assert.NotEqual(seven[^1], eight[^1]);
        Assert.False(BodiesBitEqual(a.CaptureState(), b.CaptureState()));
    }

    internal static ulong[] Run(PhysicsWorld world, int steps = Steps)
    {
        using (world)
        {
            var hashes = new ulong[steps];
            for (int i = 0; i < steps; i++)
            {
                world.Step();
                hashes[i] = Scenes.Hash(world);
            }
            return hashes;
        }
    }

    internal static bool BodiesBitEqual(PhysicsState a, PhysicsState b)
    {
        if (a.Bodies.Count != b.Bodies.Count) return false;
        for (int i = 0; i < a.Bodies.Count; i++)
        {
            if (!a.Bodies[i].BitEquals(b.Bodies[i])) return false;
        }
        return true;
    }
}
