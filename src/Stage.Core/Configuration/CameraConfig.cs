using System.Numerics;

namespace Stage.Core.Configuration;

/// <summary>A tracked cinema camera: sensor, default lens, inner frustum and its tracking source.</summary>
public sealed record CameraConfig
{
    /// <summary>Unique camera id ("A", "B" …), as the crew names cameras.</summary>
    public required string Id { get; init; }

    /// <summary>Sensor (active image area) width in millimetres.</summary>
    public required double SensorWidthMm { get; init; }

    /// <summary>Sensor height in millimetres.</summary>
    public required double SensorHeightMm { get; init; }

    /// <summary>Focal length used until the tracker reports one, millimetres.</summary>
    public required double FocalLengthMm { get; init; }

    /// <summary>How much wider than the lens's view the inner frustum is rendered, percent of each side.</summary>
    public required double OverscanPercent { get; init; }

    /// <summary>Inner-frustum render width in pixels.</summary>
    public required int InnerWidthPx { get; init; }

    /// <summary>Inner-frustum render height in pixels.</summary>
    public required int InnerHeightPx { get; init; }

    /// <summary>Id of the tracking source that feeds this camera.</summary>
    public required string SourceId { get; init; }

    /// <summary>The camera's id inside its source's stream (FreeD camera id, OpenTrackIO subject, OSC pattern value); defaults to <see cref="Id"/>.</summary>
    public required string TrackedId { get; init; }

    /// <summary>Entrance pupil relative to the tracked point, camera space, metres (when the tracker does not report it).</summary>
    public Vector3 EntrancePupilOffsetM { get; init; }

    /// <summary>The grade of the camera's inner frustum (ASC CDL; identity by default), set live over OSC too.</summary>
    public Stage.Core.Colour.AscCdl Cdl { get; init; } = Stage.Core.Colour.AscCdl.Identity;

    /// <summary>Horizontal field of view of the lens (no overscan), degrees.</summary>
    public double HorizontalFovDeg => double.RadiansToDegrees(2 * Math.Atan(SensorWidthMm / (2 * FocalLengthMm)));

    /// <summary>Vertical field of view of the lens (no overscan), degrees.</summary>
    public double VerticalFovDeg => double.RadiansToDegrees(2 * Math.Atan(SensorHeightMm / (2 * FocalLengthMm)));
}
