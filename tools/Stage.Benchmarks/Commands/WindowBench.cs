using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Core.Configuration;
using Stage.Core.Time;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Render;
using Stage.Render.Scene;
using Stage.Core.Space;
using Stage.Vulkan;
using Stage.Windowing.Glfw;
using Stage.Windowing.Outputs;

using Stage.Cli;
using Stage.Core.Frames;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// <c>stage bench window</c>: frame pacing of a window output. The stage's first canvas, rendered and composed on
/// the GPU, is presented through a real window and swapchain at the stage rate, paced by the engine's frame clock,
/// on a private Xvfb (or the given display): present-to-present interval p50/p99/max over N frames, and late frames
/// (an interval over 1.5 frame periods).
/// </summary>
public static class WindowBench
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Argument<string?>("config") { Description = "Stage configuration whose first output is shown (default stage-configs/test-rig.json).", Arity = ArgumentArity.ZeroOrOne };
        var frames = new Option<int>("--frames") { Description = "Frames measured (after 60 of warm-up).", DefaultValueFactory = _ => 600 };
        var rate = new Option<string>("--rate") { Description = "Frame rate the frame clock paces at.", DefaultValueFactory = _ => "60" };
        var size = new Option<string>("--canvas") { Description = "Canvas size WIDTHxHEIGHT (default the output's own).", DefaultValueFactory = _ => "" };
        var mode = new Option<string>("--present-mode") { Description = "fifo, mailbox or immediate.", DefaultValueFactory = _ => "fifo" };
        var display = new Option<string?>("--display") { Description = "An X display to open the window on (default: a private Xvfb, 1920×1080)." };
        var validation = new Option<bool>("--validation") { Description = "Run with the Vulkan validation layer (slower; reports any message)." };
        var command = new Command("window",
            "Frame pacing of a window output: a canvas presented through a window and swapchain at the stage rate (default 60 Hz) on a private " +
            "Xvfb; prints the present-to-present interval p50/p99/max over N frames (default 600) and the number of late frames (> 1.5 periods).")
        { config, frames, rate, size, mode, display, validation };
        command.SetAction(result =>
        {
            try
            {
                return Run(result.GetValue(config), result.GetValue(frames), result.GetValue(rate)!, result.GetValue(size)!, result.GetValue(mode)!,
                    result.GetValue(display), result.GetValue(validation), output);
            }
            catch (Exception e) when (e is GlfwException or GpuUnavailableException or VulkanException or InvalidOperationException or ArgumentException)
            {
                error.WriteLine($"stage: {e.Message}");
                return ExitCodes.Fault;
            }
        });
        return command;
    }

    private static int Run(string? configPath, int frameCount, string rateText, string sizeText, string modeText, string? display, bool validation, TextWriter output)
    {
        if (!FrameRate.TryParse(rateText, out FrameRate rate, out string rateError)) throw new ArgumentException($"--rate: {rateError}");
        PresentModeSetting mode = modeText.ToLowerInvariant() switch
        {
            "fifo" => PresentModeSetting.Fifo,
            "mailbox" => PresentModeSetting.Mailbox,
            "immediate" => PresentModeSetting.Immediate,
            _ => throw new ArgumentException($"--present-mode must be fifo, mailbox or immediate, not '{modeText}'"),
        };
        string path = configPath ?? Path.Combine(Stage.Cli.RepositoryLocator.Root, "stage-configs", "test-rig.json");
        ConfigLoadResult loaded = Stage.Tracking.StageConfigFile.Load(path);
        if (!loaded.IsValid) throw new ArgumentException($"{path}: {string.Join("; ", loaded.Faults)}");
        OutputCanvas first = loaded.Config!.Outputs[0];
        if (sizeText.Length > 0)
        {
            string[] parts = sizeText.Split('x');
            if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out int w) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int h) || w < 1 || h < 1)
                throw new ArgumentException($"--canvas must be WIDTHxHEIGHT, not '{sizeText}'");
            first = first with { PixelWidth = w, PixelHeight = h };
        }
        StageConfig config = loaded.Config with { FrameRate = rate, Outputs = [first], Display = new DisplayConfig { PresentMode = mode } };

        using PrivateXvfb? xvfb = display is null ? new PrivateXvfb() : null;
        using GlfwSession glfw = GlfwSession.Open(display ?? xvfb!.Display);
        using GpuInstance instance = GpuInstance.Create(new GpuInstanceOptions
        {
            ApplicationName = "stage bench window",
            EnableValidation = validation,
            Extensions = glfw.RequiredVulkanExtensions(),
        });
        using GpuDevice device = instance.CreateDevice();
        using var windows = new WindowOutput(glfw, device, config, new WindowOutputOptions { ForceWindowed = true, NoOverlay = true }, NullLogger.Instance);
        // The stage's real frame (an empty world: sky and floor) composed on the GPU and shown through the window, as stage run does.
        using var renderer = new StageRenderer(device, config);
        foreach (ICanvasPresenter presenter in windows.Presenters) renderer.Presenters.Add(presenter);
        var scene = new RenderScene();
        CanvasWindow window = windows.Windows[0];
        var views = new CameraView[config.Cameras.Count];
        var clock = new FrameClock(rate, Timecode.FromFrameCount(0, rate), new StopwatchClock());
        const int WarmUp = 60;
        var presentCallMs = new double[frameCount];
        for (int i = 0; i < WarmUp + frameCount; i++)
        {
            FrameTick tick = clock.WaitForNextFrame(CancellationToken.None);
            if (i == WarmUp) window.ResetPacing();
            long before = Stopwatch.GetTimestamp();
            windows.BeginFrame(tick);
            renderer.BeginFrame(scene, tick.Frame, [], null);
            // A camera that pans, so every frame differs.
            for (int c = 0; c < views.Length; c++)
                views[c] = new CameraView(config.Cameras[c], Pose.FromPanTiltRoll(new System.Numerics.Vector3(0, 1.7f, 3), new PanTiltRoll(tick.Frame % 60 - 30, 0, 0)), config.Cameras[c].FocalLengthMm);
            renderer.Submit(views);
            renderer.Present();
            renderer.CollectReadbacks();
            if (i >= WarmUp) presentCallMs[i - WarmUp] = Stopwatch.GetElapsedTime(before).TotalMilliseconds;
        }
        Array.Sort(presentCallMs);
        device.WaitIdle();
        double[] intervals = window.PresentIntervalsMs();
        Array.Sort(intervals);
        double period = 1000.0 * rate.Denominator / rate.Numerator;
        double P(double q) => intervals.Length == 0 ? double.NaN : intervals[Math.Min(intervals.Length - 1, (int)Math.Ceiling(q * intervals.Length) - 1)];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"window bench: {first.PixelWidth}×{first.PixelHeight} canvas, {window.Swapchain.PresentMode.ToString().ToLowerInvariant()} ({window.Swapchain.Images.Count} images, {window.Swapchain.Format}), {rate} fps (period {period:0.000} ms), device {windows.Device.Info.Name}"));
        output.WriteLine($"display: {(display ?? xvfb!.Display + " (private Xvfb)")}; {windows.PresentationText}{(validation ? "; validation on" : "")}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"present-to-present over {intervals.Length} intervals: p50 {P(0.5):0.000} ms, p99 {P(0.99):0.000} ms, max {(intervals.Length == 0 ? double.NaN : intervals[^1]):0.000} ms; late (> {period * 1.5:0.0} ms) {window.LateFrames}; skipped {window.Skipped}; frame clock dropped {clock.DroppedFrames}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"time of a frame's CPU work (events, record, submit, present): p50 {presentCallMs[frameCount / 2]:0.000} ms, p99 {presentCallMs[Math.Min(frameCount - 1, (int)Math.Ceiling(0.99 * frameCount) - 1)]:0.000} ms"));
        if (validation && windows.Device.Instance.Validation is { } log && log.Messages.Count > 0)
        {
            foreach (ValidationMessage message in log.Messages) output.WriteLine($"validation: {message}");
            return ExitCodes.Fault;
        }
        return ExitCodes.Ok;
    }
}
