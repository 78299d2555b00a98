using Stage.Core.Configuration;

namespace Stage.Engine.Input;

/// <summary>A gamepad's state in the standard (Xbox-like) layout, as GLFW maps every known pad.</summary>
/// <param name="LeftX">Left stick, −1 (left) to 1 (right).</param>
/// <param name="LeftY">Left stick, −1 (up, pushed away) to 1 (down, pulled back): GLFW's sign.</param>
/// <param name="RightX">Right stick, −1 to 1.</param>
/// <param name="RightY">Right stick, −1 (up) to 1 (down).</param>
/// <param name="LeftTrigger">Left trigger, −1 (released) to 1 (fully pressed).</param>
/// <param name="RightTrigger">Right trigger, −1 (released) to 1 (fully pressed).</param>
/// <param name="Buttons">Buttons held, one bit each in GLFW's order (bit 0 A, 1 B, 2 X, 3 Y, 4 LB, 5 RB, 6 Back, 7 Start …).</param>
public readonly record struct GamepadState(float LeftX, float LeftY, float RightX, float RightY, float LeftTrigger, float RightTrigger, int Buttons)
{
    /// <summary>A pad at rest (sticks centred, triggers released, nothing held).</summary>
    public static GamepadState Rest => new(0, 0, 0, 0, -1, -1, 0);

    /// <summary>Bit of the Start button.</summary>
    public const int StartButton = 1 << 7;

    /// <summary>Bit of the Back button.</summary>
    public const int BackButton = 1 << 6;
}

/// <summary>
/// Where a window sends the operator's keyboard and mouse, on the engine thread while it pumps events
/// (the window layer's seam: tests call these as GLFW's callbacks would).
/// </summary>
public interface IInputListener
{
    /// <summary>A key went down (<paramref name="pressed"/>) or up. Auto-repeat is not reported.</summary>
    /// <param name="keyCode">GLFW key token (see <see cref="KeyChord"/>).</param>
    /// <param name="modifiers">Modifiers held.</param>
    /// <param name="pressed">True on press, false on release.</param>
    void Key(int keyCode, KeyModifiers modifiers, bool pressed);

    /// <summary>The cursor moved to (<paramref name="xPx"/>, <paramref name="yPx"/>) in window pixels.</summary>
    void CursorMoved(double xPx, double yPx);

    /// <summary>A mouse button (0 left, 1 right, 2 middle) went down or up.</summary>
    void MouseButton(int button, bool pressed);

    /// <summary>The gamepad's state this frame (polled by the window layer).</summary>
    void Gamepad(in GamepadState state);
}
