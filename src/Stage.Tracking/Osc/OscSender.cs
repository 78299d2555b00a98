using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Osc;
using Stage.Tracking.Simulation;

namespace Stage.Tracking.Osc;

/// <summary>
/// A simulated OSC tracker: the source's own pose address, rotation form, Euler order, units and axes, and the
/// focal length in the same bundle when the source listens for it.
/// </summary>
internal sealed class OscSender : ITrackingSender
{
    private readonly OscSourceConfig _source;
    private readonly string _poseAddress;
    private readonly string? _focalAddress;
    private readonly float[] _values = new float[7];
    private readonly float[] _focal = new float[1];

    public OscSender(CameraConfig camera, OscSourceConfig source)
    {
        _source = source;
        _poseAddress = (source.Addresses.GetValueOrDefault("pose") ?? throw new ArgumentException($"source '{source.Id}' has no pose address to simulate", nameof(source)))
            .Replace("{camera}", camera.TrackedId, StringComparison.Ordinal);
        _focalAddress = source.Addresses.GetValueOrDefault("focalLength")?.Replace("{camera}", camera.TrackedId, StringComparison.Ordinal);
    }

    public int Write(PathPoint point, double seconds, double rateHz, byte[] datagram)
    {
        OscSourceConfig osc = _source;
        float scale = osc.PositionUnit switch { LengthUnit.Centimetres => 100f, LengthUnit.Millimetres => 1000f, _ => 1f };
        var position = osc.Axes == AxisConvention.ZUp ? ZUpConversion.PositionFromStage(point.Pose.PositionM) : point.Pose.PositionM;
        float[] values = _values;
        values[0] = position.X * scale; values[1] = position.Y * scale; values[2] = position.Z * scale;
        int count;
        if (osc.Rotation == RotationForm.Quaternion)
        {
            System.Numerics.Quaternion q = point.Pose.Orientation;
            if (osc.Axes == AxisConvention.ZUp) q = new System.Numerics.Quaternion(q.X, -q.Z, q.Y, q.W);
            values[3] = q.X; values[4] = q.Y; values[5] = q.Z; values[6] = q.W;
            count = 7;
        }
        else
        {
            PanTiltRoll angles = point.Pose.Angles;
            double unit = osc.AngleUnit == AngleUnit.Radians ? Math.PI / 180 : 1;
            for (int i = 0; i < 3; i++)
                values[3 + i] = (float)(unit * osc.EulerOrder[i] switch { "pan" => angles.PanDeg, "tilt" => angles.TiltDeg, _ => angles.RollDeg });
            count = 6;
        }
        if (_focalAddress is null)
        {
            var writer = new OscWriter(datagram);
            writer.WriteMessage(_poseAddress, values.AsSpan(0, count));
            return writer.BytesWritten;
        }
        // A bundle keeps pose and lens together, as a tracker should.
        var bundle = new OscWriter(datagram);
        bundle.WriteBundleHeader(OscTimeTag.Immediately);
        var element = bundle.BeginBundleElement();
        bundle.WriteMessage(_poseAddress, values.AsSpan(0, count));
        bundle.EndBundleElement(element);
        element = bundle.BeginBundleElement();
        _focal[0] = (float)point.FocalLengthMm;
        bundle.WriteMessage(_focalAddress, _focal);
        bundle.EndBundleElement(element);
        return bundle.BytesWritten;
    }
}
