using System.Net;
using System.Numerics;
using Stage.Core.Space;
using Stage.Tracking.Buffers;
using Stage.Tracking.FreeD;
using Stage.Tracking.Statistics;
using static Stage.Tracking.Tests.TestConfigs;
using Stage.Tests.Shared;

namespace Stage.Tracking.Tests;

public class FreeDSourceTests
{
    [Fact]
    public void Known_packet_becomes_a_stage_space_sample_with_calibrated_lens()
    {
        var buffer = new PoseBuffer("A", 0);
        using var source = new FreeDSource(FreeDConfig(), [buffer]);
        source.ProcessDatagram(FreeDCodecTests.KnownPacket, Ms(0));
        Assert.True(buffer.TryGetLatest(out CameraSample s));
        // FreeD X 1000 mm, Y (forward) −2500.25 mm, height 1500.5 mm → stage (x, z, −y) in metres.
        Assert.Equal(1.0f, s.PositionM.X, 5);
        Assert.Equal(1.5005f, s.PositionM.Y, 5);
        Assert.Equal(2.50025f, s.PositionM.Z, 5);
        Assert.Equal(ZUpConversion.FreeDAnglesToStage(-90, 12.5, -0.5), s.Orientation);
        // Pan −90° (left): the camera looks along stage −X.
        Assert.True(Vector3.Distance(new Vector3(-1, 0, 0), Vector3.Normalize(s.Pose.Forward with { Y = 0 })) < 1e-4);
        Assert.Equal(32.0, s.FocalLengthMm, 9);          // zoom 4096 → 32 mm
        Assert.Equal(0.6 + 99.4 * 0.5, s.FocusDistanceM, 9); // focus 32768 of 65536
        Assert.True(double.IsNaN(s.Iris));
        Assert.Null(s.SourceTimecode);
        Assert.Equal(1, s.SequenceNumber);
    }

    [Fact]
    public void Bad_packets_are_counted_and_never_applied()
    {
        var buffer = new PoseBuffer("A", 0);
        using var source = new FreeDSource(FreeDConfig(cameraId: 1), [buffer]);
        byte[] badChecksum = (byte[])FreeDCodecTests.KnownPacket.Clone();
        badChecksum[28] ^= 0xFF;
        byte[] otherCamera = FreeDCodec.Encode(FreeDPacket.FromValues(2, 0, 0, 0, 0, 0, 0, 0, 0));
        source.ProcessDatagram(badChecksum, Ms(0));
        source.ProcessDatagram(FreeDCodecTests.KnownPacket.AsSpan(0, 20), Ms(1));
        source.ProcessDatagram(otherCamera, Ms(2));
        source.ProcessDatagram(new byte[29], Ms(3));
        Assert.False(buffer.TryGetLatest(out _));
        SourceStatisticsSnapshot stats = source.Statistics.Snapshot(Ms(4));
        Assert.Equal(4, stats.Datagrams.Count);
        Assert.Equal(1, stats.ChecksumErrors);
        Assert.Equal(2, stats.Malformed); // wrong length + wrong type
        Assert.Equal(1, stats.DropsOf(TrackingDropKind.WrongCameraId));
        Assert.Equal(0, stats.SamplesApplied);
    }

    [Fact]
    public void Processing_a_packet_allocates_nothing()
    {
        var buffer = new PoseBuffer("A", 0);
        using var source = new FreeDSource(FreeDConfig(), [buffer]);
        byte[] packet = FreeDCodecTests.KnownPacket;
        source.ProcessDatagram(packet, Ms(0));
        int sent = 0;
        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            for (int i = 1; i <= 1000; i++) source.ProcessDatagram(packet, Ms(++sent));
        }));
        Assert.Equal(sent + 1, buffer.WrittenCount);
    }

    [Fact]
    public void Udp_loopback_packets_reach_the_pose_buffer()
    {
        var buffer = new PoseBuffer("A", 0);
        using var source = new FreeDSource(FreeDConfig(port: 0), [buffer]);
        source.Start();
        IPEndPoint endPoint = source.LocalEndPoint!;
        Assert.Equal(IPAddress.Loopback, endPoint.Address);
        byte[] moved = FreeDCodec.Encode(FreeDPacket.FromValues(1, 45, -10, 0, 2000, 3000, 1800, 8192, 0));
        SendTo(endPoint, FreeDCodecTests.KnownPacket, [0xD1, 0x01], moved);
        Assert.True(WaitFor(() => buffer.WrittenCount == 2 && source.Statistics.Datagrams.Count == 3));
        Assert.True(buffer.TryGetLatest(out CameraSample s));
        Assert.Equal(2.0f, s.PositionM.X, 4);
        Assert.Equal(1.8f, s.PositionM.Y, 4);
        Assert.Equal(-3.0f, s.PositionM.Z, 4);
        Assert.Equal(50.0, s.FocalLengthMm, 9);
        Assert.Equal(1, source.Statistics.DropsOf(TrackingDropKind.WrongLength));
        Assert.Equal(TrackingStatus.Tracking, buffer.Status);
        source.Stop();
        Assert.False(source.IsRunning);
    }
}
