namespace Stage.Engine;

/// <summary>
/// The simulated world as the engine drives it: advanced in whole fixed steps to each frame's time,
/// snapshotted at take start, reset to a snapshot by command, its rules changed by command. The
/// composition root adapts Stage.World to this (Stage.Hosting's <c>StageWorldHost</c>).
/// </summary>
public interface IWorldHost
{
    /// <summary>Fixed steps per second of simulation time (120 by default, 240 for fast action).</summary>
    int StepRateHz { get; }

    /// <summary>
    /// Engine time in steps: how far <see cref="AdvanceToStep"/> has been asked to go. Equals
    /// <see cref="WorldStep"/> at time scale 1; at time scale 0.5 the world runs half as many steps.
    /// </summary>
    long StepCount { get; }

    /// <summary>Fixed steps the world has actually run (its simulation time = steps ÷ step rate).</summary>
    long WorldStep { get; }

    /// <summary>
    /// Moves engine time to <paramref name="step"/> (in steps) and runs the whole world steps that
    /// time covers at the world's time scale; returns the world steps run.
    /// </summary>
    int AdvanceToStep(long step);

    /// <summary>The state hash after the last step.</summary>
    ulong StateHash { get; }

    /// <summary>A snapshot of the whole world now.</summary>
    byte[] Snapshot();

    /// <summary>
    /// Writes a snapshot of the whole world now to <paramref name="path"/> crash-safely: a
    /// temporary file beside it flushed to disk, renamed over the path, and the folder flushed.
    /// </summary>
    void SaveSnapshot(string path);

    /// <summary>Puts the world back to a snapshot (its step count included).</summary>
    void Restore(ReadOnlySpan<byte> snapshot);

    /// <summary>
    /// Changes a world rule from the next step on. Returns false with the reason in
    /// <paramref name="message"/> when the rule or value is not accepted; on success the message
    /// says what changed.
    /// </summary>
    bool TrySetRule(string name, double value, out string message);
}
