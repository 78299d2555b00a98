using System.Numerics;
using Stage.Core.Space;
using Stage.Render.Projection;

namespace Stage.Render.Compose;

/// <summary>
/// The outer render's six 90° faces around a viewpoint, in the order +X, −X, +Y, −Y, +Z, −Z (the
/// layer order of the outer image). Each face is an ordinary camera (looking down its local −Z)
/// projected through <see cref="ClipSpace"/>; the compose shader picks a face by the major axis of the
/// direction and projects with the same matrix, so rendering and sampling agree by construction.
/// </summary>
public static class CubeFaces
{
    /// <summary>Six faces.</summary>
    public const int Count = 6;

    private static readonly (Vector3 Forward, Vector3 Up)[] Axes =
    [
        (Vector3.UnitX, Vector3.UnitY), (-Vector3.UnitX, Vector3.UnitY),
        (Vector3.UnitY, Vector3.UnitZ), (-Vector3.UnitY, -Vector3.UnitZ),
        (Vector3.UnitZ, Vector3.UnitY), (-Vector3.UnitZ, Vector3.UnitY),
    ];

    /// <summary>The camera pose of face <paramref name="face"/> at <paramref name="eyeM"/>.</summary>
    public static Pose FacePose(int face, Vector3 eyeM)
    {
        (Vector3 forward, Vector3 up) = Axes[face];
        Vector3 back = -forward;
        Vector3 right = Vector3.Cross(up, back);
        // Row-vector local → stage rotation: rows are the images of local X, Y, Z.
        var rotation = new Matrix4x4(
            right.X, right.Y, right.Z, 0,
            up.X, up.Y, up.Z, 0,
            back.X, back.Y, back.Z, 0,
            0, 0, 0, 1);
        return new Pose(eyeM, Quaternion.Normalize(Quaternion.CreateFromRotationMatrix(rotation)));
    }

    /// <summary>The stage → clip matrix of face <paramref name="face"/>: a symmetric 90° frustum.</summary>
    public static Matrix4x4 ViewProjection(int face, Vector3 eyeM, double nearM, double farM) =>
        FacePose(face, eyeM).ToInverseMatrix() * ClipSpace.OffAxisPerspective(-1, 1, -1, 1, nearM, farM);

    /// <summary>The face the compose shader samples for a direction (major axis, ties to X then Y).</summary>
    public static int FaceFor(Vector3 direction)
    {
        Vector3 a = Vector3.Abs(direction);
        if (a.X >= a.Y && a.X >= a.Z) return direction.X > 0 ? 0 : 1;
        if (a.Y >= a.Z) return direction.Y > 0 ? 2 : 3;
        return direction.Z > 0 ? 4 : 5;
    }
}
