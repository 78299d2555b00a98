using System.Text;
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

    /// <summary>The snapshot format version this code writes and reads.</summary>
    public const int SnapshotVersion = 1;

    /// <summary>
    /// The state hash of an image: xxHash64 of its canonical bytes without the inputs still to
    /// come (pending commands and the command counter). Those are inputs, not simulation state: a
    /// world restored from a journal already holds the commands the original run had not yet
    /// received, and must still hash like it at every step.
    /// </summary>
    public static ulong Hash(WorldImage image) => XxHash64.Compute(Encode(image, includeInputs: false));

    /// <summary>The canonical bytes of an image (with its pending commands unless <paramref name="includeInputs"/> is false).</summary>
    public static byte[] Encode(WorldImage image, bool includeInputs = true)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true)) Write(w, image, includeInputs);
        return stream.ToArray();
    }

    /// <summary>Reads an image from its canonical bytes (throws <see cref="InvalidDataException"/> when malformed).</summary>
    public static WorldImage Decode(ReadOnlySpan<byte> bytes)
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            WorldImage image = ReadImage(r);
            if (stream.Position != stream.Length) throw new InvalidDataException($"{stream.Length - stream.Position} bytes after the state.");
            return image;
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("The state ends early.");
        }
    }

    /// <summary>A snapshot file's bytes: magic, version, payload length, payload, CRC-32 of the payload.</summary>
    public static byte[] EncodeSnapshot(WorldImage image)
    {
        byte[] payload = Encode(image);
        using var stream = new MemoryStream(payload.Length + 20);
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(SnapshotMagic);
            w.Write(SnapshotVersion);
            w.Write(payload.Length);
            w.Write(payload);
            w.Write(Crc32.Compute(payload));
        }
        return stream.ToArray();
    }

    /// <summary>Reads a snapshot file's bytes; throws <see cref="WorldFileException"/> naming <paramref name="path"/> and the fault.</summary>
    public static WorldImage DecodeSnapshot(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < 20 || !bytes[..8].SequenceEqual(SnapshotMagic)) throw new WorldFileException(path, "not a Stage world snapshot (bad magic or too short)");
        int version = BitConverter.ToInt32(bytes[8..12]);
        if (version != SnapshotVersion) throw new WorldFileException(path, $"snapshot version {version} is not supported (this build reads {SnapshotVersion})");
        int length = BitConverter.ToInt32(bytes[12..16]);
        if (length < 0 || (long)length + 20 != bytes.Length) throw new WorldFileException(path, $"truncated or padded: the header says {length} payload bytes, the file has {bytes.Length - 20}");
        ReadOnlySpan<byte> payload = bytes.Slice(16, length);
        uint stored = BitConverter.ToUInt32(bytes[(16 + length)..]);
        uint actual = Crc32.Compute(payload);
        if (stored != actual) throw new WorldFileException(path, $"checksum mismatch (stored CRC-32 {stored:x8}, computed {actual:x8}): the file is corrupt");
        try
        {
            return Decode(payload);
        }
        catch (InvalidDataException e)
        {
            throw new WorldFileException(path, "malformed state: " + e.Message);
        }
    }

    /// <summary>Writes a snapshot crash-safely: a temporary file beside it, flushed to disk, then renamed over <paramref name="path"/>.</summary>
    public static void SaveSnapshot(WorldImage image, string path)
    {
        byte[] bytes = EncodeSnapshot(image);
        string temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a snapshot file; throws <see cref="WorldFileException"/> naming the file when it is missing, unreadable or corrupt.</summary>
    public static WorldImage LoadSnapshot(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WorldFileException(path, "cannot read: " + e.Message);
        }
        return DecodeSnapshot(bytes, path);
    }

    /// <summary>Writes one command (journal records and snapshots).</summary>
    public static void WriteCommand(BinaryWriter w, WorldCommand command)
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
            default: throw new ArgumentException($"Unknown command {command.GetType().Name}.", nameof(command));
        }
    }

    /// <summary>Reads one command.</summary>
    public static WorldCommand ReadCommand(BinaryReader r) => r.ReadByte() switch
    {
        1 => new SetRulesCommand(ReadRules(r)),
        2 => new SetOverridesCommand(r.ReadInt64(), ReadOverrides(r)),
        3 => new SetVelocityCommand(r.ReadInt64(), ReadV(r), ReadV(r)),
        4 => new TeleportCommand(r.ReadInt64(), ReadV(r), ReadQ(r)),
        5 => new SetAppearanceCommand(r.ReadInt64(), ReadAppearance(r)),
        6 => new SetTagsCommand(r.ReadInt64(), ReadStrings(r)),
        7 => new CreateEntityCommand(ReadDefinition(r)),
        8 => new DestroyEntityCommand(r.ReadInt64()),
        var k => throw new InvalidDataException($"Unknown command kind {k}."),
    };

    private static void Write(BinaryWriter w, WorldImage m, bool includeInputs)
    {
        w.Write(m.Settings.StepHz);
        w.Write(m.Settings.SolverSeed);
        w.Write(m.Settings.SolverIterations);
        w.Write(m.Settings.SleepEnabled);
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
            w.Write(j.Id);
            w.Write(j.Definition.Name);
            w.Write((byte)j.Definition.Kind);
            w.Write(j.Definition.EntityA);
            w.Write(j.Definition.EntityB ?? -1);
            WriteV(w, j.Definition.AnchorM);
            WriteV(w, j.Definition.Axis);
            w.Write(j.Definition.Strength.ForceN);
            w.Write(j.Definition.Strength.TorqueNm);
            WriteBody(w, j.CreationPoseA);
            w.Write(j.CreationPoseB is not null);
            if (j.CreationPoseB is { } pb) WriteBody(w, pb);
            w.Write(j.CreatedAtStep);
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

    private static WorldImage ReadImage(BinaryReader r)
    {
        var settings = new WorldSettings { StepHz = r.ReadInt32(), SolverSeed = r.ReadUInt64(), SolverIterations = r.ReadInt32(), SleepEnabled = r.ReadBoolean() };
        WorldRules rules = ReadRules(r);
        long step = r.ReadInt64();
        ulong seed = r.ReadUInt64();
        long nextEntity = r.ReadInt64(), nextJoint = r.ReadInt64(), nextSeq = r.ReadInt64();
        var entities = new EntityImage[ReadCount(r)];
        for (int i = 0; i < entities.Length; i++)
        {
            long id = r.ReadInt64();
            EntityDefinition d = ReadDefinition(r);
            long created = r.ReadInt64();
            int spawned = r.ReadInt32();
            ulong rng = r.ReadUInt64();
            BodyState? body = r.ReadBoolean() ? ReadBody(r) : null;
            entities[i] = new EntityImage(id, d, created, spawned, rng, body, ReadV(r), ReadQ(r), ReadV(r));
        }
        var joints = new JointImage[ReadCount(r)];
        for (int i = 0; i < joints.Length; i++)
        {
            long id = r.ReadInt64();
            string name = r.ReadString();
            var kind = (JointKind)r.ReadByte();
            long a = r.ReadInt64();
            long b = r.ReadInt64();
            var def = new JointDefinition(name, kind, a, b < 0 ? null : b, ReadV(r), ReadV(r), new JointStrength(r.ReadDouble(), r.ReadDouble()));
            BodyState poseA = ReadBody(r);
            BodyState? poseB = r.ReadBoolean() ? ReadBody(r) : null;
            long created = r.ReadInt64();
            long broken = r.ReadInt64();
            joints[i] = new JointImage(id, def, poseA, poseB, created, broken < 0 ? null : broken);
        }
        var pending = new PendingCommand[ReadCount(r)];
        for (int i = 0; i < pending.Length; i++) pending[i] = new PendingCommand(r.ReadInt64(), r.ReadInt64(), ReadCommand(r));
        var space = new long[ReadCount(r)];
        for (int i = 0; i < space.Length; i++) space[i] = r.ReadInt64();
        return new WorldImage
        {
            Settings = settings, Rules = rules, Step = step, SolverSeed = seed,
            NextEntityId = nextEntity, NextJointId = nextJoint, NextCommandSequence = nextSeq,
            Entities = entities, Joints = joints, PendingCommands = pending, SpaceOrder = space,
        };
    }

    private static int ReadCount(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > r.BaseStream.Length - r.BaseStream.Position) throw new InvalidDataException($"Count {n} does not fit the data.");
        return n;
    }

    private static void WriteRules(BinaryWriter w, WorldRules rules)
    {
        WriteV(w, rules.GravityMps2);
        w.Write(rules.GravityScale);
        w.Write(rules.TimeScale);
        w.Write(rules.LinearDampingPerS);
        w.Write(rules.AngularDampingPerS);
        w.Write(rules.ContactEventThresholdMps);
    }

    private static WorldRules ReadRules(BinaryReader r) => new()
    {
        GravityMps2 = ReadV(r),
        GravityScale = r.ReadDouble(),
        TimeScale = r.ReadDouble(),
        LinearDampingPerS = r.ReadDouble(),
        AngularDampingPerS = r.ReadDouble(),
        ContactEventThresholdMps = r.ReadDouble(),
    };

    private static void WriteOverrides(BinaryWriter w, EntityOverrides o)
    {
        w.Write((byte)((o.Floats ? 1 : 0) | (o.Kinematic ? 2 : 0) | (o.Frozen ? 4 : 0) | (o.GravityScale is null ? 0 : 8)));
        w.Write(o.GravityScale ?? 0);
    }

    private static EntityOverrides ReadOverrides(BinaryReader r)
    {
        byte flags = r.ReadByte();
        double scale = r.ReadDouble();
        return new EntityOverrides((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0 ? scale : null);
    }

    private static void WriteDefinition(BinaryWriter w, EntityDefinition d)
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

    private static EntityDefinition ReadDefinition(BinaryReader r)
    {
        string name = r.ReadString();
        IReadOnlyList<string> tags = ReadStrings(r);
        Vector3D p = ReadV(r);
        QuaternionD q = ReadQ(r);
        Vector3D v = ReadV(r);
        Vector3D av = ReadV(r);
        BodyComponent? body = null;
        if (r.ReadBoolean())
        {
            var kind = (BodyKind)r.ReadByte();
            if (kind is not (BodyKind.Static or BodyKind.Dynamic)) throw new InvalidDataException($"Unknown body kind {(int)kind}.");
            Shape shape = ReadShape(r);
            var material = new Material(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
            body = new BodyComponent(kind, shape, material, r.ReadDouble());
        }
        return new EntityDefinition
        {
            Name = name, Tags = tags, PositionM = p, Orientation = q, LinearVelocityMps = v, AngularVelocityRadps = av,
            Body = body, Appearance = ReadAppearance(r), Behaviour = ReadBehaviour(r), Overrides = ReadOverrides(r),
        };
    }

    private static void WriteShape(BinaryWriter w, Shape shape)
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

    private static Shape ReadShape(BinaryReader r)
    {
        switch (r.ReadByte())
        {
            case 1: return new BoxShape(ReadV(r));
            case 2: return new SphereShape(r.ReadDouble());
            case 3: return new CapsuleShape(r.ReadDouble(), r.ReadDouble());
            case 4: return new CylinderShape(r.ReadDouble(), r.ReadDouble());
            case 5: return new PlaneShape(ReadV(r), r.ReadDouble());
            case 6:
            {
                double width = r.ReadDouble(), depth = r.ReadDouble();
                int ws = r.ReadInt32(), ds = r.ReadInt32();
                double thickness = r.ReadDouble();
                var heights = new double[ReadCount(r)];
                for (int i = 0; i < heights.Length; i++) heights[i] = r.ReadDouble();
                return new HeightfieldShape(width, depth, ws, ds, heights, thickness);
            }
            case var k: throw new InvalidDataException($"Unknown shape kind {k}.");
        }
    }

    private static void WriteAppearance(BinaryWriter w, Appearance? a)
    {
        w.Write(a is not null);
        if (a is null) return;
        w.Write((byte)a.Primitive);
        w.Write(a.ColorLinear.R);
        w.Write(a.ColorLinear.G);
        w.Write(a.ColorLinear.B);
        w.Write(a.MeshPath ?? "");
    }

    private static Appearance? ReadAppearance(BinaryReader r)
    {
        if (!r.ReadBoolean()) return null;
        var kind = (PrimitiveKind)r.ReadByte();
        if (!Enum.IsDefined(kind)) throw new InvalidDataException($"Unknown primitive {(int)kind}.");
        var colour = new ColorRgb(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        string mesh = r.ReadString();
        return new Appearance(kind, colour, mesh.Length == 0 ? null : mesh);
    }

    private static void WriteBehaviour(BinaryWriter w, Behaviour? b)
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

    private static Behaviour? ReadBehaviour(BinaryReader r)
    {
        switch (r.ReadByte())
        {
            case 0: return null;
            case 1:
            {
                var points = new Vector3D[ReadCount(r)];
                for (int i = 0; i < points.Length; i++) points[i] = ReadV(r);
                return new LoopPathBehaviour(points, r.ReadDouble());
            }
            case 2: return new SwingBehaviour(ReadV(r), ReadV(r), r.ReadDouble(), r.ReadDouble());
            case 3: return new SpinBehaviour(ReadV(r), r.ReadDouble());
            case 4: return new SpawnerBehaviour(ReadDefinition(r), r.ReadDouble(), r.ReadInt32(), r.ReadUInt64(), ReadV(r));
            case var k: throw new InvalidDataException($"Unknown behaviour kind {k}.");
        }
    }

    private static void WriteBody(BinaryWriter w, BodyState b)
    {
        WriteV(w, b.PositionM);
        WriteQ(w, b.Orientation);
        WriteV(w, b.LinearVelocityMps);
        WriteV(w, b.AngularVelocityRadps);
        w.Write(b.IsAwake);
        w.Write(b.SleepCounter);
    }

    private static BodyState ReadBody(BinaryReader r) => new(ReadV(r), ReadQ(r), ReadV(r), ReadV(r), r.ReadBoolean(), r.ReadInt32());

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> items)
    {
        w.Write(items.Count);
        foreach (string s in items) w.Write(s);
    }

    private static string[] ReadStrings(BinaryReader r)
    {
        var items = new string[ReadCount(r)];
        for (int i = 0; i < items.Length; i++) items[i] = r.ReadString();
        return items;
    }

    private static void WriteV(BinaryWriter w, Vector3D v)
    {
        w.Write(v.X);
        w.Write(v.Y);
        w.Write(v.Z);
    }

    private static Vector3D ReadV(BinaryReader r) => new(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());

    private static void WriteQ(BinaryWriter w, QuaternionD q)
    {
        w.Write(q.W);
        w.Write(q.X);
        w.Write(q.Y);
        w.Write(q.Z);
    }

    private static QuaternionD ReadQ(BinaryReader r) => new(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
}
