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
        // A headless surface (where the loader offers one) shows which swapchain formats and colour spaces each device offers
        // without a display; a window's own surface may offer more (a 10-bit or HDR10 display): `stage run --output window`
        // logs that list per output.
        using var instance = GpuInstance.Create(new GpuInstanceOptions
        {
            ApplicationName = "stage gpu info",
            OptionalExtensions = [.. GpuSurface.HeadlessExtensions, ExtensionNames.SwapchainColorspace],
        });
        var devices = instance.Devices();
        var formats = new SortedDictionary<int, string>();
        if (GpuSurface.HeadlessExtensions.All(instance.EnabledExtensions.Contains))
        {
            using var surface = GpuSurface.CreateHeadless(instance);
            foreach (var d in devices)
            {
                try
                {
                    formats[d.Index] = GpuSwapchainFormat.List(surface.Formats(d));
                }
                catch (VulkanException e)
                {
                    formats[d.Index] = $"none ({e.Message})";
                }
            }
        }
        try
        {
            var chosen = GpuDeviceSelector.Select(devices, request ?? Environment.GetEnvironmentVariable(GpuDeviceSelector.EnvironmentVariable));
            return new GpuReport(loader, devices, chosen, null) { SurfaceFormats = formats, SwapchainColourSpaces = instance.SupportsSwapchainColourSpaces };
        }
        catch (GpuUnavailableException e)
        {
            return new GpuReport(loader, devices, null, e.Message) { SurfaceFormats = formats, SwapchainColourSpaces = instance.SupportsSwapchainColourSpaces };
        }
    }

    /// <summary>
    /// Per device index, the swapchain formats / colour spaces offered on a headless surface (empty when the loader offers no
    /// VK_EXT_headless_surface). A window's surface on a real display may offer more.
    /// </summary>
    public IReadOnlyDictionary<int, string> SurfaceFormats { get; init; } = new Dictionary<int, string>();

    /// <summary>True when the loader offers VK_EXT_swapchain_colorspace (HDR10 swapchains are possible where a display offers them).</summary>
    public bool SwapchainColourSpaces { get; init; }

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
            if (SurfaceFormats.TryGetValue(d.Index, out var offered)) lines.Add($"      headless surface formats: {offered}");
        }
        lines.Add($"VK_EXT_swapchain_colorspace (HDR10 swapchains): {(SwapchainColourSpaces ? "offered" : "not offered by the loader")}");
        lines.Add(SurfaceFormats.Count > 0
            ? "swapchain formats above are a headless surface's; a window's own surface (a 10-bit or HDR display) may offer more: `stage run --output window` logs each output's list and choice"
            : "swapchain formats: not listed here (the loader offers no VK_EXT_headless_surface); `stage run --output window` logs each window surface's list and the choice");
        lines.Add(Chosen is not null ? $"chosen: [{Chosen.Index}] {Chosen.Name}" : $"no usable device: {ChoiceError}");
        return lines;
    }
}
