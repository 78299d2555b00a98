using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace Stage.World;

/// <summary>
/// A snapshot file's framing, apart from the state it carries: <c>STGWORLD</c>, the format
/// version (i32), the payload length (i32), the payload (<see cref="WorldRecords"/>), the CRC-32 of
/// the payload. Written crash-safely (<see cref="DurableFile"/>), read into a pooled buffer.
/// </summary>
internal static class SnapshotFile
{
    /// <summary>Header bytes before the payload: magic, version, length.</summary>
    private const int HeaderBytes = 16;

    /// <summary>Starts a snapshot in <paramref name="w"/>: magic and version, room for the length; returns where the length goes.</summary>
    public static int Start(CanonicalWriter w)
    {
        w.Write(WorldCodec.SnapshotMagic);
        w.Write(WorldCodec.SnapshotVersion);
        return w.Skip(4);
    }

    /// <summary>Ends a snapshot begun by <see cref="Start"/>: the payload's length and its CRC-32.</summary>
    public static CanonicalWriter End(CanonicalWriter w, int lengthAt)
    {
        int payloadLength = w.Length - lengthAt - 4;
        BinaryPrimitives.WriteInt32LittleEndian(w.At(lengthAt, 4), payloadLength);
        w.Write(Crc32.HashToUInt32(w.Written.Slice(lengthAt + 4, payloadLength)));
        return w;
    }

    /// <summary>Writes finished snapshot bytes crash-safely (temporary file, flushed, renamed over <paramref name="path"/>, folder flushed).</summary>
    public static void Save(string path, CanonicalWriter finished) => DurableFile.Write(path, finished.Written);

    /// <summary>The format version in a snapshot file's header, or null when the bytes are no snapshot.</summary>
    public static int? VersionOf(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 12 && bytes[..8].SequenceEqual(WorldCodec.SnapshotMagic) ? BinaryPrimitives.ReadInt32LittleEndian(bytes[8..12]) : null;

    /// <summary>
    /// The payload of a snapshot file's bytes after checking its magic, version, length and CRC-32;
    /// throws <see cref="WorldFileException"/> naming <paramref name="path"/> and the fault.
    /// </summary>
    public static ReadOnlySpan<byte> CheckedPayload(ReadOnlySpan<byte> bytes, string path, out int version)
    {
        if (bytes.Length < HeaderBytes + 4 || !bytes[..8].SequenceEqual(WorldCodec.SnapshotMagic)) throw new WorldFileException(path, "not a Stage world snapshot (bad magic or too short)");
        version = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..12]);
        if (version is < WorldCodec.OldestSnapshotVersion or > WorldCodec.SnapshotVersion) throw new WorldFileException(path, $"snapshot version {version} is not supported (this build reads {WorldCodec.OldestSnapshotVersion} to {WorldCodec.SnapshotVersion})");
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..16]);
        if (length < 0 || (long)length + HeaderBytes + 4 != bytes.Length) throw new WorldFileException(path, $"truncated or padded: the header says {length} payload bytes, the file has {bytes.Length - HeaderBytes - 4}");
        ReadOnlySpan<byte> payload = bytes.Slice(HeaderBytes, length);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(HeaderBytes + length)..]);
        uint actual = Crc32.HashToUInt32(payload);
        if (stored != actual) throw new WorldFileException(path, $"checksum mismatch (stored CRC-32 {stored:x8}, computed {actual:x8}): the file is corrupt");
        return payload;
    }

    /// <summary>What is done with a whole file's bytes (<see cref="Read{T}"/>).</summary>
    public delegate T BytesHandler<out T>(ReadOnlySpan<byte> bytes);

    /// <summary>Reads the whole file at <paramref name="path"/> into a pooled buffer, hands its bytes to <paramref name="handle"/>, and returns the buffer.</summary>
    public static T Read<T>(string path, BytesHandler<T> handle)
    {
        byte[] buffer = ReadPooled(path, out int length);
        try
        {
            return handle(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A whole file in a pooled buffer: a snapshot of thousands of entities is megabytes, and a
    /// fresh array that size is fresh memory the kernel must fault in page by page on every load.
    /// </summary>
    private static byte[] ReadPooled(string path, out int length)
    {
        try
        {
            using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            long size = RandomAccess.GetLength(file);
            if (size > int.MaxValue) throw new WorldFileException(path, $"{size} bytes is too large for a snapshot");
            byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, (int)size));
            length = 0;
            try
            {
                while (length < size)
                {
                    int read = RandomAccess.Read(file, buffer.AsSpan(length, (int)size - length), length);
                    if (read == 0) break;
                    length += read;
                }
                return buffer;
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WorldFileException(path, "cannot read: " + e.Message);
        }
    }
}
