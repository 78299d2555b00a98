namespace Stage.Vulkan;

/// <summary>VK_EXT_headless_surface: presentation without a display (offered by some loaders and drivers, not Mesa 22.3's).</summary>
internal sealed unsafe class HeadlessSurfaceCommands
{
    /// <summary>Loads the command for <paramref name="instance"/> (the extension must be enabled on it).</summary>
    public HeadlessSurfaceCommands(Vk vk, Instance instance)
    {
        CreateSurface = (delegate* unmanaged<Instance, HeadlessSurfaceCreateInfoEXT*, AllocationCallbacks*, SurfaceKHR*, Result>)
            ExtensionCommand.Instance(vk, instance, "vkCreateHeadlessSurfaceEXT", ExtensionNames.HeadlessSurface);
    }

    /// <summary>vkCreateHeadlessSurfaceEXT.</summary>
    public delegate* unmanaged<Instance, HeadlessSurfaceCreateInfoEXT*, AllocationCallbacks*, SurfaceKHR*, Result> CreateSurface { get; }
}
