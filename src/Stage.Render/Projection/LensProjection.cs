using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Space;

namespace Stage.Render.Projection;

/// <summary>How much wider than the lens's view the inner frustum is rendered, percent per side.</summary>
/// <param name="LeftPercent">Left side.</param>
/// <param name="RightPercent">Right side.</param>
/// <param name="TopPercent">Top side.</param>
/// <param name="BottomPercent">Bottom side.</param>
public readonly record struct Overscan(double LeftPercent, double RightPercent, double TopPercent, double BottomPercent)
{
    /// <summary>The same percentage on every side.</summary>
    public static Overscan Uniform(double percent) => new(percent, percent, percent, percent);
}

/// <summary>
/// A tracked camera's view and projection: the eye at the lens's entrance pupil, the field of view
/// from focal length and sensor size, enlarged by the overscan.
/// </summary>
public readonly record struct LensProjection
{
    /// <summary>The entrance pupil's pose in stage space (the eye).</summary>
    public Pose Eye { get; init; }
    /// <summary>Frustum extents at unit distance, left (negative).</summary>
    public double Left { get; init; }
    /// <summary>Right extent at unit distance.</summary>
    public double Right { get; init; }
    /// <summary>Bottom extent at unit distance (negative).</summary>
    public double Bottom { get; init; }
    /// <summary>Top extent at unit distance.</summary>
    public double Top { get; init; }
    /// <summary>Near plane, metres.</summary>
    public double NearM { get; init; }
    /// <summary>Far plane, metres.</summary>
    public double FarM { get; init; }

    /// <summary>
    /// Builds the projection for a camera: <paramref name="trackedPose"/> is where the tracker says the
    /// camera is; the eye is moved by <paramref name="entrancePupilOffsetM"/> (camera space) to the lens's entrance pupil.
    /// </summary>
    public static LensProjection ForCamera(Pose trackedPose, Vector3 entrancePupilOffsetM, double focalLengthMm, double sensorWidthMm,
        double sensorHeightMm, Overscan overscan, double nearM = 0.05, double farM = 1000)
    {
        if (!(focalLengthMm > 0)) throw new ArgumentOutOfRangeException(nameof(focalLengthMm), focalLengthMm, "focal length must be positive");
        double halfWidth = sensorWidthMm / (2 * focalLengthMm);
        double halfHeight = sensorHeightMm / (2 * focalLengthMm);
        return new LensProjection
        {
            Eye = trackedPose.Offset(entrancePupilOffsetM),
            Left = -halfWidth * (1 + overscan.LeftPercent / 100),
            Right = halfWidth * (1 + overscan.RightPercent / 100),
            Bottom = -halfHeight * (1 + overscan.BottomPercent / 100),
            Top = halfHeight * (1 + overscan.TopPercent / 100),
            NearM = nearM,
            FarM = farM,
        };
    }

    /// <summary>The projection for a configured camera at a tracked pose and focal length.</summary>
    public static LensProjection ForCamera(CameraConfig camera, Pose trackedPose, double focalLengthMm) =>
        ForCamera(trackedPose, camera.EntrancePupilOffsetM, focalLengthMm, camera.SensorWidthMm, camera.SensorHeightMm, Overscan.Uniform(camera.OverscanPercent));

    /// <summary>Stage → eye matrix.</summary>
    public Matrix4x4 View => Eye.ToInverseMatrix();

    /// <summary>Eye → clip matrix (Vulkan conventions).</summary>
    public Matrix4x4 Projection => ClipSpace.OffAxisPerspective(Left, Right, Bottom, Top, NearM, FarM);

    /// <summary>Stage → clip.</summary>
    public Matrix4x4 ViewProjection => View * Projection;

    /// <summary>Horizontal field of view including overscan, degrees (symmetric frusta).</summary>
    public double HorizontalFovDeg => double.RadiansToDegrees(Math.Atan(Right) - Math.Atan(Left));

    /// <summary>Vertical field of view including overscan, degrees.</summary>
    public double VerticalFovDeg => double.RadiansToDegrees(Math.Atan(Top) - Math.Atan(Bottom));
}
