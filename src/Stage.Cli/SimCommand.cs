using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Stage.Core.Configuration;
using Stage.Physics;
using Stage.World;

namespace Stage.Cli;

/// <summary>
/// <c>stage sim &lt;scene&gt; --seconds S | --steps N [--snapshot-in F] [--snapshot-out F] [--journal DIR] [--every K] [--json]</c>:
/// runs a world headless and prints, per reported step, the state hash and every entity.
/// </summary>
public static class SimCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var scene = new Argument<string>("scene") { Description = "The scene file (JSON)." };
        var seconds = new Option<double?>("--seconds") { Description = "Simulated seconds to run, counted from where the run starts." };
        var steps = new Option<long?>("--steps") { Description = "Fixed steps to run, counted from where the run starts." };
        var snapshotIn = new Option<string?>("--snapshot-in") { Description = "Start from this snapshot instead of the scene's step 0." };
        var snapshotOut = new Option<string?>("--snapshot-out") { Description = "Write a snapshot of the final step here." };
        var journal = new Option<string?>("--journal") { Description = "Persist as the engine does (snapshot every --journal-seconds + command log) in this folder, and resume from it when it holds a snapshot." };
        var journalSeconds = new Option<double>("--journal-seconds") { Description = "Simulated seconds between journal snapshots.", DefaultValueFactory = _ => 1.0 };
        var every = new Option<long?>("--every") { Description = "Report every K steps (default: once per simulated second); the final step is always reported." };
        var json = new Option<bool>("--json") { Description = "One JSON line per reported step." };
        var command = new Command("sim", "Run a world headless: per reported step, the state hash and each entity's id, name, position and velocity; a timing summary on stderr.")
        {
            scene, seconds, steps, snapshotIn, snapshotOut, journal, journalSeconds, every, json,
        };
        command.SetAction((result, cancellation) => Task.Run(() =>
        {
            double? s = result.GetValue(seconds);
            long? n = result.GetValue(steps);
            if ((s is null) == (n is null) || s is < 0 || n is < 0)
            {
                error.WriteLine("stage sim: give exactly one of --seconds S or --steps N (not negative).");
                return ExitCodes.Usage;
            }
            string scenePath = result.GetValue(scene)!;
            SceneLoadResult loaded = SceneLoader.LoadFile(scenePath);
            if (!loaded.IsValid)
            {
                error.WriteLine($"{scenePath}: {loaded.Faults.Count} fault{(loaded.Faults.Count == 1 ? "" : "s")}");
                foreach (ConfigFault fault in loaded.Faults) error.WriteLine($"  {fault}");
                return ExitCodes.Fault;
            }
            StageWorld world;
            string? journalDir = result.GetValue(journal);
            string? inPath = result.GetValue(snapshotIn);
            try
            {
                JournalRecovery? recovery = journalDir is null ? null : WorldJournal.Recover(journalDir);
                foreach (string problem in recovery?.Problems ?? []) error.WriteLine($"stage sim: {problem}");
                if (recovery?.World is { } resumed)
                {
                    world = resumed;
                    error.WriteLine($"stage sim: resumed at step {world.StepCount} from {recovery.SnapshotPath} + {recovery.CommandsReplayed} journaled commands");
                }
                else if (inPath is not null)
                {
                    world = WorldCodec.LoadSnapshot(inPath).Restore();
                }
                else
                {
                    world = loaded.Scene!.Build();
                }
            }
            catch (WorldFileException e)
            {
                error.WriteLine($"stage sim: {e.Message}");
                return ExitCodes.Fault;
            }
            catch (Exception e) when (e is ArgumentException or PhysicsException)
            {
                // A snapshot that passed its checks but still cannot be built (its entities do not
                // fit together): named, never a stack trace.
                error.WriteLine($"stage sim: {inPath ?? journalDir ?? scenePath}: cannot build the world: {e.Message}");
                return ExitCodes.Fault;
            }
            using (world)
            {
                int hz = world.Settings.StepHz;
                long start = world.StepCount;
                long target = start + (n ?? (long)Math.Round(s!.Value * hz));
                long reportEvery = Math.Max(1, result.GetValue(every) ?? hz);
                bool asJson = result.GetValue(json);
                using WorldJournal? journaling = journalDir is null ? null
                    : new WorldJournal(journalDir, world, Math.Max(1, (long)Math.Round(result.GetValue(journalSeconds) * hz)));
                // The world's log: what happened and when, at the step it took effect — contacts
                // above the rules' threshold first, then breaks, so causality reads off it. With
                // --json each event is also a JSON line on standard output, before its step's report.
                StageWorld current = world;
                world.EventRaised += (_, e) =>
                {
                    if (Describe(e, current) is { } line) error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stage sim: step {e.Step}: {line}"));
                    if (asJson && SimEventJson.Write(e, current) is { } eventLine) output.WriteLine(eventLine);
                };
                var stepClock = new Stopwatch();
                var hashClock = new Stopwatch();
                double firstHashMs = 0;
                long hashes = 0;
                double laterHashesMs = 0;
                // Ctrl+C stops at a step boundary: that step is reported as the last, the snapshot and journal written.
                while (world.StepCount < target && !cancellation.IsCancellationRequested)
                {
                    stepClock.Start();
                    world.Step();
                    stepClock.Stop();
                    if ((world.StepCount - start) % reportEvery == 0 || world.StepCount == target || cancellation.IsCancellationRequested)
                    {
                        hashClock.Restart();
                        ulong hash = world.ComputeStateHash();
                        hashClock.Stop();
                        // The first call includes compiling the hash path: kept apart from the rest.
                        if (hashes++ == 0) firstHashMs = hashClock.Elapsed.TotalMilliseconds;
                        else laterHashesMs += hashClock.Elapsed.TotalMilliseconds;
                        output.WriteLine(asJson ? ReportJson(world, hash) : ReportText(world, hash));
                        output.Flush();
                    }
                }
                if (cancellation.IsCancellationRequested) error.WriteLine($"stage sim: stopped on request at step {world.StepCount} of {target}");
                journaling?.WriteSnapshotAndStartLog();
                if (result.GetValue(snapshotOut) is { } outPath) WorldCodec.SaveSnapshot(world, outPath);
                long taken = world.StepCount - start;
                error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"stage sim: {taken} steps ({start} → {world.StepCount}) of {world.Entities.Count} entities: {stepClock.Elapsed.TotalMilliseconds / Math.Max(1, taken):0.###} ms/step, state hash {(hashes > 1 ? $"{laterHashesMs / (hashes - 1):0.###} ms each after the first ({firstHashMs:0.###} ms, with JIT)" : $"{firstHashMs:0.###} ms (one call, with JIT)")}"));
            }
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }

    /// <summary>One log line for an event worth a log (null for applied commands, which the other lines cover).</summary>
    internal static string? Describe(WorldEvent e, StageWorld world) => e switch
    {
        ContactEvent c => string.Create(CultureInfo.InvariantCulture,
            $"contact {c.EntityA} '{world.Get(c.EntityA)?.Name}' – {c.EntityB} '{world.Get(c.EntityB)?.Name}' at {c.ApproachSpeedMps:0.000} m/s"),
        EntityLeftBoundEvent b => string.Create(CultureInfo.InvariantCulture,
            $"entity {b.EntityId} '{b.Name}' left the world at ({b.PositionM.X:0.###}, {b.PositionM.Y:0.###}, {b.PositionM.Z:0.###}) m ({b.Reason}): {(b.Action == BoundAction.Freeze ? "frozen on the bound" : "removed")}"),
        RulesChangedEvent r => "rules changed: " + RuleChanges(r.Before, r.After),
        JointBrokeEvent j => string.Create(CultureInfo.InvariantCulture, $"joint {j.JointId} '{j.JointName}' broke ({j.ForceN:0.#} N, {j.TorqueNm:0.#} N·m)"),
        JointCreatedEvent j => $"joint {j.JointId} '{j.JointName}' created",
        JointDestroyedEvent j => $"joint {j.JointId} '{j.JointName}' removed",
        EntitySpawnedEvent s => $"entity {s.EntityId} '{s.Name}' created{(s.SpawnerId is long by ? $" by spawner {by}" : "")}",
        EntityDestroyedEvent d => $"entity {d.EntityId} '{d.Name}' destroyed",
        CommandRejectedEvent c => $"command {c.Sequence} ({c.Command.GetType().Name}) refused: {c.Reason}",
        _ => null,
    };

    internal static string RuleChanges(WorldRules a, WorldRules b)
    {
        var changes = new List<string>();
        void Field(string name, string before, string after)
        {
            if (before != after) changes.Add($"{name} {before} → {after}");
        }
        static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        Field("gravityMps2", $"[{N(a.GravityMps2.X)}, {N(a.GravityMps2.Y)}, {N(a.GravityMps2.Z)}]", $"[{N(b.GravityMps2.X)}, {N(b.GravityMps2.Y)}, {N(b.GravityMps2.Z)}]");
        Field("gravityScale", N(a.GravityScale), N(b.GravityScale));
        Field("timeScale", N(a.TimeScale), N(b.TimeScale));
        Field("linearDampingPerS", N(a.LinearDampingPerS), N(b.LinearDampingPerS));
        Field("angularDampingPerS", N(a.AngularDampingPerS), N(b.AngularDampingPerS));
        Field("contactEventThresholdMps", N(a.ContactEventThresholdMps), N(b.ContactEventThresholdMps));
        Field("timeOfDayScale", N(a.TimeOfDayScale), N(b.TimeOfDayScale));
        return changes.Count == 0 ? "(no field changed)" : string.Join(", ", changes);
    }

    private static string ReportText(StageWorld world, ulong hash)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"step {world.StepCount}  t {world.TimeS:0.000} s  hash {hash:x16}");
        if (world.Sun is { } sun) text.Append(CultureInfo.InvariantCulture, $"  sun azimuth {sun.AzimuthDeg:0.000}° elevation {sun.ElevationDeg:0.000}°{SunClock(world.Settings.Sun, world.SunUtcTicks)}");
        foreach (Entity e in world.Entities)
        {
            Vector3D p = e.PositionM, v = e.LinearVelocityMps;
            text.AppendLine().Append(CultureInfo.InvariantCulture,
                $"  {e.Id,5} {e.Name,-16} position ({p.X:0.0000}, {p.Y:0.0000}, {p.Z:0.0000}) m  velocity ({v.X:0.000}, {v.Y:0.000}, {v.Z:0.000}) m/s{(e.IsAwake ? "" : "  asleep")}");
        }
        return text.ToString();
    }

    private static string ReportJson(StageWorld world, ulong hash)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("step", world.StepCount);
            w.WriteNumber("timeS", world.TimeS);
            w.WriteString("hash", hash.ToString("x16", CultureInfo.InvariantCulture));
            WriteSun(w, world.Settings.Sun, world.SunUtcTicks);
            w.WriteStartArray("entities");
            foreach (Entity e in world.Entities)
            {
                w.WriteStartObject();
                w.WriteNumber("id", e.Id);
                w.WriteString("name", e.Name);
                WriteVector(w, "positionM", e.PositionM);
                WriteVector(w, "velocityMps", e.LinearVelocityMps);
                w.WriteBoolean("awake", e.IsAwake);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// <c>"sun": {"azimuthDeg", "elevationDeg", "directionTravel", and for a placed sun "utc" and
    /// "local"}</c>; nothing when the world does not place the sun.
    /// </summary>
    internal static void WriteSun(Utf8JsonWriter w, SunSetting? setting, long sunUtcTicks)
    {
        if (SunPosition.Of(setting, sunUtcTicks) is not { } sun) return;
        w.WriteStartObject("sun");
        w.WriteNumber("azimuthDeg", Math.Round(sun.AzimuthDeg, 6));
        w.WriteNumber("elevationDeg", Math.Round(sun.ElevationDeg, 6));
        WriteVector(w, "directionTravel", sun.DirectionTravel);
        if (setting is PlacedSun placed && ClockIsShowable(placed, sunUtcTicks))
        {
            w.WriteString("utc", new DateTime(sunUtcTicks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("local", LocalClock(placed, sunUtcTicks));
        }
        w.WriteEndObject();
    }

    /// <summary>", at 2026-06-21 17:30:00 local (UTC-07:00)" for a placed sun; "" otherwise.</summary>
    internal static string SunClock(SunSetting? setting, long sunUtcTicks) =>
        setting is PlacedSun placed ? ClockIsShowable(placed, sunUtcTicks) ? $" at {LocalClock(placed, sunUtcTicks)} local" : $" at clock {sunUtcTicks} (out of range)" : "";

    // A snapshot shown with its faults (stage world inspect) may hold any clock or offset.
    private static bool ClockIsShowable(PlacedSun sun, long utcTicks) =>
        sun.FindFaults().Count == 0 && utcTicks >= PlacedSun.MinTicks && utcTicks <= PlacedSun.MaxTicks;

    private static string LocalClock(PlacedSun sun, long utcTicks)
    {
        var local = new DateTimeOffset(utcTicks + sun.UtcOffsetMinutes * TimeSpan.TicksPerMinute, TimeSpan.FromMinutes(sun.UtcOffsetMinutes));
        return local.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
    }

    internal static void WriteVector(Utf8JsonWriter w, string name, Vector3D v)
    {
        w.WriteStartArray(name);
        w.WriteNumberValue(v.X);
        w.WriteNumberValue(v.Y);
        w.WriteNumberValue(v.Z);
        w.WriteEndArray();
    }
}
