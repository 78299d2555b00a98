namespace Stage.Physics;

/// <summary>
/// When Stage puts a resting body to sleep. ODE's own auto-disable is not used: its counters
/// cannot be read or restored, so snapshots could not be exact. Stage keeps one counter per
/// body instead (part of <see cref="BodyState"/>): a body whose linear and angular speeds stay
/// below the thresholds for <see cref="StepsBeforeSleep"/> consecutive steps is disabled in
/// ODE with its velocities zeroed. It wakes when an awake body touches it (ODE re-enables
/// bodies it reaches through contacts or joints), or by command.
/// </summary>
/// <param name="Enabled">Whether bodies sleep at all.</param>
/// <param name="LinearSpeedThresholdMps">Speed below which a body counts as resting.</param>
/// <param name="AngularSpeedThresholdRadps">Angular speed below which a body counts as resting.</param>
/// <param name="StepsBeforeSleep">Consecutive resting steps before it sleeps (≥ 1).</param>
public readonly record struct SleepSettings(
    bool Enabled,
    double LinearSpeedThresholdMps,
    double AngularSpeedThresholdRadps,
    int StepsBeforeSleep)
{
    /// <summary>On: 2 cm/s, 0.05 rad/s, half a second at 120 Hz.</summary>
    public static SleepSettings Default => new(true, 0.02, 0.05, 60);

    /// <summary>Bodies never sleep.</summary>
    public static SleepSettings Off => new(false, 0, 0, 1);

    internal void Validate()
    {
        if (!(LinearSpeedThresholdMps >= 0) || !double.IsFinite(LinearSpeedThresholdMps)) throw new ArgumentException($"Sleep linear threshold must be finite and ≥ 0 (got {LinearSpeedThresholdMps}).");
        if (!(AngularSpeedThresholdRadps >= 0) || !double.IsFinite(AngularSpeedThresholdRadps)) throw new ArgumentException($"Sleep angular threshold must be finite and ≥ 0 (got {AngularSpeedThresholdRadps}).");
        if (StepsBeforeSleep < 1) throw new ArgumentException($"StepsBeforeSleep must be ≥ 1 (got {StepsBeforeSleep}).");
    }
}

/// <summary>How a <see cref="PhysicsWorld"/> simulates. Values are fixed for the world's life except gravity.</summary>
public sealed record PhysicsWorldSettings
{
    /// <summary>Gravity in m/s² (stage space, +Y up).</summary>
    public Vector3D GravityMps2 { get; init; } = new(0, -9.81, 0);

    /// <summary>The fixed step in seconds (default 1/120 s).</summary>
    public double StepSeconds { get; init; } = 1.0 / 120.0;

    /// <summary>Quick-step solver iterations per step.</summary>
    public int SolverIterations { get; init; } = 20;

    /// <summary>Quick-step successive over-relaxation factor (ODE's default 1.3).</summary>
    public double SolverOverRelaxation { get; init; } = 1.3;

    /// <summary>Global error reduction parameter (fraction of joint/contact error fixed per step).</summary>
    public double Erp { get; init; } = 0.2;

    /// <summary>Global constraint force mixing (softness of every constraint).</summary>
    public double Cfm { get; init; } = 1e-5;

    /// <summary>Penetration allowed before contacts push back, which keeps resting contacts steady.</summary>
    public double ContactSurfaceLayerM { get; init; } = 0.001;

    /// <summary>Largest speed at which contacts push penetrating bodies apart (+∞ = no limit).</summary>
    public double ContactMaxCorrectingVelocityMps { get; init; } = 10;

    /// <summary>Most contact points generated per pair of geoms (1 to 64).</summary>
    public int MaxContactsPerPair { get; init; } = 8;

    /// <summary>The quick-step solver's random seed at step 0 (it shuffles constraint order).</summary>
    public ulong RandomSeed { get; init; }

    /// <summary>World linear damping, fraction of linear velocity removed per step (0 to 1).</summary>
    public double LinearDamping { get; init; }

    /// <summary>World angular damping, fraction of angular velocity removed per step (0 to 1).</summary>
    public double AngularDamping { get; init; }

    /// <summary>When resting bodies sleep.</summary>
    public SleepSettings Sleep { get; init; } = SleepSettings.Default;

    /// <summary>Smallest hash-space cell, as a power of two of metres (ODE default −3: 12.5 cm).</summary>
    public int HashSpaceMinLevel { get; init; } = -3;

    /// <summary>Largest hash-space cell, as a power of two of metres (ODE default 10: 1024 m).</summary>
    public int HashSpaceMaxLevel { get; init; } = 10;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!GravityMps2.IsFinite) throw new ArgumentException($"GravityMps2 must be finite (got {GravityMps2}).");
        if (!(StepSeconds > 0) || !double.IsFinite(StepSeconds)) throw new ArgumentException($"StepSeconds must be finite and > 0 (got {StepSeconds}).");
        if (SolverIterations < 1) throw new ArgumentException($"SolverIterations must be ≥ 1 (got {SolverIterations}).");
        if (!(SolverOverRelaxation > 0 && SolverOverRelaxation < 2)) throw new ArgumentException($"SolverOverRelaxation must be in (0, 2) (got {SolverOverRelaxation}).");
        if (!(Erp >= 0 && Erp <= 1)) throw new ArgumentException($"Erp must be in [0, 1] (got {Erp}).");
        if (!(Cfm >= 0) || !double.IsFinite(Cfm)) throw new ArgumentException($"Cfm must be finite and ≥ 0 (got {Cfm}).");
        if (!(ContactSurfaceLayerM >= 0) || !double.IsFinite(ContactSurfaceLayerM)) throw new ArgumentException($"ContactSurfaceLayerM must be finite and ≥ 0 (got {ContactSurfaceLayerM}).");
        if (!(ContactMaxCorrectingVelocityMps > 0)) throw new ArgumentException($"ContactMaxCorrectingVelocityMps must be > 0 (got {ContactMaxCorrectingVelocityMps}).");
        if (MaxContactsPerPair is < 1 or > 64) throw new ArgumentException($"MaxContactsPerPair must be in 1..64 (got {MaxContactsPerPair}).");
        if (!(LinearDamping >= 0 && LinearDamping <= 1)) throw new ArgumentException($"LinearDamping must be in [0, 1] (got {LinearDamping}).");
        if (!(AngularDamping >= 0 && AngularDamping <= 1)) throw new ArgumentException($"AngularDamping must be in [0, 1] (got {AngularDamping}).");
        if (HashSpaceMinLevel > HashSpaceMaxLevel) throw new ArgumentException($"HashSpaceMinLevel ({HashSpaceMinLevel}) must be ≤ HashSpaceMaxLevel ({HashSpaceMaxLevel}).");
        Sleep.Validate();
    }
}
