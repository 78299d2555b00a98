using Stage.Core.Configuration;

namespace Stage.Tracking.OpenTrackIO;

/// <summary>OpenTrackIO (SMPTE RIS-OSVP) JSON samples over UDP multicast.</summary>
public sealed record OpenTrackIOSourceConfig : TrackingSourceConfig
{
    /// <summary>Multicast group, by default 235.135.1.N for source number N.</summary>
    public required string MulticastGroup { get; init; }

    /// <summary>
    /// The local IPv4 address of the network card to join the group on (the stage network's), or null to let the
    /// operating system choose by its routes.
    /// </summary>
    public string? InterfaceAddress { get; init; }

    /// <inheritdoc/>
    public override string Kind => "opentrackio";

    /// <inheritdoc/>
    public override string Endpoint => MulticastGroup;

    /// <inheritdoc/>
    public override string? MulticastGroupJoined => MulticastGroup;
}
