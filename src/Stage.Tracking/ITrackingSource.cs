using System.Net;
using Stage.Core.Configuration;
using Stage.Tracking.Buffers;
using Stage.Tracking.Statistics;

namespace Stage.Tracking;

/// <summary>
/// A tracking input: it receives a protocol's datagrams on its own thread, converts them to stage space at
/// the edge and writes <see cref="CameraSample"/>s into the pose buffers of the cameras bound to it. That
/// thread is the buffers' only writer.
/// </summary>
public interface ITrackingSource : IDisposable
{
    /// <summary>The configured source id.</summary>
    string SourceId { get; }

    /// <summary>The configuration it was built from.</summary>
    TrackingSourceConfig Config { get; }

    /// <summary>The pose buffers of the cameras bound to this source, in configuration order.</summary>
    IReadOnlyList<PoseBuffer> Cameras { get; }

    /// <summary>Datagram, sample and drop counters.</summary>
    SourceStatistics Statistics { get; }

    /// <summary>True between <see cref="Start"/> and <see cref="Stop"/>.</summary>
    bool IsRunning { get; }

    /// <summary>The bound local endpoint while running (port 0 in a configuration binds an ephemeral port).</summary>
    IPEndPoint? LocalEndPoint { get; }

    /// <summary>Opens the socket and starts the receive thread.</summary>
    /// <exception cref="Stage.Osc.SocketSetupException">The address cannot be bound or the group joined (the message names the source, the address and the reason).</exception>
    /// <exception cref="InvalidOperationException">Already running, or disposed.</exception>
    void Start();

    /// <summary>Stops the receive thread and closes the socket; idempotent. The buffers keep their samples.</summary>
    void Stop();
}
