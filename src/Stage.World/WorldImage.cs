using Stage.Core.Configuration;
using Stage.Physics;

namespace Stage.World;

/// <summary>One entity in a <see cref="WorldImage"/>: how to recreate it and its exact state.</summary>
/// <param name="Id">The entity id.</param>
/// <param name="Definition">Its components and home pose.</param>
/// <param name="CreatedAtStep">When it was created.</param>
/// <param name="SpawnedCount">A spawner's count so far.</param>
/// <param name="SpawnerRngState">A spawner's generator state.</param>
/// <param name="BodyState">The dynamic body's exact state, or null (static or bodiless).</param>
/// <param name="OwnPositionM">A bodiless entity's position.</param>
/// <param name="OwnOrientation">A bodiless entity's orientation.</param>
/// <param name="OwnLinearVelocityMps">A bodiless entity's velocity.</param>
public sealed record EntityImage(long Id, EntityDefinition Definition, long CreatedAtStep, int SpawnedCount, ulong SpawnerRngState,
    BodyState? BodyState, Vector3D OwnPositionM, QuaternionD OwnOrientation, Vector3D OwnLinearVelocityMps)
{
    /// <summary>The current position.</summary>
    public Vector3D PositionM => BodyState?.PositionM ?? OwnPositionM;

    /// <summary>The current linear velocity.</summary>
    public Vector3D LinearVelocityMps => BodyState?.LinearVelocityMps ?? OwnLinearVelocityMps;
}

/// <summary>One joint in a <see cref="WorldImage"/>.</summary>
public sealed record JointImage(long Id, JointDefinition Definition, BodyState CreationPoseA, BodyState? CreationPoseB, long CreatedAtStep, long? BrokenAtStep);

/// <summary>
/// The whole state of a world at a step, in canonical order (ascending ids): what a snapshot holds,
/// what the state hash covers, and what <see cref="Restore"/> rebuilds a world from.
/// </summary>
public sealed record WorldImage
{
    /// <summary>Fixed settings.</summary>
    public required WorldSettings Settings { get; init; }

    /// <summary>Rules in force.</summary>
    public required WorldRules Rules { get; init; }

    /// <summary>The step count.</summary>
    public required long Step { get; init; }

    /// <summary>The physics solver's seed for the next step.</summary>
    public required ulong SolverSeed { get; init; }

    /// <summary>The next entity id.</summary>
    public required long NextEntityId { get; init; }

    /// <summary>The next joint id.</summary>
    public required long NextJointId { get; init; }

    /// <summary>The next command sequence number.</summary>
    public required long NextCommandSequence { get; init; }

    /// <summary>The placed sun's clock (<see cref="StageWorld.SunUtcTicks"/>); 0 without a placed sun.</summary>
    public long SunUtcTicks { get; init; }

    /// <summary>Where the sun is in this state (null when the world does not place it).</summary>
    public SunPosition? Sun => SunPosition.Of(Settings.Sun, SunUtcTicks);

    /// <summary>Entities, ascending id.</summary>
    public required IReadOnlyList<EntityImage> Entities { get; init; }

    /// <summary>Joints, ascending id.</summary>
    public required IReadOnlyList<JointImage> Joints { get; init; }

    /// <summary>Commands waiting for their step.</summary>
    public required IReadOnlyList<PendingCommand> PendingCommands { get; init; }

    /// <summary>The collision space's geom order (head first), as entity ids.</summary>
    public required IReadOnlyList<long> SpaceOrder { get; init; }

    /// <summary>
    /// Every value out of range or inconsistent, each named by its place (<c>settings.stepHz</c>,
    /// <c>rules.gravityScale</c>, <c>entities[3].shape.radiusM</c>, <c>entities[3].state.positionM</c>,
    /// <c>joints[0].a</c>, <c>spaceOrder</c>): the checks a scene or a command gets
    /// (<see cref="WorldLimits"/>), plus those only a file can break (ids ascending, a body state
    /// for every dynamic body and none else, joints between existing bodies, each geom once in the
    /// collision order). Empty when <see cref="Restore"/> can rebuild it and step it safely.
    /// </summary>
    public IReadOnlyList<ConfigFault> FindFaults()
    {
        var faults = new List<ConfigFault>();
        foreach ((string field, string message) in Settings.FindFaults()) faults.Add(new($"settings.{field}", message));
        foreach ((string field, string message) in Rules.FindFaults()) faults.Add(new($"rules.{field}", message));
        if (Settings.Sun is PlacedSun && (SunUtcTicks < PlacedSun.MinTicks || SunUtcTicks > PlacedSun.MaxTicks)) faults.Add(new("sunUtcTicks", $"must be a clock between 1800 and 2200, not {SunUtcTicks}"));
        if (Settings.Sun is not PlacedSun && SunUtcTicks != 0) faults.Add(new("sunUtcTicks", $"must be 0 without a placed sun, not {SunUtcTicks}"));
        if (Step < 0) faults.Add(new("step", $"must be at least 0, not {Step}"));
        long lastId = 0;
        var dynamicIds = new HashSet<long>();
        var geomIds = new HashSet<long>();
        // Each entity is checked with an empty path first (no path strings built: a cold start of
        // 10,000 entities must not pay for them) and again with its place only when it has a fault.
        var scratch = new List<ConfigFault>();
        for (int i = 0; i < Entities.Count; i++)
        {
            EntityImage e = Entities[i];
            scratch.Clear();
            CheckEntity(e, "", lastId, scratch);
            if (scratch.Count > 0) CheckEntity(e, $"entities[{i}]", lastId, faults);
            lastId = Math.Max(lastId, e.Id);
            if (e.Definition.Body is { Kind: BodyKind.Dynamic }) dynamicIds.Add(e.Id);
            if (e.Definition.Body is not null) geomIds.Add(e.Id);
        }
        long lastJoint = 0;
        for (int i = 0; i < Joints.Count; i++)
        {
            JointImage j = Joints[i];
            string at = $"joints[{i}]";
            if (j.Id <= lastJoint || j.Id >= NextJointId) faults.Add(new($"{at}.id", $"must be above the previous id {lastJoint} and below the next joint id {NextJointId}, not {j.Id}"));
            lastJoint = Math.Max(lastJoint, j.Id);
            if (!Enum.IsDefined(j.Definition.Kind)) faults.Add(new($"{at}.kind", $"unknown joint kind {(int)j.Definition.Kind}"));
            if (!dynamicIds.Contains(j.Definition.EntityA)) faults.Add(new($"{at}.a", $"names no entity with a dynamic body ({j.Definition.EntityA})"));
            if (j.Definition.EntityB is long b && (!dynamicIds.Contains(b) || b == j.Definition.EntityA)) faults.Add(new($"{at}.b", $"names no other entity with a dynamic body ({b})"));
            if (j.Definition.EntityB is null != j.CreationPoseB is null) faults.Add(new($"{at}.b", "a joint to another body needs that body's creation pose, and only then"));
            WorldLimits.CheckJoint(j.Definition.AnchorM, j.Definition.Axis, j.Definition.Strength, at, faults);
            WorldLimits.CheckBodyState(j.CreationPoseA, $"{at}.creationPoseA", faults);
            if (j.CreationPoseB is { } poseB) WorldLimits.CheckBodyState(poseB, $"{at}.creationPoseB", faults);
            if (j.BrokenAtStep is < 0) faults.Add(new($"{at}.brokenAtStep", $"must be at least 0, not {j.BrokenAtStep}"));
        }
        var seen = new HashSet<long>();
        foreach (long id in SpaceOrder)
        {
            if (!geomIds.Contains(id) || !seen.Add(id))
            {
                faults.Add(new("spaceOrder", $"names entity {id}, which has no geom or is named twice"));
                break;
            }
        }
        if (seen.Count != geomIds.Count && faults.All(f => f.Path != "spaceOrder")) faults.Add(new("spaceOrder", $"names {seen.Count} geoms, the entities have {geomIds.Count}"));
        return faults;
    }

    private void CheckEntity(EntityImage e, string at, long lastId, List<ConfigFault> faults)
    {
        if (e.Id <= lastId) faults.Add(new(WorldLimits.Join(at, "id"), $"must be above the previous id {lastId}, not {e.Id}"));
        if (e.Id >= NextEntityId) faults.Add(new(WorldLimits.Join(at, "id"), $"must be below the next entity id {NextEntityId}, not {e.Id}"));
        WorldLimits.CheckDefinition(e.Definition, at, faults);
        if (e.CreatedAtStep < 0 || e.CreatedAtStep > Step) faults.Add(new(WorldLimits.Join(at, "createdAtStep"), $"must be between 0 and the step {Step}, not {e.CreatedAtStep}"));
        bool dynamic = e.Definition.Body is { Kind: BodyKind.Dynamic };
        if (dynamic != e.BodyState.HasValue)
        {
            faults.Add(new(WorldLimits.Join(at, "state"), dynamic ? "a dynamic body needs its body state" : "only a dynamic body has a body state"));
        }
        CheckChangingState(at, e.SpawnedCount, e.BodyState, e.OwnPositionM, e.OwnOrientation, e.OwnLinearVelocityMps, faults);
    }

    /// <summary>
    /// The states a restore hands to ODE as they are (definitions, rules and settings are checked
    /// where the world builds them): an image that did not come through
    /// <see cref="WorldCodec.DecodeSnapshot"/> is refused here rather than aborting in ODE.
    /// Allocates nothing for a valid image.
    /// </summary>
    private void ThrowIfStatesOutOfRange()
    {
        List<ConfigFault>? faults = null;
        for (int i = 0; i < Entities.Count; i++)
        {
            EntityImage e = Entities[i];
            if (e.BodyState is { } b && PhysicsLimits.IsCoordinate(b.PositionM) && PhysicsLimits.IsSpeed(b.LinearVelocityMps)
                && PhysicsLimits.IsAngularSpeed(b.AngularVelocityRadps) && b.Orientation.IsFinite && b.Orientation.Norm is > 1e-6 and < 1e6 && b.SleepCounter >= 0)
            {
                continue;
            }
            if (e.BodyState is null) continue;
            faults ??= [];
            WorldLimits.CheckBodyState(e.BodyState.Value, $"entities[{i}].state", faults);
        }
        if (faults is not null) throw new ArgumentException("The image holds states out of range: " + string.Join("; ", faults));
    }

    /// <summary>The checks of what changes while an entity lives (body state or own pose, spawner count).</summary>
    internal static void CheckChangingState(string at, int spawnedCount, BodyState? body, Vector3D ownPositionM, QuaternionD ownOrientation, Vector3D ownVelocityMps, List<ConfigFault> faults)
    {
        if (spawnedCount < 0) faults.Add(new(WorldLimits.Join(at, "spawnedCount"), $"must be at least 0, not {spawnedCount}"));
        if (body is { } state) WorldLimits.CheckBodyState(state, at.Length == 0 ? "state" : at + ".state", faults);
        if (!PhysicsLimits.IsCoordinate(ownPositionM)) faults.Add(new(WorldLimits.Join(at, "ownPositionM"), WorldLimits.CoordinateMessage(ownPositionM)));
        if (!ownOrientation.IsFinite || !(ownOrientation.Norm > 1e-6) || !(ownOrientation.Norm < 1e6)) faults.Add(new(WorldLimits.Join(at, "ownOrientation"), "must be a finite non-zero quaternion"));
        if (!PhysicsLimits.IsSpeed(ownVelocityMps)) faults.Add(new(WorldLimits.Join(at, "ownVelocityMps"), $"must be a speed of at most {WorldLimits.N(PhysicsLimits.MaxSpeedMps)} m/s, not {WorldLimits.Show(ownVelocityMps)}"));
    }

    /// <summary>Captures a world's whole state.</summary>
    public static WorldImage Capture(StageWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        var entities = new EntityImage[world.Entities.Count];
        for (int i = 0; i < entities.Length; i++)
        {
            Entity e = world.Entities[i];
            entities[i] = new EntityImage(e.Id, e.ToDefinition(), e.CreatedAtStep, e.SpawnedCount, e.SpawnerRngState,
                e.RigidBody?.GetState(), e.OwnPositionM, e.OwnOrientation, e.OwnLinearVelocityMps);
        }
        var byGeom = new Dictionary<int, long>();
        foreach (Entity e in world.Entities) if (e.Geom is { } g) byGeom.Add(g.Id, e.Id);
        return new WorldImage
        {
            Settings = world.Settings,
            Rules = world.Rules,
            Step = world.StepCount,
            SolverSeed = world.Physics.RandomSeed,
            NextEntityId = world.NextEntityId,
            NextJointId = world.NextJointId,
            NextCommandSequence = world.NextCommandSequence,
            SunUtcTicks = world.SunUtcTicks,
            Entities = entities,
            Joints = [.. world.Joints.Select(j => new JointImage(j.Id, j.Definition, j.CreationPoseA, j.CreationPoseB, j.CreatedAtStep, j.BrokenAtStep))],
            PendingCommands = [.. world.PendingCommands],
            SpaceOrder = [.. world.Physics.GetSpaceOrder().Select(g => byGeom[g.Id])],
        };
    }

    /// <summary>
    /// Puts <paramref name="world"/> into this exact state in place, when it holds the same
    /// entities and joints (same ids, created at the same steps, the same bodies, shapes, materials,
    /// behaviours, home poses and joint definitions; tags, appearance and overrides may differ, they
    /// are set) — as a take reset to its start snapshot does. Nothing is rebuilt: bodies, geoms and
    /// joints stay, and get their exact state back (a broken joint is disabled in ODE, not destroyed,
    /// so it comes back whole). Returns false, and leaves the world untouched, when the world is not
    /// built the same way (an entity created or destroyed since, another scene): use
    /// <see cref="Restore"/> then. The world continues exactly as one from <see cref="Restore"/> would.
    /// Throws <see cref="ArgumentException"/>, the world untouched, when a body state is out of
    /// range (<see cref="WorldLimits"/>; a decoded snapshot has been checked already).
    /// </summary>
    public bool TryRestoreInto(StageWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        if (world.Settings != Settings || world.Entities.Count != Entities.Count || world.Joints.Count != Joints.Count) return false;
        for (int i = 0; i < Entities.Count; i++)
        {
            if (!SameBuild(world.Entities[i], Entities[i])) return false;
        }
        for (int i = 0; i < Joints.Count; i++)
        {
            WorldJoint live = world.Joints[i];
            JointImage j = Joints[i];
            if (live.Id != j.Id || live.CreatedAtStep != j.CreatedAtStep || live.Definition != j.Definition
                || !live.CreationPoseA.BitEquals(j.CreationPoseA) || live.CreationPoseB.HasValue != j.CreationPoseB.HasValue
                || (j.CreationPoseB is { } pb && !live.CreationPoseB!.Value.BitEquals(pb)))
            {
                return false;
            }
        }
        if (SpaceOrder.Count != world.Physics.GetSpaceOrder().Count) return false;
        ThrowIfStatesOutOfRange();
        world.ResetTo(this);
        return true;
    }

    /// <summary>
    /// Builds a new world in this exact state: entities in id order at their home poses, joints in
    /// id order with their bodies put back at the poses they were made at, then every body's exact
    /// state, the broken joints, the collision space's order and the solver seed. Throws
    /// <see cref="ArgumentException"/> when anything is out of range (see <see cref="FindFaults"/>;
    /// <see cref="WorldCodec.DecodeSnapshot"/> has checked all of it).
    /// </summary>
    public StageWorld Restore()
    {
        ThrowIfStatesOutOfRange();
        var world = new StageWorld(Settings, Rules);
        try
        {
            foreach (EntityImage e in Entities)
            {
                Entity entity = world.CreateEntityWithId(e.Id, e.Definition, e.CreatedAtStep);
                entity.SpawnedCount = e.SpawnedCount;
                entity.SpawnerRngState = e.SpawnerRngState;
                entity.OwnPositionM = e.OwnPositionM;
                entity.OwnOrientation = e.OwnOrientation;
                entity.OwnLinearVelocityMps = e.OwnLinearVelocityMps;
                if (e.BodyState is not null && entity.RigidBody is null) throw new ArgumentException($"Entity {e.Id} has a body state but no dynamic body.");
                if (e.BodyState is null && entity.RigidBody is not null) throw new ArgumentException($"Entity {e.Id} has a dynamic body but no body state.");
            }
            foreach (JointImage j in Joints) world.RestoreJoint(j.Id, j.Definition, j.CreationPoseA, j.CreationPoseB, j.CreatedAtStep);
            var bodyIds = new List<int>(Entities.Count);
            var bodies = new List<BodyState>(Entities.Count);
            foreach (EntityImage e in Entities)
            {
                if (e.BodyState is not { } state) continue;
                bodyIds.Add(world.Get(e.Id)!.RigidBody!.Id);
                bodies.Add(state);
            }
            var space = new List<int>();
            foreach (long id in SpaceOrder)
            {
                Geom geom = world.Get(id)?.Geom ?? throw new ArgumentException($"The space order names entity {id}, which has no geom.");
                space.Add(geom.Id);
            }
            world.Physics.RestoreState(new PhysicsState(Step, SolverSeed, bodyIds, bodies,
                [.. world.Joints.Select(j => j.Native!.Id)], [.. Joints.Select(j => j.BrokenAtStep)], space));
            foreach (Entity entity in world.Entities)
            {
                entity.PreviousPositionM = entity.PositionM;
                entity.PreviousOrientation = entity.Orientation;
            }
            foreach (PendingCommand p in PendingCommands) world.InsertPending(p);
            world.SetCounters(NextEntityId, NextJointId, NextCommandSequence);
            world.SunUtcTicks = SunUtcTicks;
            return world;
        }
        catch
        {
            world.Dispose();
            throw;
        }
    }

    /// <summary>True when a live entity is the one an image entry describes, built the same way (what cannot change after creation).</summary>
    private static bool SameBuild(Entity live, EntityImage image)
    {
        EntityDefinition d = image.Definition;
        return live.Id == image.Id && live.CreatedAtStep == image.CreatedAtStep && live.Name == d.Name
            && live.HomePositionM.BitEquals(d.PositionM) && live.HomeOrientation.BitEquals(d.Orientation)
            && SameBody(live.Body, d.Body) && SameBehaviour(live.Behaviour, d.Behaviour)
            && (live.Body is { Kind: BodyKind.Dynamic }) == image.BodyState.HasValue;
    }

    private static bool SameBody(BodyComponent? a, BodyComponent? b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null || a.Kind != b.Kind || a.Material != b.Material || !a.MassKg.Equals(b.MassKg)) return false;
        return (a.Shape, b.Shape) switch
        {
            (HeightfieldShape x, HeightfieldShape y) => x.WidthM.Equals(y.WidthM) && x.DepthM.Equals(y.DepthM) && x.WidthSamples == y.WidthSamples
                && x.DepthSamples == y.DepthSamples && x.ThicknessM.Equals(y.ThicknessM) && x.HeightsM.SequenceEqual(y.HeightsM),
            var (x, y) => x.Equals(y),
        };
    }

    private static bool SameBehaviour(Behaviour? a, Behaviour? b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null || a.GetType() != b.GetType()) return false;
        // Behaviours holding lists (waypoints, a spawner's template) compare by their canonical bytes.
        return a is SpinBehaviour or SwingBehaviour ? a.Equals(b) : WorldCodec.BehaviourBytes(a).AsSpan().SequenceEqual(WorldCodec.BehaviourBytes(b));
    }
}
