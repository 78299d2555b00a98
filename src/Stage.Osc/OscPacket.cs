using System.Buffers.Binary;

namespace Stage.Osc;

/// <summary>Whether a packet is a message or a bundle.</summary>
public enum OscPacketKind
{
    /// <summary>An OSC message (address pattern, type tags, arguments).</summary>
    Message,
    /// <summary>An OSC bundle ("#bundle", time tag, elements).</summary>
    Bundle,
}

/// <summary>
/// A decoded OSC packet — a message or a bundle — as a validated view over its bytes.
/// <see cref="TryDecode"/> checks the whole packet, nested bundles included, so everything read
/// from a decoded packet is well formed. Nothing is allocated.
/// </summary>
public readonly ref struct OscPacket
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly OscMessage _message;
    private readonly bool _hasMessage;

    private OscPacket(OscPacketKind kind, ReadOnlySpan<byte> data, int baseOffsetBytes)
    {
        Kind = kind;
        _data = data;
        BaseOffsetBytes = baseOffsetBytes;
    }

    // A bare message keeps the layout found while validating, so it is not parsed twice.
    private OscPacket(OscMessage message)
    {
        Kind = OscPacketKind.Message;
        _data = message.Bytes;
        BaseOffsetBytes = message.BaseOffsetBytes;
        _message = message;
        _hasMessage = true;
    }

    /// <summary>Message or bundle.</summary>
    public OscPacketKind Kind { get; }

    /// <summary>True when the packet is a message.</summary>
    public bool IsMessage => Kind == OscPacketKind.Message;

    /// <summary>True when the packet is a bundle.</summary>
    public bool IsBundle => Kind == OscPacketKind.Bundle;

    /// <summary>All bytes of the packet.</summary>
    public ReadOnlySpan<byte> Bytes => _data;

    /// <summary>Offset of this packet inside the outermost packet (non-zero for bundle elements).</summary>
    public int BaseOffsetBytes { get; }

    /// <summary>The packet as a message.</summary>
    /// <exception cref="InvalidOperationException">When the packet is a bundle.</exception>
    public OscMessage Message => _hasMessage ? _message
        : IsMessage ? OscMessage.FromValidated(_data, BaseOffsetBytes)
        : throw new InvalidOperationException("OSC packet is a bundle, not a message");

    /// <summary>The packet as a bundle.</summary>
    /// <exception cref="InvalidOperationException">When the packet is a message.</exception>
    public OscBundle Bundle => IsBundle
        ? new OscBundle(_data, BaseOffsetBytes)
        : throw new InvalidOperationException("OSC packet is a message, not a bundle");

    /// <summary>
    /// Decodes and validates a whole packet. Never throws; on failure <paramref name="error"/> says
    /// what was wrong and at which byte offset from the start of <paramref name="data"/>.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, out OscPacket packet, out OscError error)
    {
        if (!OscWire.LooksLikeBundle(data))
        {
            var ok = OscMessage.TryDecode(data, out var message, out error);
            packet = ok ? new OscPacket(message) : default;
            return ok;
        }
        error = Validate(data, 0, 0);
        if (error.IsError)
        {
            packet = default;
            return false;
        }
        packet = FromValidated(data, 0);
        return true;
    }

    /// <summary>Validates without building a view; <see cref="OscError.None"/> when well formed.</summary>
    public static OscError Validate(ReadOnlySpan<byte> data) => Validate(data, 0, 0);

    internal static OscPacket FromValidated(ReadOnlySpan<byte> data, int baseOffsetBytes) =>
        new(OscWire.LooksLikeBundle(data) ? OscPacketKind.Bundle : OscPacketKind.Message, data, baseOffsetBytes);

    private static OscError Validate(ReadOnlySpan<byte> data, int baseOffset, int depth)
    {
        if (!OscWire.LooksLikeBundle(data))
        {
            OscMessage.TryDecode(data, out _, out var messageError, baseOffset);
            return messageError;
        }
        if (depth + 1 > OscLimits.MaxBundleDepth) return new OscError(OscErrorKind.BundleNestingTooDeep, baseOffset);
        if (data.Length < 16 || !data[..8].SequenceEqual(OscWire.BundleHeader))
            return new OscError(OscErrorKind.BadBundleHeader, baseOffset);
        var position = 16;
        while (position < data.Length)
        {
            if (data.Length - position < 4) return new OscError(OscErrorKind.TruncatedBundleElementSize, baseOffset + position);
            var size = BinaryPrimitives.ReadInt32BigEndian(data[position..]);
            if (size <= 0 || (size & 3) != 0) return new OscError(OscErrorKind.BadBundleElementSize, baseOffset + position);
            if (size > data.Length - position - 4) return new OscError(OscErrorKind.BundleElementSizeOverflow, baseOffset + position);
            var element = data.Slice(position + 4, size);
            var error = Validate(element, baseOffset + position + 4, depth + 1);
            if (error.IsError) return error;
            position += 4 + size;
        }
        return default;
    }

    /// <summary>A managed copy of the packet (allocates; for tools, tests and logs).</summary>
    public OscPacketData ToData() => IsMessage ? Message.ToData() : Bundle.ToData();
}

/// <summary>A decoded OSC bundle: time tag and elements, each a message or a nested bundle.</summary>
public readonly ref struct OscBundle
{
    private readonly ReadOnlySpan<byte> _data;

    internal OscBundle(ReadOnlySpan<byte> data, int baseOffsetBytes)
    {
        _data = data;
        BaseOffsetBytes = baseOffsetBytes;
    }

    /// <summary>All bytes of the bundle.</summary>
    public ReadOnlySpan<byte> Bytes => _data;

    /// <summary>Offset of this bundle inside the outermost packet.</summary>
    public int BaseOffsetBytes { get; }

    /// <summary>When the bundle's messages take effect; <see cref="OscTimeTag.Immediately"/> for now.</summary>
    public OscTimeTag TimeTag => new(BinaryPrimitives.ReadUInt64BigEndian(_data[8..]));

    /// <summary>Enumerates the elements in order.</summary>
    public OscBundleEnumerator GetEnumerator() => new(_data, BaseOffsetBytes);

    /// <summary>Number of direct elements (walks the element sizes).</summary>
    public int ElementCount
    {
        get
        {
            var count = 0;
            foreach (var _ in this) count++;
            return count;
        }
    }

    /// <summary>A managed copy of the bundle (allocates).</summary>
    public OscBundleData ToData()
    {
        var elements = new List<OscPacketData>();
        foreach (var element in this) elements.Add(element.ToData());
        return new OscBundleData(TimeTag, elements);
    }
}

/// <summary>Walks the elements of a validated bundle.</summary>
public ref struct OscBundleEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;
    private int _position;
    private int _elementStart;
    private int _elementSize;

    internal OscBundleEnumerator(ReadOnlySpan<byte> data, int baseOffset)
    {
        _data = data;
        _baseOffset = baseOffset;
        _position = 16;
        _elementStart = 0;
        _elementSize = 0;
    }

    /// <summary>Advances to the next element; false after the last.</summary>
    public bool MoveNext()
    {
        if (_position >= _data.Length) return false;
        _elementSize = BinaryPrimitives.ReadInt32BigEndian(_data[_position..]);
        _elementStart = _position + 4;
        _position = _elementStart + _elementSize;
        return true;
    }

    /// <summary>The current element.</summary>
    public readonly OscPacket Current => OscPacket.FromValidated(_data.Slice(_elementStart, _elementSize), _baseOffset + _elementStart);
}
