using System.IO.Hashing;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Stage.Physics;

namespace Stage.World.Tests;

public sealed class PersistenceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stage-world-tests-" + Guid.NewGuid().ToString("N"));

    public PersistenceTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Checksums_and_hash_match_published_vectors()
    {
        Assert.Equal(0xCBF43926u, Crc32.HashToUInt32("123456789"u8));
        Assert.Equal(0xEF46DB3751D8E999UL, XxHash64.HashToUInt64([]));
        Assert.Equal(0x44BC2CF5AD770999UL, XxHash64.HashToUInt64("abc"u8));
        Assert.Equal(0xFBCEA83C8A378BF1UL, XxHash64.HashToUInt64("Nobody inspects the spammish repetition"u8));
    }

    [Fact]
    public void Snapshot_bytes_round_trip_exactly_for_any_step_of_a_busy_world()
    {
        using StageWorld world = Worlds.Busy();
        Prop.ForAll(Gen.Choose(0, 30).ToArbitrary(), steps =>
        {
            world.StepTo(world.StepCount + steps);
            byte[] first = WorldCodec.EncodeSnapshot(WorldImage.Capture(world));
            WorldImage decoded = WorldCodec.DecodeSnapshot(first, "memory");
            Assert.Equal(first, WorldCodec.EncodeSnapshot(decoded));
            Assert.Empty(WorldDiff.Compare(WorldImage.Capture(world), decoded));
            Assert.Equal(world.ComputeStateHash(), WorldCodec.Hash(decoded));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Any_flipped_bit_or_truncation_of_a_snapshot_is_detected_and_names_the_file()
    {
        using StageWorld world = Worlds.Busy();
        world.StepTo(60);
        byte[] good = WorldCodec.EncodeSnapshot(WorldImage.Capture(world));
        Prop.ForAll(Gen.Choose(0, good.Length * 8 - 1).ToArbitrary(), bit =>
        {
            byte[] bad = (byte[])good.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            WorldFileException e = Assert.Throws<WorldFileException>(() => WorldCodec.DecodeSnapshot(bad, "take-12.snap"));
            Assert.StartsWith("take-12.snap: ", e.Message);
        }).QuickCheckThrowOnFailure();
        WorldFileException cut = Assert.Throws<WorldFileException>(() => WorldCodec.DecodeSnapshot(good.AsSpan(0, good.Length - 3), "cut.snap"));
        Assert.Contains("truncated", cut.Message);
        byte[] flipped = (byte[])good.Clone();
        flipped[100] ^= 0x10;
        Assert.Contains("checksum mismatch", Assert.Throws<WorldFileException>(() => WorldCodec.DecodeSnapshot(flipped, "x.snap")).Message);
    }

    [Fact]
    public void Snapshot_files_save_and_load_and_diff_names_the_first_differences()
    {
        using StageWorld world = Worlds.Busy();
        world.StepTo(100);
        string a = Path.Combine(_dir, "a.snap"), b = Path.Combine(_dir, "b.snap");
        WorldCodec.SaveSnapshot(WorldImage.Capture(world), a);
        Assert.False(File.Exists(a + ".tmp"));
        world.Submit(new TeleportCommand(world.Find("ball-3")!.Id, new Vector3D(5, 5, 5), QuaternionD.Identity));
        world.Step();
        WorldCodec.SaveSnapshot(WorldImage.Capture(world), b);
        WorldImage ia = WorldCodec.LoadSnapshot(a), ib = WorldCodec.LoadSnapshot(b);
        Assert.Equal(100, ia.Step);
        IReadOnlyList<string> diff = WorldDiff.Compare(ia, ib, 1000);
        Assert.StartsWith("step: 100 → 101", diff[0]);
        Assert.Contains(diff, d => d.Contains("'ball-3' position", StringComparison.Ordinal));
        Assert.Empty(WorldDiff.Compare(ia, WorldCodec.LoadSnapshot(a)));
    }

    private static void Drive(StageWorld w)
    {
        if (w.StepCount == 50) w.Submit(new SetRulesCommand(w.Rules with { GravityScale = 0.5 }));
        if (w.StepCount == 130) w.Submit(new CreateEntityCommand(Worlds.Ball("late", new Vector3D(0, 3, 0))));
        if (w.StepCount == 170) w.SubmitAt(200, new SetOverridesCommand(w.Find("ball-1")!.Id, new EntityOverrides(Floats: true)));
        if (w.StepCount == 250) w.Submit(new DestroyEntityCommand(w.Find("ball-0")!.Id));
    }

    private static ulong[] Uninterrupted(int steps)
    {
        using StageWorld world = Worlds.Busy();
        var hashes = new ulong[steps + 1];
        hashes[0] = world.ComputeStateHash();
        while (world.StepCount < steps)
        {
            Drive(world);
            world.Step();
            hashes[world.StepCount] = world.ComputeStateHash();
        }
        return hashes;
    }

    [Fact]
    public void Journal_recovery_replays_commands_and_continues_bit_identically()
    {
        ulong[] straight = Uninterrupted(400);
        // A run journaled every 60 steps that "crashes" (is abandoned without closing) at step 275.
        using (StageWorld world = Worlds.Busy())
        {
            var journal = new WorldJournal(_dir, world, 60);
            while (world.StepCount < 275)
            {
                Drive(world);
                world.Step();
            }
        }
        JournalRecovery recovery = WorldJournal.Recover(_dir);
        Assert.Empty(recovery.Problems);
        using StageWorld resumed = recovery.World!;
        Assert.Equal(240, resumed.StepCount);
        Assert.EndsWith(WorldJournal.SnapshotName(240), recovery.SnapshotPath);
        Assert.Equal(1, recovery.CommandsReplayed); // the destroy at 250
        Assert.Equal(straight[240], resumed.ComputeStateHash());
        while (resumed.StepCount < 400)
        {
            resumed.Step(); // no Drive: every command since the snapshot is in the journal
            Assert.True(straight[resumed.StepCount] == resumed.ComputeStateHash(), $"diverged at step {resumed.StepCount}");
        }
        Assert.Null(resumed.Find("ball-0"));
        Assert.NotNull(resumed.Find("late"));
    }

    [Fact]
    public void A_corrupt_newest_snapshot_is_named_and_the_previous_one_used_with_both_journals()
    {
        ulong[] straight = Uninterrupted(300);
        using (StageWorld world = Worlds.Busy())
        {
            var journal = new WorldJournal(_dir, world, 120);
            while (world.StepCount < 260)
            {
                Drive(world);
                world.Step();
            }
        }
        string newest = Path.Combine(_dir, WorldJournal.SnapshotName(240));
        byte[] bytes = File.ReadAllBytes(newest);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(newest, bytes);
        JournalRecovery recovery = WorldJournal.Recover(_dir);
        string problem = Assert.Single(recovery.Problems);
        Assert.Contains(newest, problem);
        Assert.Contains("checksum mismatch", problem);
        using StageWorld resumed = recovery.World!;
        Assert.Equal(120, resumed.StepCount);
        Assert.Equal(3, recovery.CommandsReplayed); // 130 create, 170 floats (at 200), 250 destroy
        while (resumed.StepCount < 300)
        {
            resumed.Step();
            Assert.True(straight[resumed.StepCount] == resumed.ComputeStateHash(), $"diverged at step {resumed.StepCount}");
        }
    }

    [Fact]
    public void A_newest_snapshot_with_a_body_past_the_limits_is_named_and_the_previous_one_used()
    {
        // What an older build could leave behind (a ball 5 × 10⁸ m down, where ODE aborts): the
        // recovery names the field and goes back a snapshot instead of aborting at every restart.
        using (StageWorld world = Worlds.Busy())
        {
            var journal = new WorldJournal(_dir, world, 120);
            world.StepTo(250);
        }
        string newest = Path.Combine(_dir, WorldJournal.SnapshotName(240));
        WorldImage image = WorldCodec.LoadSnapshot(newest);
        int index = image.Entities.ToList().FindIndex(e => e.BodyState is not null);
        EntityImage[] entities = [.. image.Entities];
        entities[index] = entities[index] with { BodyState = entities[index].BodyState!.Value with { PositionM = new Vector3D(0, -5.4e8, 0) } };
        WorldCodec.SaveSnapshot(image with { Entities = entities }, newest);
        JournalRecovery recovery = WorldJournal.Recover(_dir);
        string problem = Assert.Single(recovery.Problems);
        Assert.Contains(newest, problem);
        Assert.Contains($"entities[{index}].state.positionM", problem);
        using StageWorld resumed = recovery.World!;
        Assert.Equal(120, resumed.StepCount);
    }

    [Fact]
    public void A_torn_journal_tail_is_detected_and_dropped()
    {
        using (StageWorld world = Worlds.Busy())
        {
            var journal = new WorldJournal(_dir, world, 1000);
            world.StepTo(10);
            world.Submit(new SetVelocityCommand(world.Find("ball-1")!.Id, new Vector3D(1, 0, 0), Vector3D.Zero));
            world.Submit(new SetVelocityCommand(world.Find("ball-2")!.Id, new Vector3D(2, 0, 0), Vector3D.Zero));
        }
        string log = Path.Combine(_dir, WorldJournal.JournalName(0));
        byte[] whole = File.ReadAllBytes(log);
        for (int cut = 1; cut < 20; cut++)
        {
            File.WriteAllBytes(log, whole.AsSpan(0, whole.Length - cut).ToArray());
            JournalRecovery recovery = WorldJournal.Recover(_dir);
            using StageWorld world = recovery.World!;
            Assert.Equal(1, recovery.CommandsReplayed);
            Assert.Contains("torn record", Assert.Single(recovery.Problems));
            Assert.Equal(1, Assert.Single(world.PendingCommands).Sequence); // the first command is back, the torn second is gone
        }
        File.WriteAllBytes(log, whole);
        JournalRecovery full = WorldJournal.Recover(_dir);
        using (full.World)
        {
            Assert.Empty(full.Problems);
            Assert.Equal(2, full.CommandsReplayed);
        }
    }
}
