using System.Globalization;
using Stage.Core.Configuration;
using Stage.Physics;

namespace Stage.World;

/// <summary>
/// The range of every number a world takes in — from a scene file, a command or a snapshot — and
/// the checks that name the place of each fault. Numbers that reach ODE stay within
/// <see cref="PhysicsLimits"/> (ODE aborts the process on what it cannot represent); the rest
/// within what a stage could mean (a time scale of 100, a gravity of 100 g). The checks are the
/// same wherever a number enters, so a value a scene may hold a command may set and a snapshot
/// may carry, and the reverse. Paths use the scene file's names (<c>entities[2].shape.radiusM</c>).
/// </summary>
public static class WorldLimits
{
    /// <summary>Fewest fixed steps per second.</summary>
    public const int MinStepHz = 1;

    /// <summary>Most fixed steps per second.</summary>
    public const int MaxStepHz = 10_000;

    /// <summary>Most quick-step iterations per step (each costs a pass over every constraint).</summary>
    public const int MaxSolverIterations = 1000;

    /// <summary>Largest magnitude of a gravity scale (the world's or an entity's own).</summary>
    public const double MaxGravityScale = 100;

    /// <summary>Largest time scale (simulated seconds per engine second).</summary>
    public const double MaxTimeScale = 100;

    /// <summary>The fastest time of day: sun seconds per simulated second (3600: an hour a second).</summary>
    public const double MaxTimeOfDayScale = 3600;

    /// <summary>Largest damping rate, 1/s.</summary>
    public const double MaxDampingPerS = 1000;

    /// <summary>Largest friction coefficient.</summary>
    public const double MaxFriction = 100;

    /// <summary>Largest contact softness (constraint force mixing).</summary>
    public const double MaxSoftnessCfm = 1000;

    /// <summary>Largest rotation angle a scene may give about one axis, degrees.</summary>
    public const double MaxRotationDeg = 360;

    /// <summary>Largest linear-light colour channel.</summary>
    public const double MaxColourLinear = 1e6;

    /// <summary>Shortest swing period, seconds (its angular speed stays under <see cref="PhysicsLimits.MaxAngularSpeedRadps"/>).</summary>
    public const double MinPeriodS = 0.01;

    /// <summary>Longest swing period, spawner interval or command time, seconds (115 days).</summary>
    public const double MaxTimeS = 1e7;

    /// <summary>Most entities one spawner makes.</summary>
    public const int MaxSpawnCount = 100_000;

    /// <summary>"must be within ±1000000 m on each axis (got [x, y, z])".</summary>
    public static string CoordinateMessage(Vector3D v) => $"must be within ±{N(PhysicsLimits.MaxCoordinateM)} m on each axis (got {Show(v)})";

    /// <summary>A vector as a scene file writes it: <c>[x, y, z]</c>, shortest round-trip digits.</summary>
    public static string Show(Vector3D v) => $"[{N(v.X)}, {N(v.Y)}, {N(v.Z)}]";

    /// <summary>Checks every number of an entity definition; faults are added under <paramref name="path"/>.</summary>
    public static void CheckDefinition(EntityDefinition d, string path, List<ConfigFault> faults)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(faults);
        if (!PhysicsLimits.IsCoordinate(d.PositionM)) faults.Add(new(Join(path, "positionM"), CoordinateMessage(d.PositionM)));
        CheckOrientation(d.Orientation, Join(path, "rotationDeg"), faults);
        CheckVelocities(d.LinearVelocityMps, d.AngularVelocityRadps, path, "linearVelocityMps", "angularVelocityRadps", faults);
        if (d.Body is { } body)
        {
            CheckShape(body.Shape, Join(path, "shape"), faults);
            CheckMaterial(body.Material, Join(path, "material"), faults);
            if (body.Kind == BodyKind.Dynamic && !PhysicsLimits.IsMass(body.MassKg))
            {
                faults.Add(new(Join(path, "massKg"), $"must be between {N(PhysicsLimits.MinMassKg)} and {N(PhysicsLimits.MaxMassKg)} kg, not {N(body.MassKg)}"));
            }
        }
        if (d.Appearance is { } a)
        {
            ColorRgb c = a.ColorLinear;
            if (!(InRange(c.R, 0, MaxColourLinear) && InRange(c.G, 0, MaxColourLinear) && InRange(c.B, 0, MaxColourLinear)))
            {
                faults.Add(new(Join(path, "appearance.colorLinear"), $"channels must be between 0 and {N(MaxColourLinear)}, not [{N(c.R)}, {N(c.G)}, {N(c.B)}]"));
            }
        }
        CheckOverrides(d.Overrides, Join(path, "overrides"), faults);
        if (d.Behaviour is { } behaviour) CheckBehaviour(behaviour, Join(path, "behaviour"), faults);
    }

    /// <summary>Checks a joint's anchor, axis and strengths; faults under <paramref name="path"/>.</summary>
    public static void CheckJoint(Vector3D anchorM, Vector3D axis, JointStrength strength, string path, List<ConfigFault> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        if (!PhysicsLimits.IsCoordinate(anchorM)) faults.Add(new(Join(path, "anchorM"), CoordinateMessage(anchorM)));
        if (!PhysicsLimits.IsCoordinate(axis) || !(axis.Length > 0)) faults.Add(new(Join(path, "axis"), $"must be a non-zero vector within ±{N(PhysicsLimits.MaxCoordinateM)} on each axis, not {Show(axis)}"));
        if (!(strength.ForceN > 0)) faults.Add(new(Join(path, "strength.forceN"), $"must be positive (absent: unbreakable), not {N(strength.ForceN)}"));
        if (!(strength.TorqueNm > 0)) faults.Add(new(Join(path, "strength.torqueNm"), $"must be positive (absent: unbreakable), not {N(strength.TorqueNm)}"));
    }

    /// <summary>Checks a body's state (as a snapshot carries it); faults under <paramref name="path"/>.</summary>
    public static void CheckBodyState(in BodyState state, string path, List<ConfigFault> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        if (!PhysicsLimits.IsCoordinate(state.PositionM)) faults.Add(new(Join(path, "positionM"), CoordinateMessage(state.PositionM)));
        if (!state.Orientation.IsFinite || !(state.Orientation.Norm > 1e-6) || !(state.Orientation.Norm < 1e6))
        {
            faults.Add(new(Join(path, "orientation"), "must be a finite non-zero quaternion"));
        }
        CheckVelocities(state.LinearVelocityMps, state.AngularVelocityRadps, path, "linearVelocityMps", "angularVelocityRadps", faults);
        if (state.SleepCounter < 0) faults.Add(new(Join(path, "sleepCounter"), $"must be at least 0, not {state.SleepCounter}"));
    }

    /// <summary>Checks a linear and an angular velocity against <see cref="PhysicsLimits"/>.</summary>
    public static void CheckVelocities(Vector3D linearMps, Vector3D angularRadps, string path, string linearName, string angularName, List<ConfigFault> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        if (!PhysicsLimits.IsSpeed(linearMps)) faults.Add(new(Join(path, linearName), $"must be a speed of at most {N(PhysicsLimits.MaxSpeedMps)} m/s, not {Show(linearMps)}"));
        if (!PhysicsLimits.IsAngularSpeed(angularRadps)) faults.Add(new(Join(path, angularName), $"must be an angular speed of at most {N(PhysicsLimits.MaxAngularSpeedRadps)} rad/s, not {Show(angularRadps)}"));
    }

    /// <summary>Checks an entity's overrides (its own gravity scale).</summary>
    public static void CheckOverrides(EntityOverrides overrides, string path, List<ConfigFault> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        if (overrides.GravityScale is double scale && !InRange(scale, -MaxGravityScale, MaxGravityScale))
        {
            faults.Add(new(Join(path, "gravityScale"), $"must be between {N(-MaxGravityScale)} and {N(MaxGravityScale)}, not {N(scale)}"));
        }
    }

    /// <summary>Checks a material's numbers.</summary>
    public static void CheckMaterial(Material m, string path, List<ConfigFault> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        Range(m.Friction, 0, MaxFriction, path, "friction", faults);
        Range(m.Restitution, 0, 1, path, "restitution", faults);
        Range(m.BounceThresholdMps, 0, PhysicsLimits.MaxSpeedMps, path, "bounceThresholdMps", faults);
        Range(m.SoftnessCfm, 0, MaxSoftnessCfm, path, "softnessCfm", faults);
        Range(m.SoftnessErp, 0, 1, path, "softnessErp", faults);
    }

    /// <summary>Checks a shape's sizes (within <see cref="PhysicsLimits.MinSizeM"/>..<see cref="PhysicsLimits.MaxSizeM"/>), a plane's normal and offset, a terrain's grid.</summary>
    public static void CheckShape(Shape shape, string path, List<ConfigFault> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        switch (shape)
        {
            case BoxShape b:
                if (!PhysicsLimits.IsSize(b.SizeM.X) || !PhysicsLimits.IsSize(b.SizeM.Y) || !PhysicsLimits.IsSize(b.SizeM.Z))
                {
                    faults.Add(new(Join(path, "sizeM"), $"must be three sizes between {N(PhysicsLimits.MinSizeM)} and {N(PhysicsLimits.MaxSizeM)} m, not {Show(b.SizeM)}"));
                }
                break;
            case SphereShape s: Size(s.RadiusM, path, "radiusM", faults); break;
            case CapsuleShape c: Size(c.RadiusM, path, "radiusM", faults); Size(c.LengthM, path, "lengthM", faults); break;
            case CylinderShape c: Size(c.RadiusM, path, "radiusM", faults); Size(c.LengthM, path, "lengthM", faults); break;
            case PlaneShape p:
                if (!PhysicsLimits.IsCoordinate(p.Normal) || !(p.Normal.Length > 1e-9)) faults.Add(new(Join(path, "normal"), $"must be a non-zero vector within ±{N(PhysicsLimits.MaxCoordinateM)}, not {Show(p.Normal)}"));
                if (!PhysicsLimits.IsCoordinate(p.OffsetM)) faults.Add(new(Join(path, "offsetM"), $"must be within ±{N(PhysicsLimits.MaxCoordinateM)} m, not {N(p.OffsetM)}"));
                break;
            case HeightfieldShape h:
                Size(h.WidthM, path, "widthM", faults);
                Size(h.DepthM, path, "depthM", faults);
                Size(h.ThicknessM, path, "thicknessM", faults);
                if (h.WidthSamples < 2 || h.DepthSamples < 2 || (long)h.WidthSamples * h.DepthSamples > PhysicsLimits.MaxTerrainSamples)
                {
                    faults.Add(new(Join(path, "samples"), $"must be at least 2 × 2 and at most {PhysicsLimits.MaxTerrainSamples} samples, not {h.WidthSamples} × {h.DepthSamples}"));
                }
                else if (h.HeightsM.Count != h.WidthSamples * h.DepthSamples)
                {
                    faults.Add(new(Join(path, "heightsM"), $"must hold {h.WidthSamples * h.DepthSamples} heights, not {h.HeightsM.Count}"));
                }
                for (int i = 0; i < h.HeightsM.Count; i++)
                {
                    if (!(Math.Abs(h.HeightsM[i]) <= PhysicsLimits.MaxSizeM))
                    {
                        faults.Add(new($"{Join(path, "heightsM")}[{i}]", $"must be within ±{N(PhysicsLimits.MaxSizeM)} m, not {N(h.HeightsM[i])}"));
                        break;
                    }
                }
                break;
            default:
                faults.Add(new(path, $"unknown shape {shape?.GetType().Name ?? "null"}"));
                break;
        }
    }

    /// <summary>Checks a behaviour's numbers (a spawner's template as an entity of its own).</summary>
    public static void CheckBehaviour(Behaviour behaviour, string path, List<ConfigFault> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        switch (behaviour)
        {
            case LoopPathBehaviour loop:
                for (int i = 0; i < loop.WaypointsM.Count; i++)
                {
                    if (!PhysicsLimits.IsCoordinate(loop.WaypointsM[i])) faults.Add(new($"{Join(path, "waypointsM")}[{i}]", CoordinateMessage(loop.WaypointsM[i])));
                }
                if (loop.WaypointsM.Count < 2) faults.Add(new(Join(path, "waypointsM"), "needs at least two points"));
                if (!(loop.SpeedMps > 0 && loop.SpeedMps <= PhysicsLimits.MaxSpeedMps)) faults.Add(new(Join(path, "speedMps"), $"must be above 0 and at most {N(PhysicsLimits.MaxSpeedMps)} m/s, not {N(loop.SpeedMps)}"));
                break;
            case SwingBehaviour swing:
                if (!PhysicsLimits.IsCoordinate(swing.PivotM)) faults.Add(new(Join(path, "pivotM"), CoordinateMessage(swing.PivotM)));
                if (!PhysicsLimits.IsCoordinate(swing.Axis) || !(swing.Axis.Length > 0)) faults.Add(new(Join(path, "axis"), $"must be a non-zero vector, not {Show(swing.Axis)}"));
                Range(swing.AmplitudeRad * 180 / Math.PI, 0, 360, path, "amplitudeDeg", faults);
                Range(swing.PeriodS, MinPeriodS, MaxTimeS, path, "periodS", faults);
                break;
            case SpinBehaviour spin:
                if (!PhysicsLimits.IsCoordinate(spin.Axis) || !(spin.Axis.Length > 0)) faults.Add(new(Join(path, "axis"), $"must be a non-zero vector, not {Show(spin.Axis)}"));
                Range(spin.RateRadps * 180 / Math.PI, -PhysicsLimits.MaxAngularSpeedRadps * 180 / Math.PI, PhysicsLimits.MaxAngularSpeedRadps * 180 / Math.PI, path, "rateDegps", faults);
                break;
            case SpawnerBehaviour spawner:
                if (!(spawner.IntervalS > 0 && spawner.IntervalS <= MaxTimeS)) faults.Add(new(Join(path, "intervalS"), $"must be above 0 and at most {N(MaxTimeS)} s, not {N(spawner.IntervalS)}"));
                if (spawner.MaxCount is < 1 or > MaxSpawnCount) faults.Add(new(Join(path, "maxCount"), $"must be between 1 and {MaxSpawnCount}, not {spawner.MaxCount}"));
                if (!(Math.Abs(spawner.JitterM.X) <= PhysicsLimits.MaxSizeM && Math.Abs(spawner.JitterM.Y) <= PhysicsLimits.MaxSizeM && Math.Abs(spawner.JitterM.Z) <= PhysicsLimits.MaxSizeM))
                {
                    faults.Add(new(Join(path, "jitterM"), $"must be within ±{N(PhysicsLimits.MaxSizeM)} m on each axis, not {Show(spawner.JitterM)}"));
                }
                if (spawner.Template.Behaviour is SpawnerBehaviour) faults.Add(new(Join(path, "template"), "a spawned entity cannot itself be a spawner"));
                else CheckDefinition(spawner.Template, Join(path, "template"), faults);
                break;
            default:
                faults.Add(new(path, $"unknown behaviour {behaviour?.GetType().Name ?? "null"}"));
                break;
        }
    }

    /// <summary>Joins a path and a member name as the scene loader does.</summary>
    internal static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>A number as written back to a person: shortest round-trip digits, invariant culture.</summary>
    internal static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Throws <see cref="ArgumentException"/> listing <paramref name="faults"/> (for checks at a command or an API call).</summary>
    internal static void ThrowIfAny(List<ConfigFault> faults, string what)
    {
        if (faults.Count > 0) throw new ArgumentException($"{what}: {string.Join("; ", faults)}");
    }

    private static void CheckOrientation(QuaternionD q, string path, List<ConfigFault> faults)
    {
        if (!q.IsFinite || !(q.Norm > 1e-6) || !(q.Norm < 1e6)) faults.Add(new(path, "must give a finite rotation (a non-zero quaternion)"));
    }

    // The member's path is joined only on a fault: a valid world allocates nothing here.
    private static void Size(double sizeM, string path, string name, List<ConfigFault> faults)
    {
        if (!PhysicsLimits.IsSize(sizeM)) faults.Add(new(Join(path, name), $"must be between {N(PhysicsLimits.MinSizeM)} and {N(PhysicsLimits.MaxSizeM)} m, not {N(sizeM)}"));
    }

    private static void Range(double value, double min, double max, string path, string name, List<ConfigFault> faults)
    {
        if (!InRange(value, min, max)) faults.Add(new(Join(path, name), $"must be between {N(min)} and {N(max)}, not {N(value)}"));
    }

    private static bool InRange(double value, double min, double max) => value >= min && value <= max;
}
