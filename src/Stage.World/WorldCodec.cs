using System.IO.Hashing;
using Stage.Core.Configuration;

namespace Stage.World;

/// <summary>A snapshot or journal file that cannot be used, named with the reason.</summary>
public sealed class WorldFileException(string path, string message) : Exception($"{path}: {message}")
{
    /// <summary>The file.</summary>
    public string FilePath { get; } = path;
}

/// <summary>
/// The canonical binary form of a world's state (little-endian, every double as its exact bits,
/// everything in ascending id order). Snapshots store it; the state hash is its xxHash64. The
/// layout is <see cref="WorldRecords"/>, the file's framing <see cref="SnapshotFile"/>, the
/// commands' bytes <see cref="WorldCommandCodec"/>; this class is their public face.
/// </summary>
public static class WorldCodec
{
    /// <summary>The file magic of a snapshot.</summary>
    public static ReadOnlySpan<byte> SnapshotMagic => "STGWORLD"u8;

    /// <summary>
    /// The snapshot format version this code writes. Version 2 added the world bound to the
    /// settings; version 3 the sun (settings), the time-of-day rule (rules) and the sun's clock
    /// (state). Older files still read: with <see cref="WorldBound.Default"/>, no sun, time of day at 1.
    /// </summary>
    public const int SnapshotVersion = 3;

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
        WorldRecords.Write(w, new ImageState(image), includeInputs: false);
        return XxHash64.HashToUInt64(w.Written);
    }

    /// <summary>
    /// The state hash of a live world: the same value as <c>Hash(WorldImage.Capture(world))</c>,
    /// computed without capturing an image (see <see cref="StageWorld.ComputeStateHash"/>).
    /// </summary>
    public static ulong Hash(StageWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        CanonicalWriter w = CanonicalWriter.Shared();
        WorldRecords.Write(w, new LiveState(world), includeInputs: false);
        return XxHash64.HashToUInt64(w.Written);
    }

    /// <summary>A live world's snapshot file bytes: the same bytes as <c>EncodeSnapshot(WorldImage.Capture(world))</c>, without the image.</summary>
    public static byte[] EncodeSnapshot(StageWorld world) => WriteSnapshot(world).Written.ToArray();

    /// <summary>Saves a live world's snapshot crash-safely (as <see cref="SaveSnapshot(WorldImage, string)"/>), without capturing an image first.</summary>
    public static void SaveSnapshot(StageWorld world, string path) => SnapshotFile.Save(path, WriteSnapshot(world));

    /// <summary>The canonical bytes of an image (with its pending commands unless <paramref name="includeInputs"/> is false).</summary>
    public static byte[] Encode(WorldImage image, bool includeInputs = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        CanonicalWriter w = CanonicalWriter.Shared();
        WorldRecords.Write(w, new ImageState(image), includeInputs);
        return w.Written.ToArray();
    }

    /// <summary>Reads an image from its canonical bytes (throws <see cref="InvalidDataException"/> when malformed).</summary>
    public static WorldImage Decode(ReadOnlySpan<byte> bytes) => Decode(bytes, SnapshotVersion);

    private static WorldImage Decode(ReadOnlySpan<byte> bytes, int version)
    {
        var r = new CanonicalReader(bytes) { Cache = new DecodeCache(), FormatVersion = version };
        var sink = new ImageSink();
        WorldRecords.Read(ref r, version, sink);
        return sink.Image;
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
        ReadOnlySpan<byte> payload = SnapshotFile.CheckedPayload(bytes, path, out int version);
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
    public static int? SnapshotVersionOf(ReadOnlySpan<byte> bytes) => SnapshotFile.VersionOf(bytes);

    internal static void ThrowIfFaults(IReadOnlyList<ConfigFault> faults, string path)
    {
        if (faults.Count == 0) return;
        string shown = string.Join("; ", faults.Take(5));
        throw new WorldFileException(path, $"out of range: {shown}{(faults.Count > 5 ? $" (and {faults.Count - 5} more)" : "")}");
    }

    /// <summary>
    /// Writes a snapshot crash-safely (<see cref="DurableFile.Write"/>): a temporary file beside it,
    /// flushed to disk, renamed over <paramref name="path"/>, and the folder flushed.
    /// </summary>
    public static void SaveSnapshot(WorldImage image, string path) => SnapshotFile.Save(path, WriteSnapshot(image));

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
        ReadOnlySpan<byte> payload = SnapshotFile.CheckedPayload(bytes, path, out int version);
        try
        {
            var r = new CanonicalReader(payload) { FormatVersion = version };
            return WorldRecords.Read(ref r, version, new RestoreSink(world, path));
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
    public static WorldImage LoadSnapshot(string path, bool checkValues = true) =>
        SnapshotFile.Read(path, bytes => DecodeSnapshot(bytes, path, checkValues));

    /// <summary>
    /// Reads a snapshot file into a reused buffer and restores it into <paramref name="world"/> in
    /// place (see <see cref="TryRestoreSnapshotInto"/>); false when the world is not built the same
    /// way. Throws <see cref="WorldFileException"/> naming the file when it is unreadable or corrupt.
    /// </summary>
    public static bool TryRestoreSnapshotFileInto(string path, StageWorld world) =>
        SnapshotFile.Read(path, bytes => TryRestoreSnapshotInto(bytes, path, world));

    /// <summary>Writes one command (journal records and snapshots) in its canonical form.</summary>
    public static void WriteCommand(BinaryWriter w, WorldCommand command)
    {
        ArgumentNullException.ThrowIfNull(w);
        var buffer = new CanonicalWriter(256);
        WorldCommandCodec.Write(buffer, command);
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
        WorldCommand command = WorldCommandCodec.Read(ref reader);
        stream.Position = start + reader.Position;
        return command;
    }

    internal static CanonicalWriter WriteSnapshot(WorldImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        CanonicalWriter w = CanonicalWriter.Shared();
        int lengthAt = SnapshotFile.Start(w);
        WorldRecords.Write(w, new ImageState(image), includeInputs: true);
        return SnapshotFile.End(w, lengthAt);
    }

    internal static CanonicalWriter WriteSnapshot(StageWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        CanonicalWriter w = CanonicalWriter.Shared();
        int lengthAt = SnapshotFile.Start(w);
        WorldRecords.Write(w, new LiveState(world), includeInputs: true);
        return SnapshotFile.End(w, lengthAt);
    }

    internal static byte[] BehaviourBytes(Behaviour behaviour)
    {
        var w = new CanonicalWriter(256);
        ComponentCodec.WriteBehaviour(w, behaviour);
        return w.Written.ToArray();
    }

    /// <summary>
    /// Restores in place: compares what must equal the live world (settings, counts, ids,
    /// definitions, creation steps, joints' fixed parts) and takes the changing state into the
    /// world's reused arrays; nothing of the world changes before every value is checked.
    /// </summary>
    private sealed class RestoreSink(StageWorld world, string path) : IStateSink
    {
        private readonly List<ConfigFault> _faults = [];
        private StateHead _head;
        private EntityState[] _states = [];
        private long?[] _broken = [];

        public bool Head(in StateHead head)
        {
            if (head.Settings != world.Settings) return false;
            _head = head;
            // What is compared needs no check (it equals the live world's); what is taken from
            // the file does, before anything of the world changes.
            foreach ((string field, string message) in head.Rules.FindFaults()) _faults.Add(new($"rules.{field}", message));
            if (world.Settings.Sun is PlacedSun && (head.SunUtcTicks < PlacedSun.MinTicks || head.SunUtcTicks > PlacedSun.MaxTicks)) _faults.Add(new("sunUtcTicks", $"must be a clock between 1800 and 2200, not {head.SunUtcTicks}"));
            if (world.Settings.Sun is not PlacedSun && head.SunUtcTicks != 0) _faults.Add(new("sunUtcTicks", $"must be 0 without a placed sun, not {head.SunUtcTicks}"));
            return true;
        }

        public bool EntityCount(int count)
        {
            if (count != world.Entities.Count) return false;
            _states = world.ResetStates(count);
            return true;
        }

        public bool EntityDefinition(int i, long id, ref CanonicalReader r)
        {
            Entity e = world.Entities[i];
            return id == e.Id && r.TryMatch(e.CanonicalDefinition ??= WorldRecords.DefinitionBytes(e.ToDefinition()));
        }

        public bool EntityCreatedAtStep(int i, long step) => step == world.Entities[i].CreatedAtStep;

        public bool EntityState(int i, in EntityState s)
        {
            if (s.Body is not null != world.Entities[i].RigidBody is not null) return false;
            _states[i] = s;
            // Checked without a path (nothing built) and named only when at fault.
            int before = _faults.Count;
            WorldImage.CheckChangingState("", s.SpawnedCount, s.Body, s.OwnPositionM, s.OwnOrientation, s.OwnLinearVelocityMps, _faults);
            if (_faults.Count > before)
            {
                _faults.RemoveRange(before, _faults.Count - before);
                WorldImage.CheckChangingState($"entities[{i}]", s.SpawnedCount, s.Body, s.OwnPositionM, s.OwnOrientation, s.OwnLinearVelocityMps, _faults);
            }
            return true;
        }

        public bool JointCount(int count)
        {
            if (count != world.Joints.Count) return false;
            _broken = new long?[count];
            return true;
        }

        public bool JointPrefix(int i, ref CanonicalReader r)
        {
            WorldJoint j = world.Joints[i];
            return r.TryMatch(j.CanonicalPrefix ??= WorldRecords.JointPrefixBytes(j));
        }

        public void JointBrokenAtStep(int i, long? step) => _broken[i] = step;

        public bool Inputs(PendingCommand[] pending, long[] spaceOrder)
        {
            if (_head.Step < 0) _faults.Add(new("step", $"must be at least 0, not {_head.Step}"));
            ThrowIfFaults(_faults, path);
            if (spaceOrder.Length != world.GeomCount) return false;
            world.ResetState(_head.Rules, _head.Step, _head.SolverSeed, _head.NextEntityId, _head.NextJointId, _head.NextCommandSequence, _states, _broken, spaceOrder, pending, _head.SunUtcTicks);
            return true;
        }
    }
}
