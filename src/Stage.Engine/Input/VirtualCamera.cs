using System.Numerics;
using Stage.Core.Configuration;
using Stage.Tracking.Virtual;
using Stage.Core.Space;
using Stage.Tracking;
using Stage.Tracking.Buffers;

namespace Stage.Engine.Input;

/// <summary>
/// A camera flown by the operator: W/S forward and back, A/D left and right, E/Q up and down, arrow
/// keys pan and tilt, the mouse pans and tilts while its right button is held, Shift goes four times
/// faster, Home returns to the start; a gamepad's left stick moves, right stick turns, triggers rise
/// and sink. Each <see cref="Advance"/> writes the new pose into the camera's pose buffer, stamped
/// like a tracker's sample, so the engine cannot tell it from one.
/// </summary>
public sealed class VirtualCamera
{
    private const float StickDeadZone = 0.15f;
    private const double FastFactor = 4;
    // A hitch (a paused debugger, a slow frame) must not fling the camera across the stage.
    private const double MaxStepS = 0.1;

    private readonly VirtualCameraSourceConfig _config;
    private readonly PoseBuffer _buffer;
    private readonly double _tickFrequency;
    private bool _forward, _back, _left, _right, _up, _down, _panLeft, _panRight, _tiltUp, _tiltDown, _fast;
    private bool _mouseLook;
    private double _lastCursorX = double.NaN, _lastCursorY = double.NaN, _mousePanDeg, _mouseTiltDeg;
    private GamepadState _pad = GamepadState.Rest;
    private long _lastTicks = long.MinValue;
    private long _sequence;

    /// <summary>A virtual camera from its source's settings, writing into <paramref name="buffer"/>.</summary>
    public VirtualCamera(VirtualCameraSourceConfig config, PoseBuffer buffer, double tickFrequency)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(buffer);
        _config = config;
        _buffer = buffer;
        _tickFrequency = tickFrequency;
        Home();
    }

    /// <summary>The camera it feeds.</summary>
    public string CameraId => _buffer.CameraId;

    /// <summary>Position, metres in stage space.</summary>
    public Vector3 PositionM { get; private set; }

    /// <summary>Pan, degrees (positive right).</summary>
    public double PanDeg { get; private set; }

    /// <summary>Tilt, degrees (positive up), held within ±89.</summary>
    public double TiltDeg { get; private set; }

    /// <summary>The pose now.</summary>
    public Pose Pose => Pose.FromPanTiltRoll(PositionM, new PanTiltRoll(PanDeg, TiltDeg, 0));

    /// <summary>Back to the configured start.</summary>
    public void Home()
    {
        PositionM = _config.StartPositionM;
        PanDeg = _config.StartPanDeg;
        TiltDeg = _config.StartTiltDeg;
    }

    /// <summary>A key went down or up; returns true when the camera uses the key.</summary>
    public bool Key(int keyCode, KeyModifiers modifiers, bool pressed)
    {
        if (keyCode is 340 or 344) { _fast = pressed; return true; }
        // Fly keys act only without Ctrl/Alt: those chords belong to the operator's shortcuts.
        if ((modifiers & (KeyModifiers.Ctrl | KeyModifiers.Alt)) != 0 && pressed) return false;
        switch ((char)Math.Min(keyCode, char.MaxValue))
        {
            case 'W': _forward = pressed; return true;
            case 'S': _back = pressed; return true;
            case 'A': _left = pressed; return true;
            case 'D': _right = pressed; return true;
            case 'E': _up = pressed; return true;
            case 'Q': _down = pressed; return true;
        }
        switch (keyCode)
        {
            case 263: _panLeft = pressed; return true;
            case 262: _panRight = pressed; return true;
            case 265: _tiltUp = pressed; return true;
            case 264: _tiltDown = pressed; return true;
            case 268:
                if (pressed) Home();
                return true;
        }
        return false;
    }

    /// <summary>The right mouse button held turns the camera by cursor travel.</summary>
    public void MouseButton(int button, bool pressed)
    {
        if (button != 1) return;
        _mouseLook = pressed;
        _lastCursorX = _lastCursorY = double.NaN;
    }

    /// <summary>Cursor position in window pixels.</summary>
    public void CursorMoved(double xPx, double yPx)
    {
        if (_mouseLook && !double.IsNaN(_lastCursorX))
        {
            _mousePanDeg += (xPx - _lastCursorX) * _config.MouseDegPerPx;
            _mouseTiltDeg -= (yPx - _lastCursorY) * _config.MouseDegPerPx;
        }
        if (_mouseLook) (_lastCursorX, _lastCursorY) = (xPx, yPx);
    }

    /// <summary>The gamepad's state, used until the next one.</summary>
    public void Gamepad(in GamepadState state) => _pad = state;

    /// <summary>
    /// Moves by what is held since the last call (at most 0.1 s worth), then writes the pose into the
    /// pose buffer stamped <paramref name="nowTicks"/> (Stopwatch ticks), as a tracker's receive thread would.
    /// </summary>
    public CameraSample Advance(long nowTicks)
    {
        double dt = _lastTicks == long.MinValue ? 0 : Math.Clamp((nowTicks - _lastTicks) / _tickFrequency, 0, MaxStepS);
        _lastTicks = nowTicks;
        double speed = _config.SpeedMps * (_fast ? FastFactor : 1) * dt;
        double turn = _config.TurnDegPerS * (_fast ? FastFactor : 1) * dt;
        double forward = (_forward ? 1 : 0) - (_back ? 1 : 0) - DeadZone(_pad.LeftY);
        double strafe = (_right ? 1 : 0) - (_left ? 1 : 0) + DeadZone(_pad.LeftX);
        double rise = (_up ? 1 : 0) - (_down ? 1 : 0) + (_pad.RightTrigger + 1) / 2 - (_pad.LeftTrigger + 1) / 2;
        PanDeg += ((_panRight ? 1 : 0) - (_panLeft ? 1 : 0) + DeadZone(_pad.RightX)) * turn + _mousePanDeg;
        TiltDeg = Math.Clamp(TiltDeg + ((_tiltUp ? 1 : 0) - (_tiltDown ? 1 : 0) - DeadZone(_pad.RightY)) * turn + _mouseTiltDeg, -89, 89);
        _mousePanDeg = _mouseTiltDeg = 0;
        PanDeg = Math.IEEERemainder(PanDeg, 360);
        // Travel is level (a dolly, not a drone): forward follows pan only, so tilting to frame a shot does not change height.
        double panRad = double.DegreesToRadians(PanDeg);
        var ahead = new Vector3((float)Math.Sin(panRad), 0, (float)-Math.Cos(panRad));
        var right = new Vector3((float)Math.Cos(panRad), 0, (float)Math.Sin(panRad));
        PositionM += (ahead * (float)forward + right * (float)strafe + Vector3.UnitY * (float)rise) * (float)speed;
        Pose pose = Pose;
        CameraSample sample = CameraSample.Create(CameraId, pose.PositionM, pose.Orientation, nowTicks, ++_sequence);
        _buffer.Write(sample);
        return sample;
    }

    private static double DeadZone(float axis) => Math.Abs(axis) < StickDeadZone ? 0 : (axis - Math.Sign(axis) * StickDeadZone) / (1 - StickDeadZone);
}
