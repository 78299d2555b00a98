using System.CommandLine;
using System.Globalization;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Hosting.Rendering;
using Stage.Engine.Statistics;
using Stage.Render;
using Stage.Render.Scene;
using Stage.Vulkan;
using Stage.World;

using Stage.Cli;
using Stage.Core.Frames;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// <c>stage bench render &lt;config&gt;</c>: frame time of the renderer on a stage against the raw floor of the
/// same pixels (clear + copy + readback of the same canvases) measured in the same run, as wall time and as
/// the process's CPU time (on lavapipe the GPU is the CPU, and CPU time is steadier than wall time on a
/// shared machine), with each pass's GPU time from timestamp queries ("gpu shadow" …) where the device
/// writes timestamps; then the same frames with each pass submitted and waited for on its own, for the
/// per-pass wall times.
/// </summary>
public static class RenderBench
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Argument<string>("config") { Description = "The stage configuration to render." };
        var frames = new Option<int>("--frames") { Description = "Frames to measure (after one warm-up frame).", DefaultValueFactory = _ => 10 };
        var world = new Option<string?>("--world") { Description = "A world scene to draw, stepped 1/60 s per frame (default: twelve primitives in a ring)." };
        var validation = new Option<bool>("--validation") { Description = "Run with the Vulkan validation layer (slower; any message fails the bench)." };
        var msaa = new Option<int?>("--msaa") { Description = "Samples per pixel of the inner and outer views (1, 2, 4, 8) instead of the configuration's render.msaaSamples." };
        var outerFace = new Option<int?>("--outer-face-px") { Description = "Outer cube face size instead of the one chosen from the walls (or render.outerFaceSizePx)." };
        var noInnerMips = new Option<bool>("--no-inner-mips") { Description = "Sample the inner images at level 0 only (no mip chain built each frame), to measure what the chain costs." };
        var environmentCost = new Option<bool>("--environment-cost")
        {
            Description = "Measure what the environment adds: the same frames with the uniform ambient and with the physical sky, alternating, " +
                "then the CPU bake of the sky (and of --environment-image) and a re-bake's cost on the frame path.",
        };
        var environmentImage = new Option<string?>("--environment-image") { Description = "An HDR (.hdr) environment whose bake --environment-cost also times." };
        var untextured = new Option<bool>("--untextured-cost")
        {
            Description = "Instead: the scene passes' GPU time with the untextured fast path (materials without textures read none) against every " +
                "material through the textured pipeline, two renderers on one device, frames alternating in the same run (with --world).",
        };
        var cascades = new Option<bool>("--cascade-cost")
        {
            Description = "Instead: the passes' GPU time with the sun's shadow cascades (three layers fitted to each camera) against the one " +
                "caster-fitted map, every configured camera drawn, two renderers on one device, frames alternating in the same run (with --world).",
        };
        var colour = new Option<bool>("--colour")
        {
            Description = "Instead: the compose pass's CPU and wall time (each pass on its own; per-frame ratios, median and interquartile range) with the colour encoding built up step by step (PQ Rec.2020 1,000 nits, " +
                "+ calibration matrix and gains, + a 33³ LUT, + pixel counts, + camera and wall CDL), each against none at all, frames alternating on one device in the same run.",
        };
        var command = new Command("render",
            "Render N frames of a stage (all outputs, the first camera panning, a few primitives or --world) in one submission per frame and print " +
            "the frame's wall and CPU time (median, p99) and each pass's GPU time (timestamp queries) against the raw copy floor of the same canvases " +
            "measured in the same run, then N more " +
            "frames with each pass submitted on its own for the per-pass times.") { config, frames, world, validation, msaa, outerFace, noInnerMips, untextured, cascades, colour, environmentCost, environmentImage };
        command.SetAction(result =>
        {
            ConfigLoadResult loaded = Stage.Tracking.StageConfigFile.Load(result.GetValue(config)!);
            if (!loaded.IsValid)
            {
                error.WriteLine($"stage: {result.GetValue(config)} has faults; run stage validate");
                return ExitCodes.Fault;
            }
            StageConfig stage = loaded.Config!;
            int count = Math.Max(1, result.GetValue(frames));
            GpuInstance? validated = null;
            try
            {
                using GpuInstance instance = GpuInstance.Create(new GpuInstanceOptions { ApplicationName = "stage bench render", EnableValidation = result.GetValue(validation) });
                validated = instance;
                using GpuDevice device = instance.CreateDevice();
                if (result.GetValue(colour))
                {
                    ColourCost(output, device, stage, count);
                    return ExitCodes.Ok;
                }
                StageRendererOptions options = StageRendererOptions.FromConfig(stage);
                if (result.GetValue(msaa) is int samples) options = options with { MsaaSamples = samples };
                if (result.GetValue(outerFace) is int facePx) options = options with { OuterFaceSizePx = facePx };
                if (result.GetValue(noInnerMips)) options = options with { Compose = options.Compose with { InnerMipmaps = false } };
                if (result.GetValue(untextured))
                {
                    PairCost(output, error, device, stage, options, options with { Scene = options.Scene with { UntexturedFastPath = false } },
                        "the untextured fast path against every material textured", ("fast path", "all textured", "fast / textured"), result.GetValue(world), count, allCameras: false);
                    return ExitCodes.Ok;
                }
                if (result.GetValue(cascades))
                {
                    PairCost(output, error, device, stage, options, options with { Scene = options.Scene with { ShadowCascades = 0 } },
                        "three shadow cascades per camera against the one caster-fitted map", ("cascades", "one map", "cascades / one map"), result.GetValue(world), count,
                        allCameras: true);
                    return ExitCodes.Ok;
                }
                if (result.GetValue(environmentCost))
                {
                    EnvironmentBench.Run(output, device, stage, options, count, result.GetValue(environmentImage));
                    return ExitCodes.Ok;
                }
                using var renderer = new StageRenderer(device, stage, options);
                if (renderer.MsaaNote is { } note) error.WriteLine($"warning: {note}");
                var scene = new RenderScene();
                StageWorld? simulated = null;
                WorldSceneBridge? bridge = null;
                if (result.GetValue(world) is string scenePath)
                {
                    SceneLoadResult sceneLoad = SceneLoader.LoadFile(scenePath);
                    if (!sceneLoad.IsValid)
                    {
                        error.WriteLine($"stage: {scenePath} has faults; run stage sim or stage render --world to see them");
                        return ExitCodes.Fault;
                    }
                    simulated = sceneLoad.Scene!.Build();
                    bridge = new WorldSceneBridge(() => simulated, Path.GetDirectoryName(Path.GetFullPath(scenePath))!) { Log = line => error.WriteLine($"stage: {line}") };
                    bridge.Fill(scene);
                    // The scene's environment (sky or HDR image), as a run draws it.
                    scene.Environment = SceneEnvironmentLoader.Load(sceneLoad.Scene.Environment);
                }
                else
                {
                    for (int i = 0; i < 12; i++)
                    {
                        double angle = i * Math.PI / 6;
                        scene.Add(new DrawItem((Stage.Render.Scene.DrawKind)(i % 3), System.Numerics.Matrix4x4.CreateScale(0.6f) *
                            System.Numerics.Matrix4x4.CreateTranslation((float)(3 * Math.Sin(angle)), 0.6f + i % 3 * 0.4f, (float)(-4 + 3 * Math.Cos(angle))),
                            new System.Numerics.Vector3(0.2f + i % 3 * 0.3f, 0.5f, 0.8f - i % 3 * 0.3f)));
                    }
                }
                using (simulated)
                {
                    CameraConfig camera = stage.Cameras[0];
                    long pixels = stage.Outputs.Sum(o => (long)o.PixelWidth * o.PixelHeight);
                    output.WriteLine($"{stage.Name}: {stage.Outputs.Count} outputs, {pixels / 1e6:0.0} Mpx, camera {camera.Id} inner {camera.InnerWidthPx} × {camera.InnerHeightPx}, " +
                        $"{scene.Count} items, {count} frames on {device.Info.Name}, {renderer.Samples}× MSAA, outer 6 × {renderer.OuterFaceSizePx}², inner mips {(options.Compose.InnerMipmaps ? "on" : "off")}");
                    var process = System.Diagnostics.Process.GetCurrentProcess();
                    var wall = new RollingPercentiles(count);
                    var cpu = new RollingPercentiles(count);
                    var floorWall = new RollingPercentiles(count);
                    var floorCpu = new RollingPercentiles(count);
                    var parts = new Dictionary<string, RollingPercentiles>(StringComparer.Ordinal);
                    var partOrder = new List<string>();
                    void Record(string key, double ms)
                    {
                        if (!parts.TryGetValue(key, out RollingPercentiles? series))
                        {
                            parts[key] = series = new RollingPercentiles(count);
                            partOrder.Add(key);
                        }
                        series.Record(ms);
                    }
                    if (renderer.GpuTimestampsUnsupported is string why) output.WriteLine($"  no per-pass GPU times: {why}");
                    for (int round = 0; round < 2; round++)
                    {
                        // Round 0: the frame as the engine runs it (one submission); round 1: each pass on its own.
                        renderer.TimeEachPass = round == 1;
                        for (int frame = -1; frame < count; frame++)
                        {
                            var pose = Pose.FromPanTiltRoll(new System.Numerics.Vector3(0, 1.7f, 1), new PanTiltRoll(frame * 3.0, -2, 0));
                            simulated?.Advance(TimeSpan.FromSeconds(1 / 60.0));
                            bridge?.Update(scene);
                            (double ms, double cpuMs) = Measure(process, () => renderer.Render([new CameraView(camera, pose, camera.FocalLengthMm)], scene));
                            (double floorMs, double floorCpuMs) = Measure(process, () => renderer.MeasureCopyFloorMs());
                            if (frame < 0) continue;
                            if (round == 0)
                            {
                                wall.Record(ms);
                                cpu.Record(cpuMs);
                                floorWall.Record(floorMs);
                                floorCpu.Record(floorCpuMs);
                            }
                            string prefix = round == 0 ? "one submission: " : "each pass: ";
                            foreach (PassTiming timing in renderer.LastTimings) Record(prefix + timing.Pass, timing.Milliseconds);
                            // GPU timestamps of the one-submission frame (empty with each pass on its own or without timestamp support).
                            foreach (PassTiming timing in renderer.LastGpuTimings) Record(prefix + timing.Pass, timing.Milliseconds);
                        }
                    }
                    foreach (string part in partOrder)
                    {
                        PercentileSummary s = parts[part].Summarise();
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {part,-30} median {s.P50,9:0.00} ms   p99 {s.P99,9:0.00} ms"));
                    }
                    PercentileSummary t = wall.Summarise(), f = floorWall.Summarise(), tc = cpu.Summarise(), fc = floorCpu.Summarise();
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"frame",-30} median {t.P50,9:0.00} ms   p99 {t.P99,9:0.00} ms   CPU {tc.P50,9:0.00} ms"));
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"copy floor",-30} median {f.P50,9:0.00} ms   p99 {f.P99,9:0.00} ms   CPU {fc.P50,9:0.00} ms   (clear + copy + readback of the same canvases)"));
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  frame / floor: {t.P50 / f.P50:0.00}× wall, {tc.P50 / Math.Max(fc.P50, 1e-3):0.00}× CPU (target ≤ 1.5×)"));
                }
            }
            catch (Exception e) when (e is GpuUnavailableException or VulkanException)
            {
                error.WriteLine($"stage: {e.Message}");
                return ExitCodes.Fault;
            }
            // Teardown included: the instance is disposed by now.
            if (validated?.Validation is { Messages.Count: > 0 } log)
            {
                foreach (ValidationMessage message in log.Messages) output.WriteLine($"validation: {message}");
                return ExitCodes.Fault;
            }
            if (validated?.Validation is not null) output.WriteLine("validation: no messages");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The compose pass with every colour step against the pass with none (<see cref="Stage.Render.Compose.CanvasCompositorOptions.ColourPassThrough"/>):
    /// renderers on one device, frames alternating in a rotated order, each pass on its own: the compose pass's CPU time and
    /// wall time as per-frame ratios to the pass-through's.
    /// </summary>
    private static void ColourCost(TextWriter output, GpuDevice device, StageConfig stage, int count)
    {
        // A 33³ LUT bending every channel a little, in memory (what a vendor's calibration LUT is like).
        const int n = 33;
        var lattice = new float[n * n * n * 3];
        for (int bi = 0; bi < n; bi++)
        for (int gi = 0; gi < n; gi++)
        for (int ri = 0; ri < n; ri++)
        {
            int i = (ri + gi * n + bi * n * n) * 3;
            lattice[i] = MathF.Pow(ri / (n - 1f), 1.02f);
            lattice[i + 1] = 0.98f * gi / (n - 1f) + 0.02f * ri / (n - 1f);
            lattice[i + 2] = MathF.Pow(bi / (n - 1f), 0.98f);
        }
        var lut = new Stage.Core.Colour.CubeLut("bench.cube", "bench", true, n, (0, 0, 0), (1, 1, 1), lattice);
        var full = new Stage.Core.Colour.OutputColour
        {
            Transfer = Stage.Core.Colour.Transfer.Pq, Primaries = Stage.Core.Colour.Primaries.Rec2020, PeakNits = 1000, ReferenceWhiteNits = 203,
            Calibration = new Stage.Core.Colour.WallCalibration(new Stage.Core.Colour.ColourMatrix(0.97, 0.03, 0, 0.01, 0.98, 0.01, 0, 0.02, 0.98), 1, 0.99, 0.97, lut),
        };
        var grade = new Stage.Core.Colour.AscCdl(1.05, 1, 0.95, 0.01, 0, -0.01, 0.95, 1, 1.05, 0.9);
        StageConfig encoded = stage with
        {
            Outputs = stage.Outputs.Select(o => o with { BitDepth = Math.Max(10, o.BitDepth), Colour = full }).ToArray(),
            Cameras = stage.Cameras.Select(c => c with { Cdl = grade }).ToArray(),
            Walls = stage.Walls.Select(w => w with { Cdl = grade }).ToArray(),
        };
        StageConfig plain = encoded with { Outputs = encoded.Outputs.Select(o => o with { Colour = new Stage.Core.Colour.OutputColour { Transfer = Stage.Core.Colour.Transfer.Linear } }).ToArray() };
        StageConfig ungraded = encoded with { Cameras = stage.Cameras, Walls = stage.Walls };
        StageConfig WithColour(Stage.Core.Colour.OutputColour colour) => ungraded with { Outputs = ungraded.Outputs.Select(o => o with { Colour = colour }).ToArray() };
        var noCalibration = full with { Calibration = Stage.Core.Colour.WallCalibration.None };
        var matrixOnly = full with { Calibration = full.Calibration with { Lut = null } };
        // The steps one by one (each adds to the one before), then the whole: what each costs, against no colour work at all.
        (string Name, StageConfig Config, bool Count, bool PassThrough)[] variants =
        [
            ("no colour (pass-through)", plain, false, true),
            ("PQ Rec.2020 only", WithColour(noCalibration), false, false),
            ("+ calibration matrix, gains", WithColour(matrixOnly), false, false),
            ("+ 33³ LUT", ungraded, false, false),
            ("+ counts (identity grades)", ungraded, true, false),
            ("+ camera and wall grades (all)", encoded, true, false),
        ];
        var renderers = variants.Select(v => new StageRenderer(device, v.Config, StageRendererOptions.FromConfig(v.Config) with
        {
            Compose = new Stage.Render.Compose.CanvasCompositorOptions { ColourPassThrough = v.PassThrough, CountColourFaults = v.Count },
        })).ToArray();
        try
        {
            var scene = new RenderScene();
            for (int i = 0; i < 12; i++)
                scene.Add(new DrawItem((Stage.Render.Scene.DrawKind)(i % 3), System.Numerics.Matrix4x4.CreateScale(0.6f) *
                    System.Numerics.Matrix4x4.CreateTranslation((float)(3 * Math.Sin(i * Math.PI / 6)), 0.6f + i % 3 * 0.4f, (float)(-4 + 3 * Math.Cos(i * Math.PI / 6))),
                    new System.Numerics.Vector3(0.2f + i % 3 * 0.3f, 0.5f, 0.8f - i % 3 * 0.3f)));
            CameraConfig camera = stage.Cameras[0];
            long pixels = stage.Outputs.Sum(o => (long)o.PixelWidth * o.PixelHeight);
            output.WriteLine($"{stage.Name}: compose of {stage.Outputs.Count} outputs ({pixels / 1e6:0.0} Mpx), colour step by step against none, {count} frames each, alternating, on {device.Info.Name}");
            output.WriteLine($"  counting: {(renderers[^1].Compositor.CountsColourFaults ? "an atomic per counted pixel" : "off (no fragment atomics)")}");
            // Per frame, every variant renders the same pose, in an order rotated frame by frame (so none always runs first,
            // after the others have warmed or cooled the caches), each pass submitted and waited for on its own; each variant's
            // compose pass is divided by the pass-through's of the same frame. The median of those per-frame ratios and their
            // interquartile range are the figures: a ratio of two runs seconds apart cancels most of a shared machine's drift,
            // where the ratio of two medians does not. Two measures: wall time of the compose submission (what a timestamp
            // query gives on lavapipe), and the process's CPU time over it — on lavapipe the "GPU" is this process's threads,
            // so CPU time is the pass's work whoever else shares the cores.
            foreach (StageRenderer r in renderers) r.TimeEachPass = true;
            var wallMs = variants.Select(_ => new double[count]).ToArray();
            var cpuMs = variants.Select(_ => new double[count]).ToArray();
            for (int frame = -1; frame < count; frame++)
            {
                var pose = Pose.FromPanTiltRoll(new System.Numerics.Vector3(0, 1.7f, 1), new PanTiltRoll(frame * 3.0, -2, 0));
                for (int k = 0; k < variants.Length; k++)
                {
                    int v = (k + Math.Max(frame, 0)) % variants.Length;
                    renderers[v].Render([new CameraView(camera, pose, camera.FocalLengthMm)], scene);
                    if (frame < 0) continue;
                    wallMs[v][frame] = renderers[v].LastTimings.FirstOrDefault(t => t.Pass == "compose").Milliseconds;
                    cpuMs[v][frame] = renderers[v].LastCpuTimings.FirstOrDefault(t => t.Pass == "compose").Milliseconds;
                }
            }
            output.WriteLine($"  compose pass, per-frame ratio to the pass-through of the same frame: median [interquartile range] of {count} frames");
            for (int v = 0; v < variants.Length; v++)
            {
                double[] wallRatio = Enumerable.Range(0, count).Select(i => wallMs[v][i] / Math.Max(wallMs[0][i], 1e-6)).ToArray();
                double[] cpuRatio = Enumerable.Range(0, count).Select(i => cpuMs[v][i] / Math.Max(cpuMs[0][i], 1e-6)).ToArray();
                double c50 = Quantile(cpuRatio, 0.5);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {variants[v].Name,-32} CPU {Quantile(cpuMs[v], 0.5),8:0.0} ms {c50:0.000}× [{Quantile(cpuRatio, 0.25):0.000} … {Quantile(cpuRatio, 0.75):0.000}] ({(c50 - 1) * 100:+0.0;-0.0} %)" +
                    $"   wall {Quantile(wallMs[v], 0.5),8:0.0} ms {Quantile(wallRatio, 0.5):0.000}× [{Quantile(wallRatio, 0.25):0.000} … {Quantile(wallRatio, 0.75):0.000}]"));
            }
            output.WriteLine("  (target: the whole ≤ 10 % added)");
            StageRenderer all = renderers[^1];
            // The counts are read as a frame's slot completes, on the engine's path: two frames of it.
            all.TimeEachPass = false;
            for (int i = 0; i < 2; i++) all.Render([new CameraView(camera, Pose.FromPanTiltRoll(new System.Numerics.Vector3(0, 1.7f, 1), new PanTiltRoll(0, -2, 0)), camera.FocalLengthMm)], scene);
            output.WriteLine($"  last frame's counts: {string.Join(", ", encoded.Outputs.Select((o, i) => $"{o.Id} {all.LastColourCounts[i].OutOfGamutPixels} out of gamut, {all.LastColourCounts[i].OverPeakPixels} over peak"))}");
        }
        finally
        {
            foreach (StageRenderer r in renderers) r.Dispose();
        }
    }

    // The q-quantile of values (linear between order statistics).
    private static double Quantile(double[] values, double q)
    {
        double[] sorted = [.. values.Order()];
        double at = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(at), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
    }

    /// <summary>
    /// Two renderer options against each other (the untextured fast path against none, shadow cascades against the one map):
    /// two renderers on one device, the same scene (the world stepped 1/60 s a frame, or the twelve primitives), frames
    /// alternating; the GPU time of each pass and of the frame from timestamp queries, medians and their ratios.
    /// </summary>
    private static void PairCost(TextWriter output, TextWriter error, GpuDevice device, StageConfig stage, StageRendererOptions options,
        StageRendererOptions baselineOptions, string what, (string On, string Off, string Ratio) labels, string? scenePath, int count, bool allCameras)
    {
        using var fast = new StageRenderer(device, stage, options);
        using var slow = new StageRenderer(device, stage, baselineOptions);
        var scene = new RenderScene();
        StageWorld? simulated = null;
        WorldSceneBridge? bridge = null;
        if (scenePath is not null)
        {
            SceneLoadResult sceneLoad = SceneLoader.LoadFile(scenePath);
            if (!sceneLoad.IsValid)
            {
                error.WriteLine($"stage: {scenePath} has faults; run stage sim or stage render --world to see them");
                return;
            }
            simulated = sceneLoad.Scene!.Build();
            bridge = new WorldSceneBridge(() => simulated, Path.GetDirectoryName(Path.GetFullPath(scenePath))!) { Log = line => error.WriteLine($"stage: {line}") };
            bridge.Fill(scene);
        }
        else
        {
            for (int i = 0; i < 12; i++)
                scene.Add(new DrawItem((Stage.Render.Scene.DrawKind)(i % 3), System.Numerics.Matrix4x4.CreateScale(0.6f) *
                    System.Numerics.Matrix4x4.CreateTranslation((float)(3 * Math.Sin(i * Math.PI / 6)), 0.6f + i % 3 * 0.4f, (float)(-4 + 3 * Math.Cos(i * Math.PI / 6))),
                    new System.Numerics.Vector3(0.2f + i % 3 * 0.3f, 0.5f, 0.8f - i % 3 * 0.3f)));
        }
        using (simulated)
        {
            // Every configured camera (allCameras) or the first; each camera after the first half a metre further right.
            var views = new CameraView[allCameras ? stage.Cameras.Count : 1];
            output.WriteLine($"{stage.Name}: passes with {what}, {views.Length} camera(s), {scene.Count} items" +
                $"{(scenePath is null ? "" : $" of {Path.GetFileName(scenePath)}")}, {count} frames each, alternating, on {device.Info.Name}");
            var series = new Dictionary<string, RollingPercentiles>(StringComparer.Ordinal);
            var order = new List<string>();
            void Record(string key, double ms)
            {
                if (!series.TryGetValue(key, out RollingPercentiles? s))
                {
                    series[key] = s = new RollingPercentiles(count);
                    order.Add(key);
                }
                s.Record(ms);
            }
            for (int frame = -1; frame < count; frame++)
            {
                for (var c = 0; c < views.Length; c++)
                {
                    var pose = Pose.FromPanTiltRoll(new System.Numerics.Vector3(0.5f * c, 1.7f, 1), new PanTiltRoll(frame * 3.0 - 10 * c, -2, 0));
                    views[c] = new CameraView(stage.Cameras[c], pose, stage.Cameras[c].FocalLengthMm);
                }
                simulated?.Advance(TimeSpan.FromSeconds(1 / 60.0));
                bridge?.Update(scene);
                foreach (bool on in new[] { true, false })
                {
                    StageRenderer r = on ? fast : slow;
                    r.Render(views, scene);
                    if (frame < 0) continue;
                    foreach (PassTiming t in r.LastGpuTimings) Record($"{t.Pass}|{on}", t.Milliseconds);
                    Record($"gpu frame|{on}", r.LastGpuTimings.Sum(t => t.Milliseconds));
                }
            }
            foreach (string key in order)
            {
                if (!key.EndsWith("|True", StringComparison.Ordinal)) continue;
                string pass = key[..^5];
                PercentileSummary f = series[key].Summarise(), t = series[pass + "|False"].Summarise();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {pass,-22} {labels.On} median {f.P50,9:0.00} ms   {labels.Off} {t.P50,9:0.00} ms   {labels.Ratio} {f.P50 / t.P50:0.000}×"));
            }
        }
    }

    /// <summary>Wall and process CPU milliseconds of <paramref name="work"/> (CPU: every thread, lavapipe's included).</summary>
    private static (double WallMs, double CpuMs) Measure(System.Diagnostics.Process process, Action work)
    {
        process.Refresh();
        TimeSpan cpu0 = process.TotalProcessorTime;
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        work();
        double wallMs = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        process.Refresh();
        return (wallMs, (process.TotalProcessorTime - cpu0).TotalMilliseconds);
    }
}
