using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Stage.World;

/// <summary>
/// Writes the canonical form into one growable buffer that is reused between calls (a world's
/// state is hashed every reported step and snapshotted every second: no per-call stream, no
/// per-value copy). The encoding is <see cref="BinaryWriter"/>'s, byte for byte (little-endian,
/// bool as one byte, strings as a 7-bit-encoded UTF-8 byte count then the bytes), so files written
/// before this type existed read back the same.
/// </summary>
internal sealed class CanonicalWriter
{
    [ThreadStatic] private static CanonicalWriter? _shared;

    private byte[] _buffer;

    public CanonicalWriter(int capacity = 4096) => _buffer = new byte[Math.Max(64, capacity)];

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>The bytes written (valid until the next write or <see cref="Reset"/>).</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <summary>This thread's reusable writer, emptied. Not for nesting: one user at a time.</summary>
    public static CanonicalWriter Shared()
    {
        CanonicalWriter writer = _shared ??= new CanonicalWriter(64 * 1024);
        writer.Reset();
        return writer;
    }

    public void Reset() => Length = 0;

    /// <summary>Reserves <paramref name="count"/> bytes to fill in later (a header), returning their offset.</summary>
    public int Skip(int count)
    {
        Span<byte> _ = Take(count);
        return Length - count;
    }

    /// <summary>Overwrites bytes already written (a header reserved with <see cref="Skip"/>).</summary>
    public Span<byte> At(int offset, int count) => _buffer.AsSpan(offset, count);

    public void Write(byte value) => Take(1)[0] = value;

    public void Write(bool value) => Take(1)[0] = value ? (byte)1 : (byte)0;

    public void Write(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

    public void Write(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), value);

    public void Write(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

    public void Write(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8), value);

    public void Write(double value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), BitConverter.DoubleToInt64Bits(value));

    public void Write(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));

    public void Write(string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        uint n = (uint)count;
        while (n >= 0x80)
        {
            Write((byte)(n | 0x80));
            n >>= 7;
        }
        Write((byte)n);
        Encoding.UTF8.GetBytes(value, Take(count));
    }

    private Span<byte> Take(int count)
    {
        if (Length + count > _buffer.Length) Grow(Length + count);
        Span<byte> span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    private void Grow(int needed)
    {
        var bigger = new byte[Math.Max(needed, _buffer.Length * 2)];
        _buffer.AsSpan(0, Length).CopyTo(bigger);
        _buffer = bigger;
    }
}

/// <summary>
/// Reads the canonical form straight from a span (no copy into a stream). Running past the end
/// throws <see cref="InvalidDataException"/>; the encoding is <see cref="BinaryReader"/>'s.
/// </summary>
internal ref struct CanonicalReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;

    /// <summary>Shares equal components between the entities of one decode (null: none shared).</summary>
    public DecodeCache? Cache { get; init; }

    /// <summary>
    /// The snapshot format version the bytes were written in (<see cref="WorldCodec.SnapshotVersion"/>
    /// unless an older file says otherwise): parts that grew a field read it only from then on.
    /// </summary>
    public int FormatVersion { get; init; } = WorldCodec.SnapshotVersion;

    /// <summary>Bytes read so far.</summary>
    public int Position { get; private set; }

    /// <summary>Bytes left.</summary>
    public readonly int Remaining => _bytes.Length - Position;

    public byte ReadByte() => Take(1)[0];

    public bool ReadBoolean() => Take(1)[0] != 0;

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public double ReadDouble() => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(Take(8)));

    public string ReadString()
    {
        int count = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 28) throw new InvalidDataException("A string length is malformed.");
            byte b = ReadByte();
            count |= (b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        if (count < 0 || count > Remaining) throw new InvalidDataException($"A string of {count} bytes does not fit the data.");
        return count == 0 ? "" : Encoding.UTF8.GetString(Take(count));
    }

    /// <summary>The bytes read since <paramref name="from"/> (a position).</summary>
    public readonly ReadOnlySpan<byte> Since(int from) => _bytes[from..Position];

    /// <summary>Reads past <paramref name="expected"/> when the next bytes are exactly it; otherwise reads nothing and returns false.</summary>
    public bool TryMatch(ReadOnlySpan<byte> expected)
    {
        if (expected.Length > Remaining || !_bytes.Slice(Position, expected.Length).SequenceEqual(expected)) return false;
        Position += expected.Length;
        return true;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining) throw new InvalidDataException("The state ends early.");
        ReadOnlySpan<byte> span = _bytes.Slice(Position, count);
        Position += count;
        return span;
    }
}

/// <summary>
/// One decode's shared immutable components. A world's entities repeat the same few shapes,
/// materials, appearances and tags; decoded once each, thousands of entities hold the same
/// objects instead of thousands of equal copies — fewer objects for the collector to carry.
/// Components are matched by their canonical bytes, not by value equality (0.0 equals −0.0, and
/// a shared component must write back the very bits it was read from).
/// </summary>
internal sealed class DecodeCache
{
    private readonly Dictionary<ulong, List<(byte[] Bytes, object Value)>> _values = [];
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private string[]? _lastTags;

    /// <summary>The component already decoded from exactly <paramref name="canonical"/>, or <paramref name="value"/> (remembered).</summary>
    public T Share<T>(T value, ReadOnlySpan<byte> canonical) where T : class
    {
        ulong key = XxHash64.HashToUInt64(canonical);
        if (!_values.TryGetValue(key, out List<(byte[] Bytes, object Value)>? entries)) _values.Add(key, entries = []);
        foreach ((byte[] bytes, object shared) in entries)
        {
            if (shared is T match && canonical.SequenceEqual(bytes)) return match;
        }
        entries.Add((canonical.ToArray(), value));
        return value;
    }

    public string[] ShareTags(string[] tags)
    {
        if (_lastTags is { } last && last.AsSpan().SequenceEqual(tags)) return last;
        for (int i = 0; i < tags.Length; i++)
        {
            if (_strings.TryGetValue(tags[i], out string? shared)) tags[i] = shared;
            else _strings.Add(tags[i], tags[i]);
        }
        return _lastTags = tags;
    }
}
