using System.IO.Hashing;
using System.Security.Cryptography;
using Stage.Physics;

namespace Stage.World.Tests;

/// <summary>
/// Today's snapshot bytes and state hashes of the example worlds, pinned: a refactor of the codec
/// or of the hashing must leave them exactly as they are (a deliberate format change re-pins them
/// in one commit that says why).
/// </summary>
public sealed class FormatPinTests
{
    /// <summary>(world, step, SHA-256 of the snapshot file at that step, state hash at that step).</summary>
    public static TheoryData<string, int, string, string> Pins => new()
    {
        { "breakout", 0, "0293b58ea4abce2c2dac5055a879db35cb2c70e9004260fb66dcb5bfe6de47ee", "9ed2884e9934d362" },
        { "breakout", 240, "00a3544d18a587797b90ba346af4e28a7cbc5f8e75f7aaee172066af799dd6dc", "06270d9ce683e002" },
        { "floating", 240, "b81bdc9df56d1e2c96cb088705c58d777f45f959f87243e9b6977cc3a3a4aaaf", "db3b85a0fe4e6fb0" },
        { "hills", 240, "a1211d9fdb1b3a77ab7e99d215ac6c12755bec9f817cc93292e0518e9dd9811b", "9087a43ae54696f9" },
        { "hills-edge", 240, "95b4f748ebdd3e5071e21b885048de54be694f322d876f3bd22212d832bb357d", "4debe93f3a47ccee" },
        { "shelf", 240, "6b9365d88d70d2578a1815f72f4a524873b87d30d577482626fccec31b301e1e", "3b83f66645e66538" },
        { "traffic", 0, "2a840a56ad09c5c6ddedad4e422a75fbf2c6866d81e9d1b246742c50cf585680", "78e2f324f5f83014" },
        { "traffic", 240, "3c504589525525759ac9f6fced0b2e88b6830ceb8527043287a997ae5db4a164", "79123a77a777ca93" },
    };

    [Theory]
    [MemberData(nameof(Pins))]
    public void Example_world_snapshot_bytes_and_state_hash_are_pinned(string name, int steps, string snapshotSha256, string stateHash)
    {
        using StageWorld world = Worlds.LoadExample(name);
        world.StepTo(steps);
        byte[] live = WorldCodec.EncodeSnapshot(world);
        byte[] image = WorldCodec.EncodeSnapshot(WorldImage.Capture(world));
        Assert.Equal(live, image);
        Assert.Equal(snapshotSha256, Convert.ToHexStringLower(SHA256.HashData(live)));
        Assert.Equal(stateHash, world.ComputeStateHash().ToString("x16"));
        // Decode and in-place restore read the same bytes back to the same state.
        WorldImage decoded = WorldCodec.DecodeSnapshot(live, name);
        Assert.Equal(live, WorldCodec.EncodeSnapshot(decoded));
        using StageWorld fresh = Worlds.LoadExample(name);
        fresh.StepTo(steps);
        Assert.True(WorldCodec.TryRestoreSnapshotInto(live, name, fresh));
        Assert.Equal(live, WorldCodec.EncodeSnapshot(fresh));
    }

    /// <summary>Every world command's canonical bytes (the journal's records), pinned.</summary>
    [Fact]
    public void Command_bytes_are_pinned()
    {
        var template = new EntityDefinition
        {
            Name = "pin",
            Tags = ["a", "b"],
            PositionM = new Vector3D(1, 2, 3),
            Body = new BodyComponent(BodyKind.Dynamic, new SphereShape(0.25), new Material(0.5, 0.3), 2),
            Appearance = new Appearance(PrimitiveKind.Sphere, new ColorRgb(0.1, 0.2, 0.3), null),
            Behaviour = new SpinBehaviour(new Vector3D(0, 1, 0), 1.5),
            Overrides = new EntityOverrides(false, false, false, 0.5),
        };
        WorldCommand[] commands =
        [
            new SetRulesCommand(new WorldRules { GravityScale = 0.5, TimeScale = 2, LinearDampingPerS = 0.1 }),
            new SetOverridesCommand(3, new EntityOverrides(true, false, true, null)),
            new SetVelocityCommand(4, new Vector3D(1, 0, -1), new Vector3D(0, 2, 0)),
            new TeleportCommand(5, new Vector3D(0, 1, 0), QuaternionMath.FromEulerDeg(10, 20, 30)),
            new SetAppearanceCommand(6, new Appearance(PrimitiveKind.Box, new ColorRgb(1, 0.5, 0), "mesh.glb")),
            new SetAppearanceCommand(6, null),
            new SetTagsCommand(7, ["x"]),
            new CreateEntityCommand(template),
            new DestroyEntityCommand(8),
            new CreateJointCommand(new JointDefinition("j", JointKind.Hinge, 1, 2, new Vector3D(0, 1, 0), new Vector3D(0, 0, 1), new JointStrength(100, 50))),
            new DestroyJointCommand(9),
        ];
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            foreach (WorldCommand c in commands) WorldCodec.WriteCommand(writer, c);
        }
        Assert.Equal("c0fb02fdb762e797a23657691dec0386f8c905db8a3870fb2ec0ce90f009c97f", Convert.ToHexStringLower(SHA256.HashData(stream.ToArray())));
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        foreach (WorldCommand c in commands)
        {
            WorldCommand back = WorldCodec.ReadCommand(reader);
            using var again = new MemoryStream();
            using (var w = new BinaryWriter(again)) WorldCodec.WriteCommand(w, back);
            using var expected = new MemoryStream();
            using (var w = new BinaryWriter(expected)) WorldCodec.WriteCommand(w, c);
            Assert.Equal(expected.ToArray(), again.ToArray());
        }
    }

    /// <summary>The checksum and hash of a few kilobytes of fixed bytes (the folded CRC path and xxHash64's long path).</summary>
    [Fact]
    public void Checksum_and_hash_of_long_inputs_are_pinned()
    {
        byte[] data = new byte[4099];
        ulong state = 42;
        for (int i = 0; i < data.Length; i++) data[i] = (byte)SplitMix64.Next(ref state);
        Assert.Equal(0x82feff44u, Crc32.HashToUInt32(data));
        Assert.Equal(0x87370749b6e4d617UL, XxHash64.HashToUInt64(data));
        Assert.Equal(0xab08392410297544UL, XxHash64.HashToUInt64(data.AsSpan(0, 31)));
    }
}
