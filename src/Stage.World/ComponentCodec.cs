using Stage.Physics;

namespace Stage.World;

/// <summary>
/// The canonical bytes of the parts a world's state is made of — settings, rules, entity
/// definitions (shape, material, appearance, behaviour, overrides), joint definitions, body states,
/// vectors — each with its writer and its reader side by side, so the two cannot drift apart.
/// <see cref="WorldRecords"/> puts them in the state's order; <see cref="WorldCommandCodec"/> uses
/// them for commands.
/// </summary>
internal static class ComponentCodec
{
    internal static WorldSettings ReadSettings(ref CanonicalReader r, int version)
    {
        var settings = new WorldSettings { StepHz = r.ReadInt32(), SolverSeed = r.ReadUInt64(), SolverIterations = r.ReadInt32(), SleepEnabled = r.ReadBoolean() };
        if (version < 2) return settings;
        Vector3D min = ReadV(ref r), max = ReadV(ref r);
        settings = settings with { Bound = new WorldBound(min, max, (BoundAction)r.ReadByte()) };
        if (version < 3) return settings;
        return settings with { Sun = ReadSun(ref r) };
    }

    internal static void WriteSettings(CanonicalWriter w, WorldSettings settings)
    {
        w.Write(settings.StepHz);
        w.Write(settings.SolverSeed);
        w.Write(settings.SolverIterations);
        w.Write(settings.SleepEnabled);
        WriteV(w, settings.Bound.MinM);
        WriteV(w, settings.Bound.MaxM);
        w.Write((byte)settings.Bound.Action);
        WriteSun(w, settings.Sun);
    }

    internal static void WriteSun(CanonicalWriter w, SunSetting? sun)
    {
        switch (sun)
        {
            case null: w.Write((byte)0); break;
            case FixedSun f: w.Write((byte)1); WriteV(w, f.DirectionTravel); break;
            case PlacedSun p:
                w.Write((byte)2);
                w.Write(p.LatitudeDeg);
                w.Write(p.LongitudeDeg);
                w.Write(p.NorthDeg);
                w.Write(p.StartUtcTicks);
                w.Write(p.UtcOffsetMinutes);
                break;
            default: throw new ArgumentException($"Unknown sun {sun.GetType().Name}.", nameof(sun));
        }
    }

    internal static SunSetting? ReadSun(ref CanonicalReader r) => r.ReadByte() switch
    {
        0 => null,
        1 => new FixedSun(ReadV(ref r)),
        2 => new PlacedSun(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadInt64(), r.ReadInt32()),
        var k => throw new InvalidDataException($"Unknown sun kind {k}."),
    };

    internal static int ReadCount(ref CanonicalReader r)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > r.Remaining) throw new InvalidDataException($"Count {n} does not fit the data.");
        return n;
    }

    internal static void WriteJointDefinition(CanonicalWriter w, JointDefinition d)
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

    internal static JointDefinition ReadJointDefinition(ref CanonicalReader r)
    {
        string name = r.ReadString();
        var kind = (JointKind)r.ReadByte();
        if (!Enum.IsDefined(kind)) throw new InvalidDataException($"Unknown joint kind {(int)kind}.");
        long a = r.ReadInt64();
        long b = r.ReadInt64();
        return new JointDefinition(name, kind, a, b < 0 ? null : b, ReadV(ref r), ReadV(ref r), new JointStrength(r.ReadDouble(), r.ReadDouble()));
    }

    internal static void WriteRules(CanonicalWriter w, WorldRules rules)
    {
        WriteV(w, rules.GravityMps2);
        w.Write(rules.GravityScale);
        w.Write(rules.TimeScale);
        w.Write(rules.LinearDampingPerS);
        w.Write(rules.AngularDampingPerS);
        w.Write(rules.ContactEventThresholdMps);
        w.Write(rules.TimeOfDayScale);
    }

    internal static WorldRules ReadRules(ref CanonicalReader r) => new()
    {
        GravityMps2 = ReadV(ref r),
        GravityScale = r.ReadDouble(),
        TimeScale = r.ReadDouble(),
        LinearDampingPerS = r.ReadDouble(),
        AngularDampingPerS = r.ReadDouble(),
        ContactEventThresholdMps = r.ReadDouble(),
        TimeOfDayScale = r.FormatVersion >= 3 ? r.ReadDouble() : 1,
    };

    internal static void WriteOverrides(CanonicalWriter w, EntityOverrides o)
    {
        w.Write((byte)((o.Floats ? 1 : 0) | (o.Kinematic ? 2 : 0) | (o.Frozen ? 4 : 0) | (o.GravityScale is null ? 0 : 8)));
        w.Write(o.GravityScale ?? 0);
    }

    internal static EntityOverrides ReadOverrides(ref CanonicalReader r)
    {
        byte flags = r.ReadByte();
        double scale = r.ReadDouble();
        return new EntityOverrides((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0 ? scale : null);
    }

    internal static void WriteDefinition(CanonicalWriter w, EntityDefinition d)
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

    internal static EntityDefinition ReadDefinition(ref CanonicalReader r)
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

    internal static void WriteShape(CanonicalWriter w, Shape shape)
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

    internal static Shape ReadShape(ref CanonicalReader r)
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

    internal static void WriteAppearance(CanonicalWriter w, Appearance? a)
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

    internal static Appearance? ReadAppearance(ref CanonicalReader r)
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

    internal static void WriteBehaviour(CanonicalWriter w, Behaviour? b)
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

    internal static Behaviour? ReadBehaviour(ref CanonicalReader r)
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

    internal static void WriteBody(CanonicalWriter w, BodyState b)
    {
        WriteV(w, b.PositionM);
        WriteQ(w, b.Orientation);
        WriteV(w, b.LinearVelocityMps);
        WriteV(w, b.AngularVelocityRadps);
        w.Write(b.IsAwake);
        w.Write(b.SleepCounter);
    }

    internal static BodyState ReadBody(ref CanonicalReader r) => new(ReadV(ref r), ReadQ(ref r), ReadV(ref r), ReadV(ref r), r.ReadBoolean(), r.ReadInt32());

    internal static void WriteStrings(CanonicalWriter w, IReadOnlyList<string> items)
    {
        w.Write(items.Count);
        foreach (string s in items) w.Write(s);
    }

    internal static string[] ReadStrings(ref CanonicalReader r)
    {
        var items = new string[ReadCount(ref r)];
        for (int i = 0; i < items.Length; i++) items[i] = r.ReadString();
        return items;
    }

    internal static void WriteV(CanonicalWriter w, Vector3D v)
    {
        w.Write(v.X);
        w.Write(v.Y);
        w.Write(v.Z);
    }

    internal static Vector3D ReadV(ref CanonicalReader r) => new(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());

    internal static void WriteQ(CanonicalWriter w, QuaternionD q)
    {
        w.Write(q.W);
        w.Write(q.X);
        w.Write(q.Y);
        w.Write(q.Z);
    }

    internal static QuaternionD ReadQ(ref CanonicalReader r) => new(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
}
