using Stage.Core.Space;
using Stage.Tracking.Simulation;

namespace Stage.Tracking.FreeD;

/// <summary>
/// A simulated FreeD tracker: D1 packets with the source's camera id, and the zoom encoder value its
/// calibration maps to the path's focal length (camera id 1 and zoom 0 when sent to a source of another kind).
/// </summary>
internal sealed class FreeDSender(FreeDSourceConfig? source) : ITrackingSender
{
    private readonly LensCalibration _zoom = source is null ? LensCalibration.Empty : new LensCalibration(source.ZoomToFocalLengthMm);

    public int Write(PathPoint point, double seconds, double rateHz, byte[] datagram)
    {
        (double pan, double tilt, double roll) = ZUpConversion.StageToFreeDAngles(point.Pose.Orientation);
        (double x, double y, double z) = ZUpConversion.StageToFreeDPosition(point.Pose.PositionM);
        int zoom = _zoom.EncoderOf(point.FocalLengthMm);
        FreeDPacket packet = FreeDPacket.FromValues((byte)(source?.CameraId ?? 1), pan, tilt, roll, x, y, z, zoom, 0);
        FreeDCodec.Encode(packet, datagram);
        return FreeDCodec.PacketLength;
    }
}
