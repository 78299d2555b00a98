using Stage.Physics.Native;

namespace Stage.Physics;

/// <summary>
/// The world as it stood before the step being taken: what <see cref="PhysicsWorld.Step()"/> goes
/// back to when a joint breaks, so that the step is solved again without the joint (a pane that
/// gives way must not stop the ball). It holds what <see cref="PhysicsState"/> holds — every
/// body's exact state, the hash space's order, the solver seed and the step count — plus the
/// forces and torques already applied for this step (own-gravity forces of Stage.World), which
/// are not state between steps but are inside one. Buffers are reused: capturing allocates
/// nothing once they have grown to the world's size.
/// </summary>
internal sealed unsafe class PreStepState
{
    private BodyState[] _states = [];
    private Vector3D[] _forces = [];
    private Vector3D[] _torques = [];
    private RigidBody[] _bodies = [];
    private int _count;

    /// <summary>Geom ids of the hash space, head first.</summary>
    public List<int> SpaceOrder { get; } = [];

    /// <summary>The step count before the step.</summary>
    public long Step { get; private set; }

    /// <summary>The solver seed before the step.</summary>
    public ulong Seed { get; private set; }

    /// <summary>Reads the state of every live body, the space order, seed and step.</summary>
    public void Capture(List<RigidBody?> bodies, PhysicsWorld world, ulong seed)
    {
        if (_bodies.Length < bodies.Count)
        {
            int size = Math.Max(bodies.Count, _bodies.Length * 2);
            Array.Resize(ref _states, size);
            Array.Resize(ref _forces, size);
            Array.Resize(ref _torques, size);
            Array.Resize(ref _bodies, size);
        }
        _count = 0;
        foreach (RigidBody? body in bodies)
        {
            if (body is null) continue;
            _bodies[_count] = body;
            _states[_count] = body.GetState();
            double* f = Ode.BodyGetForce(body.Handle);
            double* t = Ode.BodyGetTorque(body.Handle);
            _forces[_count] = new Vector3D(f[0], f[1], f[2]);
            _torques[_count] = new Vector3D(t[0], t[1], t[2]);
            _count++;
        }
        world.GetSpaceOrderIds(SpaceOrder);
        Seed = seed;
        Step = world.StepCount;
    }

    /// <summary>
    /// Puts every body back exactly (<see cref="RigidBody.SetState"/>, which also clears forces)
    /// and re-applies the forces of the step. The caller restores the space order, seed and step.
    /// </summary>
    public void RestoreBodies()
    {
        for (int i = 0; i < _count; i++)
        {
            RigidBody body = _bodies[i];
            body.SetState(in _states[i]);
            // Always, zero or not: dBodySetForce only stores the doubles, and a −0.0 must stay −0.0.
            Vector3D f = _forces[i], t = _torques[i];
            Ode.BodySetForce(body.Handle, f.X, f.Y, f.Z);
            Ode.BodySetTorque(body.Handle, t.X, t.Y, t.Z);
        }
    }

    /// <summary>Drops the references to bodies (after the step), so none outlives its world.</summary>
    public void Clear()
    {
        Array.Clear(_bodies, 0, _count);
        _count = 0;
    }
}
