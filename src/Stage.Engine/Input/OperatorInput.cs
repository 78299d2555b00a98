using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Stage.Core.Configuration;
using Stage.Tracking.Virtual;
using Stage.Engine.Control;
using Stage.Osc;
using Stage.Tracking.Buffers;

namespace Stage.Engine.Input;

/// <summary>
/// The operator at the keyboard and gamepad: shortcuts from the configuration become the engine's own
/// control commands (the same <see cref="CommandRegistry"/> an OSC control surface reaches, sender
/// "keyboard"), and virtual-camera sources are flown into their cameras' pose buffers.
/// <para>
/// Events arrive on the engine thread (the window pumps them there), and the engine's commands wait
/// for that thread to run them between frames; so commands are handed to a small dispatch thread of
/// their own, like an OSC receive thread, and never block the frame.
/// </para>
/// </summary>
public sealed class OperatorInput : IInputListener, IDisposable
{
    private readonly Func<OscMessageData, IReadOnlyList<(string Address, ControlReply Reply)>> _execute;
    private readonly ILogger _log;
    private readonly Dictionary<KeyChord, OperatorAction> _byChord = [];
    private readonly string? _camera;
    private readonly Dictionary<string, bool> _chromaKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _markers = new(StringComparer.Ordinal);
    private readonly BlockingCollection<OscMessageData> _pending = new();
    private readonly ConcurrentQueue<(string Address, ControlReply Reply)> _replies = new();
    private readonly List<VirtualCamera> _cameras = [];
    private Thread? _dispatcher;
    private int _inFlight;
    private bool _disposed;

    /// <summary>
    /// Reads shortcuts and the operator camera from <paramref name="config"/>, and makes a
    /// <see cref="VirtualCamera"/> for every camera bound to a virtual source (its buffer from <paramref name="buffers"/>).
    /// </summary>
    public OperatorInput(StageConfig config, CommandRegistry commands, IReadOnlyList<PoseBuffer> buffers, ILogger log)
        : this(config, (commands ?? throw new ArgumentNullException(nameof(commands))).ExecuteAsKeyboard, buffers, log)
    {
    }

    /// <summary>
    /// As above, with commands carried out by <paramref name="execute"/> (e.g. sent to the engine's OSC control
    /// surface when the registry is in another part of the program); it returns one reply per command reached.
    /// </summary>
    public OperatorInput(StageConfig config, Func<OscMessageData, IReadOnlyList<(string Address, ControlReply Reply)>> execute, IReadOnlyList<PoseBuffer> buffers, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(buffers);
        _execute = execute ?? throw new ArgumentNullException(nameof(execute));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        foreach ((OperatorAction action, KeyChord chord) in config.Operator.Shortcuts) _byChord[chord] = action;
        _camera = config.Operator.CameraId ?? config.Cameras.FirstOrDefault()?.Id;
        foreach (CameraConfig camera in config.Cameras)
        {
            if (config.FindSource(camera.SourceId) is not VirtualCameraSourceConfig source) continue;
            PoseBuffer? buffer = buffers.FirstOrDefault(b => b.CameraId == camera.Id);
            if (buffer is not null) _cameras.Add(new VirtualCamera(source, buffer, Stopwatch.Frequency));
        }
    }

    /// <summary>The virtual cameras flown by this input (cameras bound to a "virtual" tracking source).</summary>
    public IReadOnlyList<VirtualCamera> VirtualCameras => _cameras;

    /// <summary>Whether windows with an overlay show it (toggled by the overlay shortcut; starts shown).</summary>
    public bool OverlayVisible { get; private set; } = true;

    /// <summary>The latest command replies, newest last (at most 32 kept), for the overlay and tests.</summary>
    public IReadOnlyList<(string Address, ControlReply Reply)> RecentReplies => [.. _replies];

    /// <summary>Commands sent and not yet answered.</summary>
    public int CommandsInFlight => Volatile.Read(ref _inFlight);

    /// <summary>Raised on the dispatch thread with every command's reply.</summary>
    public event Action<string, ControlReply>? CommandReplied;

    /// <inheritdoc/>
    public void Key(int keyCode, KeyModifiers modifiers, bool pressed)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (pressed && _byChord.TryGetValue(new KeyChord(keyCode, modifiers), out OperatorAction action))
        {
            Run(action);
            return;
        }
        foreach (VirtualCamera camera in _cameras) camera.Key(keyCode, modifiers, pressed);
    }

    /// <inheritdoc/>
    public void CursorMoved(double xPx, double yPx)
    {
        foreach (VirtualCamera camera in _cameras) camera.CursorMoved(xPx, yPx);
    }

    /// <inheritdoc/>
    public void MouseButton(int button, bool pressed)
    {
        foreach (VirtualCamera camera in _cameras) camera.MouseButton(button, pressed);
    }

    /// <inheritdoc/>
    public void Gamepad(in GamepadState state)
    {
        foreach (VirtualCamera camera in _cameras) camera.Gamepad(state);
    }

    /// <summary>Advances every virtual camera to <paramref name="nowTicks"/> and writes its pose (once per frame, engine thread).</summary>
    public void Update(long nowTicks)
    {
        foreach (VirtualCamera camera in _cameras) camera.Advance(nowTicks);
    }

    /// <summary>Carries out a shortcut's action as the key would.</summary>
    public void Run(OperatorAction action)
    {
        switch (action)
        {
            case OperatorAction.TakeStart: Send(new OscMessageData("/stage/take/start")); break;
            case OperatorAction.TakeStop: Send(new OscMessageData("/stage/take/stop")); break;
            case OperatorAction.TakeCircle: Send(new OscMessageData("/stage/take/circle")); break;
            case OperatorAction.WorldReset: Send(new OscMessageData("/stage/world/reset")); break;
            case OperatorAction.ChromaKeyToggle: Toggle("/stage/camera/chromakey", _chromaKey); break;
            case OperatorAction.MarkersToggle: Toggle("/stage/camera/markers", _markers); break;
            case OperatorAction.OverlayToggle:
                OverlayVisible = !OverlayVisible;
                _log.LogInformation("Status overlay {State} (keyboard)", OverlayVisible ? "shown" : "hidden");
                break;
        }
    }

    /// <summary>Waits until every command sent so far has its reply (tests, shutdown).</summary>
    public bool WaitForCommands(TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (CommandsInFlight > 0)
        {
            if (waited.Elapsed > timeout) return false;
            Thread.Sleep(2);
        }
        return true;
    }

    private void Toggle(string address, Dictionary<string, bool> state)
    {
        if (_camera is null) return;
        bool on = !state.GetValueOrDefault(_camera);
        state[_camera] = on;
        Send(new OscMessageData(address, OscValue.FromString(_camera), OscValue.FromInt32(on ? 1 : 0)));
    }

    private void Send(OscMessageData message)
    {
        if (_dispatcher is null)
        {
            _dispatcher = new Thread(Dispatch) { IsBackground = true, Name = "stage operator commands" };
            _dispatcher.Start();
        }
        Interlocked.Increment(ref _inFlight);
        _pending.Add(message);
    }

    private void Dispatch()
    {
        foreach (OscMessageData message in _pending.GetConsumingEnumerable())
        {
            try
            {
                foreach ((string address, ControlReply reply) in _execute(message))
                {
                    _replies.Enqueue((address, reply));
                    while (_replies.Count > 32) _replies.TryDequeue(out _);
                    if (reply.Ok) _log.LogInformation("{Address} (keyboard): {Reply}", address, reply.Text);
                    else _log.LogWarning("{Address} (keyboard) refused: {Reply}", address, reply.Text);
                    CommandReplied?.Invoke(address, reply);
                }
            }
            catch (Exception e)
            {
                // A fault in a command must not end the operator's keyboard.
                _log.LogError(e, "{Address} (keyboard) failed", message.Address);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    /// <summary>Stops the dispatch thread after the commands already sent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _pending.CompleteAdding();
        _dispatcher?.Join(TimeSpan.FromSeconds(5));
        _pending.Dispose();
    }
}

/// <summary>Runs commands as the keyboard.</summary>
internal static class KeyboardCommands
{
    /// <summary>Executes <paramref name="message"/> with sender "keyboard".</summary>
    public static IReadOnlyList<(string Address, ControlReply Reply)> ExecuteAsKeyboard(this CommandRegistry registry, OscMessageData message) =>
        registry.Execute(message, "keyboard");
}
