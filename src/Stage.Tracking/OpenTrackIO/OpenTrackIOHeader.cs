using System.Buffers.Binary;

namespace Stage.Tracking.OpenTrackIO;

/// <summary>OpenTrackIO payload encodings (header byte 5).</summary>
public enum OpenTrackIOEncoding : byte
{
    /// <summary>UTF-8 JSON.</summary>
    Json = 0x01,
    /// <summary>CBOR (not decoded by Stage; counted as unsupported).</summary>
    Cbor = 0x02,
}

/// <summary>Why a datagram is not a usable OpenTrackIO segment.</summary>
public enum OpenTrackIOHeaderError
{
    /// <summary>The header decoded and the checksum matches.</summary>
    None,
    /// <summary>Shorter than the 16-byte header.</summary>
    TooShort,
    /// <summary>Bytes 0–3 are not "OTrk".</summary>
    BadIdentifier,
    /// <summary>The payload length field disagrees with the datagram's length.</summary>
    LengthMismatch,
    /// <summary>The Fletcher-16 checksum does not match.</summary>
    BadChecksum,
}

/// <summary>
/// The 16-byte header in front of every OpenTrackIO datagram, all fields big-endian:
/// <code>
/// offset size field
///  0      4   identifier "OTrk" (0x4F54726B)
///  4      1   reserved (ignored)
///  5      1   encoding: 0x01 JSON, 0x02 CBOR (0x80 and above vendor-specific)
///  6      2   sequence number (one per complete sample; all segments of a sample share it)
///  8      4   segment offset: byte offset of this segment in the reassembled payload (0 when unsegmented)
/// 12      2   bit 15: last segment flag (1 for the only or last segment); bits 14–0: this segment's payload length
/// 14      2   checksum: Fletcher-16 over bytes 0–13 and then the payload (sums modulo 255, as the
///             SMPTE RIS-OSVP reference library computes it; the modulo-256 variant some senders use is accepted on receive)
/// </code>
/// Layout as implemented by Unreal Engine 5.7's LiveLinkOpenTrackIO parser (FLiveLinkOpenTrackIODatagramHeader)
/// and matching producers; see docs/tracking.md for the sources and the modulus question.
/// </summary>
/// <param name="Encoding">Payload encoding byte.</param>
/// <param name="SequenceNumber">Sample sequence number.</param>
/// <param name="SegmentOffset">Byte offset of this segment's payload.</param>
/// <param name="IsLastSegment">True for the only or last segment.</param>
/// <param name="PayloadLength">This segment's payload length, 0 … 32767.</param>
/// <param name="Checksum">The checksum field.</param>
public readonly record struct OpenTrackIOHeader(
    byte Encoding, ushort SequenceNumber, uint SegmentOffset, bool IsLastSegment, int PayloadLength, ushort Checksum)
{
    /// <summary>Header length in bytes.</summary>
    public const int Length = 16;

    /// <summary>"OTrk" as a big-endian 32-bit value.</summary>
    public const uint Identifier = 0x4F54726B;

    /// <summary>Largest payload one segment can carry (15-bit length).</summary>
    public const int MaxSegmentPayload = 0x7FFF;

    /// <summary>
    /// Parses and checks one datagram: identifier, length and checksum. On success <paramref name="payload"/>
    /// is the segment's payload within <paramref name="datagram"/>. Never allocates, never throws.
    /// </summary>
    public static OpenTrackIOHeaderError TryParse(ReadOnlySpan<byte> datagram, out OpenTrackIOHeader header, out ReadOnlySpan<byte> payload)
    {
        header = default;
        payload = default;
        if (datagram.Length < Length) return OpenTrackIOHeaderError.TooShort;
        if (BinaryPrimitives.ReadUInt32BigEndian(datagram) != Identifier) return OpenTrackIOHeaderError.BadIdentifier;
        ushort flagAndLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[12..]);
        int payloadLength = flagAndLength & MaxSegmentPayload;
        if (Length + payloadLength != datagram.Length) return OpenTrackIOHeaderError.LengthMismatch;
        ushort checksum = BinaryPrimitives.ReadUInt16BigEndian(datagram[14..]);
        ReadOnlySpan<byte> body = datagram.Slice(Length, payloadLength);
        // The reference library (and the spec) use Fletcher-16 modulo 255; Unreal's sender keeps its sums modulo 256.
        // Accept either so both kinds of tracker work; write the standard one.
        if (Fletcher16(datagram[..14], body) != checksum && Fletcher16(datagram[..14], body, 256) != checksum)
            return OpenTrackIOHeaderError.BadChecksum;
        header = new OpenTrackIOHeader(datagram[5], BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]), (flagAndLength & 0x8000) != 0, payloadLength, checksum);
        payload = body;
        return OpenTrackIOHeaderError.None;
    }

    /// <summary>
    /// Fletcher-16 of <paramref name="first"/> followed by <paramref name="second"/>: two running byte sums,
    /// each kept modulo <paramref name="modulus"/> (255 for the standard checksum); the result is (sum2 &lt;&lt; 8) | sum1.
    /// </summary>
    public static ushort Fletcher16(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, uint modulus = 255)
    {
        uint sum1 = 0, sum2 = 0;
        foreach (byte b in first) { sum1 = (sum1 + b) % modulus; sum2 = (sum2 + sum1) % modulus; }
        foreach (byte b in second) { sum1 = (sum1 + b) % modulus; sum2 = (sum2 + sum1) % modulus; }
        return (ushort)((sum2 << 8) | sum1);
    }

    /// <summary>
    /// Writes one datagram (header + payload) into <paramref name="destination"/> and returns its length.
    /// </summary>
    /// <exception cref="ArgumentException">The payload is longer than 32767 bytes or the destination is too short.</exception>
    public static int Write(Span<byte> destination, byte encoding, ushort sequenceNumber, uint segmentOffset, bool isLastSegment, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxSegmentPayload) throw new ArgumentException($"a segment carries at most {MaxSegmentPayload} bytes", nameof(payload));
        int total = Length + payload.Length;
        if (destination.Length < total) throw new ArgumentException($"needs {total} bytes", nameof(destination));
        BinaryPrimitives.WriteUInt32BigEndian(destination, Identifier);
        destination[4] = 0;
        destination[5] = encoding;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], segmentOffset);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], (ushort)((isLastSegment ? 0x8000 : 0) | payload.Length));
        payload.CopyTo(destination[Length..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], Fletcher16(destination[..14], payload));
        return total;
    }

    /// <summary>
    /// Splits a payload into datagrams of at most <paramref name="maxSegmentPayload"/> payload bytes each,
    /// in order, the last flagged; a payload that fits is one datagram with offset 0. For senders (simulation, tests).
    /// </summary>
    public static IReadOnlyList<byte[]> Segment(ReadOnlySpan<byte> payload, byte encoding, ushort sequenceNumber, int maxSegmentPayload = 1200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegmentPayload, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSegmentPayload, MaxSegmentPayload);
        var datagrams = new List<byte[]>();
        int offset = 0;
        do
        {
            int length = Math.Min(maxSegmentPayload, payload.Length - offset);
            bool last = offset + length == payload.Length;
            var datagram = new byte[Length + length];
            Write(datagram, encoding, sequenceNumber, (uint)offset, last, payload.Slice(offset, length));
            datagrams.Add(datagram);
            offset += length;
        }
        while (offset < payload.Length);
        return datagrams;
    }
}
