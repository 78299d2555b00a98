namespace Stage.Physics;

/// <summary>
/// Everything that changes about a body from step to step, as the exact doubles ODE holds.
/// <see cref="RigidBody.GetState"/> followed later by <see cref="RigidBody.SetState"/> puts
/// back the same bits (see docs/physics.md, "Exact restore").
/// </summary>
/// <param name="PositionM">Centre of mass in stage space.</param>
/// <param name="Orientation">Orientation quaternion, the bits ODE stores (already normalised by ODE).</param>
/// <param name="LinearVelocityMps">Linear velocity in metres per second.</param>
/// <param name="AngularVelocityRadps">Angular velocity in radians per second, stage axes.</param>
/// <param name="IsAwake">False when Stage has put the body to sleep (ODE disabled).</param>
/// <param name="SleepCounter">Consecutive steps the body has been below the sleep thresholds.</param>
public readonly record struct BodyState(
    Vector3D PositionM,
    QuaternionD Orientation,
    Vector3D LinearVelocityMps,
    Vector3D AngularVelocityRadps,
    bool IsAwake,
    int SleepCounter)
{
    /// <summary>True when every number has the same bits (record equality treats 0.0 and −0.0 as equal; this does not).</summary>
    public bool BitEquals(in BodyState other) =>
        PositionM.BitEquals(other.PositionM)
        && Orientation.BitEquals(other.Orientation)
        && LinearVelocityMps.BitEquals(other.LinearVelocityMps)
        && AngularVelocityRadps.BitEquals(other.AngularVelocityRadps)
        && IsAwake == other.IsAwake
        && SleepCounter == other.SleepCounter;
}
