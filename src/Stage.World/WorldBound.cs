using Stage.Physics;

namespace Stage.World;

/// <summary>What happens to a body that leaves the world bound.</summary>
public enum BoundAction
{
    /// <summary>Frozen where it left (put back on the bound), velocities zero: the entity stays, as persistence promises.</summary>
    Freeze,
    /// <summary>Destroyed, as a <see cref="DestroyEntityCommand"/> would.</summary>
    Remove,
}

/// <summary>
/// The box a world's bodies live in, stage space, metres. After every step a body outside it —
/// or one faster than <see cref="PhysicsLimits.MaxSpeedMps"/> (or <see cref="PhysicsLimits.MaxAngularSpeedRadps"/>),
/// or with a state that is not finite — is frozen or removed as <see cref="Action"/> says, and an
/// <see cref="EntityLeftBoundEvent"/> is raised at that step. Without it a ball that rolls off a
/// finite ground falls for ever, until ODE aborts the process (its hash space cannot place a
/// body some 5 × 10⁸ m out, hours later) — and every restart from the journal after it.
/// The bottom face is the kill height.
/// </summary>
/// <param name="MinM">The lowest corner (the kill height is its Y).</param>
/// <param name="MaxM">The highest corner.</param>
/// <param name="Action">What happens to a body that leaves.</param>
public sealed record WorldBound(Vector3D MinM, Vector3D MaxM, BoundAction Action)
{
    /// <summary>
    /// Around any stage: 1 km each way across, 100 m below the floor (a body that falls off the
    /// set gets there in 4.5 s) and 1 km above it; bodies that leave are frozen.
    /// </summary>
    public static WorldBound Default { get; } = new(new Vector3D(-1000, -100, -1000), new Vector3D(1000, 1000, 1000), BoundAction.Freeze);

    /// <summary>True when <paramref name="positionM"/> lies inside or on the box (false for NaN).</summary>
    public bool Contains(Vector3D positionM) =>
        positionM.X >= MinM.X && positionM.X <= MaxM.X
        && positionM.Y >= MinM.Y && positionM.Y <= MaxM.Y
        && positionM.Z >= MinM.Z && positionM.Z <= MaxM.Z;

    /// <summary>The nearest point of the box to a finite <paramref name="positionM"/>.</summary>
    public Vector3D Clamp(Vector3D positionM) => new(
        Math.Clamp(positionM.X, MinM.X, MaxM.X),
        Math.Clamp(positionM.Y, MinM.Y, MaxM.Y),
        Math.Clamp(positionM.Z, MinM.Z, MaxM.Z));

    /// <summary>Every fault of the bound, each with its field (<c>minM</c>, <c>maxM</c>, <c>action</c>).</summary>
    public IReadOnlyList<(string Field, string Message)> FindFaults()
    {
        var faults = new List<(string, string)>();
        if (!PhysicsLimits.IsCoordinate(MinM)) faults.Add(("minM", WorldLimits.CoordinateMessage(MinM)));
        if (!PhysicsLimits.IsCoordinate(MaxM)) faults.Add(("maxM", WorldLimits.CoordinateMessage(MaxM)));
        if (faults.Count == 0 && !(MinM.X < MaxM.X && MinM.Y < MaxM.Y && MinM.Z < MaxM.Z))
        {
            faults.Add(("maxM", $"must be above minM on every axis (minM {WorldLimits.Show(MinM)}, maxM {WorldLimits.Show(MaxM)})"));
        }
        if (!Enum.IsDefined(Action)) faults.Add(("action", $"must be freeze or remove, not {(int)Action}"));
        return faults;
    }
}
