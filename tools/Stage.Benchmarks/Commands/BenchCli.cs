using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Stage.Cli;
using Stage.Physics;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// <c>stage bench …</c>: performance figures measured as ratios against a baseline taken in the same
/// run (this machine is shared and noisy; a ratio survives that, an absolute time does not).
/// </summary>
public static class BenchCli
{
    /// <summary>Parses <paramref name="args"/> (a bench name and its options), runs it and returns its exit code (0 success, 1 fault, 2 usage).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Measure Stage against a baseline taken in the same run and print the figures (tools/stage bench …).");
        root.Options.Add(CommonOptions.Verbose);
        root.Options.Add(CommonOptions.Quiet);
        root.Options.Add(CommonOptions.LogDirectory);
        root.Subcommands.Add(Physics(output, error));
        root.Subcommands.Add(LatencyBench.Create(output, error));
        root.Subcommands.Add(RenderBench.Create(output, error));
        root.Subcommands.Add(RunBench.Create(output, error));
        root.Subcommands.Add(TrackingBench.Create(output, error));
        root.Subcommands.Add(WindowBench.Create(output, error));
        root.Subcommands.Add(WorldBench.Create(output, error));
        root.Subcommands.Add(ClusterBench.Create(output, error));
        root.Subcommands.Add(TangentBench.Create(output, error));
        root.SetAction(_ =>
        {
            error.WriteLine("stage bench: name a bench; the benches are:");
            foreach (Command command in root.Subcommands) error.WriteLine($"  {command.Name,-10} {command.Description?.Split(". ")[0]}");
            error.WriteLine("  micro      the BenchmarkDotNet micro-benchmarks (tools/stage bench micro --filter '*')");
            return ExitCodes.Usage;
        });
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError parseError in parsed.Errors) error.WriteLine($"stage bench: {parseError.Message}");
            error.WriteLine("Run 'tools/stage bench --help' for usage.");
            return ExitCodes.Usage;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    private static Command Physics(TextWriter output, TextWriter error)
    {
        var sizes = new Option<int[]>("--boxes") { Description = "Pyramid sizes to measure.", DefaultValueFactory = _ => [100, 1000, 5000], AllowMultipleArgumentsPerToken = true };
        var rounds = new Option<int>("--rounds") { Description = "Alternating ODE/Stage rounds per scene; the median is reported.", DefaultValueFactory = _ => 3 };
        var harness = new Option<string?>("--harness") { Description = "A built ode-scenes harness (default: Harnesses/ode-scenes.c built with gcc beside the benchmark program)." };
        var command = new Command("physics",
            "Step time of box pyramids (100, 1,000, 5,000: the worst case) and a scattered stage world (300 spheres, boxes and capsules on terrain + a stack of 10) through Stage.Physics against the same scene written directly " +
            "against ODE's C API (Harnesses/ode-scenes.c, built with gcc), alternating in one run; the checksum proves both ran the " +
            "same simulation. Then 1,000 resting + 50 moving boxes with Stage's sleeping on against off.")
        { sizes, rounds, harness };
        command.SetAction(result =>
        {
            string? ode = result.GetValue(harness) ?? Harnesses.NativeHarness.OdeScenes(error);
            if (ode is null) return ExitCodes.Fault;
            int roundCount = Math.Max(1, result.GetValue(rounds));
            output.WriteLine("scene          bodies   ODE C ms/step   Stage ms/step   ratio   same simulation");
            bool allSame = true;
            var scenes = result.GetValue(sizes)!.Select(b => ("pyramid", b)).Append(("stage", 300));
            foreach ((string scene, int boxes) in scenes)
            {
                (int warmup, int steps) = scene == "stage" ? (60, 240) : boxes <= 200 ? (20, 300) : boxes <= 2000 ? (20, 60) : (10, 15);
                var odeTimes = new List<double>();
                var stageTimes = new List<double>();
                string odeChecksum = "", stageChecksum = "";
                for (int round = 0; round < roundCount; round++)
                {
                    (double odeMs, odeChecksum) = RunHarness(ode, scene, boxes, warmup, steps);
                    (double stageMs, double sum) = RunStageScene(scene, boxes, warmup, steps);
                    stageChecksum = sum.ToString("R", CultureInfo.InvariantCulture);
                    odeTimes.Add(odeMs);
                    stageTimes.Add(stageMs);
                }
                double odeMedian = Median(odeTimes), stageMedian = Median(stageTimes);
                bool same = double.Parse(odeChecksum, CultureInfo.InvariantCulture) == double.Parse(stageChecksum, CultureInfo.InvariantCulture);
                allSame &= same;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(scene == "stage" ? "stage-world  " : $"pyramid-{boxes,-5}")} {(scene == "stage" ? boxes + 10 : boxes),6}   {odeMedian,13:0.000}   {stageMedian,13:0.000}   {stageMedian / odeMedian,4:0.00}×   {(same ? "yes (checksum " + stageChecksum + ")" : $"NO: ODE {odeChecksum}, Stage {stageChecksum}")}"));
                output.Flush();
            }
            (double on, double off) = SleepingCost(1000, 50, 120, 240);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sleeping: 1000 resting + 50 moving boxes: {on:0.000} ms/step with sleeping, {off:0.000} ms/step without: {on / off:0.00}× (target < 0.25×)"));
            return allSame ? ExitCodes.Ok : ExitCodes.Fault;
        });
        return command;
    }

    private static (double Ms, double Checksum) RunStageScene(string scene, int boxes, int warmup, int steps)
    {
        (PhysicsWorld world, IReadOnlyList<RigidBody> bodies) = scene == "stage"
            ? PhysicsBenchScenes.StageWorld(boxes, SleepSettings.Off)
            : PhysicsBenchScenes.Pyramid(boxes, SleepSettings.Off);
        using (world)
        {
            world.Step(warmup);
            long start = Stopwatch.GetTimestamp();
            world.Step(steps);
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds / steps;
            return (ms, PhysicsBenchScenes.Checksum(bodies));
        }
    }

    private static (double OnMs, double OffMs) SleepingCost(int resting, int moving, int warmup, int steps)
    {
        double Measure(SleepSettings sleep)
        {
            (PhysicsWorld world, _) = PhysicsBenchScenes.RestingAndMoving(resting, moving, sleep);
            using (world)
            {
                world.Step(warmup);
                long start = Stopwatch.GetTimestamp();
                world.Step(steps);
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds / steps;
            }
        }
        return (Measure(SleepSettings.Default), Measure(SleepSettings.Off));
    }

    private static (double Ms, string Checksum) RunHarness(string harness, string scene, int boxes, int warmup, int steps)
    {
        var start = new ProcessStartInfo(harness, [scene, boxes.ToString(CultureInfo.InvariantCulture), warmup.ToString(CultureInfo.InvariantCulture), steps.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{harness} did not start");
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{harness} failed: {process.StandardError.ReadToEnd()}");
        string Field(string name) => text.Split(' ', StringSplitOptions.TrimEntries).Single(f => f.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];
        return (double.Parse(Field("ms_per_step"), CultureInfo.InvariantCulture), Field("checksum"));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
