using System.Text;

namespace Stage.Osc;

/// <summary>
/// A managed OSC packet (message or bundle) that owns its data: what tools, tests and the
/// convenience senders use. The real-time path decodes into <see cref="OscPacket"/> views instead.
/// </summary>
public abstract class OscPacketData : IEquatable<OscPacketData>
{
    private protected OscPacketData()
    {
    }

    /// <summary>Structural equality.</summary>
    public abstract bool Equals(OscPacketData? other);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is OscPacketData other && Equals(other);

    /// <inheritdoc/>
    public abstract override int GetHashCode();

    /// <summary>Bytes needed to encode this packet.</summary>
    public int GetEncodedLength() => OscEncoder.GetEncodedLength(this);

    /// <summary>Encodes into a new array (allocates; use <see cref="OscEncoder.Encode"/> on hot paths).</summary>
    public byte[] ToArray() => OscEncoder.ToArray(this);
}

/// <summary>A managed OSC message: address pattern and arguments.</summary>
public sealed class OscMessageData : OscPacketData
{
    /// <summary>Creates a message; the address must begin with '/' and contain no NUL.</summary>
    public OscMessageData(string address, params IReadOnlyList<OscValue> arguments)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(arguments);
        if (!address.StartsWith('/')) throw new ArgumentException("OSC address must begin with '/'", nameof(address));
        if (address.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException("OSC address cannot contain NUL", nameof(address));
        Address = address;
        Arguments = arguments;
    }

    /// <summary>The address pattern.</summary>
    public string Address { get; }

    /// <summary>The arguments in type-tag order (array brackets included).</summary>
    public IReadOnlyList<OscValue> Arguments { get; }

    /// <summary>The type tags without comma.</summary>
    public string TypeTags
    {
        get
        {
            var tags = new StringBuilder(Arguments.Count);
            foreach (var argument in Arguments) tags.Append((char)argument.TypeTag);
            return tags.ToString();
        }
    }

    /// <inheritdoc/>
    public override bool Equals(OscPacketData? other) =>
        other is OscMessageData m && string.Equals(Address, m.Address, StringComparison.Ordinal) && Arguments.SequenceEqual(m.Arguments);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Address, Arguments.Count);

    /// <summary>"address tags arg arg ..." as liblo's oscdump prints a message (without time tag).</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Address).Append(' ').Append(TypeTags);
        foreach (var argument in Arguments) text.Append(' ').Append(argument.ToString());
        return text.ToString();
    }
}

/// <summary>A managed OSC bundle: time tag and elements (messages or bundles).</summary>
public sealed class OscBundleData : OscPacketData
{
    /// <summary>Creates a bundle.</summary>
    public OscBundleData(OscTimeTag timeTag, params IReadOnlyList<OscPacketData> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        TimeTag = timeTag;
        Elements = elements;
    }

    /// <summary>When the bundle takes effect.</summary>
    public OscTimeTag TimeTag { get; }

    /// <summary>The elements in order.</summary>
    public IReadOnlyList<OscPacketData> Elements { get; }

    /// <inheritdoc/>
    public override bool Equals(OscPacketData? other) =>
        other is OscBundleData b && TimeTag == b.TimeTag && Elements.SequenceEqual(b.Elements);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(TimeTag, Elements.Count);

    /// <summary>"#bundle time { element; element }".</summary>
    public override string ToString() => $"#bundle {TimeTag} {{ {string.Join("; ", Elements)} }}";
}
