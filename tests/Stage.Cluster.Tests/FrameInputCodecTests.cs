using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Stage.Cluster;
using Stage.Core.Space;
using Stage.Core.Time;
using Stage.Engine.Cluster;

namespace Stage.Cluster.Tests;

public sealed class FrameInputCodecTests
{
    private static readonly FrameRate Rate = FrameRate.Parse("24000/1001");

    private static readonly string[] RuleNames = ["gravityScale", "timeScale", "linearDampingPerS", "gravityY", "é-rule"];

    private static Gen<FrameInput> Inputs(int cameras) =>
        from frame in Gen.Choose(0, int.MaxValue)
        from previous in Gen.Choose(-1, 1000)
        from timecode in Gen.Choose(0, (int)Timecode.FramesPerDay(Rate, false) - 1)
        from step in Gen.Choose(0, int.MaxValue)
        from flags in Gen.Choose(0, 3)
        from poses in Gen.ArrayOf(Gen.Choose(-100000, 100000).Select(v => v / 977f), cameras * 7)
        from focal in Gen.ArrayOf(Gen.Choose(8000, 300000).Select(v => v / 1000.0), cameras)
        from cameraFlags in Gen.ArrayOf(Gen.Choose(0, 7), cameras)
        from commandCount in Gen.Choose(0, 4)
        from names in Gen.ArrayOf(Gen.Elements(RuleNames), commandCount)
        from values in Gen.ArrayOf(Gen.Choose(-1000000, 1000000).Select(v => v / 1000.0), commandCount)
        select Build(cameras, frame + 1000L * frame, previous, timecode, step * 3L, flags, poses, focal, cameraFlags, names, values);

    private static FrameInput Build(int cameras, long frame, long previous, int timecode, long step, int flags, float[] poses, double[] focal, int[] cameraFlags, string[] names, double[] values)
    {
        var input = new FrameInput(cameras)
        {
            Frame = frame, PreviousFrame = previous, Timecode = Timecode.FromFrameCount(timecode, Rate), WorldStep = step,
            EndOfRun = (flags & 1) != 0, DiagnosticSnapshot = (flags & 2) != 0,
        };
        for (int i = 0; i < cameras; i++)
        {
            int p = i * 7;
            input.Cameras[i] = new FrameInputCamera(new Pose(new Vector3(poses[p], poses[p + 1], poses[p + 2]), new Quaternion(poses[p + 3], poses[p + 4], poses[p + 5], poses[p + 6])),
                focal[i], (cameraFlags[i] & 1) != 0, (cameraFlags[i] & 2) != 0, (cameraFlags[i] & 4) != 0);
        }
        for (int i = 0; i < names.Length; i++) input.Commands.Add(new WorldRuleCommand(names[i], values[i]));
        return input;
    }

    private static bool Same(FrameInput a, FrameInput b) =>
        a.Frame == b.Frame && a.PreviousFrame == b.PreviousFrame && a.Timecode == b.Timecode && a.WorldStep == b.WorldStep && a.EndOfRun == b.EndOfRun &&
        a.DiagnosticSnapshot == b.DiagnosticSnapshot && a.Cameras.SequenceEqual(b.Cameras) && a.Commands.SequenceEqual(b.Commands);

    [Fact]
    public void Every_frame_input_round_trips_bit_for_bit()
    {
        Prop.ForAll(Gen.Choose(0, 4).SelectMany(Inputs).ToArbitrary(), input =>
        {
            byte[] bytes = new byte[FrameInputCodec.SizeOf(input)];
            int written = FrameInputCodec.Encode(input, bytes);
            var back = new FrameInput(input.Cameras.Length);
            FrameInputCodec.Decode(bytes, Rate, back);
            return written == bytes.Length && Same(input, back);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Any_flipped_bit_is_refused_with_the_place_named()
    {
        FrameInput input = Inputs(2).Sample(1, 1).Single();
        byte[] good = new byte[FrameInputCodec.SizeOf(input)];
        FrameInputCodec.Encode(input, good);
        Prop.ForAll(Gen.Choose(0, good.Length * 8 - 1).ToArbitrary(), bit =>
        {
            byte[] bad = (byte[])good.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            var e = Assert.Throws<FormatException>(() => FrameInputCodec.Decode(bad, Rate, new FrameInput(2)));
            return e.Message.Contains("frame input", StringComparison.Ordinal);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Every_truncation_is_refused()
    {
        FrameInput input = Inputs(2).Sample(1, 1).Single();
        input.Commands.Add(new WorldRuleCommand("gravityScale", 0.5));
        byte[] good = new byte[FrameInputCodec.SizeOf(input)];
        FrameInputCodec.Encode(input, good);
        for (int length = 0; length < good.Length; length++)
            Assert.Throws<FormatException>(() => FrameInputCodec.Decode(good.AsSpan(0, length), Rate, new FrameInput(2)));
    }

    [Fact]
    public void The_layout_is_the_documented_one()
    {
        var input = new FrameInput(1) { Frame = 0x0102030405060708, PreviousFrame = -1, Timecode = Timecode.FromFrameCount(10, Rate), WorldStep = 5 };
        input.Cameras[0] = new FrameInputCamera(new Pose(new Vector3(1, 2, 3), Quaternion.Identity), 35, true, false, true);
        input.Commands.Add(new WorldRuleCommand("timeScale", 0.5));
        byte[] bytes = new byte[FrameInputCodec.SizeOf(input)];
        FrameInputCodec.Encode(input, bytes);
        Assert.Equal(FrameInputCodec.HeaderBytes + FrameInputCodec.CameraBytes + 1 + 9 + 8 + 4, bytes.Length);
        Assert.Equal("SFIN"u8.ToArray(), bytes[..4]);
        Assert.Equal(1, BitConverter.ToUInt16(bytes, 4));
        Assert.Equal(0x0102030405060708, BitConverter.ToInt64(bytes, 8));
        Assert.Equal(10, BitConverter.ToInt64(bytes, 16));
        Assert.Equal(5, BitConverter.ToInt64(bytes, 24));
        Assert.Equal(0, bytes[32]); // 23.976 timecode is never drop-frame
        Assert.Equal(1, bytes[33]);
        Assert.Equal(1, BitConverter.ToUInt16(bytes, 34));
        Assert.Equal(-1, BitConverter.ToInt64(bytes, 36));
        Assert.Equal(1f, BitConverter.ToSingle(bytes, 44));
        Assert.Equal(35.0, BitConverter.ToDouble(bytes, 44 + 28));
        Assert.Equal(5, bytes[44 + 36]); // has pose | markers
        Assert.Equal(9, bytes[44 + 37]);
        Assert.Equal("timeScale"u8.ToArray(), bytes[(44 + 38)..(44 + 47)]);
        Assert.Equal(0.5, BitConverter.ToDouble(bytes, 44 + 47));
    }
}
