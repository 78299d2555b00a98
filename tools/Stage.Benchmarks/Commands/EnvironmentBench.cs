using System.Globalization;
using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Core.Frames;
using Stage.Engine.Statistics;
using Stage.Render;
using Stage.Render.Scene;
using Stage.Render.Sky;
using Stage.Vulkan;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// <c>stage bench render &lt;config&gt; --environment-cost</c>: what the environment adds to a frame — the same renderer and
/// scene drawn with the uniform ambient and with the physical sky (image-based light + the sky pass), frames alternating
/// in one run, as GPU time per pass and wall time; then the CPU bake (map + SH + GGX prefilter) of the physical sky and of
/// an HDR image, and what a re-bake costs the frame path (only its upload: the bake runs on a worker).
/// </summary>
internal static class EnvironmentBench
{
    public static void Run(TextWriter output, GpuDevice device, StageConfig stage, StageRendererOptions options, int count, string? imagePath)
    {
        using var renderer = new StageRenderer(device, stage, options);
        var sky = new SceneEnvironment { Turbidity = 3, GroundAlbedo = 0.2 };
        var scene = new RenderScene { SunDirection = -Vector3.Normalize(new Vector3(-0.6f, 0.6f, -0.5f)) };
        for (int i = 0; i < 12; i++)
            scene.Add(new DrawItem((DrawKind)(i % 3), Matrix4x4.CreateScale(0.6f) *
                Matrix4x4.CreateTranslation((float)(3 * Math.Sin(i * Math.PI / 6)), 0.6f + i % 3 * 0.4f, (float)(-4 + 3 * Math.Cos(i * Math.PI / 6))),
                new Vector3(0.2f + i % 3 * 0.3f, 0.5f, 0.8f - i % 3 * 0.3f)) { Metallic = i % 2, Roughness = 0.2f + i % 4 * 0.2f });
        CameraConfig camera = stage.Cameras[0];
        output.WriteLine($"{stage.Name}: uniform ambient against the physical sky (IBL + sky pass), {count} frames each, alternating, on {device.Info.Name}");
        var wallOn = new RollingPercentiles(count);
        var wallOff = new RollingPercentiles(count);
        var gpuOn = new Dictionary<string, RollingPercentiles>(StringComparer.Ordinal);
        var gpuOff = new Dictionary<string, RollingPercentiles>(StringComparer.Ordinal);
        var order = new List<string>();
        for (int frame = -1; frame < count; frame++)
        {
            var pose = Pose.FromPanTiltRoll(new Vector3(0, 1.7f, 1), new PanTiltRoll(frame * 3.0, -2, 0));
            foreach (bool on in new[] { true, false })
            {
                // The same environment instance throughout: switching it off and on re-bakes nothing.
                scene.Environment = on ? sky : null;
                long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                renderer.Render([new CameraView(camera, pose, camera.FocalLengthMm)], scene);
                double ms = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (frame < 0) continue;
                (on ? wallOn : wallOff).Record(ms);
                foreach (PassTiming t in renderer.LastGpuTimings)
                {
                    Dictionary<string, RollingPercentiles> series = on ? gpuOn : gpuOff;
                    if (!series.TryGetValue(t.Pass, out RollingPercentiles? s)) series[t.Pass] = s = new RollingPercentiles(count);
                    if (!order.Contains(t.Pass)) order.Add(t.Pass);
                    s.Record(t.Milliseconds);
                }
            }
        }
        foreach (string pass in order)
        {
            if (!gpuOn.TryGetValue(pass, out RollingPercentiles? a) || !gpuOff.TryGetValue(pass, out RollingPercentiles? b)) continue;
            double on = a.Summarise().P50, off = b.Summarise().P50;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {pass,-24} ambient {off,9:0.00} ms   sky {on,9:0.00} ms   {on / Math.Max(off, 1e-6):0.000}×"));
        }
        double wOn = wallOn.Summarise().P50, wOff = wallOff.Summarise().P50;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"frame (wall)",-24} ambient {wOff,9:0.00} ms   sky {wOn,9:0.00} ms   {wOn / wOff:0.000}×"));

        // The bakes, warm (the first of each is left out: JIT), against one frame of this renderer.
        const int Bakes = 5;
        var skyBake = new RollingPercentiles(Bakes);
        var imageBake = new RollingPercentiles(Bakes);
        EquirectMap? image = imagePath is null ? null : RadianceHdr.Load(imagePath);
        for (int i = -1; i < Bakes; i++)
        {
            Vector3 toSun = Vector3.Normalize(new Vector3(0.6f, 0.6f - i * 0.01f, 0.5f));
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            EnvironmentBake.From(EnvironmentRadiance.Map(sky, toSun, scene.SunIlluminanceLux), 0);
            double ms = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (i >= 0) skyBake.Record(ms);
            if (image is null) continue;
            t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            EnvironmentBake.From(image, 30);
            ms = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (i >= 0) imageBake.Record(ms);
        }
        double skyMs = skyBake.Summarise().P50;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"bake: physical sky",-24} median {skyMs,9:0.00} ms   ({skyMs / wOn:0.00} frames; on a worker thread when the sun moves > {0.25}°)"));
        if (image is not null)
        {
            double imageMs = imageBake.Summarise().P50;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"bake: " + Path.GetFileName(imagePath),-24} median {imageMs,9:0.00} ms   ({imageMs / wOn:0.00} frames; once, at load)"));
        }

        // A re-bake as the live path sees it: turn the sun 1°, render until the worker's bake is in, note the frame path's share.
        scene.Environment = sky;
        int bakesBefore = renderer.Scene.EnvironmentBakes;
        scene.SunDirection = Vector3.Transform(scene.SunDirection, Quaternion.CreateFromAxisAngle(Vector3.UnitY, MathF.PI / 180));
        int frames = 0;
        var rebakeFrame = new RollingPercentiles(256);
        while (renderer.Scene.EnvironmentBakes == bakesBefore && frames < 256)
        {
            var pose = Pose.FromPanTiltRoll(new Vector3(0, 1.7f, 1), new PanTiltRoll(0, -2, 0));
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            renderer.Render([new CameraView(camera, pose, camera.FocalLengthMm)], scene);
            rebakeFrame.Record(System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            frames++;
        }
        PercentileSummary during = rebakeFrame.Summarise();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"re-bake (sun turned 1°)",-24} in after {frames} frames; frames meanwhile median {during.P50:0.00} ms, max {during.P99:0.00} ms ({during.P50 / wOn:0.00}× a sky frame); upload on the frame path {renderer.Scene.EnvironmentLivePathMs:0.00} ms"));
    }
}
