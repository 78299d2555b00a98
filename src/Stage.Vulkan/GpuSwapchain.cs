using Stage.Vulkan.Native;

namespace Stage.Vulkan;

/// <summary>
/// A window's Vulkan surface. The window system makes it (GLFW's <c>glfwCreateWindowSurface</c> with
/// <see cref="GpuInstance.NativeHandle"/>); Stage adopts it and destroys it on dispose — after every
/// swapchain made on it, and before the window itself.
/// </summary>
public sealed unsafe class GpuSurface : IDisposable
{
    private readonly GpuInstance _instance;
    private bool _disposed;

    private GpuSurface(GpuInstance instance, VkSurfaceKHR handle)
    {
        _instance = instance;
        Handle = handle;
    }

    internal VkSurfaceKHR Handle { get; }

    /// <summary>Takes ownership of a VkSurfaceKHR made on <paramref name="instance"/>.</summary>
    public static GpuSurface Adopt(GpuInstance instance, ulong surfaceHandle)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (surfaceHandle == 0) throw new ArgumentException("a null surface cannot be adopted", nameof(surfaceHandle));
        if (!instance.SupportsSurfaces) throw new InvalidOperationException("the instance was created without VK_KHR_surface");
        return new GpuSurface(instance, new VkSurfaceKHR(surfaceHandle));
    }

    /// <summary>True when the device's queue can present to this surface.</summary>
    public bool CanPresentFrom(GpuDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        VkBool32 supported;
        _instance.Commands.vkGetPhysicalDeviceSurfaceSupportKHR(device.Info.Handle, (uint)device.Info.GraphicsQueueFamily, Handle, &supported)
            .Check("vkGetPhysicalDeviceSurfaceSupportKHR");
        return supported;
    }

    /// <summary>The present modes the device offers on this surface.</summary>
    public IReadOnlyList<GpuPresentMode> PresentModes(GpuDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        uint count;
        _instance.Commands.vkGetPhysicalDeviceSurfacePresentModesKHR(device.Info.Handle, Handle, &count, null).Check("vkGetPhysicalDeviceSurfacePresentModesKHR");
        var modes = new VkPresentModeKHR[count];
        fixed (VkPresentModeKHR* p = modes)
        {
            _instance.Commands.vkGetPhysicalDeviceSurfacePresentModesKHR(device.Info.Handle, Handle, &count, p)
                .Check("vkGetPhysicalDeviceSurfacePresentModesKHR", VkResult.VK_INCOMPLETE);
        }
        var list = new List<GpuPresentMode>();
        foreach (var mode in modes.Take((int)count))
        {
            if (mode == VkPresentModeKHR.VK_PRESENT_MODE_FIFO_KHR) list.Add(GpuPresentMode.Fifo);
            else if (mode == VkPresentModeKHR.VK_PRESENT_MODE_MAILBOX_KHR) list.Add(GpuPresentMode.Mailbox);
            else if (mode == VkPresentModeKHR.VK_PRESENT_MODE_IMMEDIATE_KHR) list.Add(GpuPresentMode.Immediate);
        }
        return list;
    }

    internal VkSurfaceCapabilitiesKHR Capabilities(GpuDevice device)
    {
        VkSurfaceCapabilitiesKHR capabilities;
        _instance.Commands.vkGetPhysicalDeviceSurfaceCapabilitiesKHR(device.Info.Handle, Handle, &capabilities).Check("vkGetPhysicalDeviceSurfaceCapabilitiesKHR");
        return capabilities;
    }

    internal VkSurfaceFormatKHR[] Formats(GpuDevice device)
    {
        uint count;
        _instance.Commands.vkGetPhysicalDeviceSurfaceFormatsKHR(device.Info.Handle, Handle, &count, null).Check("vkGetPhysicalDeviceSurfaceFormatsKHR");
        var formats = new VkSurfaceFormatKHR[count];
        fixed (VkSurfaceFormatKHR* p = formats)
        {
            _instance.Commands.vkGetPhysicalDeviceSurfaceFormatsKHR(device.Info.Handle, Handle, &count, p)
                .Check("vkGetPhysicalDeviceSurfaceFormatsKHR", VkResult.VK_INCOMPLETE);
        }
        return formats.Take((int)count).ToArray();
    }

    /// <summary>Destroys the surface. Every swapchain on it must have been disposed (and its device idle).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _instance.Commands.vkDestroySurfaceKHR(_instance.Handle, Handle, null);
    }
}

/// <summary>How a swapchain hands images to the display.</summary>
public enum GpuPresentMode
{
    /// <summary>Every image shown, in order, one per refresh, no tearing: the stage's mode (genlocked walls want every frame).</summary>
    Fifo,
    /// <summary>The newest image replaces a waiting one at the next refresh: low latency without tearing, frames may be skipped (rehearsal).</summary>
    Mailbox,
    /// <summary>Shown at once, tearing allowed (rehearsal, measurements).</summary>
    Immediate,
}

/// <summary>How a <see cref="GpuSwapchain"/> is made.</summary>
public sealed record GpuSwapchainOptions
{
    /// <summary>The present mode wanted; FIFO (always offered) when the surface lacks it.</summary>
    public GpuPresentMode PresentMode { get; init; } = GpuPresentMode.Fifo;

    /// <summary>
    /// Ask for the fewest images the surface allows (lowest latency: fewer finished frames can queue
    /// up before the display); false adds one for smoother pacing when rendering is uneven.
    /// </summary>
    public bool FewestImages { get; init; } = true;

    /// <summary>Images may be copied from (reading back what was presented, for tests and checks).</summary>
    public bool AllowReadback { get; init; }

    /// <summary>Join the present barrier (frame lock across outputs and nodes) when the device has VK_NV_present_barrier.</summary>
    public bool PresentBarrier { get; init; } = true;
}

/// <summary>The outcome of <see cref="GpuSwapchain.Acquire"/>.</summary>
public enum GpuAcquireResult
{
    /// <summary>An image is ready to be drawn into.</summary>
    Acquired,
    /// <summary>An image was acquired, but the surface changed: present it, then recreate.</summary>
    Suboptimal,
    /// <summary>No image: the surface changed (resize); recreate before the next frame.</summary>
    OutOfDate,
    /// <summary>No image within the timeout; nothing was signalled.</summary>
    Timeout,
}

/// <summary>The outcome of <see cref="GpuSwapchain.Present"/>.</summary>
public enum GpuPresentResult
{
    /// <summary>Queued for display.</summary>
    Presented,
    /// <summary>Queued, but the surface changed: recreate.</summary>
    Suboptimal,
    /// <summary>Not shown: the surface changed; recreate.</summary>
    OutOfDate,
}

/// <summary>
/// A swapchain on a surface: its images (wrapped as <see cref="GpuImage"/>s with views, so every
/// recording call works on them), acquire and present with their out-of-date / suboptimal outcomes,
/// recreation at a new size keeping the same surface, and present ids / present wait where the
/// device has them active.
/// </summary>
public sealed unsafe class GpuSwapchain : IDisposable
{
    private readonly GpuDevice _device;
    private readonly GpuSurface _surface;
    private readonly GpuSwapchainOptions _options;
    private VkSwapchainKHR _handle;
    private GpuImage[] _images = [];
    private ulong _presentId;
    private bool _disposed;

    /// <summary>Creates a swapchain of <paramref name="width"/> × <paramref name="height"/> (the window's framebuffer size).</summary>
    /// <exception cref="GpuUnavailableException">The device cannot present to the surface, or lacks VK_KHR_swapchain.</exception>
    public GpuSwapchain(GpuDevice device, GpuSurface surface, GpuSwapchainOptions options, uint width, uint height)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(surface);
        ArgumentNullException.ThrowIfNull(options);
        if (!device.Presentation.Swapchain)
            throw new GpuUnavailableException($"device '{device.Info.Name}' has no VK_KHR_swapchain enabled (create the instance with the window system's extensions)");
        if (!surface.CanPresentFrom(device))
            throw new GpuUnavailableException($"device '{device.Info.Name}' cannot present to this window's surface from queue family {device.Info.GraphicsQueueFamily}");
        _device = device;
        _surface = surface;
        _options = options;
        var modes = surface.PresentModes(device);
        PresentMode = modes.Contains(options.PresentMode) ? options.PresentMode : GpuPresentMode.Fifo;
        var formats = surface.Formats(device);
        // 8-bit sRGB: the canvases are sRGB-encoded, and a blit from an sRGB image into an sRGB swapchain keeps each value.
        var chosen = formats.FirstOrDefault(f => f.format == VkFormat.VK_FORMAT_B8G8R8A8_SRGB && f.colorSpace == VkColorSpaceKHR.VK_COLOR_SPACE_SRGB_NONLINEAR_KHR);
        if (chosen.format == VkFormat.VK_FORMAT_UNDEFINED)
            chosen = formats.FirstOrDefault(f => f.format == VkFormat.VK_FORMAT_R8G8B8A8_SRGB && f.colorSpace == VkColorSpaceKHR.VK_COLOR_SPACE_SRGB_NONLINEAR_KHR);
        if (chosen.format == VkFormat.VK_FORMAT_UNDEFINED) chosen = formats.Length > 0 ? formats[0] : throw new GpuUnavailableException("the surface offers no format");
        Format = chosen.format;
        ColorSpace = chosen.colorSpace;
        Build(width, height);
    }

    /// <summary>The image format (B8G8R8A8_SRGB where offered).</summary>
    public VkFormat Format { get; }

    /// <summary>The colour space of the images.</summary>
    public VkColorSpaceKHR ColorSpace { get; }

    /// <summary>The present mode in use (the one asked for, or FIFO when the surface lacks it).</summary>
    public GpuPresentMode PresentMode { get; }

    /// <summary>Current image width in pixels (0 while the window is minimised).</summary>
    public uint Width { get; private set; }

    /// <summary>Current image height in pixels (0 while the window is minimised).</summary>
    public uint Height { get; private set; }

    /// <summary>The swapchain's images, usable as colour attachments and blit/copy targets (and sources with readback).</summary>
    public IReadOnlyList<GpuImage> Images => _images;

    /// <summary>Times the swapchain was recreated (resize, out of date).</summary>
    public int Recreations { get; private set; }

    /// <summary>True while there are images (false while the window has no area, e.g. minimised).</summary>
    public bool IsUsable => !_handle.IsNull;

    /// <summary>True when presents carry ids and <see cref="WaitForPresent"/> waits for the display (VK_KHR_present_id + present_wait active).</summary>
    public bool UsesPresentWait => _device.Presentation.PresentWait;

    /// <summary>True when the swapchain joined the present barrier (VK_NV_present_barrier).</summary>
    public bool UsesPresentBarrier => _device.Presentation.PresentBarrier && _options.PresentBarrier;

    /// <summary>The id given to the last present (0 before the first, or without present id).</summary>
    public ulong LastPresentId => _presentId;

    /// <summary>
    /// Makes a new swapchain at the window's new size, handing the old one over (so the display keeps the
    /// last image meanwhile). Waits for the device first: a resize is rare and must not race a frame in flight.
    /// </summary>
    public void Recreate(uint width, uint height)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _device.WaitIdle();
        Build(width, height);
        Recreations++;
    }

    private void Build(uint width, uint height)
    {
        var capabilities = _surface.Capabilities(_device);
        // 0xFFFFFFFF: the surface takes whatever size the swapchain has (the window follows).
        var extent = capabilities.currentExtent.width != uint.MaxValue
            ? capabilities.currentExtent
            : new VkExtent2D
            {
                width = Math.Clamp(width, capabilities.minImageExtent.width, capabilities.maxImageExtent.width),
                height = Math.Clamp(height, capabilities.minImageExtent.height, capabilities.maxImageExtent.height),
            };
        var old = _handle;
        foreach (var image in _images) image.Dispose();
        _images = [];
        if (extent.width == 0 || extent.height == 0)
        {
            // Minimised: no swapchain can have no area. Frames are skipped until the window has one again.
            if (!old.IsNull) _device.Commands.vkDestroySwapchainKHR(_device.Handle, old, null);
            _handle = VkSwapchainKHR.Null;
            Width = Height = 0;
            return;
        }
        var imageCount = Math.Max(2u, capabilities.minImageCount + (_options.FewestImages ? 0u : 1u));
        if (capabilities.maxImageCount != 0) imageCount = Math.Min(imageCount, capabilities.maxImageCount);
        var usage = VkImageUsageFlags.VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VkImageUsageFlags.VK_IMAGE_USAGE_TRANSFER_DST_BIT;
        if (_options.AllowReadback) usage |= VkImageUsageFlags.VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
        if ((capabilities.supportedUsageFlags & usage) != usage)
            throw new GpuUnavailableException($"the surface's images do not allow {usage & ~capabilities.supportedUsageFlags}");
        var alpha = (capabilities.supportedCompositeAlpha & VkCompositeAlphaFlagsKHR.VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR) != 0
            ? VkCompositeAlphaFlagsKHR.VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR
            : (VkCompositeAlphaFlagsKHR)((uint)capabilities.supportedCompositeAlpha & (uint)-(int)capabilities.supportedCompositeAlpha);
        var barrier = new VkSwapchainPresentBarrierCreateInfoNV { presentBarrierEnable = true };
        var info = new VkSwapchainCreateInfoKHR
        {
            pNext = UsesPresentBarrier ? &barrier : null,
            surface = _surface.Handle,
            minImageCount = imageCount,
            imageFormat = Format,
            imageColorSpace = ColorSpace,
            imageExtent = extent,
            imageArrayLayers = 1,
            imageUsage = usage,
            imageSharingMode = VkSharingMode.VK_SHARING_MODE_EXCLUSIVE,
            preTransform = capabilities.currentTransform,
            compositeAlpha = alpha,
            presentMode = PresentMode switch
            {
                GpuPresentMode.Mailbox => VkPresentModeKHR.VK_PRESENT_MODE_MAILBOX_KHR,
                GpuPresentMode.Immediate => VkPresentModeKHR.VK_PRESENT_MODE_IMMEDIATE_KHR,
                _ => VkPresentModeKHR.VK_PRESENT_MODE_FIFO_KHR,
            },
            clipped = true,
            oldSwapchain = old,
        };
        VkSwapchainKHR swapchain;
        var result = _device.Commands.vkCreateSwapchainKHR(_device.Handle, &info, null, &swapchain);
        if (!old.IsNull) _device.Commands.vkDestroySwapchainKHR(_device.Handle, old, null);
        _handle = VkSwapchainKHR.Null;
        result.Check("vkCreateSwapchainKHR");
        _handle = swapchain;
        uint count;
        _device.Commands.vkGetSwapchainImagesKHR(_device.Handle, swapchain, &count, null).Check("vkGetSwapchainImagesKHR");
        var handles = new VkImage[count];
        fixed (VkImage* p = handles) _device.Commands.vkGetSwapchainImagesKHR(_device.Handle, swapchain, &count, p).Check("vkGetSwapchainImagesKHR", VkResult.VK_INCOMPLETE);
        _images = handles.Take((int)count).Select(h => new GpuImage(_device, h, extent.width, extent.height, Format, withView: true)).ToArray();
        Width = extent.width;
        Height = extent.height;
    }

    /// <summary>
    /// Acquires the next image; <paramref name="signal"/> is signalled when it may be written. Out of
    /// date and timeout signal nothing (the semaphore stays free for the next try).
    /// </summary>
    public GpuAcquireResult Acquire(GpuSemaphore signal, TimeSpan timeout, out int imageIndex)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(signal);
        imageIndex = -1;
        if (_handle.IsNull) return GpuAcquireResult.OutOfDate;
        uint index;
        var timeoutNs = (ulong)Math.Max(0, timeout.Ticks) * 100;
        var result = _device.Commands.vkAcquireNextImageKHR(_device.Handle, _handle, timeoutNs, signal.Handle, VkFence.Null, &index);
        switch (result)
        {
            case VkResult.VK_SUCCESS:
                imageIndex = (int)index;
                return GpuAcquireResult.Acquired;
            case VkResult.VK_SUBOPTIMAL_KHR:
                imageIndex = (int)index;
                return GpuAcquireResult.Suboptimal;
            case VkResult.VK_ERROR_OUT_OF_DATE_KHR:
                return GpuAcquireResult.OutOfDate;
            case VkResult.VK_TIMEOUT:
            case VkResult.VK_NOT_READY:
                return GpuAcquireResult.Timeout;
            default:
                throw new VulkanException("vkAcquireNextImageKHR", result);
        }
    }

    /// <summary>
    /// Queues image <paramref name="imageIndex"/> for display once <paramref name="wait"/> is signalled
    /// (by the submission that drew it). With present id active, the present gets the next id (<see cref="LastPresentId"/>).
    /// </summary>
    public GpuPresentResult Present(int imageIndex, GpuSemaphore wait)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(wait);
        var swapchain = _handle;
        var index = (uint)imageIndex;
        var semaphore = wait.Handle;
        var id = _presentId + 1;
        var presentId = new VkPresentIdKHR { swapchainCount = 1, pPresentIds = &id };
        var info = new VkPresentInfoKHR
        {
            pNext = _device.Presentation.PresentId ? &presentId : null,
            waitSemaphoreCount = 1,
            pWaitSemaphores = &semaphore,
            swapchainCount = 1,
            pSwapchains = &swapchain,
            pImageIndices = &index,
        };
        var result = _device.Commands.vkQueuePresentKHR(_device.Queue, &info);
        if (_device.Presentation.PresentId && result is VkResult.VK_SUCCESS or VkResult.VK_SUBOPTIMAL_KHR) _presentId = id;
        return result switch
        {
            VkResult.VK_SUCCESS => GpuPresentResult.Presented,
            VkResult.VK_SUBOPTIMAL_KHR => GpuPresentResult.Suboptimal,
            VkResult.VK_ERROR_OUT_OF_DATE_KHR => GpuPresentResult.OutOfDate,
            _ => throw new VulkanException("vkQueuePresentKHR", result),
        };
    }

    /// <summary>
    /// Waits until present <paramref name="presentId"/> has reached the display (VK_KHR_present_wait).
    /// Returns false when present wait is not active, the id is 0, or the timeout passed.
    /// </summary>
    public bool WaitForPresent(ulong presentId, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!UsesPresentWait || presentId == 0 || _handle.IsNull) return false;
        var result = _device.Commands.vkWaitForPresentKHR(_device.Handle, _handle, presentId, (ulong)Math.Max(0, timeout.Ticks) * 100);
        return result switch
        {
            VkResult.VK_SUCCESS or VkResult.VK_SUBOPTIMAL_KHR => true,
            VkResult.VK_TIMEOUT or VkResult.VK_ERROR_OUT_OF_DATE_KHR => false,
            _ => throw new VulkanException("vkWaitForPresentKHR", result),
        };
    }

    /// <summary>Waits for the device, then destroys the images' views and the swapchain. Dispose before the surface.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _device.WaitIdle();
        foreach (var image in _images) image.Dispose();
        _images = [];
        _device.CollectRetired();
        if (!_handle.IsNull) _device.Commands.vkDestroySwapchainKHR(_device.Handle, _handle, null);
        _handle = VkSwapchainKHR.Null;
    }
}
