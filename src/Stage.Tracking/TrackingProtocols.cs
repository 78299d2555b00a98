using Stage.Core.Configuration;
using Stage.Tracking.FreeD;
using Stage.Tracking.OpenTrackIO;
using Stage.Tracking.Osc;
using Stage.Tracking.Virtual;

namespace Stage.Tracking;

/// <summary>The tracking protocols of this build: the one list a new protocol is added to.</summary>
public static class TrackingProtocols
{
    /// <summary>Camera poses over OSC.</summary>
    public static ITrackingProtocol Osc { get; } = new OscProtocol();

    /// <summary>FreeD D1 over UDP.</summary>
    public static ITrackingProtocol FreeD { get; } = new FreeDProtocol();

    /// <summary>OpenTrackIO JSON over UDP multicast.</summary>
    public static ITrackingProtocol OpenTrackIO { get; } = new OpenTrackIOProtocol();

    /// <summary>A camera flown by the operator from a window.</summary>
    public static ITrackingProtocol Virtual { get; } = new VirtualProtocol();

    /// <summary>Every protocol, in the order <c>stage validate</c> and error messages list them.</summary>
    public static IReadOnlyList<ITrackingProtocol> All { get; } = [Osc, FreeD, OpenTrackIO, Virtual];

    /// <summary>The protocol of <paramref name="kind"/>, or null.</summary>
    public static ITrackingProtocol? Find(string kind) => All.FirstOrDefault(p => p.Kind == kind);

    /// <summary>The protocol that reads <paramref name="source"/>'s kind.</summary>
    /// <exception cref="ArgumentException">No protocol of this build reads it.</exception>
    public static ITrackingProtocol Of(TrackingSourceConfig source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Find(source.Kind) ?? throw new ArgumentException($"source '{source.Id}': no tracking protocol '{source.Kind}' in this build", nameof(source));
    }
}
