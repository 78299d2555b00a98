using System.Numerics;

namespace Stage.Core.Space;

/// <summary>
/// Converts the Z-up, Y-forward frames of FreeD and OpenTrackIO into stage space (Y-up, −Z forward).
/// The protocol adapters call these and nothing else, so each protocol's frame is turned into stage
/// space in exactly one place.
/// </summary>
public static class ZUpConversion
{
    /// <summary>
    /// A Z-up point (X right, Y forward, Z up) in stage space: (x, z, −y). This is a proper rotation
    /// (−90° about X), so handedness is kept.
    /// </summary>
    public static Vector3 PositionToStage(Vector3 zUp) => new(zUp.X, zUp.Z, -zUp.Y);

    /// <summary>The inverse of <see cref="PositionToStage"/>.</summary>
    public static Vector3 PositionFromStage(Vector3 stage) => new(stage.X, -stage.Z, stage.Y);

    /// <summary>
    /// FreeD D1 angles (degrees) to a stage-space orientation. The free-d manual defines pan positive
    /// clockwise seen from above, tilt positive up, roll positive clockwise seen from behind the camera,
    /// and pan = tilt = 0 looks along +Y (forward), which is stage −Z: the operator convention exactly.
    /// </summary>
    public static Quaternion FreeDAnglesToStage(double panDeg, double tiltDeg, double rollDeg) =>
        new PanTiltRoll(panDeg, tiltDeg, rollDeg).ToQuaternion();

    /// <summary>
    /// FreeD D1 position (millimetres, X right, Y forward, Z up) to stage space in metres.
    /// </summary>
    public static Vector3 FreeDPositionToStage(double xMm, double yMm, double zMm) =>
        PositionToStage(new Vector3((float)(xMm / 1000.0), (float)(yMm / 1000.0), (float)(zMm / 1000.0)));

    /// <summary>
    /// OpenTrackIO rotation (degrees, applied Z then X then Y about the right-handed Z-up axes: pan about
    /// Z, tilt about X, roll about Y, each by the right-hand rule) to a stage-space orientation.
    /// By the right-hand rule a positive OpenTrackIO pan turns left, so it is the operator's pan negated;
    /// tilt (about X, forward toward up) and roll (about the forward axis, up toward right) agree.
    /// </summary>
    public static Quaternion OpenTrackIORotationToStage(double panDeg, double tiltDeg, double rollDeg) =>
        new PanTiltRoll(-panDeg, tiltDeg, rollDeg).ToQuaternion();

    /// <summary>OpenTrackIO translation (metres, X right, Y forward, Z up) to stage space.</summary>
    public static Vector3 OpenTrackIOTranslationToStage(double xM, double yM, double zM) =>
        PositionToStage(new Vector3((float)xM, (float)yM, (float)zM));

    /// <summary>The inverse of <see cref="OpenTrackIORotationToStage"/>: OpenTrackIO pan, tilt and roll in degrees.</summary>
    public static (double PanDeg, double TiltDeg, double RollDeg) StageToOpenTrackIORotation(Quaternion orientation)
    {
        PanTiltRoll angles = PanTiltRoll.FromQuaternion(orientation);
        return (-angles.PanDeg, angles.TiltDeg, angles.RollDeg);
    }

    /// <summary>The inverse of <see cref="OpenTrackIOTranslationToStage"/>: OpenTrackIO x, y, z in metres.</summary>
    public static Vector3 StageToOpenTrackIOTranslation(Vector3 stageM) => PositionFromStage(stageM);

    /// <summary>The inverse of <see cref="FreeDAnglesToStage"/>: FreeD pan, tilt and roll in degrees.</summary>
    public static (double PanDeg, double TiltDeg, double RollDeg) StageToFreeDAngles(Quaternion orientation)
    {
        PanTiltRoll angles = PanTiltRoll.FromQuaternion(orientation);
        return (angles.PanDeg, angles.TiltDeg, angles.RollDeg);
    }

    /// <summary>The inverse of <see cref="FreeDPositionToStage"/>: FreeD x, y, z in millimetres.</summary>
    public static (double XMm, double YMm, double ZMm) StageToFreeDPosition(Vector3 stageM)
    {
        Vector3 zUp = PositionFromStage(stageM);
        return (zUp.X * 1000.0, zUp.Y * 1000.0, zUp.Z * 1000.0);
    }
}
