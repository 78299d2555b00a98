namespace Stage.Windowing;

/// <summary>A display mode a monitor offers.</summary>
/// <param name="Width">Pixels across.</param>
/// <param name="Height">Pixels down.</param>
/// <param name="RefreshRateHz">Refresh rate (GLFW reports whole hertz).</param>
/// <param name="BitsPerChannel">Red/green/blue bits, e.g. 8 or 10.</param>
public readonly record struct VideoMode(int Width, int Height, int RefreshRateHz, int BitsPerChannel)
{
    /// <summary>"3840 × 2160 @ 60 Hz, 8-bit".</summary>
    public override string ToString() => $"{Width} × {Height} @ {RefreshRateHz} Hz, {BitsPerChannel}-bit";
}

/// <summary>A monitor (a GPU display connector's sink: an LED processor input, or a desk screen).</summary>
/// <param name="Index">Position in GLFW's list (0 is the primary monitor).</param>
/// <param name="Name">The name the system gives it.</param>
/// <param name="IsPrimary">True for the primary monitor.</param>
/// <param name="X">Virtual-desktop position, pixels.</param>
/// <param name="Y">Virtual-desktop position, pixels.</param>
/// <param name="WidthMm">Physical width the monitor reports (0 when unknown).</param>
/// <param name="HeightMm">Physical height the monitor reports (0 when unknown).</param>
/// <param name="Current">The mode in use.</param>
/// <param name="Modes">Every mode it offers, as GLFW sorts them (ascending).</param>
public sealed record MonitorInfo(int Index, string Name, bool IsPrimary, int X, int Y, int WidthMm, int HeightMm, VideoMode Current, IReadOnlyList<VideoMode> Modes);
