namespace Stage.Tracking.FreeD;

/// <summary>Why a datagram is not a usable FreeD D1 message.</summary>
public enum FreeDError
{
    /// <summary>The message decoded.</summary>
    None,
    /// <summary>The datagram is not 29 bytes long.</summary>
    WrongLength,
    /// <summary>Byte 0 is not 0xD1 (another FreeD message type, or not FreeD at all).</summary>
    WrongMessageType,
    /// <summary>The checksum byte does not match 0x40 minus the sum of bytes 0 … 27.</summary>
    BadChecksum,
}

/// <summary>
/// Decoder and encoder of the FreeD D1 message (free-d installation manual V1.4.4, A.3.2 and appendix B):
/// <code>
/// byte  0      0xD1 message type
/// byte  1      camera id
/// bytes 2–4    pan      24-bit signed, 1/32768°     bytes 14–16  Y        24-bit signed, 1/64 mm
/// bytes 5–7    tilt     24-bit signed, 1/32768°     bytes 17–19  height   24-bit signed, 1/64 mm
/// bytes 8–10   roll     24-bit signed, 1/32768°     bytes 20–22  zoom     24-bit unsigned
/// bytes 11–13  X        24-bit signed, 1/64 mm      bytes 23–25  focus    24-bit unsigned
/// bytes 26–27  spare / user defined (16 bits)       byte  28     checksum = 0x40 − Σ bytes 0…27 (mod 256)
/// </code>
/// All multi-byte fields are big-endian. Decoding reads a span and never allocates.
/// </summary>
public static class FreeDCodec
{
    /// <summary>Length of a D1 message in bytes.</summary>
    public const int PacketLength = 29;

    /// <summary>The D1 message type byte.</summary>
    public const byte MessageType = 0xD1;

    /// <summary>The checksum of the first 28 bytes: 0x40 minus their sum, modulo 256.</summary>
    public static byte Checksum(ReadOnlySpan<byte> first28)
    {
        int sum = 0;
        for (int i = 0; i < first28.Length; i++) sum += first28[i];
        return (byte)(0x40 - sum);
    }

    /// <summary>Decodes one datagram. On failure <paramref name="packet"/> is default and the error says why.</summary>
    public static FreeDError TryDecode(ReadOnlySpan<byte> datagram, out FreeDPacket packet)
    {
        packet = default;
        if (datagram.Length != PacketLength) return FreeDError.WrongLength;
        if (datagram[0] != MessageType) return FreeDError.WrongMessageType;
        if (Checksum(datagram[..28]) != datagram[28]) return FreeDError.BadChecksum;
        packet = new FreeDPacket
        {
            CameraId = datagram[1],
            PanRaw = ReadSigned24(datagram, 2),
            TiltRaw = ReadSigned24(datagram, 5),
            RollRaw = ReadSigned24(datagram, 8),
            XRaw = ReadSigned24(datagram, 11),
            YRaw = ReadSigned24(datagram, 14),
            ZRaw = ReadSigned24(datagram, 17),
            Zoom = ReadUnsigned24(datagram, 20),
            Focus = ReadUnsigned24(datagram, 23),
            UserBits = (ushort)((datagram[26] << 8) | datagram[27]),
        };
        return FreeDError.None;
    }

    /// <summary>Writes the 29-byte message for <paramref name="packet"/> into <paramref name="destination"/>, checksum included.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than 29 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A raw field does not fit its 24 bits.</exception>
    public static void Encode(in FreeDPacket packet, Span<byte> destination)
    {
        if (destination.Length < PacketLength) throw new ArgumentException($"FreeD D1 needs {PacketLength} bytes", nameof(destination));
        destination[0] = MessageType;
        destination[1] = packet.CameraId;
        WriteSigned24(destination, 2, packet.PanRaw);
        WriteSigned24(destination, 5, packet.TiltRaw);
        WriteSigned24(destination, 8, packet.RollRaw);
        WriteSigned24(destination, 11, packet.XRaw);
        WriteSigned24(destination, 14, packet.YRaw);
        WriteSigned24(destination, 17, packet.ZRaw);
        WriteUnsigned24(destination, 20, packet.Zoom);
        WriteUnsigned24(destination, 23, packet.Focus);
        destination[26] = (byte)(packet.UserBits >> 8);
        destination[27] = (byte)packet.UserBits;
        destination[28] = Checksum(destination[..28]);
    }

    /// <summary>The 29-byte message for <paramref name="packet"/> in a new array.</summary>
    public static byte[] Encode(in FreeDPacket packet)
    {
        var bytes = new byte[PacketLength];
        Encode(packet, bytes);
        return bytes;
    }

    private static int ReadSigned24(ReadOnlySpan<byte> b, int at)
    {
        int value = (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
        // Sign-extend bit 23: shift it into bit 31, then arithmetic-shift back.
        return (value << 8) >> 8;
    }

    private static int ReadUnsigned24(ReadOnlySpan<byte> b, int at) => (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];

    private static void WriteSigned24(Span<byte> b, int at, int value)
    {
        if (value is < FreeDPacket.MinSigned24 or > FreeDPacket.MaxSigned24)
            throw new ArgumentOutOfRangeException(nameof(value), value, "does not fit 24 signed bits");
        b[at] = (byte)(value >> 16);
        b[at + 1] = (byte)(value >> 8);
        b[at + 2] = (byte)value;
    }

    private static void WriteUnsigned24(Span<byte> b, int at, int value)
    {
        if (value is < 0 or > FreeDPacket.MaxUnsigned24)
            throw new ArgumentOutOfRangeException(nameof(value), value, "does not fit 24 unsigned bits");
        b[at] = (byte)(value >> 16);
        b[at + 1] = (byte)(value >> 8);
        b[at + 2] = (byte)value;
    }
}
