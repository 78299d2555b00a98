using System.Buffers.Binary;
using System.Text;

namespace Stage.Osc;

/// <summary>
/// A decoded OSC message: a validated view over the packet bytes. Nothing is copied and nothing
/// is allocated until a string is asked for (<see cref="GetAddress"/>, <see cref="GetString"/>).
/// The view is valid only as long as the bytes it was decoded from.
/// </summary>
/// <remarks>
/// Arguments are addressed by their position in the type tag string (without the comma), so
/// array brackets '[' and ']' count as positions with no data, like 'T', 'F', 'N' and 'I'.
/// </remarks>
public readonly ref struct OscMessage
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _addressLength;
    private readonly int _tagsStart;
    private readonly int _tagCount;
    private readonly int _argumentsStart;

    private OscMessage(ReadOnlySpan<byte> data, int baseOffset, int addressLength, int tagsStart, int tagCount, int argumentsStart)
    {
        _data = data;
        BaseOffsetBytes = baseOffset;
        _addressLength = addressLength;
        _tagsStart = tagsStart;
        _tagCount = tagCount;
        _argumentsStart = argumentsStart;
    }

    /// <summary>All bytes of this message.</summary>
    public ReadOnlySpan<byte> Bytes => _data;

    /// <summary>Offset of this message inside the packet it came in (non-zero inside bundles).</summary>
    public int BaseOffsetBytes { get; }

    /// <summary>The address pattern as UTF-8 bytes, without NUL (no allocation).</summary>
    public ReadOnlySpan<byte> AddressUtf8 => _data[.._addressLength];

    /// <summary>The type tags without the leading comma, one byte per argument position.</summary>
    public ReadOnlySpan<byte> TypeTags => _data.Slice(_tagsStart, _tagCount);

    /// <summary>Number of argument positions (type tags, array brackets included).</summary>
    public int ArgumentCount => _tagCount;

    /// <summary>The address pattern as a string (allocates).</summary>
    public string GetAddress() => Encoding.UTF8.GetString(AddressUtf8);

    /// <summary>The type tags as a string without the comma (allocates).</summary>
    public string GetTypeTags() => Encoding.ASCII.GetString(TypeTags);

    /// <summary>True when the address pattern equals <paramref name="addressUtf8"/> byte for byte.</summary>
    public bool AddressEquals(ReadOnlySpan<byte> addressUtf8) => AddressUtf8.SequenceEqual(addressUtf8);

    /// <summary>True when the type tags (without comma) equal <paramref name="tags"/>, e.g. "ffffff"u8.</summary>
    public bool HasTypeTags(ReadOnlySpan<byte> tags) => TypeTags.SequenceEqual(tags);

    /// <summary>
    /// Decodes and validates one OSC message occupying all of <paramref name="data"/>.
    /// Never throws; on failure <paramref name="error"/> says what and where (offsets from the
    /// start of <paramref name="data"/> plus <paramref name="baseOffsetBytes"/>).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, out OscMessage message, out OscError error, int baseOffsetBytes = 0)
    {
        error = Validate(data, out var addressLength, out var tagsStart, out var tagCount, out var argumentsStart);
        if (error.IsError)
        {
            error = new OscError(error.Kind, error.OffsetBytes + baseOffsetBytes);
            message = default;
            return false;
        }
        message = new OscMessage(data, baseOffsetBytes, addressLength, tagsStart, tagCount, argumentsStart);
        return true;
    }

    /// <summary>Builds the view over a message already validated (inside a validated bundle).</summary>
    internal static OscMessage FromValidated(ReadOnlySpan<byte> data, int baseOffsetBytes)
    {
        var addressLength = data.IndexOf((byte)0);
        var tagsStart = OscWire.PaddedStringBytes(addressLength);
        if (tagsStart >= data.Length) return new OscMessage(data, baseOffsetBytes, addressLength, tagsStart, 0, tagsStart);
        var tagLength = data[tagsStart..].IndexOf((byte)0);
        return new OscMessage(data, baseOffsetBytes, addressLength, tagsStart + 1, tagLength - 1, tagsStart + OscWire.PaddedStringBytes(tagLength));
    }

    private static OscError Validate(ReadOnlySpan<byte> data, out int addressLength, out int tagsStart, out int tagCount, out int argumentsStart)
    {
        addressLength = tagsStart = tagCount = argumentsStart = 0;
        if (data.IsEmpty) return new OscError(OscErrorKind.EmptyPacket, 0);
        if (data[0] != (byte)'/') return new OscError(OscErrorKind.AddressMissingSlash, 0);
        var error = OscWire.CheckString(data, 0, out addressLength, out var position);
        if (error.IsError) return error;
        if (position == data.Length)
        {
            // OSC 1.0 asks receivers to be robust to senders that omit the type tag string.
            tagsStart = argumentsStart = position;
            return default;
        }
        if (data[position] != (byte)',') return new OscError(OscErrorKind.MissingTypeTagComma, position);
        var commaAt = position;
        error = OscWire.CheckString(data, commaAt, out var tagLength, out position);
        if (error.IsError) return error;
        tagsStart = commaAt + 1;
        tagCount = tagLength - 1;
        argumentsStart = position;
        var depth = 0;
        for (var i = 0; i < tagCount; i++)
        {
            var tag = data[tagsStart + i];
            var size = OscTypeTag.FixedSizeBytes(tag);
            if (size == 4 || size == 8)
            {
                // Fast path for the fixed-size numbers that make up poses.
                if (data.Length - position < size) return new OscError(OscErrorKind.TruncatedArgument, position);
                position += size;
                continue;
            }
            if (size == -2) return new OscError(OscErrorKind.UnknownTypeTag, tagsStart + i);
            if (tag == OscTypeTag.ArrayBegin) depth++;
            else if (tag == OscTypeTag.ArrayEnd && --depth < 0) return new OscError(OscErrorKind.UnbalancedArray, tagsStart + i);
            error = OscWire.CheckArgument(data, tag, position, out position);
            if (error.IsError) return error;
        }
        if (depth != 0) return new OscError(OscErrorKind.UnbalancedArray, tagsStart + tagCount);
        if (position != data.Length) return new OscError(OscErrorKind.TrailingBytes, position);
        return default;
    }

    /// <summary>The argument at type-tag position <paramref name="index"/> (walks the arguments before it).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="index"/> is not below <see cref="ArgumentCount"/>.</exception>
    public OscArgument this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _tagCount);
            var position = _argumentsStart;
            var tags = TypeTags;
            for (var i = 0; i < index; i++) position = OscWire.SkipArgument(_data, tags[i], position);
            return new OscArgument(tags[index], _data, position, BaseOffsetBytes + position);
        }
    }

    /// <summary>Enumerates the arguments in order, each read once (use this to read them all).</summary>
    public OscArgumentEnumerator GetEnumerator() => new(_data, TypeTags, _argumentsStart, BaseOffsetBytes);

    /// <summary>
    /// Reads a number at <paramref name="index"/> whatever its numeric type ('i', 'f', 'h', 'd'):
    /// control surfaces send ints and floats interchangeably. False for other types or out of range.
    /// </summary>
    public bool TryGetNumber(int index, out double value)
    {
        if ((uint)index < (uint)_tagCount) return this[index].TryGetNumber(out value);
        value = 0;
        return false;
    }

    /// <summary>As <see cref="TryGetNumber(int, out double)"/>, narrowed to float32.</summary>
    public bool TryGetNumber(int index, out float value)
    {
        var ok = TryGetNumber(index, out double number);
        value = (float)number;
        return ok;
    }

    /// <summary>
    /// Reads the first <c>values.Length</c> arguments as numbers (any of 'i', 'f', 'h', 'd') in one pass:
    /// the fast path for pose messages. False when there are fewer, or one is not numeric.
    /// </summary>
    public bool TryGetNumbers(Span<float> values)
    {
        if (values.Length > _tagCount) return false;
        var tags = TypeTags;
        var position = _argumentsStart;
        for (var i = 0; i < values.Length; i++)
        {
            // Numbers are fixed size, so the position advances without walking the enumerator.
            switch (tags[i])
            {
                case OscTypeTag.Float32: values[i] = BinaryPrimitives.ReadSingleBigEndian(_data[position..]); position += 4; break;
                case OscTypeTag.Int32: values[i] = BinaryPrimitives.ReadInt32BigEndian(_data[position..]); position += 4; break;
                case OscTypeTag.Float64: values[i] = (float)BinaryPrimitives.ReadDoubleBigEndian(_data[position..]); position += 8; break;
                case OscTypeTag.Int64: values[i] = BinaryPrimitives.ReadInt64BigEndian(_data[position..]); position += 8; break;
                default: return false;
            }
        }
        return true;
    }

    /// <summary>The string (or symbol) at <paramref name="index"/> (allocates); throws if of another type.</summary>
    public string GetString(int index) => this[index].GetString();

    /// <summary>A copy of this message as a managed object (allocates; for tools, tests and logs).</summary>
    public OscMessageData ToData()
    {
        var arguments = new OscValue[_tagCount];
        var i = 0;
        foreach (var argument in this) arguments[i++] = argument.ToValue();
        return new OscMessageData(GetAddress(), arguments);
    }

    /// <summary>The message as liblo's oscdump prints it, without time tag (allocates).</summary>
    public override string ToString() => ToData().ToString();
}

/// <summary>Reads the arguments of an <see cref="OscMessage"/> one after the other.</summary>
public ref struct OscArgumentEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly ReadOnlySpan<byte> _tags;
    private readonly int _baseOffset;
    private int _index;
    private int _position;
    private int _next;

    internal OscArgumentEnumerator(ReadOnlySpan<byte> data, ReadOnlySpan<byte> tags, int argumentsStart, int baseOffset)
    {
        _data = data;
        _tags = tags;
        _baseOffset = baseOffset;
        _index = -1;
        _position = argumentsStart;
        _next = argumentsStart;
    }

    /// <summary>Advances to the next argument; false after the last.</summary>
    public bool MoveNext()
    {
        if (_index + 1 >= _tags.Length) return false;
        _index++;
        _position = _next;
        _next = OscWire.SkipArgument(_data, _tags[_index], _position);
        return true;
    }

    /// <summary>The argument at the current position.</summary>
    public readonly OscArgument Current => new(_tags[_index], _data, _position, _baseOffset + _position);
}

/// <summary>One argument of a decoded message: its type tag and a view of its bytes.</summary>
public readonly ref struct OscArgument
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _position;

    internal OscArgument(byte typeTag, ReadOnlySpan<byte> data, int position, int offsetBytes)
    {
        TypeTag = typeTag;
        _data = data;
        _position = position;
        OffsetBytes = offsetBytes;
    }

    /// <summary>The type tag byte ('i', 'f', 's', ...).</summary>
    public byte TypeTag { get; }

    /// <summary>Offset of the argument's data from the start of the packet.</summary>
    public int OffsetBytes { get; }

    private ReadOnlySpan<byte> Raw => _data[_position..];

    private void Expect(byte tag)
    {
        if (TypeTag != tag) throw new InvalidOperationException($"OSC argument is '{(char)TypeTag}', not '{(char)tag}'");
    }

    /// <summary>An 'i' argument.</summary>
    public int GetInt32() { Expect(OscTypeTag.Int32); return BinaryPrimitives.ReadInt32BigEndian(Raw); }

    /// <summary>An 'f' argument.</summary>
    public float GetFloat32() { Expect(OscTypeTag.Float32); return BinaryPrimitives.ReadSingleBigEndian(Raw); }

    /// <summary>An 'h' argument.</summary>
    public long GetInt64() { Expect(OscTypeTag.Int64); return BinaryPrimitives.ReadInt64BigEndian(Raw); }

    /// <summary>A 'd' argument.</summary>
    public double GetFloat64() { Expect(OscTypeTag.Float64); return BinaryPrimitives.ReadDoubleBigEndian(Raw); }

    /// <summary>A 't' argument.</summary>
    public OscTimeTag GetTimeTag() { Expect(OscTypeTag.TimeTag); return new OscTimeTag(BinaryPrimitives.ReadUInt64BigEndian(Raw)); }

    /// <summary>A 'c' argument (the low byte of the 32-bit value, as ASCII).</summary>
    public char GetChar() { Expect(OscTypeTag.Char); return (char)(BinaryPrimitives.ReadUInt32BigEndian(Raw) & 0xFF); }

    /// <summary>An 'r' argument.</summary>
    public OscColor GetColor() { Expect(OscTypeTag.Color); return OscColor.FromPacked(BinaryPrimitives.ReadUInt32BigEndian(Raw)); }

    /// <summary>An 'm' argument.</summary>
    public OscMidi GetMidi() { Expect(OscTypeTag.Midi); return OscMidi.FromPacked(BinaryPrimitives.ReadUInt32BigEndian(Raw)); }

    /// <summary>'T' or 'F' as a boolean.</summary>
    public bool GetBoolean()
    {
        if (TypeTag == OscTypeTag.True) return true;
        if (TypeTag == OscTypeTag.False) return false;
        throw new InvalidOperationException($"OSC argument is '{(char)TypeTag}', not 'T' or 'F'");
    }

    /// <summary>The bytes of an 's' or 'S' argument without NUL (no allocation).</summary>
    public ReadOnlySpan<byte> GetStringUtf8()
    {
        if (TypeTag != OscTypeTag.String && TypeTag != OscTypeTag.Symbol)
            throw new InvalidOperationException($"OSC argument is '{(char)TypeTag}', not 's' or 'S'");
        var raw = Raw;
        return raw[..raw.IndexOf((byte)0)];
    }

    /// <summary>An 's' or 'S' argument as a string (allocates).</summary>
    public string GetString() => Encoding.UTF8.GetString(GetStringUtf8());

    /// <summary>The data of a 'b' argument (no allocation).</summary>
    public ReadOnlySpan<byte> GetBlob()
    {
        Expect(OscTypeTag.Blob);
        return Raw.Slice(4, BinaryPrimitives.ReadInt32BigEndian(Raw));
    }

    /// <summary>
    /// Reads any numeric argument ('i', 'f', 'h', 'd') as a double; false for other types.
    /// </summary>
    public bool TryGetNumber(out double value)
    {
        switch (TypeTag)
        {
            case OscTypeTag.Float32: value = BinaryPrimitives.ReadSingleBigEndian(Raw); return true;
            case OscTypeTag.Int32: value = BinaryPrimitives.ReadInt32BigEndian(Raw); return true;
            case OscTypeTag.Float64: value = BinaryPrimitives.ReadDoubleBigEndian(Raw); return true;
            case OscTypeTag.Int64: value = BinaryPrimitives.ReadInt64BigEndian(Raw); return true;
            default: value = 0; return false;
        }
    }

    /// <summary>As <see cref="TryGetNumber(out double)"/>, narrowed to float32.</summary>
    public bool TryGetNumber(out float value)
    {
        var ok = TryGetNumber(out double number);
        value = (float)number;
        return ok;
    }

    /// <summary>The argument as a managed value (allocates for strings and blobs).</summary>
    public OscValue ToValue() => TypeTag switch
    {
        OscTypeTag.Int32 => OscValue.FromInt32(GetInt32()),
        OscTypeTag.Float32 => OscValue.FromFloat32(GetFloat32()),
        OscTypeTag.String => OscValue.FromString(GetString()),
        OscTypeTag.Symbol => OscValue.FromSymbol(GetString()),
        OscTypeTag.Blob => OscValue.FromBlob(GetBlob().ToArray()),
        OscTypeTag.Int64 => OscValue.FromInt64(GetInt64()),
        OscTypeTag.TimeTag => OscValue.FromTimeTag(GetTimeTag()),
        OscTypeTag.Float64 => OscValue.FromFloat64(GetFloat64()),
        OscTypeTag.Char => OscValue.FromChar(GetChar()),
        OscTypeTag.Color => OscValue.FromColor(GetColor()),
        OscTypeTag.Midi => OscValue.FromMidi(GetMidi()),
        OscTypeTag.True => OscValue.True,
        OscTypeTag.False => OscValue.False,
        OscTypeTag.Nil => OscValue.Nil,
        OscTypeTag.Infinitum => OscValue.Infinitum,
        OscTypeTag.ArrayBegin => OscValue.ArrayBegin,
        OscTypeTag.ArrayEnd => OscValue.ArrayEnd,
        _ => throw new InvalidOperationException($"unknown OSC type tag '{(char)TypeTag}'"),
    };
}
