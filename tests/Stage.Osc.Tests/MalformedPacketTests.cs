using Stage.Osc;

namespace Stage.Osc.Tests;

/// <summary>Every kind of malformed packet is rejected with its kind and the byte offset of the fault.</summary>
public class MalformedPacketTests
{
    private static OscError Decode(ReadOnlySpan<byte> bytes)
    {
        Assert.False(OscPacket.TryDecode(bytes, out _, out var error));
        return error;
    }

    [Fact]
    public void Empty_packet() => Assert.Equal(new OscError(OscErrorKind.EmptyPacket, 0), Decode([]));

    [Fact]
    public void Address_without_slash() => Assert.Equal(new OscError(OscErrorKind.AddressMissingSlash, 0), Decode("abc\0,i\0\0\0\0\0\x01"u8));

    [Fact]
    public void Unterminated_address() => Assert.Equal(new OscError(OscErrorKind.UnterminatedString, 0), Decode("/abcdefg"u8));

    [Fact]
    public void Address_padding_not_zero_names_the_bad_byte()
        => Assert.Equal(new OscError(OscErrorKind.BadPadding, 6), Decode("/abcd\0X\0,\0\0\0"u8));

    [Fact]
    public void Address_padding_cut_short()
        => Assert.Equal(new OscError(OscErrorKind.BadPadding, 6), Decode("/abcd\0"u8));

    [Fact]
    public void Missing_type_tag_comma() => Assert.Equal(new OscError(OscErrorKind.MissingTypeTagComma, 4), Decode("/ab\0if\0\0\0\0\0\x01"u8));

    [Fact]
    public void Unterminated_type_tag_string() => Assert.Equal(new OscError(OscErrorKind.UnterminatedString, 4), Decode("/ab\0,iii"u8));

    [Fact]
    public void Unknown_type_tag_names_its_position() => Assert.Equal(new OscError(OscErrorKind.UnknownTypeTag, 6), Decode("/ab\0,iz\0\0\0\0\x01"u8));

    [Fact]
    public void Truncated_int_argument() => Assert.Equal(new OscError(OscErrorKind.TruncatedArgument, 12), Decode("/ab\0,ii\0\0\0\0\x01"u8));

    [Fact]
    public void Truncated_double_argument() => Assert.Equal(new OscError(OscErrorKind.TruncatedArgument, 8), Decode("/ab\0,d\0\0\0\0\0\x01"u8));

    [Fact]
    public void Missing_string_argument() => Assert.Equal(new OscError(OscErrorKind.TruncatedArgument, 8), Decode("/ab\0,s\0\0"u8));

    [Fact]
    public void Unterminated_string_argument() => Assert.Equal(new OscError(OscErrorKind.UnterminatedString, 8), Decode("/ab\0,s\0\0abcd"u8));

    [Fact]
    public void String_argument_padding_not_zero() => Assert.Equal(new OscError(OscErrorKind.BadPadding, 11), Decode("/ab\0,s\0\0ab\0\x01"u8));

    [Fact]
    public void Blob_size_past_the_end() => Assert.Equal(new OscError(OscErrorKind.BadBlobSize, 8), Decode("/ab\0,b\0\0\0\0\0\x0009abcd"u8));

    [Fact]
    public void Blob_size_negative() => Assert.Equal(new OscError(OscErrorKind.BadBlobSize, 8), Decode(System.Text.Encoding.Latin1.GetBytes("/ab\0,b\0\0\x00ff\x00ff\x00ff\x00ffabcd")));

    [Fact]
    public void Blob_padding_not_zero() => Assert.Equal(new OscError(OscErrorKind.BadPadding, 15), Decode("/ab\0,b\0\0\0\0\0\x0003abc!"u8));

    [Fact]
    public void Blob_padding_cut_short() => Assert.Equal(new OscError(OscErrorKind.BadPadding, 15), Decode("/ab\0,b\0\0\0\0\0\x0003abc"u8));

    [Fact]
    public void Unclosed_array() => Assert.Equal(new OscError(OscErrorKind.UnbalancedArray, 7), Decode("/ab\0,[i\0\0\0\0\x01"u8));

    [Fact]
    public void Array_closed_before_opened() => Assert.Equal(new OscError(OscErrorKind.UnbalancedArray, 5), Decode("/ab\0,]\0\0"u8));

    [Fact]
    public void Bytes_after_the_last_argument() => Assert.Equal(new OscError(OscErrorKind.TrailingBytes, 12), Decode("/ab\0,i\0\0\0\0\0\x01\0\0\0\0"u8));

    [Fact]
    public void Bundle_shorter_than_its_header() => Assert.Equal(new OscError(OscErrorKind.BadBundleHeader, 0), Decode("#bundle\0\0\0\0\0"u8));

    [Fact]
    public void Bundle_with_wrong_header_word() => Assert.Equal(new OscError(OscErrorKind.BadBundleHeader, 0), Decode("#bundlX\0\0\0\0\0\0\0\0\x01"u8));

    [Fact]
    public void Bundle_element_size_overflow()
    {
        var bytes = Bundle(12 + 1, "/ab\0,i\0\0\0\0\0\x01"u8);
        bytes[19] = 16; // claims 16 bytes, 12 remain
        Assert.Equal(new OscError(OscErrorKind.BundleElementSizeOverflow, 16), Decode(bytes));
    }

    [Fact]
    public void Bundle_element_size_not_multiple_of_four()
    {
        var bytes = Bundle(12, "/ab\0,i\0\0\0\0\0\x01"u8);
        bytes[19] = 10;
        Assert.Equal(new OscError(OscErrorKind.BadBundleElementSize, 16), Decode(bytes));
    }

    [Fact]
    public void Bundle_element_size_truncated()
    {
        var bytes = Bundle(12, "/ab\0,i\0\0\0\0\0\x01"u8).Concat(new byte[] { 0, 0 }).ToArray();
        Assert.Equal(new OscError(OscErrorKind.TruncatedBundleElementSize, 32), Decode(bytes));
    }

    [Fact]
    public void Fault_inside_a_bundle_element_is_reported_at_its_offset_in_the_whole_packet()
    {
        // Element starts at 20; its bad type tag 'z' is at 20 + 5.
        var bytes = Bundle(12, "/ab\0,z\0\0\0\0\0\x01"u8);
        Assert.Equal(new OscError(OscErrorKind.UnknownTypeTag, 25), Decode(bytes));
    }

    [Fact]
    public void Bundles_nested_past_the_limit_are_refused_not_recursed()
    {
        var inner = new OscMessageData("/x").ToArray();
        for (var depth = 0; depth < OscLimits.MaxBundleDepth + 1; depth++) inner = Bundle(inner.Length, inner);
        Assert.Equal(OscErrorKind.BundleNestingTooDeep, Decode(inner).Kind);
    }

    [Fact]
    public void Error_describes_itself_with_its_offset()
        => Assert.Equal("unknown type tag at byte 6", new OscError(OscErrorKind.UnknownTypeTag, 6).ToString());

    private static byte[] Bundle(int elementSize, ReadOnlySpan<byte> element)
    {
        var bytes = new byte[20 + element.Length];
        "#bundle\0"u8.CopyTo(bytes);
        bytes[15] = 1;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), elementSize);
        element.CopyTo(bytes.AsSpan(20));
        return bytes;
    }
}
