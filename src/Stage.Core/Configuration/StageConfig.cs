using Stage.Core.Time;

namespace Stage.Core.Configuration;

/// <summary>
/// A whole stage: walls, output canvases, cameras, tracking sources, control, frame rate, world and
/// take log. Produced only by <see cref="StageConfigLoader"/>, so an instance is always valid.
/// </summary>
public sealed record StageConfig
{
    /// <summary>Human name of the stage.</summary>
    public required string Name { get; init; }

    /// <summary>Full path of the file it was read from ("" when read from text).</summary>
    public required string SourcePath { get; init; }

    /// <summary>Frame rate of the walls and the take log.</summary>
    public required FrameRate FrameRate { get; init; }

    /// <summary>LED surfaces, in configuration order.</summary>
    public required IReadOnlyList<Wall> Walls { get; init; }

    /// <summary>Output canvases, in configuration order.</summary>
    public required IReadOnlyList<OutputCanvas> Outputs { get; init; }

    /// <summary>Cameras in priority order (the first wins where inner frusta overlap).</summary>
    public required IReadOnlyList<CameraConfig> Cameras { get; init; }

    /// <summary>Tracking inputs.</summary>
    public required IReadOnlyList<TrackingSourceConfig> TrackingSources { get; init; }

    /// <summary>The OSC control surface.</summary>
    public required ControlConfig Control { get; init; }

    /// <summary>The world scene file (full path), or null for an empty world.</summary>
    public string? WorldScenePath { get; init; }

    /// <summary>The take database (full path).</summary>
    public required string TakeDatabasePath { get; init; }

    /// <summary>Window outputs: present mode, monitor and overlay per output (defaults when the section is absent).</summary>
    public DisplayConfig Display { get; init; } = new();

    /// <summary>The operator's keyboard shortcuts (defaults when the section is absent).</summary>
    public OperatorConfig Operator { get; init; } = new();

    /// <summary>The render cluster this stage runs on (docs/cluster.md), or null for one machine.</summary>
    public ClusterConfig? Cluster { get; init; }

    /// <summary>Outer viewpoint, outer resolution and soft edge (defaults when the configuration has no <c>render</c> section).</summary>
    public RenderConfig Render { get; init; } = new();

    /// <summary>The wall with this id, or null.</summary>
    public Wall? FindWall(string id) => Walls.FirstOrDefault(w => w.Id == id);

    /// <summary>The source with this id, or null.</summary>
    public TrackingSourceConfig? FindSource(string id) => TrackingSources.FirstOrDefault(s => s.Id == id);
}

/// <summary>Where the OSC control surface listens, and whom it obeys.</summary>
/// <param name="BindAddress">Local address to bind.</param>
/// <param name="Port">UDP port (TCP with SLIP framing listens on the same number).</param>
public sealed record ControlConfig(string BindAddress, int Port)
{
    /// <summary>Senders allowed to send commands (IPv4 networks); empty allows everyone.</summary>
    public IReadOnlyList<Ipv4Network> AllowedSenders { get; init; } = [];
}

/// <summary>An IPv4 network written "10.0.0.0/8", or a single address "10.0.0.5" (a /32).</summary>
/// <param name="Address">The network address, as a 32-bit big-endian number.</param>
/// <param name="PrefixLength">Bits of the prefix, 0–32.</param>
public readonly record struct Ipv4Network(uint Address, int PrefixLength)
{
    /// <summary>Parses "a.b.c.d" or "a.b.c.d/n".</summary>
    public static bool TryParse(string text, out Ipv4Network network)
    {
        network = default;
        string[] parts = text.Trim().Split('/');
        if (parts.Length > 2 || !System.Net.IPAddress.TryParse(parts[0], out System.Net.IPAddress? ip) ||
            ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return false;
        int prefix = 32;
        if (parts.Length == 2 && (!int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > 32))
            return false;
        byte[] bytes = ip.GetAddressBytes();
        uint address = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        network = new Ipv4Network(address & Mask(prefix), prefix);
        return true;
    }

    /// <summary>True when <paramref name="address"/> lies in this network.</summary>
    public bool Contains(System.Net.IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return false;
        byte[] bytes = address.GetAddressBytes();
        uint value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        return (value & Mask(PrefixLength)) == Address;
    }

    /// <summary>"10.0.0.0/8".</summary>
    public override string ToString() => $"{Address >> 24}.{(Address >> 16) & 255}.{(Address >> 8) & 255}.{Address & 255}/{PrefixLength}";

    private static uint Mask(int prefix) => prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
}
