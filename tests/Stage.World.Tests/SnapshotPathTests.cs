using System.IO.Hashing;
using Stage.Physics;

namespace Stage.World.Tests;

/// <summary>The fast paths (hash and snapshot straight from the live world, restore in place) agree with the image path bit for bit.</summary>
public class SnapshotPathTests
{
    private static void Commands(StageWorld w)
    {
        switch (w.StepCount)
        {
            case 40: w.Submit(new SetTagsCommand(w.Find("ball-1")!.Id, ["hero", "lit"])); break;
            case 60: w.Submit(new SetAppearanceCommand(w.Find("ball-2")!.Id, new Appearance(PrimitiveKind.Sphere, new ColorRgb(1, 0, 0)))); break;
            case 80: w.Submit(new SetOverridesCommand(w.Find("ball-3")!.Id, new EntityOverrides(GravityScale: 0.3))); break;
            case 100: w.Submit(new DestroyEntityCommand(w.Find("stack-4")!.Id)); break;
            case 120: w.Submit(new CreateJointCommand(new JointDefinition("late", JointKind.Fixed, w.Find("ball-5")!.Id, w.Find("ball-6")!.Id, Vector3D.Zero, Vector3D.UnitY, new JointStrength(20, 2)))); break;
        }
    }

    [Fact]
    public void Hash_and_snapshot_of_the_live_world_equal_those_of_its_captured_image_every_step()
    {
        using StageWorld world = Worlds.Busy();
        while (world.StepCount < 300)
        {
            Commands(world);
            world.Step();
            WorldImage image = WorldImage.Capture(world);
            Assert.Equal(WorldCodec.Hash(image), world.ComputeStateHash());
            if (world.StepCount % 20 == 0) Assert.Equal(WorldCodec.EncodeSnapshot(image), WorldCodec.EncodeSnapshot(world));
        }
    }

    [Fact]
    public void A_snapshot_restored_in_place_continues_exactly_as_the_run_that_never_stopped()
    {
        byte[] atK = [];
        var straight = new Dictionary<long, ulong>();
        using StageWorld world = Worlds.Busy();
        while (world.StepCount < 420)
        {
            Commands(world);
            world.Step();
            straight[world.StepCount] = world.ComputeStateHash();
            // By step 200 the spawner has spawned all six, the commands are in: the same entities to the end.
            if (world.StepCount == 200) atK = WorldCodec.EncodeSnapshot(world);
        }
        for (int round = 0; round < 3; round++)
        {
            // The world ran on 220 steps past the snapshot: bodies moved, slept, a joint may have broken.
            bool inPlace = round switch
            {
                0 => WorldCodec.TryRestoreSnapshotInto(atK, "k.snap", world),
                1 => WorldCodec.DecodeSnapshot(atK, "k.snap").TryRestoreInto(world),
                _ => WorldCodec.TryRestoreSnapshotInto(atK, "k.snap", world),
            };
            Assert.True(inPlace, $"round {round}: same entities, restores in place");
            Assert.Equal(200, world.StepCount);
            Assert.Equal(straight[200], world.ComputeStateHash());
            while (world.StepCount < 420)
            {
                world.Step();
                Assert.True(straight[world.StepCount] == world.ComputeStateHash(), $"round {round}: differs at step {world.StepCount}");
            }
        }
    }

    [Fact]
    public void In_place_restore_brings_back_broken_joints_rules_tags_and_pending_commands()
    {
        using StageWorld world = Worlds.LoadExample("breakout");
        world.StepTo(10);
        world.SubmitAt(200, new SetRulesCommand(world.Rules with { GravityScale = 0.5 }));
        byte[] snapshot = WorldCodec.EncodeSnapshot(world);
        WorldImage image = WorldCodec.DecodeSnapshot(snapshot, "take.snap");
        var straight = new List<ulong>();
        var events = new List<WorldEvent>();
        world.EventRaised += (_, e) => events.Add(e);
        for (int i = 0; i < 360; i++)
        {
            world.Step();
            straight.Add(world.ComputeStateHash());
        }
        Assert.Contains(events, e => e is JointBrokeEvent);
        Assert.Equal(0.5, world.Rules.GravityScale);
        int breaks = events.Count(e => e is JointBrokeEvent);

        // Tags changed since the snapshot: the bytes differ, the image path still restores in place.
        world.Submit(new SetTagsCommand(world.Find("ball")!.Id, ["changed"]));
        world.Step();
        Assert.False(WorldCodec.TryRestoreSnapshotInto(snapshot, "take.snap", world));
        Assert.True(image.TryRestoreInto(world));
        Assert.Equal(["hero"], world.Find("ball")!.Tags.Where(t => t == "hero"));
        Assert.All(world.Joints, j => Assert.Null(j.BrokenAtStep));
        Assert.Equal(1.0, world.Rules.GravityScale);
        events.Clear();
        for (int i = 0; i < 360; i++)
        {
            world.Step();
            Assert.True(straight[i] == world.ComputeStateHash(), $"differs at step {world.StepCount}");
        }
        Assert.Equal(breaks, events.Count(e => e is JointBrokeEvent));

        // Now the bytes match again: the fast path.
        Assert.True(WorldCodec.TryRestoreSnapshotInto(snapshot, "take.snap", world));
        world.StepTo(10 + 360);
        Assert.Equal(straight[^1], world.ComputeStateHash());
    }

    [Fact]
    public void In_place_restore_refuses_another_world_and_a_corrupt_snapshot()
    {
        using StageWorld busy = Worlds.Busy();
        using StageWorld breakout = Worlds.LoadExample("breakout");
        byte[] snapshot = WorldCodec.EncodeSnapshot(busy);
        ulong before = breakout.ComputeStateHash();
        Assert.False(WorldCodec.TryRestoreSnapshotInto(snapshot, "busy.snap", breakout));
        Assert.False(WorldCodec.DecodeSnapshot(snapshot, "busy.snap").TryRestoreInto(breakout));
        Assert.Equal(before, breakout.ComputeStateHash());
        snapshot[snapshot.Length / 2] ^= 0x10;
        WorldFileException e = Assert.Throws<WorldFileException>(() => WorldCodec.TryRestoreSnapshotInto(snapshot, "busy.snap", busy));
        Assert.Contains("busy.snap", e.Message);
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void Decoding_shares_equal_components_but_gives_back_every_bit()
    {
        using var world = new StageWorld();
        // 0.0 and −0.0 are equal as doubles but not as bits: the two must not share a material.
        Material plus = new(0.5, 0.0), minus = new(0.5, -0.0);
        for (int i = 0; i < 6; i++)
        {
            world.CreateEntity(Worlds.Ball($"b{i}", new Vector3D(i, 1, 0), 0.1, i % 2 == 0 ? plus : minus) with
            {
                Tags = ["prop", i % 3 == 0 ? "hero" : "extra"],
                Appearance = new Appearance(PrimitiveKind.Sphere, new ColorRgb(i % 2 == 0 ? 0.0 : -0.0, 0.5, 0.5)),
            });
        }
        byte[] bytes = WorldCodec.EncodeSnapshot(world);
        WorldImage image = WorldCodec.DecodeSnapshot(bytes, "shared.snap");
        Assert.Equal(bytes, WorldCodec.EncodeSnapshot(image));
        Assert.Same(image.Entities[0].Definition.Body, image.Entities[2].Definition.Body);
        Assert.NotSame(image.Entities[0].Definition.Body, image.Entities[1].Definition.Body);
        Assert.Same(image.Entities[0].Definition.Tags[0], image.Entities[1].Definition.Tags[0]);
        using StageWorld restored = image.Restore();
        Assert.Equal(world.ComputeStateHash(), restored.ComputeStateHash());
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value_at_every_length_and_alignment()
    {
        Assert.Equal(0xCBF43926u, Crc32.HashToUInt32("123456789"u8));
        Assert.Equal(0u, Crc32.HashToUInt32([]));
        var data = new byte[300];
        new Random(5).NextBytes(data);
        for (int start = 0; start < 9; start++)
        {
            for (int length = 0; length < data.Length - start; length += 7)
            {
                Assert.Equal(ByteAtATime(data.AsSpan(start, length)), Crc32.HashToUInt32(data.AsSpan(start, length)));
            }
        }
    }

    private static uint ByteAtATime(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}

public class DurableFileTests
{
    [Fact]
    public void A_folder_cannot_be_opened_as_a_file_in_dotnet_so_it_is_flushed_through_open_and_fsync()
    {
        string dir = Directory.CreateTempSubdirectory("stage-durable-").FullName;
        try
        {
            // Why the P/Invoke: .NET refuses a folder as a FileStream or a file handle.
            Assert.ThrowsAny<UnauthorizedAccessException>(() => new FileStream(dir, FileMode.Open, FileAccess.Read).Dispose());
            Assert.ThrowsAny<UnauthorizedAccessException>(() => File.OpenHandle(dir).Dispose());
            long before = Interlocked.Read(ref DurableFile.DirectorySyncs);
            DurableFile.SyncDirectory(dir);
            Assert.True(Interlocked.Read(ref DurableFile.DirectorySyncs) > before);
            IOException missing = Assert.Throws<IOException>(() => DurableFile.SyncDirectory(Path.Combine(dir, "missing")));
            Assert.Contains(Path.Combine(dir, "missing"), missing.Message);
            Assert.Contains("errno 2", missing.Message); // ENOENT
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Snapshots_and_new_journals_flush_their_folder_after_the_rename()
    {
        string dir = Directory.CreateTempSubdirectory("stage-durable-").FullName;
        try
        {
            using StageWorld world = Worlds.Busy();
            long before = Interlocked.Read(ref DurableFile.DirectorySyncs);
            string path = Path.Combine(dir, "a.snap");
            WorldCodec.SaveSnapshot(world, path);
            Assert.True(Interlocked.Read(ref DurableFile.DirectorySyncs) >= before + 1);
            Assert.False(File.Exists(path + ".tmp"));
            Assert.Equal(world.ComputeStateHash(), WorldCodec.LoadSnapshot(path).Restore().ComputeStateHash());

            before = Interlocked.Read(ref DurableFile.DirectorySyncs);
            using (new WorldJournal(Path.Combine(dir, "journal"), world, 60)) { }
            // The snapshot and the journal file: each renamed into place, then the folder flushed.
            Assert.True(Interlocked.Read(ref DurableFile.DirectorySyncs) >= before + 2);
            Assert.Equal(["journal-000000000000.log", "snapshot-000000000000.snap"],
                Directory.GetFiles(Path.Combine(dir, "journal")).Select(Path.GetFileName).Order());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
