namespace Stage.Vulkan;

/// <summary>The kind of a physical device, in Stage's order of preference.</summary>
public enum GpuDeviceKind
{
    /// <summary>A discrete GPU: what a render node should use.</summary>
    Discrete,
    /// <summary>A GPU integrated with the CPU.</summary>
    Integrated,
    /// <summary>A GPU of a virtual machine.</summary>
    Virtual,
    /// <summary>A CPU implementation such as lavapipe.</summary>
    Cpu,
    /// <summary>Anything else.</summary>
    Other,
}

/// <summary>One capability Stage needs and whether the device has it.</summary>
/// <param name="Name">What is needed, e.g. <c>synchronization2</c>.</param>
/// <param name="Present">Whether the device provides it.</param>
public readonly record struct GpuRequirement(string Name, bool Present);

/// <summary>What an operator (and the device choice) needs to know about one physical device.</summary>
public sealed record GpuDeviceInfo
{
    /// <summary>The index in the loader's enumeration (what <c>STAGE_GPU=1</c> refers to).</summary>
    public required int Index { get; init; }

    /// <summary>The device name, e.g. <c>llvmpipe (LLVM 15.0.6, 256 bits)</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Discrete, integrated, virtual, CPU.</summary>
    public required GpuDeviceKind Kind { get; init; }

    /// <summary>The Vulkan version the device supports.</summary>
    public required GpuApiVersion ApiVersion { get; init; }

    /// <summary>The driver's name (VkPhysicalDeviceVulkan12Properties.driverName).</summary>
    public required string DriverName { get; init; }

    /// <summary>The driver's version text (driverInfo).</summary>
    public required string DriverInfo { get; init; }

    /// <summary>PCI vendor id.</summary>
    public required uint VendorId { get; init; }

    /// <summary>Device extensions, sorted.</summary>
    public required IReadOnlyList<string> Extensions { get; init; }

    /// <summary>Everything Stage needs, present or missing, in a fixed order.</summary>
    public required IReadOnlyList<GpuRequirement> Requirements { get; init; }

    /// <summary>The queue family used for graphics, compute and transfer; -1 when there is none.</summary>
    public required int GraphicsQueueFamily { get; init; }

    /// <summary>Whether the device writes GPU timestamps on <see cref="GraphicsQueueFamily"/> (per-pass GPU times).</summary>
    public GpuTimestampSupport Timestamps { get; init; }

    /// <summary>The physical device handle.</summary>
    internal PhysicalDevice Handle { get; init; }

    /// <summary>Which presentation extensions the device offers (what a window output could use).</summary>
    public GpuPresentation PresentationOffered => new(
        Extensions.Contains(ExtensionNames.Swapchain),
        Extensions.Contains(ExtensionNames.PresentId),
        Extensions.Contains(ExtensionNames.PresentWait),
        Extensions.Contains(ExtensionNames.PresentBarrier));

    /// <summary>The names of the missing requirements.</summary>
    public IReadOnlyList<string> Missing => Requirements.Where(r => !r.Present).Select(r => r.Name).ToList();

    /// <summary>True when nothing Stage needs is missing.</summary>
    public bool IsSuitable => Requirements.All(r => r.Present);

    /// <summary>Reads properties, features, extensions and queues of a device.</summary>
    internal static unsafe GpuDeviceInfo Query(GpuInstance instance, PhysicalDevice device, int index)
    {
        var vk = instance.Vk;
        var vk12Properties = new PhysicalDeviceVulkan12Properties(pNext: null);
        var properties2 = new PhysicalDeviceProperties2(pNext: &vk12Properties);
        PhysicalDeviceProperties properties;
        vk.GetPhysicalDeviceProperties(device, &properties);
        var apiVersion = GpuApiVersion.FromPacked(properties.ApiVersion);
        // The Vulkan12 property and feature structs exist only on 1.2+ devices.
        var atLeast12 = apiVersion >= new GpuApiVersion(1, 2, 0);
        if (atLeast12) vk.GetPhysicalDeviceProperties2(device, &properties2);

        var vk12 = new PhysicalDeviceVulkan12Features(pNext: null);
        var vk13 = new PhysicalDeviceVulkan13Features(pNext: &vk12);
        var features2 = new PhysicalDeviceFeatures2(pNext: &vk13);
        if (atLeast12) vk.GetPhysicalDeviceFeatures2(device, &features2);
        var atLeast13 = apiVersion >= GpuInstance.RequiredVersion;

        uint extensionCount;
        vk.EnumerateDeviceExtensionProperties(device, (byte*)null, &extensionCount, null).Check("vkEnumerateDeviceExtensionProperties");
        var extensionProperties = new ExtensionProperties[extensionCount];
        var extensions = new List<string>();
        fixed (ExtensionProperties* p = extensionProperties)
        {
            vk.EnumerateDeviceExtensionProperties(device, (byte*)null, &extensionCount, p).Check("vkEnumerateDeviceExtensionProperties", Result.Incomplete);
            for (var i = 0; i < extensionCount; i++) extensions.Add(NativeText.Of(p[i].ExtensionName));
        }
        extensions.Sort(StringComparer.Ordinal);

        uint familyCount;
        vk.GetPhysicalDeviceQueueFamilyProperties(device, &familyCount, null);
        var families = new QueueFamilyProperties[familyCount];
        fixed (QueueFamilyProperties* p = families) vk.GetPhysicalDeviceQueueFamilyProperties(device, &familyCount, p);
        var graphics = Array.FindIndex(families, f =>
            (f.QueueFlags & (QueueFlags.GraphicsBit | QueueFlags.ComputeBit)) == (QueueFlags.GraphicsBit | QueueFlags.ComputeBit)
            && f.QueueCount > 0);

        return new GpuDeviceInfo
        {
            Index = index,
            Name = NativeText.Of(properties.DeviceName),
            Kind = properties.DeviceType switch
            {
                PhysicalDeviceType.DiscreteGpu => GpuDeviceKind.Discrete,
                PhysicalDeviceType.IntegratedGpu => GpuDeviceKind.Integrated,
                PhysicalDeviceType.VirtualGpu => GpuDeviceKind.Virtual,
                PhysicalDeviceType.Cpu => GpuDeviceKind.Cpu,
                _ => GpuDeviceKind.Other,
            },
            ApiVersion = apiVersion,
            DriverName = atLeast12 ? NativeText.Of(vk12Properties.DriverName) : "",
            DriverInfo = atLeast12 ? NativeText.Of(vk12Properties.DriverInfo) : "",
            VendorId = properties.VendorID,
            Extensions = extensions,
            Requirements =
            [
                new("Vulkan 1.3", atLeast13),
                new("dynamicRendering", atLeast13 && vk13.DynamicRendering),
                new("synchronization2", atLeast13 && vk13.Synchronization2),
                new("timelineSemaphore", atLeast12 && vk12.TimelineSemaphore),
                new("graphics+compute queue", graphics >= 0),
            ],
            GraphicsQueueFamily = graphics,
            Timestamps = new GpuTimestampSupport(graphics >= 0 ? (int)families[graphics].TimestampValidBits : 0, properties.Limits.TimestampPeriod,
                properties.Limits.TimestampComputeAndGraphics),
            Handle = device,
        };
    }
}

/// <summary>Timestamp queries on a device's graphics queue family.</summary>
/// <param name="ValidBits">The queue family's <c>timestampValidBits</c> (0: no timestamps on it).</param>
/// <param name="PeriodNs">Nanoseconds per tick (<c>VkPhysicalDeviceLimits.timestampPeriod</c>).</param>
/// <param name="ComputeAndGraphics">The limit <c>timestampComputeAndGraphics</c>: every graphics and compute queue writes timestamps.</param>
public readonly record struct GpuTimestampSupport(int ValidBits, double PeriodNs, bool ComputeAndGraphics)
{
    /// <summary>Null when timestamps can be used; otherwise why not.</summary>
    public string? Unsupported => ValidBits == 0 ? "timestampValidBits of the graphics queue family is 0"
        : !ComputeAndGraphics ? "timestampComputeAndGraphics is false"
        : null;

    /// <summary>"64 valid bits, 1 ns per tick" or "unsupported: …".</summary>
    public override string ToString() => Unsupported is null
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ValidBits} valid bits, {PeriodNs:G6} ns per tick")
        : "unsupported: " + Unsupported;
}

/// <summary>Presentation capabilities: offered by a device, or active on a created one.</summary>
/// <param name="Swapchain">VK_KHR_swapchain: windows can be presented to at all.</param>
/// <param name="PresentId">VK_KHR_present_id: presents carry ids.</param>
/// <param name="PresentWait">VK_KHR_present_wait: the CPU can wait until a present id reached the display (lowest tracking-to-photon latency).</param>
/// <param name="PresentBarrier">VK_NV_present_barrier: frame lock across swapchains, GPUs and nodes.</param>
public readonly record struct GpuPresentation(bool Swapchain, bool PresentId, bool PresentWait, bool PresentBarrier)
{
    /// <summary>"swapchain yes, present_id no, present_wait no, present_barrier no".</summary>
    public override string ToString() =>
        $"swapchain {YesNo(Swapchain)}, present_id {YesNo(PresentId)}, present_wait {YesNo(PresentWait)}, present_barrier {YesNo(PresentBarrier)}";

    private static string YesNo(bool value) => value ? "yes" : "no";
}

/// <summary>
/// Chooses the physical device: an explicit request (configuration or <c>STAGE_GPU</c>: an index or a
/// part of the name) wins; otherwise the first suitable device in the order discrete, integrated,
/// virtual, CPU (so lavapipe is the fallback).
/// </summary>
public static class GpuDeviceSelector
{
    /// <summary>The environment variable an operator sets to pick a device.</summary>
    public const string EnvironmentVariable = "STAGE_GPU";

    /// <summary>Chooses a device or throws <see cref="GpuUnavailableException"/> naming what is missing.</summary>
    public static GpuDeviceInfo Select(IReadOnlyList<GpuDeviceInfo> devices, string? request)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (devices.Count == 0) throw new GpuUnavailableException("no Vulkan device found (install a driver; without a GPU, mesa-vulkan-drivers provides lavapipe)");
        if (!string.IsNullOrWhiteSpace(request))
        {
            var wanted = request.Trim();
            var match = int.TryParse(wanted, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                ? devices.FirstOrDefault(d => d.Index == index)
                : devices.FirstOrDefault(d => d.Name.Contains(wanted, StringComparison.OrdinalIgnoreCase));
            if (match is null)
                throw new GpuUnavailableException($"no Vulkan device matches '{wanted}'; devices: {Describe(devices)}");
            if (!match.IsSuitable)
                throw new GpuUnavailableException($"device {match.Index} '{match.Name}' lacks {string.Join(", ", match.Missing)}");
            return match;
        }
        var best = devices.Where(d => d.IsSuitable).OrderBy(d => d.Kind).ThenBy(d => d.Index).FirstOrDefault();
        return best ?? throw new GpuUnavailableException(
            "no Vulkan device has what Stage needs: " + string.Join("; ", devices.Select(d => $"{d.Index} '{d.Name}' lacks {string.Join(", ", d.Missing)}")));
    }

    private static string Describe(IReadOnlyList<GpuDeviceInfo> devices) =>
        string.Join(", ", devices.Select(d => $"{d.Index} '{d.Name}'"));
}
