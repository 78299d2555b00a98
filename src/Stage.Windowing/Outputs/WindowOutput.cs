using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Stage.Core.Configuration;
using Stage.Engine.Input;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Vulkan;
using Stage.Windowing.Glfw;

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

    /// <summary>Largest window on the desk, pixels: bigger canvases open at a whole-number fraction of their size.</summary>
    public (int Width, int Height) MaxWindowPx { get; init; } = (1920, 1080);
}

/// <summary>
/// The engine's output onto displays: a window per output canvas (full screen on its configured monitor,
/// or windowed for rehearsal), each presented through its own swapchain. On the engine thread, every
/// frame: pump window events (keyboard and mouse go to <see cref="Input"/>), read the gamepad, advance the
/// virtual cameras, then present every canvas. A window that fails is logged and tried again next frame;
/// the engine never stops for it.
/// </summary>
public sealed class WindowOutput : IFrameOutput
{
    private readonly GlfwSession _session;
    private readonly ILogger _log;
    private readonly List<CanvasWindow> _windows = [];
    private readonly Dictionary<string, CanvasWindow> _byOutput = new(StringComparer.Ordinal);
    private readonly GpuInstance? _ownedInstance;
    private readonly GpuDevice? _ownedDevice;
    private readonly GpuDevice _device;
    private readonly StageConfig _config;
    private long _faults;
    private long _lastFaultLogTicks;

    /// <summary>Opens a window per output canvas of <paramref name="config"/>, presenting through <paramref name="device"/> (made on an instance with <see cref="GlfwSession.RequiredVulkanExtensions"/>).</summary>
    /// <exception cref="GlfwException">A window could not be opened, or a configured monitor is not connected.</exception>
    public WindowOutput(GlfwSession session, GpuDevice device, StageConfig config, WindowOutputOptions options, ILogger log)
        : this(session, device, config, options, log, null, null)
    {
    }

    private WindowOutput(GlfwSession session, GpuDevice device, StageConfig config, WindowOutputOptions options, ILogger log, GpuInstance? ownedInstance, GpuDevice? ownedDevice)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        _session = session;
        _device = device;
        _config = config;
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _ownedInstance = ownedInstance;
        _ownedDevice = ownedDevice;
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
            foreach (OutputCanvas output in config.Outputs)
            {
                OutputDisplayConfig display = config.Display.For(output.Id);
                WindowSpec spec = Spec(output, display, options);
                var window = new GlfwWindow(session, spec);
                if (spec.Monitor is null)
                {
                    // Rehearsal windows side by side, so none hides another.
                    window.MoveTo(nextX, 0);
                    nextX += spec.WidthPx;
                }
                CanvasWindow canvasWindow;
                try
                {
                    canvasWindow = new CanvasWindow(output.Id, window, device, swapchainOptions, framePeriodMs);
                }
                catch
                {
                    window.Dispose();
                    throw;
                }
                _windows.Add(canvasWindow);
                _byOutput[output.Id] = canvasWindow;
                OverlayWanted[output.Id] = display.Overlay;
                _log.LogInformation("Output {Output}: {Where}, swapchain {Width}×{Height} {Format}, {Mode}, {Images} images",
                    output.Id, spec.Monitor is null ? "window" : $"full screen on {spec.Monitor.Name}", canvasWindow.Swapchain.Width, canvasWindow.Swapchain.Height,
                    canvasWindow.Swapchain.Format, canvasWindow.Swapchain.PresentMode, canvasWindow.Swapchain.Images.Count);
            }
        }
        catch
        {
            foreach (CanvasWindow window in _windows) window.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens windows with a Vulkan instance and device of their own (the window system's extensions, and
    /// validation when <paramref name="validation"/>), disposed with the output.
    /// </summary>
    public static WindowOutput Open(GlfwSession session, StageConfig config, WindowOutputOptions options, ILogger log, bool validation = false, string? gpu = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        GpuInstance instance = GpuInstance.Create(new GpuInstanceOptions
        {
            ApplicationName = "stage window output",
            EnableValidation = validation,
            Extensions = session.RequiredVulkanExtensions(),
        });
        GpuDevice? device = null;
        try
        {
            device = instance.CreateDevice(gpu);
            return new WindowOutput(session, device, config, options, log, instance, device);
        }
        catch
        {
            device?.Dispose();
            instance.Dispose();
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

    /// <summary>Per output: whether the configuration wants the status overlay on it.</summary>
    public Dictionary<string, bool> OverlayWanted { get; } = new(StringComparer.Ordinal);

    /// <summary>Called on the engine thread before each window is presented, with the frame: returns the overlay state for that output, or null for none.</summary>
    public Func<FrameTick, string, object?>? OverlayState { get; set; }

    /// <summary>The windows, in configuration order.</summary>
    public IReadOnlyList<CanvasWindow> Windows => _windows;

    /// <summary>Frames whose presentation failed on some window (logged, the next frame tries again).</summary>
    public long Faults => _faults;

    /// <inheritdoc/>
    public string Name => $"window ({_windows.Count} {(_windows.Count == 1 ? "window" : "windows")}, {(_windows.Count > 0 ? _windows[0].Swapchain.PresentMode.ToString().ToLowerInvariant() : "-")}, {PresentationText})";

    /// <summary>"present_id off, present_wait off, present_barrier off": what the run status shows.</summary>
    public string PresentationText => string.Create(CultureInfo.InvariantCulture,
        $"present_id {OnOff(_device.Presentation.PresentId)}, present_wait {OnOff(_device.Presentation.PresentWait)}, present_barrier {OnOff(_device.Presentation.PresentBarrier)}");

    /// <inheritdoc/>
    public void Present(FrameTick tick, IReadOnlyList<CanvasImage> canvases)
    {
        _session.PollEvents();
        OperatorInput? input = Input;
        if (input is not null)
        {
            if (Gamepads is not null && Gamepads.TryRead(out GamepadState pad)) input.Gamepad(pad);
            input.Update(Stopwatch.GetTimestamp());
        }
        for (int i = 0; i < canvases.Count; i++)
        {
            CanvasImage canvas = canvases[i];
            if (!_byOutput.TryGetValue(canvas.OutputId, out CanvasWindow? window)) continue;
            try
            {
                object? overlay = OverlayWanted.GetValueOrDefault(canvas.OutputId) && (input?.OverlayVisible ?? true) ? OverlayState?.Invoke(tick, canvas.OutputId) : null;
                window.Present(canvas, overlay);
            }
            catch (Exception e) when (e is VulkanException or GlfwException or GpuUnavailableException or InvalidOperationException)
            {
                // A lost window or a failed present must not stop the shoot: log (at most once a second), rebuild next frame.
                _faults++;
                long now = Stopwatch.GetTimestamp();
                if (now - _lastFaultLogTicks > Stopwatch.Frequency)
                {
                    _lastFaultLogTicks = now;
                    _log.LogError(e, "Output {Output} frame {Frame}: presentation failed ({Faults} so far); trying again next frame", canvas.OutputId, tick.Frame, _faults);
                }
                try
                {
                    window.Recreate();
                }
                catch (Exception again) when (again is VulkanException or GpuUnavailableException)
                {
                    _log.LogDebug(again, "Output {Output}: swapchain not recreated yet", canvas.OutputId);
                }
            }
        }
    }

    /// <summary>A status fragment: presented, skipped, recreated, pacing, present features.</summary>
    public string StatusText()
    {
        long presented = 0, skipped = 0, late = 0, recreated = 0;
        foreach (CanvasWindow w in _windows)
        {
            presented += w.Presented;
            skipped += w.Skipped;
            late += w.LateFrames;
            recreated += w.Swapchain.Recreations;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"windows {_windows.Count}: presented {presented}, skipped {skipped}, late {late}, recreated {recreated}, faults {_faults}; {PresentationText}");
    }

    /// <summary>Closes every window, then the device and instance when the output made them.</summary>
    public void Dispose()
    {
        foreach (CanvasWindow window in _windows) window.Dispose();
        _windows.Clear();
        _byOutput.Clear();
        Input?.Dispose();
        _ownedDevice?.Dispose();
        _ownedInstance?.Dispose();
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
