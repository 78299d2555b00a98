using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Stage.Physics;
using Stage.World;

namespace Stage.Cli;

/// <summary><c>stage world inspect &lt;snapshot&gt;</c> and <c>stage world diff &lt;a&gt; &lt;b&gt;</c>.</summary>
public static class WorldCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("world", "Look into world snapshots; write the demo world.");
        command.Subcommands.Add(Inspect(output, error));
        command.Subcommands.Add(Diff(output, error));
        command.Subcommands.Add(MakeDemo(output, error));
        return command;
    }

    private static Command MakeDemo(TextWriter output, TextWriter error)
    {
        var dir = new Argument<string?>("dir") { Description = "Folder to write street.json and street/*.glb into (default: the repository's stage-configs/worlds).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("make-demo", "Write the demo street world (scene + glTF models with procedural textures; same bytes every run).") { dir };
        command.SetAction(result =>
        {
            string folder = Path.GetFullPath(result.GetValue(dir) ?? Path.Combine(RepositoryLocator.Root, "stage-configs", "worlds"));
            try
            {
                IReadOnlyList<string> files = Stage.Hosting.DemoWorld.DemoWorldWriter.Write(folder);
                long bytes = 0;
                foreach (string file in files)
                {
                    long size = new FileInfo(file).Length;
                    bytes += size;
                    output.WriteLine($"{file}  {size / 1024.0:0.0} KiB");
                }
                output.WriteLine($"stage world make-demo: {files.Count} files, {bytes / (1024.0 * 1024.0):0.00} MiB; render it with: tools/stage render stage-configs/demo-flat.json --world {files[0]} --pose 0,1.7,3,0,0,0 --out OUT");
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"stage world make-demo: {folder}: cannot write: {e.Message}");
                return ExitCodes.Fault;
            }
        });
        return command;
    }

    private static Command Inspect(TextWriter output, TextWriter error)
    {
        var path = new Argument<string>("snapshot") { Description = "A snapshot file (.snap), or a scene file (.json): its world at step 0 and its environment." };
        var json = new Option<bool>("--json") { Description = "Print as JSON." };
        var command = new Command("inspect", "Print a snapshot's header, rules and entities, and every value out of range (exit 1 naming the file when it is corrupt or a value is out of range).") { path, json };
        command.SetAction(result =>
        {
            string file = result.GetValue(path)!;
            WorldImage image;
            int version;
            SceneEnvironmentSetting? environment = null;
            bool isScene = file.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
            if (isScene)
            {
                // A scene: its world built at step 0, and the environment, which is presentation and never in a snapshot.
                if (!File.Exists(file))
                {
                    error.WriteLine($"stage world inspect: {file}: no such file");
                    return ExitCodes.Fault;
                }
                SceneLoadResult loaded = SceneLoader.LoadFile(file);
                if (!loaded.IsValid)
                {
                    error.WriteLine($"stage world inspect: {file}: {loaded.Faults.Count} fault{(loaded.Faults.Count == 1 ? "" : "s")}:");
                    foreach (Stage.Core.Configuration.ConfigFault fault in loaded.Faults) error.WriteLine($"  {fault}");
                    return ExitCodes.Fault;
                }
                using StageWorld built = loaded.Scene!.Build();
                image = WorldImage.Capture(built);
                version = WorldCodec.SnapshotVersion;
                environment = loaded.Scene.Environment;
            }
            else try
            {
                // Values are not checked here but listed below, so a file a run refuses shows why.
                image = WorldCodec.LoadSnapshot(file, checkValues: false);
                version = WorldCodec.SnapshotVersionOf(File.ReadAllBytes(file)) ?? WorldCodec.SnapshotVersion;
            }
            catch (WorldFileException e)
            {
                error.WriteLine($"stage world inspect: {e.Message}");
                return ExitCodes.Fault;
            }
            catch (IOException e)
            {
                error.WriteLine($"stage world inspect: {file}: cannot read: {e.Message}");
                return ExitCodes.Fault;
            }
            IReadOnlyList<Stage.Core.Configuration.ConfigFault> faults = image.FindFaults();
            if (faults.Count > 0) error.WriteLine($"stage world inspect: {file}: {faults.Count} value{(faults.Count == 1 ? "" : "s")} out of range (listed as FAULT); a run refuses this snapshot");
            int exit = faults.Count == 0 ? ExitCodes.Ok : ExitCodes.Fault;
            ulong hash = WorldCodec.Hash(image);
            WorldSettings settings = image.Settings;
            WorldBound bound = settings.Bound;
            if (result.GetValue(json))
            {
                using var buffer = new MemoryStream();
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartObject();
                    w.WriteString("file", Path.GetFullPath(file));
                    w.WriteNumber("version", version);
                    w.WriteNumber("step", image.Step);
                    w.WriteNumber("stepHz", settings.StepHz);
                    w.WriteNumber("solverIterations", settings.SolverIterations);
                    w.WriteNumber("seed", settings.SolverSeed);
                    w.WriteBoolean("sleep", settings.SleepEnabled);
                    w.WriteStartObject("bound");
                    SimCommand.WriteVector(w, "minM", bound.MinM);
                    SimCommand.WriteVector(w, "maxM", bound.MaxM);
                    w.WriteString("action", bound.Action switch { BoundAction.Freeze => "freeze", BoundAction.Remove => "remove", var a => ((int)a).ToString(CultureInfo.InvariantCulture) });
                    w.WriteEndObject();
                    w.WriteString("hash", hash.ToString("x16", CultureInfo.InvariantCulture));
                    SimCommand.WriteSun(w, settings.Sun, image.SunUtcTicks);
                    if (isScene)
                    {
                        if (environment is null)
                        {
                            w.WriteNull("environment");
                        }
                        else
                        {
                            w.WriteStartObject("environment");
                            w.WriteString("kind", environment.ImagePath is null ? "physicalSky" : "image");
                            if (environment.ImagePath is { } imagePath) w.WriteString("image", imagePath);
                            else
                            {
                                w.WriteNumber("turbidity", environment.Turbidity);
                                w.WriteNumber("groundAlbedo", environment.GroundAlbedo);
                            }
                            w.WriteNumber("rotationDeg", environment.RotationDeg);
                            w.WriteNumber("exposureEv", environment.ExposureEv);
                            w.WriteEndObject();
                        }
                    }
                    w.WriteStartArray("faults");
                    foreach (Stage.Core.Configuration.ConfigFault fault in faults)
                    {
                        w.WriteStartObject();
                        w.WriteString("path", fault.Path);
                        w.WriteString("message", fault.Message);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteStartObject("rules");
                    SimCommand.WriteVector(w, "gravityMps2", image.Rules.GravityMps2);
                    w.WriteNumber("gravityScale", image.Rules.GravityScale);
                    w.WriteNumber("timeScale", image.Rules.TimeScale);
                    w.WriteNumber("linearDampingPerS", image.Rules.LinearDampingPerS);
                    w.WriteNumber("angularDampingPerS", image.Rules.AngularDampingPerS);
                    w.WriteNumber("contactEventThresholdMps", image.Rules.ContactEventThresholdMps);
                    w.WriteNumber("timeOfDayScale", image.Rules.TimeOfDayScale);
                    w.WriteEndObject();
                    w.WriteStartArray("entities");
                    foreach (EntityImage e in image.Entities)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("id", e.Id);
                        w.WriteString("name", e.Definition.Name);
                        w.WriteString("body", e.Definition.Body is { } b ? $"{b.Kind.ToString().ToLowerInvariant()} {b.Shape.GetType().Name}" : "none");
                        SimCommand.WriteVector(w, "positionM", e.PositionM);
                        SimCommand.WriteVector(w, "velocityMps", e.LinearVelocityMps);
                        w.WriteBoolean("awake", e.BodyState?.IsAwake ?? true);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteNumber("joints", image.Joints.Count);
                    w.WriteNumber("brokenJoints", image.Joints.Count(j => j.BrokenAtStep is not null));
                    w.WriteNumber("pendingCommands", image.PendingCommands.Count);
                    w.WriteStartArray("jointList");
                    foreach (JointImage j in image.Joints)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("id", j.Id);
                        w.WriteString("name", j.Definition.Name);
                        w.WriteString("kind", j.Definition.Kind.ToString().ToLowerInvariant());
                        w.WriteNumber("a", j.Definition.EntityA);
                        if (j.Definition.EntityB is long jb) w.WriteNumber("b", jb);
                        else w.WriteNull("b");
                        w.WriteNumber("createdAtStep", j.CreatedAtStep);
                        if (j.BrokenAtStep is long broke) w.WriteNumber("brokenAtStep", broke);
                        else w.WriteNull("brokenAtStep");
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
                return exit;
            }
            WorldRules r = image.Rules;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {(isScene ? "Stage world scene (its world at step 0, as snapshot" : "Stage world snapshot")} v{version}{(isScene ? ")" : "")}, step {image.Step} at {settings.StepHz} Hz (t {image.Step / (double)Math.Max(1, settings.StepHz):0.000} s), state hash {hash:x16}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"settings: {settings.SolverIterations} solver iterations, seed {settings.SolverSeed}, sleep {(settings.SleepEnabled ? "on" : "off")}; bound {WorldLimits.Show(bound.MinM)}..{WorldLimits.Show(bound.MaxM)} m, {bound.Action.ToString().ToLowerInvariant()} what leaves it"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rules: gravity ({r.GravityMps2.X}, {r.GravityMps2.Y}, {r.GravityMps2.Z}) m/s² × {r.GravityScale}, time scale {r.TimeScale}, damping {r.LinearDampingPerS}/s linear, {r.AngularDampingPerS}/s angular, contact events ≥ {r.ContactEventThresholdMps} m/s, time of day × {r.TimeOfDayScale}"));
            if (image.Sun is { } sun) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sun: azimuth {sun.AzimuthDeg:0.000}° (clockwise from true north), elevation {sun.ElevationDeg:0.000}° (above the horizon){SimCommand.SunClock(settings.Sun, image.SunUtcTicks)}"));
            if (isScene) output.WriteLine($"environment: {environment?.Describe() ?? "none (uniform ambient, flat background)"}");
            output.WriteLine($"{image.Entities.Count} entities, {image.Joints.Count} joints ({image.Joints.Count(j => j.BrokenAtStep is not null)} broken), {image.PendingCommands.Count} pending commands");
            foreach (EntityImage e in image.Entities)
            {
                Vector3D p = e.PositionM, v = e.LinearVelocityMps;
                string body = e.Definition.Body is { } b ? $"{b.Kind.ToString().ToLowerInvariant()} {b.Shape.GetType().Name.Replace("Shape", "", StringComparison.Ordinal).ToLowerInvariant()}" : "no body";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {e.Id,5} {e.Definition.Name,-16} {body,-18} position ({p.X:0.0000}, {p.Y:0.0000}, {p.Z:0.0000}) m  velocity ({v.X:0.000}, {v.Y:0.000}, {v.Z:0.000}) m/s{(e.BodyState is { IsAwake: false } ? "  asleep" : "")}"));
            }
            foreach (JointImage j in image.Joints)
            {
                JointStrength s = j.Definition.Strength;
                string strength = s.IsBreakable ? string.Create(CultureInfo.InvariantCulture, $"breaks above {s.ForceN} N or {s.TorqueNm} N·m") : "unbreakable";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  joint {j.Id,3} {j.Definition.Name,-16} {j.Definition.Kind.ToString().ToLowerInvariant(),-5} {j.Definition.EntityA} – {(j.Definition.EntityB is long jb ? jb.ToString(CultureInfo.InvariantCulture) : "world")}, {strength}, made at step {j.CreatedAtStep}{(j.BrokenAtStep is long broke ? $", broke at step {broke}" : "")}"));
            }
            foreach (Stage.Core.Configuration.ConfigFault fault in faults) output.WriteLine($"FAULT {fault}");
            return exit;
        });
        return command;
    }

    private static Command Diff(TextWriter output, TextWriter error)
    {
        var a = new Argument<string>("a") { Description = "The first snapshot." };
        var b = new Argument<string>("b") { Description = "The second snapshot." };
        var command = new Command("diff", "Name the first entities and fields where two snapshots differ (exit 0 when bit-identical, 1 when they differ or one is corrupt).") { a, b };
        command.SetAction(result =>
        {
            WorldImage first, second;
            try
            {
                first = WorldCodec.LoadSnapshot(result.GetValue(a)!);
                second = WorldCodec.LoadSnapshot(result.GetValue(b)!);
            }
            catch (WorldFileException e)
            {
                error.WriteLine($"stage world diff: {e.Message}");
                return ExitCodes.Fault;
            }
            IReadOnlyList<string> differences = WorldDiff.Compare(first, second);
            if (differences.Count == 0)
            {
                output.WriteLine($"identical: step {first.Step}, state hash {WorldCodec.Hash(first):x16}");
                return ExitCodes.Ok;
            }
            foreach (string d in differences) output.WriteLine(d);
            return ExitCodes.Fault;
        });
        return command;
    }
}
