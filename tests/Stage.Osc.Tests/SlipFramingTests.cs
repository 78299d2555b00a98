using Stage.Osc;

namespace Stage.Osc.Tests;

/// <summary>OSC 1.1 SLIP framing (double END, ESC handling) and OSC 1.0 length-prefixed framing.</summary>
public class SlipFramingTests
{
    private static (List<byte[]> Frames, List<OscError> Errors) Read(OscFrameReader reader, params byte[][] chunks)
    {
        var frames = new List<byte[]>();
        var errors = new List<OscError>();
        foreach (var chunk in chunks) reader.Feed(chunk, f => frames.Add(f.ToArray()), errors.Add);
        return (frames, errors);
    }

    [Fact]
    public void Encoding_wraps_in_END_and_escapes_END_and_ESC()
    {
        byte[] packet = [1, 0xC0, 2, 0xDB, 3];
        var destination = new byte[OscSlip.GetEncodedLength(packet)];
        Assert.Equal(9, OscSlip.Encode(packet, destination));
        Assert.Equal(new byte[] { 0xC0, 1, 0xDB, 0xDC, 2, 0xDB, 0xDD, 3, 0xC0 }, destination);
    }

    [Fact]
    public void Decoding_restores_escaped_bytes_across_chunk_boundaries()
    {
        var (frames, errors) = Read(new OscFrameReader(OscStreamFraming.Slip), [0xC0, 1, 0xDB], [0xDC, 2, 0xDB, 0xDD], [3, 0xC0]);
        Assert.Empty(errors);
        Assert.Equal([new byte[] { 1, 0xC0, 2, 0xDB, 3 }], frames);
    }

    [Fact]
    public void Double_END_between_frames_yields_no_empty_frame()
    {
        var (frames, _) = Read(new OscFrameReader(OscStreamFraming.Slip), [0xC0, 1, 2, 3, 4, 0xC0, 0xC0, 5, 6, 7, 8, 0xC0]);
        Assert.Equal([new byte[] { 1, 2, 3, 4 }, new byte[] { 5, 6, 7, 8 }], frames);
    }

    [Fact]
    public void Bad_escape_is_reported_with_its_offset_and_the_frame_skipped()
    {
        var (frames, errors) = Read(new OscFrameReader(OscStreamFraming.Slip), [0xC0, 1, 2, 0xDB, 0x41, 3, 0xC0, 9, 9, 9, 9, 0xC0]);
        Assert.Equal([new OscError(OscErrorKind.BadSlipEscape, 2)], errors);
        Assert.Equal([new byte[] { 9, 9, 9, 9 }], frames);
    }

    [Fact]
    public void Oversized_frame_is_reported_and_skipped_to_the_next_END()
    {
        var big = new byte[40];
        var (frames, errors) = Read(new OscFrameReader(OscStreamFraming.Slip, maxFrameBytes: 16), [0xC0, .. big, 0xC0, 7, 7, 7, 7, 0xC0]);
        Assert.Equal([new OscError(OscErrorKind.FrameTooLarge, 16)], errors);
        Assert.Equal([new byte[] { 7, 7, 7, 7 }], frames);
    }

    [Fact]
    public void Length_prefixed_frames_split_across_chunks()
    {
        var (frames, errors) = Read(new OscFrameReader(OscStreamFraming.LengthPrefixed), [0, 0], [0, 4, 1, 2], [3, 4, 0, 0, 0, 4, 5, 6, 7, 8]);
        Assert.Empty(errors);
        Assert.Equal([new byte[] { 1, 2, 3, 4 }, new byte[] { 5, 6, 7, 8 }], frames);
    }

    [Fact]
    public void Impossible_length_breaks_a_length_prefixed_stream()
    {
        var reader = new OscFrameReader(OscStreamFraming.LengthPrefixed, maxFrameBytes: 64);
        var (_, errors) = Read(reader, [0, 0, 1, 0, 1, 2]);
        Assert.Equal([new OscError(OscErrorKind.FrameTooLarge, 0)], errors);
        Assert.True(reader.IsBroken);
        var (_, negative) = Read(new OscFrameReader(OscStreamFraming.LengthPrefixed), [0xff, 0xff, 0xff, 0xfc]);
        Assert.Equal(OscErrorKind.BadFrameLength, Assert.Single(negative).Kind);
    }

    [Theory]
    [InlineData(0xC0, OscStreamFraming.Slip)]
    [InlineData(0x00, OscStreamFraming.LengthPrefixed)]
    public void Auto_framing_decides_on_the_first_byte(byte first, OscStreamFraming expected)
    {
        var reader = new OscFrameReader(OscStreamFraming.Auto);
        Read(reader, [first]);
        Assert.Equal(expected, reader.Framing);
    }

    [Fact]
    public void Slip_round_trips_a_real_osc_packet_with_END_bytes_inside()
    {
        var packet = new OscMessageData("/blob", OscValue.FromBlob([0xC0, 0xDB, 0xC0, 0xDD])).ToArray();
        var framed = new byte[OscSlip.GetEncodedLength(packet)];
        OscSlip.Encode(packet, framed);
        var (frames, _) = Read(new OscFrameReader(OscStreamFraming.Slip), framed);
        Assert.Equal(packet, Assert.Single(frames));
    }
}
