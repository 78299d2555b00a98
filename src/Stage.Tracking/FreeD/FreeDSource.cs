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
public sealed class FreeDSource : UdpTrackingSource
{
    private long _sequence;

    /// <summary>A source for <paramref name="config"/> feeding <paramref name="cameras"/>.</summary>
    /// <exception cref="ArgumentException">The bind address is not an IPv4 address, or a calibration table is not ascending.</exception>
    public FreeDSource(FreeDSourceConfig config, IReadOnlyList<PoseBuffer> cameras, TrackingOptions? options = null)
        : base(config, cameras, options, new IPEndPoint(ParseBind(config, config.BindAddress), config.Port))
    {
        TypedConfig = config;
        ZoomToFocalLengthMm = new LensCalibration(config.ZoomToFocalLengthMm);
        FocusToDistanceM = new LensCalibration(config.FocusToDistanceM);
    }

    /// <summary>The FreeD configuration.</summary>
    public FreeDSourceConfig TypedConfig { get; }

    /// <summary>Zoom encoder → focal length (mm).</summary>
    public LensCalibration ZoomToFocalLengthMm { get; }

    /// <summary>Focus encoder → focus distance (m).</summary>
    public LensCalibration FocusToDistanceM { get; }

    /// <inheritdoc/>
    public override void ProcessDatagram(ReadOnlySpan<byte> datagram, long receiveTicks)
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
        if (Buffers.Length == 0)
        {
            Statistics.CountDrop(TrackingDropKind.UnmatchedSubject);
            return;
        }
        long sequence = ++_sequence;
        var positionM = ZUpConversion.FreeDPositionToStage(packet.XMm, packet.YMm, packet.ZMm);
        var orientation = ZUpConversion.FreeDAnglesToStage(packet.PanDeg, packet.TiltDeg, packet.RollDeg);
        double focalLengthMm = ZoomToFocalLengthMm.Evaluate(packet.Zoom);
        double focusDistanceM = FocusToDistanceM.Evaluate(packet.Focus);
        foreach (PoseBuffer camera in Buffers)
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

}
