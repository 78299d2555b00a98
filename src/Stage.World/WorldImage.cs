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

    /// <summary>Entities, ascending id.</summary>
    public required IReadOnlyList<EntityImage> Entities { get; init; }

    /// <summary>Joints, ascending id.</summary>
    public required IReadOnlyList<JointImage> Joints { get; init; }

    /// <summary>Commands waiting for their step.</summary>
    public required IReadOnlyList<PendingCommand> PendingCommands { get; init; }

    /// <summary>The collision space's geom order (head first), as entity ids.</summary>
    public required IReadOnlyList<long> SpaceOrder { get; init; }

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
        world.ResetTo(this);
        return true;
    }

    /// <summary>
    /// Builds a new world in this exact state: entities in id order at their home poses, joints in
    /// id order with their bodies put back at the poses they were made at, then every body's exact
    /// state, the broken joints, the collision space's order and the solver seed.
    /// </summary>
    public StageWorld Restore()
    {
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
