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

    /// <summary>
    /// Sun seconds per simulated second for a placed sun (<see cref="PlacedSun"/>): 1 keeps the sun
    /// on the world's own time, 0 holds the time of day ("golden hour all afternoon"), 60 runs a
    /// minute of sun a second. The sun's clock is world state (<see cref="StageWorld.SunUtcTicks"/>).
    /// </summary>
    public double TimeOfDayScale { get; init; } = 1;

    /// <summary>Linear velocity decay rate, 1/s (velocity × e^(−rate·t)); 0 = none.</summary>
    public double LinearDampingPerS { get; init; }

    /// <summary>Angular velocity decay rate, 1/s; 0 = none.</summary>
    public double AngularDampingPerS { get; init; }

    /// <summary>Contacts whose approach speed is at least this raise a <see cref="ContactEvent"/>, m/s.</summary>
    public double ContactEventThresholdMps { get; init; } = 0.5;

    /// <summary>The gravity bodies feel: <see cref="GravityMps2"/> × <see cref="GravityScale"/>.</summary>
    public Vector3D EffectiveGravityMps2 => GravityMps2 * GravityScale;

    /// <summary>
    /// Checks every value against <see cref="WorldLimits"/>; returns the faults as "field reason"
    /// (empty when valid). A rules command, the scene loader and the snapshot decoder all use it.
    /// </summary>
    public IReadOnlyList<string> Validate() => [.. FindFaults().Select(f => $"{f.Field} {f.Message}")];

    /// <summary>Every fault, each with its field (<c>gravityScale</c>) and the reason.</summary>
    public IReadOnlyList<(string Field, string Message)> FindFaults()
    {
        var faults = new List<(string, string)>();
        double maxG = PhysicsLimits.MaxGravityMps2;
        if (!(GravityMps2.Length <= maxG)) faults.Add(("gravityMps2", $"must be finite and at most {WorldLimits.N(maxG)} m/s² long (got {WorldLimits.Show(GravityMps2)})"));
        if (!double.IsFinite(GravityScale)) faults.Add(("gravityScale", "must be finite"));
        else if (!(Math.Abs(GravityScale) <= WorldLimits.MaxGravityScale)) faults.Add(("gravityScale", $"must be between {WorldLimits.N(-WorldLimits.MaxGravityScale)} and {WorldLimits.N(WorldLimits.MaxGravityScale)} (got {WorldLimits.N(GravityScale)})"));
        else if (faults.Count == 0 && !(EffectiveGravityMps2.Length <= maxG)) faults.Add(("gravityScale", $"makes gravity {WorldLimits.N(EffectiveGravityMps2.Length)} m/s², more than {WorldLimits.N(maxG)}"));
        if (!(TimeScale > 0) || !double.IsFinite(TimeScale)) faults.Add(("timeScale", "must be positive"));
        else if (TimeScale > WorldLimits.MaxTimeScale) faults.Add(("timeScale", $"must be at most {WorldLimits.N(WorldLimits.MaxTimeScale)} (got {WorldLimits.N(TimeScale)})"));
        if (!(TimeOfDayScale >= 0 && TimeOfDayScale <= WorldLimits.MaxTimeOfDayScale)) faults.Add(("timeOfDayScale", $"must be between 0 (hold) and {WorldLimits.N(WorldLimits.MaxTimeOfDayScale)} (got {WorldLimits.N(TimeOfDayScale)})"));
        if (!(LinearDampingPerS >= 0 && LinearDampingPerS <= WorldLimits.MaxDampingPerS)) faults.Add(("linearDampingPerS", $"must be between 0 and {WorldLimits.N(WorldLimits.MaxDampingPerS)} (got {WorldLimits.N(LinearDampingPerS)})"));
        if (!(AngularDampingPerS >= 0 && AngularDampingPerS <= WorldLimits.MaxDampingPerS)) faults.Add(("angularDampingPerS", $"must be between 0 and {WorldLimits.N(WorldLimits.MaxDampingPerS)} (got {WorldLimits.N(AngularDampingPerS)})"));
        if (!(ContactEventThresholdMps >= 0 && ContactEventThresholdMps <= PhysicsLimits.MaxSpeedMps)) faults.Add(("contactEventThresholdMps", $"must be between 0 and {WorldLimits.N(PhysicsLimits.MaxSpeedMps)} m/s (got {WorldLimits.N(ContactEventThresholdMps)})"));
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

    /// <summary>The box bodies live in, and what happens to one that leaves it (<see cref="WorldBound.Default"/> unless the scene says).</summary>
    public WorldBound Bound { get; init; } = WorldBound.Default;

    /// <summary>The sun: none (the renderer's own), a fixed direction, or a place and a clock.</summary>
    public SunSetting? Sun { get; init; }

    /// <summary>Seconds per step.</summary>
    public double StepSeconds => 1.0 / StepHz;

    /// <summary>Every fault, each with its field (<c>stepHz</c>, <c>bound.minM</c>) and the reason.</summary>
    public IReadOnlyList<(string Field, string Message)> FindFaults()
    {
        var faults = new List<(string, string)>();
        if (StepHz is < WorldLimits.MinStepHz or > WorldLimits.MaxStepHz) faults.Add(("stepHz", $"must be between {WorldLimits.MinStepHz} and {WorldLimits.MaxStepHz}, not {StepHz}"));
        if (SolverIterations is < 1 or > WorldLimits.MaxSolverIterations) faults.Add(("solverIterations", $"must be between 1 and {WorldLimits.MaxSolverIterations}, not {SolverIterations}"));
        if (Bound is null) faults.Add(("bound", "is required"));
        else foreach ((string field, string message) in Bound.FindFaults()) faults.Add(("bound." + field, message));
        if (Sun is not null) foreach ((string field, string message) in Sun.FindFaults()) faults.Add(("sun." + field, message));
        return faults;
    }
}
