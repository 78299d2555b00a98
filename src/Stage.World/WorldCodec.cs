using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Stage.Physics;

namespace Stage.World;

/// <summary>A snapshot or journal file that cannot be used, named with the reason.</summary>
public sealed class WorldFileException(string path, string message) : Exception($"{path}: {message}")
{
    /// <summary>The file.</summary>
    public string FilePath { get; } = path;
}

/// <summary>
/// The canonical binary form of a world's state (little-endian, every double as its exact bits,
/// everything in ascending id order). Snapshots store it; the state hash is its xxHash64.
/// </summary>
public static class WorldCodec
{
    /// <summary>The file magic of a snapshot.</summary>
    public static ReadOnlySpan<byte> SnapshotMagic => "STGWORLD"u8;

    /// <summary>
    /// The snapshot format version this code writes. Version 2 added the world bound to the
    /// settings; version 1 files still read, with <see cref="WorldBound.Default"/>.
    /// </summary>
    public const int SnapshotVersion = 2;

    /// <summary>The oldest snapshot format version this code reads.</summary>
    public const int OldestSnapshotVersion = 1;

    /// <summary>
    /// The state hash of an image: xxHash64 of its canonical bytes without the inputs still to
    /// come (pending commands and the command counter). Those are inputs, not simulation state: a
    /// world restored from a journal already holds the commands the original run had not yet
    /// received, and must still hash like it at every step.
    /// </summary>
    public static ulong Hash(WorldImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        CanonicalWriter w = CanonicalWriter.Shared();
        Write(w, image, includeInputs: false);
        return XxHash64.Compute(w.Written);
    }

    /// <summary>
    /// The state hash of a live world: the same value as <c>Hash(WorldImage.Capture(world))</c>,
    /// computed without capturing an image (see <see cref="StageWorld.ComputeStateHash"/>).
    /// </summary>
    public static ulong Hash(StageWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        CanonicalWriter w = CanonicalWriter.Shared();
        WriteWorld(w, world, includeInputs: false);
        return XxHash64.Compute(w.Written);
    }

    /// <summary>A live world's snapshot file bytes: the same bytes as <c>EncodeSnapshot(WorldImage.Capture(world))</c>, without the image.</summary>
    public static byte[] EncodeSnapshot(StageWorld world) => WriteSnapshot(world).Written.ToArray();

    /// <summary>Saves a live world's snapshot crash-safely (as <see cref="SaveSnapshot(WorldImage, string)"/>), without capturing an image first.</summary>
    public static void SaveSnapshot(StageWorld world, string path) => DurableFile.Write(path, WriteSnapshot(world).Written);

    /// <summary>The canonical bytes of an image (with its pending commands unless <paramref name="includeInputs"/> is false).</summary>
    public static byte[] Encode(WorldImage image, bool includeInputs = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        CanonicalWriter w = CanonicalWriter.Shared();
        Write(w, image, includeInputs);
        return w.Written.ToArray();
    }

    /// <summary>Reads an image from its canonical bytes (throws <see cref="InvalidDataException"/> when malformed).</summary>
    public static WorldImage Decode(ReadOnlySpan<byte> bytes) => Decode(bytes, SnapshotVersion);

    private static WorldImage Decode(ReadOnlySpan<byte> bytes, int version)
    {
        var r = new CanonicalReader(bytes) { Cache = new DecodeCache() };
        WorldImage image = ReadImage(ref r, version);
        if (r.Remaining != 0) throw new InvalidDataException($"{r.Remaining} bytes after the state.");
        return image;
    }

    /// <summary>A snapshot file's bytes: magic, version, payload length, payload, CRC-32 of the payload.</summary>
    public static byte[] EncodeSnapshot(WorldImage image) => WriteSnapshot(image).Written.ToArray();

    /// <summary>
    /// Reads a snapshot file's bytes; throws <see cref="WorldFileException"/> naming
    /// <paramref name="path"/> and the fault: a bad header, checksum or structure, or — unless
    /// <paramref name="checkValues"/> is false — any value out of range (<see cref="WorldImage.FindFaults"/>,
    /// each named by its field, as <c>settings.stepHz</c>). A snapshot that decodes here can be
    /// restored and stepped without reaching an ODE assertion. <c>stage world inspect</c> passes
    /// false to show such a file with its faults.
    /// </summary>
    public static WorldImage DecodeSnapshot(ReadOnlySpan<byte> bytes, string path, bool checkValues = true)
    {
        ReadOnlySpan<byte> payload = CheckedPayload(bytes, path, out int version);
        WorldImage image;
        try
        {
            image = Decode(payload, version);
        }
        catch (InvalidDataException e)
        {
            throw new WorldFileException(path, "malformed state: " + e.Message);
        }
        if (checkValues) ThrowIfFaults(image.FindFaults(), path);
        return image;
    }

    /// <summary>The format version in a snapshot file's header (after its magic), or null when the bytes are no snapshot.</summary>
    public static int? SnapshotVersionOf(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 12 && bytes[..8].SequenceEqual(SnapshotMagic) ? BinaryPrimitives.ReadInt32LittleEndian(bytes[8..12]) : null;

    private static void ThrowIfFaults(IReadOnlyList<Stage.Core.Configuration.ConfigFault> faults, string path)
    {
        if (faults.Count == 0) return;
        string shown = string.Join("; ", faults.Take(5));
        throw new WorldFileException(path, $"out of range: {shown}{(faults.Count > 5 ? $" (and {faults.Count - 5} more)" : "")}");
    }

    private static ReadOnlySpan<byte> CheckedPayload(ReadOnlySpan<byte> bytes, string path, out int version)
    {
        if (bytes.Length < 20 || !bytes[..8].SequenceEqual(SnapshotMagic)) throw new WorldFileException(path, "not a Stage world snapshot (bad magic or too short)");
        version = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..12]);
        if (version is < OldestSnapshotVersion or > SnapshotVersion) throw new WorldFileException(path, $"snapshot version {version} is not supported (this build reads {OldestSnapshotVersion} to {SnapshotVersion})");
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..16]);
        if (length < 0 || (long)length + 20 != bytes.Length) throw new WorldFileException(path, $"truncated or padded: the header says {length} payload bytes, the file has {bytes.Length - 20}");
        ReadOnlySpan<byte> payload = bytes.Slice(16, length);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(16 + length)..]);
        uint actual = Crc32.Compute(payload);
        if (stored != actual) throw new WorldFileException(path, $"checksum mismatch (stored CRC-32 {stored:x8}, computed {actual:x8}): the file is corrupt");
        return payload;
    }

    /// <summary>
    /// Writes a snapshot crash-safely (<see cref="DurableFile.Write"/>): a temporary file beside it,
    /// flushed to disk, renamed over <paramref name="path"/>, and the folder flushed.
    /// </summary>
    public static void SaveSnapshot(WorldImage image, string path) => DurableFile.Write(path, WriteSnapshot(image).Written);

    /// <summary>
    /// Restores a snapshot file's bytes into <paramref name="world"/> in place, without decoding an
    /// image, when the snapshot holds exactly the world's entities and joints with the same
    /// definitions byte for byte (same ids, creation steps, components, tags, appearance and
    /// overrides) — a take reset to its start snapshot, the common case. Each entity's definition
    /// is compared as canonical bytes against the bytes the world keeps for its state hash, so
    /// nothing is allocated per entity. Returns false and leaves the world untouched when anything
    /// differs (then decode and use <see cref="WorldImage.TryRestoreInto"/> or
    /// <see cref="WorldImage.Restore"/>); throws <see cref="WorldFileException"/> naming
    /// <paramref name="path"/> when the bytes are corrupt. The world continues exactly as one
    /// restored from the decoded image would.
    /// </summary>
    public static bool TryRestoreSnapshotInto(ReadOnlySpan<byte> bytes, string path, StageWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        ReadOnlySpan<byte> payload = CheckedPayload(bytes, path, out int version);
        var faults = new List<Stage.Core.Configuration.ConfigFault>();
        try
        {
            var r = new CanonicalReader(payload);
            WorldSettings settings = ReadSettings(ref r, version);
            if (settings != world.Settings) return false;
            WorldRules rules = ReadRules(ref r);
            // What is compared below needs no check (it equals the live world's); what is taken
            // from the file does, before anything of the world changes.
            foreach ((string field, string message) in rules.FindFaults()) faults.Add(new($"rules.{field}", message));
            long step = r.ReadInt64();
            ulong seed = r.ReadUInt64();
            long nextEntity = r.ReadInt64(), nextJoint = r.ReadInt64(), nextSeq = r.ReadInt64();
            IReadOnlyList<Entity> entities = world.Entities;
            if (ReadCount(ref r) != entities.Count) return false;
            EntityState[] states = world.ResetStates(entities.Count);
            for (int i = 0; i < entities.Count; i++)
            {
                Entity e = entities[i];
                if (r.ReadInt64() != e.Id || !r.TryMatch(e.CanonicalDefinition ??= DefinitionBytes(e.ToDefinition())) || r.ReadInt64() != e.CreatedAtStep) return false;
                int spawned = r.ReadInt32();
                ulong rng = r.ReadUInt64();
                bool hasBody = r.ReadBoolean();
                if (hasBody != e.RigidBody is not null) return false;
                BodyState? body = hasBody ? ReadBody(ref r) : null;
                states[i] = new EntityState(spawned, rng, body, ReadV(ref r), ReadQ(ref r), ReadV(ref r));
                // Checked without a path (nothing built) and named only when at fault.
                int before = faults.Count;
                WorldImage.CheckChangingState("", spawned, body, states[i].OwnPositionM, states[i].OwnOrientation, states[i].OwnLinearVelocityMps, faults);
                if (faults.Count > before)
                {
                    faults.RemoveRange(before, faults.Count - before);
                    WorldImage.CheckChangingState($"entities[{i}]", spawned, body, states[i].OwnPositionM, states[i].OwnOrientation, states[i].OwnLinearVelocityMps, faults);
                }
            }
            IReadOnlyList<WorldJoint> joints = world.Joints;
            if (ReadCount(ref r) != joints.Count) return false;
            var broken = new long?[joints.Count];
            for (int i = 0; i < broken.Length; i++)
            {
                WorldJoint j = joints[i];
                if (!r.TryMatch(j.CanonicalPrefix ??= JointPrefixBytes(j.Id, j.Definition, j.CreationPoseA, j.CreationPoseB, j.CreatedAtStep))) return false;
                long brokenAt = r.ReadInt64();
                broken[i] = brokenAt < 0 ? null : brokenAt;
            }
            var pending = new PendingCommand[ReadCount(ref r)];
            for (int i = 0; i < pending.Length; i++) pending[i] = new PendingCommand(r.ReadInt64(), r.ReadInt64(), ReadCommand(ref r));
            var space = new long[ReadCount(ref r)];
            for (int i = 0; i < space.Length; i++) space[i] = r.ReadInt64();
            if (r.Remaining != 0) throw new InvalidDataException($"{r.Remaining} bytes after the state.");
            if (step < 0) faults.Add(new("step", $"must be at least 0, not {step}"));
            ThrowIfFaults(faults, path);
            if (space.Length != world.GeomCount) return false;
            world.ResetState(rules, step, seed, nextEntity, nextJoint, nextSeq, states, broken, space, pending);
            return true;
        }
        catch (InvalidDataException e)
        {
            throw new WorldFileException(path, "malformed state: " + e.Message);
        }
    }

    /// <summary>
    /// Reads a snapshot file; throws <see cref="WorldFileException"/> naming the file when it is
    /// missing, unreadable or corrupt, or holds a value out of range (unless <paramref name="checkValues"/>
    /// is false; see <see cref="DecodeSnapshot"/>).
    /// </summary>
    public static WorldImage LoadSnapshot(string path, bool checkValues = true)
    {
        byte[] buffer = ReadPooled(path, out int length);
        try
        {
            return DecodeSnapshot(buffer.AsSpan(0, length), path, checkValues);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads a snapshot file into a reused buffer and restores it into <paramref name="world"/> in
    /// place (see <see cref="TryRestoreSnapshotInto"/>); false when the world is not built the same
    /// way. Throws <see cref="WorldFileException"/> naming the file when it is unreadable or corrupt.
    /// </summary>
    public static bool TryRestoreSnapshotFileInto(string path, StageWorld world)
    {
        byte[] buffer = ReadPooled(path, out int length);
        try
        {
            return TryRestoreSnapshotInto(buffer.AsSpan(0, length), path, world);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A whole file in a pooled buffer: a snapshot of thousands of entities is megabytes, and a
    /// fresh array that size is fresh memory the kernel must fault in page by page on every load.
    /// </summary>
    internal static byte[] ReadPooled(string path, out int length)
    {
        try
        {
            using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            long size = RandomAccess.GetLength(file);
            if (size > int.MaxValue) throw new WorldFileException(path, $"{size} bytes is too large for a snapshot");
            byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, (int)size));
            length = 0;
            try
            {
                while (length < size)
                {
                    int read = RandomAccess.Read(file, buffer.AsSpan(length, (int)size - length), length);
                    if (read == 0) break;
                    length += read;
                }
                return buffer;
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WorldFileException(path, "cannot read: " + e.Message);
        }
    }

    /// <summary>Writes one command (journal records and snapshots) in its canonical form.</summary>
    public static void WriteCommand(BinaryWriter w, WorldCommand command)
    {
        ArgumentNullException.ThrowIfNull(w);
        var buffer = new CanonicalWriter(256);
        WriteCommand(buffer, command);
        w.Write(buffer.Written);
    }

    /// <summary>Reads one command written by <see cref="WriteCommand(BinaryWriter, WorldCommand)"/>. The reader's stream must be seekable (it is read as a span, then positioned after the command).</summary>
    public static WorldCommand ReadCommand(BinaryReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        Stream stream = r.BaseStream;
        if (!stream.CanSeek) throw new NotSupportedException("ReadCommand needs a seekable stream.");
        long start = stream.Position;
        byte[] rest = new byte[stream.Length - start];
        stream.ReadExactly(rest);
        var reader = new CanonicalReader(rest);
        WorldCommand command = ReadCommand(ref reader);
        stream.Position = start + reader.Position;
        return command;
    }

    internal static CanonicalWriter WriteSnapshot(WorldImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        CanonicalWriter w = CanonicalWriter.Shared();
        int lengthAt = StartSnapshot(w);
        Write(w, image, includeInputs: true);
        return EndSnapshot(w, lengthAt);
    }

    internal static CanonicalWriter WriteSnapshot(StageWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        CanonicalWriter w = CanonicalWriter.Shared();
        int lengthAt = StartSnapshot(w);
        WriteWorld(w, world, includeInputs: true);
        return EndSnapshot(w, lengthAt);
    }

    private static int StartSnapshot(CanonicalWriter w)
    {
        w.Write(SnapshotMagic);
        w.Write(SnapshotVersion);
        return w.Skip(4);
    }

    private static CanonicalWriter EndSnapshot(CanonicalWriter w, int lengthAt)
    {
        int payloadLength = w.Length - lengthAt - 4;
        BinaryPrimitives.WriteInt32LittleEndian(w.At(lengthAt, 4), payloadLength);
        w.Write(Crc32.Compute(w.Written.Slice(lengthAt + 4, payloadLength)));
        return w;
    }

    internal static void WriteCommand(CanonicalWriter w, WorldCommand command)
    {
        switch (command)
        {
            case SetRulesCommand c: w.Write((byte)1); WriteRules(w, c.Rules); break;
            case SetOverridesCommand c: w.Write((byte)2); w.Write(c.EntityId); WriteOverrides(w, c.Overrides); break;
            case SetVelocityCommand c: w.Write((byte)3); w.Write(c.EntityId); WriteV(w, c.LinearVelocityMps); WriteV(w, c.AngularVelocityRadps); break;
            case TeleportCommand c: w.Write((byte)4); w.Write(c.EntityId); WriteV(w, c.PositionM); WriteQ(w, c.Orientation); break;
            case SetAppearanceCommand c: w.Write((byte)5); w.Write(c.EntityId); WriteAppearance(w, c.Appearance); break;
            case SetTagsCommand c: w.Write((byte)6); w.Write(c.EntityId); WriteStrings(w, c.Tags); break;
            case CreateEntityCommand c: w.Write((byte)7); WriteDefinition(w, c.Definition); break;
            case DestroyEntityCommand c: w.Write((byte)8); w.Write(c.EntityId); break;
            case CreateJointCommand c: w.Write((byte)9); WriteJointDefinition(w, c.Definition); break;
            case DestroyJointCommand c: w.Write((byte)10); w.Write(c.JointId); break;
            default: throw new ArgumentException($"Unknown command {command?.GetType().Name ?? "null"}.", nameof(command));
        }
    }

    internal static WorldCommand ReadCommand(ref CanonicalReader r) => r.ReadByte() switch
    {
        1 => new SetRulesCommand(ReadRules(ref r)),
        2 => new SetOverridesCommand(r.ReadInt64(), ReadOverrides(ref r)),
        3 => new SetVelocityCommand(r.ReadInt64(), ReadV(ref r), ReadV(ref r)),
        4 => new TeleportCommand(r.ReadInt64(), ReadV(ref r), ReadQ(ref r)),
        5 => new SetAppearanceCommand(r.ReadInt64(), ReadAppearance(ref r)),
        6 => new SetTagsCommand(r.ReadInt64(), ReadStrings(ref r)),
        7 => new CreateEntityCommand(ReadDefinition(ref r)),
        8 => new DestroyEntityCommand(r.ReadInt64()),
        9 => new CreateJointCommand(ReadJointDefinition(ref r)),
        10 => new DestroyJointCommand(r.ReadInt64()),
        var k => throw new InvalidDataException($"Unknown command kind {k}."),
    };

    /// <summary>
    /// Writes a live world's canonical bytes without capturing a <see cref="WorldImage"/> first —
    /// byte for byte what <see cref="Write(CanonicalWriter, WorldImage, bool)"/> writes for
    /// <c>WorldImage.Capture(world)</c> (a test holds the two together). Each entity's definition
    /// and each joint's fixed part are kept as bytes between calls, so a state hash costs the
    /// copy of those and the body states, not a rebuild of every record.
    /// </summary>
    internal static void WriteWorld(CanonicalWriter w, StageWorld world, bool includeInputs)
    {
        WriteSettings(w, world.Settings);
        WriteRules(w, world.Rules);
        w.Write(world.StepCount);
        w.Write(world.Physics.RandomSeed);
        w.Write(world.NextEntityId);
        w.Write(world.NextJointId);
        if (includeInputs) w.Write(world.NextCommandSequence);
        IReadOnlyList<Entity> entities = world.Entities;
        w.Write(entities.Count);
        for (int i = 0; i < entities.Count; i++)
        {
            Entity e = entities[i];
            w.Write(e.Id);
            w.Write(e.CanonicalDefinition ??= DefinitionBytes(e.ToDefinition()));
            w.Write(e.CreatedAtStep);
            w.Write(e.SpawnedCount);
            w.Write(e.SpawnerRngState);
            w.Write(e.RigidBody is not null);
            if (e.RigidBody is { } body) WriteBody(w, body.GetState());
            WriteV(w, e.OwnPositionM);
            WriteQ(w, e.OwnOrientation);
            WriteV(w, e.OwnLinearVelocityMps);
        }
        IReadOnlyList<WorldJoint> joints = world.Joints;
        w.Write(joints.Count);
        for (int i = 0; i < joints.Count; i++)
        {
            WorldJoint j = joints[i];
            w.Write(j.CanonicalPrefix ??= JointPrefixBytes(j.Id, j.Definition, j.CreationPoseA, j.CreationPoseB, j.CreatedAtStep));
            w.Write(j.BrokenAtStep ?? -1);
        }
        IReadOnlyList<PendingCommand> pending = world.PendingCommands;
        w.Write(includeInputs ? pending.Count : 0);
        if (includeInputs)
        {
            for (int i = 0; i < pending.Count; i++)
            {
                w.Write(pending[i].Step);
                w.Write(pending[i].Sequence);
                WriteCommand(w, pending[i].Command);
            }
        }
        world.WriteSpaceOrder(w);
    }

    internal static byte[] BehaviourBytes(Behaviour behaviour)
    {
        var w = new CanonicalWriter(256);
        WriteBehaviour(w, behaviour);
        return w.Written.ToArray();
    }

    private static byte[] DefinitionBytes(EntityDefinition definition)
    {
        var w = new CanonicalWriter(256);
        WriteDefinition(w, definition);
        return w.Written.ToArray();
    }

    private static byte[] JointPrefixBytes(long id, JointDefinition definition, BodyState poseA, BodyState? poseB, long createdAtStep)
    {
        var w = new CanonicalWriter(256);
        WriteJointPrefix(w, id, definition, poseA, poseB, createdAtStep);
        return w.Written.ToArray();
    }

    private static void WriteJointPrefix(CanonicalWriter w, long id, JointDefinition definition, BodyState poseA, BodyState? poseB, long createdAtStep)
    {
        w.Write(id);
        WriteJointDefinition(w, definition);
        WriteBody(w, poseA);
        w.Write(poseB is not null);
        if (poseB is { } pb) WriteBody(w, pb);
        w.Write(createdAtStep);
    }

    private static void Write(CanonicalWriter w, WorldImage m, bool includeInputs)
    {
        WriteSettings(w, m.Settings);
        WriteRules(w, m.Rules);
        w.Write(m.Step);
        w.Write(m.SolverSeed);
        w.Write(m.NextEntityId);
        w.Write(m.NextJointId);
        if (includeInputs) w.Write(m.NextCommandSequence);
        w.Write(m.Entities.Count);
        foreach (EntityImage e in m.Entities)
        {
            w.Write(e.Id);
            WriteDefinition(w, e.Definition);
            w.Write(e.CreatedAtStep);
            w.Write(e.SpawnedCount);
            w.Write(e.SpawnerRngState);
            w.Write(e.BodyState is not null);
            if (e.BodyState is { } b) WriteBody(w, b);
            WriteV(w, e.OwnPositionM);
            WriteQ(w, e.OwnOrientation);
            WriteV(w, e.OwnLinearVelocityMps);
        }
        w.Write(m.Joints.Count);
        foreach (JointImage j in m.Joints)
        {
            WriteJointPrefix(w, j.Id, j.Definition, j.CreationPoseA, j.CreationPoseB, j.CreatedAtStep);
            w.Write(j.BrokenAtStep ?? -1);
        }
        w.Write(includeInputs ? m.PendingCommands.Count : 0);
        foreach (PendingCommand p in includeInputs ? m.PendingCommands : [])
        {
            w.Write(p.Step);
            w.Write(p.Sequence);
            WriteCommand(w, p.Command);
        }
        w.Write(m.SpaceOrder.Count);
        foreach (long id in m.SpaceOrder) w.Write(id);
    }

    private static WorldSettings ReadSettings(ref CanonicalReader r, int version)
    {
        var settings = new WorldSettings { StepHz = r.ReadInt32(), SolverSeed = r.ReadUInt64(), SolverIterations = r.ReadInt32(), SleepEnabled = r.ReadBoolean() };
        if (version < 2) return settings;
        Vector3D min = ReadV(ref r), max = ReadV(ref r);
        return settings with { Bound = new WorldBound(min, max, (BoundAction)r.ReadByte()) };
    }

    private static void WriteSettings(CanonicalWriter w, WorldSettings settings)
    {
        w.Write(settings.StepHz);
        w.Write(settings.SolverSeed);
        w.Write(settings.SolverIterations);
        w.Write(settings.SleepEnabled);
        WriteV(w, settings.Bound.MinM);
        WriteV(w, settings.Bound.MaxM);
        w.Write((byte)settings.Bound.Action);
    }

    private static WorldImage ReadImage(ref CanonicalReader r, int version)
    {
        WorldSettings settings = ReadSettings(ref r, version);
        WorldRules rules = ReadRules(ref r);
        long step = r.ReadInt64();
        ulong seed = r.ReadUInt64();
        long nextEntity = r.ReadInt64(), nextJoint = r.ReadInt64(), nextSeq = r.ReadInt64();
        var entities = new EntityImage[ReadCount(ref r)];
        for (int i = 0; i < entities.Length; i++)
        {
            long id = r.ReadInt64();
            EntityDefinition d = ReadDefinition(ref r);
            long created = r.ReadInt64();
            int spawned = r.ReadInt32();
            ulong rng = r.ReadUInt64();
            BodyState? body = r.ReadBoolean() ? ReadBody(ref r) : null;
            entities[i] = new EntityImage(id, d, created, spawned, rng, body, ReadV(ref r), ReadQ(ref r), ReadV(ref r));
        }
        var joints = new JointImage[ReadCount(ref r)];
        for (int i = 0; i < joints.Length; i++)
        {
            long id = r.ReadInt64();
            JointDefinition def = ReadJointDefinition(ref r);
            BodyState poseA = ReadBody(ref r);
            BodyState? poseB = r.ReadBoolean() ? ReadBody(ref r) : null;
            long created = r.ReadInt64();
            long broken = r.ReadInt64();
            joints[i] = new JointImage(id, def, poseA, poseB, created, broken < 0 ? null : broken);
        }
        var pending = new PendingCommand[ReadCount(ref r)];
        for (int i = 0; i < pending.Length; i++) pending[i] = new PendingCommand(r.ReadInt64(), r.ReadInt64(), ReadCommand(ref r));
        var space = new long[ReadCount(ref r)];
        for (int i = 0; i < space.Length; i++) space[i] = r.ReadInt64();
        return new WorldImage
        {
            Settings = settings, Rules = rules, Step = step, SolverSeed = seed,
            NextEntityId = nextEntity, NextJointId = nextJoint, NextCommandSequence = nextSeq,
            Entities = entities, Joints = joints, PendingCommands = pending, SpaceOrder = space,
        };
    }

    private static int ReadCount(ref CanonicalReader r)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > r.Remaining) throw new InvalidDataException($"Count {n} does not fit the data.");
        return n;
    }

    private static void WriteJointDefinition(CanonicalWriter w, JointDefinition d)
    {
        w.Write(d.Name);
        w.Write((byte)d.Kind);
        w.Write(d.EntityA);
        w.Write(d.EntityB ?? -1);
        WriteV(w, d.AnchorM);
        WriteV(w, d.Axis);
        w.Write(d.Strength.ForceN);
        w.Write(d.Strength.TorqueNm);
    }

    private static JointDefinition ReadJointDefinition(ref CanonicalReader r)
    {
        string name = r.ReadString();
        var kind = (JointKind)r.ReadByte();
        if (!Enum.IsDefined(kind)) throw new InvalidDataException($"Unknown joint kind {(int)kind}.");
        long a = r.ReadInt64();
        long b = r.ReadInt64();
        return new JointDefinition(name, kind, a, b < 0 ? null : b, ReadV(ref r), ReadV(ref r), new JointStrength(r.ReadDouble(), r.ReadDouble()));
    }

    private static void WriteRules(CanonicalWriter w, WorldRules rules)
    {
        WriteV(w, rules.GravityMps2);
        w.Write(rules.GravityScale);
        w.Write(rules.TimeScale);
        w.Write(rules.LinearDampingPerS);
        w.Write(rules.AngularDampingPerS);
        w.Write(rules.ContactEventThresholdMps);
    }

    private static WorldRules ReadRules(ref CanonicalReader r) => new()
    {
        GravityMps2 = ReadV(ref r),
        GravityScale = r.ReadDouble(),
        TimeScale = r.ReadDouble(),
        LinearDampingPerS = r.ReadDouble(),
        AngularDampingPerS = r.ReadDouble(),
        ContactEventThresholdMps = r.ReadDouble(),
    };

    private static void WriteOverrides(CanonicalWriter w, EntityOverrides o)
    {
        w.Write((byte)((o.Floats ? 1 : 0) | (o.Kinematic ? 2 : 0) | (o.Frozen ? 4 : 0) | (o.GravityScale is null ? 0 : 8)));
        w.Write(o.GravityScale ?? 0);
    }

    private static EntityOverrides ReadOverrides(ref CanonicalReader r)
    {
        byte flags = r.ReadByte();
        double scale = r.ReadDouble();
        return new EntityOverrides((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0 ? scale : null);
    }

    private static void WriteDefinition(CanonicalWriter w, EntityDefinition d)
    {
        w.Write(d.Name);
        WriteStrings(w, d.Tags);
        WriteV(w, d.PositionM);
        WriteQ(w, d.Orientation);
        WriteV(w, d.LinearVelocityMps);
        WriteV(w, d.AngularVelocityRadps);
        w.Write(d.Body is not null);
        if (d.Body is { } b)
        {
            w.Write((byte)b.Kind);
            WriteShape(w, b.Shape);
            w.Write(b.Material.Friction);
            w.Write(b.Material.Restitution);
            w.Write(b.Material.BounceThresholdMps);
            w.Write(b.Material.SoftnessCfm);
            w.Write(b.Material.SoftnessErp);
            w.Write(b.MassKg);
        }
        WriteAppearance(w, d.Appearance);
        WriteBehaviour(w, d.Behaviour);
        WriteOverrides(w, d.Overrides);
    }

    private static EntityDefinition ReadDefinition(ref CanonicalReader r)
    {
        string name = r.ReadString();
        string[] tags = ReadStrings(ref r);
        if (r.Cache is { } cache) tags = cache.ShareTags(tags);
        Vector3D p = ReadV(ref r);
        QuaternionD q = ReadQ(ref r);
        Vector3D v = ReadV(ref r);
        Vector3D av = ReadV(ref r);
        BodyComponent? body = null;
        if (r.ReadBoolean())
        {
            int bodyAt = r.Position;
            var kind = (BodyKind)r.ReadByte();
            if (kind is not (BodyKind.Static or BodyKind.Dynamic)) throw new InvalidDataException($"Unknown body kind {(int)kind}.");
            Shape shape = ReadShape(ref r);
            var material = new Material(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
            body = new BodyComponent(kind, shape, material, r.ReadDouble());
            if (r.Cache is { } shared) body = shared.Share(body, r.Since(bodyAt));
        }
        int appearanceAt = r.Position;
        Appearance? appearance = ReadAppearance(ref r);
        if (appearance is not null && r.Cache is { } c) appearance = c.Share(appearance, r.Since(appearanceAt));
        return new EntityDefinition
        {
            Name = name, Tags = tags, PositionM = p, Orientation = q, LinearVelocityMps = v, AngularVelocityRadps = av,
            Body = body, Appearance = appearance, Behaviour = ReadBehaviour(ref r), Overrides = ReadOverrides(ref r),
        };
    }

    private static void WriteShape(CanonicalWriter w, Shape shape)
    {
        switch (shape)
        {
            case BoxShape s: w.Write((byte)1); WriteV(w, s.SizeM); break;
            case SphereShape s: w.Write((byte)2); w.Write(s.RadiusM); break;
            case CapsuleShape s: w.Write((byte)3); w.Write(s.RadiusM); w.Write(s.LengthM); break;
            case CylinderShape s: w.Write((byte)4); w.Write(s.RadiusM); w.Write(s.LengthM); break;
            case PlaneShape s: w.Write((byte)5); WriteV(w, s.Normal); w.Write(s.OffsetM); break;
            case HeightfieldShape s:
                w.Write((byte)6);
                w.Write(s.WidthM);
                w.Write(s.DepthM);
                w.Write(s.WidthSamples);
                w.Write(s.DepthSamples);
                w.Write(s.ThicknessM);
                w.Write(s.HeightsM.Count);
                foreach (double h in s.HeightsM) w.Write(h);
                break;
            default: throw new ArgumentException($"Unknown shape {shape.GetType().Name}.", nameof(shape));
        }
    }

    private static Shape ReadShape(ref CanonicalReader r)
    {
        switch (r.ReadByte())
        {
            case 1: return new BoxShape(ReadV(ref r));
            case 2: return new SphereShape(r.ReadDouble());
            case 3: return new CapsuleShape(r.ReadDouble(), r.ReadDouble());
            case 4: return new CylinderShape(r.ReadDouble(), r.ReadDouble());
            case 5: return new PlaneShape(ReadV(ref r), r.ReadDouble());
            case 6:
            {
                double width = r.ReadDouble(), depth = r.ReadDouble();
                int ws = r.ReadInt32(), ds = r.ReadInt32();
                double thickness = r.ReadDouble();
                var heights = new double[ReadCount(ref r)];
                for (int i = 0; i < heights.Length; i++) heights[i] = r.ReadDouble();
                return new HeightfieldShape(width, depth, ws, ds, heights, thickness);
            }
            case var k: throw new InvalidDataException($"Unknown shape kind {k}.");
        }
    }

    private static void WriteAppearance(CanonicalWriter w, Appearance? a)
    {
        w.Write(a is not null);
        if (a is null) return;
        // The kind's high bit says a material follows, so an appearance without one encodes (and hashes) as before.
        w.Write((byte)((byte)a.Primitive | (a.HasMaterial ? 0x80 : 0)));
        w.Write(a.ColorLinear.R);
        w.Write(a.ColorLinear.G);
        w.Write(a.ColorLinear.B);
        w.Write(a.MeshPath ?? "");
        if (!a.HasMaterial) return;
        w.Write(a.Metallic ?? -1);
        w.Write(a.Roughness ?? -1);
    }

    private static Appearance? ReadAppearance(ref CanonicalReader r)
    {
        if (!r.ReadBoolean()) return null;
        byte code = r.ReadByte();
        var kind = (PrimitiveKind)(code & 0x7F);
        if (!Enum.IsDefined(kind)) throw new InvalidDataException($"Unknown primitive {(int)kind}.");
        var colour = new ColorRgb(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        string mesh = r.ReadString();
        double? metallic = null, roughness = null;
        if ((code & 0x80) != 0)
        {
            double m = r.ReadDouble(), g = r.ReadDouble();
            metallic = m < 0 ? null : m;
            roughness = g < 0 ? null : g;
        }
        return new Appearance(kind, colour, mesh.Length == 0 ? null : mesh, metallic, roughness);
    }

    private static void WriteBehaviour(CanonicalWriter w, Behaviour? b)
    {
        switch (b)
        {
            case null: w.Write((byte)0); break;
            case LoopPathBehaviour l:
                w.Write((byte)1);
                w.Write(l.WaypointsM.Count);
                foreach (Vector3D p in l.WaypointsM) WriteV(w, p);
                w.Write(l.SpeedMps);
                break;
            case SwingBehaviour s: w.Write((byte)2); WriteV(w, s.PivotM); WriteV(w, s.Axis); w.Write(s.AmplitudeRad); w.Write(s.PeriodS); break;
            case SpinBehaviour s: w.Write((byte)3); WriteV(w, s.Axis); w.Write(s.RateRadps); break;
            case SpawnerBehaviour s:
                w.Write((byte)4);
                WriteDefinition(w, s.Template);
                w.Write(s.IntervalS);
                w.Write(s.MaxCount);
                w.Write(s.Seed);
                WriteV(w, s.JitterM);
                break;
            default: throw new ArgumentException($"Unknown behaviour {b.GetType().Name}.", nameof(b));
        }
    }

    private static Behaviour? ReadBehaviour(ref CanonicalReader r)
    {
        switch (r.ReadByte())
        {
            case 0: return null;
            case 1:
            {
                var points = new Vector3D[ReadCount(ref r)];
                for (int i = 0; i < points.Length; i++) points[i] = ReadV(ref r);
                return new LoopPathBehaviour(points, r.ReadDouble());
            }
            case 2: return new SwingBehaviour(ReadV(ref r), ReadV(ref r), r.ReadDouble(), r.ReadDouble());
            case 3: return new SpinBehaviour(ReadV(ref r), r.ReadDouble());
            case 4: return new SpawnerBehaviour(ReadDefinition(ref r), r.ReadDouble(), r.ReadInt32(), r.ReadUInt64(), ReadV(ref r));
            case var k: throw new InvalidDataException($"Unknown behaviour kind {k}.");
        }
    }

    private static void WriteBody(CanonicalWriter w, BodyState b)
    {
        WriteV(w, b.PositionM);
        WriteQ(w, b.Orientation);
        WriteV(w, b.LinearVelocityMps);
        WriteV(w, b.AngularVelocityRadps);
        w.Write(b.IsAwake);
        w.Write(b.SleepCounter);
    }

    private static BodyState ReadBody(ref CanonicalReader r) => new(ReadV(ref r), ReadQ(ref r), ReadV(ref r), ReadV(ref r), r.ReadBoolean(), r.ReadInt32());

    private static void WriteStrings(CanonicalWriter w, IReadOnlyList<string> items)
    {
        w.Write(items.Count);
        foreach (string s in items) w.Write(s);
    }

    private static string[] ReadStrings(ref CanonicalReader r)
    {
        var items = new string[ReadCount(ref r)];
        for (int i = 0; i < items.Length; i++) items[i] = r.ReadString();
        return items;
    }

    private static void WriteV(CanonicalWriter w, Vector3D v)
    {
        w.Write(v.X);
        w.Write(v.Y);
        w.Write(v.Z);
    }

    private static Vector3D ReadV(ref CanonicalReader r) => new(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());

    private static void WriteQ(CanonicalWriter w, QuaternionD q)
    {
        w.Write(q.W);
        w.Write(q.X);
        w.Write(q.Y);
        w.Write(q.Z);
    }

    private static QuaternionD ReadQ(ref CanonicalReader r) => new(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
}
