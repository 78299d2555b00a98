namespace Stage.Vulkan;

/// <summary>VK_KHR_surface: what a surface offers a device, and its destruction.</summary>
internal sealed unsafe class SurfaceCommands
{
    private const string Extension = "VK_KHR_surface";

    /// <summary>Loads the commands once for <paramref name="instance"/> (the extension must be enabled on it).</summary>
    public SurfaceCommands(Vk vk, Instance instance)
    {
        DestroySurface = (delegate* unmanaged<Instance, SurfaceKHR, AllocationCallbacks*, void>)
            ExtensionCommand.Instance(vk, instance, "vkDestroySurfaceKHR", Extension);
        GetSupport = (delegate* unmanaged<PhysicalDevice, uint, SurfaceKHR, Bool32*, Result>)
            ExtensionCommand.Instance(vk, instance, "vkGetPhysicalDeviceSurfaceSupportKHR", Extension);
        GetCapabilities = (delegate* unmanaged<PhysicalDevice, SurfaceKHR, SurfaceCapabilitiesKHR*, Result>)
            ExtensionCommand.Instance(vk, instance, "vkGetPhysicalDeviceSurfaceCapabilitiesKHR", Extension);
        GetFormats = (delegate* unmanaged<PhysicalDevice, SurfaceKHR, uint*, SurfaceFormatKHR*, Result>)
            ExtensionCommand.Instance(vk, instance, "vkGetPhysicalDeviceSurfaceFormatsKHR", Extension);
        GetPresentModes = (delegate* unmanaged<PhysicalDevice, SurfaceKHR, uint*, PresentModeKHR*, Result>)
            ExtensionCommand.Instance(vk, instance, "vkGetPhysicalDeviceSurfacePresentModesKHR", Extension);
    }

    /// <summary>vkDestroySurfaceKHR.</summary>
    public delegate* unmanaged<Instance, SurfaceKHR, AllocationCallbacks*, void> DestroySurface { get; }

    /// <summary>vkGetPhysicalDeviceSurfaceSupportKHR.</summary>
    public delegate* unmanaged<PhysicalDevice, uint, SurfaceKHR, Bool32*, Result> GetSupport { get; }

    /// <summary>vkGetPhysicalDeviceSurfaceCapabilitiesKHR.</summary>
    public delegate* unmanaged<PhysicalDevice, SurfaceKHR, SurfaceCapabilitiesKHR*, Result> GetCapabilities { get; }

    /// <summary>vkGetPhysicalDeviceSurfaceFormatsKHR.</summary>
    public delegate* unmanaged<PhysicalDevice, SurfaceKHR, uint*, SurfaceFormatKHR*, Result> GetFormats { get; }

    /// <summary>vkGetPhysicalDeviceSurfacePresentModesKHR.</summary>
    public delegate* unmanaged<PhysicalDevice, SurfaceKHR, uint*, PresentModeKHR*, Result> GetPresentModes { get; }
}
