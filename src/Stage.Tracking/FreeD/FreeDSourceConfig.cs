using Stage.Core.Configuration;

namespace Stage.Tracking.FreeD;

/// <summary>One point of a lens encoder calibration: raw encoder value → physical value.</summary>
/// <param name="Encoder">Raw 24-bit encoder value.</param>
/// <param name="Value">Focal length in mm, or focus distance in m.</param>
public readonly record struct CalibrationPoint(int Encoder, double Value);

/// <summary>FreeD D1 over UDP (29-byte packets from pan bars, cranes and optical trackers).</summary>
public sealed record FreeDSourceConfig : TrackingSourceConfig
{
    /// <summary>Local address to bind.</summary>
    public required string BindAddress { get; init; }

    /// <summary>The FreeD camera id (byte 1 of each packet, 0–255) this source accepts; packets of other ids are counted and dropped.</summary>
    public required int CameraId { get; init; }

    /// <summary>Zoom encoder → focal length (mm) table, ascending encoder values; empty when the lens is fixed.</summary>
    public required IReadOnlyList<CalibrationPoint> ZoomToFocalLengthMm { get; init; }

    /// <summary>Focus encoder → focus distance (m) table, ascending encoder values; may be empty.</summary>
    public required IReadOnlyList<CalibrationPoint> FocusToDistanceM { get; init; }

    /// <inheritdoc/>
    public override string Kind => "freed";

    /// <inheritdoc/>
    public override string Endpoint => BindAddress;
}
