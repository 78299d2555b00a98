namespace Stage.Engine;

/// <summary>
/// The simulated world as the engine drives it: advanced in whole fixed steps to each frame's time,
/// snapshotted at take start, reset to a snapshot by command, its rules changed by command. The
/// composition root adapts Stage.World to this.
/// </summary>
public interface IWorldHost
{
    /// <summary>Fixed steps per second of simulation time (120 by default, 240 for fast action).</summary>
    int StepRateHz { get; }

    /// <summary>Fixed steps run so far (simulation time = steps ÷ step rate).</summary>
    long StepCount { get; }

    /// <summary>Runs whole steps until <see cref="StepCount"/> reaches <paramref name="step"/>; returns the steps run.</summary>
    int AdvanceToStep(long step);

    /// <summary>The state hash after the last step.</summary>
    ulong StateHash { get; }

    /// <summary>A snapshot of the whole world now.</summary>
    byte[] Snapshot();

    /// <summary>Puts the world back to a snapshot (its step count included).</summary>
    void Restore(ReadOnlySpan<byte> snapshot);

    /// <summary>Changes a world rule from the next step on; false with a reason when the rule or value is not accepted.</summary>
    bool TrySetRule(string name, double value, out string error);
}
