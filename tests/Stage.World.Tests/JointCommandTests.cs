using Stage.Physics;

namespace Stage.World.Tests;

public class JointCommandTests
{
    private const int SnapshotEverySteps = 60;

    /// <summary>
    /// At step 90 the run submits: a breakable fixed joint between two balls and a ball joint
    /// holding a third ball to the world, both from step 120, and the removal of the ball joint at
    /// step 300 — the commands a stage operator sends during a take.
    /// </summary>
    private static void JointCommands(StageWorld w)
    {
        if (w.StepCount != 90) return;
        long a = w.Find("ball-3")!.Id, b = w.Find("ball-4")!.Id, c = w.Find("ball-5")!.Id;
        w.SubmitAt(120, new CreateJointCommand(new JointDefinition("glue", JointKind.Fixed, a, b, Vector3D.Zero, Vector3D.UnitY, new JointStrength(40, 4))));
        long hookId = w.NextJointId + 1; // "glue" takes the next id, the hook the one after
        w.SubmitAt(120, new CreateJointCommand(new JointDefinition("hook", JointKind.Ball, c, null, w.Find("ball-5")!.PositionM + new Vector3D(0, 0.5, 0), Vector3D.UnitY, JointStrength.Unbreakable)));
        w.SubmitAt(300, new DestroyJointCommand(hookId));
    }

    [Fact]
    public void Joints_made_and_removed_by_command_replay_from_snapshot_and_journal_to_the_same_hash_every_step()
    {
        string root = Directory.CreateTempSubdirectory("stage-joint-journal-").FullName;
        try
        {
            string journalDir = Path.Combine(root, "journal");
            var hashes = new List<ulong>();
            var events = new List<WorldEvent>();
            using (StageWorld world = Worlds.Busy())
            using (var journal = new WorldJournal(journalDir, world, SnapshotEverySteps))
            {
                world.EventRaised += (_, e) => events.Add(e);
                hashes.Add(world.ComputeStateHash());
                while (world.StepCount < 480)
                {
                    JointCommands(world);
                    world.Step();
                    hashes.Add(world.ComputeStateHash());
                    // What a kill -9 would leave: the journal folder as it is now.
                    if (world.StepCount is 100 or 200 or 310) CopyDirectory(journalDir, Path.Combine(root, $"at-{world.StepCount}"));
                }
                Assert.Null(world.Joints.SingleOrDefault(j => j.Definition.Name == "hook"));
            }
            Assert.Contains(events, e => e is JointCreatedEvent { JointName: "glue", Step: 120 });
            Assert.Contains(events, e => e is JointCreatedEvent { JointName: "hook", Step: 120 });
            Assert.Contains(events, e => e is JointDestroyedEvent { JointName: "hook", Step: 300 });

            // Snapshot 60 (before the joints) + the journal's commands; snapshot 180 (joints made,
            // their removal pending); snapshot 300 (the hook already gone).
            foreach ((int copy, long snapshotStep) in new[] { (100, 60L), (200, 180L), (310, 300L) })
            {
                JournalRecovery recovery = WorldJournal.Recover(Path.Combine(root, $"at-{copy}"));
                Assert.Empty(recovery.Problems);
                using StageWorld resumed = recovery.World!;
                Assert.Equal(snapshotStep, resumed.StepCount);
                Assert.Equal(hashes[(int)snapshotStep], resumed.ComputeStateHash());
                while (resumed.StepCount < 480)
                {
                    resumed.Step(); // the commands come from the snapshot and the journal only
                    Assert.True(hashes[(int)resumed.StepCount] == resumed.ComputeStateHash(), $"resumed from step {snapshotStep}: hash differs at step {resumed.StepCount}");
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Joint_commands_round_trip_through_the_journal_encoding()
    {
        var create = new CreateJointCommand(new JointDefinition("hinge", JointKind.Hinge, 4, 9, new Vector3D(1, 2.5, -3), new Vector3D(0, 0, 1), new JointStrength(120.5, double.PositiveInfinity)));
        var toWorld = new CreateJointCommand(new JointDefinition("ball", JointKind.Ball, 4, null, Vector3D.Zero, Vector3D.UnitY, JointStrength.Unbreakable));
        var destroy = new DestroyJointCommand(17);
        foreach (WorldCommand command in new WorldCommand[] { create, toWorld, destroy })
        {
            using var stream = new MemoryStream();
            using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                WorldCodec.WriteCommand(w, command);
                w.Write(0x5a5a); // what follows the command is left for the next read
            }
            stream.Position = 0;
            using var r = new BinaryReader(stream);
            Assert.Equal(command, WorldCodec.ReadCommand(r));
            Assert.Equal(0x5a5a, r.ReadInt32());
        }
    }

    [Fact]
    public void A_command_created_breakable_joint_breaks_after_the_contact_that_overloads_it_and_raises_its_event()
    {
        using var world = new StageWorld();
        world.CreateEntity(Worlds.Floor());
        Entity shelf = world.CreateEntity(Worlds.Box("shelf", new Vector3D(0, 1, 0), new Vector3D(0.6, 0.1, 0.6), massKg: 1) with { Overrides = new EntityOverrides(Floats: true) });
        Entity ball = world.CreateEntity(Worlds.Ball("ball", new Vector3D(0, 2.2, 0), 0.15, new Material(0.5), overrides: new EntityOverrides(Floats: true)));
        var events = new List<WorldEvent>();
        world.EventRaised += (_, e) => events.Add(e);
        // Both float at first. At step 10 a bracket (strong enough for the shelf's own 9.81 N) is
        // made by command, at step 20 the shelf gets its weight back, at step 30 the ball is let
        // fall onto it.
        world.SubmitAt(10, new CreateJointCommand(new JointDefinition("bracket", JointKind.Fixed, shelf.Id, null, Vector3D.Zero, Vector3D.UnitY, new JointStrength(30, 30))));
        world.SubmitAt(20, new SetOverridesCommand(shelf.Id, default));
        world.SubmitAt(30, new SetOverridesCommand(ball.Id, default));
        world.SubmitAt(30, new SetVelocityCommand(ball.Id, new Vector3D(0, -3, 0), Vector3D.Zero));
        world.StepTo(30);
        WorldJoint bracket = Assert.Single(world.Joints);
        Assert.Equal(10, bracket.CreatedAtStep);
        Assert.Null(bracket.BrokenAtStep);
        Assert.InRange(shelf.PositionM.Y, 0.99, 1.01); // the bracket holds the shelf's own weight
        world.StepTo(120 * 2);

        Assert.Contains(events, e => e is JointCreatedEvent { JointName: "bracket", Step: 10 });
        int contact = events.FindIndex(e => e is ContactEvent c && c.EntityA == shelf.Id && c.EntityB == ball.Id);
        Assert.True(contact >= 0, "the ball never hit the shelf");
        int broke = events.FindIndex(e => e is JointBrokeEvent { JointName: "bracket" });
        Assert.True(broke >= 0, "the bracket never broke");
        Assert.True(broke > contact, "the break is listed before the contact that caused it");
        Assert.True(events[broke].Step >= events[contact].Step, $"break at step {events[broke].Step}, contact at {events[contact].Step}");
        Assert.True(events[contact].Step > 30, "the contact comes after the ball is let go");
        Assert.Equal(events[broke].Step, bracket.BrokenAtStep);
        // Every event came out in step order.
        Assert.True(events.Select(e => e.Step).SequenceEqual(events.Select(e => e.Step).Order()), "events out of step order");
        // And once broken, the shelf falls to the floor.
        Assert.InRange(shelf.PositionM.Y, 0.04, 0.1);
    }

    [Fact]
    public void A_joint_command_naming_a_missing_entity_or_joint_is_refused_when_it_takes_effect()
    {
        using StageWorld world = Worlds.Busy();
        world.Submit(new CreateJointCommand(new JointDefinition("nowhere", JointKind.Ball, 999, null, Vector3D.Zero, Vector3D.UnitY, JointStrength.Unbreakable)));
        world.Submit(new DestroyJointCommand(999));
        var events = new List<WorldEvent>();
        world.EventRaised += (_, e) => events.Add(e);
        long jointsBefore = world.NextJointId;
        world.Step();
        Assert.Equal(2, events.OfType<CommandRejectedEvent>().Count());
        Assert.Equal(jointsBefore, world.NextJointId);
        Assert.Equal(2, world.Joints.Count);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
