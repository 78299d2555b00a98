using Stage.Physics.Native;

namespace Stage.Physics;

/// <summary>
/// A moving body: mass, pose, velocities, and the geoms it carries. Created by
/// <see cref="PhysicsWorld.CreateBody"/>. Reads come straight from ODE's own doubles, so what
/// you read is exactly what ODE integrates.
/// </summary>
public sealed unsafe class RigidBody : IDisposable
{
    private readonly List<Geom> _geoms = [];
    private bool _isKinematic;
    private bool _gravityEnabled = true;
    private double _linearDamping;
    private double _angularDamping;

    // ODE's own arrays inside this body's dxBody (dBodyGetPosition & co. return these same
    // addresses for the body's whole life): read once at creation so a state read or an exact
    // restore does not cross into native code for each of them.
    private readonly double* _position;
    private readonly double* _quaternion;
    private readonly double* _rotation;
    private readonly double* _linearVelocity;
    private readonly double* _angularVelocity;

    internal RigidBody(PhysicsWorld world, int id, nint handle, double massKg)
    {
        _position = Ode.BodyGetPosition(handle);
        _quaternion = Ode.BodyGetQuaternion(handle);
        _rotation = Ode.BodyGetRotation(handle);
        _linearVelocity = Ode.BodyGetLinearVel(handle);
        _angularVelocity = Ode.BodyGetAngularVel(handle);
        if (_position == null || _quaternion == null || _rotation == null || _linearVelocity == null || _angularVelocity == null)
        {
            throw new PhysicsException("ODE returned a null body state pointer.");
        }
        _linearDamping = world.Settings.LinearDamping;
        _angularDamping = world.Settings.AngularDamping;
        World = world;
        Id = id;
        Handle = handle;
        MassKg = massKg;
    }

    /// <summary>The world this body lives in.</summary>
    public PhysicsWorld World { get; }

    /// <summary>Stable id within the world, in creation order from 0; used in snapshots.</summary>
    public int Id { get; }

    /// <summary>Total mass in kilograms.</summary>
    public double MassKg { get; }

    /// <summary>The geoms this body carries, in the order they were added.</summary>
    public IReadOnlyList<Geom> Geoms => _geoms;

    /// <summary>True once disposed (directly or with the world).</summary>
    public bool IsDisposed => Handle == 0;

    /// <summary>
    /// May Stage put this body to sleep when it rests (see <see cref="SleepSettings"/>)?
    /// True by default; a body that must keep reporting motion every step can opt out.
    /// </summary>
    public bool CanSleep { get; set; } = true;

    /// <summary>Consecutive steps this body has been below the sleep thresholds (part of its state).</summary>
    public int SleepCounter { get; internal set; }

    /// <summary>The joints attached to it that are not disposed, in creation order.</summary>
    internal List<Joint> Joints { get; } = [];

    internal nint Handle { get; private set; }

    /// <summary>Centre of mass in stage space. Setting it teleports the body and wakes it.</summary>
    public Vector3D PositionM
    {
        get
        {
            double* p = Cached(_position);
            return new Vector3D(p[0], p[1], p[2]);
        }
        set
        {
            RequireFinite(value, nameof(PositionM));
            ThrowIfDisposed();
            Ode.BodySetPosition(Handle, value.X, value.Y, value.Z);
            Wake();
        }
    }

    /// <summary>
    /// Orientation. Setting goes through <c>dBodySetQuaternion</c>, which renormalises (it may
    /// change the last bit); use <see cref="SetState"/> to put back stored bits exactly.
    /// </summary>
    public QuaternionD Orientation
    {
        get
        {
            double* q = Cached(_quaternion);
            return new QuaternionD(q[0], q[1], q[2], q[3]);
        }
        set
        {
            ThrowIfDisposed();
            if (!value.IsFinite || !(value.Norm > 0)) throw new ArgumentException("Orientation must be a finite non-zero quaternion.", nameof(value));
            double* q = stackalloc double[4] { value.W, value.X, value.Y, value.Z };
            Ode.BodySetQuaternion(Handle, q);
            Wake();
        }
    }

    /// <summary>Linear velocity in m/s. Setting it wakes the body.</summary>
    public Vector3D LinearVelocityMps
    {
        get
        {
            double* v = Cached(_linearVelocity);
            return new Vector3D(v[0], v[1], v[2]);
        }
        set
        {
            RequireFinite(value, nameof(LinearVelocityMps));
            ThrowIfDisposed();
            Ode.BodySetLinearVel(Handle, value.X, value.Y, value.Z);
            Wake();
        }
    }

    /// <summary>Angular velocity in rad/s about stage axes. Setting it wakes the body.</summary>
    public Vector3D AngularVelocityRadps
    {
        get
        {
            double* v = Cached(_angularVelocity);
            return new Vector3D(v[0], v[1], v[2]);
        }
        set
        {
            RequireFinite(value, nameof(AngularVelocityRadps));
            ThrowIfDisposed();
            Ode.BodySetAngularVel(Handle, value.X, value.Y, value.Z);
            Wake();
        }
    }

    /// <summary>False while the body sleeps (ODE-disabled): it is not integrated and costs almost nothing.</summary>
    public bool IsAwake
    {
        get
        {
            ThrowIfDisposed();
            return Ode.BodyIsEnabled(Handle) != 0;
        }
    }

    /// <summary>
    /// A kinematic body moves only by the velocity you give it; gravity and contacts do not push
    /// it, but it pushes dynamic bodies. Kinematic bodies never sleep.
    /// </summary>
    public bool IsKinematic
    {
        get => _isKinematic;
        set
        {
            ThrowIfDisposed();
            if (value) Ode.BodySetKinematic(Handle);
            else Ode.BodySetDynamic(Handle);
            _isKinematic = value;
            Wake();
        }
    }

    /// <summary>Whether the world's gravity acts on this body (a floating entity turns it off).</summary>
    public bool GravityEnabled
    {
        get => _gravityEnabled;
        set
        {
            ThrowIfDisposed();
            Ode.BodySetGravityMode(Handle, value ? 1 : 0);
            _gravityEnabled = value;
            Wake();
        }
    }

    /// <summary>
    /// Fraction of linear velocity removed per step for this body (0 to 1), overriding the
    /// world's: after the step, v ← v·(1 − damping).
    /// </summary>
    public double LinearDamping
    {
        get => _linearDamping;
        set
        {
            ThrowIfDisposed();
            if (!(value >= 0 && value <= 1)) throw new ArgumentOutOfRangeException(nameof(value), value, "Damping must be in [0, 1].");
            Ode.BodySetLinearDamping(Handle, value);
            _linearDamping = value;
        }
    }

    /// <summary>Fraction of angular velocity removed per step for this body (0 to 1), overriding the world's.</summary>
    public double AngularDamping
    {
        get => _angularDamping;
        set
        {
            ThrowIfDisposed();
            if (!(value >= 0 && value <= 1)) throw new ArgumentOutOfRangeException(nameof(value), value, "Damping must be in [0, 1].");
            Ode.BodySetAngularDamping(Handle, value);
            _angularDamping = value;
        }
    }

    /// <summary>Wakes a sleeping body and clears its sleep counter.</summary>
    public void Wake()
    {
        ThrowIfDisposed();
        Ode.BodyEnable(Handle);
        SleepCounter = 0;
    }

    /// <summary>Puts the body to sleep now, at rest (velocities zeroed).</summary>
    public void Sleep()
    {
        ThrowIfDisposed();
        Ode.BodySetLinearVel(Handle, 0, 0, 0);
        Ode.BodySetAngularVel(Handle, 0, 0, 0);
        Ode.BodyDisable(Handle);
        SleepCounter = 0;
    }

    /// <summary>Adds a force through the centre of mass for the next step (newtons, stage axes); wakes the body.</summary>
    public void AddForce(Vector3D forceN)
    {
        RequireFinite(forceN, nameof(forceN));
        Wake();
        Ode.BodyAddForce(Handle, forceN.X, forceN.Y, forceN.Z);
    }

    /// <summary>Adds a force applied at a point in stage space for the next step; wakes the body.</summary>
    public void AddForceAtPosition(Vector3D forceN, Vector3D pointM)
    {
        RequireFinite(forceN, nameof(forceN));
        RequireFinite(pointM, nameof(pointM));
        Wake();
        Ode.BodyAddForceAtPos(Handle, forceN.X, forceN.Y, forceN.Z, pointM.X, pointM.Y, pointM.Z);
    }

    /// <summary>Adds a torque for the next step (newton-metres, stage axes); wakes the body.</summary>
    public void AddTorque(Vector3D torqueNm)
    {
        RequireFinite(torqueNm, nameof(torqueNm));
        Wake();
        Ode.BodyAddTorque(Handle, torqueNm.X, torqueNm.Y, torqueNm.Z);
    }

    /// <summary>Adds another geom to this body (mass unchanged), optionally offset in the body frame.</summary>
    public Geom AddGeom(Shape shape, Material material, Vector3D offsetM = default, QuaternionD? offsetOrientation = null)
    {
        ThrowIfDisposed();
        return World.CreateBodyGeom(this, shape, material, offsetM, offsetOrientation);
    }

    /// <summary>Reads the exact state (raw doubles from ODE, sleep flag and counter).</summary>
    public BodyState GetState()
    {
        ThrowIfDisposed();
        double* p = _position, q = _quaternion, v = _linearVelocity, w = _angularVelocity;
        return new BodyState(
            new Vector3D(p[0], p[1], p[2]),
            new QuaternionD(q[0], q[1], q[2], q[3]),
            new Vector3D(v[0], v[1], v[2]),
            new Vector3D(w[0], w[1], w[2]),
            Ode.BodyIsEnabled(Handle) != 0,
            SleepCounter);
    }

    /// <summary>
    /// Puts back a state read by <see cref="GetState"/>, bit for bit: position and velocities
    /// through ODE's setters (they store the doubles as given), the orientation through
    /// <c>dBodySetQuaternion</c> and then, because that renormalises, the stored quaternion bits
    /// are written into ODE's body and its rotation matrix recomputed with <c>dRfromQ</c> —
    /// the same function ODE's integrator uses, so the matrix matches too. (A quaternion that is
    /// not unit to within 1e-12 is left normalised by ODE.) Pending forces are
    /// cleared. This moves the body's geoms to the head of the hash space; restore the space
    /// order afterwards (<see cref="PhysicsWorld.RestoreState(PhysicsState)"/> does).
    /// </summary>
    public void SetState(in BodyState state)
    {
        ThrowIfDisposed();
        RequireFinite(state.PositionM, "PositionM");
        RequireFinite(state.LinearVelocityMps, "LinearVelocityMps");
        RequireFinite(state.AngularVelocityRadps, "AngularVelocityRadps");
        if (!state.Orientation.IsFinite || !(state.Orientation.Norm > 0)) throw new ArgumentException("Orientation must be a finite non-zero quaternion.", nameof(state));
        if (state.SleepCounter < 0) throw new ArgumentException("SleepCounter must be ≥ 0.", nameof(state));

        // Always through the setters, even when the pose already has these bits: they also mark
        // the body's geoms moved, and the hash-space rebuild that follows relies on every body
        // geom being dirty (skipping unchanged bodies trips ODE's AABB assertion in the next collide).
        Ode.BodySetPosition(Handle, state.PositionM.X, state.PositionM.Y, state.PositionM.Z);
        QuaternionD o = state.Orientation;
        double* given = stackalloc double[4] { o.W, o.X, o.Y, o.Z };
        Ode.BodySetQuaternion(Handle, given);
        double* stored = _quaternion;
        // Only a quaternion that is already unit (as every state read from ODE is) gets its
        // bits back; anything else keeps ODE's normalised version.
        if (Math.Abs(o.Norm - 1) <= 1e-12 && !new QuaternionD(stored[0], stored[1], stored[2], stored[3]).BitEquals(o))
        {
            // dBodySetQuaternion renormalised the (already unit) quaternion and moved its last
            // bits. ODE's own q[4] and R[12] (pointers kept from creation): write the exact bits
            // back and rebuild R from them exactly as dxStepBody does (dRfromQ after normalising).
            for (int i = 0; i < 4; i++) stored[i] = given[i];
            Ode.RFromQ(_rotation, stored);
            World.ExactOrientationWrites++;
        }
        Ode.BodySetLinearVel(Handle, state.LinearVelocityMps.X, state.LinearVelocityMps.Y, state.LinearVelocityMps.Z);
        Ode.BodySetAngularVel(Handle, state.AngularVelocityRadps.X, state.AngularVelocityRadps.Y, state.AngularVelocityRadps.Z);
        Ode.BodySetForce(Handle, 0, 0, 0);
        Ode.BodySetTorque(Handle, 0, 0, 0);
        if (state.IsAwake) Ode.BodyEnable(Handle);
        else Ode.BodyDisable(Handle);
        SleepCounter = state.SleepCounter;
    }

    /// <summary>ODE's 3×4 rotation matrix, row-major with a padding column (for exactness checks).</summary>
    internal double[] GetRotationMatrix()
    {
        double* r = Cached(_rotation);
        var m = new double[12];
        for (int i = 0; i < 12; i++) m[i] = r[i];
        return m;
    }

    /// <summary>Removes the body, its geoms and the joints attached to it. Idempotent.</summary>
    public void Dispose()
    {
        if (Handle == 0) return;
        World.DestroyBody(this);
    }

    internal void AddGeomRecord(Geom geom) => _geoms.Add(geom);

    internal void RemoveGeomRecord(Geom geom) => _geoms.Remove(geom);

    internal void ReleaseNative()
    {
        Ode.BodyDestroy(Handle);
        Handle = 0;
    }

    private double* Cached(double* pointer)
    {
        ThrowIfDisposed();
        return pointer;
    }

    private static void RequireFinite(Vector3D v, string name)
    {
        if (!v.IsFinite) throw new ArgumentException($"{name} must be finite (got {v}).", name);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Handle == 0, this);
}
