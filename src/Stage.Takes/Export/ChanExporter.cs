using System.Globalization;
using System.Text;
using Stage.Core.Space;

namespace Stage.Takes.Export;

/// <summary>
/// Nuke <c>.chan</c> for one camera of one take: one line per frame, <c>frame tx ty tz rx ry rz vfov</c>,
/// metres and degrees, in stage space (Nuke is Y-up with cameras looking down −Z, as Stage is).
/// Rotation order ZXY (Nuke's default for cameras): rx = tilt, ry = −pan, rz = −roll, so that
/// Ry·Rx·Rz is Stage's pan → tilt → roll. Frames are numbered from the take's first timecode frame.
/// Frames at which the camera had no pose (<see cref="TrackFrame.HasPose"/>) are left out: a row there would be a
/// camera at the origin, indistinguishable from a real track; Nuke interpolates over the gap.
/// </summary>
public static class ChanExporter
{
    /// <summary>Writes the track of <paramref name="camera"/> (the hero camera when null).</summary>
    public static string Write(TakeInfo take, IReadOnlyList<RecordedFrame> track, string? camera = null)
    {
        string id = camera ?? take.Camera;
        var text = new StringBuilder();
        long first = take.Start.ToFrameCount();
        foreach (RecordedFrame frame in track)
        {
            if (frame.Camera != id || !frame.Sample.HasPose) continue;
            TrackFrame s = frame.Sample;
            PanTiltRoll angles = PanTiltRoll.FromQuaternion(s.Orientation);
            double vfov = double.RadiansToDegrees(2 * Math.Atan(take.SensorHeightMm / (2 * s.FocalLengthMm)));
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{first + s.Frame} {s.PositionM.X:0.######} {s.PositionM.Y:0.######} {s.PositionM.Z:0.######} {angles.TiltDeg:0.######} {-angles.PanDeg:0.######} {-angles.RollDeg:0.######} {vfov:0.######}"));
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>How many of <paramref name="camera"/>'s frames had no pose (and so no row).</summary>
    public static int FramesWithoutPose(IReadOnlyList<RecordedFrame> track, string camera) =>
        track.Count(f => f.Camera == camera && !f.Sample.HasPose);
}
