using System.Net;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Tracking.Buffers;
using Stage.Tracking.Statistics;

namespace Stage.Tracking.FreeD;

/// <summary>
/// FreeD D1 over UDP: each valid packet of the configured camera id becomes one <see cref="CameraSample"/>
/// for every camera bound to the source. This class is the one place FreeD's Z-up frame and wire units
/// become stage space (through <see cref="ZUpConversion"/>), and zoom/focus encoders become millimetres and
/// metres (through the configured <see cref="LensCalibration"/>s; an empty table leaves the value unknown).
/// Wrong length, type, checksum or camera id are counted and dropped. Allocation-free per packet.
/// </summary>
public sealed class FreeDSource : ITrackingSource
{
    private readonly PoseBuffer[] _cameras;
    private readonly UdpDatagramReceiver _receiver;
    private long _sequence;
    private bool _disposed;

    /// <summary>A source for <paramref name="config"/> feeding <paramref name="cameras"/>.</summary>
    /// <exception cref="ArgumentException">The bind address is not an IPv4 address, or a calibration table is not ascending.</exception>
    public FreeDSource(FreeDSourceConfig config, IReadOnlyList<PoseBuffer> cameras, TrackingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(cameras);
        TypedConfig = config;
        Options = options ?? new TrackingOptions();
        Options.Validate();
        _cameras = [.. cameras];
        ZoomToFocalLengthMm = new LensCalibration(config.ZoomToFocalLengthMm);
        FocusToDistanceM = new LensCalibration(config.FocusToDistanceM);
        Statistics = new SourceStatistics(config.Id);
        if (!IPAddress.TryParse(config.BindAddress, out IPAddress? bind))
            throw new ArgumentException($"source '{config.Id}': bind address '{config.BindAddress}' is not an IP address", nameof(config));
        _receiver = new UdpDatagramReceiver($"freed:{config.Id}", new IPEndPoint(bind, config.Port), null, Options.IdlePollMs,
            ProcessDatagram, UpdateStatus, _ => Statistics.CountDrop(TrackingDropKind.MalformedPayload));
    }

    /// <summary>The FreeD configuration.</summary>
    public FreeDSourceConfig TypedConfig { get; }

    /// <summary>The options in force.</summary>
    public TrackingOptions Options { get; }

    /// <summary>Zoom encoder → focal length (mm).</summary>
    public LensCalibration ZoomToFocalLengthMm { get; }

    /// <summary>Focus encoder → focus distance (m).</summary>
    public LensCalibration FocusToDistanceM { get; }

    /// <inheritdoc/>
    public string SourceId => TypedConfig.Id;

    /// <inheritdoc/>
    public TrackingSourceConfig Config => TypedConfig;

    /// <inheritdoc/>
    public IReadOnlyList<PoseBuffer> Cameras => _cameras;

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
    }

    /// <summary>
    /// Handles one datagram as if it had just been received at <paramref name="receiveTicks"/>. The receive
    /// thread calls this; tests and replays may too, but never while the source is running (one writer per buffer).
    /// </summary>
    public void ProcessDatagram(ReadOnlySpan<byte> datagram, long receiveTicks)
    {
        Statistics.Datagrams.Record(receiveTicks);
        FreeDError error = FreeDCodec.TryDecode(datagram, out FreeDPacket packet);
        switch (error)
        {
            case FreeDError.WrongLength: Statistics.CountDrop(TrackingDropKind.WrongLength); return;
            case FreeDError.WrongMessageType: Statistics.CountDrop(TrackingDropKind.WrongMessageType); return;
            case FreeDError.BadChecksum: Statistics.CountDrop(TrackingDropKind.BadChecksum); return;
        }
        if (packet.CameraId != TypedConfig.CameraId)
        {
            Statistics.CountDrop(TrackingDropKind.WrongCameraId);
            return;
        }
        if (_cameras.Length == 0)
        {
            Statistics.CountDrop(TrackingDropKind.UnmatchedSubject);
            return;
        }
        long sequence = ++_sequence;
        var positionM = ZUpConversion.FreeDPositionToStage(packet.XMm, packet.YMm, packet.ZMm);
        var orientation = ZUpConversion.FreeDAnglesToStage(packet.PanDeg, packet.TiltDeg, packet.RollDeg);
        double focalLengthMm = ZoomToFocalLengthMm.Evaluate(packet.Zoom);
        double focusDistanceM = FocusToDistanceM.Evaluate(packet.Focus);
        foreach (PoseBuffer camera in _cameras)
        {
            var sample = new CameraSample
            {
                CameraId = camera.CameraId,
                PositionM = positionM,
                Orientation = orientation,
                FocalLengthMm = focalLengthMm,
                FocusDistanceM = focusDistanceM,
                Iris = double.NaN,
                EntrancePupilOffsetM = double.NaN,
                ReceiveTicks = receiveTicks,
                SequenceNumber = sequence,
            };
            camera.Write(sample);
            Statistics.Samples.Record(receiveTicks);
        }
    }

    private void UpdateStatus(long nowTicks)
    {
        foreach (PoseBuffer camera in _cameras) camera.UpdateStatus(nowTicks);
    }
}
