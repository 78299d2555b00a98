namespace Stage.Vulkan;

/// <summary>VK_KHR_swapchain, and VK_KHR_present_wait where the device enabled it.</summary>
internal sealed unsafe class SwapchainCommands
{
    private const string Extension = "VK_KHR_swapchain";

    /// <summary>Loads the commands once for <paramref name="device"/>; <c>vkWaitForPresentKHR</c> only with <paramref name="presentWait"/>.</summary>
    public SwapchainCommands(Vk vk, Device device, bool presentWait)
    {
        CreateSwapchain = (delegate* unmanaged<Device, SwapchainCreateInfoKHR*, AllocationCallbacks*, SwapchainKHR*, Result>)
            ExtensionCommand.Device(vk, device, "vkCreateSwapchainKHR", Extension);
        DestroySwapchain = (delegate* unmanaged<Device, SwapchainKHR, AllocationCallbacks*, void>)
            ExtensionCommand.Device(vk, device, "vkDestroySwapchainKHR", Extension);
        GetImages = (delegate* unmanaged<Device, SwapchainKHR, uint*, Image*, Result>)
            ExtensionCommand.Device(vk, device, "vkGetSwapchainImagesKHR", Extension);
        AcquireNextImage = (delegate* unmanaged<Device, SwapchainKHR, ulong, VkSemaphore, Fence, uint*, Result>)
            ExtensionCommand.Device(vk, device, "vkAcquireNextImageKHR", Extension);
        QueuePresent = (delegate* unmanaged<Queue, PresentInfoKHR*, Result>)
            ExtensionCommand.Device(vk, device, "vkQueuePresentKHR", Extension);
        if (presentWait)
            WaitForPresent = (delegate* unmanaged<Device, SwapchainKHR, ulong, ulong, Result>)
                ExtensionCommand.Device(vk, device, "vkWaitForPresentKHR", "VK_KHR_present_wait");
    }

    /// <summary>vkCreateSwapchainKHR.</summary>
    public delegate* unmanaged<Device, SwapchainCreateInfoKHR*, AllocationCallbacks*, SwapchainKHR*, Result> CreateSwapchain { get; }

    /// <summary>vkDestroySwapchainKHR.</summary>
    public delegate* unmanaged<Device, SwapchainKHR, AllocationCallbacks*, void> DestroySwapchain { get; }

    /// <summary>vkGetSwapchainImagesKHR.</summary>
    public delegate* unmanaged<Device, SwapchainKHR, uint*, Image*, Result> GetImages { get; }

    /// <summary>vkAcquireNextImageKHR.</summary>
    public delegate* unmanaged<Device, SwapchainKHR, ulong, VkSemaphore, Fence, uint*, Result> AcquireNextImage { get; }

    /// <summary>vkQueuePresentKHR.</summary>
    public delegate* unmanaged<Queue, PresentInfoKHR*, Result> QueuePresent { get; }

    /// <summary>vkWaitForPresentKHR (VK_KHR_present_wait); null when the device did not enable it.</summary>
    public delegate* unmanaged<Device, SwapchainKHR, ulong, ulong, Result> WaitForPresent { get; }
}
