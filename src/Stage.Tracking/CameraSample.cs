using System.Numerics;
using Stage.Core.Space;
using Stage.Core.Time;

namespace Stage.Tracking;

/// <summary>
/// One tracked camera measurement in stage space (right-handed, metres, +Y up), as a source adapter
/// produced it from a protocol packet. Lens values a protocol does not carry are <see cref="double.NaN"/>.
/// A plain value: copying it never allocates, so sources and pose buffers pass it around freely.
/// </summary>
public readonly record struct CameraSample
{
    /// <summary>The stage camera id (<c>CameraConfig.Id</c>) this sample belongs to.</summary>
    public required string CameraId { get; init; }

    /// <summary>Position of the tracked point in stage space, metres.</summary>
    public required Vector3 PositionM { get; init; }

    /// <summary>Unit quaternion taking camera space (−Z forward, +Y up) to stage space.</summary>
    public required Quaternion Orientation { get; init; }

    /// <summary>Lens focal length in millimetres; NaN when the source does not know it.</summary>
    public double FocalLengthMm { get; init; }

    /// <summary>Focus distance in metres; NaN when unknown.</summary>
    public double FocusDistanceM { get; init; }

    /// <summary>Iris as an f-number (f/2.8 → 2.8); NaN when unknown.</summary>
    public double Iris { get; init; }

    /// <summary>Entrance pupil distance along the view axis from the tracked point, metres (positive forward); NaN when unknown.</summary>
    public double EntrancePupilOffsetM { get; init; }

    /// <summary>Timecode the source stamped on the sample, when the protocol carries one (OpenTrackIO does, FreeD does not).</summary>
    public Timecode? SourceTimecode { get; init; }

    /// <summary>Monotonic receive time (<see cref="System.Diagnostics.Stopwatch"/> ticks), taken as the datagram left the socket.</summary>
    public required long ReceiveTicks { get; init; }

    /// <summary>Sequence number: the protocol's when it has one, else the source's own count of accepted packets.</summary>
    public long SequenceNumber { get; init; }

    /// <summary>Position and orientation as a stage-space pose.</summary>
    public Pose Pose => new(PositionM, Orientation);

    /// <summary>True when <see cref="FocalLengthMm"/> is known.</summary>
    public bool HasFocalLength => !double.IsNaN(FocalLengthMm);

    /// <summary>True when <see cref="FocusDistanceM"/> is known.</summary>
    public bool HasFocusDistance => !double.IsNaN(FocusDistanceM);

    /// <summary>True when <see cref="Iris"/> is known.</summary>
    public bool HasIris => !double.IsNaN(Iris);

    /// <summary>True when <see cref="EntrancePupilOffsetM"/> is known.</summary>
    public bool HasEntrancePupilOffset => !double.IsNaN(EntrancePupilOffsetM);

    /// <summary>A sample with every lens value unknown.</summary>
    public static CameraSample Create(string cameraId, Vector3 positionM, Quaternion orientation, long receiveTicks, long sequenceNumber) => new()
    {
        CameraId = cameraId,
        PositionM = positionM,
        Orientation = orientation,
        FocalLengthMm = double.NaN,
        FocusDistanceM = double.NaN,
        Iris = double.NaN,
        EntrancePupilOffsetM = double.NaN,
        ReceiveTicks = receiveTicks,
        SequenceNumber = sequenceNumber,
    };

    /// <summary>
    /// True when position is finite and the orientation a finite quaternion of unit length (within 1e-3):
    /// the check every source makes before a sample may reach a pose buffer.
    /// </summary>
    public bool IsPlausible()
    {
        if (!float.IsFinite(PositionM.X) || !float.IsFinite(PositionM.Y) || !float.IsFinite(PositionM.Z)) return false;
        Quaternion q = Orientation;
        if (!float.IsFinite(q.X) || !float.IsFinite(q.Y) || !float.IsFinite(q.Z) || !float.IsFinite(q.W)) return false;
        return Math.Abs(q.Length() - 1f) < 1e-3f;
    }
}
