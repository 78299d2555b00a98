using System.CommandLine;
using System.Text.Json;
using Stage.Windowing;
using Stage.Windowing.Glfw;

namespace Stage.Cli;

/// <summary><c>stage monitors</c>: the displays a render node can drive, with their modes.</summary>
public static class MonitorsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var display = new Option<string?>("--display") { Description = "X display to ask (default $DISPLAY), e.g. :0." };
        var json = new Option<bool>("--json") { Description = "Print the monitors as JSON." };
        var all = new Option<bool>("--all-modes") { Description = "List every mode of every monitor, not only the current one and the count." };
        var command = new Command("monitors",
            "List the monitors (GPU display outputs) with name, position, physical size, current mode and every mode offered, " +
            "so an operator can name them in the stage configuration. Exit 1 when there is no display.") { display, json, all };
        command.SetAction(result =>
        {
            IReadOnlyList<MonitorInfo> monitors;
            try
            {
                using GlfwSession glfw = GlfwSession.Open(result.GetValue(display));
                monitors = glfw.Monitors();
            }
            catch (GlfwException e)
            {
                error.WriteLine($"stage: {e.Message}");
                return ExitCodes.Fault;
            }
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(monitors.Select(m => new
                {
                    index = m.Index, name = m.Name, primary = m.IsPrimary, x = m.X, y = m.Y, widthMm = m.WidthMm, heightMm = m.HeightMm,
                    current = Mode(m.Current), modes = m.Modes.Select(Mode),
                }), new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            if (monitors.Count == 0) output.WriteLine("no monitors");
            foreach (MonitorInfo m in monitors)
            {
                string size = m.WidthMm > 0 ? $", {m.WidthMm} × {m.HeightMm} mm" : "";
                output.WriteLine($"[{m.Index}] {m.Name}{(m.IsPrimary ? " (primary)" : "")} at ({m.X}, {m.Y}){size}");
                output.WriteLine($"      current {m.Current}; {m.Modes.Count} modes");
                if (result.GetValue(all))
                    foreach (VideoMode mode in m.Modes) output.WriteLine($"        {mode}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static object Mode(VideoMode mode) => new { width = mode.Width, height = mode.Height, refreshRateHz = mode.RefreshRateHz, bitsPerChannel = mode.BitsPerChannel };
}
