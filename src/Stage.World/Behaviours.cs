using Stage.Physics;

namespace Stage.World;

/// <summary>
/// Something an entity does by itself. Kinematic paths are pure functions of simulation time and
/// the entity's home pose (so a restore needs no extra state); a spawner keeps a count and a
/// seeded generator, both part of the world state.
/// </summary>
public abstract record Behaviour
{
    private protected Behaviour() { }
}

/// <summary>A kinematic path: the entity's pose at a simulation time, given its home pose.</summary>
public abstract record PathBehaviour : Behaviour
{
    /// <summary>The pose at <paramref name="timeS"/> for an entity whose home pose is given.</summary>
    public abstract (Vector3D PositionM, QuaternionD Orientation) PoseAt(double timeS, Vector3D homeM, QuaternionD homeOrientation);
}

/// <summary>
/// A vehicle driving a closed loop through waypoints at a constant speed, facing along its
/// direction of travel (its local −Z forward, turned about +Y). Waypoints are absolute, stage space.
/// </summary>
/// <param name="WaypointsM">At least two points; the loop closes from the last back to the first.</param>
/// <param name="SpeedMps">Speed along the loop.</param>
public sealed record LoopPathBehaviour(IReadOnlyList<Vector3D> WaypointsM, double SpeedMps) : PathBehaviour
{
    /// <summary>Length of the closed loop, metres.</summary>
    public double LengthM
    {
        get
        {
            double total = 0;
            for (int i = 0; i < WaypointsM.Count; i++) total += (WaypointsM[(i + 1) % WaypointsM.Count] - WaypointsM[i]).Length;
            return total;
        }
    }

    /// <inheritdoc />
    public override (Vector3D PositionM, QuaternionD Orientation) PoseAt(double timeS, Vector3D homeM, QuaternionD homeOrientation)
    {
        double length = LengthM;
        double s = SpeedMps * timeS % length;
        if (s < 0) s += length;
        for (int i = 0; i < WaypointsM.Count; i++)
        {
            Vector3D a = WaypointsM[i];
            Vector3D b = WaypointsM[(i + 1) % WaypointsM.Count];
            double segment = (b - a).Length;
            if (s <= segment || i == WaypointsM.Count - 1)
            {
                double f = segment > 0 ? Math.Min(s / segment, 1) : 0;
                Vector3D direction = b - a;
                // Yaw so that local −Z points along the travel direction.
                double yawRad = Math.Atan2(-direction.X, -direction.Z);
                return (a + direction * f, QuaternionD.FromAxisAngle(Vector3D.UnitY, yawRad));
            }
            s -= segment;
        }
        return (WaypointsM[0], homeOrientation);
    }
}

/// <summary>A door swinging about a hinge line: angle(t) = amplitude · sin(2πt / period), turning the home pose about the pivot.</summary>
/// <param name="PivotM">A point on the hinge line, stage space.</param>
/// <param name="Axis">The hinge axis (normalised when used).</param>
/// <param name="AmplitudeRad">Largest angle either way.</param>
/// <param name="PeriodS">Time of one full swing there and back.</param>
public sealed record SwingBehaviour(Vector3D PivotM, Vector3D Axis, double AmplitudeRad, double PeriodS) : PathBehaviour
{
    /// <inheritdoc />
    public override (Vector3D PositionM, QuaternionD Orientation) PoseAt(double timeS, Vector3D homeM, QuaternionD homeOrientation)
    {
        double angle = AmplitudeRad * Math.Sin(2 * Math.PI * timeS / PeriodS);
        QuaternionD turn = QuaternionD.FromAxisAngle(Axis, angle);
        return (PivotM + turn.Rotate(homeM - PivotM), QuaternionMath.Multiply(turn, homeOrientation));
    }
}

/// <summary>A spinner: turns about an axis through its home position at a constant rate.</summary>
/// <param name="Axis">The spin axis, stage space.</param>
/// <param name="RateRadps">Angular rate.</param>
public sealed record SpinBehaviour(Vector3D Axis, double RateRadps) : PathBehaviour
{
    /// <inheritdoc />
    public override (Vector3D PositionM, QuaternionD Orientation) PoseAt(double timeS, Vector3D homeM, QuaternionD homeOrientation) =>
        (homeM, QuaternionMath.Multiply(QuaternionD.FromAxisAngle(Axis, RateRadps * timeS), homeOrientation));
}

/// <summary>
/// Adds an entity made from <paramref name="Template"/> every <paramref name="IntervalS"/> (rounded
/// to whole steps, first one the step after the spawner is created), up to
/// <paramref name="MaxCount"/>, at the spawner's position plus the template's position plus a
/// jitter drawn uniformly in ±<paramref name="JitterM"/> from a generator seeded with
/// <paramref name="Seed"/> (SplitMix64). Spawned entities are named "spawner.n".
/// </summary>
/// <param name="Template">What to spawn (its position is an offset from the spawner).</param>
/// <param name="IntervalS">Time between spawns.</param>
/// <param name="MaxCount">How many in all.</param>
/// <param name="Seed">The generator's seed.</param>
/// <param name="JitterM">Half-range of the random offset per axis.</param>
public sealed record SpawnerBehaviour(EntityDefinition Template, double IntervalS, int MaxCount, ulong Seed, Vector3D JitterM) : Behaviour;

/// <summary>Quaternion helpers the physics types do not carry.</summary>
public static class QuaternionMath
{
    /// <summary>Hamilton product a·b (b applied first).</summary>
    public static QuaternionD Multiply(QuaternionD a, QuaternionD b) => new(
        a.W * b.W - a.X * b.X - a.Y * b.Y - a.Z * b.Z,
        a.W * b.X + a.X * b.W + a.Y * b.Z - a.Z * b.Y,
        a.W * b.Y - a.X * b.Z + a.Y * b.W + a.Z * b.X,
        a.W * b.Z + a.X * b.Y - a.Y * b.X + a.Z * b.W);

    /// <summary>Normalised linear interpolation along the shorter arc (for drawing between two steps).</summary>
    public static QuaternionD Nlerp(QuaternionD a, QuaternionD b, double t)
    {
        double dot = a.W * b.W + a.X * b.X + a.Y * b.Y + a.Z * b.Z;
        double sign = dot < 0 ? -1 : 1;
        var q = new QuaternionD(
            a.W + (sign * b.W - a.W) * t,
            a.X + (sign * b.X - a.X) * t,
            a.Y + (sign * b.Y - a.Y) * t,
            a.Z + (sign * b.Z - a.Z) * t);
        double n = q.Norm;
        return n > 0 ? new QuaternionD(q.W / n, q.X / n, q.Y / n, q.Z / n) : a;
    }

    /// <summary>Rotation from degrees about stage X, then Y, then Z (fixed axes).</summary>
    public static QuaternionD FromEulerDeg(double xDeg, double yDeg, double zDeg)
    {
        const double ToRad = Math.PI / 180;
        QuaternionD qx = QuaternionD.FromAxisAngle(new Vector3D(1, 0, 0), xDeg * ToRad);
        QuaternionD qy = QuaternionD.FromAxisAngle(new Vector3D(0, 1, 0), yDeg * ToRad);
        QuaternionD qz = QuaternionD.FromAxisAngle(new Vector3D(0, 0, 1), zDeg * ToRad);
        return Multiply(qz, Multiply(qy, qx));
    }

    /// <summary>The angular velocity (rad/s, stage space) that turns <paramref name="from"/> into <paramref name="to"/> in <paramref name="dtS"/>.</summary>
    public static Vector3D AngularVelocity(QuaternionD from, QuaternionD to, double dtS)
    {
        // delta = to · from⁻¹, shortest arc.
        var inv = new QuaternionD(from.W, -from.X, -from.Y, -from.Z);
        QuaternionD d = Multiply(to, inv);
        if (d.W < 0) d = new QuaternionD(-d.W, -d.X, -d.Y, -d.Z);
        double s = Math.Sqrt(d.X * d.X + d.Y * d.Y + d.Z * d.Z);
        if (s < 1e-15) return Vector3D.Zero;
        double angle = 2 * Math.Atan2(s, d.W);
        return new Vector3D(d.X / s, d.Y / s, d.Z / s) * (angle / dtS);
    }
}
