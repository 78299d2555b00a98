namespace Stage.Osc;

/// <summary>Encodes managed packets (<see cref="OscPacketData"/>) to OSC bytes.</summary>
public static class OscEncoder
{
    /// <summary>Bytes needed to encode <paramref name="packet"/>.</summary>
    public static int GetEncodedLength(OscPacketData packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (packet is OscBundleData bundle)
        {
            var length = 16;
            foreach (var element in bundle.Elements) length += 4 + GetEncodedLength(element);
            return length;
        }
        var message = (OscMessageData)packet;
        var total = OscWire.PaddedStringBytes(System.Text.Encoding.UTF8.GetByteCount(message.Address));
        total += OscWire.PaddedStringBytes(message.Arguments.Count + 1);
        foreach (var argument in message.Arguments)
        {
            var size = OscTypeTag.FixedSizeBytes(argument.TypeTag);
            total += size >= 0 ? size
                : argument.TypeTag == OscTypeTag.Blob ? 4 + OscWire.PaddedBlobBytes(argument.Blob.Length)
                : OscWire.PaddedStringBytes(System.Text.Encoding.UTF8.GetByteCount(argument.String));
        }
        return total;
    }

    /// <summary>Encodes <paramref name="packet"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="OscEncodeException">When the destination is too small.</exception>
    public static int Encode(OscPacketData packet, Span<byte> destination)
    {
        var writer = new OscWriter(destination);
        Write(ref writer, packet);
        return writer.BytesWritten;
    }

    /// <summary>As <see cref="Encode"/> but returns false instead of throwing when the destination is too small.</summary>
    public static bool TryEncode(OscPacketData packet, Span<byte> destination, out int bytesWritten)
    {
        var length = GetEncodedLength(packet);
        if (length > destination.Length)
        {
            bytesWritten = 0;
            return false;
        }
        bytesWritten = Encode(packet, destination);
        return true;
    }

    /// <summary>Encodes into a new array of exactly the encoded length.</summary>
    public static byte[] ToArray(OscPacketData packet)
    {
        var bytes = new byte[GetEncodedLength(packet)];
        Encode(packet, bytes);
        return bytes;
    }

    /// <summary>Appends <paramref name="packet"/> to an existing writer (used for bundle elements).</summary>
    public static void Write(ref OscWriter writer, OscPacketData packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (packet is OscBundleData bundle)
        {
            writer.WriteBundleHeader(bundle.TimeTag);
            foreach (var element in bundle.Elements)
            {
                var token = writer.BeginBundleElement();
                Write(ref writer, element);
                writer.EndBundleElement(token);
            }
            return;
        }
        var message = (OscMessageData)packet;
        writer.BeginMessage(message.Address);
        foreach (var argument in message.Arguments) writer.Write(argument);
        writer.EndMessage();
    }
}
