using Stage.Core.Time;

namespace Stage.Core.Configuration;

/// <summary>
/// A whole stage: walls, output canvases, cameras, tracking sources, control, frame rate, world and
/// take log. Produced only by <see cref="StageConfigLoader"/>, so an instance is always valid.
/// </summary>
public sealed record StageConfig
{
    /// <summary>Human name of the stage.</summary>
    public required string Name { get; init; }

    /// <summary>Full path of the file it was read from ("" when read from text).</summary>
    public required string SourcePath { get; init; }

    /// <summary>Frame rate of the walls and the take log.</summary>
    public required FrameRate FrameRate { get; init; }

    /// <summary>LED surfaces, in configuration order.</summary>
    public required IReadOnlyList<Wall> Walls { get; init; }

    /// <summary>Output canvases, in configuration order.</summary>
    public required IReadOnlyList<OutputCanvas> Outputs { get; init; }

    /// <summary>Cameras in priority order (the first wins where inner frusta overlap).</summary>
    public required IReadOnlyList<CameraConfig> Cameras { get; init; }

    /// <summary>Tracking inputs.</summary>
    public required IReadOnlyList<TrackingSourceConfig> TrackingSources { get; init; }

    /// <summary>The OSC control surface.</summary>
    public required ControlConfig Control { get; init; }

    /// <summary>The world scene file (full path), or null for an empty world.</summary>
    public string? WorldScenePath { get; init; }

    /// <summary>The take database (full path).</summary>
    public required string TakeDatabasePath { get; init; }

    /// <summary>The wall with this id, or null.</summary>
    public Wall? FindWall(string id) => Walls.FirstOrDefault(w => w.Id == id);

    /// <summary>The source with this id, or null.</summary>
    public TrackingSourceConfig? FindSource(string id) => TrackingSources.FirstOrDefault(s => s.Id == id);
}

/// <summary>Where the OSC control surface listens.</summary>
/// <param name="BindAddress">Local address to bind.</param>
/// <param name="Port">UDP port (TCP with SLIP framing listens on the same number).</param>
public sealed record ControlConfig(string BindAddress, int Port);
