using Stage.Osc;

namespace Stage.Osc.Tests;

/// <summary>The wire form of every type tag, written and read back.</summary>
public class TypeEncodingTests
{
    private static byte[] Encode(params OscValue[] values) => new OscMessageData("/t", values).ToArray();

    private static byte[] ArgumentBytes(byte[] message, int tagCount) => message[(4 + ((tagCount + 1 + 4) & ~3))..];

    [Fact]
    public void Int64_Float64_and_TimeTag_take_eight_big_endian_bytes()
    {
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0x2a, 0x05, 0xf2, 0x00 }, ArgumentBytes(Encode(OscValue.FromInt64(5_000_000_000)), 1));
        Assert.Equal(new byte[] { 0x40, 0x0a, 0, 0, 0, 0, 0, 0 }, ArgumentBytes(Encode(OscValue.FromFloat64(3.25)), 1));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1 }, ArgumentBytes(Encode(OscValue.FromTimeTag(OscTimeTag.Immediately)), 1));
    }

    [Fact]
    public void Char_colour_and_midi_take_four_bytes()
    {
        Assert.Equal(new byte[] { 0, 0, 0, (byte)'x' }, ArgumentBytes(Encode(OscValue.FromChar('x')), 1));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, ArgumentBytes(Encode(OscValue.FromColor(new OscColor(1, 2, 3, 4))), 1));
        Assert.Equal(new byte[] { 9, 0x90, 60, 127 }, ArgumentBytes(Encode(OscValue.FromMidi(new OscMidi(9, 0x90, 60, 127))), 1));
    }

    [Fact]
    public void True_false_nil_infinitum_and_array_brackets_have_no_data()
    {
        var bytes = Encode(OscValue.True, OscValue.False, OscValue.Nil, OscValue.Infinitum, OscValue.ArrayBegin, OscValue.FromInt32(7), OscValue.ArrayEnd);
        Assert.Equal("/t\0\0,TFNI[i]\0\0\0\0\0\0\0\x07"u8.ToArray(), bytes);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 8)]
    [InlineData(3, 8)]
    [InlineData(4, 8)]
    [InlineData(5, 12)]
    public void Blob_is_size_then_data_padded_to_four(int length, int expectedBytes)
    {
        var blob = Enumerable.Range(1, length).Select(i => (byte)i).ToArray();
        var arguments = ArgumentBytes(Encode(OscValue.FromBlob(blob)), 1);
        Assert.Equal(expectedBytes, arguments.Length);
        Assert.Equal(length, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(arguments));
        Assert.Equal(blob, arguments[4..(4 + length)]);
        Assert.All(arguments[(4 + length)..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Every_type_reads_back_through_the_span_reader()
    {
        var bytes = Encode(
            OscValue.FromInt32(-7), OscValue.FromFloat32(1.5f), OscValue.FromString("hé"), OscValue.FromBlob([1, 2, 3]),
            OscValue.FromInt64(long.MinValue), OscValue.FromTimeTag(new OscTimeTag(0x0123456789abcdef)), OscValue.FromFloat64(-2.25),
            OscValue.FromSymbol("sym"), OscValue.FromChar('c'), OscValue.FromColor(new OscColor(10, 20, 30, 40)),
            OscValue.FromMidi(new OscMidi(1, 2, 3, 4)), OscValue.True, OscValue.False, OscValue.Nil, OscValue.Infinitum,
            OscValue.ArrayBegin, OscValue.FromFloat32(2f), OscValue.ArrayEnd);
        Assert.True(OscPacket.TryDecode(bytes, out var packet, out var error), error.ToString());
        var m = packet.Message;
        Assert.Equal("ifsbhtdScrmTFNI[f]", m.GetTypeTags());
        Assert.Equal(-7, m[0].GetInt32());
        Assert.Equal(1.5f, m[1].GetFloat32());
        Assert.Equal("hé", m[2].GetString());
        Assert.Equal(new byte[] { 1, 2, 3 }, m[3].GetBlob().ToArray());
        Assert.Equal(long.MinValue, m[4].GetInt64());
        Assert.Equal(0x0123456789abcdefUL, m[5].GetTimeTag().Raw);
        Assert.Equal(-2.25, m[6].GetFloat64());
        Assert.Equal("sym", m[7].GetString());
        Assert.Equal('c', m[8].GetChar());
        Assert.Equal(new OscColor(10, 20, 30, 40), m[9].GetColor());
        Assert.Equal(new OscMidi(1, 2, 3, 4), m[10].GetMidi());
        Assert.True(m[11].GetBoolean());
        Assert.False(m[12].GetBoolean());
        Assert.Equal(OscTypeTag.Nil, m[13].TypeTag);
        Assert.Equal(OscTypeTag.Infinitum, m[14].TypeTag);
        Assert.Equal(OscTypeTag.ArrayBegin, m[15].TypeTag);
        Assert.Equal(2f, m[16].GetFloat32());
        Assert.Equal(OscTypeTag.ArrayEnd, m[17].TypeTag);
    }

    [Fact]
    public void Reading_an_argument_as_the_wrong_type_throws_a_clear_error()
    {
        var bytes = Encode(OscValue.FromInt32(1));
        var thrown = Assert.Throws<InvalidOperationException>(() =>
        {
            Assert.True(OscPacket.TryDecode(bytes, out var packet, out _));
            return packet.Message[0].GetFloat32();
        });
        Assert.Contains("'i'", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ints_and_floats_are_interchangeable_where_a_number_is_expected()
    {
        var bytes = Encode(OscValue.FromInt32(1), OscValue.FromFloat32(0.5f), OscValue.FromInt64(3), OscValue.FromFloat64(4.5), OscValue.FromString("x"));
        Assert.True(OscPacket.TryDecode(bytes, out var packet, out _));
        var m = packet.Message;
        Assert.True(m.TryGetNumber(0, out double a));
        Assert.True(m.TryGetNumber(1, out float b));
        Assert.True(m.TryGetNumber(2, out double c));
        Assert.True(m.TryGetNumber(3, out double d));
        Assert.Equal((1.0, 0.5f, 3.0, 4.5), (a, b, c, d));
        Assert.False(m.TryGetNumber(4, out double _));
        Assert.False(m.TryGetNumber(5, out double _));
        Assert.False(m.TryGetNumber(-1, out double _));
    }

    [Fact]
    public void TryGetNumbers_reads_a_pose_of_mixed_ints_and_floats()
    {
        var bytes = Encode(OscValue.FromFloat32(1.5f), OscValue.FromInt32(2), OscValue.FromFloat32(3f));
        Assert.True(OscPacket.TryDecode(bytes, out var packet, out _));
        Span<float> pose = stackalloc float[3];
        Assert.True(packet.Message.TryGetNumbers(pose));
        Assert.Equal(new[] { 1.5f, 2f, 3f }, pose.ToArray());
        Span<float> tooMany = stackalloc float[4];
        Assert.False(packet.Message.TryGetNumbers(tooMany));
    }

    [Fact]
    public void Writer_refuses_a_destination_too_small_instead_of_writing_past_it()
    {
        var thrown = Assert.Throws<OscEncodeException>(() =>
        {
            Span<byte> small = stackalloc byte[12];
            var writer = new OscWriter(small);
            writer.BeginMessage("/abc");
            writer.WriteFloat32(1f);
        });
        Assert.Contains("too small", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_fills_a_destination_of_exactly_the_encoded_length()
    {
        var data = new OscMessageData("/cam/1", OscValue.FromFloat32(1), OscValue.FromString("abc"), OscValue.True);
        var exact = new byte[data.GetEncodedLength()];
        Assert.Equal(exact.Length, OscEncoder.Encode(data, exact));
        Assert.False(OscEncoder.TryEncode(data, new byte[exact.Length - 1], out _));
    }

    [Fact]
    public void Bundle_encodes_header_time_tag_and_sized_elements()
    {
        var bundle = new OscBundleData(OscTimeTag.Immediately, new OscMessageData("/a", OscValue.FromInt32(1)));
        var bytes = bundle.ToArray();
        Assert.Equal("#bundle\0"u8.ToArray(), bytes[..8]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1 }, bytes[8..16]);
        Assert.Equal(new byte[] { 0, 0, 0, 12 }, bytes[16..20]);
        Assert.Equal("/a\0\0,i\0\0\0\0\0\x01"u8.ToArray(), bytes[20..]);
    }

    [Fact]
    public void Time_tag_converts_to_and_from_utc()
    {
        var instant = new DateTime(2024, 5, 17, 12, 30, 15, 250, DateTimeKind.Utc);
        var tag = OscTimeTag.FromDateTimeUtc(instant);
        Assert.Equal(instant, tag.ToDateTimeUtc());
        Assert.Equal(0x40000000u, tag.Fraction); // 250 ms = 1/4 of 2^32
        Assert.Equal(new OscTimeTag(0x83AA7E80_00000000).ToDateTimeUtc(), new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    }
}
