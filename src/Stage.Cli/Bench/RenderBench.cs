using System.CommandLine;
using System.Globalization;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Engine.Statistics;
using Stage.Render;
using Stage.Render.Scene;
using Stage.Vulkan;

namespace Stage.Cli.Bench;

/// <summary>
/// <c>stage bench render &lt;config&gt;</c>: frame time of the renderer on a stage, per pass, against the raw
/// floor of the same pixels (clear + copy + readback of the same canvases) measured in the same run.
/// </summary>
public static class RenderBench
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Argument<string>("config") { Description = "The stage configuration to render." };
        var frames = new Option<int>("--frames") { Description = "Frames to measure (after one warm-up frame).", DefaultValueFactory = _ => 10 };
        var command = new Command("render",
            "Render N frames of a stage (all outputs, the first camera orbiting the stage centre, a few primitives) and print per-pass and " +
            "total frame time (median, p99) against the raw copy floor of the same canvases measured in the same run.") { config, frames };
        command.SetAction(result =>
        {
            ConfigLoadResult loaded = StageConfigLoader.LoadFile(result.GetValue(config)!);
            if (!loaded.IsValid)
            {
                error.WriteLine($"stage: {result.GetValue(config)} has faults; run stage validate");
                return ExitCodes.Fault;
            }
            StageConfig stage = loaded.Config!;
            int count = Math.Max(1, result.GetValue(frames));
            try
            {
                using GpuInstance instance = GpuInstance.Create(new GpuInstanceOptions { ApplicationName = "stage bench render" });
                using GpuDevice device = instance.CreateDevice();
                using var renderer = new StageRenderer(device, stage);
                var scene = new RenderScene();
                for (int i = 0; i < 12; i++)
                {
                    double angle = i * Math.PI / 6;
                    scene.Add(new DrawItem((PrimitiveKind)(i % 3), System.Numerics.Matrix4x4.CreateScale(0.6f) *
                        System.Numerics.Matrix4x4.CreateTranslation((float)(3 * Math.Sin(angle)), 0.6f + i % 3 * 0.4f, (float)(-4 + 3 * Math.Cos(angle))),
                        new System.Numerics.Vector3(0.2f + i % 3 * 0.3f, 0.5f, 0.8f - i % 3 * 0.3f)));
                }
                CameraConfig camera = stage.Cameras[0];
                var passTimes = new Dictionary<string, RollingPercentiles>(StringComparer.Ordinal);
                var passOrder = new List<string>();
                var total = new RollingPercentiles(count);
                var floor = new RollingPercentiles(count);
                long pixels = stage.Outputs.Sum(o => (long)o.PixelWidth * o.PixelHeight);
                output.WriteLine($"{stage.Name}: {stage.Outputs.Count} outputs, {pixels / 1e6:0.0} Mpx, camera {camera.Id} inner {camera.InnerWidthPx} × {camera.InnerHeightPx}, {count} frames on {device.Info.Name}");
                for (int frame = -1; frame < count; frame++)
                {
                    double pan = frame * 3.0;
                    var pose = Pose.FromPanTiltRoll(new System.Numerics.Vector3(0, 1.7f, 1), new PanTiltRoll(pan, -2, 0));
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    renderer.Render([new RenderCamera(camera, pose, camera.FocalLengthMm)], scene);
                    double ms = clock.Elapsed.TotalMilliseconds;
                    double floorMs = renderer.MeasureCopyFloorMs();
                    if (frame < 0) continue;
                    total.Record(ms);
                    floor.Record(floorMs);
                    foreach (RenderPassTiming timing in renderer.LastTimings)
                    {
                        if (!passTimes.TryGetValue(timing.Pass, out RollingPercentiles? series))
                        {
                            passTimes[timing.Pass] = series = new RollingPercentiles(count);
                            passOrder.Add(timing.Pass);
                        }
                        series.Record(timing.Milliseconds);
                    }
                }
                foreach (string pass in passOrder)
                {
                    PercentileSummary s = passTimes[pass].Summarise();
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {pass,-12} median {s.P50,9:0.00} ms   p99 {s.P99,9:0.00} ms"));
                }
                PercentileSummary t = total.Summarise(), f = floor.Summarise();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"frame",-12} median {t.P50,9:0.00} ms   p99 {t.P99,9:0.00} ms"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"copy floor",-12} median {f.P50,9:0.00} ms   p99 {f.P99,9:0.00} ms   (clear + copy + readback of the same canvases)"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  frame / floor: {t.P50 / f.P50:0.00}× (target ≤ 1.5×)"));
            }
            catch (Exception e) when (e is GpuUnavailableException or VulkanException)
            {
                error.WriteLine($"stage: {e.Message}");
                return ExitCodes.Fault;
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
