using System.Buffers.Binary;
using System.IO.Hashing;
using Stage.Physics;

namespace Stage.World.Tests;

/// <summary>
/// Every number is range-checked where it enters — the scene validator, the command, the snapshot
/// decoder — with the place of the fault, so nothing reaches an ODE assertion or a stack trace
/// (issue 13, item 3). The child-process property tests are in <see cref="HostileInputPropertyTests"/>.
/// </summary>
public class HostileNumberTests
{
    private const string Ball = """{ "name": "ball", "shape": { "kind": "sphere", "radiusM": 0.1 }, "positionM": [0, 1, 0] }""";

    [Theory]
    [InlineData("""{ "rules": { "gravityScale": 1e308 }, "entities": [BALL] }""", "rules.gravityScale")]
    [InlineData("""{ "rules": { "gravityMps2": [0, -1e300, 0] }, "entities": [BALL] }""", "rules.gravityMps2")]
    [InlineData("""{ "rules": { "timeScale": 1e12 }, "entities": [BALL] }""", "rules.timeScale")]
    [InlineData("""{ "rules": { "linearDampingPerS": 1e300 }, "entities": [BALL] }""", "rules.linearDampingPerS")]
    [InlineData("""{ "rules": { "contactEventThresholdMps": 1e300 }, "entities": [BALL] }""", "rules.contactEventThresholdMps")]
    [InlineData("""{ "solverIterations": 2000000000, "entities": [BALL] }""", "solverIterations")]
    [InlineData("""{ "stepHz": 65656, "entities": [BALL] }""", "stepHz")]
    [InlineData("""{ "entities": [ { "name": "b", "shape": { "kind": "sphere", "radiusM": 1e300 } } ] }""", "entities[0].shape.radiusM")]
    [InlineData("""{ "entities": [ { "name": "b", "shape": { "kind": "sphere", "radiusM": 1e-9 } } ] }""", "entities[0].shape.radiusM")]
    [InlineData("""{ "entities": [ { "name": "b", "shape": { "kind": "box", "sizeM": [1, 1e6, 1] } } ] }""", "entities[0].shape.sizeM")]
    [InlineData("""{ "entities": [ { "name": "b", "shape": { "kind": "sphere", "radiusM": 0.1 }, "positionM": [1e9, 5, 0] } ] }""", "entities[0].positionM")]
    [InlineData("""{ "entities": [ { "name": "b", "shape": { "kind": "sphere", "radiusM": 0.1 }, "linearVelocityMps": [0, 0, 1e300] } ] }""", "entities[0].linearVelocityMps")]
    [InlineData("""{ "entities": [ { "name": "b", "shape": { "kind": "sphere", "radiusM": 0.1 }, "angularVelocityRadps": [1e9, 0, 0] } ] }""", "entities[0].angularVelocityRadps")]
    [InlineData("""{ "entities": [ { "name": "b", "shape": { "kind": "sphere", "radiusM": 0.1 }, "massKg": 1e300 } ] }""", "entities[0].massKg")]
    [InlineData("""{ "entities": [ { "name": "b", "shape": { "kind": "sphere", "radiusM": 0.1 }, "rotationDeg": [1e300, 0, 0] } ] }""", "entities[0].rotationDeg")]
    [InlineData("""{ "entities": [ { "name": "b", "shape": { "kind": "sphere", "radiusM": 0.1 }, "overrides": { "gravityScale": 1e308 } } ] }""", "entities[0].overrides.gravityScale")]
    [InlineData("""{ "entities": [ { "name": "b", "shape": { "kind": "sphere", "radiusM": 0.1 }, "material": { "friction": 1e300 } } ] }""", "entities[0].material.friction")]
    [InlineData("""{ "materials": { "m": { "friction": 0.5, "softnessCfm": 1e300 } }, "entities": [BALL] }""", "materials.m.softnessCfm")]
    [InlineData("""{ "entities": [ { "name": "p", "shape": { "kind": "plane", "offsetM": 1e300 } } ] }""", "entities[0].shape.offsetM")]
    [InlineData("""{ "entities": [ { "name": "t", "shape": { "kind": "terrain", "widthM": 10, "depthM": 10, "samples": [2, 2], "heightsM": [0, 0, 0, 1e300] } } ] }""", "entities[0].shape.heightsM[3]")]
    [InlineData("""{ "entities": [ { "name": "s", "behaviour": { "kind": "spin", "axis": [0, 1, 0], "rateDegps": 1e300 } } ] }""", "entities[0].behaviour.rateDegps")]
    [InlineData("""{ "entities": [ { "name": "l", "behaviour": { "kind": "loop", "waypointsM": [[0, 0, 0], [1e300, 0, 0]], "speedMps": 1 } } ] }""", "entities[0].behaviour.waypointsM[1]")]
    [InlineData("""{ "entities": [ { "name": "w", "behaviour": { "kind": "swing", "pivotM": [0, 0, 0], "axis": [0, 1, 0], "amplitudeDeg": 10, "periodS": 1e-9 } } ] }""", "entities[0].behaviour.periodS")]
    [InlineData("""{ "entities": [ { "name": "sp", "behaviour": { "kind": "spawner", "intervalS": 1, "maxCount": 3, "template": { "shape": { "kind": "sphere", "radiusM": 1e300 } } } } ] }""", "entities[0].behaviour.template.shape.radiusM")]
    [InlineData("""{ "entities": [ BALL ], "joints": [ { "name": "j", "kind": "ball", "a": "ball", "anchorM": [0, 1e300, 0] } ] }""", "joints[0].anchorM")]
    [InlineData("""{ "entities": [ BALL ], "commands": [ { "atS": 1e300, "setRules": { "gravityScale": 2 } } ] }""", "commands[0].atS")]
    [InlineData("""{ "entities": [ BALL ], "commands": [ { "step": 1, "setRules": { "gravityScale": 1e308 } } ] }""", "commands[0].setRules.gravityScale")]
    [InlineData("""{ "entities": [ BALL ], "commands": [ { "step": 1, "entity": "ball", "setVelocity": { "linearMps": [1e300, 0, 0] } } ] }""", "commands[0].setVelocity.linearMps")]
    [InlineData("""{ "entities": [ BALL ], "commands": [ { "step": 1, "entity": "ball", "setOverrides": { "gravityScale": -1e9 } } ] }""", "commands[0].setOverrides.gravityScale")]
    public void A_hostile_number_in_a_scene_is_one_fault_at_its_path(string json, string path)
    {
        SceneLoadResult result = SceneLoader.LoadText(json.Replace("BALL", Ball, StringComparison.Ordinal), "hostile.json");
        Assert.False(result.IsValid);
        Assert.True(result.Faults.Count == 1 && result.Faults[0].Path == path, $"expected one fault at {path}, got:\n{string.Join("\n", result.Faults)}");
    }

    [Fact]
    public void Hostile_commands_are_refused_at_their_step_with_the_reason_and_change_nothing()
    {
        using StageWorld world = Worlds.Busy();
        long ball = world.Find("ball-1")!.Id;
        long a = world.Find("link-a")!.Id;
        WorldCommand[] hostile =
        [
            new SetRulesCommand(world.Rules with { GravityScale = 1e308 }),
            new SetRulesCommand(world.Rules with { TimeScale = 1e15 }),
            new SetVelocityCommand(ball, new Vector3D(1e300, 0, 0), Vector3D.Zero),
            new SetVelocityCommand(ball, Vector3D.Zero, new Vector3D(0, 1e9, 0)),
            new TeleportCommand(ball, new Vector3D(1e9, 5, 0), QuaternionD.Identity),
            new TeleportCommand(ball, new Vector3D(0, 5, 0), new QuaternionD(1e300, 0, 0, 0)),
            new SetOverridesCommand(ball, new EntityOverrides(GravityScale: 1e308)),
            new SetAppearanceCommand(ball, new Appearance(PrimitiveKind.Sphere, new ColorRgb(1e300, 0, 0))),
            new CreateEntityCommand(Worlds.Ball("huge", new Vector3D(0, 2, 0), radiusM: 1e300)),
            new CreateEntityCommand(Worlds.Ball("far", new Vector3D(1e9, 2, 0))),
            new CreateEntityCommand(Worlds.Ball("fast", new Vector3D(0, 2, 0), velocityMps: new Vector3D(0, 0, -1e200))),
            new CreateJointCommand(new JointDefinition("far", JointKind.Ball, a, null, new Vector3D(0, 1e300, 0), Vector3D.UnitY, JointStrength.Unbreakable)),
            new CreateJointCommand(new JointDefinition("nan", JointKind.Hinge, a, null, Vector3D.Zero, new Vector3D(double.NaN, 0, 0), JointStrength.Unbreakable)),
        ];
        ulong before = world.ComputeStateHash();
        var refused = new List<CommandRejectedEvent>();
        world.EventRaised += (_, e) => { if (e is CommandRejectedEvent r) refused.Add(r); };
        foreach (WorldCommand c in hostile) world.Submit(c);
        world.Step();
        Assert.Equal(hostile.Length, refused.Count);
        Assert.All(refused, r => Assert.Equal(0, r.Step));
        Assert.Contains("gravityScale", refused[0].Reason);
        Assert.Contains("timeScale", refused[1].Reason);
        Assert.Contains("linearMps", refused[2].Reason);
        Assert.Contains("angularRadps", refused[3].Reason);
        Assert.Contains("±1000000 m", refused[4].Reason);
        Assert.Contains("orientation", refused[5].Reason);
        Assert.Contains("gravityScale", refused[6].Reason);
        Assert.Contains("colorLinear", refused[7].Reason);
        Assert.Contains("shape.radiusM", refused[8].Reason);
        Assert.Contains("positionM", refused[9].Reason);
        Assert.Contains("linearVelocityMps", refused[10].Reason);
        Assert.Contains("anchorM", refused[11].Reason);
        Assert.Contains("axis", refused[12].Reason);
        // The same world as one that got no commands: nothing applied, nothing half-applied.
        using StageWorld control = Worlds.Busy();
        Assert.Equal(before, control.ComputeStateHash());
        control.Step();
        Assert.Equal(control.ComputeStateHash(), world.ComputeStateHash());
    }

    /// <summary>A valid snapshot of a small world, and where its header's settings and rules lie in the file.</summary>
    private static byte[] Snapshot()
    {
        using StageWorld world = Worlds.Busy();
        world.StepTo(30);
        return WorldCodec.EncodeSnapshot(world);
    }

    /// <summary>Offsets in the file (16-byte header, then the payload): stepHz i32, seed u64, iterations i32, sleep, bound 6 doubles + action, the sun's kind (0: none, format 3), rules 9 doubles.</summary>
    internal const int StepHzAt = 16, SeedAt = 20, IterationsAt = 28, SleepAt = 32, BoundAt = 33, ActionAt = 81, SunAt = 82, RulesAt = 83;

    /// <summary>Writes <paramref name="patch"/> into a snapshot's bytes and fixes the CRC, so only the value is wrong.</summary>
    internal static byte[] Patched(byte[] snapshot, Action<Span<byte>> patch)
    {
        byte[] bytes = (byte[])snapshot.Clone();
        patch(bytes);
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16 + length), Crc32.HashToUInt32(bytes.AsSpan(16, length)));
        return bytes;
    }

    [Theory]
    [InlineData(StepHzAt, 65656, "settings.stepHz")]
    [InlineData(StepHzAt, 0, "settings.stepHz")]
    [InlineData(IterationsAt, int.MaxValue, "settings.solverIterations")]
    public void A_snapshot_with_a_valid_crc_and_an_integer_out_of_range_is_refused_naming_the_field(int offset, int value, string field)
    {
        byte[] bad = Patched(Snapshot(), b => BinaryPrimitives.WriteInt32LittleEndian(b[offset..], value));
        WorldFileException e = Assert.Throws<WorldFileException>(() => WorldCodec.DecodeSnapshot(bad, "bad.snap"));
        Assert.Contains("bad.snap", e.Message);
        Assert.Contains(field, e.Message);
        // The image itself reads (for stage world inspect) and names the same field.
        WorldImage image = WorldCodec.DecodeSnapshot(bad, "bad.snap", checkValues: false);
        Assert.Contains(image.FindFaults(), f => f.Path == field);
    }

    [Theory]
    [InlineData(BoundAt, 1e300, "settings.bound.minM")]
    [InlineData(BoundAt + 24, -2000, "settings.bound.maxM")]
    [InlineData(RulesAt + 8, -1e300, "rules.gravityMps2")]
    [InlineData(RulesAt + 24, 1e308, "rules.gravityScale")]
    [InlineData(RulesAt + 32, 1e15, "rules.timeScale")]
    [InlineData(RulesAt + 56, double.NaN, "rules.contactEventThresholdMps")]
    public void A_snapshot_with_a_valid_crc_and_a_number_out_of_range_is_refused_naming_the_field(int offset, double value, string field)
    {
        byte[] good = Snapshot();
        byte[] bad = Patched(good, b => BinaryPrimitives.WriteDoubleLittleEndian(b[offset..], value));
        WorldFileException e = Assert.Throws<WorldFileException>(() => WorldCodec.DecodeSnapshot(bad, "bad.snap"));
        Assert.Contains(field, e.Message);
        // The in-place restore (a take reset) refuses it too, before it changes the world.
        using StageWorld world = Worlds.Busy();
        world.StepTo(30);
        ulong hash = world.ComputeStateHash();
        if (field.StartsWith("rules.", StringComparison.Ordinal))
        {
            e = Assert.Throws<WorldFileException>(() => WorldCodec.TryRestoreSnapshotInto(bad, "bad.snap", world));
            Assert.Contains(field, e.Message);
        }
        else
        {
            Assert.False(WorldCodec.TryRestoreSnapshotInto(bad, "bad.snap", world)); // another bound: another world
        }
        Assert.Equal(hash, world.ComputeStateHash());
    }

    [Fact]
    public void A_snapshot_whose_body_is_far_or_fast_is_refused_naming_the_entity()
    {
        byte[] good = Snapshot();
        WorldImage image = WorldCodec.DecodeSnapshot(good, "good.snap");
        int index = image.Entities.ToList().FindIndex(e => e.BodyState is not null);
        EntityImage e = image.Entities[index];
        BodyState far = e.BodyState!.Value with { PositionM = new Vector3D(1e9, 5, 0) };
        BodyState fast = e.BodyState!.Value with { LinearVelocityMps = new Vector3D(0, -1e300, 0) };
        foreach ((BodyState state, string field) in new[] { (far, "state.positionM"), (fast, "state.linearVelocityMps") })
        {
            var entities = image.Entities.ToArray();
            entities[index] = e with { BodyState = state };
            WorldImage hostile = image with { Entities = entities };
            // An image made in code (not decoded) is refused by the restore itself, before ODE sees it.
            ArgumentException refused = Assert.Throws<ArgumentException>(() => hostile.Restore());
            Assert.Contains($"entities[{index}].{field}", refused.Message);
            using (StageWorld live = Worlds.Busy())
            {
                live.StepTo(30);
                Assert.Throws<ArgumentException>(() => hostile.TryRestoreInto(live));
            }
            byte[] bad = WorldCodec.EncodeSnapshot(hostile);
            WorldFileException thrown = Assert.Throws<WorldFileException>(() => WorldCodec.DecodeSnapshot(bad, "bad.snap"));
            Assert.Contains($"entities[{index}].{field}", thrown.Message);
            using StageWorld world = Worlds.Busy();
            world.StepTo(30);
            thrown = Assert.Throws<WorldFileException>(() => WorldCodec.TryRestoreSnapshotInto(bad, "bad.snap", world));
            Assert.Contains($"entities[{index}].{field}", thrown.Message);
        }
    }
}
