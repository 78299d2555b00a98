namespace Stage.Vulkan;

/// <summary>The names of the Vulkan extensions Stage enables (the served Silk.NET core package does not carry them).</summary>
internal static class ExtensionNames
{
    /// <summary>VK_EXT_debug_utils: the validation messenger.</summary>
    public const string DebugUtils = "VK_EXT_debug_utils";

    /// <summary>VK_KHR_surface: presentable surfaces.</summary>
    public const string Surface = "VK_KHR_surface";

    /// <summary>VK_EXT_headless_surface: a surface without a display.</summary>
    public const string HeadlessSurface = "VK_EXT_headless_surface";

    /// <summary>VK_EXT_swapchain_colorspace: swapchain colour spaces beyond SRGB_NONLINEAR (HDR10 ST 2084).</summary>
    public const string SwapchainColorspace = "VK_EXT_swapchain_colorspace";

    /// <summary>VK_KHR_swapchain: presenting to a surface.</summary>
    public const string Swapchain = "VK_KHR_swapchain";

    /// <summary>VK_KHR_present_id: ids on presents.</summary>
    public const string PresentId = "VK_KHR_present_id";

    /// <summary>VK_KHR_present_wait: waiting until a present id reached the display.</summary>
    public const string PresentWait = "VK_KHR_present_wait";

    /// <summary>VK_NV_present_barrier: frame lock across swapchains.</summary>
    public const string PresentBarrier = "VK_NV_present_barrier";
}
