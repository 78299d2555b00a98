using System.Runtime.InteropServices;
using Stage.Physics.Native;

namespace Stage.Physics;

/// <summary>
/// How much a joint can hold before it breaks. Compared after every step with the joint's
/// feedback: the larger force magnitude and the larger torque magnitude ODE applied to either
/// of its bodies (torque about each body's centre of mass, as ODE reports it).
/// </summary>
/// <param name="ForceN">Largest force in newtons it survives; +∞ never breaks on force.</param>
/// <param name="TorqueNm">Largest torque in newton-metres it survives; +∞ never breaks on torque.</param>
public readonly record struct JointStrength(double ForceN, double TorqueNm)
{
    /// <summary>Never breaks.</summary>
    public static JointStrength Unbreakable => new(double.PositiveInfinity, double.PositiveInfinity);

    /// <summary>True when it can break at all.</summary>
    public bool IsBreakable => !double.IsPositiveInfinity(ForceN) || !double.IsPositiveInfinity(TorqueNm);

    internal void Validate()
    {
        if (!(ForceN > 0)) throw new ArgumentException($"Joint force strength must be > 0 or +∞ (got {ForceN}).");
        if (!(TorqueNm > 0)) throw new ArgumentException($"Joint torque strength must be > 0 or +∞ (got {TorqueNm}).");
    }
}

/// <summary>A joint's feedback after a step: force and torque ODE applied to each body.</summary>
/// <param name="Force1N">Force on body 1.</param>
/// <param name="Torque1Nm">Torque on body 1.</param>
/// <param name="Force2N">Force on body 2 (zero when body 2 is the static world).</param>
/// <param name="Torque2Nm">Torque on body 2 (zero when body 2 is the static world).</param>
public readonly record struct JointFeedback(Vector3D Force1N, Vector3D Torque1Nm, Vector3D Force2N, Vector3D Torque2Nm)
{
    /// <summary>The larger of the two force magnitudes: what <see cref="JointStrength.ForceN"/> is compared with.</summary>
    public double ForceMagnitudeN => Math.Max(Force1N.Length, Force2N.Length);

    /// <summary>The larger of the two torque magnitudes: what <see cref="JointStrength.TorqueNm"/> is compared with.</summary>
    public double TorqueMagnitudeNm => Math.Max(Torque1Nm.Length, Torque2Nm.Length);
}

/// <summary>Raised after the step in which a joint broke.</summary>
public sealed class JointBrokenEventArgs(Joint joint, long step, JointFeedback feedback) : EventArgs
{
    /// <summary>The joint that broke (now disabled).</summary>
    public Joint Joint { get; } = joint;

    /// <summary>The step number (1-based, <see cref="PhysicsWorld.StepCount"/> after that step) whose feedback exceeded the strength.</summary>
    public long Step { get; } = step;

    /// <summary>The feedback that broke it.</summary>
    public JointFeedback Feedback { get; } = feedback;
}

/// <summary>
/// A constraint between a body and another body or the static world, optionally breakable.
/// A broken joint is disabled in ODE, not destroyed, so a snapshot from before the break can
/// be restored in the same world with the joint in its original place in ODE's lists.
/// </summary>
public abstract unsafe class Joint : IDisposable
{
    private DJointFeedback* _feedback;

    private protected Joint(PhysicsWorld world, int id, nint handle, RigidBody body1, RigidBody? body2, JointStrength strength)
    {
        World = world;
        Id = id;
        Handle = handle;
        Body1 = body1;
        Body2 = body2;
        Strength = strength;
        _feedback = (DJointFeedback*)NativeMemory.AllocZeroed((nuint)sizeof(DJointFeedback));
        Ode.JointSetFeedback(handle, _feedback);
    }

    /// <summary>The world this joint lives in.</summary>
    public PhysicsWorld World { get; }

    /// <summary>Stable id within the world, in creation order from 0; used in snapshots and break order.</summary>
    public int Id { get; }

    /// <summary>The first body.</summary>
    public RigidBody Body1 { get; }

    /// <summary>The second body, or null when the joint holds body 1 to the static world.</summary>
    public RigidBody? Body2 { get; }

    /// <summary>What the joint holds before it breaks.</summary>
    public JointStrength Strength { get; }

    /// <summary>When false (default), the two jointed bodies do not collide with each other while the joint holds.</summary>
    public bool CollideConnected { get; set; }

    /// <summary>True once it broke (or was restored to a broken state).</summary>
    public bool IsBroken => BrokenAtStep is not null;

    /// <summary>The step at which it broke, or null while it holds.</summary>
    public long? BrokenAtStep { get; private set; }

    /// <summary>True once disposed (directly, with a body, or with the world).</summary>
    public bool IsDisposed => Handle == 0;

    /// <summary>Feedback of the last step (zero before the first step and while broken).</summary>
    public JointFeedback Feedback
    {
        get
        {
            ObjectDisposedException.ThrowIf(Handle == 0, this);
            return ReadFeedback();
        }
    }

    internal nint Handle { get; private set; }

    /// <summary>Removes the joint from the world. Idempotent.</summary>
    public void Dispose()
    {
        if (Handle == 0) return;
        World.DestroyJoint(this);
    }

    internal JointFeedback ReadFeedback()
    {
        DJointFeedback* f = _feedback;
        return new JointFeedback(
            new Vector3D(f->F1[0], f->F1[1], f->F1[2]),
            new Vector3D(f->T1[0], f->T1[1], f->T1[2]),
            new Vector3D(f->F2[0], f->F2[1], f->F2[2]),
            new Vector3D(f->T2[0], f->T2[1], f->T2[2]));
    }

    internal void Break(long step)
    {
        Ode.JointDisable(Handle);
        BrokenAtStep = step;
    }

    internal void SetBroken(long? brokenAtStep)
    {
        if (brokenAtStep is null) Ode.JointEnable(Handle);
        else Ode.JointDisable(Handle);
        *_feedback = default;
        BrokenAtStep = brokenAtStep;
    }

    internal void ReleaseNative()
    {
        Ode.JointDestroy(Handle);
        NativeMemory.Free(_feedback);
        _feedback = null;
        Handle = 0;
    }
}

/// <summary>Holds two bodies (or a body and the world) rigidly together, as they were when created.</summary>
public sealed class FixedJoint : Joint
{
    internal FixedJoint(PhysicsWorld world, int id, nint handle, RigidBody body1, RigidBody? body2, JointStrength strength)
        : base(world, id, handle, body1, body2, strength) { }
}

/// <summary>A ball-and-socket joint about an anchor point.</summary>
public sealed class BallJoint : Joint
{
    internal BallJoint(PhysicsWorld world, int id, nint handle, RigidBody body1, RigidBody? body2, JointStrength strength)
        : base(world, id, handle, body1, body2, strength) { }
}

/// <summary>A hinge: rotation about one axis through an anchor point (a door, a pendulum).</summary>
public sealed class HingeJoint : Joint
{
    internal HingeJoint(PhysicsWorld world, int id, nint handle, RigidBody body1, RigidBody? body2, JointStrength strength)
        : base(world, id, handle, body1, body2, strength) { }

    /// <summary>The hinge angle in radians, relative to the pose at creation.</summary>
    public double AngleRad
    {
        get
        {
            ObjectDisposedException.ThrowIf(Handle == 0, this);
            return Ode.JointGetHingeAngle(Handle);
        }
    }
}
