using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Core.Configuration;
using Stage.Core.Time;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Vulkan;
using Stage.Windowing.Glfw;
using Stage.Windowing.Outputs;

using Stage.Cli;
using Stage.Core.Frames;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// <c>stage bench window</c>: frame pacing of a window output. A canvas is presented through a real
/// window and swapchain at the stage rate, paced by the engine's frame clock, on a private Xvfb (or
/// the given display): present-to-present interval p50/p99/max over N frames, and late frames
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
        using WindowOutput windows = WindowOutput.Open(glfw, config, new WindowOutputOptions { ForceWindowed = true, NoOverlay = true }, NullLogger.Instance, validation);
        CanvasWindow window = windows.Windows[0];
        var rgba = new byte[first.PixelWidth * first.PixelHeight * 4];
        var canvases = new CanvasPixels[1];
        var clock = new FrameClock(rate, Timecode.FromFrameCount(0, rate), new StopwatchClock());
        const int WarmUp = 60;
        var presentCallMs = new double[frameCount];
        for (int i = 0; i < WarmUp + frameCount; i++)
        {
            FrameTick tick = clock.WaitForNextFrame(CancellationToken.None);
            if (i == WarmUp) window.ResetPacing();
            // A moving bar, so every frame differs (a static image could be skipped by nothing, but be honest about the copy).
            DrawBar(rgba, first.PixelWidth, first.PixelHeight, (int)(tick.Frame % first.PixelWidth));
            canvases[0] = new CanvasPixels(first.Id, first.PixelWidth, first.PixelHeight, 8, rgba);
            long before = Stopwatch.GetTimestamp();
            windows.Present(tick, canvases);
            if (i >= WarmUp) presentCallMs[i - WarmUp] = Stopwatch.GetElapsedTime(before).TotalMilliseconds;
        }
        Array.Sort(presentCallMs);
        windows.Device.WaitIdle();
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
            $"time inside the output's Present (events, upload, copy, submit, present): p50 {presentCallMs[frameCount / 2]:0.000} ms, p99 {presentCallMs[Math.Min(frameCount - 1, (int)Math.Ceiling(0.99 * frameCount) - 1)]:0.000} ms"));
        if (validation && windows.Device.Instance.Validation is { } log && log.Messages.Count > 0)
        {
            foreach (ValidationMessage message in log.Messages) output.WriteLine($"validation: {message}");
            return ExitCodes.Fault;
        }
        return ExitCodes.Ok;
    }

    private static void DrawBar(byte[] rgba, int width, int height, int column)
    {
        for (int y = 0; y < height; y++)
        {
            int row = y * width * 4;
            for (int x = 0; x < width; x++)
            {
                byte v = (byte)(Math.Abs(x - column) < 8 ? 255 : 32);
                rgba[row + x * 4] = v;
                rgba[row + x * 4 + 1] = v;
                rgba[row + x * 4 + 2] = v;
                rgba[row + x * 4 + 3] = 255;
            }
        }
    }

    /// <summary>Xvfb on a free display number for the bench's own window, stopped on dispose.</summary>
    private sealed class PrivateXvfb : IDisposable
    {
        private readonly Process _process;

        public PrivateXvfb()
        {
            int number = Enumerable.Range(60, 100).First(n => !File.Exists($"/tmp/.X11-unix/X{n}") && !File.Exists($"/tmp/.X{n}-lock"));
            Display = $":{number}";
            _process = Process.Start(new ProcessStartInfo("Xvfb", $"{Display} -screen 0 1920x1080x24 -nolisten tcp -noreset") { RedirectStandardError = true, RedirectStandardOutput = true })
                ?? throw new InvalidOperationException("Xvfb did not start (Debian xvfb; tools/setup installs it)");
            var waited = Stopwatch.StartNew();
            while (!File.Exists($"/tmp/.X11-unix/X{number}"))
            {
                if (_process.HasExited) throw new InvalidOperationException($"Xvfb exited: {_process.StandardError.ReadToEnd()}");
                if (waited.Elapsed > TimeSpan.FromSeconds(20)) throw new InvalidOperationException("Xvfb did not open its socket within 20 s");
                Thread.Sleep(20);
            }
        }

        public string Display { get; }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                // SIGTERM, not Kill (SIGKILL): Xvfb then removes its /tmp/.X<n>-lock and socket, so display numbers are not used up.
                using (Process? term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])))
                    term?.WaitForExit(5000);
                if (!_process.WaitForExit(5000)) _process.Kill();
            }
            _process.Dispose();
        }
    }
}
