namespace Stage.Osc;

/// <summary>What was wrong with a malformed OSC packet or stream frame.</summary>
public enum OscErrorKind
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>The packet holds no bytes.</summary>
    EmptyPacket,
    /// <summary>An OSC message's address pattern does not begin with '/'.</summary>
    AddressMissingSlash,
    /// <summary>An OSC-string has no terminating NUL before the end of the packet.</summary>
    UnterminatedString,
    /// <summary>Padding after a string or blob is missing or holds a non-zero byte.</summary>
    BadPadding,
    /// <summary>Bytes follow the address pattern but do not begin with the type tag comma ','.</summary>
    MissingTypeTagComma,
    /// <summary>The type tag string holds a character that is no OSC 1.0/1.1 type tag.</summary>
    UnknownTypeTag,
    /// <summary>An argument's data runs past the end of the packet.</summary>
    TruncatedArgument,
    /// <summary>A blob's size is negative or larger than the bytes that remain.</summary>
    BadBlobSize,
    /// <summary>Array brackets '[' and ']' in the type tag string do not pair up.</summary>
    UnbalancedArray,
    /// <summary>Bytes remain after the last argument of a message.</summary>
    TrailingBytes,
    /// <summary>A bundle is shorter than its "#bundle" header and time tag, or the header is wrong.</summary>
    BadBundleHeader,
    /// <summary>A bundle element's size field is cut off by the end of the bundle.</summary>
    TruncatedBundleElementSize,
    /// <summary>A bundle element's size is zero, negative or not a multiple of 4.</summary>
    BadBundleElementSize,
    /// <summary>A bundle element's size claims more bytes than remain in the bundle.</summary>
    BundleElementSizeOverflow,
    /// <summary>Bundles are nested deeper than <see cref="OscLimits.MaxBundleDepth"/>.</summary>
    BundleNestingTooDeep,
    /// <summary>A SLIP frame holds an ESC byte followed by something other than ESC_END or ESC_ESC.</summary>
    BadSlipEscape,
    /// <summary>A stream frame is larger than the configured maximum.</summary>
    FrameTooLarge,
    /// <summary>A length-prefixed stream frame announces a negative or zero size.</summary>
    BadFrameLength,
}

/// <summary>
/// A decoding error: what was wrong and the byte offset, from the start of the packet (or frame),
/// where the fault was found. A value type so that reporting it never allocates.
/// </summary>
public readonly struct OscError : IEquatable<OscError>
{
    /// <summary>Creates an error of <paramref name="kind"/> at <paramref name="offsetBytes"/>.</summary>
    public OscError(OscErrorKind kind, int offsetBytes)
    {
        Kind = kind;
        OffsetBytes = offsetBytes;
    }

    /// <summary>No error.</summary>
    public static OscError None => default;

    /// <summary>What was wrong.</summary>
    public OscErrorKind Kind { get; }

    /// <summary>Byte offset from the start of the packet where the fault was found.</summary>
    public int OffsetBytes { get; }

    /// <summary>True when this is a real error (not <see cref="OscErrorKind.None"/>).</summary>
    public bool IsError => Kind != OscErrorKind.None;

    /// <summary>A short English description of <see cref="Kind"/> (a constant string, no allocation).</summary>
    public string Description => Describe(Kind);

    /// <summary>A short English description of an error kind.</summary>
    public static string Describe(OscErrorKind kind) => kind switch
    {
        OscErrorKind.None => "no error",
        OscErrorKind.EmptyPacket => "empty packet",
        OscErrorKind.AddressMissingSlash => "address pattern does not begin with '/'",
        OscErrorKind.UnterminatedString => "string has no terminating NUL",
        OscErrorKind.BadPadding => "padding missing or not zero",
        OscErrorKind.MissingTypeTagComma => "type tag string does not begin with ','",
        OscErrorKind.UnknownTypeTag => "unknown type tag",
        OscErrorKind.TruncatedArgument => "argument truncated by end of packet",
        OscErrorKind.BadBlobSize => "blob size negative or past end of packet",
        OscErrorKind.UnbalancedArray => "array brackets do not pair up",
        OscErrorKind.TrailingBytes => "bytes after the last argument",
        OscErrorKind.BadBundleHeader => "bundle header or time tag missing",
        OscErrorKind.TruncatedBundleElementSize => "bundle element size truncated",
        OscErrorKind.BadBundleElementSize => "bundle element size zero, negative or not a multiple of 4",
        OscErrorKind.BundleElementSizeOverflow => "bundle element size exceeds the bundle",
        OscErrorKind.BundleNestingTooDeep => "bundles nested too deep",
        OscErrorKind.BadSlipEscape => "invalid SLIP escape sequence",
        OscErrorKind.FrameTooLarge => "stream frame too large",
        OscErrorKind.BadFrameLength => "stream frame length not positive",
        _ => "unknown error",
    };

    /// <inheritdoc/>
    public bool Equals(OscError other) => Kind == other.Kind && OffsetBytes == other.OffsetBytes;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is OscError other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, OffsetBytes);

    /// <summary>Equality of kind and offset.</summary>
    public static bool operator ==(OscError left, OscError right) => left.Equals(right);

    /// <summary>Inequality of kind or offset.</summary>
    public static bool operator !=(OscError left, OscError right) => !left.Equals(right);

    /// <summary>"&lt;description&gt; at byte &lt;offset&gt;" (allocates; for logs and messages).</summary>
    public override string ToString() => Kind == OscErrorKind.None ? Description : $"{Description} at byte {OffsetBytes}";
}

/// <summary>Limits the decoder enforces so hostile input cannot exhaust the stack or memory.</summary>
public static class OscLimits
{
    /// <summary>Deepest bundle nesting accepted (the outermost bundle is depth 1).</summary>
    public const int MaxBundleDepth = 32;

    /// <summary>Largest UDP payload: the maximum an IPv4 datagram can carry.</summary>
    public const int MaxUdpPacketBytes = 65507;
}
