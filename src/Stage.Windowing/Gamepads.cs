using Stage.Engine.Input;
using Stage.Windowing.Glfw;

namespace Stage.Windowing;

/// <summary>Where the window output reads the gamepad each frame (the seam tests replace).</summary>
public interface IGamepadReader
{
    /// <summary>The first connected gamepad's state; false when none is connected.</summary>
    bool TryRead(out GamepadState state);
}

/// <summary>GLFW's gamepads (joysticks with a known mapping), the first one connected.</summary>
public sealed unsafe class GlfwGamepads : IGamepadReader
{
    /// <inheritdoc/>
    public bool TryRead(out GamepadState state)
    {
        for (int joystick = 0; joystick < 16; joystick++)
        {
            if (GlfwNative.JoystickIsGamepad(joystick) == 0) continue;
            GlfwGamepadState raw;
            if (GlfwNative.GetGamepadState(joystick, &raw) == 0) continue;
            int buttons = 0;
            for (int b = 0; b < 15; b++) if (raw.Buttons[b] != 0) buttons |= 1 << b;
            state = new GamepadState(raw.Axes[0], raw.Axes[1], raw.Axes[2], raw.Axes[3], raw.Axes[4], raw.Axes[5], buttons);
            return true;
        }
        state = GamepadState.Rest;
        return false;
    }
}
