using System.Net;
using System.Text;
using Stage.Tracking.Buffers;
using Stage.Tracking.OpenTrackIO;
using Stage.Tracking.Statistics;
using static Stage.Tracking.Tests.TestConfigs;

namespace Stage.Tracking.Tests;

public class OpenTrackIOSourceTests
{
    private static byte[] Datagram(string json, ushort sequence = 1, byte encoding = 0x01)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        var datagram = new byte[16 + payload.Length];
        OpenTrackIOHeader.Write(datagram, encoding, sequence, 0, true, payload);
        return datagram;
    }

    private static string Sample(string sourceId, int sourceNumber, double x, string? label = null)
    {
        string labelPart = label is null ? "" : "\"static\":{\"camera\":{\"label\":\"" + label + "\"}},";
        string xText = x.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "{\"sourceId\":\"" + sourceId + "\",\"sourceNumber\":" + sourceNumber + "," + labelPart
            + "\"transforms\":[{\"translation\":{\"x\":" + xText + ",\"y\":0,\"z\":1.5},\"rotation\":{\"pan\":0,\"tilt\":0,\"roll\":0},\"id\":\"Camera\"}]}";
    }

    [Fact]
    public void Published_example_reaches_the_camera_with_timecode_and_lens()
    {
        var buffer = new PoseBuffer("B", 0);
        using var source = new OpenTrackIOSource(OpenTrackIOConfig(), [new BoundCamera(buffer, "camera-b")]);
        source.ProcessDatagram(Datagram(OpenTrackIOJsonParserTests.RecommendedDynamicExample, 42), Ms(0));
        Assert.True(buffer.TryGetLatest(out CameraSample s));
        Assert.Equal("B", s.CameraId);
        Assert.Equal(24.305, s.FocalLengthMm);
        Assert.Equal("01:02:03:04", s.SourceTimecode?.ToString());
        Assert.Equal(42, s.SequenceNumber); // no timing.sequenceNumber: the header's
    }

    [Fact]
    public void Cameras_match_by_source_number_id_label_or_transform_id()
    {
        var byNumber = new PoseBuffer("N", 0);
        var byId = new PoseBuffer("I", 0);
        var byLabel = new PoseBuffer("L", 0);
        using var source = new OpenTrackIOSource(OpenTrackIOConfig(),
            [new BoundCamera(byNumber, "7"), new BoundCamera(byId, "urn:uuid:bbbb"), new BoundCamera(byLabel, "camera-c")]);
        source.ProcessDatagram(Datagram(Sample("urn:uuid:aaaa", 7, 1.0)), Ms(0));
        source.ProcessDatagram(Datagram(Sample("urn:uuid:bbbb", 8, 2.0)), Ms(1));
        source.ProcessDatagram(Datagram(Sample("urn:uuid:cccc", 9, 3.0, label: "camera-c")), Ms(2));
        source.ProcessDatagram(Datagram(Sample("urn:uuid:cccc", 9, 4.0)), Ms(3)); // label remembered for its sourceId
        source.ProcessDatagram(Datagram(Sample("urn:uuid:dddd", 10, 5.0)), Ms(4)); // nobody's
        Assert.Equal(1, byNumber.WrittenCount);
        Assert.Equal(1, byId.WrittenCount);
        Assert.Equal(2, byLabel.WrittenCount);
        Assert.True(byLabel.TryGetLatest(out CameraSample c));
        Assert.Equal(4.0f, c.PositionM.X);
        Assert.Equal(1, source.Statistics.DropsOf(TrackingDropKind.UnmatchedSubject));
    }

    [Fact]
    public void A_sole_camera_follows_the_first_source_it_sees()
    {
        var buffer = new PoseBuffer("B", 0);
        using var source = new OpenTrackIOSource(OpenTrackIOConfig(), [new BoundCamera(buffer, "camera-b")]);
        source.ProcessDatagram(Datagram(Sample("urn:uuid:aaaa", 2, 1.0)), Ms(0));
        source.ProcessDatagram(Datagram(Sample("urn:uuid:ffff", 3, 9.0)), Ms(1));
        source.ProcessDatagram(Datagram(Sample("urn:uuid:aaaa", 2, 2.0)), Ms(2));
        Assert.Equal(2, buffer.WrittenCount);
        Assert.True(buffer.TryGetLatest(out CameraSample s));
        Assert.Equal(2.0f, s.PositionM.X);
        Assert.Equal(1, source.Statistics.DropsOf(TrackingDropKind.UnmatchedSubject));
    }

    [Fact]
    public void Cbor_and_bad_datagrams_are_counted_and_not_applied()
    {
        var buffer = new PoseBuffer("B", 0);
        using var source = new OpenTrackIOSource(OpenTrackIOConfig(), [new BoundCamera(buffer, "camera-b")]);
        byte[] good = Datagram(Sample("urn:uuid:aaaa", 2, 1.0));
        byte[] corrupt = (byte[])good.Clone();
        corrupt[^3] ^= 0x10;
        source.ProcessDatagram(Datagram(Sample("urn:uuid:aaaa", 2, 1.0), encoding: 0x02), Ms(0));
        source.ProcessDatagram(corrupt, Ms(1));
        source.ProcessDatagram(Datagram("{not json"), Ms(2));
        source.ProcessDatagram(Datagram("""{"sourceId":"urn:uuid:aaaa"}"""), Ms(3));
        source.ProcessDatagram("OTrk"u8, Ms(4));
        Assert.Equal(0, buffer.WrittenCount);
        SourceStatisticsSnapshot stats = source.Statistics.Snapshot(Ms(5));
        Assert.Equal(1, stats.DropsOf(TrackingDropKind.UnsupportedEncoding));
        Assert.Equal(1, stats.ChecksumErrors);
        Assert.Equal(1, stats.DropsOf(TrackingDropKind.MalformedPayload));
        Assert.Equal(1, stats.DropsOf(TrackingDropKind.NoPose));
        Assert.Equal(1, stats.DropsOf(TrackingDropKind.WrongLength));
    }

    [Fact]
    public void Segmented_messages_out_of_order_are_applied_once_complete()
    {
        var buffer = new PoseBuffer("B", 0);
        using var source = new OpenTrackIOSource(OpenTrackIOConfig(), [new BoundCamera(buffer, "camera-b")]);
        IReadOnlyList<byte[]> parts = OpenTrackIOHeader.Segment(Encoding.UTF8.GetBytes(OpenTrackIOJsonParserTests.RecommendedDynamicExample), 0x01, 5, 300);
        Assert.True(parts.Count > 3);
        foreach (byte[] part in parts.Reverse().Skip(1)) source.ProcessDatagram(part, Ms(0));
        Assert.Equal(0, buffer.WrittenCount);
        source.ProcessDatagram(parts[^1], Ms(1));
        Assert.Equal(1, buffer.WrittenCount);
    }

    [Fact]
    public void Udp_loopback_datagrams_reach_the_pose_buffer()
    {
        var buffer = new PoseBuffer("B", 0);
        using var source = new OpenTrackIOSource(OpenTrackIOConfig(port: 0), [new BoundCamera(buffer, "camera-b")], unicastBindAddress: IPAddress.Loopback);
        source.Start();
        IPEndPoint endPoint = source.LocalEndPoint!;
        IReadOnlyList<byte[]> segmented = OpenTrackIOHeader.Segment(Encoding.UTF8.GetBytes(Sample("urn:uuid:aaaa", 2, 7.5)), 0x01, 2, 100);
        SendTo(endPoint, [Datagram(Sample("urn:uuid:aaaa", 2, 1.0)), .. segmented]);
        Assert.True(WaitFor(() => buffer.WrittenCount == 2));
        Assert.True(buffer.TryGetLatest(out CameraSample s));
        Assert.Equal(7.5f, s.PositionM.X);
        Assert.Equal(1.5f, s.PositionM.Y);
        source.Stop();
    }
}
