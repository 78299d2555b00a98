using Stage.Engine.Cluster;

namespace Stage.Engine;

/// <summary>How a run goes.</summary>
public sealed record EngineOptions
{
    /// <summary>Stop when the clock reaches this frame, dropped frames included, so it is a duration (null: until cancelled).</summary>
    public long? MaxFrames { get; init; }

    /// <summary>Print a status line every this many frames (about once a second at the stage rate).</summary>
    public int StatusEveryFrames { get; init; } = 24;

    /// <summary>Structured status snapshots (<see cref="FrameLoop.StatusBoard"/>) published per second of the engine's clock.</summary>
    public double StatusSnapshotsPerSecond { get; init; } = 10;

    /// <summary>How long a control command waits for the engine thread.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Latch poses for this far ahead of the frame's start: the time the picture appears on the wall, so the
    /// pose buffer can extrapolate (or the tracker's delay line up) to it.
    /// </summary>
    public double DisplayLatencyMs { get; init; }

    /// <summary>Start a take of this slate on the first frame and stop it at the end of the run (scripted runs, the demo); null: takes by command only.</summary>
    public string? RecordTakeSlate { get; init; }

    /// <summary>
    /// Label frames with the hero camera's tracking timecode (OpenTrackIO carries one) instead of the
    /// free-running clock's, where the tracker sends it at the stage's rate; frames stay paced by the
    /// monotonic clock either way.
    /// </summary>
    public bool TimecodeFromTracking { get; init; }

    /// <summary>The render cluster this loop is a node of (docs/cluster.md), or null for a stage on one machine.</summary>
    public IFrameLink? Cluster { get; init; }
}
