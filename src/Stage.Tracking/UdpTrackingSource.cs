using System.Net;
using Stage.Core.Configuration;
using Stage.Tracking.Buffers;
using Stage.Tracking.Statistics;

namespace Stage.Tracking;

/// <summary>
/// What every UDP tracking source shares: its configuration, options, cameras, statistics and a receive
/// thread (<see cref="UdpDatagramReceiver"/>) that hands each datagram, stamped on arrival, to
/// <see cref="ProcessDatagram"/> and calls <see cref="OnIdle"/> when nothing arrives. A protocol adapter
/// only decodes.
/// </summary>
public abstract class UdpTrackingSource : ITrackingSource
{
    private readonly UdpDatagramReceiver _receiver;
    private bool _disposed;

    /// <summary>
    /// Sets up the receive thread (not started) on <paramref name="bind"/>, joining <paramref name="multicastGroup"/> if given on the card
    /// with address <paramref name="multicastInterface"/> (null: the one the routes choose).
    /// </summary>
    protected UdpTrackingSource(TrackingSourceConfig config, IReadOnlyList<PoseBuffer> cameras, TrackingOptions? options, IPEndPoint bind,
        IPAddress? multicastGroup = null, IPAddress? multicastInterface = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(cameras);
        Config = config;
        Options = options ?? new TrackingOptions();
        Options.Validate();
        Buffers = [.. cameras];
        Statistics = new SourceStatistics(config.Id);
        _receiver = new UdpDatagramReceiver($"{config.Kind}:{config.Id}", $"tracking source '{config.Id}' ({config.Kind})", bind, multicastGroup,
            multicastInterface ?? IPAddress.Any, Options.IdlePollMs,
            Receive, OnIdle, _ => Statistics.CountDrop(TrackingDropKind.MalformedPayload));
    }

    /// <summary>The pose buffers this source writes, one writer each.</summary>
    protected PoseBuffer[] Buffers { get; }

    /// <summary>The options in force.</summary>
    public TrackingOptions Options { get; }

    /// <inheritdoc/>
    public string SourceId => Config.Id;

    /// <inheritdoc/>
    public TrackingSourceConfig Config { get; }

    /// <inheritdoc/>
    public IReadOnlyList<PoseBuffer> Cameras => Buffers;

    /// <inheritdoc/>
    public SourceStatistics Statistics { get; }

    /// <inheritdoc/>
    public bool IsRunning => _receiver.IsRunning;

    /// <inheritdoc/>
    public IPEndPoint? LocalEndPoint => _receiver.LocalEndPoint;

    /// <inheritdoc/>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _receiver.Start();
    }

    /// <inheritdoc/>
    public void Stop() => _receiver.Stop();

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        _receiver.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Every received datagram: decoded by the protocol; one counted as a fault is kept as the fault sample.</summary>
    private void Receive(ReadOnlySpan<byte> datagram, long receiveTicks)
    {
        long faultsBefore = Statistics.FaultCount;
        ProcessDatagram(datagram, receiveTicks);
        if (Statistics.FaultCount != faultsBefore) Statistics.KeepFaultSample(datagram, receiveTicks);
    }

    /// <summary>
    /// Handles one datagram as if it had just been received at <paramref name="receiveTicks"/>. The receive
    /// thread calls this; tests and replays may too, but never while the source is running (one writer per buffer).
    /// </summary>
    public abstract void ProcessDatagram(ReadOnlySpan<byte> datagram, long receiveTicks);

    /// <summary>Called on the receive thread when no datagram has come for a while: updates every camera's loss status.</summary>
    protected virtual void OnIdle(long nowTicks)
    {
        foreach (PoseBuffer buffer in Buffers) buffer.UpdateStatus(nowTicks);
    }

    /// <summary>The IPv4 address a configuration names, or a fault naming the source.</summary>
    protected static IPAddress ParseBind(TrackingSourceConfig config, string address) =>
        IPAddress.TryParse(address, out IPAddress? bind)
            ? bind
            : throw new ArgumentException($"source '{config.Id}': bind address '{address}' is not an IP address", nameof(config));
}
