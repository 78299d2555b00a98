using Stage.Physics;
using static Stage.World.ComponentCodec;

namespace Stage.World;

/// <summary>
/// The layout of a world's state, written once and read once: the head (settings, rules, step,
/// solver seed, id counters), the entity records (id, definition, creation step, then the changing
/// state), the joint records (id, definition, creation poses, creation step, then the step it
/// broke), and the inputs (pending commands, the collision space's order). The live world
/// (<see cref="LiveState"/>) and an image (<see cref="ImageState"/>) are both written by
/// <see cref="Write{TState}"/>; decoding an image (<see cref="ImageSink"/>) and restoring in place
/// (a sink inside <see cref="WorldCodec"/>) are both read by <see cref="Read{TSink}"/>.
/// </summary>
internal static class WorldRecords
{
    /// <summary>Writes the state of <paramref name="state"/> (with its inputs unless <paramref name="includeInputs"/> is false: the state hash leaves them out).</summary>
    public static void Write<TState>(CanonicalWriter w, in TState state, bool includeInputs) where TState : struct, IWorldState
    {
        WriteSettings(w, state.Settings);
        WriteRules(w, state.Rules);
        w.Write(state.Step);
        w.Write(state.SolverSeed);
        w.Write(state.NextEntityId);
        w.Write(state.NextJointId);
        w.Write(state.SunUtcTicks);
        if (includeInputs) w.Write(state.NextCommandSequence);
        int entities = state.EntityCount;
        w.Write(entities);
        for (int i = 0; i < entities; i++)
        {
            state.WriteEntityIdAndDefinition(w, i);
            w.Write(state.EntityCreatedAtStep(i));
            EntityState s = state.EntityState(i);
            w.Write(s.SpawnedCount);
            w.Write(s.SpawnerRngState);
            w.Write(s.Body is not null);
            if (s.Body is { } body) WriteBody(w, body);
            WriteV(w, s.OwnPositionM);
            WriteQ(w, s.OwnOrientation);
            WriteV(w, s.OwnLinearVelocityMps);
        }
        int joints = state.JointCount;
        w.Write(joints);
        for (int i = 0; i < joints; i++)
        {
            state.WriteJointPrefix(w, i);
            w.Write(state.JointBrokenAtStep(i) ?? -1);
        }
        IReadOnlyList<PendingCommand> pending = state.PendingCommands;
        w.Write(includeInputs ? pending.Count : 0);
        if (includeInputs)
        {
            for (int i = 0; i < pending.Count; i++)
            {
                w.Write(pending[i].Step);
                w.Write(pending[i].Sequence);
                WorldCommandCodec.Write(w, pending[i].Command);
            }
        }
        state.WriteSpaceOrder(w);
    }

    /// <summary>
    /// Reads a whole state (snapshot payload of format <paramref name="version"/>) into
    /// <paramref name="sink"/>; false as soon as the sink declines a part (an in-place restore whose
    /// world differs). Throws <see cref="InvalidDataException"/> when the bytes are malformed.
    /// </summary>
    public static bool Read<TSink>(ref CanonicalReader r, int version, TSink sink) where TSink : IStateSink
    {
        WorldSettings settings = ReadSettings(ref r, version);
        WorldRules rules = ReadRules(ref r);
        long step = r.ReadInt64();
        ulong seed = r.ReadUInt64();
        long nextEntityId = r.ReadInt64(), nextJointId = r.ReadInt64();
        long sunUtcTicks = version >= 3 ? r.ReadInt64() : 0;
        var head = new StateHead(settings, rules, step, seed, nextEntityId, nextJointId, r.ReadInt64(), sunUtcTicks);
        if (!sink.Head(head)) return false;
        int entities = ReadCount(ref r);
        if (!sink.EntityCount(entities)) return false;
        for (int i = 0; i < entities; i++)
        {
            long id = r.ReadInt64();
            if (!sink.EntityDefinition(i, id, ref r)) return false;
            if (!sink.EntityCreatedAtStep(i, r.ReadInt64())) return false;
            int spawned = r.ReadInt32();
            ulong rng = r.ReadUInt64();
            BodyState? body = r.ReadBoolean() ? ReadBody(ref r) : null;
            if (!sink.EntityState(i, new EntityState(spawned, rng, body, ReadV(ref r), ReadQ(ref r), ReadV(ref r)))) return false;
        }
        int joints = ReadCount(ref r);
        if (!sink.JointCount(joints)) return false;
        for (int i = 0; i < joints; i++)
        {
            if (!sink.JointPrefix(i, ref r)) return false;
            long broken = r.ReadInt64();
            sink.JointBrokenAtStep(i, broken < 0 ? null : broken);
        }
        var pending = new PendingCommand[ReadCount(ref r)];
        for (int i = 0; i < pending.Length; i++) pending[i] = new PendingCommand(r.ReadInt64(), r.ReadInt64(), WorldCommandCodec.Read(ref r));
        var space = new long[ReadCount(ref r)];
        for (int i = 0; i < space.Length; i++) space[i] = r.ReadInt64();
        if (r.Remaining != 0) throw new InvalidDataException($"{r.Remaining} bytes after the state.");
        return sink.Inputs(pending, space);
    }

    /// <summary>A joint's fixed part (id, definition, creation poses, creation step): kept as bytes by a live joint, compared in place on restore.</summary>
    public static void WriteJointPrefix(CanonicalWriter w, long id, JointDefinition definition, BodyState poseA, BodyState? poseB, long createdAtStep)
    {
        w.Write(id);
        WriteJointDefinition(w, definition);
        WriteBody(w, poseA);
        w.Write(poseB is not null);
        if (poseB is { } pb) WriteBody(w, pb);
        w.Write(createdAtStep);
    }

    /// <summary>The canonical bytes of an entity definition (kept by a live entity between hashes).</summary>
    public static byte[] DefinitionBytes(EntityDefinition definition)
    {
        var w = new CanonicalWriter(256);
        WriteDefinition(w, definition);
        return w.Written.ToArray();
    }

    /// <summary>The canonical bytes of a joint's fixed part (kept by a live joint).</summary>
    public static byte[] JointPrefixBytes(WorldJoint j)
    {
        var w = new CanonicalWriter(256);
        WriteJointPrefix(w, j.Id, j.Definition, j.CreationPoseA, j.CreationPoseB, j.CreatedAtStep);
        return w.Written.ToArray();
    }
}

/// <summary>The state's head: everything before the entity records.</summary>
internal readonly record struct StateHead(WorldSettings Settings, WorldRules Rules, long Step, ulong SolverSeed, long NextEntityId, long NextJointId, long NextCommandSequence, long SunUtcTicks);

/// <summary>A world state to write (<see cref="WorldRecords.Write{TState}"/>): the live world or an image.</summary>
internal interface IWorldState
{
    WorldSettings Settings { get; }
    WorldRules Rules { get; }
    long Step { get; }
    ulong SolverSeed { get; }
    long NextEntityId { get; }
    long NextJointId { get; }
    long NextCommandSequence { get; }
    long SunUtcTicks { get; }
    int EntityCount { get; }
    void WriteEntityIdAndDefinition(CanonicalWriter w, int i);
    long EntityCreatedAtStep(int i);
    EntityState EntityState(int i);
    int JointCount { get; }
    void WriteJointPrefix(CanonicalWriter w, int i);
    long? JointBrokenAtStep(int i);
    IReadOnlyList<PendingCommand> PendingCommands { get; }
    void WriteSpaceOrder(CanonicalWriter w);
}

/// <summary>
/// The live world as a state to write, without capturing an image: each entity's definition and
/// each joint's fixed part are kept as bytes between calls, so a state hash costs the copy of
/// those and the body states, not a rebuild of every record.
/// </summary>
internal readonly struct LiveState(StageWorld world) : IWorldState
{
    public WorldSettings Settings => world.Settings;
    public WorldRules Rules => world.Rules;
    public long Step => world.StepCount;
    public ulong SolverSeed => world.Physics.RandomSeed;
    public long NextEntityId => world.NextEntityId;
    public long NextJointId => world.NextJointId;
    public long NextCommandSequence => world.NextCommandSequence;
    public long SunUtcTicks => world.SunUtcTicks;
    public int EntityCount => world.Entities.Count;

    public void WriteEntityIdAndDefinition(CanonicalWriter w, int i)
    {
        Entity e = world.Entities[i];
        w.Write(e.Id);
        w.Write(e.CanonicalDefinition ??= WorldRecords.DefinitionBytes(e.ToDefinition()));
    }

    public long EntityCreatedAtStep(int i) => world.Entities[i].CreatedAtStep;

    public EntityState EntityState(int i)
    {
        Entity e = world.Entities[i];
        return new EntityState(e.SpawnedCount, e.SpawnerRngState, e.RigidBody?.GetState(), e.OwnPositionM, e.OwnOrientation, e.OwnLinearVelocityMps);
    }

    public int JointCount => world.Joints.Count;

    public void WriteJointPrefix(CanonicalWriter w, int i)
    {
        WorldJoint j = world.Joints[i];
        w.Write(j.CanonicalPrefix ??= WorldRecords.JointPrefixBytes(j));
    }

    public long? JointBrokenAtStep(int i) => world.Joints[i].BrokenAtStep;
    public IReadOnlyList<PendingCommand> PendingCommands => world.PendingCommands;
    public void WriteSpaceOrder(CanonicalWriter w) => world.WriteSpaceOrder(w);
}

/// <summary>An image as a state to write.</summary>
internal readonly struct ImageState(WorldImage image) : IWorldState
{
    public WorldSettings Settings => image.Settings;
    public WorldRules Rules => image.Rules;
    public long Step => image.Step;
    public ulong SolverSeed => image.SolverSeed;
    public long NextEntityId => image.NextEntityId;
    public long NextJointId => image.NextJointId;
    public long NextCommandSequence => image.NextCommandSequence;
    public long SunUtcTicks => image.SunUtcTicks;
    public int EntityCount => image.Entities.Count;

    public void WriteEntityIdAndDefinition(CanonicalWriter w, int i)
    {
        EntityImage e = image.Entities[i];
        w.Write(e.Id);
        WriteDefinition(w, e.Definition);
    }

    public long EntityCreatedAtStep(int i) => image.Entities[i].CreatedAtStep;

    public EntityState EntityState(int i)
    {
        EntityImage e = image.Entities[i];
        return new EntityState(e.SpawnedCount, e.SpawnerRngState, e.BodyState, e.OwnPositionM, e.OwnOrientation, e.OwnLinearVelocityMps);
    }

    public int JointCount => image.Joints.Count;

    public void WriteJointPrefix(CanonicalWriter w, int i)
    {
        JointImage j = image.Joints[i];
        WorldRecords.WriteJointPrefix(w, j.Id, j.Definition, j.CreationPoseA, j.CreationPoseB, j.CreatedAtStep);
    }

    public long? JointBrokenAtStep(int i) => image.Joints[i].BrokenAtStep;
    public IReadOnlyList<PendingCommand> PendingCommands => image.PendingCommands;

    public void WriteSpaceOrder(CanonicalWriter w)
    {
        IReadOnlyList<long> order = image.SpaceOrder;
        w.Write(order.Count);
        for (int i = 0; i < order.Count; i++) w.Write(order[i]);
    }
}

/// <summary>What receives a state as it is read (<see cref="WorldRecords.Read{TSink}"/>); each part returns false to stop reading.</summary>
internal interface IStateSink
{
    bool Head(in StateHead head);
    bool EntityCount(int count);
    /// <summary>Reads (or compares) entity <paramref name="i"/>'s definition, right after its id.</summary>
    bool EntityDefinition(int i, long id, ref CanonicalReader r);
    bool EntityCreatedAtStep(int i, long step);
    bool EntityState(int i, in EntityState state);
    bool JointCount(int count);
    /// <summary>Reads (or compares) joint <paramref name="i"/>'s fixed part.</summary>
    bool JointPrefix(int i, ref CanonicalReader r);
    void JointBrokenAtStep(int i, long? step);
    bool Inputs(PendingCommand[] pending, long[] spaceOrder);
}

/// <summary>Builds a <see cref="WorldImage"/> from the state read.</summary>
internal sealed class ImageSink : IStateSink
{
    private StateHead _head;
    private EntityImage[] _entities = [];
    private long _id;
    private EntityDefinition? _definition;
    private long _created;
    private (long Id, JointDefinition Definition, BodyState PoseA, BodyState? PoseB, long Created)[] _joints = [];
    private JointImage[] _jointImages = [];
    private PendingCommand[] _pending = [];
    private long[] _space = [];

    /// <summary>The image read.</summary>
    public WorldImage Image => new()
    {
        Settings = _head.Settings, Rules = _head.Rules, Step = _head.Step, SolverSeed = _head.SolverSeed,
        NextEntityId = _head.NextEntityId, NextJointId = _head.NextJointId, NextCommandSequence = _head.NextCommandSequence, SunUtcTicks = _head.SunUtcTicks,
        Entities = _entities, Joints = _jointImages, PendingCommands = _pending, SpaceOrder = _space,
    };

    public bool Head(in StateHead head)
    {
        _head = head;
        return true;
    }

    public bool EntityCount(int count)
    {
        _entities = new EntityImage[count];
        return true;
    }

    public bool EntityDefinition(int i, long id, ref CanonicalReader r)
    {
        _id = id;
        _definition = ReadDefinition(ref r);
        return true;
    }

    public bool EntityCreatedAtStep(int i, long step)
    {
        _created = step;
        return true;
    }

    public bool EntityState(int i, in EntityState s)
    {
        _entities[i] = new EntityImage(_id, _definition!, _created, s.SpawnedCount, s.SpawnerRngState, s.Body, s.OwnPositionM, s.OwnOrientation, s.OwnLinearVelocityMps);
        return true;
    }

    public bool JointCount(int count)
    {
        _joints = new (long, JointDefinition, BodyState, BodyState?, long)[count];
        _jointImages = new JointImage[count];
        return true;
    }

    public bool JointPrefix(int i, ref CanonicalReader r)
    {
        long id = r.ReadInt64();
        JointDefinition definition = ReadJointDefinition(ref r);
        BodyState poseA = ReadBody(ref r);
        BodyState? poseB = r.ReadBoolean() ? ReadBody(ref r) : null;
        _joints[i] = (id, definition, poseA, poseB, r.ReadInt64());
        return true;
    }

    public void JointBrokenAtStep(int i, long? step)
    {
        var (id, definition, poseA, poseB, created) = _joints[i];
        _jointImages[i] = new JointImage(id, definition, poseA, poseB, created, step);
    }

    public bool Inputs(PendingCommand[] pending, long[] spaceOrder)
    {
        _pending = pending;
        _space = spaceOrder;
        return true;
    }
}
