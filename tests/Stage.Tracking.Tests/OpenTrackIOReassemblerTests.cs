using Stage.Tracking.OpenTrackIO;

namespace Stage.Tracking.Tests;

public class OpenTrackIOReassemblerTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();

    private static (OpenTrackIOHeader Header, byte[] Segment)[] Split(ushort sequence, int size = 1000)
    {
        return OpenTrackIOHeader.Segment(Payload, 0x01, sequence, size).Select(d =>
        {
            OpenTrackIOHeader.TryParse(d, out OpenTrackIOHeader h, out ReadOnlySpan<byte> p);
            return (h, p.ToArray());
        }).ToArray();
    }

    [Fact]
    public void Out_of_order_segments_reassemble()
    {
        var r = new OpenTrackIOReassembler(4, 65536, 1000);
        var parts = Split(3);
        Assert.Equal(ReassemblyOutcome.Pending, r.Add(parts[2].Header, parts[2].Segment, 0, out _, out _, out _));
        Assert.Equal(ReassemblyOutcome.Pending, r.Add(parts[0].Header, parts[0].Segment, 1, out _, out _, out _));
        Assert.Equal(ReassemblyOutcome.Duplicate, r.Add(parts[0].Header, parts[0].Segment, 2, out _, out _, out _));
        Assert.Equal(ReassemblyOutcome.Complete, r.Add(parts[1].Header, parts[1].Segment, 3, out ReadOnlySpan<byte> message, out byte encoding, out _));
        Assert.True(message.SequenceEqual(Payload));
        Assert.Equal(0x01, encoding);
        Assert.Equal(0, r.InFlight);
    }

    [Fact]
    public void Interleaved_messages_reassemble_independently()
    {
        var r = new OpenTrackIOReassembler(4, 65536, 1000);
        var a = Split(1);
        var b = Split(2, 700);
        r.Add(a[0].Header, a[0].Segment, 0, out _, out _, out _);
        foreach (var (h, s) in b.Take(b.Length - 1)) r.Add(h, s, 0, out _, out _, out _);
        r.Add(a[1].Header, a[1].Segment, 0, out _, out _, out _);
        Assert.Equal(ReassemblyOutcome.Complete, r.Add(b[^1].Header, b[^1].Segment, 0, out ReadOnlySpan<byte> mb, out _, out _));
        Assert.True(mb.SequenceEqual(Payload));
        Assert.Equal(ReassemblyOutcome.Complete, r.Add(a[2].Header, a[2].Segment, 0, out ReadOnlySpan<byte> ma, out _, out _));
        Assert.True(ma.SequenceEqual(Payload));
    }

    [Fact]
    public void Overlapping_segments_drop_the_message()
    {
        var r = new OpenTrackIOReassembler(4, 65536, 1000);
        var parts = Split(5);
        r.Add(parts[0].Header, parts[0].Segment, 0, out _, out _, out _);
        var overlapping = parts[1].Header with { SegmentOffset = 500 };
        Assert.Equal(ReassemblyOutcome.BadSegment, r.Add(overlapping, parts[1].Segment, 0, out _, out _, out _));
        Assert.Equal(0, r.InFlight);
    }

    [Fact]
    public void Messages_beyond_the_cap_are_refused()
    {
        var r = new OpenTrackIOReassembler(2, 2048, 1000);
        var parts = Split(6);
        r.Add(parts[0].Header, parts[0].Segment, 0, out _, out _, out _);
        r.Add(parts[1].Header, parts[1].Segment, 0, out _, out _, out _);
        Assert.Equal(ReassemblyOutcome.TooLarge, r.Add(parts[2].Header, parts[2].Segment, 0, out _, out _, out _));
        Assert.Equal(0, r.InFlight);
    }

    [Fact]
    public void Partial_messages_time_out_and_slots_are_reused_oldest_first()
    {
        var r = new OpenTrackIOReassembler(2, 65536, 100);
        var s1 = Split(1); var s2 = Split(2); var s3 = Split(3);
        r.Add(s1[0].Header, s1[0].Segment, 0, out _, out _, out _);
        r.Add(s2[0].Header, s2[0].Segment, 10, out _, out _, out _);
        r.Add(s3[0].Header, s3[0].Segment, 20, out _, out _, out int abandoned);
        Assert.Equal(1, abandoned); // message 1 gave way
        Assert.Equal(2, r.InFlight);
        Assert.Equal(2, r.Expire(200));
        Assert.Equal(0, r.InFlight);
    }
}
