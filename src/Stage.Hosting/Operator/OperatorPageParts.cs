using Microsoft.Extensions.Logging;
using Stage.Core.Configuration;
using Stage.Hosting.World;
using Stage.Tracking;

namespace Stage.Hosting.Operator;

/// <summary>What the operator page shows and drives: the parts of a run, handed over by its composition.</summary>
public sealed record OperatorPageParts
{
    /// <summary>The stage (walls, outputs, cameras for the map and the tables; <c>operator.web</c> for the server).</summary>
    public required StageConfig Stage { get; init; }

    /// <summary>The running engine: its commands, its queue and its status board.</summary>
    public required Stage.Engine.FrameLoop Engine { get; init; }

    /// <summary>The cameras' pose buffers and the tracking sources, read directly (they are made for readers on other threads).</summary>
    public required TrackingSystem Tracking { get; init; }

    /// <summary>The world, for the map and the rules (null: the run has none).</summary>
    public StageWorldHost? World { get; init; }

    /// <summary>The take log's path (read through a connection of the page's own).</summary>
    public required string TakeLogPath { get; init; }

    /// <summary>The thumbnails (null: none taken).</summary>
    public ThumbnailTap? Thumbnails { get; init; }

    /// <summary>Whether a page looks (shared with <see cref="Thumbnails"/>).</summary>
    public required PageWatch Watch { get; init; }

    /// <summary>The recent warnings of the run's log.</summary>
    public required RecentWarnings Warnings { get; init; }

    /// <summary>The run's logging (the page logs its commands as the control surface does, and Kestrel's own lines go there).</summary>
    public required ILoggerFactory Logging { get; init; }
}
