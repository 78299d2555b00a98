namespace Stage.Vulkan;

/// <summary>
/// What <c>stage gpu info</c> prints: the loader version, every device with what Stage needs (present
/// or missing), and the device Stage would choose — or why it can choose none.
/// </summary>
/// <param name="LoaderVersion">The Vulkan loader's instance version.</param>
/// <param name="Devices">Every physical device.</param>
/// <param name="Chosen">The device Stage would use, or null.</param>
/// <param name="ChoiceError">Why no device can be used (null when <paramref name="Chosen"/> is set).</param>
public sealed record GpuReport(GpuApiVersion LoaderVersion, IReadOnlyList<GpuDeviceInfo> Devices, GpuDeviceInfo? Chosen, string? ChoiceError)
{
    /// <summary>Queries the machine. <paramref name="request"/> is an index or name part; null reads <c>STAGE_GPU</c>.</summary>
    /// <exception cref="GpuUnavailableException">No Vulkan loader (or one older than 1.3) is installed.</exception>
    public static GpuReport Query(string? request = null)
    {
        var loader = GpuInstance.LoaderVersion();
        using var instance = GpuInstance.Create(new GpuInstanceOptions { ApplicationName = "stage gpu info" });
        var devices = instance.Devices();
        try
        {
            var chosen = GpuDeviceSelector.Select(devices, request ?? Environment.GetEnvironmentVariable(GpuDeviceSelector.EnvironmentVariable));
            return new GpuReport(loader, devices, chosen, null);
        }
        catch (GpuUnavailableException e)
        {
            return new GpuReport(loader, devices, null, e.Message);
        }
    }

    /// <summary>The report as the lines an operator reads.</summary>
    public IReadOnlyList<string> ToLines()
    {
        var lines = new List<string> { $"Vulkan loader {LoaderVersion}" };
        foreach (var d in Devices)
        {
            var mark = Chosen is not null && Chosen.Index == d.Index ? "*" : " ";
            lines.Add($"{mark} [{d.Index}] {d.Name} ({d.Kind}, Vulkan {d.ApiVersion}, driver {d.DriverName} {d.DriverInfo})".TrimEnd());
            lines.AddRange(d.Requirements.Select(r => $"      {(r.Present ? "ok     " : "MISSING")} {r.Name}"));
            lines.Add($"      {d.Extensions.Count} device extensions");
            lines.Add($"      presentation offered: {d.PresentationOffered}");
            lines.Add($"      timestamps: {d.Timestamps}");
        }
        lines.Add(Chosen is not null ? $"chosen: [{Chosen.Index}] {Chosen.Name}" : $"no usable device: {ChoiceError}");
        return lines;
    }
}
