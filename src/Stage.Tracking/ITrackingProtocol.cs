using Stage.Core.Configuration;
using Stage.Tracking.Simulation;

namespace Stage.Tracking;

/// <summary>
/// Everything Stage knows of one tracking protocol, in one place: its <c>kind</c> and configuration reader
/// (<see cref="ITrackingSourceReader"/>), its one-line description for <c>stage validate</c>, the source that
/// receives it and the simulated tracker that speaks it. Each protocol lives in its own folder and is
/// registered in <see cref="TrackingProtocols.All"/>; adding one is a folder and a line there.
/// </summary>
public interface ITrackingProtocol : ITrackingSourceReader
{
    /// <summary>The protocol's name as people write it ("OSC", "FreeD", "OpenTrackIO").</summary>
    string Name { get; }

    /// <summary>What a source of this protocol is set to do, in one line (units, ids, calibration …).</summary>
    string Describe(TrackingSourceConfig source);

    /// <summary>
    /// The receiving source for <paramref name="source"/> feeding <paramref name="cameras"/>, not started; null when
    /// the protocol receives nothing itself (a virtual camera is flown by a window output).
    /// </summary>
    /// <exception cref="ArgumentException">An address or calibration in the configuration is invalid.</exception>
    ITrackingSource? CreateSource(TrackingSourceConfig source, IReadOnlyList<BoundCamera> cameras, TrackingOptions options);

    /// <summary>A simulated tracker's encoder for <paramref name="camera"/> on <paramref name="source"/>, or null when this protocol has none.</summary>
    /// <exception cref="ArgumentException">The protocol cannot speak to that source (OSC needs an OSC source's addresses).</exception>
    ITrackingSender? CreateSender(CameraConfig camera, TrackingSourceConfig source);
}
