using System.Text.Json;
using Stage.Core.Configuration;
using Stage.Physics;

namespace Stage.World;

/// <summary>A joint as a scene file names it (entities by name; <paramref name="EntityB"/> null = the world).</summary>
public sealed record SceneJoint(string Name, JointKind Kind, string EntityA, string? EntityB, Vector3D AnchorM, Vector3D Axis, JointStrength Strength);

/// <summary>A command a scene schedules (entity by name, or none for rules).</summary>
public sealed record SceneCommand(long Step, string? Entity, Func<long?, WorldCommand> Make);

/// <summary>A loaded scene: settings, rules, entities (ids 1, 2, … in file order), joints and scheduled commands.</summary>
public sealed class Scene
{
    internal Scene(string sourcePath, WorldSettings settings, WorldRules rules, IReadOnlyList<EntityDefinition> entities,
        IReadOnlyList<SceneJoint> joints, IReadOnlyList<SceneCommand> commands)
    {
        SourcePath = sourcePath;
        Settings = settings;
        Rules = rules;
        Entities = entities;
        Joints = joints;
        Commands = commands;
    }

    /// <summary>The file it came from.</summary>
    public string SourcePath { get; }

    /// <summary>Fixed settings.</summary>
    public WorldSettings Settings { get; }

    /// <summary>Initial rules.</summary>
    public WorldRules Rules { get; }

    /// <summary>Entities in file order.</summary>
    public IReadOnlyList<EntityDefinition> Entities { get; }

    /// <summary>Joints in file order.</summary>
    public IReadOnlyList<SceneJoint> Joints { get; }

    /// <summary>Commands scheduled by the scene, in file order.</summary>
    public IReadOnlyList<SceneCommand> Commands { get; }

    /// <summary>The scene's environment (HDR image or physical sky), or null: the renderer's uniform ambient and flat background.</summary>
    public SceneEnvironmentSetting? Environment { get; init; }

    /// <summary>Builds the world at step 0: entities, joints, then the scheduled commands (part of the world's state).</summary>
    public StageWorld Build()
    {
        var world = new StageWorld(Settings, Rules);
        try
        {
            foreach (EntityDefinition e in Entities) world.CreateEntity(e);
            foreach (SceneJoint j in Joints)
            {
                long a = world.Find(j.EntityA)!.Id;
                long? b = j.EntityB is null ? null : world.Find(j.EntityB)!.Id;
                world.CreateJoint(new JointDefinition(j.Name, j.Kind, a, b, j.AnchorM, j.Axis, j.Strength));
            }
            foreach (SceneCommand c in Commands)
            {
                long? id = c.Entity is null ? null : world.Find(c.Entity)!.Id;
                world.SubmitAt(c.Step, c.Make(id));
            }
            return world;
        }
        catch
        {
            world.Dispose();
            throw;
        }
    }
}

/// <summary>The outcome of reading a scene: the scene, or every fault with its JSON path.</summary>
public sealed record SceneLoadResult(Scene? Scene, IReadOnlyList<ConfigFault> Faults)
{
    /// <summary>True when the scene is valid.</summary>
    public bool IsValid => Scene is not null && Faults.Count == 0;
}

/// <summary>
/// Reads scene files (JSON; see docs/world.md). Every fault is reported at once with its path, the
/// way the stage configuration is (<see cref="JsonObjectReader"/>).
/// </summary>
public static class SceneLoader
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    /// <summary>Reads the scene file at <paramref name="path"/>.</summary>
    public static SceneLoadResult LoadFile(string path)
    {
        string full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return new SceneLoadResult(null, [new ConfigFault("", $"cannot read {full}: {e.Message}")]);
        }
        return LoadText(text, full);
    }

    /// <summary>Reads a scene from JSON text.</summary>
    public static SceneLoadResult LoadText(string json, string sourcePath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "unknown place";
            string reason = e.Message;
            int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut].TrimEnd('.', ' ');
            return new SceneLoadResult(null, [new ConfigFault("", $"malformed JSON at {where}: {reason}")]);
        }
        using (document)
        {
            var faults = new List<ConfigFault>();
            Scene? scene = new Reader(faults, sourcePath).Read(document.RootElement);
            return faults.Count == 0 ? new SceneLoadResult(scene, faults) : new SceneLoadResult(null, faults);
        }
    }

    private sealed class Reader(List<ConfigFault> faults, string sourcePath)
    {
        private readonly Dictionary<string, Material> _materials = new(StringComparer.Ordinal);

        public Scene? Read(JsonElement root)
        {
            JsonObjectReader o = JsonObjectReader.Open(root, "", faults, "name", "stepHz", "seed", "solverIterations", "sleep", "bound", "sun", "environment", "rules", "materials", "entities", "joints", "commands");
            o.String("name", required: false);
            var settings = new WorldSettings
            {
                StepHz = o.Integer("stepHz", false, WorldLimits.MinStepHz, WorldLimits.MaxStepHz) ?? 120,
                SolverSeed = (ulong)(o.Integer("seed", false, 0) ?? 1),
                SolverIterations = o.Integer("solverIterations", false, 1, WorldLimits.MaxSolverIterations) ?? 20,
                SleepEnabled = o.Boolean("sleep", false) ?? true,
                Bound = o.Element("bound", false) is { } b ? ReadBound(b, o.PathOf("bound")) : WorldBound.Default,
                Sun = o.Element("sun", false) is { } sun ? ReadSun(sun, o.PathOf("sun")) : null,
            };
            SceneEnvironmentSetting? environment = o.Element("environment", false) is { } env ? ReadEnvironment(env, o.PathOf("environment")) : null;
            WorldRules rules = o.Element("rules", false) is { } r ? ReadRules(r, o.PathOf("rules"), new WorldRules()) : new WorldRules();
            if (o.Element("materials", false) is { } mats)
            {
                if (mats.ValueKind != JsonValueKind.Object)
                {
                    o.Fault("materials", "must be an object of named materials");
                }
                else
                {
                    foreach (JsonProperty m in mats.EnumerateObject())
                    {
                        if (ReadMaterial(m.Value, JsonObjectReader.Join(o.PathOf("materials"), m.Name)) is { } material) _materials[m.Name] = material;
                    }
                }
            }
            var entities = new List<EntityDefinition>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            var dynamicNames = new HashSet<string>(StringComparer.Ordinal);
            foreach ((JsonElement item, string path) in o.Array("entities", required: true))
            {
                if (ReadEntity(item, path, requireName: true) is not { } e) continue;
                // Every number against the limits, with the same checks a command or a snapshot gets.
                int before = faults.Count;
                WorldLimits.CheckDefinition(e, path, faults);
                if (faults.Count == before && e.Body is { Kind: BodyKind.Dynamic } && !settings.Bound.Contains(e.PositionM))
                {
                    faults.Add(new ConfigFault(JsonObjectReader.Join(path, "positionM"),
                        $"{WorldLimits.Show(e.PositionM)} is outside the world bound {WorldLimits.Show(settings.Bound.MinM)}..{WorldLimits.Show(settings.Bound.MaxM)} ('bound')"));
                }
                if (!names.Add(e.Name)) faults.Add(new ConfigFault(JsonObjectReader.Join(path, "name"), $"another entity is already named '{e.Name}'"));
                if (e.Body is { Kind: BodyKind.Dynamic }) dynamicNames.Add(e.Name);
                entities.Add(e);
            }
            var joints = new List<SceneJoint>();
            foreach ((JsonElement item, string path) in o.Array("joints", required: false))
            {
                if (ReadJoint(item, path, names, dynamicNames) is { } j) joints.Add(j);
            }
            var commands = new List<SceneCommand>();
            WorldRules rulesSoFar = rules;
            var context = new CommandContext(names, dynamicNames, entities, joints);
            foreach ((JsonElement item, string path) in o.Array("commands", required: false))
            {
                if (ReadCommand(item, path, settings.StepHz, context, ref rulesSoFar) is { } c) commands.Add(c);
            }
            context.ResolveJointRemovals(faults);
            if (faults.Count > 0) return null;
            return new Scene(sourcePath, settings, rules, entities, joints, commands) { Environment = environment };
        }

        /// <summary>
        /// The environment: <c>image</c> (a Radiance .hdr, relative to the scene file; it must exist), <c>rotationDeg</c>,
        /// <c>exposureEv</c>, and for the physical sky (no image) <c>turbidity</c> and <c>groundAlbedo</c>.
        /// </summary>
        private SceneEnvironmentSetting? ReadEnvironment(JsonElement element, string path)
        {
            JsonObjectReader r = JsonObjectReader.Open(element, path, faults, "image", "rotationDeg", "exposureEv", "turbidity", "groundAlbedo");
            if (!r.IsValid) return null;
            string? image = r.String("image", false);
            string? fullPath = null;
            if (image is not null)
            {
                foreach (string skyOnly in new[] { "turbidity", "groundAlbedo" }.Where(r.Has)) r.Fault(skyOnly, "belongs to the physical sky, not to an image environment");
                string folder = Path.GetDirectoryName(Path.GetFullPath(sourcePath)) ?? ".";
                fullPath = Path.GetFullPath(Path.Combine(folder, image));
                if (!File.Exists(fullPath)) r.Fault("image", $"no file '{image}' ({fullPath})");
                else if (!fullPath.EndsWith(".hdr", StringComparison.OrdinalIgnoreCase)) r.Fault("image", $"'{image}' must be a Radiance .hdr image");
            }
            else if (r.Has("rotationDeg"))
            {
                r.Fault("rotationDeg", "turns an image; the physical sky follows the sun");
            }
            return new SceneEnvironmentSetting
            {
                ImagePath = fullPath,
                RotationDeg = r.Number("rotationDeg", false, -360, 360) ?? 0,
                ExposureEv = r.Number("exposureEv", false, -20, 20) ?? 0,
                Turbidity = r.Number("turbidity", false, SceneEnvironmentSetting.MinTurbidity, SceneEnvironmentSetting.MaxTurbidity) ?? 3,
                GroundAlbedo = r.Number("groundAlbedo", false, 0, 1) ?? 0.2,
            };
        }

        private WorldRules ReadRules(JsonElement element, string path, WorldRules start)
        {
            JsonObjectReader r = JsonObjectReader.Open(element, path, faults, "gravityMps2", "gravityScale", "timeScale", "linearDampingPerS", "angularDampingPerS", "contactEventThresholdMps", "timeOfDayScale");
            WorldRules rules = start with
            {
                GravityMps2 = Vec(r.Numbers("gravityMps2", false, 3)) ?? start.GravityMps2,
                GravityScale = r.Number("gravityScale", false) ?? start.GravityScale,
                TimeScale = r.Number("timeScale", false, 0, minExclusive: true) ?? start.TimeScale,
                LinearDampingPerS = r.Number("linearDampingPerS", false, 0) ?? start.LinearDampingPerS,
                AngularDampingPerS = r.Number("angularDampingPerS", false, 0) ?? start.AngularDampingPerS,
                ContactEventThresholdMps = r.Number("contactEventThresholdMps", false, 0) ?? start.ContactEventThresholdMps,
                TimeOfDayScale = r.Number("timeOfDayScale", false) ?? start.TimeOfDayScale,
            };
            // The ranges a rules command gets: each fault at the field this object sets (a scale
            // that makes a set gravity too strong, at the gravity when only that was set here).
            foreach ((string field, string message) in rules.FindFaults())
            {
                if (r.Has(field)) r.Fault(field, message);
                else if (field == "gravityScale" && r.Has("gravityMps2")) r.Fault("gravityMps2", message);
            }
            return rules;
        }

        /// <summary>
        /// The sun: <c>{"direction": [x, y, z]}</c> (fixed, the way its light travels), or a place and
        /// a local clock: <c>latitudeDeg</c>, <c>longitudeDeg</c>, <c>date</c> (yyyy-MM-dd),
        /// <c>localTime</c> (HH:mm or HH:mm:ss), <c>utcOffsetH</c>, and optionally <c>northDeg</c>.
        /// </summary>
        private SunSetting? ReadSun(JsonElement element, string path)
        {
            JsonObjectReader r = JsonObjectReader.Open(element, path, faults, "direction", "latitudeDeg", "longitudeDeg", "northDeg", "date", "localTime", "utcOffsetH");
            if (!r.IsValid) return null;
            if (r.Has("direction"))
            {
                foreach (string placed in new[] { "latitudeDeg", "longitudeDeg", "northDeg", "date", "localTime", "utcOffsetH" }.Where(r.Has))
                {
                    r.Fault(placed, "give a fixed direction or a place and time, not both");
                }
                if (Vec(r.Numbers("direction", true, 3)) is not { } direction) return null;
                var fixedSun = new FixedSun(direction);
                foreach ((string field, string message) in fixedSun.FindFaults()) r.Fault(field, message);
                return fixedSun;
            }
            double? latitude = r.Number("latitudeDeg", true, -90, 90);
            double? longitude = r.Number("longitudeDeg", true, -180, 180);
            double north = r.Number("northDeg", false, -360, 360) ?? 0;
            double? offsetH = r.Number("utcOffsetH", true, -14, 14);
            string? dateText = r.String("date", true);
            string? timeText = r.String("localTime", true);
            DateTime? date = null;
            TimeSpan? time = null;
            if (dateText is not null)
            {
                if (DateTime.TryParseExact(dateText, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out DateTime d)) date = d;
                else r.Fault("date", $"must be a date written yyyy-MM-dd (as 2026-06-21), not '{dateText}'");
            }
            if (timeText is not null)
            {
                if (TimeSpan.TryParseExact(timeText, [@"hh\:mm", @"hh\:mm\:ss"], System.Globalization.CultureInfo.InvariantCulture, out TimeSpan t) && t < TimeSpan.FromDays(1)) time = t;
                else r.Fault("localTime", $"must be a time of day written HH:mm or HH:mm:ss (as 17:30), not '{timeText}'");
            }
            if (latitude is null || longitude is null || offsetH is null || date is null || time is null) return null;
            // Whole minutes: every real UTC offset is (+05:30, +05:45, -03:30).
            int offsetMinutes = (int)Math.Round(offsetH.Value * 60);
            long startUtcTicks = (date.Value + time.Value).Ticks - offsetMinutes * TimeSpan.TicksPerMinute;
            var sun = new PlacedSun(latitude.Value, longitude.Value, north, startUtcTicks, offsetMinutes);
            foreach ((string field, string message) in sun.FindFaults()) r.Fault(field, message);
            return sun;
        }

        private WorldBound ReadBound(JsonElement element, string path)
        {
            JsonObjectReader r = JsonObjectReader.Open(element, path, faults, "minM", "maxM", "action");
            WorldBound d = WorldBound.Default;
            var bound = new WorldBound(
                Vec(r.Numbers("minM", false, 3)) ?? d.MinM,
                Vec(r.Numbers("maxM", false, 3)) ?? d.MaxM,
                r.Choice("action", false, "freeze", "remove") is "remove" ? BoundAction.Remove : BoundAction.Freeze);
            IReadOnlyList<(string Field, string Message)> found = bound.FindFaults();
            foreach ((string field, string message) in found) r.Fault(field, message);
            return found.Count == 0 ? bound : d;
        }

        private Material? ReadMaterial(JsonElement element, string path)
        {
            JsonObjectReader r = JsonObjectReader.Open(element, path, faults, "friction", "restitution", "bounceThresholdMps", "softnessCfm", "softnessErp");
            if (!r.IsValid) return null;
            return new Material(
                AtMost(r, "friction", true, WorldLimits.MaxFriction) ?? 0.5,
                r.Number("restitution", false, 0, 1) ?? 0,
                AtMost(r, "bounceThresholdMps", false, PhysicsLimits.MaxSpeedMps) ?? 0.1,
                AtMost(r, "softnessCfm", false, WorldLimits.MaxSoftnessCfm) ?? 0,
                r.Number("softnessErp", false, 0, 1) ?? 0);
        }

        /// <summary>A number of at least 0 and at most <paramref name="max"/> (a hostile 1e300 written back short, not in 301 digits).</summary>
        private static double? AtMost(JsonObjectReader r, string name, bool required, double max)
        {
            double? value = r.Number(name, required, 0);
            if (value > max)
            {
                r.Fault(name, $"must be at most {WorldLimits.N(max)}, not {WorldLimits.N(value.Value)}");
                return null;
            }
            return value;
        }

        private EntityDefinition? ReadEntity(JsonElement element, string path, bool requireName)
        {
            JsonObjectReader r = JsonObjectReader.Open(element, path, faults, "name", "tags", "body", "shape", "material", "massKg", "positionM", "rotationDeg",
                "linearVelocityMps", "angularVelocityRadps", "appearance", "overrides", "behaviour");
            if (!r.IsValid) return null;
            string? name = requireName ? r.String("name", true) : r.String("name", false) ?? "spawned";
            var tags = new List<string>();
            foreach ((JsonElement tag, string tagPath) in r.Array("tags", false))
            {
                if (tag.ValueKind == JsonValueKind.String && tag.GetString()!.Trim().Length > 0) tags.Add(tag.GetString()!);
                else faults.Add(new ConfigFault(tagPath, "must be a non-empty string"));
            }
            Shape? shape = r.Element("shape", false) is { } s ? ReadShape(s, r.PathOf("shape")) : null;
            string? kind = r.Choice("body", false, "static", "dynamic");
            if (kind is not null && !r.Has("shape")) r.Fault("body", "needs a shape");
            BodyComponent? body = null;
            if (shape is not null)
            {
                BodyKind bodyKind = kind == "static" || (kind is null && !shape.CanBeDynamic) ? BodyKind.Static : BodyKind.Dynamic;
                if (bodyKind == BodyKind.Dynamic && !shape.CanBeDynamic)
                {
                    r.Fault("body", $"a {ShapeName(shape)} can only be static");
                    bodyKind = BodyKind.Static;
                }
            }
            if (r.Has("shape"))
            {
                Material material = Material.Default;
                if (r.Element("material", false) is { } m)
                {
                    if (m.ValueKind == JsonValueKind.String)
                    {
                        if (!_materials.TryGetValue(m.GetString()!, out material))
                        {
                            r.Fault("material", $"names no material in 'materials' ('{m.GetString()}')");
                            material = Material.Default;
                        }
                    }
                    else
                    {
                        material = ReadMaterial(m, r.PathOf("material")) ?? Material.Default;
                    }
                }
                double mass = r.Number("massKg", false, 0, minExclusive: true) ?? 1;
                if (shape is not null)
                {
                    BodyKind bodyKind = kind == "static" || !shape.CanBeDynamic ? BodyKind.Static : BodyKind.Dynamic;
                    body = new BodyComponent(bodyKind, shape, material, mass);
                }
            }
            else if (r.Has("material") || r.Has("massKg"))
            {
                r.Fault(r.Has("material") ? "material" : "massKg", "needs a shape");
            }
            Vector3D position = Vec(r.Numbers("positionM", false, 3)) ?? Vector3D.Zero;
            double[]? rot = r.Numbers("rotationDeg", false, 3);
            if (rot is not null && rot.Any(a => Math.Abs(a) > WorldLimits.MaxRotationDeg))
            {
                r.Fault("rotationDeg", $"each angle must be within ±{WorldLimits.MaxRotationDeg}°, not [{string.Join(", ", rot.Select(WorldLimits.N))}]");
                rot = null;
            }
            QuaternionD orientation = rot is null ? QuaternionD.Identity : QuaternionMath.FromEulerDeg(rot[0], rot[1], rot[2]);
            // "none": a body that collides but is not drawn (a ground plane under a street mesh that already shows the ground).
            Appearance? appearance = r.Element("appearance", false) is { } a
                ? a.ValueKind == JsonValueKind.String ? ReadNoAppearance(a, r.PathOf("appearance")) : ReadAppearance(a, r.PathOf("appearance"))
                : DefaultAppearance(shape);
            EntityOverrides overrides = r.Element("overrides", false) is { } ov ? ReadOverrides(ov, r.PathOf("overrides")) : default;
            Behaviour? behaviour = r.Element("behaviour", false) is { } b ? ReadBehaviour(b, r.PathOf("behaviour")) : null;
            if (behaviour is PathBehaviour && body is { Kind: BodyKind.Static }) r.Fault("behaviour", "a static body cannot follow a path (make it dynamic; the path makes it kinematic)");
            if (name is null) return null;
            return new EntityDefinition
            {
                Name = name, Tags = tags, PositionM = position, Orientation = orientation,
                LinearVelocityMps = Vec(r.Numbers("linearVelocityMps", false, 3)) ?? Vector3D.Zero,
                AngularVelocityRadps = Vec(r.Numbers("angularVelocityRadps", false, 3)) ?? Vector3D.Zero,
                Body = body, Appearance = appearance, Behaviour = behaviour, Overrides = overrides,
            };
        }

        private Shape? ReadShape(JsonElement element, string path)
        {
            JsonObjectReader r = JsonObjectReader.Open(element, path, faults, "kind", "sizeM", "radiusM", "lengthM", "normal", "offsetM", "widthM", "depthM", "samples", "heightsM", "thicknessM");
            string? kind = r.Choice("kind", true, "box", "sphere", "capsule", "cylinder", "plane", "terrain");
            string[] allowed = kind switch
            {
                "box" => ["kind", "sizeM"],
                "sphere" => ["kind", "radiusM"],
                "capsule" or "cylinder" => ["kind", "radiusM", "lengthM"],
                "plane" => ["kind", "normal", "offsetM"],
                "terrain" => ["kind", "widthM", "depthM", "samples", "heightsM", "thicknessM"],
                _ => [],
            };
            if (kind is not null && element.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty p in element.EnumerateObject())
                {
                    if (Array.IndexOf(allowed, p.Name) < 0 && Array.IndexOf(["kind", "sizeM", "radiusM", "lengthM", "normal", "offsetM", "widthM", "depthM", "samples", "heightsM", "thicknessM"], p.Name) >= 0)
                    {
                        r.Fault(p.Name, $"does not apply to a {kind} (known here: {string.Join(", ", allowed)})");
                    }
                }
            }
            switch (kind)
            {
                case "box": return Vec(r.Numbers("sizeM", true, 3, positive: true)) is { } size ? new BoxShape(size) : null;
                case "sphere": return r.Number("radiusM", true, 0, minExclusive: true) is { } sphereRadius ? new SphereShape(sphereRadius) : null;
                case "capsule":
                case "cylinder":
                {
                    double? radius = r.Number("radiusM", true, 0, minExclusive: true);
                    double? length = r.Number("lengthM", true, 0, minExclusive: true);
                    if (radius is null || length is null) return null;
                    return kind == "capsule" ? new CapsuleShape(radius.Value, length.Value) : new CylinderShape(radius.Value, length.Value);
                }
                case "plane":
                {
                    Vector3D? normal = Vec(r.Numbers("normal", false, 3));
                    if (normal is { Length: 0 }) { r.Fault("normal", "must not be zero"); return null; }
                    return new PlaneShape(normal ?? Vector3D.UnitY, r.Number("offsetM", false) ?? 0);
                }
                case "terrain":
                {
                    double? width = r.Number("widthM", true, 0, minExclusive: true);
                    double? depth = r.Number("depthM", true, 0, minExclusive: true);
                    int[]? samples = r.Integers("samples", true, 2, 2);
                    double thickness = r.Number("thicknessM", false, 0, minExclusive: true) ?? 1;
                    var heights = new List<double>();
                    foreach ((JsonElement h, string hp) in r.Array("heightsM", true))
                    {
                        if (h.ValueKind == JsonValueKind.Number && h.TryGetDouble(out double v) && double.IsFinite(v)) heights.Add(v);
                        else faults.Add(new ConfigFault(hp, $"must be a number, not {JsonObjectReader.Describe(h)}"));
                    }
                    if (width is null || depth is null || samples is null) return null;
                    if ((long)samples[0] * samples[1] > PhysicsLimits.MaxTerrainSamples)
                    {
                        r.Fault("samples", $"must be at most {PhysicsLimits.MaxTerrainSamples} samples in all, not {samples[0]} × {samples[1]}");
                        return null;
                    }
                    if (heights.Count != samples[0] * samples[1])
                    {
                        r.Fault("heightsM", $"must hold samples[0] × samples[1] = {samples[0] * samples[1]} heights, not {heights.Count}");
                        return null;
                    }
                    return new HeightfieldShape(width.Value, depth.Value, samples[0], samples[1], heights, thickness);
                }
                default: return null;
            }
        }

        private Appearance? ReadAppearance(JsonElement element, string path)
        {
            JsonObjectReader r = JsonObjectReader.Open(element, path, faults, "primitive", "colorLinear", "mesh", "metallic", "roughness");
            string? primitive = r.Choice("primitive", false, "box", "sphere", "capsule", "cylinder", "plane", "terrain", "mesh");
            string? mesh = r.String("mesh", false);
            double[]? colour = r.Numbers("colorLinear", false, 3);
            double? metallic = r.Number("metallic", false, 0, 1);
            double? roughness = r.Number("roughness", false, 0, 1);
            if (colour is not null && colour.Any(c => c < 0))
            {
                r.Fault("colorLinear", "channels must be at least 0");
                colour = null;
            }
            if (primitive == "mesh" && mesh is null) r.Fault("mesh", "is required for a mesh primitive (a glTF file)");
            if (mesh is not null && primitive is not (null or "mesh")) r.Fault("mesh", $"applies only to the mesh primitive, not {primitive}");
            if (mesh is not null && !(mesh.EndsWith(".gltf", StringComparison.OrdinalIgnoreCase) || mesh.EndsWith(".glb", StringComparison.OrdinalIgnoreCase)))
            {
                r.Fault("mesh", $"must be a glTF file (.gltf or .glb), not '{mesh}'");
            }
            if (primitive is null && mesh is null) { r.Fault("primitive", "is required (or give a mesh)"); return null; }
            PrimitiveKind kind = mesh is not null ? PrimitiveKind.Mesh : Enum.Parse<PrimitiveKind>(primitive!, ignoreCase: true);
            var c = colour is null ? ColorRgb.Grey : new ColorRgb(colour[0], colour[1], colour[2]);
            return new Appearance(kind, c, mesh, metallic, roughness);
        }

        /// <summary>The string form of <c>appearance</c>: only <c>"none"</c> (not drawn); anything else is a fault.</summary>
        private Appearance? ReadNoAppearance(JsonElement element, string path)
        {
            if (element.GetString() != "none") faults.Add(new ConfigFault(path, $"must be an object or \"none\", not \"{element.GetString()}\""));
            return null;
        }

        private static Appearance? DefaultAppearance(Shape? shape) => shape switch
        {
            null => null,
            BoxShape => new Appearance(PrimitiveKind.Box, ColorRgb.Grey),
            SphereShape => new Appearance(PrimitiveKind.Sphere, ColorRgb.Grey),
            CapsuleShape => new Appearance(PrimitiveKind.Capsule, ColorRgb.Grey),
            CylinderShape => new Appearance(PrimitiveKind.Cylinder, ColorRgb.Grey),
            PlaneShape => new Appearance(PrimitiveKind.Plane, ColorRgb.Grey),
            _ => new Appearance(PrimitiveKind.Terrain, ColorRgb.Grey),
        };

        private EntityOverrides ReadOverrides(JsonElement element, string path)
        {
            JsonObjectReader r = JsonObjectReader.Open(element, path, faults, "floats", "kinematic", "frozen", "gravityScale");
            return new EntityOverrides(r.Boolean("floats", false) ?? false, r.Boolean("kinematic", false) ?? false, r.Boolean("frozen", false) ?? false, r.Number("gravityScale", false));
        }

        private Behaviour? ReadBehaviour(JsonElement element, string path)
        {
            JsonObjectReader r = JsonObjectReader.Open(element, path, faults, "kind", "waypointsM", "speedMps", "pivotM", "axis", "amplitudeDeg", "periodS", "rateDegps",
                "template", "intervalS", "maxCount", "seed", "jitterM");
            switch (r.Choice("kind", true, "loop", "swing", "spin", "spawner"))
            {
                case "loop":
                {
                    var points = new List<Vector3D>();
                    foreach ((JsonElement p, string pp) in r.Array("waypointsM", true))
                    {
                        if (p.ValueKind == JsonValueKind.Array && p.GetArrayLength() == 3 && p.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Number))
                        {
                            double[] xyz = [.. p.EnumerateArray().Select(x => x.GetDouble())];
                            points.Add(new Vector3D(xyz[0], xyz[1], xyz[2]));
                        }
                        else
                        {
                            faults.Add(new ConfigFault(pp, "must be three numbers"));
                        }
                    }
                    double? speed = r.Number("speedMps", true, 0, minExclusive: true);
                    if (r.Has("waypointsM") && points.Count < 2) r.Fault("waypointsM", "needs at least two points");
                    var loop = new LoopPathBehaviour(points, speed ?? 1);
                    if (points.Count >= 2 && !(loop.LengthM > 0)) r.Fault("waypointsM", "the loop has no length");
                    return speed is null || points.Count < 2 ? null : loop;
                }
                case "swing":
                {
                    Vector3D? pivot = Vec(r.Numbers("pivotM", true, 3));
                    Vector3D? axis = Axis(r);
                    double? amplitude = r.Number("amplitudeDeg", true, 0, 360);
                    double? period = r.Number("periodS", true, 0, minExclusive: true);
                    return pivot is null || axis is null || amplitude is null || period is null ? null
                        : new SwingBehaviour(pivot.Value, axis.Value, amplitude.Value * Math.PI / 180, period.Value);
                }
                case "spin":
                {
                    Vector3D? axis = Axis(r);
                    double? rate = r.Number("rateDegps", true);
                    return axis is null || rate is null ? null : new SpinBehaviour(axis.Value, rate.Value * Math.PI / 180);
                }
                case "spawner":
                {
                    // Its numbers (and that it is no spawner itself) are checked with the entity's.
                    EntityDefinition? template = r.Element("template", true) is { } t ? ReadEntity(t, r.PathOf("template"), requireName: false) : null;
                    double? interval = r.Number("intervalS", true, 0, minExclusive: true);
                    int? max = r.Integer("maxCount", true, 1, 100_000);
                    int seed = r.Integer("seed", false, 0) ?? 1;
                    Vector3D jitter = Vec(r.Numbers("jitterM", false, 3)) ?? Vector3D.Zero;
                    return template is null || interval is null || max is null ? null : new SpawnerBehaviour(template, interval.Value, max.Value, (ulong)seed, jitter);
                }
                default: return null;
            }
        }

        private Vector3D? Axis(JsonObjectReader r)
        {
            Vector3D? axis = Vec(r.Numbers("axis", true, 3));
            if (axis is { Length: 0 }) { r.Fault("axis", "must not be zero"); return null; }
            return axis;
        }

        private SceneJoint? ReadJoint(JsonElement element, string path, HashSet<string> names, HashSet<string> dynamicNames)
        {
            JsonObjectReader r = JsonObjectReader.Open(element, path, faults, "name", "kind", "a", "b", "anchorM", "axis", "strength");
            string? name = r.String("name", true);
            string? kind = r.Choice("kind", true, "fixed", "hinge", "ball");
            string? a = r.String("a", true);
            string? b = r.String("b", false);
            foreach ((string field, string? entity) in new[] { ("a", a), ("b", b) })
            {
                if (entity is null) continue;
                if (!names.Contains(entity)) r.Fault(field, $"names no entity ('{entity}')");
                else if (!dynamicNames.Contains(entity)) r.Fault(field, $"entity '{entity}' has no dynamic body");
            }
            if (a is not null && a == b) r.Fault("b", "a joint cannot join an entity to itself");
            Vector3D? anchor = Vec(r.Numbers("anchorM", kind is "hinge" or "ball", 3));
            Vector3D? axis = kind == "hinge" ? Axis(r) : Vec(r.Numbers("axis", false, 3));
            JointStrength strength = JointStrength.Unbreakable;
            if (r.Element("strength", false) is { } s)
            {
                JsonObjectReader sr = JsonObjectReader.Open(s, r.PathOf("strength"), faults, "forceN", "torqueNm");
                strength = new JointStrength(sr.Number("forceN", false, 0, minExclusive: true) ?? double.PositiveInfinity,
                    sr.Number("torqueNm", false, 0, minExclusive: true) ?? double.PositiveInfinity);
            }
            WorldLimits.CheckJoint(anchor ?? Vector3D.Zero, axis ?? Vector3D.UnitY, strength, path, faults);
            if (name is null || kind is null || a is null) return null;
            return new SceneJoint(name, Enum.Parse<JointKind>(kind, ignoreCase: true), a, b, anchor ?? Vector3D.Zero, axis ?? Vector3D.UnitY, strength);
        }

        private SceneCommand? ReadCommand(JsonElement element, string path, int stepHz, CommandContext context, ref WorldRules rulesSoFar)
        {
            HashSet<string> names = context.Names;
            JsonObjectReader r = JsonObjectReader.Open(element, path, faults, "step", "atS", "entity", "setRules", "setOverrides", "setVelocity", "destroy", "createJoint", "destroyJoint");
            if (!r.IsValid) return null;
            int? step = r.Integer("step", false, 0);
            double? atS = r.Number("atS", false, 0);
            if (atS > WorldLimits.MaxTimeS)
            {
                r.Fault("atS", $"must be at most {WorldLimits.N(WorldLimits.MaxTimeS)} s, not {WorldLimits.N(atS.Value)}");
                atS = 0;
            }
            if (step is null && !r.Has("atS")) r.Fault("step", "is required (or atS)");
            if (step is not null && atS is not null) r.Fault("atS", "give step or atS, not both");
            long at = step ?? (long)Math.Round((atS ?? 0) * stepHz);
            string? entity = r.String("entity", false);
            if (entity is not null && !names.Contains(entity)) r.Fault("entity", $"names no entity ('{entity}')");
            string[] actions = [.. new[] { "setRules", "setOverrides", "setVelocity", "destroy", "createJoint", "destroyJoint" }.Where(r.Has)];
            if (actions.Length != 1)
            {
                r.Fault(actions.Length == 0 ? "setRules" : actions[1], "a command needs exactly one of setRules, setOverrides, setVelocity, destroy, createJoint, destroyJoint");
                return null;
            }
            bool needsEntity = actions[0] is not ("setRules" or "createJoint" or "destroyJoint");
            if (needsEntity && entity is null) r.Fault("entity", $"is required for {actions[0]}");
            if (!needsEntity && entity is not null) r.Fault("entity", $"does not apply to {actions[0]}");
            switch (actions[0])
            {
                case "createJoint":
                {
                    // Entity ids are 1, 2, … in file order (Scene.Build creates them so).
                    if (ReadJoint(r.Element("createJoint", true)!.Value, r.PathOf("createJoint"), names, context.DynamicNames) is not { } j) return null;
                    var definition = new JointDefinition(j.Name, j.Kind, context.IdOf(j.EntityA), j.EntityB is null ? null : context.IdOf(j.EntityB), j.AnchorM, j.Axis, j.Strength);
                    context.Created.Add((at, context.Created.Count, j.Name));
                    return new SceneCommand(at, null, _ => new CreateJointCommand(definition));
                }
                case "destroyJoint":
                {
                    string? joint = r.String("destroyJoint", true);
                    if (joint is null) return null;
                    var removal = new JointRemoval(joint, at, r.PathOf("destroyJoint"));
                    context.Removals.Add(removal);
                    return new SceneCommand(at, null, _ => new DestroyJointCommand(removal.JointId));
                }
                case "setRules":
                {
                    WorldRules rules = ReadRules(r.Element("setRules", true)!.Value, r.PathOf("setRules"), rulesSoFar);
                    rulesSoFar = rules;
                    return new SceneCommand(at, null, _ => new SetRulesCommand(rules));
                }
                case "setOverrides":
                {
                    EntityOverrides o = ReadOverrides(r.Element("setOverrides", true)!.Value, r.PathOf("setOverrides"));
                    WorldLimits.CheckOverrides(o, r.PathOf("setOverrides"), faults);
                    return new SceneCommand(at, entity, id => new SetOverridesCommand(id!.Value, o));
                }
                case "setVelocity":
                {
                    JsonObjectReader v = JsonObjectReader.Open(r.Element("setVelocity", true)!.Value, r.PathOf("setVelocity"), faults, "linearMps", "angularRadps");
                    Vector3D lin = Vec(v.Numbers("linearMps", false, 3)) ?? Vector3D.Zero;
                    Vector3D ang = Vec(v.Numbers("angularRadps", false, 3)) ?? Vector3D.Zero;
                    WorldLimits.CheckVelocities(lin, ang, r.PathOf("setVelocity"), "linearMps", "angularRadps", faults);
                    return new SceneCommand(at, entity, id => new SetVelocityCommand(id!.Value, lin, ang));
                }
                default:
                {
                    if (r.Boolean("destroy", true) != true) { r.Fault("destroy", "must be true"); return null; }
                    return new SceneCommand(at, entity, id => new DestroyEntityCommand(id!.Value));
                }
            }
        }

        private static string ShapeName(Shape shape) => shape is PlaneShape ? "plane" : "terrain";

        private static Vector3D? Vec(double[]? v) => v is null ? null : new Vector3D(v[0], v[1], v[2]);
    }
}

/// <summary>What a scene's commands may name: entities (ids 1, 2, … in file order) and joints.</summary>
internal sealed class CommandContext(HashSet<string> names, HashSet<string> dynamicNames, List<EntityDefinition> entities, List<SceneJoint> joints)
{
    public HashSet<string> Names { get; } = names;

    public HashSet<string> DynamicNames { get; } = dynamicNames;

    /// <summary>createJoint commands: (step, file order, joint name).</summary>
    public List<(long Step, int Order, string Name)> Created { get; } = [];

    public List<JointRemoval> Removals { get; } = [];

    public long IdOf(string entity) => entities.FindIndex(e => e.Name == entity) + 1;

    /// <summary>
    /// Gives each destroyJoint the id of the joint it names: the scene's joints get ids 1, 2, … in
    /// file order at build; createJoint commands take the next ids in the order they take effect
    /// (step, then file order) — so long as nothing else makes a joint before them.
    /// </summary>
    public void ResolveJointRemovals(List<ConfigFault> faults)
    {
        var created = Created.OrderBy(c => c.Step).ThenBy(c => c.Order).ToList();
        foreach (JointRemoval removal in Removals)
        {
            int declared = joints.FindIndex(j => j.Name == removal.JointName);
            int made = created.FindIndex(c => c.Name == removal.JointName);
            if (declared >= 0)
            {
                removal.JointId = declared + 1;
            }
            else if (made >= 0 && created[made].Step <= removal.Step)
            {
                removal.JointId = joints.Count + made + 1;
            }
            else
            {
                faults.Add(new ConfigFault(removal.Path, made >= 0
                    ? $"joint '{removal.JointName}' is created at step {created[made].Step}, after this removal"
                    : $"names no joint ('{removal.JointName}') in 'joints' or a createJoint command"));
            }
        }
    }
}

/// <summary>A destroyJoint command's joint, resolved to an id once every command is read.</summary>
internal sealed class JointRemoval(string jointName, long step, string path)
{
    public string JointName { get; } = jointName;

    public long Step { get; } = step;

    public string Path { get; } = path;

    public long JointId { get; set; }
}
