using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Cli;
using Stage.Core.Configuration;
using Stage.Engine;
using Stage.Engine.Statistics;
using Stage.Windowing.Outputs;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// <c>stage bench latency &lt;config&gt;</c>: the latency chain of <c>stage run</c>, end to end. A simulated tracker sends OSC
/// poses over loopback UDP at 1 kHz into each camera's configured source while the stage runs (headless, or with its
/// windows on a private Xvfb); then p50/p99/max of UDP receive → latch, latch → submit, submit → GPU done, GPU done →
/// presented and pose receive → presented, in ms and in frames of the stage rate, with the pose's staleness at present,
/// the bytes read back per frame and frames per second against the GPU's own frame time.
/// </summary>
public static class LatencyBench
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Argument<string>("config") { Description = "The stage configuration to run (its cameras' sources must be ones a simulated tracker reaches: OSC, FreeD, OpenTrackIO)." };
        var outputKind = new Option<string>("--output") { Description = "window (the stage's windows on a private Xvfb, or --display) or headless.", DefaultValueFactory = _ => "headless" };
        outputKind.AcceptOnlyFromAmong("window", "headless");
        var seconds = new Option<double>("--seconds") { Description = "How long to run (after which the figures are printed).", DefaultValueFactory = _ => 10 };
        var display = new Option<string?>("--display") { Description = "An X display for the windows (default: a private Xvfb as large as the biggest canvas)." };
        var validation = new Option<bool>("--validation") { Description = "Run with the Vulkan validation layer (slower; any message fails the bench)." };
        Option<int> canvasScale = CommonOptions.CanvasScale(1, "to measure a slow GPU at preview size");
        var command = new Command("latency",
            "End-to-end latency of the live path: a simulated 1 kHz OSC tracker over loopback UDP into the configured sources while the stage runs " +
            "(--output window: its windows on a private Xvfb; headless: nothing presented). Prints p50/p99/max of UDP receive → latch, latch → submit, " +
            "submit → GPU done, GPU done → presented and pose receive → presented in ms and frames, the pose's staleness at present, bytes read back per frame, " +
            "and fps against 1000 / GPU frame ms.") { config, outputKind, seconds, display, validation, canvasScale };
        command.SetAction((result, cancellation) => Task.Run(() => Run(result.GetValue(config)!, result.GetValue(outputKind)!, result.GetValue(seconds),
            result.GetValue(display), result.GetValue(validation), result.GetValue(canvasScale), output, error, cancellation)));
        return command;
    }

    private static int Run(string configPath, string outputKind, double seconds, string? display, bool validation, int canvasScale, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        ConfigLoadResult loaded = Stage.Tracking.StageConfigFile.Load(configPath);
        if (!loaded.IsValid)
        {
            error.WriteLine($"stage: {configPath} has faults; run stage validate");
            return ExitCodes.Fault;
        }
        StageConfig stage = loaded.Config!;
        bool window = outputKind == "window";
        int widest = stage.Outputs.Max(o => (o.PixelWidth + canvasScale - 1) / canvasScale), tallest = stage.Outputs.Max(o => (o.PixelHeight + canvasScale - 1) / canvasScale);
        // Side by side at full size, so each window's swapchain is its canvas's size (the compose goes straight into it).
        int screenWidth = Math.Max(640, stage.Outputs.Sum(o => (o.PixelWidth + canvasScale - 1) / canvasScale)), screenHeight = Math.Max(480, tallest);
        using PrivateXvfb? xvfb = window && display is null ? new PrivateXvfb(screenWidth, screenHeight) : null;
        string folder = Directory.CreateTempSubdirectory("stage-bench-latency-").FullName;
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var settings = new RunSettings
            {
                ConfigPath = configPath,
                Seconds = seconds,
                Output = window ? "window" : "headless",
                Validate = validation,
                SimulateTracking = "orbit",
                SimulatedTrackerRateHz = 1000,
                FreshWorld = true,
                CanvasScaleDivisor = canvasScale,
                TakeDatabasePath = Path.Combine(folder, "takes.sqlite"),
                JournalDirectory = Path.Combine(folder, "journal"),
                OutputFolder = Path.Combine(folder, "output"),
                OutputFactory = window ? new WindowRun(NullLoggerFactory.Instance, display ?? xvfb!.Display,
                    new WindowOutputOptions { ForceWindowed = true, NoOverlay = true, MaxWindowPx = (Math.Max(widest, 1), Math.Max(tallest, 1)) }) : null,
            };
            // The run's own lines (status every second, summary) go to stderr: stdout keeps the figures.
            RunOutcome outcome = RunSession.Execute(settings, error, error, NullLoggerFactory.Instance, stop.Token);
            if (outcome.Statistics is not { } stats) return outcome.ExitCode;
            double periodMs = 1000.0 * stage.FrameRate.Denominator / stage.FrameRate.Numerator;
            PercentileSummary frame = stats.FrameMs.Summarise(), gpu = stats.GpuFrameMs.Summarise(), done = stats.SubmitToGpuDoneMs.Summarise(),
                latch = stats.LatchToSubmitMs.Summarise(), chain = stats.ReceiveToPresentedMs.Summarise(), submitCall = stats.SubmitCallMs.Summarise();
            double runSeconds = stats.Frames / stage.FrameRate.FramesPerSecond + stats.DroppedFrames / stage.FrameRate.FramesPerSecond;
            double fps = runSeconds <= 0 ? 0 : stats.Frames / runSeconds;
            output.WriteLine(Inv($"latency bench: {stage.Name}, output {(window ? $"window on {display ?? xvfb!.Display + " (private Xvfb)"}" : "headless")}, {stage.FrameRate} fps (period {periodMs:0.000} ms), {stats.Frames} frames, dropped {stats.DroppedFrames}, late {stats.LateFrames}, faulted {stats.FaultedFrames}{(canvasScale > 1 ? $", canvases at 1/{canvasScale}" : "")}"));
            foreach (string line in stats.LatencyLines(periodMs)) output.WriteLine("  " + line);
            output.WriteLine(Inv($"  host readback {EngineStatistics.BytesText(stats.Frames == 0 ? 0 : stats.ReadbackBytes / (double)stats.Frames)} per frame"));
            double gpuFrameMs = gpu.Count > 0 ? gpu.P50 : done.P50;
            output.WriteLine(Inv($"  fps {fps:0.00} of {stage.FrameRate.FramesPerSecond:0.###}; GPU frame p50 {gpuFrameMs:0.00} ms → GPU-bound rate {1000 / gpuFrameMs:0.00} fps; fps / GPU-bound rate {fps * gpuFrameMs / 1000:0.00}"));
            output.WriteLine(Inv($"  frame (CPU, start → end of the loop's work) p50 {frame.P50:0.00} ms p99 {frame.P99:0.00} ms"));
            if (window && chain.Count > 0)
            {
                double gpuP99 = gpu.Count > 0 ? gpu.P99 : done.P99;
                double bound = periodMs + gpuP99;
                output.WriteLine(Inv($"  targets: latch → submit p99 {latch.P99:0.000} ms (< 1 ms: {(latch.P99 < 1 ? "met" : "missed")}; without the driver's submit call {latch.P99 - submitCall.P99:0.000} ms); pose receive → presented p99 {chain.P99:0.00} ms against period + GPU p99 = {bound:0.00} ms ({(chain.P99 <= bound ? "met" : "missed")}); readback {(stats.ReadbackBytes == 0 ? "0 bytes (met)" : "not 0 (missed)")}"));
            }
            return outcome.ExitCode;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
