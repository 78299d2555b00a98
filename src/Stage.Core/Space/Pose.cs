using System.Numerics;

namespace Stage.Core.Space;

/// <summary>
/// A rigid placement in stage space (right-handed, metres, +Y up, −Z into the main wall):
/// a position and a unit quaternion taking local (camera or object) space to stage space.
/// </summary>
/// <param name="PositionM">Position in metres in stage space.</param>
/// <param name="Orientation">Unit quaternion, local → stage.</param>
public readonly record struct Pose(Vector3 PositionM, Quaternion Orientation)
{
    /// <summary>At the origin, looking down −Z with +Y up.</summary>
    public static Pose Identity => new(Vector3.Zero, Quaternion.Identity);

    /// <summary>A pose from a position and operator angles.</summary>
    public static Pose FromPanTiltRoll(Vector3 positionM, PanTiltRoll angles) => new(positionM, angles.ToQuaternion());

    /// <summary>The orientation as operator angles.</summary>
    public PanTiltRoll Angles => PanTiltRoll.FromQuaternion(Orientation);

    /// <summary>The direction the local −Z axis points (a camera's view direction), in stage space.</summary>
    public Vector3 Forward => Vector3.Transform(-Vector3.UnitZ, Orientation);

    /// <summary>The local +Y axis in stage space.</summary>
    public Vector3 Up => Vector3.Transform(Vector3.UnitY, Orientation);

    /// <summary>The local +X axis in stage space.</summary>
    public Vector3 Right => Vector3.Transform(Vector3.UnitX, Orientation);

    /// <summary>A local-space point expressed in stage space.</summary>
    public Vector3 TransformPoint(Vector3 localPointM) => PositionM + Vector3.Transform(localPointM, Orientation);

    /// <summary>A stage-space point expressed in local space.</summary>
    public Vector3 InverseTransformPoint(Vector3 stagePointM) =>
        Vector3.Transform(stagePointM - PositionM, Quaternion.Conjugate(Orientation));

    /// <summary>
    /// The local → stage matrix for row vectors (System.Numerics convention: v' = v · M).
    /// </summary>
    public Matrix4x4 ToMatrix() => Matrix4x4.CreateFromQuaternion(Orientation) * Matrix4x4.CreateTranslation(PositionM);

    /// <summary>The stage → local matrix (a camera's view matrix).</summary>
    public Matrix4x4 ToInverseMatrix() =>
        Matrix4x4.CreateTranslation(-PositionM) * Matrix4x4.CreateFromQuaternion(Quaternion.Conjugate(Orientation));

    /// <summary>This pose followed by a local offset (e.g. a lens's entrance pupil ahead of the tracked point).</summary>
    public Pose Offset(Vector3 localOffsetM) => this with { PositionM = TransformPoint(localOffsetM) };
}
