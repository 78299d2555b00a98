using System.Buffers.Binary;
using System.Text;

namespace Stage.Osc;

/// <summary>Thrown when encoding cannot proceed: the destination is too small, or calls are out of order.</summary>
public sealed class OscEncodeException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public OscEncodeException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public OscEncodeException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public OscEncodeException() : base("OSC encoding failed")
    {
    }
}

/// <summary>
/// Writes OSC messages and bundles into a caller-provided span without allocating.
/// </summary>
/// <remarks>
/// A message is written as <see cref="BeginMessage(ReadOnlySpan{char})"/>, one <c>Write…</c> per
/// argument, <see cref="EndMessage"/>. The type tag string precedes the arguments on the wire but is
/// only known at the end, so arguments are written first and type tags are kept at the far end of
/// the span; <see cref="EndMessage"/> moves the arguments up once and writes the tags in between.
/// A bundle is <see cref="WriteBundleHeader"/> then, per element,
/// <see cref="BeginBundleElement"/> … <see cref="EndBundleElement"/> (which fills in the size).
/// </remarks>
public ref struct OscWriter
{
    private readonly Span<byte> _buffer;
    private int _position;
    private int _tagCount;
    private int _argumentsStart;
    private bool _inMessage;

    /// <summary>Creates a writer over <paramref name="destination"/>, starting at its first byte.</summary>
    public OscWriter(Span<byte> destination)
    {
        _buffer = destination;
        _position = 0;
        _tagCount = 0;
        _argumentsStart = 0;
        _inMessage = false;
    }

    /// <summary>Bytes written so far (complete once every message and element is ended).</summary>
    public readonly int BytesWritten => _position;

    /// <summary>The bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer[.._position];

    /// <summary>Starts a message with an address pattern given as UTF-16 (encoded as UTF-8, no allocation).</summary>
    public void BeginMessage(ReadOnlySpan<char> address)
    {
        EnsureNoMessage();
        if (address.IsEmpty || address[0] != '/') throw new OscEncodeException("OSC address must begin with '/'");
        if (address.Contains('\0')) throw new OscEncodeException("OSC address cannot contain NUL");
        var length = Encoding.UTF8.GetByteCount(address);
        Ensure(OscWire.PaddedStringBytes(length));
        Encoding.UTF8.GetBytes(address, _buffer[_position..]);
        WritePadding(_position + length, OscWire.PaddedStringBytes(length) - length);
        StartArguments(OscWire.PaddedStringBytes(length));
    }

    /// <summary>Starts a message with an address pattern given as UTF-8 bytes.</summary>
    public void BeginMessage(ReadOnlySpan<byte> addressUtf8)
    {
        EnsureNoMessage();
        if (addressUtf8.IsEmpty || addressUtf8[0] != (byte)'/') throw new OscEncodeException("OSC address must begin with '/'");
        if (addressUtf8.Contains((byte)0)) throw new OscEncodeException("OSC address cannot contain NUL");
        WriteStringBody(addressUtf8);
        StartArguments(0);
    }

    private void StartArguments(int advanceBytes)
    {
        _position += advanceBytes;
        _argumentsStart = _position;
        _tagCount = 0;
        _inMessage = true;
    }

    /// <summary>Writes an 'i' argument.</summary>
    public void WriteInt32(int value)
    {
        Tag(OscTypeTag.Int32, 4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer[_position..], value);
        _position += 4;
    }

    /// <summary>Writes an 'f' argument.</summary>
    public void WriteFloat32(float value)
    {
        Tag(OscTypeTag.Float32, 4);
        BinaryPrimitives.WriteSingleBigEndian(_buffer[_position..], value);
        _position += 4;
    }

    /// <summary>Writes an 'h' argument.</summary>
    public void WriteInt64(long value)
    {
        Tag(OscTypeTag.Int64, 8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer[_position..], value);
        _position += 8;
    }

    /// <summary>Writes a 'd' argument.</summary>
    public void WriteFloat64(double value)
    {
        Tag(OscTypeTag.Float64, 8);
        BinaryPrimitives.WriteDoubleBigEndian(_buffer[_position..], value);
        _position += 8;
    }

    /// <summary>Writes a 't' argument.</summary>
    public void WriteTimeTag(OscTimeTag value)
    {
        Tag(OscTypeTag.TimeTag, 8);
        BinaryPrimitives.WriteUInt64BigEndian(_buffer[_position..], value.Raw);
        _position += 8;
    }

    /// <summary>Writes a 'c' argument (one byte, in the low byte of 32 bits as liblo sends it).</summary>
    public void WriteChar(char value)
    {
        if (value > 0xFF) throw new OscEncodeException("OSC 'c' carries one byte");
        Tag(OscTypeTag.Char, 4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_position..], value);
        _position += 4;
    }

    /// <summary>Writes an 'r' argument.</summary>
    public void WriteColor(OscColor value)
    {
        Tag(OscTypeTag.Color, 4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_position..], value.Packed);
        _position += 4;
    }

    /// <summary>Writes an 'm' argument.</summary>
    public void WriteMidi(OscMidi value)
    {
        Tag(OscTypeTag.Midi, 4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_position..], value.Packed);
        _position += 4;
    }

    /// <summary>Writes 'T' or 'F' (no data).</summary>
    public void WriteBoolean(bool value) => Tag(value ? OscTypeTag.True : OscTypeTag.False, 0);

    /// <summary>Writes 'N' (no data).</summary>
    public void WriteNil() => Tag(OscTypeTag.Nil, 0);

    /// <summary>Writes 'I' (no data).</summary>
    public void WriteInfinitum() => Tag(OscTypeTag.Infinitum, 0);

    /// <summary>Writes '[' (no data): the following arguments form an array until <see cref="WriteArrayEnd"/>.</summary>
    public void WriteArrayBegin() => Tag(OscTypeTag.ArrayBegin, 0);

    /// <summary>Writes ']' (no data).</summary>
    public void WriteArrayEnd() => Tag(OscTypeTag.ArrayEnd, 0);

    /// <summary>Writes an 's' argument from UTF-16 (encoded as UTF-8, no allocation).</summary>
    public void WriteString(ReadOnlySpan<char> value) => WriteStringLike(OscTypeTag.String, value);

    /// <summary>Writes an 'S' argument from UTF-16.</summary>
    public void WriteSymbol(ReadOnlySpan<char> value) => WriteStringLike(OscTypeTag.Symbol, value);

    /// <summary>Writes an 's' argument from UTF-8 bytes.</summary>
    public void WriteString(ReadOnlySpan<byte> valueUtf8) => WriteStringLikeUtf8(OscTypeTag.String, valueUtf8);

    /// <summary>Writes an 'S' argument from UTF-8 bytes.</summary>
    public void WriteSymbol(ReadOnlySpan<byte> valueUtf8) => WriteStringLikeUtf8(OscTypeTag.Symbol, valueUtf8);

    /// <summary>Writes a 'b' argument: size, bytes, zero padding to 4.</summary>
    public void WriteBlob(ReadOnlySpan<byte> value)
    {
        Tag(OscTypeTag.Blob, 4 + OscWire.PaddedBlobBytes(value.Length));
        BinaryPrimitives.WriteInt32BigEndian(_buffer[_position..], value.Length);
        value.CopyTo(_buffer[(_position + 4)..]);
        WritePadding(_position + 4 + value.Length, OscWire.PaddedBlobBytes(value.Length) - value.Length);
        _position += 4 + OscWire.PaddedBlobBytes(value.Length);
    }

    /// <summary>Writes one managed value as the argument of its type.</summary>
    public void Write(in OscValue value)
    {
        switch (value.TypeTag)
        {
            case OscTypeTag.Int32: WriteInt32(value.Int32); break;
            case OscTypeTag.Float32: WriteFloat32(value.Float32); break;
            case OscTypeTag.String: WriteString(value.String); break;
            case OscTypeTag.Symbol: WriteSymbol(value.String); break;
            case OscTypeTag.Blob: WriteBlob(value.Blob); break;
            case OscTypeTag.Int64: WriteInt64(value.Int64); break;
            case OscTypeTag.TimeTag: WriteTimeTag(value.TimeTag); break;
            case OscTypeTag.Float64: WriteFloat64(value.Float64); break;
            case OscTypeTag.Char: WriteChar(value.Char); break;
            case OscTypeTag.Color: WriteColor(value.Color); break;
            case OscTypeTag.Midi: WriteMidi(value.Midi); break;
            case OscTypeTag.True or OscTypeTag.False or OscTypeTag.Nil or OscTypeTag.Infinitum or OscTypeTag.ArrayBegin or OscTypeTag.ArrayEnd:
                Tag(value.TypeTag, 0);
                break;
            default: throw new OscEncodeException($"unknown OSC type tag '{(char)value.TypeTag}'");
        }
    }

    /// <summary>Finishes the open message: writes the type tag string in front of the arguments.</summary>
    public void EndMessage()
    {
        if (!_inMessage) throw new OscEncodeException("EndMessage without BeginMessage");
        var tagBytes = OscWire.PaddedStringBytes(_tagCount + 1);
        Ensure(tagBytes);
        var argumentBytes = _position - _argumentsStart;
        // Tags sit reversed at the end of the buffer; copy them out before the arguments move over them.
        Span<byte> tags = _tagCount <= 256 ? stackalloc byte[_tagCount] : new byte[_tagCount];
        for (var i = 0; i < _tagCount; i++) tags[i] = _buffer[_buffer.Length - 1 - i];
        _buffer.Slice(_argumentsStart, argumentBytes).CopyTo(_buffer[(_argumentsStart + tagBytes)..]);
        _buffer[_argumentsStart] = (byte)',';
        tags.CopyTo(_buffer[(_argumentsStart + 1)..]);
        WritePadding(_argumentsStart + 1 + _tagCount, tagBytes - 1 - _tagCount);
        _position += tagBytes;
        _inMessage = false;
    }

    /// <summary>Writes "#bundle" and the time tag: the start of a bundle (or of a nested bundle's element).</summary>
    public void WriteBundleHeader(OscTimeTag timeTag)
    {
        EnsureNoMessage();
        Ensure(16);
        OscWire.BundleHeader.CopyTo(_buffer[_position..]);
        BinaryPrimitives.WriteUInt64BigEndian(_buffer[(_position + 8)..], timeTag.Raw);
        _position += 16;
    }

    /// <summary>Reserves a bundle element's size field; returns the token for <see cref="EndBundleElement"/>.</summary>
    public int BeginBundleElement()
    {
        EnsureNoMessage();
        Ensure(4);
        var token = _position;
        _position += 4;
        return token;
    }

    /// <summary>Fills in the size of the element begun at <paramref name="token"/>.</summary>
    public void EndBundleElement(int token)
    {
        EnsureNoMessage();
        if (token < 0 || token + 4 > _position) throw new OscEncodeException("bundle element token does not belong to this writer");
        BinaryPrimitives.WriteInt32BigEndian(_buffer[token..], _position - token - 4);
    }

    /// <summary>Writes a whole message of float32 arguments in one call (the pose fast path).</summary>
    public void WriteMessage(ReadOnlySpan<char> address, ReadOnlySpan<float> values)
    {
        BeginMessage(address);
        foreach (var value in values) WriteFloat32(value);
        EndMessage();
    }

    private void WriteStringLike(byte tag, ReadOnlySpan<char> value)
    {
        if (value.Contains('\0')) throw new OscEncodeException("OSC strings cannot contain NUL");
        var length = Encoding.UTF8.GetByteCount(value);
        Tag(tag, OscWire.PaddedStringBytes(length));
        Encoding.UTF8.GetBytes(value, _buffer[_position..]);
        WritePadding(_position + length, OscWire.PaddedStringBytes(length) - length);
        _position += OscWire.PaddedStringBytes(length);
    }

    private void WriteStringLikeUtf8(byte tag, ReadOnlySpan<byte> value)
    {
        if (value.Contains((byte)0)) throw new OscEncodeException("OSC strings cannot contain NUL");
        Tag(tag, OscWire.PaddedStringBytes(value.Length));
        WriteStringBody(value);
        _position += OscWire.PaddedStringBytes(value.Length);
    }

    private readonly void WriteStringBody(ReadOnlySpan<byte> value)
    {
        if (!_inMessage) Ensure(OscWire.PaddedStringBytes(value.Length));
        value.CopyTo(_buffer[_position..]);
        WritePadding(_position + value.Length, OscWire.PaddedStringBytes(value.Length) - value.Length);
    }

    /// <summary>Records a tag and checks that its data plus the final tag string still fit.</summary>
    private void Tag(byte tag, int dataBytes)
    {
        if (!_inMessage) throw new OscEncodeException("argument written outside BeginMessage/EndMessage");
        var tagsAfter = _tagCount + 1;
        // Room for the data and the eventual tag string in front of the arguments. The tag string is
        // longer than the reversed tag store at the end, so this also keeps the two from overlapping.
        if ((long)_position + dataBytes + OscWire.PaddedStringBytes(tagsAfter + 1) > _buffer.Length)
            throw new OscEncodeException($"OSC destination of {_buffer.Length} bytes is too small");
        _buffer[_buffer.Length - tagsAfter] = tag;
        _tagCount = tagsAfter;
    }

    private readonly void Ensure(int bytes)
    {
        if ((long)_position + bytes > _buffer.Length) throw new OscEncodeException($"OSC destination of {_buffer.Length} bytes is too small");
    }

    private readonly void EnsureNoMessage()
    {
        if (_inMessage) throw new OscEncodeException("a message is still open (call EndMessage)");
    }

    private readonly void WritePadding(int start, int count) => _buffer.Slice(start, count).Clear();
}
