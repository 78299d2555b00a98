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
using Stage.Vulkan;
using Stage.Windowing.Glfw;
using Stage.Windowing.Outputs;
using Stage.Core.Frames;

namespace Stage.Cli;

/// <summary>
/// <c>stage run --output window</c>: the run's output factory. Opens GLFW on the engine thread and a window
/// output (its own Vulkan instance with the window system's extensions), and gives the operator's
/// shortcuts to the engine through its OSC control surface on this machine (the same commands a control
/// tablet sends, with replies logged).
/// </summary>
public static class WindowRun
{
    /// <summary>The factory for <c>RunSettings.OutputFactory</c>.</summary>
    public static Func<StageConfig, GpuDevice, IFrameOutput?> Factory(bool validate, ILoggerFactory logging) =>
        (stage, _) => WindowRunOutput.Open(stage, validate, logging);
}

/// <summary>The window output of a run, with the GLFW session and the keyboard's link to the control surface.</summary>
internal sealed class WindowRunOutput : IFrameOutput, IEngineAttachedOutput
{
    private readonly GlfwSession _glfw;
    private readonly WindowOutput _windows;
    private readonly LoopbackControl _control;
    private readonly string _keys;
    private string _lastReplyShown = "";
    // Written by the command dispatch thread, read by the engine thread: one reference, swapped whole.
    private volatile LastReply? _lastReply;

    private readonly ILogger _log;
    private StageConfig? _stage;
    private ILoggerFactory? _logging;
    private FrameLoop? _engine;
    private string _status = "";
    private long _nextStatusFrame;

    private WindowRunOutput(GlfwSession glfw, WindowOutput windows, LoopbackControl control, string keys, ILogger log)
    {
        _log = log;
        _glfw = glfw;
        _windows = windows;
        _control = control;
        _keys = keys;
    }

    public static WindowRunOutput Open(StageConfig stage, bool validate, ILoggerFactory logging)
    {
        ILogger log = logging.CreateLogger("Stage.Windows");
        GlfwSession glfw = GlfwSession.Open();
        WindowOutput? windows = null;
        LoopbackControl? control = null;
        try
        {
            windows = WindowOutput.Open(glfw, stage, new WindowOutputOptions(), log, validate);
            control = new LoopbackControl(stage.Control.Port);
            var input = new OperatorInput(stage, control.Execute, [], logging.CreateLogger("Stage.Keyboard"));
            windows.Input = input;
            string keys = string.Join("  ", stage.Operator.Shortcuts.OrderBy(p => p.Key).Select(p => $"{p.Value} {OperatorConfig.NameOf(p.Key)}"));
            var output = new WindowRunOutput(glfw, windows, control, keys, log) { _stage = stage, _logging = logging };
            input.CommandReplied += (address, reply) => output._lastReply = new LastReply(address, reply);
            windows.WriteOverlay = output.WriteOverlay;
            return output;
        }
        catch
        {
            control?.Dispose();
            windows?.Dispose();
            glfw.Dispose();
            throw;
        }
    }

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

    public void Present(FrameTick tick, IReadOnlyList<CanvasPixels> canvases) => _windows.Present(tick, canvases);

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
        // The windows' own Vulkan instance (made with --validate): its messages, teardown included, belong in the run's report too.
        foreach (ValidationMessage message in _windows.Validation?.Messages ?? []) _log.LogError("window output validation: {Message}", message.ToString());
        _control.Dispose();
        _glfw.Dispose();
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
