namespace Stage.Osc;

/// <summary>
/// An OSC time tag: a 64-bit NTP fixed-point time, seconds since 1900-01-01 UTC in the upper 32 bits
/// and a binary fraction of a second in the lower 32. The raw value 1 means "immediately".
/// </summary>
public readonly record struct OscTimeTag(ulong Raw)
{
    private static readonly DateTime NtpEpochUtc = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The special time tag 0x0000000000000001: process immediately.</summary>
    public static OscTimeTag Immediately => new(1);

    /// <summary>True for the special value meaning "immediately".</summary>
    public bool IsImmediately => Raw == 1;

    /// <summary>Whole seconds since 1900-01-01 UTC (upper 32 bits).</summary>
    public uint Seconds => (uint)(Raw >> 32);

    /// <summary>Fraction of a second in units of 2^-32 s (lower 32 bits).</summary>
    public uint Fraction => (uint)Raw;

    /// <summary>Builds a time tag from seconds since 1900 and a fraction in 2^-32 s.</summary>
    public static OscTimeTag FromParts(uint seconds, uint fraction) => new(((ulong)seconds << 32) | fraction);

    /// <summary>The time tag for a UTC instant (resolution 100 ns, the resolution of <see cref="DateTime"/>).</summary>
    public static OscTimeTag FromDateTimeUtc(DateTime utc)
    {
        var ticks = (utc.ToUniversalTime() - NtpEpochUtc).Ticks;
        var seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        var fractionTicks = (ulong)(ticks % TimeSpan.TicksPerSecond);
        var fraction = (fractionTicks << 32) / TimeSpan.TicksPerSecond;
        return new((seconds << 32) | fraction);
    }

    /// <summary>The UTC instant this time tag names (rounded down to 100 ns).</summary>
    public DateTime ToDateTimeUtc()
    {
        var fractionTicks = ((ulong)Fraction * TimeSpan.TicksPerSecond) >> 32;
        return NtpEpochUtc.AddTicks((long)Seconds * TimeSpan.TicksPerSecond + (long)fractionTicks);
    }

    /// <summary>Hex "seconds.fraction" as liblo's oscdump prints it.</summary>
    public override string ToString() => IsImmediately ? "immediately" : $"{Seconds:x8}.{Fraction:x8}";
}

/// <summary>An OSC 'r' argument: 32-bit RGBA colour, one byte per channel.</summary>
public readonly record struct OscColor(byte Red, byte Green, byte Blue, byte Alpha)
{
    /// <summary>The colour packed big-endian as it travels: red in the top byte.</summary>
    public uint Packed => ((uint)Red << 24) | ((uint)Green << 16) | ((uint)Blue << 8) | Alpha;

    /// <summary>Unpacks a colour from its big-endian 32-bit form.</summary>
    public static OscColor FromPacked(uint rgba) => new((byte)(rgba >> 24), (byte)(rgba >> 16), (byte)(rgba >> 8), (byte)rgba);
}

/// <summary>An OSC 'm' argument: a 4-byte MIDI message (port id, status byte, two data bytes).</summary>
public readonly record struct OscMidi(byte PortId, byte Status, byte Data1, byte Data2)
{
    /// <summary>The four bytes packed big-endian as they travel: port id in the top byte.</summary>
    public uint Packed => ((uint)PortId << 24) | ((uint)Status << 16) | ((uint)Data1 << 8) | Data2;

    /// <summary>Unpacks a MIDI message from its big-endian 32-bit form.</summary>
    public static OscMidi FromPacked(uint packed) => new((byte)(packed >> 24), (byte)(packed >> 16), (byte)(packed >> 8), (byte)packed);
}
