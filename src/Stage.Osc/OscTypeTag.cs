namespace Stage.Osc;

/// <summary>The OSC 1.0 / 1.1 type tag characters, as the byte values they travel as.</summary>
public static class OscTypeTag
{
    /// <summary>'i': int32, big-endian two's complement.</summary>
    public const byte Int32 = (byte)'i';
    /// <summary>'f': float32, big-endian IEEE 754.</summary>
    public const byte Float32 = (byte)'f';
    /// <summary>'s': OSC-string (NUL-terminated, padded to 4 bytes).</summary>
    public const byte String = (byte)'s';
    /// <summary>'b': OSC-blob (int32 size, bytes, padding to 4).</summary>
    public const byte Blob = (byte)'b';
    /// <summary>'h': int64, big-endian.</summary>
    public const byte Int64 = (byte)'h';
    /// <summary>'t': OSC time tag (64-bit NTP fixed point).</summary>
    public const byte TimeTag = (byte)'t';
    /// <summary>'d': float64, big-endian IEEE 754.</summary>
    public const byte Float64 = (byte)'d';
    /// <summary>'S': symbol, encoded like a string.</summary>
    public const byte Symbol = (byte)'S';
    /// <summary>'c': an ASCII character sent as 32 bits.</summary>
    public const byte Char = (byte)'c';
    /// <summary>'r': 32-bit RGBA colour.</summary>
    public const byte Color = (byte)'r';
    /// <summary>'m': 4-byte MIDI message.</summary>
    public const byte Midi = (byte)'m';
    /// <summary>'T': true, no data.</summary>
    public const byte True = (byte)'T';
    /// <summary>'F': false, no data.</summary>
    public const byte False = (byte)'F';
    /// <summary>'N': nil, no data.</summary>
    public const byte Nil = (byte)'N';
    /// <summary>'I': infinitum (impulse), no data.</summary>
    public const byte Infinitum = (byte)'I';
    /// <summary>'[': beginning of an array, no data.</summary>
    public const byte ArrayBegin = (byte)'[';
    /// <summary>']': end of an array, no data.</summary>
    public const byte ArrayEnd = (byte)']';

    /// <summary>
    /// Bytes of data a tag occupies when that size is fixed: 0, 4 or 8; -1 for strings and blobs
    /// (size read from the data); -2 for a byte that is no type tag.
    /// </summary>
    public static int FixedSizeBytes(byte tag) => tag switch
    {
        Int32 or Float32 or Char or Color or Midi => 4,
        Int64 or TimeTag or Float64 => 8,
        True or False or Nil or Infinitum or ArrayBegin or ArrayEnd => 0,
        String or Symbol or Blob => -1,
        _ => -2,
    };

    /// <summary>True when <paramref name="tag"/> is one of the type tags this codec knows.</summary>
    public static bool IsKnown(byte tag) => FixedSizeBytes(tag) != -2;
}
