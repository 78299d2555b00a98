using Stage.Core.Space;
using Stage.Core.Time;

namespace Stage.Engine.Cluster;

/// <summary>A world rule change carried by a frame input: applied by every node before the frame's world step.</summary>
/// <param name="Name">The rule (<c>gravityScale</c>, <c>timeScale</c> …, as <see cref="IWorldHost.TrySetRule"/> takes it).</param>
/// <param name="Value">The new value.</param>
public readonly record struct WorldRuleCommand(string Name, double Value);

/// <summary>One camera's latched state in a frame input.</summary>
/// <param name="Pose">The latched pose (entrance pupil offset not applied: the camera's configuration does that on every node).</param>
/// <param name="FocalLengthMm">The lens's focal length.</param>
/// <param name="HasPose">False when the camera had no pose (NO DATA / held).</param>
/// <param name="ChromaKey">The operator's chroma-key toggle.</param>
/// <param name="Markers">The operator's tracking-marker toggle.</param>
public readonly record struct FrameInputCamera(Pose Pose, double FocalLengthMm, bool HasPose, bool ChromaKey, bool Markers);

/// <summary>
/// Everything a render node needs to draw frame N exactly as the primary does (docs/cluster.md): the frame and its
/// timecode, the world step it advances to, every camera's latched pose, lens and toggles, and the world commands
/// due before that step. The primary fills one per frame; a node receives them in order. Reused, not reallocated.
/// </summary>
public sealed class FrameInput
{
    /// <summary>Builds an input with room for <paramref name="cameraCount"/> cameras.</summary>
    public FrameInput(int cameraCount) => Cameras = new FrameInputCamera[cameraCount];

    /// <summary>The frame number (the primary's frame clock).</summary>
    public long Frame { get; set; }

    /// <summary>The frame of the input published before this one (-1: none): a node that did not follow that frame missed inputs (the clock drops frames, so numbers skip).</summary>
    public long PreviousFrame { get; set; } = -1;

    /// <summary>The frame's timecode.</summary>
    public Timecode Timecode { get; set; }

    /// <summary>The engine step the world advances to in this frame (<see cref="IWorldHost.AdvanceToStep"/>).</summary>
    public long WorldStep { get; set; }

    /// <summary>Every camera, configuration order.</summary>
    public FrameInputCamera[] Cameras { get; }

    /// <summary>World rule changes applied before this frame's step, in the order the primary applied them.</summary>
    public List<WorldRuleCommand> Commands { get; } = [];

    /// <summary>The primary's run ended with this frame: nodes stop after drawing it.</summary>
    public bool EndOfRun { get; set; }

    /// <summary>Every node stores its world snapshot after this frame's step (a divergence is being diagnosed).</summary>
    public bool DiagnosticSnapshot { get; set; }

    /// <summary>Copies <paramref name="other"/> into this input (same camera count).</summary>
    public void CopyFrom(FrameInput other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Cameras.Length != Cameras.Length) throw new ArgumentException($"a frame input of {other.Cameras.Length} cameras cannot fill one of {Cameras.Length}", nameof(other));
        (Frame, PreviousFrame, Timecode, WorldStep, EndOfRun, DiagnosticSnapshot) = (other.Frame, other.PreviousFrame, other.Timecode, other.WorldStep, other.EndOfRun, other.DiagnosticSnapshot);
        other.Cameras.CopyTo(Cameras, 0);
        Commands.Clear();
        Commands.AddRange(other.Commands);
    }
}
