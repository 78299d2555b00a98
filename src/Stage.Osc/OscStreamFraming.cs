using System.Buffers.Binary;

namespace Stage.Osc;

/// <summary>How OSC packets are delimited on a byte stream (TCP).</summary>
public enum OscStreamFraming
{
    /// <summary>OSC 1.1: SLIP (RFC 1055) with an END byte before and after every packet ("double END").</summary>
    Slip,
    /// <summary>OSC 1.0: each packet preceded by its size as a big-endian int32 (what liblo sends by default).</summary>
    LengthPrefixed,
    /// <summary>Receiving only: SLIP if the stream's first byte is END (0xC0), length-prefixed otherwise.</summary>
    Auto,
}

/// <summary>SLIP encoding of OSC packets (OSC 1.1 stream framing).</summary>
public static class OscSlip
{
    /// <summary>Frame delimiter.</summary>
    public const byte End = 0xC0;
    /// <summary>Escape byte.</summary>
    public const byte Esc = 0xDB;
    /// <summary>Follows <see cref="Esc"/> to stand for a data byte equal to <see cref="End"/>.</summary>
    public const byte EscEnd = 0xDC;
    /// <summary>Follows <see cref="Esc"/> to stand for a data byte equal to <see cref="Esc"/>.</summary>
    public const byte EscEsc = 0xDD;

    /// <summary>Bytes of the SLIP frame for <paramref name="packet"/>, both END bytes included.</summary>
    public static int GetEncodedLength(ReadOnlySpan<byte> packet)
    {
        var length = packet.Length + 2;
        foreach (var b in packet)
        {
            if (b is End or Esc) length++;
        }
        return length;
    }

    /// <summary>Writes END, the escaped packet, END into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="OscEncodeException">When the destination is too small.</exception>
    public static int Encode(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        if (GetEncodedLength(packet) > destination.Length) throw new OscEncodeException($"SLIP destination of {destination.Length} bytes is too small");
        var at = 0;
        destination[at++] = End;
        foreach (var b in packet)
        {
            switch (b)
            {
                case End: destination[at++] = Esc; destination[at++] = EscEnd; break;
                case Esc: destination[at++] = Esc; destination[at++] = EscEsc; break;
                default: destination[at++] = b; break;
            }
        }
        destination[at++] = End;
        return at;
    }
}

/// <summary>Receives one complete frame from an <see cref="OscFrameReader"/> (valid only during the call).</summary>
public delegate void OscFrameHandler(ReadOnlySpan<byte> frame);

/// <summary>Receives a framing error; the offset is within the frame being assembled.</summary>
public delegate void OscFrameErrorHandler(OscError error);

/// <summary>
/// Splits a byte stream into OSC packets, SLIP or length-prefixed, fed in arbitrary chunks.
/// A SLIP frame with a bad escape or over the size limit is reported and skipped up to the next
/// END; a length-prefixed stream with an impossible length cannot resynchronise and is marked
/// <see cref="IsBroken"/> (the connection should then be closed).
/// </summary>
public sealed class OscFrameReader
{
    private readonly byte[] _frame;
    private int _length;
    private bool _escape;
    private bool _discarding;
    private int _headerBytes;
    private int _expected;

    /// <summary>Creates a reader for <paramref name="framing"/> with frames of at most <paramref name="maxFrameBytes"/>.</summary>
    public OscFrameReader(OscStreamFraming framing, int maxFrameBytes = 65536)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 16);
        Framing = framing;
        _frame = new byte[maxFrameBytes];
    }

    /// <summary>The framing in use; <see cref="OscStreamFraming.Auto"/> until the first byte arrives.</summary>
    public OscStreamFraming Framing { get; private set; }

    /// <summary>True once a length-prefixed stream announced an impossible length.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>Largest frame accepted.</summary>
    public int MaxFrameBytes => _frame.Length;

    /// <summary>Consumes <paramref name="bytes"/>, calling <paramref name="onFrame"/> for every completed frame.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, OscFrameHandler onFrame, OscFrameErrorHandler? onError)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        if (bytes.IsEmpty || IsBroken) return;
        if (Framing == OscStreamFraming.Auto) Framing = bytes[0] == OscSlip.End ? OscStreamFraming.Slip : OscStreamFraming.LengthPrefixed;
        if (Framing == OscStreamFraming.Slip) FeedSlip(bytes, onFrame, onError);
        else FeedLengthPrefixed(bytes, onFrame, onError);
    }

    private void FeedSlip(ReadOnlySpan<byte> bytes, OscFrameHandler onFrame, OscFrameErrorHandler? onError)
    {
        foreach (var b in bytes)
        {
            if (_discarding)
            {
                if (b == OscSlip.End) Reset();
                continue;
            }
            if (_escape)
            {
                _escape = false;
                if (b == OscSlip.EscEnd) Append(OscSlip.End, onError);
                else if (b == OscSlip.EscEsc) Append(OscSlip.Esc, onError);
                else
                {
                    onError?.Invoke(new OscError(OscErrorKind.BadSlipEscape, _length));
                    if (b == OscSlip.End) Reset();
                    else _discarding = true;
                }
                continue;
            }
            switch (b)
            {
                case OscSlip.End:
                    if (_length > 0) onFrame(_frame.AsSpan(0, _length));
                    Reset();
                    break;
                case OscSlip.Esc:
                    _escape = true;
                    break;
                default:
                    Append(b, onError);
                    break;
            }
        }
    }

    private void Append(byte b, OscFrameErrorHandler? onError)
    {
        if (_length == _frame.Length)
        {
            onError?.Invoke(new OscError(OscErrorKind.FrameTooLarge, _length));
            _discarding = true;
            return;
        }
        _frame[_length++] = b;
    }

    private void Reset()
    {
        _length = 0;
        _escape = false;
        _discarding = false;
    }

    private void FeedLengthPrefixed(ReadOnlySpan<byte> bytes, OscFrameHandler onFrame, OscFrameErrorHandler? onError)
    {
        while (!bytes.IsEmpty)
        {
            if (_headerBytes < 4)
            {
                var take = Math.Min(4 - _headerBytes, bytes.Length);
                bytes[..take].CopyTo(_frame.AsSpan(_headerBytes));
                _headerBytes += take;
                bytes = bytes[take..];
                if (_headerBytes < 4) return;
                _expected = BinaryPrimitives.ReadInt32BigEndian(_frame);
                _length = 0;
                if (_expected <= 0 || _expected > _frame.Length)
                {
                    onError?.Invoke(new OscError(_expected <= 0 ? OscErrorKind.BadFrameLength : OscErrorKind.FrameTooLarge, 0));
                    IsBroken = true;
                    return;
                }
                continue;
            }
            var copy = Math.Min(_expected - _length, bytes.Length);
            bytes[..copy].CopyTo(_frame.AsSpan(_length));
            _length += copy;
            bytes = bytes[copy..];
            if (_length == _expected)
            {
                _headerBytes = 0;
                onFrame(_frame.AsSpan(0, _length));
                _length = 0;
            }
        }
    }
}
