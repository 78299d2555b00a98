using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Stage.Physics.Native;

namespace Stage.Physics;

/// <summary>
/// One ODE world with its hash space: bodies, geoms, joints, a fixed step, Stage's own
/// sleeping, breakable joints, and exact capture/restore of the whole changing state.
/// <para>
/// Determinism: everything that decides ODE's arithmetic is either fixed at creation or part of
/// <see cref="PhysicsState"/> — body state bits, sleep counters, broken joints, the hash space's
/// geom order and the solver's random seed (ODE keeps it in a process global; each world keeps
/// its own copy and installs it for its step, under a process-wide lock, so worlds never step at
/// the same time and never disturb each other's sequence).
/// </para>
/// A world is not thread-safe; different worlds may live on different threads. Dispose it to
/// free its native memory (there is no finalizer).
/// </summary>
public sealed unsafe class PhysicsWorld : IDisposable
{
    // The near callback cannot throw through ODE's C frames; it parks the first failure here
    // (only one world steps at a time: StepGate) and Step rethrows it.
    private static Exception? _callbackError;

    private readonly List<RigidBody?> _bodies = [];
    private readonly List<Geom?> _geoms = [];
    private readonly List<Joint?> _joints = [];
    private readonly List<ContactPoint> _contacts = [];
    private readonly List<JointBrokenEventArgs> _breaks = [];
    private static readonly Comparison<JointBrokenEventArgs> ByJointId = (a, b) => a.Joint.Id.CompareTo(b.Joint.Id);
    private readonly PreStepState _preStep = new();
    private GCHandle _self;
    private nint _world;
    private nint _space;
    private nint _contactGroup;
    private ulong _seed;
    private Vector3D _gravity;
    private bool _disposed;

    /// <summary>Creates a world; throws <see cref="PhysicsException"/> when ODE is missing or not double precision.</summary>
    public PhysicsWorld(PhysicsWorldSettings? settings = null)
    {
        Settings = settings ?? new PhysicsWorldSettings();
        Settings.Validate();
        OdeLibrary.Acquire();
        try
        {
            _world = Ode.WorldCreate();
            if (_world == 0) throw new PhysicsException("dWorldCreate failed.");
            _gravity = Settings.GravityMps2;
            Ode.WorldSetGravity(_world, _gravity.X, _gravity.Y, _gravity.Z);
            Ode.WorldSetErp(_world, Settings.Erp);
            Ode.WorldSetCfm(_world, Settings.Cfm);
            Ode.WorldSetQuickStepNumIterations(_world, Settings.SolverIterations);
            Ode.WorldSetQuickStepW(_world, Settings.SolverOverRelaxation);
            Ode.WorldSetContactMaxCorrectingVel(_world, Settings.ContactMaxCorrectingVelocityMps);
            Ode.WorldSetContactSurfaceLayer(_world, Settings.ContactSurfaceLayerM);
            Ode.WorldSetLinearDamping(_world, Settings.LinearDamping);
            Ode.WorldSetAngularDamping(_world, Settings.AngularDamping);
            // ODE's auto-disable keeps counters the API cannot read back: Stage sleeps bodies itself.
            Ode.WorldSetAutoDisableFlag(_world, 0);

            // A hash space, never SAP: SAP keeps sort state that cannot be saved or restored.
            _space = Ode.HashSpaceCreate(0);
            if (_space == 0) throw new PhysicsException("dHashSpaceCreate failed.");
            Ode.HashSpaceSetLevels(_space, Settings.HashSpaceMinLevel, Settings.HashSpaceMaxLevel);
            Ode.SpaceSetCleanup(_space, 0); // geoms are destroyed one by one, by their owners

            _contactGroup = Ode.JointGroupCreate(0);
            if (_contactGroup == 0) throw new PhysicsException("dJointGroupCreate failed.");
            _seed = Settings.RandomSeed;
            _self = GCHandle.Alloc(this);
        }
        catch
        {
            ReleaseWorldNative();
            OdeLibrary.Release();
            throw;
        }
    }

    /// <summary>Raised after a step for each joint that broke in it, in ascending joint id.</summary>
    public event EventHandler<JointBrokenEventArgs>? JointBroken;

    /// <summary>The settings the world was created with.</summary>
    public PhysicsWorldSettings Settings { get; }

    /// <summary>The fixed step in seconds.</summary>
    public double StepSeconds => Settings.StepSeconds;

    /// <summary>Steps taken since creation (or since the restored state's step). Simulation time is StepCount × StepSeconds.</summary>
    public long StepCount { get; private set; }

    /// <summary>
    /// The solver's random seed this world installs before its next step (ODE's
    /// <c>dRandSetSeed</c>) and reads back after it (<c>dRandGetSeed</c>). Part of the state.
    /// </summary>
    public ulong RandomSeed
    {
        get => _seed;
        set
        {
            ThrowIfDisposed();
            _seed = value;
        }
    }

    /// <summary>Gravity in m/s². Changing it wakes every body.</summary>
    public Vector3D GravityMps2
    {
        get => _gravity;
        set
        {
            ThrowIfDisposed();
            if (!value.IsFinite) throw new ArgumentException($"Gravity must be finite (got {value}).", nameof(value));
            _gravity = value;
            Ode.WorldSetGravity(_world, value.X, value.Y, value.Z);
            WakeAll();
        }
    }

    /// <summary>Live bodies in ascending id.</summary>
    public IEnumerable<RigidBody> Bodies => _bodies.OfType<RigidBody>();

    /// <summary>Live geoms in ascending id.</summary>
    public IEnumerable<Geom> Geoms => _geoms.OfType<Geom>();

    /// <summary>Live joints in ascending id.</summary>
    public IEnumerable<Joint> Joints => _joints.OfType<Joint>();

    /// <summary>Contact points generated in the last step, in generation order.</summary>
    public IReadOnlyList<ContactPoint> Contacts => _contacts;

    /// <summary>Joints that broke in the last step, in ascending joint id.</summary>
    public IReadOnlyList<JointBrokenEventArgs> BreaksInLastStep => _breaks;

    /// <summary>How many times a step was solved again because a joint broke in it (diagnostic; see <see cref="Step()"/>).</summary>
    public long StepsSolvedAgain { get; private set; }

    /// <summary>How many times <see cref="RigidBody.SetState"/> had to write quaternion bits past dBodySetQuaternion (diagnostic).</summary>
    internal long ExactOrientationWrites { get; set; }

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>
    /// Creates a dynamic body carrying one geom of <paramref name="shape"/>, with the mass
    /// distribution of that shape (uniform density) and total mass <paramref name="massKg"/>.
    /// </summary>
    public RigidBody CreateBody(Shape shape, double massKg, Material material, Vector3D positionM, QuaternionD? orientation = null)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        if (!shape.CanBeDynamic) throw new ArgumentException($"A {shape.GetType().Name} is static only; use CreateStaticGeom.", nameof(shape));
        if (!PhysicsLimits.IsMass(massKg)) throw new ArgumentException($"Mass must be between {PhysicsLimits.MinMassKg} and {PhysicsLimits.MaxMassKg} kg (got {massKg}).", nameof(massKg));
        material.Validate();
        if (!positionM.IsFinite) throw new ArgumentException($"Position must be finite (got {positionM}).", nameof(positionM));
        QuaternionD o = orientation ?? QuaternionD.Identity;
        if (!o.IsFinite || !(o.Norm > 0)) throw new ArgumentException("Orientation must be a finite non-zero quaternion.", nameof(orientation));

        DMass mass = default;
        switch (shape)
        {
            case BoxShape box: Ode.MassSetBoxTotal(&mass, massKg, box.SizeM.X, box.SizeM.Y, box.SizeM.Z); break;
            case SphereShape sphere: Ode.MassSetSphereTotal(&mass, massKg, sphere.RadiusM); break;
            case CapsuleShape capsule: Ode.MassSetCapsuleTotal(&mass, massKg, 3, capsule.RadiusM, capsule.LengthM); break;
            case CylinderShape cylinder: Ode.MassSetCylinderTotal(&mass, massKg, 3, cylinder.RadiusM, cylinder.LengthM); break;
            default: throw new ArgumentException($"No mass model for {shape.GetType().Name}.", nameof(shape));
        }
        if (Ode.MassCheck(&mass) == 0) throw new PhysicsException($"ODE rejected the mass of {shape} ({massKg} kg).");

        nint handle = Ode.BodyCreate(_world);
        if (handle == 0) throw new PhysicsException("dBodyCreate failed.");
        int id = _bodies.Count;
        Ode.BodySetData(handle, id + 1);
        Ode.BodySetAutoDisableFlag(handle, 0);
        Ode.BodySetMass(handle, &mass);
        Ode.BodySetPosition(handle, positionM.X, positionM.Y, positionM.Z);
        double* q = stackalloc double[4] { o.W, o.X, o.Y, o.Z };
        Ode.BodySetQuaternion(handle, q);
        var body = new RigidBody(this, id, handle, massKg);
        _bodies.Add(body);
        CreateBodyGeom(body, shape, material, default, null);
        return body;
    }

    /// <summary>
    /// Creates static geometry (floor, walls, terrain). Planes ignore pose: pass the default
    /// position and no orientation.
    /// </summary>
    public Geom CreateStaticGeom(Shape shape, Material material, Vector3D positionM = default, QuaternionD? orientation = null)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        material.Validate();
        if (!PhysicsLimits.IsCoordinate(positionM)) throw new ArgumentException($"Position must be within ±{PhysicsLimits.MaxCoordinateM} m on each axis (got {positionM}).", nameof(positionM));
        if (shape is PlaneShape && (positionM != Vector3D.Zero || orientation is not null))
        {
            throw new ArgumentException("A plane is placed by its normal and offset, not by a pose.", nameof(positionM));
        }
        (nint handle, nint heightfield) = CreateNativeGeom(shape);
        var geom = new Geom(this, _geoms.Count, handle, heightfield, shape, material, null);
        Ode.GeomSetData(handle, geom.Id + 1);
        _geoms.Add(geom);
        if (shape is not PlaneShape)
        {
            Ode.GeomSetPosition(handle, positionM.X, positionM.Y, positionM.Z);
            if (orientation is { } o)
            {
                if (!o.IsFinite || !(o.Norm > 0)) throw new ArgumentException("Orientation must be a finite non-zero quaternion.", nameof(orientation));
                double* q = stackalloc double[4] { o.W, o.X, o.Y, o.Z };
                Ode.GeomSetQuaternion(handle, q);
            }
        }
        return geom;
    }

    /// <summary>A hinge about <paramref name="axis"/> through <paramref name="anchorM"/> (stage space), between two bodies or a body and the world.</summary>
    public HingeJoint CreateHinge(RigidBody body1, RigidBody? body2, Vector3D anchorM, Vector3D axis, JointStrength? strength = null)
    {
        CheckJointArguments(body1, body2, strength);
        if (!PhysicsLimits.IsCoordinate(anchorM)) throw new ArgumentException($"Anchor must be within ±{PhysicsLimits.MaxCoordinateM} m on each axis (got {anchorM}).", nameof(anchorM));
        if (!axis.IsFinite || !(axis.Length > 0)) throw new ArgumentException("Hinge axis must be a finite non-zero vector.", nameof(axis));
        nint handle = Ode.JointCreateHinge(_world, 0);
        if (handle == 0) throw new PhysicsException("dJointCreateHinge failed.");
        Ode.JointAttach(handle, body1.Handle, body2?.Handle ?? 0);
        Ode.JointSetHingeAnchor(handle, anchorM.X, anchorM.Y, anchorM.Z);
        Ode.JointSetHingeAxis(handle, axis.X, axis.Y, axis.Z);
        return AddJoint(new HingeJoint(this, _joints.Count, handle, body1, body2, strength ?? JointStrength.Unbreakable));
    }

    /// <summary>A ball-and-socket joint at <paramref name="anchorM"/> (stage space).</summary>
    public BallJoint CreateBall(RigidBody body1, RigidBody? body2, Vector3D anchorM, JointStrength? strength = null)
    {
        CheckJointArguments(body1, body2, strength);
        if (!PhysicsLimits.IsCoordinate(anchorM)) throw new ArgumentException($"Anchor must be within ±{PhysicsLimits.MaxCoordinateM} m on each axis (got {anchorM}).", nameof(anchorM));
        nint handle = Ode.JointCreateBall(_world, 0);
        if (handle == 0) throw new PhysicsException("dJointCreateBall failed.");
        Ode.JointAttach(handle, body1.Handle, body2?.Handle ?? 0);
        Ode.JointSetBallAnchor(handle, anchorM.X, anchorM.Y, anchorM.Z);
        return AddJoint(new BallJoint(this, _joints.Count, handle, body1, body2, strength ?? JointStrength.Unbreakable));
    }

    /// <summary>Glues two bodies (or a body and the world) in their current relative pose.</summary>
    public FixedJoint CreateFixed(RigidBody body1, RigidBody? body2, JointStrength? strength = null)
    {
        CheckJointArguments(body1, body2, strength);
        nint handle = Ode.JointCreateFixed(_world, 0);
        if (handle == 0) throw new PhysicsException("dJointCreateFixed failed.");
        Ode.JointAttach(handle, body1.Handle, body2?.Handle ?? 0);
        Ode.JointSetFixed(handle);
        return AddJoint(new FixedJoint(this, _joints.Count, handle, body1, body2, strength ?? JointStrength.Unbreakable));
    }

    /// <summary>
    /// Advances one fixed step: installs this world's seed, generates contacts (near callback),
    /// quick-steps, reads the seed back, then breaks overloaded joints and updates sleeping, and
    /// finally raises <see cref="JointBroken"/> for this step's breaks.
    /// <para>
    /// A joint that breaks gives way in the step it breaks: its feedback is only known after the
    /// solve, and that solve already made it take the whole load (a window that breaks would still
    /// have stopped the ball). So when a joint breaks, the world goes back to the state before the
    /// step (kept only while a joint can break: a world without breakable joints steps exactly as
    /// before), the broken joints stay disabled, and the step is solved again — again while the
    /// new solve overloads more joints. Everything the solve depends on is put back bit for bit
    /// (body states, forces of the step, space order, seed), so the result is as deterministic as
    /// any step. <see cref="Contacts"/> are those of the final solve; every break of the step
    /// carries the step number and the feedback of the solve that found it, in ascending joint id.
    /// </para>
    /// </summary>
    public void Step()
    {
        ThrowIfDisposed();
        _breaks.Clear();
        bool mayBreak = HasIntactBreakableJoint();
        if (mayBreak) _preStep.Capture(_bodies, this, _seed);
        Solve();
        if (mayBreak)
        {
            if (BreakOverloadedJoints())
            {
                do
                {
                    _preStep.RestoreBodies();
                    SetSpaceOrderValidated(CollectionsMarshal.AsSpan(_preStep.SpaceOrder));
                    _seed = _preStep.Seed;
                    StepCount = _preStep.Step;
                    Solve();
                    StepsSolvedAgain++;
                }
                while (BreakOverloadedJoints());
                if (_breaks.Count > 1) _breaks.Sort(ByJointId);
            }
            _preStep.Clear();
        }
        UpdateSleep();
        foreach (JointBrokenEventArgs e in _breaks) JointBroken?.Invoke(this, e);
    }

    /// <summary>Takes <paramref name="count"/> steps.</summary>
    public void Step(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (int i = 0; i < count; i++) Step();
    }

    /// <summary>Wakes every body (after a rule change, or when something they rest on went away).</summary>
    public void WakeAll()
    {
        ThrowIfDisposed();
        foreach (RigidBody? body in _bodies) body?.Wake();
    }

    /// <summary>
    /// The hash space's geom list, head first. ODE collides geoms in an order that follows this
    /// list, and the list changes with history: a geom whose body moved is moved to the head
    /// (<c>dGeomMoved</c>), a sleeping body's geoms are not. So it is part of the state.
    /// </summary>
    public IReadOnlyList<Geom> GetSpaceOrder()
    {
        ThrowIfDisposed();
        return [.. GetSpaceOrderIds().Select(id => _geoms[id]!)];
    }

    /// <summary>
    /// The hash space's geom ids, head first, appended to <paramref name="destination"/> (cleared
    /// first) — <see cref="GetSpaceOrder"/> without allocating a list of geoms.
    /// </summary>
    public void GetSpaceOrderIds(List<int> destination)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(destination);
        destination.Clear();
        int count = Ode.SpaceGetNumGeoms(_space);
        destination.EnsureCapacity(count);
        for (int i = 0; i < count; i++)
        {
            nint g = Ode.SpaceGetGeom(_space, i);
            if (g == 0) throw new PhysicsException($"dSpaceGetGeom returned null at {i} of {count}.");
            destination.Add((int)Ode.GeomGetData(g) - 1);
        }
    }

    /// <summary>
    /// Rebuilds the hash space's list in the given order (head first) by removing every geom
    /// and adding them back tail first (<c>dSpaceAdd</c> inserts at the head). The order must
    /// name every live geom once. Verified by reading the order back.
    /// </summary>
    public void SetSpaceOrder(IReadOnlyList<Geom> order)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(order);
        var ids = new int[order.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            if (order[i].World != this || order[i].IsDisposed) throw new ArgumentException($"Geom at [{i}] is not a live geom of this world.", nameof(order));
            ids[i] = order[i].Id;
        }
        SetSpaceOrderIds(ids);
    }

    /// <summary>Captures everything that changes between steps (see <see cref="PhysicsState"/>).</summary>
    public PhysicsState CaptureState()
    {
        ThrowIfDisposed();
        var bodyIds = new List<int>();
        var bodies = new List<BodyState>();
        foreach (RigidBody? body in _bodies)
        {
            if (body is null) continue;
            bodyIds.Add(body.Id);
            bodies.Add(body.GetState());
        }
        var jointIds = new List<int>();
        var broken = new List<long?>();
        foreach (Joint? joint in _joints)
        {
            if (joint is null) continue;
            jointIds.Add(joint.Id);
            broken.Add(joint.BrokenAtStep);
        }
        return new PhysicsState(StepCount, _seed, bodyIds, bodies, jointIds, broken, GetSpaceOrderIds());
    }

    /// <summary>
    /// Restores a captured state into this world, which must hold the same bodies, joints and
    /// geoms (same ids) — the same world, or one built the same way. Order: body states (each
    /// exact, see <see cref="RigidBody.SetState"/>), joint break flags, then the hash-space
    /// order last (setting bodies moves their geoms to the head), then seed and step count.
    /// </summary>
    public void RestoreState(PhysicsState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        RestoreState(state.Step, state.RandomSeed, state.BodyIdSpan, state.BodySpan, state.JointIdSpan, state.JointBrokenAtStepSpan, state.SpaceOrderSpan);
    }

    /// <summary>
    /// <see cref="RestoreState(PhysicsState)"/> from the parts of a state, without building a
    /// <see cref="PhysicsState"/> (which copies every array): for a caller that restores a large
    /// world often from buffers it reuses. Same checks, same order, same result.
    /// </summary>
    public void RestoreState(long step, ulong randomSeed, ReadOnlySpan<int> bodyIds, ReadOnlySpan<BodyState> bodies,
        ReadOnlySpan<int> jointIds, ReadOnlySpan<long?> jointBrokenAtStep, ReadOnlySpan<int> spaceOrder)
    {
        ThrowIfDisposed();
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "The step count cannot be negative.");
        if (bodyIds.Length != bodies.Length) throw new ArgumentException($"{bodyIds.Length} body ids but {bodies.Length} body states.");
        if (jointIds.Length != jointBrokenAtStep.Length) throw new ArgumentException($"{jointIds.Length} joint ids but {jointBrokenAtStep.Length} joint states.");
        // Checks first, without allocating: the state names exactly the live bodies and joints
        // (ascending id, as CaptureState lists them) and every live geom once.
        if (!LiveIdsEqual(_bodies, bodyIds))
        {
            throw new ArgumentException($"The state holds bodies [{string.Join(", ", bodyIds.ToArray())}] but the world has [{string.Join(", ", Bodies.Select(b => b.Id))}].", "state");
        }
        if (!LiveIdsEqual(_joints, jointIds))
        {
            throw new ArgumentException($"The state holds joints [{string.Join(", ", jointIds.ToArray())}] but the world has [{string.Join(", ", Joints.Select(j => j.Id))}].", "state");
        }
        ValidateSpaceOrder(spaceOrder);
        for (int i = 0; i < bodyIds.Length; i++) _bodies[bodyIds[i]]!.SetState(in bodies[i]);
        for (int i = 0; i < jointIds.Length; i++) _joints[jointIds[i]]!.SetBroken(jointBrokenAtStep[i]);
        SetSpaceOrderValidated(spaceOrder);
        _seed = randomSeed;
        StepCount = step;
        _contacts.Clear();
        _breaks.Clear();
    }

    /// <summary>Frees every native object of the world. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (Joint? joint in _joints) joint?.ReleaseNative();
        foreach (Geom? geom in _geoms) geom?.ReleaseNative();
        foreach (RigidBody? body in _bodies) body?.ReleaseNative();
        _joints.Clear();
        _geoms.Clear();
        _bodies.Clear();
        ReleaseWorldNative();
        if (_self.IsAllocated) _self.Free();
        OdeLibrary.Release();
    }

    internal Geom CreateBodyGeom(RigidBody body, Shape shape, Material material, Vector3D offsetM, QuaternionD? offsetOrientation)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        if (!shape.CanBeDynamic) throw new ArgumentException($"A {shape.GetType().Name} cannot be carried by a body.", nameof(shape));
        material.Validate();
        if (!offsetM.IsFinite) throw new ArgumentException($"Offset must be finite (got {offsetM}).", nameof(offsetM));
        if (offsetOrientation is { } check && (!check.IsFinite || !(check.Norm > 0)))
        {
            throw new ArgumentException("Offset orientation must be a finite non-zero quaternion.", nameof(offsetOrientation));
        }
        (nint handle, _) = CreateNativeGeom(shape);
        var geom = new Geom(this, _geoms.Count, handle, 0, shape, material, body);
        Ode.GeomSetData(handle, geom.Id + 1);
        _geoms.Add(geom);
        Ode.GeomSetBody(handle, body.Handle);
        if (offsetM != Vector3D.Zero) Ode.GeomSetOffsetPosition(handle, offsetM.X, offsetM.Y, offsetM.Z);
        if (offsetOrientation is { } o)
        {
            double* q = stackalloc double[4] { o.W, o.X, o.Y, o.Z };
            Ode.GeomSetOffsetQuaternion(handle, q);
        }
        body.AddGeomRecord(geom);
        return geom;
    }

    internal void DestroyGeom(Geom geom)
    {
        geom.Body?.RemoveGeomRecord(geom);
        _geoms[geom.Id] = null;
        geom.ReleaseNative();
        WakeAll();
    }

    internal void DestroyJoint(Joint joint)
    {
        joint.Body1.Joints.Remove(joint);
        joint.Body2?.Joints.Remove(joint);
        _joints[joint.Id] = null;
        joint.ReleaseNative();
    }

    internal void DestroyBody(RigidBody body)
    {
        foreach (Joint joint in body.Joints.ToArray()) DestroyJoint(joint);
        foreach (Geom geom in body.Geoms.ToArray())
        {
            body.RemoveGeomRecord(geom);
            _geoms[geom.Id] = null;
            geom.ReleaseNative();
        }
        _bodies[body.Id] = null;
        body.ReleaseNative();
        // Whatever rested on it must fall: sleeping bodies do not notice on their own.
        WakeAll();
    }

    private (nint Handle, nint Heightfield) CreateNativeGeom(Shape shape)
    {
        nint handle;
        nint heightfield = 0;
        switch (shape)
        {
            case BoxShape box: handle = Ode.CreateBox(_space, box.SizeM.X, box.SizeM.Y, box.SizeM.Z); break;
            case SphereShape sphere: handle = Ode.CreateSphere(_space, sphere.RadiusM); break;
            case CapsuleShape capsule: handle = Ode.CreateCapsule(_space, capsule.RadiusM, capsule.LengthM); break;
            case CylinderShape cylinder: handle = Ode.CreateCylinder(_space, cylinder.RadiusM, cylinder.LengthM); break;
            case PlaneShape plane:
                Vector3D n = plane.Normal * (1 / plane.Normal.Length);
                handle = Ode.CreatePlane(_space, n.X, n.Y, n.Z, plane.OffsetM);
                break;
            case HeightfieldShape field:
                heightfield = Ode.GeomHeightfieldDataCreate();
                if (heightfield == 0) throw new PhysicsException("dGeomHeightfieldDataCreate failed.");
                double[] heights = [.. field.HeightsM];
                fixed (double* h = heights)
                {
                    // bCopyHeightData = 1: ODE keeps its own copy, nothing stays pinned.
                    Ode.GeomHeightfieldDataBuildDouble(heightfield, h, 1, field.WidthM, field.DepthM,
                        field.WidthSamples, field.DepthSamples, 1.0, 0.0, field.ThicknessM, 0);
                }
                Ode.GeomHeightfieldDataSetBounds(heightfield, heights.Min(), heights.Max());
                handle = Ode.CreateHeightfield(_space, heightfield, 1);
                if (handle == 0) Ode.GeomHeightfieldDataDestroy(heightfield);
                break;
            default: throw new ArgumentException($"Unknown shape {shape.GetType().Name}.", nameof(shape));
        }
        if (handle == 0) throw new PhysicsException($"ODE could not create the geom for {shape.GetType().Name}.");
        return (handle, heightfield);
    }

    private void CheckJointArguments(RigidBody body1, RigidBody? body2, JointStrength? strength)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(body1);
        if (body1.World != this || body1.IsDisposed) throw new ArgumentException("Body 1 is not a live body of this world.", nameof(body1));
        if (body2 is not null && (body2.World != this || body2.IsDisposed)) throw new ArgumentException("Body 2 is not a live body of this world.", nameof(body2));
        if (body1 == body2) throw new ArgumentException("A joint needs two different bodies (pass null to hold a body to the world).", nameof(body2));
        strength?.Validate();
    }

    private T AddJoint<T>(T joint) where T : Joint
    {
        _joints.Add(joint);
        joint.Body1.Joints.Add(joint);
        joint.Body2?.Joints.Add(joint);
        return joint;
    }

    /// <summary>One solve: seed in, contacts, quick-step, seed out, step count + 1.</summary>
    private void Solve()
    {
        _contacts.Clear();
        lock (OdeLibrary.StepGate)
        {
            OdeLibrary.EnsureThreadData();
            Ode.RandSetSeed(new CULong((nuint)_seed));
            _callbackError = null;
            Ode.SpaceCollide(_space, GCHandle.ToIntPtr(_self), &NearCallback);
            if (_callbackError is { } error)
            {
                _callbackError = null;
                Ode.JointGroupEmpty(_contactGroup);
                throw new PhysicsException("Contact generation failed; the step was not taken.", error);
            }
            int ok = Ode.WorldQuickStep(_world, Settings.StepSeconds);
            Ode.JointGroupEmpty(_contactGroup);
            if (ok == 0) throw new PhysicsException("dWorldQuickStep failed (step memory could not be reserved).");
            _seed = Ode.RandGetSeed().Value;
        }
        StepCount++;
    }

    private bool HasIntactBreakableJoint()
    {
        foreach (Joint? joint in _joints)
        {
            if (joint is { IsBroken: false } && joint.Strength.IsBreakable) return true;
        }
        return false;
    }

    /// <summary>Breaks (disables) every intact joint whose feedback exceeds its strength; true when any broke.</summary>
    private bool BreakOverloadedJoints()
    {
        bool any = false;
        foreach (Joint? joint in _joints)
        {
            if (joint is null || joint.IsBroken || !joint.Strength.IsBreakable) continue;
            JointFeedback feedback = joint.ReadFeedback();
            if (feedback.ForceMagnitudeN > joint.Strength.ForceN || feedback.TorqueMagnitudeNm > joint.Strength.TorqueNm)
            {
                joint.Break(StepCount);
                _breaks.Add(new JointBrokenEventArgs(joint, StepCount, feedback));
                any = true;
            }
        }
        return any;
    }

    private void UpdateSleep()
    {
        SleepSettings sleep = Settings.Sleep;
        double linear2 = sleep.LinearSpeedThresholdMps * sleep.LinearSpeedThresholdMps;
        double angular2 = sleep.AngularSpeedThresholdRadps * sleep.AngularSpeedThresholdRadps;
        foreach (RigidBody? body in _bodies)
        {
            if (body is null) continue;
            if (!sleep.Enabled || !body.CanSleep || body.IsKinematic)
            {
                body.SleepCounter = 0;
                continue;
            }
            nint h = body.Handle;
            if (Ode.BodyIsEnabled(h) == 0) continue;
            double* v = Ode.BodyGetLinearVel(h);
            double* w = Ode.BodyGetAngularVel(h);
            bool resting = v[0] * v[0] + v[1] * v[1] + v[2] * v[2] <= linear2
                && w[0] * w[0] + w[1] * w[1] + w[2] * w[2] <= angular2;
            if (!resting)
            {
                body.SleepCounter = 0;
            }
            else if (++body.SleepCounter >= sleep.StepsBeforeSleep)
            {
                body.Sleep();
            }
        }
    }

    private int[] GetSpaceOrderIds()
    {
        int count = Ode.SpaceGetNumGeoms(_space);
        var ids = new int[count];
        for (int i = 0; i < count; i++)
        {
            nint g = Ode.SpaceGetGeom(_space, i);
            if (g == 0) throw new PhysicsException($"dSpaceGetGeom returned null at {i} of {count}.");
            ids[i] = (int)Ode.GeomGetData(g) - 1;
        }
        return ids;
    }

    private static bool LiveIdsEqual<T>(List<T?> items, ReadOnlySpan<int> ids) where T : class
    {
        int n = 0;
        for (int id = 0; id < items.Count; id++)
        {
            if (items[id] is null) continue;
            if (n >= ids.Length || ids[n] != id) return false;
            n++;
        }
        return n == ids.Length;
    }

    private void ValidateSpaceOrder(ReadOnlySpan<int> ids)
    {
        int live = 0;
        foreach (Geom? g in _geoms)
        {
            if (g is not null) live++;
        }
        if (ids.Length != live) throw new ArgumentException($"The space order names {ids.Length} geoms but the world has {live}.");
        bool[] rented = ArrayPool<bool>.Shared.Rent(Math.Max(1, _geoms.Count));
        try
        {
            Span<bool> seen = rented.AsSpan(0, _geoms.Count);
            seen.Clear();
            for (int i = 0; i < ids.Length; i++)
            {
                int id = ids[i];
                if (id < 0 || id >= _geoms.Count || _geoms[id] is null) throw new ArgumentException($"Space order [{i}] = {id} is not a live geom.");
                if (seen[id]) throw new ArgumentException($"Space order names geom {id} twice.");
                seen[id] = true;
            }
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(rented);
        }
    }

    private void SetSpaceOrderIds(int[] ids)
    {
        ValidateSpaceOrder(ids);
        SetSpaceOrderValidated(ids);
    }

    private void SetSpaceOrderValidated(ReadOnlySpan<int> ids)
    {
        foreach (int id in ids) Ode.SpaceRemove(_space, _geoms[id]!.Handle);
        for (int i = ids.Length - 1; i >= 0; i--) Ode.SpaceAdd(_space, _geoms[ids[i]]!.Handle);
        // Read the order back (head first) and compare in place.
        bool same = Ode.SpaceGetNumGeoms(_space) == ids.Length;
        for (int i = 0; same && i < ids.Length; i++)
        {
            nint g = Ode.SpaceGetGeom(_space, i);
            same = g != 0 && (int)Ode.GeomGetData(g) - 1 == ids[i];
        }
        if (!same)
        {
            throw new PhysicsException("The hash space did not take the requested geom order (dSpaceAdd no longer inserts at the head?).");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void NearCallback(nint data, nint o1, nint o2)
    {
        try
        {
            var world = (PhysicsWorld)GCHandle.FromIntPtr(data).Target!;
            world.Collide(o1, o2);
        }
        catch (Exception e)
        {
            _callbackError ??= e;
        }
    }

    private void Collide(nint o1, nint o2)
    {
        nint b1 = Ode.GeomGetBody(o1);
        nint b2 = Ode.GeomGetBody(o2);
        RigidBody? r1 = BodyOf(b1);
        RigidBody? r2 = BodyOf(b2);
        if (r1 is null && r2 is null) return; // static against static
        if (r1 == r2) return; // two geoms of one body
        bool awake1 = r1 is { IsKinematic: false } && Ode.BodyIsEnabled(b1) != 0;
        bool awake2 = r2 is { IsKinematic: false } && Ode.BodyIsEnabled(b2) != 0;
        RigidBody? sleeperToWake = null;
        if (!awake1 && !awake2)
        {
            // Nothing here can be pushed by ODE — unless a moving kinematic body (a door, a
            // vehicle) touches a sleeping one: ODE does not wake bodies through kinematic ones,
            // so Stage wakes the sleeper itself when the pair really touches.
            if (r1 is { IsKinematic: false } && IsMovingKinematic(r2)) sleeperToWake = r1;
            else if (r2 is { IsKinematic: false } && IsMovingKinematic(r1)) sleeperToWake = r2;
            else return;
        }
        if (r1 is not null && r2 is not null && JoinedWithoutCollision(r1, r2)) return;

        Geom g1 = GeomOf(o1);
        Geom g2 = GeomOf(o2);
        int max = Settings.MaxContactsPerPair;
        DContact* contacts = stackalloc DContact[max];
        new Span<DContact>(contacts, max).Clear();
        int n = Ode.Collide(o1, o2, max, &contacts->Geom, sizeof(DContact));
        if (n <= 0) return;
        sleeperToWake?.Wake();
        DSurfaceParameters surface = Combine(g1.Material, g2.Material);
        for (int i = 0; i < n; i++)
        {
            DContact* c = contacts + i;
            c->Surface = surface;
            nint joint = Ode.JointCreateContact(_world, _contactGroup, c);
            if (joint == 0) throw new PhysicsException("dJointCreateContact failed.");
            Ode.JointAttach(joint, b1, b2);
            _contacts.Add(new ContactPoint(g1.Id, g2.Id,
                new Vector3D(c->Geom.Pos[0], c->Geom.Pos[1], c->Geom.Pos[2]),
                new Vector3D(c->Geom.Normal[0], c->Geom.Normal[1], c->Geom.Normal[2]),
                c->Geom.Depth));
        }
    }

    private static DSurfaceParameters Combine(Material a, Material b)
    {
        // Approx1: friction limited by μ × the normal force (Coulomb), not a fixed force.
        var s = new DSurfaceParameters { Mode = ContactMode.Approx1 };
        s.Mu = a.Friction == 0 || b.Friction == 0 ? 0 : Math.Sqrt(a.Friction * b.Friction);
        double restitution = Math.Max(a.Restitution, b.Restitution);
        if (restitution > 0)
        {
            s.Mode |= ContactMode.Bounce;
            s.Bounce = restitution;
            s.BounceVel = Math.Max(a.BounceThresholdMps, b.BounceThresholdMps);
        }
        double cfm = a.SoftnessCfm + b.SoftnessCfm;
        if (cfm > 0)
        {
            s.Mode |= ContactMode.SoftCfm;
            s.SoftCfm = cfm;
        }
        double erp = a.SoftnessErp > 0 && b.SoftnessErp > 0 ? Math.Min(a.SoftnessErp, b.SoftnessErp) : Math.Max(a.SoftnessErp, b.SoftnessErp);
        if (erp > 0)
        {
            s.Mode |= ContactMode.SoftErp;
            s.SoftErp = erp;
        }
        return s;
    }

    private static bool IsMovingKinematic(RigidBody? body)
    {
        if (body is not { IsKinematic: true }) return false;
        double* v = Ode.BodyGetLinearVel(body.Handle);
        double* w = Ode.BodyGetAngularVel(body.Handle);
        return v[0] != 0 || v[1] != 0 || v[2] != 0 || w[0] != 0 || w[1] != 0 || w[2] != 0;
    }

    private static bool JoinedWithoutCollision(RigidBody a, RigidBody b)
    {
        foreach (Joint joint in a.Joints)
        {
            if (!joint.IsBroken && !joint.CollideConnected && (joint.Body2 == b || joint.Body1 == b)) return true;
        }
        return false;
    }

    private RigidBody? BodyOf(nint body)
    {
        if (body == 0) return null;
        int id = (int)Ode.BodyGetData(body) - 1;
        return _bodies[id] ?? throw new PhysicsException($"ODE reported body {id}, which was destroyed.");
    }

    private Geom GeomOf(nint geom)
    {
        int id = (int)Ode.GeomGetData(geom) - 1;
        return _geoms[id] ?? throw new PhysicsException($"ODE reported geom {id}, which was destroyed.");
    }

    private void ReleaseWorldNative()
    {
        if (_contactGroup != 0) Ode.JointGroupDestroy(_contactGroup);
        if (_space != 0) Ode.SpaceDestroy(_space);
        if (_world != 0) Ode.WorldDestroy(_world);
        _contactGroup = 0;
        _space = 0;
        _world = 0;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
