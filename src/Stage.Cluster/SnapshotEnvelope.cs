using System.Buffers.Binary;

namespace Stage.Cluster;

/// <summary>
/// A world snapshot as the primary stores it in the JetStream object store for nodes that (re)join: after which
/// frame it was taken, the stream sequence of that frame's input (a joining node replays from the next one), the
/// engine step and the state hash the restored world must show, then the world's own snapshot bytes.
/// <code>
///  0 u32 magic "SSNP", 4 u32 version (1), 8 i64 frame, 16 u64 input stream sequence, 24 i64 engine step,
/// 32 u64 state hash, 40 … the world snapshot (Stage.World's codec, CRC-checked on its own)
/// </code>
/// </summary>
/// <param name="Frame">The frame after whose step the snapshot was taken.</param>
/// <param name="InputSequence">The stream sequence of that frame's input.</param>
/// <param name="EngineStep">The engine step count then.</param>
/// <param name="StateHash">The world's state hash then.</param>
/// <param name="Snapshot">The world snapshot.</param>
public sealed record SnapshotEnvelope(long Frame, ulong InputSequence, long EngineStep, ulong StateHash, byte[] Snapshot)
{
    private const uint Magic = 0x504E5353;
    private const int HeaderBytes = 40;

    /// <summary>The envelope's bytes.</summary>
    public byte[] Encode()
    {
        byte[] bytes = new byte[HeaderBytes + Snapshot.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 1);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), Frame);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), InputSequence);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24), EngineStep);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(32), StateHash);
        Snapshot.CopyTo(bytes, HeaderBytes);
        return bytes;
    }

    /// <summary>Reads an envelope; <see cref="FormatException"/> names the fault.</summary>
    public static SnapshotEnvelope Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes) throw new FormatException($"cluster snapshot of {bytes.Length} bytes is shorter than its {HeaderBytes}-byte header");
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic) throw new FormatException("cluster snapshot: bad magic at byte 0 (not \"SSNP\")");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (version != 1) throw new FormatException($"cluster snapshot version {version} at byte 4; this build reads version 1");
        return new SnapshotEnvelope(BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]), BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[24..]), BinaryPrimitives.ReadUInt64LittleEndian(bytes[32..]), bytes[HeaderBytes..].ToArray());
    }
}
