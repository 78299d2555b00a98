using System.Runtime.InteropServices;
using Stage.Core.Configuration;
using Stage.Physics;

namespace Stage.World;

/// <summary>
/// The simulated world: entities in ascending id order over one <see cref="PhysicsWorld"/>, the
/// world's rules, pending commands, behaviours and events, advanced in fixed steps. Simulation time
/// is <see cref="StepCount"/> / <see cref="WorldSettings.StepHz"/>, never accumulated seconds.
/// Nothing is culled: every entity is stepped every step, seen or not.
/// </summary>
/// <remarks>
/// One step, in this order: commands due at this step (ascending sequence) → spawners due →
/// kinematic paths set to their pose and velocity at this step's time → per-entity gravity forces
/// → previous poses kept (interpolation) → the physics step → contact and break events (step
/// number = the step count after the step) → <see cref="StepCompleted"/>.
/// </remarks>
public sealed class StageWorld : IDisposable
{
    private readonly List<Entity> _entities = [];
    private readonly Dictionary<long, Entity> _byId = [];
    private readonly Dictionary<int, Entity> _byGeom = [];
    private readonly List<WorldJoint> _joints = [];
    private readonly List<PendingCommand> _pending = [];
    private readonly List<WorldEvent> _stepEvents = [];
    private readonly HashSet<(long, long)> _contactPairs = [];
    private readonly List<ContactEvent> _contactEvents = [];
    private readonly List<Entity> _leaving = [];
    private long _engineAccumulator;
    // Reused by in-place restores: at 10,000 entities these are megabytes, and fresh arrays that
    // size are fresh memory faulted in page by page on every take reset.
    private EntityState[] _resetStates = [];
    private readonly List<int> _resetBodyIds = [];
    private readonly List<BodyState> _resetBodies = [];
    private readonly List<int> _spaceOrderIds = [];
    private readonly List<int> _resetJointIds = [];
    private readonly List<int> _resetSpace = [];
    private bool _disposed;

    /// <summary>An empty world with the given settings and rules.</summary>
    public StageWorld(WorldSettings? settings = null, WorldRules? rules = null)
    {
        Settings = settings ?? new WorldSettings();
        IReadOnlyList<(string Field, string Message)> settingFaults = Settings.FindFaults();
        if (settingFaults.Count > 0) throw new ArgumentException("Invalid settings: " + string.Join("; ", settingFaults.Select(f => $"{f.Field} {f.Message}")), nameof(settings));
        Rules = rules ?? new WorldRules();
        IReadOnlyList<string> faults = Rules.Validate();
        if (faults.Count > 0) throw new ArgumentException("Invalid rules: " + string.Join("; ", faults), nameof(rules));
        Physics = new PhysicsWorld(new PhysicsWorldSettings
        {
            StepSeconds = Settings.StepSeconds,
            GravityMps2 = Rules.EffectiveGravityMps2,
            RandomSeed = Settings.SolverSeed,
            SolverIterations = Settings.SolverIterations,
            Sleep = Settings.SleepEnabled ? SleepSettings.Default : SleepSettings.Off,
        });
        if (Settings.Sun is PlacedSun sun) SunUtcTicks = sun.StartUtcTicks;
    }

    /// <summary>Raised for every event, in order, as it happens.</summary>
    public event EventHandler<WorldEvent>? EventRaised;

    /// <summary>Raised when a command is submitted (the journal records it).</summary>
    public event EventHandler<PendingCommand>? CommandSubmitted;

    /// <summary>Raised at the end of every step.</summary>
    public event EventHandler? StepCompleted;

    /// <summary>Fixed settings.</summary>
    public WorldSettings Settings { get; }

    /// <summary>The rules in force.</summary>
    public WorldRules Rules { get; private set; }

    /// <summary>The physics world underneath (for diagnostics; change entities through this class).</summary>
    public PhysicsWorld Physics { get; }

    /// <summary>Whole steps taken since step 0.</summary>
    public long StepCount => Physics.StepCount;

    /// <summary>
    /// The placed sun's clock (<see cref="PlacedSun"/>): the instant the sky shows now, UTC, as
    /// <see cref="DateTime"/> ticks; 0 when the sun is not placed. World state: it starts at the
    /// scene's date and time, advances each step by the step's length × <see cref="WorldRules.TimeOfDayScale"/>
    /// (simulated time, never the wall clock), and is kept in snapshots and the state hash.
    /// </summary>
    public long SunUtcTicks { get; internal set; }

    /// <summary>Where the sun is now (null when the world does not place it: the renderer keeps its own).</summary>
    public SunPosition? Sun => SunPosition.Of(Settings.Sun, SunUtcTicks);

    /// <summary>Simulation time, seconds: <see cref="StepCount"/> / step rate.</summary>
    public double TimeS => StepCount / (double)Settings.StepHz;

    /// <summary>Where between the previous and the current step the renderer is, 0..1 (set by the Advance methods).</summary>
    public double InterpolationAlpha { get; private set; } = 1;

    /// <summary>Every entity, ascending id.</summary>
    public IReadOnlyList<Entity> Entities => _entities;

    /// <summary>Every joint (broken ones too), ascending id.</summary>
    public IReadOnlyList<WorldJoint> Joints => _joints;

    /// <summary>Commands waiting for their step, in (step, sequence) order.</summary>
    public IReadOnlyList<PendingCommand> PendingCommands => _pending;

    /// <summary>Events of the last step (and of commands applied before it), in order.</summary>
    public IReadOnlyList<WorldEvent> EventsInLastStep => _stepEvents;

    /// <summary>The id the next entity gets.</summary>
    public long NextEntityId { get; private set; } = 1;

    /// <summary>The id the next joint gets.</summary>
    public long NextJointId { get; private set; } = 1;

    /// <summary>The sequence number the next submitted command gets.</summary>
    public long NextCommandSequence { get; private set; } = 1;

    /// <summary>The entity with this id, or null.</summary>
    public Entity? Get(long id) => _byId.GetValueOrDefault(id);

    /// <summary>The lowest-id entity with this name, or null.</summary>
    public Entity? Find(string name) => _entities.FirstOrDefault(e => e.Name == name);

    /// <summary>Entities carrying a tag, ascending id.</summary>
    public IReadOnlyList<Entity> WithTag(string tag) => [.. _entities.Where(e => e.Tags.Contains(tag))];

    /// <summary>Entities whose bounding sphere (at the current pose) touches the frustum, ascending id. Entities without a body count as points.</summary>
    public IReadOnlyList<Entity> InFrustum(Frustum frustum)
    {
        ArgumentNullException.ThrowIfNull(frustum);
        return [.. _entities.Where(e => frustum.IntersectsSphere(e.PositionM, e.BoundingRadiusM))];
    }

    /// <summary>The pose to draw: between the previous and the current step at <see cref="InterpolationAlpha"/>.</summary>
    public (Vector3D PositionM, QuaternionD Orientation) InterpolatedPose(Entity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        double a = InterpolationAlpha;
        Vector3D p0 = entity.PreviousPositionM, p1 = entity.PositionM;
        return (p0 + (p1 - p0) * a, QuaternionMath.Nlerp(entity.PreviousOrientation, entity.Orientation, a));
    }

    /// <summary>Creates an entity now, with the next id, and raises <see cref="EntitySpawnedEvent"/>. For building a world; during a run use <see cref="CreateEntityCommand"/> so the journal records it.</summary>
    public Entity CreateEntity(EntityDefinition definition) => CreateEntity(definition, null);

    /// <summary>Creates a joint now between current poses. For building a world (scene load); during a run use <see cref="CreateJointCommand"/> so the journal records it.</summary>
    public WorldJoint CreateJoint(JointDefinition definition)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(definition);
        Entity a = Get(definition.EntityA) ?? throw new ArgumentException($"Joint '{definition.Name}': no entity {definition.EntityA}.", nameof(definition));
        RigidBody bodyA = a.RigidBody ?? throw new ArgumentException($"Joint '{definition.Name}': entity '{a.Name}' has no dynamic body.", nameof(definition));
        RigidBody? bodyB = null;
        if (definition.EntityB is long idB)
        {
            Entity b = Get(idB) ?? throw new ArgumentException($"Joint '{definition.Name}': no entity {idB}.", nameof(definition));
            bodyB = b.RigidBody ?? throw new ArgumentException($"Joint '{definition.Name}': entity '{b.Name}' has no dynamic body.", nameof(definition));
            if (ReferenceEquals(bodyA, bodyB)) throw new ArgumentException($"Joint '{definition.Name}' joins an entity to itself.", nameof(definition));
        }
        var faults = new List<ConfigFault>();
        WorldLimits.CheckJoint(definition.AnchorM, definition.Axis, definition.Strength, "", faults);
        WorldLimits.ThrowIfAny(faults, $"Joint '{definition.Name}'");
        var joint = new WorldJoint(NextJointId++, definition, bodyA.GetState(), bodyB?.GetState(), StepCount);
        joint.Native = MakeNativeJoint(definition, bodyA, bodyB);
        _joints.Add(joint);
        return joint;
    }

    /// <summary>The joint with this id (held or broken), or null.</summary>
    public WorldJoint? GetJoint(long id)
    {
        foreach (WorldJoint j in _joints) if (j.Id == id) return j;
        return null;
    }

    /// <summary>The lowest-id joint with this name, or null.</summary>
    public WorldJoint? FindJoint(string name)
    {
        foreach (WorldJoint j in _joints) if (j.Definition.Name == name) return j;
        return null;
    }

    /// <summary>Submits a command to take effect at the next step taken (at the current step count).</summary>
    public PendingCommand Submit(WorldCommand command) => SubmitAt(StepCount, command);

    /// <summary>Submits a command to take effect at <paramref name="step"/> (not before the current step).</summary>
    public PendingCommand SubmitAt(long step, WorldCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (step < StepCount) throw new ArgumentOutOfRangeException(nameof(step), step, $"A command cannot take effect in the past (the world is at step {StepCount}).");
        var pending = new PendingCommand(step, NextCommandSequence++, command);
        InsertPending(pending);
        CommandSubmitted?.Invoke(this, pending);
        return pending;
    }

    /// <summary>Takes one fixed step (see the class remarks for the order).</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stepEvents.Clear();
        long step = StepCount;
        ApplyDueCommands(step);
        AdvanceSunClock();
        RunSpawners(step);
        double tS = step / (double)Settings.StepHz;
        double nextTS = (step + 1) / (double)Settings.StepHz;
        Vector3D gravity = Rules.EffectiveGravityMps2;
        foreach (Entity e in _entities)
        {
            if (e.Behaviour is PathBehaviour path && !e.Overrides.Frozen)
            {
                (Vector3D p0, QuaternionD q0) = path.PoseAt(tS, e.HomePositionM, e.HomeOrientation);
                (Vector3D p1, QuaternionD q1) = path.PoseAt(nextTS, e.HomePositionM, e.HomeOrientation);
                if (e.RigidBody is { } kb)
                {
                    kb.PositionM = p0;
                    kb.Orientation = q0;
                    kb.LinearVelocityMps = (p1 - p0) * Settings.StepHz;
                    kb.AngularVelocityRadps = QuaternionMath.AngularVelocity(q0, q1, Settings.StepSeconds);
                }
                else
                {
                    e.OwnLinearVelocityMps = (p1 - p0) * Settings.StepHz;
                }
            }
            if (e.RigidBody is { } body)
            {
                if (e.Overrides.GravityScale is double scale && !e.IsKinematic && !e.Overrides.Floats && body.IsAwake)
                {
                    body.AddForce(gravity * (scale * body.MassKg));
                }
                e.PreviousPositionM = body.PositionM;
                e.PreviousOrientation = body.Orientation;
                e.PreStepLinearVelocityMps = body.LinearVelocityMps;
            }
            else
            {
                e.PreviousPositionM = e.OwnPositionM;
                e.PreviousOrientation = e.OwnOrientation;
                e.PreStepLinearVelocityMps = Vector3D.Zero;
            }
        }
        Physics.Step();
        long after = StepCount;
        foreach (Entity e in _entities)
        {
            if (e.RigidBody is null && e.Behaviour is PathBehaviour path && !e.Overrides.Frozen)
            {
                (e.OwnPositionM, e.OwnOrientation) = path.PoseAt(nextTS, e.HomePositionM, e.HomeOrientation);
            }
        }
        CollectContacts(after);
        foreach (JointBrokenEventArgs broken in Physics.BreaksInLastStep)
        {
            WorldJoint joint = _joints.First(j => ReferenceEquals(j.Native, broken.Joint));
            Raise(new JointBrokeEvent(after, joint.Id, joint.Definition.Name, broken.Feedback.ForceMagnitudeN, broken.Feedback.TorqueMagnitudeNm));
        }
        EnforceBound(after);
        InterpolationAlpha = 1;
        StepCompleted?.Invoke(this, EventArgs.Empty);
    }

    // Whole ticks a step, rounded once from the rule (the same integer every step at one scale,
    // so the clock is exact and the same on every machine); held at the latest date the sun is trusted for.
    private void AdvanceSunClock()
    {
        if (Settings.Sun is not PlacedSun) return;
        long ticks = (long)Math.Round(TimeSpan.TicksPerSecond * Rules.TimeOfDayScale / Settings.StepHz);
        SunUtcTicks = Math.Min(SunUtcTicks + ticks, PlacedSun.MaxTicks);
    }

    /// <summary>Steps until <see cref="StepCount"/> equals <paramref name="step"/> (no-op when already there or past).</summary>
    public void StepTo(long step)
    {
        while (StepCount < step) Step();
    }

    /// <summary>
    /// Runs whole steps up to simulation time <paramref name="simulationTimeS"/> and sets
    /// <see cref="InterpolationAlpha"/> to the fraction of a step beyond the last one.
    /// </summary>
    public void AdvanceToSeconds(double simulationTimeS)
    {
        double stepsExact = simulationTimeS * Settings.StepHz;
        long target = (long)Math.Floor(stepsExact + 1e-9);
        StepTo(target);
        InterpolationAlpha = Math.Clamp(stepsExact - target, 0, 1);
    }

    /// <summary>
    /// Advances by engine time: <paramref name="engineElapsed"/> × <see cref="WorldRules.TimeScale"/>
    /// of simulation time, in whole steps, carrying the remainder exactly (integer ticks × step rate).
    /// </summary>
    public void Advance(TimeSpan engineElapsed)
    {
        if (engineElapsed < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(engineElapsed), "Time does not run backwards.");
        _engineAccumulator += (long)Math.Round(engineElapsed.Ticks * Rules.TimeScale) * Settings.StepHz;
        while (_engineAccumulator >= TimeSpan.TicksPerSecond)
        {
            Step();
            _engineAccumulator -= TimeSpan.TicksPerSecond;
        }
        InterpolationAlpha = _engineAccumulator / (double)TimeSpan.TicksPerSecond;
    }

    /// <summary>
    /// The state hash: xxHash64 of the canonical serialisation of the world state (the bytes of
    /// <see cref="WorldImage.Capture"/>, ascending ids, every double's exact bits; see
    /// <see cref="WorldCodec.Hash(WorldImage)"/> for what it leaves out). Written straight from the
    /// live world with each entity's definition bytes kept between calls, so it costs a copy of
    /// the state, not a capture.
    /// </summary>
    public ulong ComputeStateHash()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return WorldCodec.Hash(this);
    }

    /// <summary>Frees the physics world. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Physics.Dispose();
    }

    /// <summary>How many geoms the collision space holds (one per entity with a body or static shape).</summary>
    internal int GeomCount => _byGeom.Count;

    /// <summary>A reused array of at least <paramref name="count"/> entity states for an in-place restore.</summary>
    internal EntityState[] ResetStates(int count)
    {
        if (_resetStates.Length < count) _resetStates = new EntityState[count];
        return _resetStates;
    }

    internal void WriteSpaceOrder(CanonicalWriter w)
    {
        List<int> order = _spaceOrderIds;
        Physics.GetSpaceOrderIds(order);
        w.Write(order.Count);
        for (int i = 0; i < order.Count; i++) w.Write(_byGeom[order[i]].Id);
    }

    /// <summary>
    /// Puts this world into <paramref name="image"/>'s state in place; the caller has checked that
    /// the image holds exactly this world's entities and joints, built the same way
    /// (<see cref="WorldImage.TryRestoreInto"/>): each entity's changeable components, then the
    /// state (<see cref="ResetState"/>).
    /// </summary>
    internal void ResetTo(WorldImage image)
    {
        EntityState[] states = ResetStates(_entities.Count);
        for (int i = 0; i < _entities.Count; i++)
        {
            Entity e = _entities[i];
            EntityImage from = image.Entities[i];
            EntityDefinition d = from.Definition;
            if (!ReferenceEquals(e.Tags, d.Tags) && !e.Tags.SequenceEqual(d.Tags)) e.Tags = [.. d.Tags];
            if (e.Appearance != d.Appearance) e.Appearance = d.Appearance;
            if (e.Overrides != d.Overrides) e.Overrides = d.Overrides;
            states[i] = new EntityState(from.SpawnedCount, from.SpawnerRngState, from.BodyState, from.OwnPositionM, from.OwnOrientation, from.OwnLinearVelocityMps);
        }
        var broken = new long?[_joints.Count];
        for (int i = 0; i < broken.Length; i++) broken[i] = image.Joints[i].BrokenAtStep;
        var space = new long[image.SpaceOrder.Count];
        for (int i = 0; i < space.Length; i++) space[i] = image.SpaceOrder[i];
        ResetState(image.Rules, image.Step, image.SolverSeed, image.NextEntityId, image.NextJointId, image.NextCommandSequence,
            states, broken, space, image.PendingCommands, image.SunUtcTicks);
    }

    /// <summary>
    /// The in-place restore of everything that changes while a world runs, for a world that holds
    /// exactly the entities and joints described (same order): rules, overrides applied, spawner
    /// state and own poses, then every body's exact state, the joints' broken flags, the collision
    /// space's order (as entity ids), the solver seed and the step (Stage.Physics' RestoreState),
    /// then the pending commands and counters.
    /// </summary>
    internal void ResetState(WorldRules rules, long step, ulong seed, long nextEntityId, long nextJointId, long nextCommandSequence,
        EntityState[] entities, long?[] jointsBrokenAtStep, long[] spaceOrder, IReadOnlyList<PendingCommand> pending, long sunUtcTicks)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SunUtcTicks = sunUtcTicks;
        WorldRules before = Rules;
        Rules = rules;
        Physics.GravityMps2 = Rules.EffectiveGravityMps2;
        bool damping = before.LinearDampingPerS != Rules.LinearDampingPerS || before.AngularDampingPerS != Rules.AngularDampingPerS;
        List<int> bodyIds = _resetBodyIds;
        List<BodyState> bodies = _resetBodies;
        bodyIds.Clear();
        bodies.Clear();
        for (int i = 0; i < _entities.Count; i++)
        {
            Entity e = _entities[i];
            ref readonly EntityState from = ref entities[i];
            ApplyOverrides(e);
            e.SpawnedCount = from.SpawnedCount;
            e.SpawnerRngState = from.SpawnerRngState;
            e.OwnPositionM = from.OwnPositionM;
            e.OwnOrientation = from.OwnOrientation;
            e.OwnLinearVelocityMps = from.OwnLinearVelocityMps;
            if (e.RigidBody is { } body)
            {
                if (damping) ApplyDamping(body);
                bodyIds.Add(body.Id);
                bodies.Add(from.Body ?? throw new ArgumentException($"Entity {e.Id} has a dynamic body but no body state."));
            }
        }
        List<int> jointIds = _resetJointIds;
        jointIds.Clear();
        for (int i = 0; i < _joints.Count; i++) jointIds.Add(_joints[i].Native!.Id);
        List<int> space = _resetSpace;
        space.Clear();
        foreach (long id in spaceOrder)
        {
            space.Add((Get(id)?.Geom ?? throw new ArgumentException($"The space order names entity {id}, which has no geom.")).Id);
        }
        Physics.RestoreState(step, seed, CollectionsMarshal.AsSpan(bodyIds), CollectionsMarshal.AsSpan(bodies),
            CollectionsMarshal.AsSpan(jointIds), jointsBrokenAtStep, CollectionsMarshal.AsSpan(space));
        foreach (Entity e in _entities)
        {
            e.PreviousPositionM = e.PositionM;
            e.PreviousOrientation = e.Orientation;
        }
        _pending.Clear();
        foreach (PendingCommand p in pending) InsertPending(p);
        SetCounters(nextEntityId, nextJointId, nextCommandSequence);
        _stepEvents.Clear();
        _engineAccumulator = 0;
        InterpolationAlpha = 1;
    }

    internal void InsertPending(PendingCommand pending)
    {
        int index = _pending.FindIndex(p => p.Step > pending.Step || (p.Step == pending.Step && p.Sequence > pending.Sequence));
        _pending.Insert(index < 0 ? _pending.Count : index, pending);
        if (pending.Sequence >= NextCommandSequence) NextCommandSequence = pending.Sequence + 1;
    }

    internal void SetCounters(long nextEntityId, long nextJointId, long nextCommandSequence)
    {
        NextEntityId = nextEntityId;
        NextJointId = nextJointId;
        NextCommandSequence = nextCommandSequence;
    }

    internal Entity CreateEntityWithId(long id, EntityDefinition definition, long createdAtStep)
    {
        ValidateDefinition(definition);
        var entity = new Entity(id, definition, createdAtStep);
        if (definition.Body is { } body)
        {
            if (body.Kind == BodyKind.Static)
            {
                entity.StaticGeom = body.Shape is PlaneShape
                    ? Physics.CreateStaticGeom(body.Shape, body.Material)
                    : Physics.CreateStaticGeom(body.Shape, body.Material, definition.PositionM, definition.Orientation);
            }
            else
            {
                RigidBody rb = Physics.CreateBody(body.Shape, body.MassKg, body.Material, definition.PositionM, definition.Orientation);
                entity.RigidBody = rb;
                if (definition.LinearVelocityMps != Vector3D.Zero) rb.LinearVelocityMps = definition.LinearVelocityMps;
                if (definition.AngularVelocityRadps != Vector3D.Zero) rb.AngularVelocityRadps = definition.AngularVelocityRadps;
                ApplyDamping(rb);
            }
            _byGeom.Add(entity.Geom!.Id, entity);
        }
        else
        {
            entity.OwnLinearVelocityMps = definition.LinearVelocityMps;
        }
        ApplyOverrides(entity);
        _entities.Add(entity);
        _byId.Add(id, entity);
        return entity;
    }

    internal WorldJoint RestoreJoint(long id, JointDefinition definition, BodyState poseA, BodyState? poseB, long createdAtStep)
    {
        RigidBody a = Get(definition.EntityA)!.RigidBody!;
        RigidBody? b = definition.EntityB is long idB ? Get(idB)!.RigidBody : null;
        a.SetState(poseA);
        if (b is not null && poseB is { } pb) b.SetState(pb);
        var joint = new WorldJoint(id, definition, poseA, poseB, createdAtStep) { Native = MakeNativeJoint(definition, a, b) };
        _joints.Add(joint);
        return joint;
    }

    internal static void ValidateDefinition(EntityDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var faults = new List<ConfigFault>();
        WorldLimits.CheckDefinition(definition, "", faults);
        WorldLimits.ThrowIfAny(faults, $"Entity '{definition.Name}'");
        if (definition.Behaviour is PathBehaviour && definition.Body is { Kind: BodyKind.Static })
        {
            throw new ArgumentException($"Entity '{definition.Name}': a static body cannot follow a path (make it dynamic; the path makes it kinematic).");
        }
    }

    private Entity CreateEntity(EntityDefinition definition, long? spawnerId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Entity entity = CreateEntityWithId(NextEntityId, definition, StepCount);
        NextEntityId++;
        Raise(new EntitySpawnedEvent(StepCount, entity.Id, entity.Name, spawnerId));
        return entity;
    }

    private Joint MakeNativeJoint(JointDefinition d, RigidBody a, RigidBody? b) => d.Kind switch
    {
        JointKind.Fixed => Physics.CreateFixed(a, b, d.Strength),
        JointKind.Hinge => Physics.CreateHinge(a, b, d.AnchorM, d.Axis, d.Strength),
        JointKind.Ball => Physics.CreateBall(a, b, d.AnchorM, d.Strength),
        _ => throw new ArgumentOutOfRangeException(nameof(d), d.Kind, "Unknown joint kind."),
    };

    private void ApplyDamping(RigidBody body)
    {
        double dt = Settings.StepSeconds;
        body.LinearDamping = 1 - Math.Exp(-Rules.LinearDampingPerS * dt);
        body.AngularDamping = 1 - Math.Exp(-Rules.AngularDampingPerS * dt);
    }

    private static void ApplyOverrides(Entity e)
    {
        if (e.RigidBody is not { } body) return;
        bool kinematic = e.IsKinematic;
        if (body.IsKinematic != kinematic) body.IsKinematic = kinematic;
        bool worldGravity = !kinematic && !e.Overrides.Floats && e.Overrides.GravityScale is null;
        if (body.GravityEnabled != worldGravity) body.GravityEnabled = worldGravity;
        if (e.Overrides.Frozen)
        {
            body.LinearVelocityMps = Vector3D.Zero;
            body.AngularVelocityRadps = Vector3D.Zero;
        }
        // A kinematic body must never sleep: it moves by command, not by forces.
        body.CanSleep = !kinematic;
    }

    private void ApplyDueCommands(long step)
    {
        while (_pending.Count > 0 && _pending[0].Step <= step)
        {
            PendingCommand p = _pending[0];
            _pending.RemoveAt(0);
            try
            {
                Apply(p.Command);
            }
            catch (ArgumentException e)
            {
                // A command that cannot apply (its entity was destroyed meanwhile, invalid rules,
                // a static entity to move) changes nothing and is reported; the run goes on — bad
                // input never stops the world, and a replay refuses it at the same step.
                Raise(new CommandRejectedEvent(step, p.Sequence, p.Command, e.Message));
                continue;
            }
            Raise(new CommandAppliedEvent(step, p.Sequence, p.Command));
        }
    }

    private void Apply(WorldCommand command)
    {
        switch (command)
        {
            case SetRulesCommand c:
            {
                IReadOnlyList<string> faults = c.Rules.Validate();
                if (faults.Count > 0) throw new ArgumentException("Invalid rules: " + string.Join("; ", faults));
                WorldRules before = Rules;
                Rules = c.Rules;
                if (before.EffectiveGravityMps2 != Rules.EffectiveGravityMps2) Physics.GravityMps2 = Rules.EffectiveGravityMps2;
                if (before.LinearDampingPerS != Rules.LinearDampingPerS || before.AngularDampingPerS != Rules.AngularDampingPerS)
                {
                    foreach (Entity e in _entities) if (e.RigidBody is { } b) ApplyDamping(b);
                }
                if (before.EffectiveGravityMps2 != Rules.EffectiveGravityMps2 && _entities.Any(e => e.Overrides.GravityScale is not null))
                {
                    Physics.WakeAll();
                }
                Raise(new RulesChangedEvent(StepCount, before, Rules));
                break;
            }
            case SetOverridesCommand c:
            {
                Entity e = Require(c.EntityId);
                var faults = new List<ConfigFault>();
                WorldLimits.CheckOverrides(c.Overrides, "overrides", faults);
                WorldLimits.ThrowIfAny(faults, $"Overrides of entity {e.Id} '{e.Name}'");
                e.Overrides = c.Overrides;
                ApplyOverrides(e);
                e.RigidBody?.Wake();
                break;
            }
            case SetVelocityCommand c:
            {
                Entity e = Require(c.EntityId);
                var faults = new List<ConfigFault>();
                WorldLimits.CheckVelocities(c.LinearVelocityMps, c.AngularVelocityRadps, "", "linearMps", "angularRadps", faults);
                WorldLimits.ThrowIfAny(faults, $"Velocity of entity {e.Id} '{e.Name}'");
                if (e.RigidBody is { } b)
                {
                    b.LinearVelocityMps = c.LinearVelocityMps;
                    b.AngularVelocityRadps = c.AngularVelocityRadps;
                }
                else
                {
                    e.OwnLinearVelocityMps = c.LinearVelocityMps;
                }
                break;
            }
            case TeleportCommand c:
            {
                Entity e = Require(c.EntityId);
                if (!c.Orientation.IsFinite || !(c.Orientation.Norm > 1e-6) || !(c.Orientation.Norm < 1e6)) throw new ArgumentException($"Teleport of entity {e.Id} '{e.Name}': the orientation must be a finite non-zero quaternion.");
                if (!PhysicsLimits.IsCoordinate(c.PositionM)) throw new ArgumentException($"Teleport of entity {e.Id} '{e.Name}': positionM {WorldLimits.CoordinateMessage(c.PositionM)}.");
                if (e.RigidBody is not null && !Settings.Bound.Contains(c.PositionM))
                {
                    throw new ArgumentException($"Teleport of entity {e.Id} '{e.Name}': {WorldLimits.Show(c.PositionM)} is outside the world bound {WorldLimits.Show(Settings.Bound.MinM)}..{WorldLimits.Show(Settings.Bound.MaxM)}.");
                }
                if (e.RigidBody is { } b)
                {
                    b.PositionM = c.PositionM;
                    b.Orientation = c.Orientation;
                }
                else if (e.StaticGeom is null)
                {
                    e.OwnPositionM = c.PositionM;
                    e.OwnOrientation = c.Orientation;
                }
                else
                {
                    throw new ArgumentException($"Entity {e.Id} '{e.Name}' is static and cannot be moved.");
                }
                break;
            }
            case SetAppearanceCommand c:
            {
                Entity e = Require(c.EntityId);
                var faults = new List<ConfigFault>();
                WorldLimits.CheckDefinition(e.ToDefinition() with { Appearance = c.Appearance }, "", faults);
                WorldLimits.ThrowIfAny(faults, $"Appearance of entity {e.Id} '{e.Name}'");
                e.Appearance = c.Appearance;
                break;
            }
            case SetTagsCommand c:
                Require(c.EntityId).Tags = [.. c.Tags];
                break;
            case CreateEntityCommand c:
                ValidateDefinition(c.Definition);
                if (c.Definition.Body is { Kind: BodyKind.Dynamic } && !Settings.Bound.Contains(c.Definition.PositionM))
                {
                    throw new ArgumentException($"Entity '{c.Definition.Name}': positionM {WorldLimits.Show(c.Definition.PositionM)} is outside the world bound {WorldLimits.Show(Settings.Bound.MinM)}..{WorldLimits.Show(Settings.Bound.MaxM)}.");
                }
                CreateEntity(c.Definition, null);
                break;
            case DestroyEntityCommand c:
                Destroy(Require(c.EntityId));
                break;
            case CreateJointCommand c:
            {
                WorldJoint joint = CreateJoint(c.Definition);
                // A joint made between sleeping bodies must act at once (a hook grabbing a resting
                // crate): wake both, as a command that moves a body does.
                joint.Native!.Body1.Wake();
                joint.Native.Body2?.Wake();
                Raise(new JointCreatedEvent(StepCount, joint.Id, c.Definition.Name));
                break;
            }
            case DestroyJointCommand c:
            {
                WorldJoint joint = GetJoint(c.JointId) ?? throw new ArgumentException($"No joint with id {c.JointId}.");
                Joint native = joint.Native!;
                RigidBody body1 = native.Body1;
                RigidBody? body2 = native.Body2;
                native.Dispose();
                _joints.Remove(joint);
                // What the joint held must now fall or swing free.
                body1.Wake();
                body2?.Wake();
                Raise(new JointDestroyedEvent(StepCount, joint.Id, joint.Definition.Name));
                break;
            }
            default:
                throw new ArgumentException($"Unknown command {command.GetType().Name}.", nameof(command));
        }
    }

    private Entity Require(long id) => Get(id) ?? throw new ArgumentException($"No entity with id {id}.");

    private void Destroy(Entity e)
    {
        if (e.Geom is { } g) _byGeom.Remove(g.Id);
        if (e.RigidBody is { } body)
        {
            _joints.RemoveAll(j => ReferenceEquals(j.Native!.Body1, body) || ReferenceEquals(j.Native.Body2, body));
            body.Dispose();
        }
        e.StaticGeom?.Dispose();
        _entities.Remove(e);
        _byId.Remove(e.Id);
        Raise(new EntityDestroyedEvent(StepCount, e.Id, e.Name));
    }

    private void RunSpawners(long step)
    {
        int count = _entities.Count;
        for (int i = 0; i < count; i++)
        {
            Entity e = _entities[i];
            if (e.Behaviour is not SpawnerBehaviour spawner || e.SpawnedCount >= spawner.MaxCount) continue;
            long interval = Math.Max(1, (long)Math.Round(spawner.IntervalS * Settings.StepHz));
            long age = step - e.CreatedAtStep;
            if (age <= 0 || age % interval != 0) continue;
            ulong rng = e.SpawnerRngState;
            var jitter = new Vector3D(
                SplitMix64.NextSigned(ref rng) * spawner.JitterM.X,
                SplitMix64.NextSigned(ref rng) * spawner.JitterM.Y,
                SplitMix64.NextSigned(ref rng) * spawner.JitterM.Z);
            e.SpawnerRngState = rng;
            e.SpawnedCount++;
            Vector3D at = e.PositionM + spawner.Template.PositionM + jitter;
            // Each term is within the limits, their sum may not be; such a spawn would leave the
            // bound in its first step anyway, so it starts on the bound (never past what ODE takes).
            if (!PhysicsLimits.IsCoordinate(at)) at = Settings.Bound.Clamp(at);
            EntityDefinition made = spawner.Template with
            {
                Name = $"{e.Name}.{e.SpawnedCount}",
                PositionM = at,
            };
            CreateEntity(made, e.Id);
        }
    }

    /// <summary>
    /// Keeps every body where ODE can represent it: a body outside the world bound, faster than
    /// the physics limits or with a state that is not finite is frozen on the bound (put back where
    /// it left, its last finite pose if the step left none) or removed, as the bound says, with an
    /// event at this step. Ascending id; checked after every step, so nothing past the bound ever
    /// reaches the next step's collision pass.
    /// </summary>
    private void EnforceBound(long step)
    {
        WorldBound bound = Settings.Bound;
        List<Entity> leaving = _leaving;
        leaving.Clear();
        foreach (Entity e in _entities)
        {
            if (e.RigidBody is not { } body) continue;
            Vector3D p = body.PositionM;
            if (bound.Contains(p) && PhysicsLimits.IsSpeed(body.LinearVelocityMps) && PhysicsLimits.IsAngularSpeed(body.AngularVelocityRadps)
                && body.Orientation.IsFinite)
            {
                continue;
            }
            leaving.Add(e);
        }
        foreach (Entity e in leaving)
        {
            RigidBody body = e.RigidBody!;
            Vector3D p = body.PositionM;
            bool finite = p.IsFinite && body.Orientation.IsFinite && body.LinearVelocityMps.IsFinite && body.AngularVelocityRadps.IsFinite;
            string reason = !finite ? "its state is not finite"
                : !bound.Contains(p) ? $"outside the world bound {WorldLimits.Show(bound.MinM)}..{WorldLimits.Show(bound.MaxM)}"
                : $"faster than {WorldLimits.N(PhysicsLimits.MaxSpeedMps)} m/s or {WorldLimits.N(PhysicsLimits.MaxAngularSpeedRadps)} rad/s";
            Raise(new EntityLeftBoundEvent(step, e.Id, e.Name, p, reason, bound.Action));
            if (bound.Action == BoundAction.Remove)
            {
                Destroy(e);
                continue;
            }
            if (finite)
            {
                body.PositionM = bound.Clamp(p);
            }
            else
            {
                body.PositionM = bound.Clamp(e.PreviousPositionM);
                body.Orientation = e.PreviousOrientation;
            }
            e.Overrides = e.Overrides with { Frozen = true };
            ApplyOverrides(e);
        }
    }

    private void CollectContacts(long step)
    {
        _contactPairs.Clear();
        _contactEvents.Clear();
        double threshold = Rules.ContactEventThresholdMps;
        // By index: a foreach over the interface boxes the list's enumerator, every step.
        IReadOnlyList<ContactPoint> contacts = Physics.Contacts;
        for (int i = 0; i < contacts.Count; i++)
        {
            ContactPoint c = contacts[i];
            if (!_byGeom.TryGetValue(c.Geom1Id, out Entity? a) || !_byGeom.TryGetValue(c.Geom2Id, out Entity? b)) continue;
            double speed = Math.Abs(Vector3D.Dot(a.PreStepLinearVelocityMps - b.PreStepLinearVelocityMps, c.Normal));
            if (speed < threshold) continue;
            (Entity lo, Entity hi) = a.Id < b.Id ? (a, b) : (b, a);
            if (!_contactPairs.Add((lo.Id, hi.Id))) continue;
            _contactEvents.Add(new ContactEvent(step, lo.Id, hi.Id, c.PositionM, c.Normal, speed));
        }
        _contactEvents.Sort((x, y) => x.EntityA != y.EntityA ? x.EntityA.CompareTo(y.EntityA) : x.EntityB.CompareTo(y.EntityB));
        foreach (ContactEvent e in _contactEvents) Raise(e);
    }

    private void Raise(WorldEvent e)
    {
        _stepEvents.Add(e);
        EventRaised?.Invoke(this, e);
    }
}

/// <summary>What changes about an entity while a world runs (besides commands' component changes): for in-place restores.</summary>
internal readonly record struct EntityState(int SpawnedCount, ulong SpawnerRngState, BodyState? Body, Vector3D OwnPositionM, QuaternionD OwnOrientation, Vector3D OwnLinearVelocityMps);
