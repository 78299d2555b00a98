using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Stage.Physics;
using Stage.World;

using Stage.Cli;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// <c>stage bench world</c>: snapshot save + load of a large world against the raw I/O floor of the
/// same bytes, and the state hash's cost per step against the step itself, each measured in the
/// same run.
/// </summary>
public static class WorldBench
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var entities = new Option<int>("--entities") { Description = "Entities in the snapshot world.", DefaultValueFactory = _ => 10_000 };
        var rounds = new Option<int>("--rounds") { Description = "Save + load rounds (median and p99 are over these).", DefaultValueFactory = _ => 20 };
        var directory = new Option<string?>("--dir") { Description = "Folder for the snapshot files (default: a new folder in the system temp folder; it should be on the disk the journal will use)." };
        var command = new Command("world",
            "Snapshot save (encode + temp file + fsync + rename + folder fsync) and load (read + CRC check + decode + restore into the live world in place, and into a new world) " +
            "of N entities against the floor of the same bytes written, fsynced, renamed and read back raw; then the state hash's cost per step " +
            "against the step on the scattered stage world and a 1,000-box pyramid.")
        { entities, rounds, directory };
        command.SetAction(result =>
        {
            int count = Math.Max(2, result.GetValue(entities));
            int roundCount = Math.Max(1, result.GetValue(rounds));
            string dir = result.GetValue(directory) ?? Path.Combine(Path.GetTempPath(), $"stage-bench-world-{Environment.ProcessId}");
            bool ownDir = result.GetValue(directory) is null;
            Directory.CreateDirectory(dir);
            try
            {
                SnapshotFigures(output, error, count, roundCount, dir);
                HashFigures(output, error);
            }
            finally
            {
                if (ownDir) Directory.Delete(dir, recursive: true);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// A world of <paramref name="count"/> entities that exercises every part of a snapshot: a floor,
    /// dynamic boxes, spheres and capsules with appearances and tags (some with their own gravity
    /// scale), bodiless spinners, and ball joints between neighbours; stepped a few times so bodies move.
    /// </summary>
    public static StageWorld SnapshotWorld(int count)
    {
        var world = new StageWorld();
        var material = new Material(0.6, 0.2);
        world.CreateEntity(new EntityDefinition { Name = "floor", Body = new BodyComponent(BodyKind.Static, PlaneShape.Floor, material, 0) });
        Shape[] shapes = [new BoxShape(new Vector3D(0.4, 0.4, 0.4)), new SphereShape(0.2), new CapsuleShape(0.15, 0.3)];
        PrimitiveKind[] primitives = [PrimitiveKind.Box, PrimitiveKind.Sphere, PrimitiveKind.Capsule];
        int side = (int)Math.Ceiling(Math.Sqrt(count));
        long previousBody = -1;
        for (int i = 1; i < count; i++)
        {
            var at = new Vector3D((i % side - side / 2) * 1.2, 0.5 + i % 3 * 0.1, (i / side - side / 2) * 1.2);
            EntityDefinition definition = i % 25 == 0
                ? new EntityDefinition
                {
                    Name = $"spinner-{i}", Tags = ["prop"], PositionM = at,
                    Appearance = new Appearance(PrimitiveKind.Mesh, new ColorRgb(0.8, 0.7, 0.2), "props/fan.glb"),
                    Behaviour = new SpinBehaviour(Vector3D.UnitY, 1.5),
                }
                : new EntityDefinition
                {
                    Name = $"prop-{i}", Tags = i % 2 == 0 ? ["debris"] : ["debris", "hero"], PositionM = at,
                    Body = new BodyComponent(BodyKind.Dynamic, shapes[i % 3], material, 1 + i % 5),
                    Appearance = new Appearance(primitives[i % 3], new ColorRgb(i % 7 / 7.0, 0.5, 0.3)),
                    LinearVelocityMps = new Vector3D(0, 0, i % 11 * 0.1),
                    Overrides = i % 13 == 0 ? new EntityOverrides(GravityScale: 0.5) : default,
                };
            Entity made = world.CreateEntity(definition);
            if (made.Body is not null)
            {
                if (i % 40 == 1 && previousBody > 0)
                {
                    world.CreateJoint(new JointDefinition($"link-{i}", JointKind.Ball, previousBody, made.Id, made.PositionM, Vector3D.UnitY, new JointStrength(500, 50)));
                }
                previousBody = made.Id;
            }
        }
        world.StepTo(10);
        return world;
    }

    /// <summary>The scattered stage world as entities: 300 spheres, boxes and capsules dropped on a 41 × 41 heightfield, and a stack of 10 boxes (PhysicsBenchScenes.StageWorld's geometry).</summary>
    public static StageWorld ScatteredWorld()
    {
        var world = new StageWorld();
        var material = new Material(PhysicsBenchScenes.Friction);
        const int samples = 41;
        var heights = new double[samples * samples];
        for (int iz = 0; iz < samples; iz++)
            for (int ix = 0; ix < samples; ix++)
                heights[iz * samples + ix] = (ix * 7 + iz * 13) % 11 * 0.05;
        world.CreateEntity(new EntityDefinition { Name = "terrain", Body = new BodyComponent(BodyKind.Static, new HeightfieldShape(40, 40, samples, samples, heights), material, 0) });
        Shape[] shapes = [new SphereShape(0.25), new BoxShape(new Vector3D(0.5, 0.5, 0.5)), new CapsuleShape(0.2, 0.5)];
        for (int i = 0; i < 300; i++)
        {
            world.CreateEntity(new EntityDefinition
            {
                Name = $"thing-{i}", PositionM = new Vector3D((i % 20 - 10) * 1.5 + 0.25, 2 + i % 7 * 0.3, (i / 20 - 7) * 1.5),
                Body = new BodyComponent(BodyKind.Dynamic, shapes[i % 3], material, 1),
                Appearance = new Appearance((PrimitiveKind)(i % 3), ColorRgb.Grey),
            });
        }
        for (int k = 0; k < 10; k++)
        {
            world.CreateEntity(new EntityDefinition
            {
                Name = $"stack-{k}", PositionM = new Vector3D(15.0, 1.5 + k * 0.5, 15.0),
                Body = new BodyComponent(BodyKind.Dynamic, shapes[1], material, 1),
            });
        }
        return world;
    }

    /// <summary>A triangle of <paramref name="boxes"/> 0.5 m boxes on a floor (PhysicsBenchScenes.Pyramid's geometry) as entities.</summary>
    public static StageWorld PyramidWorld(int boxes)
    {
        var world = new StageWorld();
        var material = new Material(PhysicsBenchScenes.Friction);
        world.CreateEntity(new EntityDefinition { Name = "floor", Body = new BodyComponent(BodyKind.Static, PlaneShape.Floor, material, 0) });
        int rowBoxes = 1;
        while (rowBoxes * (rowBoxes + 1) / 2 < boxes) rowBoxes++;
        const double size = PhysicsBenchScenes.BoxSizeM;
        var shape = new BoxShape(new Vector3D(size, size, size));
        int made = 0;
        for (int row = 0; row < rowBoxes && made < boxes; row++)
        {
            int inRow = rowBoxes - row;
            for (int i = 0; i < inRow && made < boxes; i++, made++)
            {
                world.CreateEntity(new EntityDefinition
                {
                    Name = $"box-{made}", PositionM = new Vector3D((i - (inRow - 1) / 2.0) * size, size / 2 + row * size, 0),
                    Body = new BodyComponent(BodyKind.Dynamic, shape, material, 1),
                    Appearance = new Appearance(PrimitiveKind.Box, ColorRgb.Grey),
                });
            }
        }
        return world;
    }

    private static void SnapshotFigures(TextWriter output, TextWriter error, int count, int rounds, string dir)
    {
        error.WriteLine($"stage bench world: building a world of {count} entities…");
        using StageWorld world = SnapshotWorld(count);
        ulong expected = world.ComputeStateHash();
        // The world a take reset restores into: the same world, run on since the snapshot.
        using StageWorld live = WorldCodec.DecodeSnapshot(WorldCodec.EncodeSnapshot(world), "copy").Restore();
        string path = Path.Combine(dir, "world.snap");
        // One buffer for every read (WorldCodec.LoadSnapshot and TryRestoreSnapshotFileInto pool theirs the same way).
        byte[] buffer = new byte[64 * 1024 * 1024];
        string floorPath = Path.Combine(dir, "floor.bin");
        string[] names =
        [
            "encode + CRC-32 + copy out", "save", "load: read", "load: restore in place", "load (in place)", "save + load (in place)",
            "load: CRC-32 + decode", "load: restore, new world", "load (new world)", "save + load (new world)",
            "floor: durable write", "floor: read", "floor (same bytes, raw)",
        ];
        var figures = names.ToDictionary(n => n, _ => new List<double>(rounds), StringComparer.Ordinal);
        // Process CPU time beside wall time: on a shared machine the wall time of a phase includes
        // waiting for a core; its CPU time does not (nor the disk's fsync wait, which is wall time only).
        var cpuFigures = names.ToDictionary(n => n, _ => new List<double>(rounds), StringComparer.Ordinal);
        var ratioInPlace = new List<double>(rounds);
        var ratioNewWorld = new List<double>(rounds);
        long bytes = 0;
        bool sameHash = true, inPlace = true;
        // One untimed round first: JIT and the file system's first allocation of the files.
        for (int round = -1; round < rounds; round++)
        {
            if (round >= 0) error.Write($"\rstage bench world: snapshot round {round + 1}/{rounds}");
            live.StepTo(live.StepCount + 3);
            // The encoding alone (EncodeSnapshot copies it out; SaveSnapshot writes from its buffer).
            long t0 = Stopwatch.GetTimestamp();
            TimeSpan c0 = Environment.CpuUsage.TotalTime;
            byte[] encoded = WorldCodec.EncodeSnapshot(world);
            long t1 = Stopwatch.GetTimestamp();
            TimeSpan c1 = Environment.CpuUsage.TotalTime;
            // Save: encode from the live world + CRC-32 + temp file + fsync + rename + folder fsync.
            WorldCodec.SaveSnapshot(world, path);
            long t2 = Stopwatch.GetTimestamp();
            TimeSpan c2 = Environment.CpuUsage.TotalTime;
            // Load as a take reset does: read (into a reused buffer), check, restore into the live world in place.
            int fromDisk = ReadInto(path, buffer);
            long t3 = Stopwatch.GetTimestamp();
            TimeSpan c3 = Environment.CpuUsage.TotalTime;
            bool restoredInPlace = WorldCodec.TryRestoreSnapshotInto(buffer.AsSpan(0, fromDisk), path, live);
            long t4 = Stopwatch.GetTimestamp();
            TimeSpan c4 = Environment.CpuUsage.TotalTime;
            // Load as a cold start does: read, check, decode, and build a new world.
            int again = ReadInto(path, buffer);
            long t5 = Stopwatch.GetTimestamp();
            TimeSpan c5 = Environment.CpuUsage.TotalTime;
            WorldImage decoded = WorldCodec.DecodeSnapshot(buffer.AsSpan(0, again), path);
            long t6 = Stopwatch.GetTimestamp();
            TimeSpan c6 = Environment.CpuUsage.TotalTime;
            StageWorld rebuilt = decoded.Restore();
            long t7 = Stopwatch.GetTimestamp();
            TimeSpan c7 = Environment.CpuUsage.TotalTime;
            // The floor: the same bytes through the same durable write and a read, nothing else.
            DurableFile.Write(floorPath, encoded);
            long t8 = Stopwatch.GetTimestamp();
            TimeSpan c8 = Environment.CpuUsage.TotalTime;
            int raw = ReadInto(floorPath, buffer);
            long t9 = Stopwatch.GetTimestamp();
            TimeSpan c9 = Environment.CpuUsage.TotalTime;
            if (round <= 0)
            {
                sameHash &= live.ComputeStateHash() == expected && rebuilt.ComputeStateHash() == expected
                    && fromDisk == encoded.Length && again == encoded.Length && raw == encoded.Length;
            }
            inPlace &= restoredInPlace;
            rebuilt.Dispose();
            if (round < 0) continue;
            bytes = encoded.Length;
            double save = Ms(t1, t2), floorMs = Ms(t7, t9);
            double[] values =
            [
                Ms(t0, t1), save, Ms(t2, t3), Ms(t3, t4), Ms(t2, t4), save + Ms(t2, t4),
                Ms(t5, t6), Ms(t6, t7), Ms(t4, t7), save + Ms(t4, t7),
                Ms(t7, t8), Ms(t8, t9), floorMs,
            ];
            double saveCpu = Cpu(c1, c2);
            double[] cpu =
            [
                Cpu(c0, c1), saveCpu, Cpu(c2, c3), Cpu(c3, c4), Cpu(c2, c4), saveCpu + Cpu(c2, c4),
                Cpu(c5, c6), Cpu(c6, c7), Cpu(c4, c7), saveCpu + Cpu(c4, c7),
                Cpu(c7, c8), Cpu(c8, c9), Cpu(c7, c9),
            ];
            for (int i = 0; i < names.Length; i++) cpuFigures[names[i]].Add(cpu[i]);
            for (int i = 0; i < names.Length; i++) figures[names[i]].Add(values[i]);
            ratioInPlace.Add(values[5] / floorMs);
            ratioNewWorld.Add(values[9] / floorMs);
        }
        error.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"snapshot of {count} entities ({world.Entities.Count(e => e.Body?.Kind == BodyKind.Dynamic)} bodies, {world.Joints.Count} joints): {bytes / 1e6:0.00} MB, {rounds} rounds; " +
            $"restored hash = saved hash: {(sameHash ? "yes" : "NO")}; restored in place: {(inPlace ? "yes" : "NO")}"));
        output.WriteLine("  phase                          median ms     p99 ms   median CPU ms");
        foreach (string name in names)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-29} {Percentile(figures[name], 0.5),10:0.000} {Percentile(figures[name], 0.99),10:0.000} {Percentile(cpuFigures[name], 0.5),15:0.000}"));
        }
        double inPlaceMs = Percentile(figures["save + load (in place)"], 0.5), newWorldMs = Percentile(figures["save + load (new world)"], 0.5);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  save + load / floor (median of per-round ratios): in place {Percentile(ratioInPlace, 0.5):0.00}×, new world {Percentile(ratioNewWorld, 0.5):0.00}×"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  target save + load < 20 ms: in place {(inPlaceMs < 20 ? "met" : "MISSED")} ({inPlaceMs:0.0} ms), new world {(newWorldMs < 20 ? "met" : "MISSED")} ({newWorldMs:0.0} ms)"));
        output.Flush();
    }

    private static void HashFigures(TextWriter output, TextWriter error)
    {
        output.WriteLine("state hash per step        entities   step median ms   hash median ms   hash p99 ms   hash / step   awake at end");
        foreach ((string name, Func<StageWorld> build, int warmup, int steps) in new (string, Func<StageWorld>, int, int)[]
        {
            ("stage-world", ScatteredWorld, 60, 240),
            ("pyramid-1000", () => PyramidWorld(1000), 20, 60),
        })
        {
            error.WriteLine($"stage bench world: state hash on {name}…");
            using StageWorld world = build();
            world.StepTo(warmup);
            var stepMs = new List<double>(steps);
            var hashMs = new List<double>(steps);
            ulong sink = 0;
            for (int i = 0; i < steps; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                world.Step();
                long t1 = Stopwatch.GetTimestamp();
                sink ^= world.ComputeStateHash();
                long t2 = Stopwatch.GetTimestamp();
                stepMs.Add(Ms(t0, t1));
                hashMs.Add(Ms(t1, t2));
            }
            double step = Percentile(stepMs, 0.5), hash = Percentile(hashMs, 0.5);
            int awake = world.Entities.Count(e => e.Body?.Kind == BodyKind.Dynamic && e.IsAwake);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-24} {world.Entities.Count,8}   {step,14:0.000}   {hash,14:0.000}   {Percentile(hashMs, 0.99),11:0.000}   {hash / step,10:0.00}×   {awake,6}  (xor of the hashes {sink:x16})"));
            output.Flush();
        }
    }

    private static int ReadInto(string path, byte[] buffer)
    {
        using Microsoft.Win32.SafeHandles.SafeFileHandle file = File.OpenHandle(path);
        int length = 0;
        for (int read; (read = RandomAccess.Read(file, buffer.AsSpan(length), length)) > 0;) length += read;
        return length;
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static double Cpu(TimeSpan from, TimeSpan to) => (to - from).TotalMilliseconds;

    private static double Percentile(List<double> values, double p)
    {
        var sorted = new List<double>(values);
        sorted.Sort();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
