using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Stage.Tracking.OpenTrackIO;

namespace Stage.Tracking.Tests;

public class OpenTrackIOHeaderTests
{
    // "OTrk", reserved 0, JSON, sequence 7, offset 0, last + length 2, then Fletcher-16 (mod 255, as the SMPTE
    // reference library computes it) over the 14 header bytes and "{}" worked by hand: the bytes sum to 770,
    // so sum1 = 770 mod 255 = 0x05; sum2 = 0x63.
    private static readonly byte[] Known =
        [0x4F, 0x54, 0x72, 0x6B, 0x00, 0x01, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x80, 0x02, 0x63, 0x05, (byte)'{', (byte)'}'];

    // The same datagram as Unreal's sender writes it, with both sums kept modulo 256: sum1 = 0x02, sum2 = 0x4A.
    private static readonly byte[] KnownModulo256 =
        [0x4F, 0x54, 0x72, 0x6B, 0x00, 0x01, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x80, 0x02, 0x4A, 0x02, (byte)'{', (byte)'}'];

    [Fact]
    public void The_modulo_256_variant_some_senders_write_is_accepted()
    {
        Assert.Equal(OpenTrackIOHeaderError.None, OpenTrackIOHeader.TryParse(KnownModulo256, out OpenTrackIOHeader h, out _));
        Assert.Equal(0x4A02, h.Checksum);
    }

    [Fact]
    public void Known_datagram_parses()
    {
        Assert.Equal(OpenTrackIOHeaderError.None, OpenTrackIOHeader.TryParse(Known, out OpenTrackIOHeader h, out ReadOnlySpan<byte> payload));
        Assert.Equal((byte)OpenTrackIOEncoding.Json, h.Encoding);
        Assert.Equal(7, h.SequenceNumber);
        Assert.Equal(0u, h.SegmentOffset);
        Assert.True(h.IsLastSegment);
        Assert.Equal(2, h.PayloadLength);
        Assert.Equal(0x6305, h.Checksum);
        Assert.Equal("{}", Encoding.UTF8.GetString(payload));
    }

    [Fact]
    public void Writer_produces_the_known_datagram()
    {
        var buffer = new byte[64];
        int length = OpenTrackIOHeader.Write(buffer, 0x01, 7, 0, true, "{}"u8);
        Assert.Equal(Known, buffer[..length]);
    }

    [Fact]
    public void Damaged_datagrams_are_typed_errors()
    {
        byte[] bad = (byte[])Known.Clone();
        bad[16] = (byte)'[';
        Assert.Equal(OpenTrackIOHeaderError.BadChecksum, OpenTrackIOHeader.TryParse(bad, out _, out _));
        Assert.Equal(OpenTrackIOHeaderError.TooShort, OpenTrackIOHeader.TryParse(Known.AsSpan(0, 15), out _, out _));
        Assert.Equal(OpenTrackIOHeaderError.LengthMismatch, OpenTrackIOHeader.TryParse(Known.AsSpan(0, 17), out _, out _));
        byte[] id = (byte[])Known.Clone();
        id[0] = (byte)'X';
        Assert.Equal(OpenTrackIOHeaderError.BadIdentifier, OpenTrackIOHeader.TryParse(id, out _, out _));
    }

    [Fact]
    public void Every_single_bit_flip_is_detected()
    {
        for (int bit = 0; bit < Known.Length * 8; bit++)
        {
            byte[] flipped = (byte[])Known.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            // The reserved byte (4) is covered by the checksum too; only header parse success with equal fields would be a miss.
            Assert.NotEqual(OpenTrackIOHeaderError.None, OpenTrackIOHeader.TryParse(flipped, out _, out _));
        }
    }

    [Fact]
    public void Write_then_parse_round_trips()
    {
        Gen<byte[]> payloads = Gen.Choose(0, 600).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));
        Prop.ForAll(payloads.ToArbitrary(), Gen.Choose(0, 65535).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (payload, seq, offset) =>
        {
            var datagram = new byte[16 + payload.Length];
            OpenTrackIOHeader.Write(datagram, 0x01, (ushort)seq, (uint)offset, offset % 2 == 0, payload);
            return OpenTrackIOHeader.TryParse(datagram, out OpenTrackIOHeader h, out ReadOnlySpan<byte> back) == OpenTrackIOHeaderError.None
                && h.SequenceNumber == seq && h.SegmentOffset == (uint)offset && h.IsLastSegment == (offset % 2 == 0)
                && back.SequenceEqual(payload);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Segment_splits_in_order_and_flags_the_last()
    {
        byte[] payload = Enumerable.Range(0, 2500).Select(i => (byte)i).ToArray();
        IReadOnlyList<byte[]> parts = OpenTrackIOHeader.Segment(payload, 0x01, 9, 1000);
        Assert.Equal(3, parts.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(OpenTrackIOHeaderError.None, OpenTrackIOHeader.TryParse(parts[i], out OpenTrackIOHeader h, out _));
            Assert.Equal((uint)(i * 1000), h.SegmentOffset);
            Assert.Equal(i == 2, h.IsLastSegment);
            Assert.Equal(9, h.SequenceNumber);
        }
    }
}
