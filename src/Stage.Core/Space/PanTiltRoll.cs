using System.Numerics;

namespace Stage.Core.Space;

/// <summary>
/// Camera orientation as an operator says it, in degrees: pan positive to the right (clockwise seen
/// from above), tilt positive up, roll positive clockwise seen from behind the camera; applied pan,
/// then tilt, then roll. All zero looks along −Z with +Y up. This is the only place these
/// conventions are turned into stage-space rotations.
/// </summary>
/// <param name="PanDeg">Pan in degrees, positive to the right.</param>
/// <param name="TiltDeg">Tilt in degrees, positive up.</param>
/// <param name="RollDeg">Roll in degrees, positive clockwise seen from behind the camera.</param>
public readonly record struct PanTiltRoll(double PanDeg, double TiltDeg, double RollDeg)
{
    /// <summary>
    /// The stage-space rotation: camera space (looking down −Z, +Y up) to stage space.
    /// Pan turns about stage +Y, tilt about the panned camera's +X, roll about its −Z (the view axis).
    /// </summary>
    public Quaternion ToQuaternion()
    {
        // Right-hand rule: +angle about +Y turns −Z toward −X (left), so pan right is a negative angle;
        // +angle about +Z turns +Y toward −X, which seen from behind (from +Z) is counter-clockwise, so roll is negated too.
        Quaternion pan = AxisAngle(Vector3.UnitY, -PanDeg);
        Quaternion tilt = AxisAngle(Vector3.UnitX, TiltDeg);
        Quaternion roll = AxisAngle(Vector3.UnitZ, -RollDeg);
        // Intrinsic pan → tilt → roll is the product pan · tilt · roll applied to camera-space vectors.
        return Quaternion.Normalize(pan * tilt * roll);
    }

    /// <summary>
    /// Recovers pan, tilt and roll from a stage-space rotation. Pan and roll are in (−180, 180],
    /// tilt in [−90, 90]. Within 0.06° of tilt ±90 (gimbal lock, where single-precision input cannot tell
    /// pan from roll) roll is reported as 0 and pan carries the turn.
    /// </summary>
    public static PanTiltRoll FromQuaternion(Quaternion orientation)
    {
        Quaternion q = Quaternion.Normalize(orientation);
        Vector3 forward = Vector3.Transform(-Vector3.UnitZ, q);
        Vector3 up = Vector3.Transform(Vector3.UnitY, q);
        Vector3 right = Vector3.Transform(Vector3.UnitX, q);
        double tiltRad = Math.Asin(Math.Clamp(forward.Y, -1f, 1f));
        double cosTilt = Math.Cos(tiltRad);
        double panRad, rollRad;
        if (cosTilt > 1e-3)
        {
            panRad = Math.Atan2(forward.X, -forward.Z);
            rollRad = -Math.Atan2(right.Y, up.Y);
        }
        else
        {
            // Looking straight up or down: the up vector lies in the floor plane and tells the pan.
            double sign = Math.Sign(forward.Y);
            panRad = Math.Atan2(-sign * up.X, sign * up.Z);
            rollRad = 0;
        }
        return new PanTiltRoll(NormaliseDeg(double.RadiansToDegrees(panRad)), double.RadiansToDegrees(tiltRad), NormaliseDeg(double.RadiansToDegrees(rollRad)));
    }

    /// <summary>Angles as "pan 12.5° tilt -3° roll 0°".</summary>
    public override string ToString() => FormattableString.Invariant($"pan {PanDeg:0.###}° tilt {TiltDeg:0.###}° roll {RollDeg:0.###}°");

    internal static Quaternion AxisAngle(Vector3 axis, double degrees) =>
        Quaternion.CreateFromAxisAngle(axis, (float)double.DegreesToRadians(degrees));

    private static double NormaliseDeg(double degrees)
    {
        double wrapped = Math.IEEERemainder(degrees, 360.0);
        return wrapped <= -180.0 ? wrapped + 360.0 : wrapped;
    }
}
