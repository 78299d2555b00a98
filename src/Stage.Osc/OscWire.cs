using System.Buffers.Binary;

namespace Stage.Osc;

/// <summary>Low-level reading of the OSC wire format: strings, padding, element sizes.</summary>
internal static class OscWire
{
    /// <summary>Length of a string of <paramref name="length"/> bytes once NUL-terminated and padded to 4.</summary>
    public static int PaddedStringBytes(int length) => (length + 4) & ~3;

    /// <summary>Length of a blob's data once padded to 4 (0-3 zero bytes).</summary>
    public static int PaddedBlobBytes(int length) => (length + 3) & ~3;

    /// <summary>
    /// Checks the OSC-string at <paramref name="start"/>: terminating NUL, zero padding to 4 bytes.
    /// On success <paramref name="end"/> is the offset after the padding and <paramref name="length"/> the
    /// string's byte count without NUL. Offsets in the error are relative to <paramref name="data"/>.
    /// </summary>
    public static OscError CheckString(ReadOnlySpan<byte> data, int start, out int length, out int end)
    {
        end = start;
        length = data[start..].IndexOf((byte)0);
        if (length < 0) return new OscError(OscErrorKind.UnterminatedString, start);
        end = start + PaddedStringBytes(length);
        var nul = start + length;
        if (end > data.Length) return new OscError(OscErrorKind.BadPadding, Math.Min(data.Length, nul + 1));
        for (var i = nul + 1; i < end; i++)
        {
            if (data[i] != 0) return new OscError(OscErrorKind.BadPadding, i);
        }
        return default;
    }

    /// <summary>Offset after the already-validated string at <paramref name="start"/>.</summary>
    public static int SkipString(ReadOnlySpan<byte> data, int start) =>
        start + PaddedStringBytes(data[start..].IndexOf((byte)0));

    /// <summary>Offset after the already-validated blob at <paramref name="start"/>.</summary>
    public static int SkipBlob(ReadOnlySpan<byte> data, int start) =>
        start + 4 + PaddedBlobBytes(BinaryPrimitives.ReadInt32BigEndian(data[start..]));

    /// <summary>
    /// Checks one argument of type <paramref name="tag"/> at <paramref name="start"/> and returns the
    /// offset after it in <paramref name="end"/>.
    /// </summary>
    public static OscError CheckArgument(ReadOnlySpan<byte> data, byte tag, int start, out int end)
    {
        end = start;
        var size = OscTypeTag.FixedSizeBytes(tag);
        if (size >= 0)
        {
            if (data.Length - start < size) return new OscError(OscErrorKind.TruncatedArgument, start);
            end = start + size;
            return default;
        }
        if (tag == OscTypeTag.Blob)
        {
            if (data.Length - start < 4) return new OscError(OscErrorKind.TruncatedArgument, start);
            var blobBytes = BinaryPrimitives.ReadInt32BigEndian(data[start..]);
            if (blobBytes < 0 || blobBytes > data.Length - start - 4) return new OscError(OscErrorKind.BadBlobSize, start);
            var dataEnd = start + 4 + blobBytes;
            end = start + 4 + PaddedBlobBytes(blobBytes);
            if (end > data.Length) return new OscError(OscErrorKind.BadPadding, dataEnd);
            for (var i = dataEnd; i < end; i++)
            {
                if (data[i] != 0) return new OscError(OscErrorKind.BadPadding, i);
            }
            return default;
        }
        if (start >= data.Length) return new OscError(OscErrorKind.TruncatedArgument, start);
        return CheckString(data, start, out _, out end);
    }

    /// <summary>Offset after the already-validated argument of type <paramref name="tag"/> at <paramref name="start"/>.</summary>
    public static int SkipArgument(ReadOnlySpan<byte> data, byte tag, int start)
    {
        var size = OscTypeTag.FixedSizeBytes(tag);
        if (size >= 0) return start + size;
        return tag == OscTypeTag.Blob ? SkipBlob(data, start) : SkipString(data, start);
    }

    /// <summary>"#bundle\0": the first 8 bytes of every bundle.</summary>
    public static ReadOnlySpan<byte> BundleHeader => "#bundle\0"u8;

    /// <summary>True when the packet starts like a bundle ('#').</summary>
    public static bool LooksLikeBundle(ReadOnlySpan<byte> data) => data.Length > 0 && data[0] == (byte)'#';
}
