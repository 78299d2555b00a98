using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Stage.Core.Configuration;
using Stage.Engine.Control;
using Stage.Engine.Input;
using Stage.Engine;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Osc;
using Stage.Render;
using Stage.Vulkan;
using Stage.Windowing.Glfw;
using Stage.Windowing.Outputs;
using Stage.Core.Frames;

namespace Stage.Cli;

/// <summary>
/// <c>stage run --output window</c>: the run's output factory. Opens GLFW on the engine thread (its surface
/// extensions go into the run's Vulkan instance), then a window output on the run's own device — the windows are the
/// renderer's presenters, so canvases never leave the GPU — and gives the operator's shortcuts to the engine through
/// its OSC control surface on this machine (the same commands a control tablet sends, with replies logged).
/// </summary>
public sealed class WindowRun : IDeviceOutputFactory
{
    private readonly ILoggerFactory _logging;
    private readonly string? _display;
    private readonly WindowOutputOptions _options;
    private GlfwSession? _glfw;

    /// <summary>
    /// A factory that opens GLFW (on X display <paramref name="display"/>; null: $DISPLAY) when the run asks for its
    /// extensions; <paramref name="options"/> says how the windows open (default: the configuration's).
    /// </summary>
    public WindowRun(ILoggerFactory logging, string? display = null, WindowOutputOptions? options = null)
    {
        _logging = logging ?? throw new ArgumentNullException(nameof(logging));
        _display = display;
        _options = options ?? new WindowOutputOptions();
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> InstanceExtensions => Session.RequiredVulkanExtensions();

    private GlfwSession Session => _glfw ??= GlfwSession.Open(_display);

    /// <inheritdoc/>
    public IFrameOutput Create(StageConfig stage, GpuDevice device) => WindowRunOutput.Open(Session, stage, device, _options, _logging);

    /// <summary>Closes GLFW (after the output).</summary>
    public void Dispose()
    {
        _glfw?.Dispose();
        _glfw = null;
    }
}

/// <summary>The window output of a run, with the keyboard's link to the control surface.</summary>
internal sealed class WindowRunOutput : IFrameOutput, IEngineAttachedOutput, IDisplayTiming, IPresentingOutput
{
    private readonly WindowOutput _windows;
    private readonly LoopbackControl _control;
    private readonly string _keys;
    private string _lastReplyShown = "";
    // Written by the command dispatch thread, read by the engine thread: one reference, swapped whole.
    private volatile LastReply? _lastReply;

    private StageConfig? _stage;
    private ILoggerFactory? _logging;
    private FrameLoop? _engine;
    private string _status = "";
    private long _nextStatusFrame;

    private WindowRunOutput(WindowOutput windows, LoopbackControl control, string keys)
    {
        _windows = windows;
        _control = control;
        _keys = keys;
    }

    public static WindowRunOutput Open(GlfwSession glfw, StageConfig stage, GpuDevice device, WindowOutputOptions options, ILoggerFactory logging)
    {
        ILogger log = logging.CreateLogger("Stage.Windows");
        WindowOutput? windows = null;
        LoopbackControl? control = null;
        try
        {
            windows = new WindowOutput(glfw, device, stage, options, log);
            control = new LoopbackControl(stage.Control.Port);
            var input = new OperatorInput(stage, control.Execute, [], logging.CreateLogger("Stage.Keyboard"));
            windows.Input = input;
            string keys = string.Join("  ", stage.Operator.Shortcuts.OrderBy(p => p.Key).Select(p => $"{p.Value} {OperatorConfig.NameOf(p.Key)}"));
            var output = new WindowRunOutput(windows, control, keys) { _stage = stage, _logging = logging };
            input.CommandReplied += (address, reply) => output._lastReply = new LastReply(address, reply);
            windows.WriteOverlay = output.WriteOverlay;
            return output;
        }
        catch
        {
            control?.Dispose();
            windows?.Dispose();
            throw;
        }
    }

    public IReadOnlyList<ICanvasPresenter> Presenters => _windows.Presenters;

    public bool PacesFrames => true;

    public long FaultedFrames => _windows.FaultedFrames;

    public bool ReportsDisplayTimes => _windows.ReportsDisplayTimes;

    /// <summary>The windows' counters: presented, skipped, late, recreated, reopened, faults, present features.</summary>
    public string StatusText() => _windows.StatusText();

    /// <summary>Per window output, the swapchain's format and colour space and why.</summary>
    public IEnumerable<string> FormatLines() => _windows.FormatLines();

    public string Name => _windows.Name;

    /// <summary>
    /// Once the engine exists: the keys go straight to its commands (on the input's own dispatch thread)
    /// instead of over loopback, virtual cameras fly their pose buffers, and the overlay shows its status.
    /// </summary>
    public void Attach(FrameLoop engine, Stage.Tracking.TrackingSystem tracking)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(tracking);
        var input = new OperatorInput(_stage!, engine.Commands, tracking.Cameras, _logging!.CreateLogger("Stage.Keyboard"));
        input.CommandReplied += (address, reply) => _lastReply = new LastReply(address, reply);
        OperatorInput? previous = _windows.Input;
        _windows.Input = input;
        previous?.Dispose();
        _engine = engine;
    }

    public void BeginFrame(FrameTick tick) => _windows.BeginFrame(tick);

    public bool WantsPixels(FrameTick tick) => false;

    public void Present(FrameTick tick, IReadOnlyList<CanvasPixels> canvases)
    {
    }

    private void WriteOverlay(FrameTick tick, OverlayText text)
    {
        WindowOutput.WriteFrameLine(tick, text.Line(0));
        Span<char> line = text.Line(1);
        line.Fill(' ');
        int at = 0;
        CanvasWindow first = _windows.Windows[0];
        WindowOutput.Append(line, ref at, "PRESENTED ");
        WindowOutput.Append(line, ref at, first.Presented);
        WindowOutput.Append(line, ref at, "  LATE ");
        WindowOutput.Append(line, ref at, first.LateFrames);
        WindowOutput.Append(line, ref at, "  SKIPPED ");
        WindowOutput.Append(line, ref at, first.Skipped);
        // Strings only when a reply arrives (rare), never per frame.
        LastReply? last = _lastReply;
        if (last is null) text.SetLine(2, "");
        else if (!ReferenceEquals(last.Reply.Text, _lastReplyShown))
        {
            _lastReplyShown = last.Reply.Text;
            text.SetLine(2, $"{last.Address} {(last.Reply.Ok ? "OK" : "ERROR")} {last.Reply.Text}");
        }
        // Attached to the engine, the last line is its status from the latency on (cameras, take) instead of the key list,
        // refreshed once a second: a new string then, none per frame.
        if (_engine is not { } engine) text.SetLine(3, _keys);
        else if (tick.Frame >= _nextStatusFrame)
        {
            string status = engine.StatusLine(tick);
            int from = status.IndexOf("pose age", StringComparison.Ordinal);
            _status = (from >= 0 ? status[from..] : status).ToUpperInvariant();
            _nextStatusFrame = tick.Frame + Math.Max(1, _stage!.FrameRate.TimecodeBase);
            text.SetLine(3, _status);
        }
    }

    public void Dispose()
    {
        _windows.Dispose();
        _control.Dispose();
    }

    private sealed record LastReply(string Address, ControlReply Reply);

    /// <summary>Sends a command to the engine's control surface on 127.0.0.1 and waits for its reply (dispatch thread).</summary>
    private sealed class LoopbackControl(int port) : IDisposable
    {
        private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0)) { Client = { ReceiveTimeout = 3000 } };
        private readonly IPEndPoint _target = new(IPAddress.Loopback, port);

        public IReadOnlyList<(string Address, ControlReply Reply)> Execute(OscMessageData message)
        {
            try
            {
                _udp.Send(OscEncoder.ToArray(message), _target);
                IPEndPoint? from = null;
                byte[] datagram = _udp.Receive(ref from);
                if (OscMessage.TryDecode(datagram, out OscMessage reply, out _) && reply.ArgumentCount == 3 && reply.GetAddress() == ControlSurface.ReplyAddress)
                    return [(reply.GetString(0), new ControlReply(reply.GetString(1) == "ok", reply.GetString(2)))];
                return [(message.Address, ControlReply.Failure("the control surface sent something that is not a reply"))];
            }
            catch (SocketException e)
            {
                return [(message.Address, ControlReply.Failure(string.Create(CultureInfo.InvariantCulture, $"no reply from the control surface on port {port}: {e.Message}")))];
            }
        }

        public void Dispose() => _udp.Dispose();
    }
}
