using Stage.Physics;

namespace Stage.World;

/// <summary>
/// The world's rules — its creative truth. They change during a run only by command
/// (<see cref="SetRulesCommand"/>), and each change is logged as an event at the step it takes effect.
/// </summary>
public sealed record WorldRules
{
    /// <summary>Gravity direction and magnitude, m/s², stage space (+Y up).</summary>
    public Vector3D GravityMps2 { get; init; } = new(0, -9.81, 0);

    /// <summary>Multiplies <see cref="GravityMps2"/> for the whole world.</summary>
    public double GravityScale { get; init; } = 1;

    /// <summary>
    /// Simulation seconds per engine second: 0.5 is slow motion. It changes how many fixed steps
    /// <see cref="StageWorld.Advance(TimeSpan)"/> takes per engine second, never the step itself, so
    /// the physics of each step (and every hash) is the same at any time scale.
    /// </summary>
    public double TimeScale { get; init; } = 1;

    /// <summary>Linear velocity decay rate, 1/s (velocity × e^(−rate·t)); 0 = none.</summary>
    public double LinearDampingPerS { get; init; }

    /// <summary>Angular velocity decay rate, 1/s; 0 = none.</summary>
    public double AngularDampingPerS { get; init; }

    /// <summary>Contacts whose approach speed is at least this raise a <see cref="ContactEvent"/>, m/s.</summary>
    public double ContactEventThresholdMps { get; init; } = 0.5;

    /// <summary>The gravity bodies feel: <see cref="GravityMps2"/> × <see cref="GravityScale"/>.</summary>
    public Vector3D EffectiveGravityMps2 => GravityMps2 * GravityScale;

    /// <summary>Checks every value; returns the faults (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var faults = new List<string>();
        if (!GravityMps2.IsFinite) faults.Add("gravityMps2 must be finite");
        if (!double.IsFinite(GravityScale)) faults.Add("gravityScale must be finite");
        if (!(TimeScale > 0) || !double.IsFinite(TimeScale)) faults.Add("timeScale must be positive");
        if (!(LinearDampingPerS >= 0) || !double.IsFinite(LinearDampingPerS)) faults.Add("linearDampingPerS must be at least 0");
        if (!(AngularDampingPerS >= 0) || !double.IsFinite(AngularDampingPerS)) faults.Add("angularDampingPerS must be at least 0");
        if (!(ContactEventThresholdMps >= 0) || !double.IsFinite(ContactEventThresholdMps)) faults.Add("contactEventThresholdMps must be at least 0");
        return faults;
    }
}

/// <summary>Fixed settings of a world, chosen when it is created and kept in its snapshots.</summary>
public sealed record WorldSettings
{
    /// <summary>Fixed steps per simulated second (120 by default; 240 for fast action).</summary>
    public int StepHz { get; init; } = 120;

    /// <summary>The physics solver's random seed at step 0.</summary>
    public ulong SolverSeed { get; init; } = 1;

    /// <summary>Quick-step iterations per step.</summary>
    public int SolverIterations { get; init; } = 20;

    /// <summary>Whether resting bodies go to sleep (Stage's own counters).</summary>
    public bool SleepEnabled { get; init; } = true;

    /// <summary>Seconds per step.</summary>
    public double StepSeconds => 1.0 / StepHz;
}
