using System.Globalization;
using System.Text;

namespace Stage.Osc;

/// <summary>
/// One OSC argument as a managed value: a type tag plus its payload. Used by the managed packet
/// model (<see cref="OscMessageData"/>); the hot decode path uses <see cref="OscArgument"/> instead.
/// Equality is by type tag and exact bits (a NaN equals the same NaN), strings by ordinal, blobs by content.
/// </summary>
public readonly struct OscValue : IEquatable<OscValue>
{
    private readonly long _bits;
    private readonly object? _reference;

    private OscValue(byte typeTag, long bits, object? reference)
    {
        TypeTag = typeTag;
        _bits = bits;
        _reference = reference;
    }

    /// <summary>The type tag byte ('i', 'f', ...).</summary>
    public byte TypeTag { get; }

    /// <summary>An 'i' value.</summary>
    public static OscValue FromInt32(int value) => new(OscTypeTag.Int32, value, null);
    /// <summary>An 'f' value.</summary>
    public static OscValue FromFloat32(float value) => new(OscTypeTag.Float32, BitConverter.SingleToInt32Bits(value), null);
    /// <summary>An 's' value.</summary>
    public static OscValue FromString(string value) => new(OscTypeTag.String, 0, CheckString(value));
    /// <summary>An 'S' value.</summary>
    public static OscValue FromSymbol(string value) => new(OscTypeTag.Symbol, 0, CheckString(value));
    /// <summary>A 'b' value (the array is kept, not copied).</summary>
    public static OscValue FromBlob(byte[] value) => new(OscTypeTag.Blob, 0, value ?? throw new ArgumentNullException(nameof(value)));
    /// <summary>An 'h' value.</summary>
    public static OscValue FromInt64(long value) => new(OscTypeTag.Int64, value, null);
    /// <summary>A 't' value.</summary>
    public static OscValue FromTimeTag(OscTimeTag value) => new(OscTypeTag.TimeTag, (long)value.Raw, null);
    /// <summary>A 'd' value.</summary>
    public static OscValue FromFloat64(double value) => new(OscTypeTag.Float64, BitConverter.DoubleToInt64Bits(value), null);
    /// <summary>A 'c' value (one byte: ASCII or Latin-1).</summary>
    public static OscValue FromChar(char value) => value <= 0xFF
        ? new(OscTypeTag.Char, value, null)
        : throw new ArgumentOutOfRangeException(nameof(value), "OSC 'c' carries one byte");
    /// <summary>An 'r' value.</summary>
    public static OscValue FromColor(OscColor value) => new(OscTypeTag.Color, value.Packed, null);
    /// <summary>An 'm' value.</summary>
    public static OscValue FromMidi(OscMidi value) => new(OscTypeTag.Midi, value.Packed, null);
    /// <summary>'T' or 'F'.</summary>
    public static OscValue FromBoolean(bool value) => value ? True : False;
    /// <summary>'T'.</summary>
    public static OscValue True => new(OscTypeTag.True, 0, null);
    /// <summary>'F'.</summary>
    public static OscValue False => new(OscTypeTag.False, 0, null);
    /// <summary>'N'.</summary>
    public static OscValue Nil => new(OscTypeTag.Nil, 0, null);
    /// <summary>'I'.</summary>
    public static OscValue Infinitum => new(OscTypeTag.Infinitum, 0, null);
    /// <summary>'['.</summary>
    public static OscValue ArrayBegin => new(OscTypeTag.ArrayBegin, 0, null);
    /// <summary>']'.</summary>
    public static OscValue ArrayEnd => new(OscTypeTag.ArrayEnd, 0, null);

    private static string CheckString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException("OSC strings cannot contain NUL", nameof(value));
        return value;
    }

    /// <summary>The 'i' payload.</summary>
    public int Int32 => (int)_bits;
    /// <summary>The 'f' payload.</summary>
    public float Float32 => BitConverter.Int32BitsToSingle((int)_bits);
    /// <summary>The 'h' payload.</summary>
    public long Int64 => _bits;
    /// <summary>The 'd' payload.</summary>
    public double Float64 => BitConverter.Int64BitsToDouble(_bits);
    /// <summary>The 't' payload.</summary>
    public OscTimeTag TimeTag => new((ulong)_bits);
    /// <summary>The 'c' payload.</summary>
    public char Char => (char)_bits;
    /// <summary>The 'r' payload.</summary>
    public OscColor Color => OscColor.FromPacked((uint)_bits);
    /// <summary>The 'm' payload.</summary>
    public OscMidi Midi => OscMidi.FromPacked((uint)_bits);
    /// <summary>The 's' or 'S' payload; empty for other types.</summary>
    public string String => _reference as string ?? string.Empty;
    /// <summary>The 'b' payload; empty for other types.</summary>
    public byte[] Blob => _reference as byte[] ?? [];

    /// <summary>The raw 32/64-bit payload of fixed-size types (bit pattern for floats).</summary>
    internal long Bits => _bits;

    /// <inheritdoc/>
    public bool Equals(OscValue other) =>
        TypeTag == other.TypeTag && _bits == other._bits && _reference switch
        {
            string s => other._reference is string o && string.Equals(s, o, StringComparison.Ordinal),
            byte[] b => other._reference is byte[] o && b.AsSpan().SequenceEqual(o),
            _ => other._reference is null,
        };

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is OscValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(TypeTag, _bits, _reference is string s ? s.GetHashCode(StringComparison.Ordinal) : 0);

    /// <summary>Equality (see type remarks).</summary>
    public static bool operator ==(OscValue left, OscValue right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(OscValue left, OscValue right) => !left.Equals(right);

    /// <summary>The value as liblo's oscdump prints it (invariant culture).</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        return TypeTag switch
        {
            OscTypeTag.Int32 => Int32.ToString(c),
            OscTypeTag.Float32 => Float32.ToString("F6", c),
            OscTypeTag.String => $"\"{String}\"",
            OscTypeTag.Symbol => $"'{String}",
            OscTypeTag.Blob => BlobText(Blob),
            OscTypeTag.Int64 => Int64.ToString(c),
            OscTypeTag.TimeTag => TimeTag.ToString(),
            OscTypeTag.Float64 => Float64.ToString("F6", c),
            OscTypeTag.Char => $"'{Char}'",
            OscTypeTag.Color => $"0x{Color.Packed:x8}",
            OscTypeTag.Midi => $"MIDI [0x{Midi.PortId:x2} 0x{Midi.Status:x2} 0x{Midi.Data1:x2} 0x{Midi.Data2:x2}]",
            OscTypeTag.True => "#T",
            OscTypeTag.False => "#F",
            OscTypeTag.Nil => "Nil",
            OscTypeTag.Infinitum => "Infinitum",
            OscTypeTag.ArrayBegin => "[",
            OscTypeTag.ArrayEnd => "]",
            _ => "?",
        };
    }

    private static string BlobText(byte[] blob)
    {
        // liblo's form, printf("%#02x") per byte: "[3b 0x61 0x1 00]".
        var text = new StringBuilder("[").Append(blob.Length.ToString(CultureInfo.InvariantCulture)).Append('b');
        foreach (var b in blob) text.Append(b == 0 ? " 00" : " 0x" + b.ToString("x", CultureInfo.InvariantCulture));
        return text.Append(']').ToString();
    }
}
