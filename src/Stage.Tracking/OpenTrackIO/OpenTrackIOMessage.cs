using System.Numerics;
using System.Text;
using Stage.Core.Time;

namespace Stage.Tracking.OpenTrackIO;

/// <summary>
/// The fields of one OpenTrackIO sample that Stage uses, already in stage space. One instance is reused by
/// a source for every message (its buffers are fixed), so parsing allocates nothing.
/// </summary>
public sealed class OpenTrackIOMessage
{
    /// <summary>Most transforms a sample may chain.</summary>
    public const int MaxTransforms = 16;

    /// <summary>Longest identifier (sourceId, camera label, transform id) kept, in UTF-8 bytes; longer ones are not matchable.</summary>
    public const int MaxIdentifierBytes = 128;

    private readonly byte[] _sourceId = new byte[MaxIdentifierBytes];
    private readonly byte[] _cameraLabel = new byte[MaxIdentifierBytes];
    private readonly byte[] _lastTransformId = new byte[MaxIdentifierBytes];
    private int _sourceIdLength = -1;
    private int _cameraLabelLength = -1;
    private int _lastTransformIdLength = -1;

    /// <summary>Number of transforms in the sample (0 for static-only or lens-only samples).</summary>
    public int TransformCount { get; internal set; }

    /// <summary>Position of the camera (the transforms composed), stage space, metres.</summary>
    public Vector3 PositionM { get; internal set; }

    /// <summary>Orientation of the camera (the transforms composed), stage space.</summary>
    public Quaternion Orientation { get; internal set; } = Quaternion.Identity;

    /// <summary>lens.pinholeFocalLength, millimetres; NaN when absent.</summary>
    public double FocalLengthMm { get; internal set; } = double.NaN;

    /// <summary>lens.focusDistance, metres; NaN when absent.</summary>
    public double FocusDistanceM { get; internal set; } = double.NaN;

    /// <summary>lens.entrancePupilOffset, metres; NaN when absent.</summary>
    public double EntrancePupilOffsetM { get; internal set; } = double.NaN;

    /// <summary>lens.fStop (else lens.tStop), f-number; NaN when absent.</summary>
    public double Iris { get; internal set; } = double.NaN;

    /// <summary>timing.timecode, when present and valid.</summary>
    public Timecode? Timecode { get; internal set; }

    /// <summary>True when timing.timecode was present but not valid SMPTE timecode.</summary>
    public bool TimecodeInvalid { get; internal set; }

    /// <summary>timing.sequenceNumber; −1 when absent.</summary>
    public long SampleSequenceNumber { get; internal set; } = -1;

    /// <summary>sourceNumber; −1 when absent.</summary>
    public long SourceNumber { get; internal set; } = -1;

    /// <summary>sourceId as UTF-8 (empty when absent).</summary>
    public ReadOnlySpan<byte> SourceIdUtf8 => _sourceIdLength < 0 ? default : _sourceId.AsSpan(0, _sourceIdLength);

    /// <summary>static.camera.label as UTF-8 (empty when absent).</summary>
    public ReadOnlySpan<byte> CameraLabelUtf8 => _cameraLabelLength < 0 ? default : _cameraLabel.AsSpan(0, _cameraLabelLength);

    /// <summary>The id of the last transform (the camera's) as UTF-8 (empty when absent).</summary>
    public ReadOnlySpan<byte> LastTransformIdUtf8 => _lastTransformIdLength < 0 ? default : _lastTransformId.AsSpan(0, _lastTransformIdLength);

    /// <summary>True when sourceId was present (and short enough to keep).</summary>
    public bool HasSourceId => _sourceIdLength >= 0;

    /// <summary>True when static.camera.label was present.</summary>
    public bool HasCameraLabel => _cameraLabelLength >= 0;

    /// <summary>sourceId as a string (allocates; for monitors and tests), or null.</summary>
    public string? SourceId => HasSourceId ? Encoding.UTF8.GetString(SourceIdUtf8) : null;

    /// <summary>static.camera.label as a string (allocates), or null.</summary>
    public string? CameraLabel => HasCameraLabel ? Encoding.UTF8.GetString(CameraLabelUtf8) : null;

    /// <summary>The last transform's id as a string (allocates), or null.</summary>
    public string? LastTransformId => _lastTransformIdLength >= 0 ? Encoding.UTF8.GetString(LastTransformIdUtf8) : null;

    internal void Reset()
    {
        TransformCount = 0;
        PositionM = Vector3.Zero;
        Orientation = Quaternion.Identity;
        FocalLengthMm = FocusDistanceM = EntrancePupilOffsetM = Iris = double.NaN;
        Timecode = null;
        TimecodeInvalid = false;
        SampleSequenceNumber = -1;
        SourceNumber = -1;
        _sourceIdLength = _cameraLabelLength = _lastTransformIdLength = -1;
    }

    internal void SetSourceId(ReadOnlySpan<byte> utf8) => _sourceIdLength = Keep(utf8, _sourceId);

    internal void SetCameraLabel(ReadOnlySpan<byte> utf8) => _cameraLabelLength = Keep(utf8, _cameraLabel);

    internal void SetLastTransformId(ReadOnlySpan<byte> utf8) => _lastTransformIdLength = Keep(utf8, _lastTransformId);

    internal void ClearLastTransformId() => _lastTransformIdLength = -1;

    private static int Keep(ReadOnlySpan<byte> utf8, byte[] into)
    {
        if (utf8.Length > into.Length) return -1;
        utf8.CopyTo(into);
        return utf8.Length;
    }
}
