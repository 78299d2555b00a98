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
    /// <summary>
    /// (world, step, SHA-256 of the snapshot file at that step, state hash at that step, SHA-256 of
    /// the same state in snapshot format 2). Format 3 (#16: the sun) re-pinned the first two; the
    /// third is the format-2 pin from before, and the format-3 bytes with the sun's fields taken
    /// out must still give it: nothing else in the layout moved.
    /// </summary>
    public static TheoryData<string, int, string, string, string> Pins => new()
    {
        { "breakout", 0, "92098fc32450c7ce461f1889f068357ef12e3e5c2861265c419e4708444931d8", "81223291dd52885d", "0293b58ea4abce2c2dac5055a879db35cb2c70e9004260fb66dcb5bfe6de47ee" },
        { "breakout", 240, "1677494e4eef0897c66bffa17d26bba433302d31cba92c1fb42ff7215356b3b9", "c02bf952cbbf43aa", "00a3544d18a587797b90ba346af4e28a7cbc5f8e75f7aaee172066af799dd6dc" },
        { "floating", 240, "8f19da3213f98358375fcddeb4db4fdf8b6c8e18c0f4c16db8880cbc55dee9b2", "ca861a214a8010fb", "b81bdc9df56d1e2c96cb088705c58d777f45f959f87243e9b6977cc3a3a4aaaf" },
        { "hills", 240, "41c83056dc0ee38255129cae3f0152f48a36901a3bce2ff890f291180ea281e4", "5a5f89fabc93cd30", "a1211d9fdb1b3a77ab7e99d215ac6c12755bec9f817cc93292e0518e9dd9811b" },
        { "hills-edge", 240, "a1c57c852767bb69430201eaa5fe398bd2a69c05e64707c6c2a19c7bc15ba577", "72ab5cce5c3bd59d", "95b4f748ebdd3e5071e21b885048de54be694f322d876f3bd22212d832bb357d" },
        { "shelf", 240, "a018767f0e5842ea3ee9cd29c24fc96888e7ac69c629970fe5bf54808465a2dc", "8f55ee8a664cdd73", "6b9365d88d70d2578a1815f72f4a524873b87d30d577482626fccec31b301e1e" },
        { "traffic", 0, "9162c320036ee03e90fd76f95bc8e2e0e439c85f26e0f5ea07a886a3cff313be", "04eab135586b116e", "2a840a56ad09c5c6ddedad4e422a75fbf2c6866d81e9d1b246742c50cf585680" },
        { "traffic", 240, "9d3b4a7e9eee2d203962f3d28a260518dc163017531625f6754834976bfb3048", "e4f52c81b614b263", "3c504589525525759ac9f6fced0b2e88b6830ceb8527043287a997ae5db4a164" },
    };

    [Theory]
    [MemberData(nameof(Pins))]
    public void Example_world_snapshot_bytes_and_state_hash_are_pinned(string name, int steps, string snapshotSha256, string stateHash, string formatTwoSha256)
    {
        using StageWorld world = Worlds.LoadExample(name);
        world.StepTo(steps);
        byte[] live = WorldCodec.EncodeSnapshot(world);
        byte[] image = WorldCodec.EncodeSnapshot(WorldImage.Capture(world));
        Assert.Equal(live, image);
        Assert.Equal(snapshotSha256, Convert.ToHexStringLower(SHA256.HashData(live)));
        Assert.Equal(stateHash, world.ComputeStateHash().ToString("x16"));
        WorldImage image0 = WorldCodec.DecodeSnapshot(live, name);
        if (!image0.PendingCommands.Any(p => p.Command is SetRulesCommand))
        {
            Assert.Equal(formatTwoSha256, Convert.ToHexStringLower(SHA256.HashData(AsFormatTwo(live))));
        }
        // Decode and in-place restore read the same bytes back to the same state.
        WorldImage decoded = WorldCodec.DecodeSnapshot(live, name);
        Assert.Equal(live, WorldCodec.EncodeSnapshot(decoded));
        using StageWorld fresh = Worlds.LoadExample(name);
        fresh.StepTo(steps);
        Assert.True(WorldCodec.TryRestoreSnapshotInto(live, name, fresh));
        Assert.Equal(live, WorldCodec.EncodeSnapshot(fresh));
    }

    /// <summary>
    /// A format-3 snapshot of a world without a sun (and no rules command pending) as format 2: the
    /// sun byte of the settings, the rules' time-of-day scale and the sun's clock taken out.
    /// </summary>
    internal static byte[] AsFormatTwo(byte[] snapshot)
    {
        const int sunByte = 16 + 66, timeOfDay = 16 + 67 + 64, sunClock = 16 + 67 + 72 + 32;
        Assert.Equal(0, snapshot[sunByte]);
        byte[] payload = [.. snapshot[16..sunByte], .. snapshot[(sunByte + 1)..timeOfDay], .. snapshot[(timeOfDay + 8)..sunClock], .. snapshot[(sunClock + 8)..^4]];
        byte[] file = [.. snapshot[..16], .. payload, 0, 0, 0, 0];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(8), 2);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(12), payload.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16 + payload.Length), Crc32.HashToUInt32(payload));
        return file;
    }

    [Fact]
    public void A_format_two_snapshot_still_reads_with_no_sun_and_time_of_day_at_one()
    {
        using StageWorld world = Worlds.LoadExample("hills");
        world.StepTo(100);
        byte[] v2 = AsFormatTwo(WorldCodec.EncodeSnapshot(world));
        Assert.Equal(2, WorldCodec.SnapshotVersionOf(v2));
        WorldImage image = WorldCodec.DecodeSnapshot(v2, "v2");
        Assert.Null(image.Settings.Sun);
        Assert.Equal(1, image.Rules.TimeOfDayScale);
        Assert.Equal(0, image.SunUtcTicks);
        Assert.Equal(world.ComputeStateHash(), WorldCodec.Hash(image));
        Assert.Equal(WorldCodec.EncodeSnapshot(world), WorldCodec.EncodeSnapshot(image));
        using StageWorld fresh = Worlds.LoadExample("hills");
        Assert.True(WorldCodec.TryRestoreSnapshotInto(v2, "v2", fresh));
        Assert.Equal(world.ComputeStateHash(), fresh.ComputeStateHash());
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
        Assert.Equal("e33a63fa61e71bccb9a2104d32d310ff7560c5e0d6225eb1ea862b958e0cec38", Convert.ToHexStringLower(SHA256.HashData(stream.ToArray())));
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
