using System.CommandLine;
using System.Text.Json;
using Stage.Vulkan;

namespace Stage.Cli;

/// <summary><c>stage gpu info</c>: what a render node offers Stage, in one command.</summary>
public static class GpuCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var gpu = new Command("gpu", "Inspect the GPUs Stage can render with.");
        var device = new Option<string?>("--device") { Description = "Choose a device by index or part of its name (default $STAGE_GPU, else the best suitable one)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var info = new Command("info",
            "List the Vulkan loader and every device: kind, Vulkan version, driver, and each feature Stage needs (ok or MISSING); " +
            "the swapchain formats and colour spaces each offers on a headless surface (a window's own are logged by `stage run --output window`); " +
            "mark the device Stage would choose. Exit 1 when no device can be used.") { device, json };
        info.SetAction(result =>
        {
            GpuReport report;
            try
            {
                report = GpuReport.Query(result.GetValue(device));
            }
            catch (GpuUnavailableException e)
            {
                error.WriteLine($"stage: {e.Message}");
                return ExitCodes.Fault;
            }
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    loader = report.LoaderVersion.ToString(),
                    devices = report.Devices.Select(d => new
                    {
                        index = d.Index, name = d.Name, kind = d.Kind.ToString(), vulkan = d.ApiVersion.ToString(), driver = $"{d.DriverName} {d.DriverInfo}".Trim(),
                        suitable = d.IsSuitable, requirements = d.Requirements.Select(r => new { name = r.Name, present = r.Present }), extensions = d.Extensions.Count,
                        presentation = new
                        {
                            swapchain = d.PresentationOffered.Swapchain, presentId = d.PresentationOffered.PresentId,
                            presentWait = d.PresentationOffered.PresentWait, presentBarrier = d.PresentationOffered.PresentBarrier,
                        },
                        headlessSurfaceFormats = report.SurfaceFormats.GetValueOrDefault(d.Index),
                    }),
                    swapchainColourSpaces = report.SwapchainColourSpaces,
                    chosen = report.Chosen?.Index,
                    error = report.ChoiceError,
                }, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                foreach (string line in report.ToLines()) output.WriteLine(line);
            }
            return report.Chosen is null ? ExitCodes.Fault : ExitCodes.Ok;
        });
        gpu.Subcommands.Add(info);
        return gpu;
    }
}
