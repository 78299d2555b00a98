namespace Stage.Core.Configuration;

/// <summary>How window outputs hand frames to the display.</summary>
public enum PresentModeSetting
{
    /// <summary>Every frame shown, in order, once per refresh, without tearing: what genlocked LED walls need (the default).</summary>
    Fifo,
    /// <summary>The newest frame replaces a waiting one: lower latency, frames may be skipped (rehearsal).</summary>
    Mailbox,
    /// <summary>Shown at once, tearing allowed (rehearsal, measurements).</summary>
    Immediate,
}

/// <summary>
/// Where output canvases appear when Stage runs with window outputs (<c>stage run --output window</c>):
/// the present mode, and per output the monitor (full screen, borderless, at the canvas size) or a window
/// for rehearsal, and whether the status overlay is drawn. Absent from a configuration: FIFO, every output
/// in a window with the overlay.
/// </summary>
public sealed record DisplayConfig
{
    /// <summary>The present mode of every window (default FIFO).</summary>
    public PresentModeSetting PresentMode { get; init; } = PresentModeSetting.Fifo;

    /// <summary>Per-output settings, in configuration order; outputs not listed get <see cref="OutputDisplayConfig.Windowed"/>.</summary>
    public IReadOnlyList<OutputDisplayConfig> Outputs { get; init; } = [];

    /// <summary>The settings of output <paramref name="outputId"/>: the configured ones, else a window with the overlay.</summary>
    public OutputDisplayConfig For(string outputId) =>
        Outputs.FirstOrDefault(o => o.OutputId == outputId) ?? OutputDisplayConfig.Windowed(outputId);
}

/// <summary>Where one output canvas is shown.</summary>
/// <param name="OutputId">The output canvas.</param>
/// <param name="Monitor">The monitor's name as <c>stage monitors</c> lists it, or its index ("0" is the primary); null for a window (rehearsal).</param>
/// <param name="RefreshHz">The refresh rate to ask the monitor for (null: keep its current mode's rate).</param>
/// <param name="Overlay">Draw the status overlay on this output (default: on in a window, off on a monitor — an LED wall shows only the picture).</param>
public sealed record OutputDisplayConfig(string OutputId, string? Monitor, int? RefreshHz, bool Overlay)
{
    /// <summary>A rehearsal window with the overlay.</summary>
    public static OutputDisplayConfig Windowed(string outputId) => new(outputId, null, null, true);

    /// <summary>True when the output goes full screen on a monitor.</summary>
    public bool IsFullScreen => Monitor is not null;
}
