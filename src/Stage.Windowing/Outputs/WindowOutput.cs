using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Stage.Core.Configuration;
using Stage.Engine.Input;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Render;
using Stage.Render.Colour;
using Stage.Render.Compose;
using Stage.Vulkan;
using Stage.Windowing.Glfw;
using Stage.Core.Frames;

namespace Stage.Windowing.Outputs;

/// <summary>How a <see cref="WindowOutput"/> opens its windows.</summary>
public sealed record WindowOutputOptions
{
    /// <summary>Every output in a window even where the configuration names a monitor (rehearsal on a desk).</summary>
    public bool ForceWindowed { get; init; }

    /// <summary>Overrides the configuration's present mode.</summary>
    public PresentModeSetting? PresentMode { get; init; }

    /// <summary>Swapchain images may be read back (tests).</summary>
    public bool AllowReadback { get; init; }

    /// <summary>No status overlay on any window, whatever the configuration says (benchmarks).</summary>
    public bool NoOverlay { get; init; }

    /// <summary>Largest window on the desk, pixels: bigger canvases open at a whole-number fraction of their size.</summary>
    public (int Width, int Height) MaxWindowPx { get; init; } = (1920, 1080);
}

/// <summary>
/// The engine's output onto displays: a window per output canvas (full screen on its configured monitor,
/// or windowed for rehearsal), each with its own swapchain on the renderer's device. The windows are the
/// renderer's presenters (<see cref="Presenters"/>): every canvas reaches its window inside the frame's own
/// submission and nothing is read back. On the engine thread, at the start of every frame: pump window
/// events (keyboard and mouse go to <see cref="Input"/>), read the gamepad, advance the virtual cameras and
/// write the overlay's text. A window that fails is logged once per kind, rebuilt and tried again next frame;
/// the engine never stops for it. The display sets the frame loop's pace (<see cref="IDisplayTiming"/>).
/// </summary>
public sealed class WindowOutput : IFrameOutput, IDisplayTiming, IPresentingOutput
{
    private readonly GlfwSession _session;
    private readonly ILogger _log;
    private readonly List<CanvasWindow> _windows = [];
    private readonly Dictionary<string, CanvasWindow> _byOutput = new(StringComparer.Ordinal);
    private readonly GpuDevice _device;
    private readonly HashSet<string> _faultsTold = new(StringComparer.Ordinal);
    private readonly StageConfig _config;
    private readonly List<StatusOverlay> _overlays = [];
    private readonly OverlayText _text = new();

    /// <summary>Opens a window per output canvas of <paramref name="config"/>, presenting through <paramref name="device"/> (made on an instance with <see cref="GlfwSession.RequiredVulkanExtensions"/>).</summary>
    /// <exception cref="GlfwException">A window could not be opened, or a configured monitor is not connected.</exception>
    public WindowOutput(GlfwSession session, GpuDevice device, StageConfig config, WindowOutputOptions options, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        _session = session;
        _device = device;
        _config = config;
        _log = log ?? throw new ArgumentNullException(nameof(log));
        PresentModeSetting mode = options.PresentMode ?? config.Display.PresentMode;
        var swapchainOptions = new GpuSwapchainOptions
        {
            PresentMode = mode switch { PresentModeSetting.Mailbox => GpuPresentMode.Mailbox, PresentModeSetting.Immediate => GpuPresentMode.Immediate, _ => GpuPresentMode.Fifo },
            AllowReadback = options.AllowReadback,
        };
        double framePeriodMs = 1000.0 * config.FrameRate.Denominator / config.FrameRate.Numerator;
        try
        {
            int nextX = 0;
            for (int index = 0; index < config.Outputs.Count; index++)
            {
                OutputCanvas output = config.Outputs[index];
                OutputDisplayConfig display = config.Display.For(output.Id);
                WindowSpec spec = Spec(output, display, options);
                (int x, int y) = (nextX, 0);
                // Rehearsal windows side by side, so none hides another; the same place when one is opened again.
                GlfwWindow Open()
                {
                    var opened = new GlfwWindow(session, spec);
                    if (spec.Monitor is null) opened.MoveTo(x, y);
                    return opened;
                }
                GlfwWindow window = Open();
                if (spec.Monitor is null) nextX += spec.WidthPx;
                CanvasWindow canvasWindow;
                try
                {
                    canvasWindow = new CanvasWindow(output.Id, index, window, Open, device, swapchainOptions with { Formats = FormatRequest(output, device) }, framePeriodMs) { Fault = TellFault };
                }
                catch
                {
                    window.Dispose();
                    throw;
                }
                _windows.Add(canvasWindow);
                _byOutput[output.Id] = canvasWindow;
                if (display.Overlay && !options.NoOverlay)
                {
                    var overlay = new StatusOverlay(device, canvasWindow.Swapchain.Format);
                    _overlays.Add(overlay);
                    canvasWindow.Overlay = overlay;
                }
                _log.LogInformation("Output {Output}: {Where}, swapchain {Width}×{Height} {Choice}; {Mode}, {Images} images",
                    output.Id, spec.Monitor is null ? "window" : $"full screen on {spec.Monitor.Name}", canvasWindow.Swapchain.Width, canvasWindow.Swapchain.Height,
                    canvasWindow.Swapchain.Choice, canvasWindow.Swapchain.PresentMode, canvasWindow.Swapchain.Images.Count);
                if (canvasWindow.Swapchain.Choice.Warning)
                    _log.LogWarning("Output {Output}: {Reason}", output.Id, canvasWindow.Swapchain.Choice.Reason);
                if (!canvasWindow.Swapchain.CanBlitInto)
                    _log.LogInformation("Output {Output}: the device cannot blit into {Format}: the canvas is composed straight in, or drawn in by the copy pass", output.Id, GpuSwapchainFormat.FormatName(canvasWindow.Swapchain.Format));
                if (device.Info.Kind == GpuDeviceKind.Cpu && canvasWindow.Swapchain.Format is Silk.NET.Vulkan.Format.A2R10G10B10UnormPack32 or Silk.NET.Vulkan.Format.A2B10G10R10UnormPack32)
                    _log.LogWarning("Output {Output}: a CPU Vulkan driver's X11 presentation (lavapipe, Mesa 22.3: its software path) shows a 10-bit (depth-30) window black; the swapchain images hold the code values, the screen shows none of them. A GPU driver presents them", output.Id);
                _log.LogInformation("Output {Output}: its surface offers {Formats}", output.Id, GpuSwapchainFormat.List(canvasWindow.Swapchain.OfferedFormats));
            }
        }
        catch
        {
            foreach (CanvasWindow window in _windows) window.Dispose();
            throw;
        }
    }

    /// <summary>The device presenting.</summary>
    public GpuDevice Device => _device;

    /// <summary>Where keyboard, mouse and gamepad go; its virtual cameras are advanced once per frame.</summary>
    public OperatorInput? Input
    {
        get;
        set
        {
            field = value;
            foreach (CanvasWindow window in _windows) window.Window.Input = value;
        }
    }

    /// <summary>Where the gamepad is read each frame (GLFW's by default; tests give their own).</summary>
    public IGamepadReader? Gamepads { get; set; } = new GlfwGamepads();

    /// <summary>
    /// Writes the status overlay's text for a frame (engine thread, once per frame while an overlay shows);
    /// null writes frame, timecode and the windows' own status. Write in place: nothing should be allocated per frame.
    /// </summary>
    public Action<FrameTick, OverlayText>? WriteOverlay { get; set; }

    /// <summary>The overlay text of the last frame.</summary>
    public OverlayText OverlayText => _text;

    /// <summary>The windows, in configuration order.</summary>
    public IReadOnlyList<CanvasWindow> Windows => _windows;

    /// <inheritdoc/>
    public IReadOnlyList<ICanvasPresenter> Presenters => _windows;

    /// <inheritdoc/>
    public long FaultedFrames => Faults;

    /// <summary>Frames lost to a fault on some window (each logged once per kind; the window rebuilt, the next frame tried again).</summary>
    public long Faults
    {
        get
        {
            long faults = 0;
            foreach (CanvasWindow window in _windows) faults += window.Faults;
            return faults;
        }
    }

    /// <inheritdoc/>
    public bool PacesFrames => true;

    /// <inheritdoc/>
    public bool ReportsDisplayTimes => _windows.Count > 0 && _windows[0].ReportsDisplayTimes;

    /// <inheritdoc/>
    public string Name => $"window ({_windows.Count} {(_windows.Count == 1 ? "window" : "windows")}, {(_windows.Count > 0 ? _windows[0].Swapchain.PresentMode.ToString().ToLowerInvariant() : "-")}, {PresentationText})";

    /// <summary>"present_id off, present_wait off, present_barrier off": what the run status shows.</summary>
    public string PresentationText => string.Create(CultureInfo.InvariantCulture,
        $"present_id {OnOff(_device.Presentation.PresentId)}, present_wait {OnOff(_device.Presentation.PresentWait)}, present_barrier {OnOff(_device.Presentation.PresentBarrier)}");

    /// <summary>The frame's window work, before it is rendered: events, keys, gamepad, virtual cameras, the overlay's text.</summary>
    public void BeginFrame(FrameTick tick)
    {
        _session.PollEvents();
        OperatorInput? input = Input;
        if (input is not null)
        {
            if (Gamepads is not null && Gamepads.TryRead(out GamepadState pad)) input.Gamepad(pad);
            input.Update(Stopwatch.GetTimestamp());
        }
        bool overlayShown = _overlays.Count > 0 && (input?.OverlayVisible ?? true);
        if (overlayShown)
        {
            if (WriteOverlay is not null) WriteOverlay(tick, _text);
            else WriteDefaultOverlay(tick);
        }
        foreach (CanvasWindow window in _windows) window.OverlayState = overlayShown && window.Overlay is not null ? _text : null;
    }

    /// <summary>Never: the windows show the canvases on the GPU, and nothing is read back for them.</summary>
    public bool WantsPixels(FrameTick tick) => false;

    /// <summary>Not called (<see cref="WantsPixels"/> is false).</summary>
    public void Present(FrameTick tick, IReadOnlyList<CanvasPixels> canvases)
    {
    }

    /// <summary>A window's fault: logged once per window and kind (the counters keep the rest).</summary>
    private void TellFault(CanvasWindow window, string what, Exception? e)
    {
        if (!_faultsTold.Add(window.OutputId + "\n" + what)) return;
        _log.LogError(e, "Output {Output}: {Fault}; rebuilt, the shoot goes on (further faults of this kind are counted, not logged)", window.OutputId, what);
    }

    /// <summary>A status fragment: presented, skipped, recreated, pacing, present features.</summary>
    public string StatusText()
    {
        long presented = 0, skipped = 0, late = 0, recreated = 0, rebuilt = 0, reopened = 0, closes = 0;
        foreach (CanvasWindow w in _windows)
        {
            presented += w.Presented;
            skipped += w.Skipped;
            late += w.LateFrames;
            recreated += w.Swapchain.Recreations;
            rebuilt += w.SurfacesRebuilt;
            reopened += w.Reopened;
            closes += w.CloseRequestsIgnored;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"windows {_windows.Count}: presented {presented}, skipped {skipped}, late {late}, swapchains recreated {recreated}, surfaces rebuilt {rebuilt}, windows reopened {reopened}, close requests ignored {closes}, faults {Faults}; {PresentationText}");
    }

    /// <summary>
    /// What an output's canvas holds, for its swapchain's format: an 8-bit sRGB canvas, or code values (of its bit depth; PQ
    /// asks for HDR10 where the instance has VK_EXT_swapchain_colorspace). The compose pass has already encoded them
    /// (shaders/colour.glsl): the swapchain must pass them untouched.
    /// </summary>
    public static GpuSwapchainFormatRequest FormatRequest(OutputCanvas output, GpuDevice device)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(device);
        return new GpuSwapchainFormatRequest
        {
            CodeValues = !OutputEncoding.IsSrgb(CanvasCompositorOptions.DefaultCanvasFormat(output)),
            BitDepth = output.BitDepth,
            Pq = output.Colour.Transfer == Stage.Core.Colour.Transfer.Pq,
            ColourSpaceExtension = device.Instance.SupportsSwapchainColourSpaces,
        };
    }

    /// <summary>Per window output: "A: A2B10G10R10_UNORM_PACK32, SRGB_NONLINEAR: PQ code values in a plain 10-bit swapchain: …" (the run's summary).</summary>
    public IEnumerable<string> FormatLines() => _windows.Select(w => $"{w.OutputId}: {w.Swapchain.Choice}");

    /// <summary>Writes "FRAME n  TC hh:mm:ss:ff" and the windows' counters into the overlay, in place.</summary>
    public void WriteDefaultOverlay(FrameTick tick)
    {
        WriteFrameLine(tick, _text.Line(0));
        Span<char> line = _text.Line(1);
        line.Fill(' ');
        long presented = 0, late = 0, skipped = 0;
        foreach (CanvasWindow w in _windows)
        {
            presented += w.Presented;
            late += w.LateFrames;
            skipped += w.Skipped;
        }
        int at = 0;
        Append(line, ref at, "PRESENTED ");
        Append(line, ref at, presented);
        Append(line, ref at, "  LATE ");
        Append(line, ref at, late);
        Append(line, ref at, "  SKIPPED ");
        Append(line, ref at, skipped);
        _text.Line(2).Fill(' ');
        _text.Line(3).Fill(' ');
    }

    /// <summary>Writes "FRAME n  TC hh:mm:ss:ff" (";" before frames when drop-frame) into <paramref name="line"/>, padded.</summary>
    public static void WriteFrameLine(FrameTick tick, Span<char> line)
    {
        line.Fill(' ');
        int at = 0;
        Append(line, ref at, "FRAME ");
        Append(line, ref at, tick.Frame);
        Append(line, ref at, "  TC ");
        Two(line, ref at, tick.Timecode.Hours);
        Append(line, ref at, ":");
        Two(line, ref at, tick.Timecode.Minutes);
        Append(line, ref at, ":");
        Two(line, ref at, tick.Timecode.Seconds);
        Append(line, ref at, tick.Timecode.DropFrame ? ";" : ":");
        Two(line, ref at, tick.Timecode.Frames);
    }

    /// <summary>Appends text at <paramref name="at"/>, as much as fits.</summary>
    public static void Append(Span<char> line, ref int at, ReadOnlySpan<char> text)
    {
        int n = Math.Min(text.Length, line.Length - at);
        text[..n].CopyTo(line[at..]);
        at += n;
    }

    /// <summary>Appends a number at <paramref name="at"/>, when it fits.</summary>
    public static void Append(Span<char> line, ref int at, long value)
    {
        if (value.TryFormat(line[at..], out int written, default, CultureInfo.InvariantCulture)) at += written;
    }

    private static void Two(Span<char> line, ref int at, int value)
    {
        if (at + 2 > line.Length) return;
        line[at++] = (char)('0' + value / 10 % 10);
        line[at++] = (char)('0' + value % 10);
    }

    /// <summary>Closes every window (the device is the caller's).</summary>
    public void Dispose()
    {
        foreach (CanvasWindow window in _windows) window.Dispose();
        foreach (StatusOverlay overlay in _overlays) overlay.Dispose();
        _overlays.Clear();
        _windows.Clear();
        _byOutput.Clear();
        Input?.Dispose();
    }

    private WindowSpec Spec(OutputCanvas output, OutputDisplayConfig display, WindowOutputOptions options)
    {
        string title = $"Stage — {_config.Name} — {output.Id}";
        if (display.Monitor is not null && !options.ForceWindowed)
        {
            MonitorInfo monitor = _session.FindMonitor(display.Monitor)
                ?? throw new GlfwException($"output {output.Id}: monitor '{display.Monitor}' is not connected (connected: {string.Join(", ", _session.Monitors().Select(m => $"{m.Index} {m.Name}"))})");
            return new WindowSpec(title, output.PixelWidth, output.PixelHeight, monitor, display.RefreshHz);
        }
        int factor = Math.Max(1, Math.Max((output.PixelWidth + options.MaxWindowPx.Width - 1) / options.MaxWindowPx.Width,
            (output.PixelHeight + options.MaxWindowPx.Height - 1) / options.MaxWindowPx.Height));
        return new WindowSpec(title, output.PixelWidth / factor, output.PixelHeight / factor);
    }

    private static string OnOff(bool value) => value ? "on" : "off";
}
