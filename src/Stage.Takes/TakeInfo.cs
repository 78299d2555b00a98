using Stage.Core.Time;

namespace Stage.Takes;

/// <summary>One take as the log holds it.</summary>
public sealed record TakeInfo
{
    /// <summary>Database id, unique across days.</summary>
    public required long Id { get; init; }
    /// <summary>The shoot day (local date, rolling over at 06:00).</summary>
    public required DateOnly Day { get; init; }
    /// <summary>Scene / slate, as the 2nd AC writes it on the slate ("12A").</summary>
    public required string Scene { get; init; }
    /// <summary>Take number within the scene on this day, from 1.</summary>
    public required int TakeNumber { get; init; }
    /// <summary>The hero camera's grade (ASC CDL) at the take's last frame, or null when the take recorded none.</summary>
    public Stage.Core.Colour.AscCdl? CameraCdl { get; init; }

    /// <summary>The hero camera's id.</summary>
    public required string Camera { get; init; }
    /// <summary>Focal length at the start of the take, mm.</summary>
    public required double FocalLengthMm { get; init; }
    /// <summary>Sensor width of the hero camera, mm.</summary>
    public required double SensorWidthMm { get; init; }
    /// <summary>Sensor height of the hero camera, mm.</summary>
    public required double SensorHeightMm { get; init; }
    /// <summary>Frame rate of the take.</summary>
    public required FrameRate FrameRate { get; init; }
    /// <summary>True when timecode is counted drop-frame.</summary>
    public required bool DropFrame { get; init; }
    /// <summary>Timecode of the first frame.</summary>
    public required Timecode Start { get; init; }
    /// <summary>Frames recorded.</summary>
    public required long FrameCount { get; init; }
    /// <summary>Frames the engine dropped during the take.</summary>
    public required long DroppedFrames { get; init; }
    /// <summary>World state hash at the start (hex), or "".</summary>
    public required string StartStateHash { get; init; }
    /// <summary>World state hash at the end (hex), or "".</summary>
    public required string EndStateHash { get; init; }
    /// <summary>Circled (a keeper).</summary>
    public required bool Circled { get; init; }
    /// <summary>Marked no-good.</summary>
    public required bool NoGood { get; init; }
    /// <summary>Recording, complete or interrupted.</summary>
    public required TakeStatus Status { get; init; }
    /// <summary>Notes in the order given.</summary>
    public required IReadOnlyList<string> Notes { get; init; }
    /// <summary>UTC time the take started (for the log only; never used by the simulation).</summary>
    public required DateTime StartedUtc { get; init; }
    /// <summary>The stage configuration file the take was shot with (null for takes logged before it was recorded).</summary>
    public string? StageConfigPath { get; init; }

    /// <summary>The render cluster's nodes that drew the take and their agreement with the primary (empty: one machine; docs/cluster.md).</summary>
    public IReadOnlyList<TakeNode> Nodes { get; init; } = [];

    /// <summary>"4 nodes agreed", "render-2 DIVERGED at take frame 81", "" for one machine: the cluster's verdict on the take in a few words.</summary>
    public string ClusterVerdict => Nodes.Count == 0 ? ""
        : Nodes.FirstOrDefault(n => n.Drew && !n.Primary && !n.Agreed) is { } bad ? bad.Verdict
        : $"{Nodes.Count(n => n.Drew)} of {Nodes.Count} nodes drew, all agreed";

    /// <summary>Timecode one past the last frame (the ALE "End").</summary>
    public Timecode End => Start + FrameCount;

    /// <summary>Timecode of the last frame (the start when empty).</summary>
    public Timecode LastFrame => FrameCount == 0 ? Start : Start + (FrameCount - 1);

    /// <summary>A clip name editorial can sort: "A_S12_T003".</summary>
    public string ClipName => $"{Camera}_S{Sanitise(Scene)}_T{TakeNumber:000}";

    /// <summary>Vertical field of view of the lens at the start of the take, degrees.</summary>
    public double VerticalFovDeg => double.RadiansToDegrees(2 * Math.Atan(SensorHeightMm / (2 * FocalLengthMm)));

    private static string Sanitise(string text) => new(text.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
