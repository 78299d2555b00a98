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

    private GpuSurface(GpuInstance instance, SurfaceKHR handle)
    {
        _instance = instance;
        Handle = handle;
    }

    internal SurfaceKHR Handle { get; }

    /// <summary>VK_KHR_surface's commands (the instance was made with surfaces, or no surface could exist).</summary>
    private SurfaceCommands Surfaces => _instance.Surfaces ?? throw new InvalidOperationException("the instance was created without VK_KHR_surface");

    /// <summary>
    /// The instance extensions a headless surface needs (VK_KHR_surface, VK_EXT_headless_surface): pass them in
    /// <see cref="GpuInstanceOptions.Extensions"/> to use <see cref="CreateHeadless"/>.
    /// </summary>
    public static IReadOnlyList<string> HeadlessExtensions { get; } = [ExtensionNames.Surface, ExtensionNames.HeadlessSurface];

    /// <summary>
    /// A surface with no display (VK_EXT_headless_surface): the whole presentation path — swapchain, acquire, present,
    /// present id / wait where offered — without a window system, as a render node without monitors or a GPU test machine
    /// runs it. The instance must have been created with <see cref="HeadlessExtensions"/>.
    /// </summary>
    /// <exception cref="GpuUnavailableException">The instance was created without VK_EXT_headless_surface (the loader must offer it).</exception>
    public static GpuSurface CreateHeadless(GpuInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!instance.EnabledExtensions.Contains(ExtensionNames.HeadlessSurface) || !instance.SupportsSurfaces)
            throw new GpuUnavailableException($"a headless surface needs the instance extensions {string.Join(" and ", HeadlessExtensions)} (the loader lists what it offers in 'vulkaninfo')");
        var commands = new HeadlessSurfaceCommands(instance.Vk, instance.Handle);
        var info = new HeadlessSurfaceCreateInfoEXT(pNext: null);
        SurfaceKHR surface;
        commands.CreateSurface(instance.Handle, &info, null, &surface).Check("vkCreateHeadlessSurfaceEXT");
        return new GpuSurface(instance, surface);
    }

    /// <summary>Takes ownership of a SurfaceKHR made on <paramref name="instance"/>.</summary>
    public static GpuSurface Adopt(GpuInstance instance, ulong surfaceHandle)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (surfaceHandle == 0) throw new ArgumentException("a null surface cannot be adopted", nameof(surfaceHandle));
        if (!instance.SupportsSurfaces) throw new InvalidOperationException("the instance was created without VK_KHR_surface");
        return new GpuSurface(instance, new SurfaceKHR(surfaceHandle));
    }

    /// <summary>True when the device's queue can present to this surface.</summary>
    public bool CanPresentFrom(GpuDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Bool32 supported;
        Surfaces.GetSupport(device.Info.Handle, (uint)device.Info.GraphicsQueueFamily, Handle, &supported)
            .Check("vkGetPhysicalDeviceSurfaceSupportKHR");
        return supported;
    }

    /// <summary>The present modes the device offers on this surface.</summary>
    public IReadOnlyList<GpuPresentMode> PresentModes(GpuDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        uint count;
        Surfaces.GetPresentModes(device.Info.Handle, Handle, &count, null).Check("vkGetPhysicalDeviceSurfacePresentModesKHR");
        var modes = new PresentModeKHR[count];
        fixed (PresentModeKHR* p = modes)
        {
            Surfaces.GetPresentModes(device.Info.Handle, Handle, &count, p)
                .Check("vkGetPhysicalDeviceSurfacePresentModesKHR", Result.Incomplete);
        }
        var list = new List<GpuPresentMode>();
        foreach (var mode in modes.Take((int)count))
        {
            if (mode == PresentModeKHR.FifoKhr) list.Add(GpuPresentMode.Fifo);
            else if (mode == PresentModeKHR.MailboxKhr) list.Add(GpuPresentMode.Mailbox);
            else if (mode == PresentModeKHR.ImmediateKhr) list.Add(GpuPresentMode.Immediate);
        }
        return list;
    }

    internal SurfaceCapabilitiesKHR Capabilities(GpuDevice device)
    {
        SurfaceCapabilitiesKHR capabilities;
        Surfaces.GetCapabilities(device.Info.Handle, Handle, &capabilities).Check("vkGetPhysicalDeviceSurfaceCapabilitiesKHR");
        return capabilities;
    }

    internal SurfaceFormatKHR[] Formats(GpuDevice device) => Formats(device.Info.Handle);

    /// <summary>The formats and colour spaces <paramref name="device"/> offers for swapchains on this surface (<c>stage gpu info</c>).</summary>
    public IReadOnlyList<SurfaceFormatKHR> Formats(GpuDeviceInfo device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Formats(device.Handle);
    }

    private SurfaceFormatKHR[] Formats(PhysicalDevice physical)
    {
        uint count;
        Surfaces.GetFormats(physical, Handle, &count, null).Check("vkGetPhysicalDeviceSurfaceFormatsKHR");
        var formats = new SurfaceFormatKHR[count];
        fixed (SurfaceFormatKHR* p = formats)
        {
            Surfaces.GetFormats(physical, Handle, &count, p)
                .Check("vkGetPhysicalDeviceSurfaceFormatsKHR", Result.Incomplete);
        }
        return formats.Take((int)count).ToArray();
    }

    /// <summary>Destroys the surface. Every swapchain on it must have been disposed (and its device idle).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Surfaces.DestroySurface(_instance.Handle, Handle, null);
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

    /// <summary>What the canvas shown holds (8-bit sRGB, or code values of a bit depth and transfer): picks the format and colour space.</summary>
    public GpuSwapchainFormatRequest Formats { get; init; } = GpuSwapchainFormatRequest.Srgb8;

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

    /// <summary>VK_KHR_swapchain's commands (a swapchain is only made on a device that enabled it).</summary>
    private SwapchainCommands Swapchains => _device.Swapchains ?? throw new InvalidOperationException("the device was created without VK_KHR_swapchain");
    private readonly GpuSwapchainOptions _options;
    private SwapchainKHR _handle;
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
        OfferedFormats = surface.Formats(device);
        // An 8-bit sRGB canvas through an sRGB swapchain, code values through a UNORM one (10-bit, HDR10 for PQ, where offered):
        // the blit or the compose pass then writes every value as the canvas holds it (GpuSwapchainFormat.Choose).
        // The canvas reaches the image by a blit, or by a draw where the device cannot blit into the format (lavapipe cannot
        // blit into A2R10G10B10) or where the compose pass draws straight in.
        Choice = GpuSwapchainFormat.Choose(OfferedFormats, options.Formats,
            format => (Features(device, format) & (FormatFeatureFlags.BlitDstBit | FormatFeatureFlags.ColorAttachmentBit)) != 0);
        Format = Choice.Format;
        CanBlitInto = (Features(device, Format) & FormatFeatureFlags.BlitDstBit) != 0;
        ColorSpace = Choice.ColorSpace;
        Build(width, height);
    }

    /// <summary>
    /// Whether the device can blit into the swapchain's format (<c>FORMAT_FEATURE_BLIT_DST</c>); where it cannot, a canvas
    /// not composed straight into the image is drawn in (the window's copy pass).
    /// </summary>
    public bool CanBlitInto { get; }

    private static FormatFeatureFlags Features(GpuDevice device, Format format)
    {
        FormatProperties properties;
        device.Instance.Vk.GetPhysicalDeviceFormatProperties(device.Info.Handle, format, &properties);
        return properties.OptimalTilingFeatures;
    }

    /// <summary>The formats and colour spaces the surface offered.</summary>
    public IReadOnlyList<SurfaceFormatKHR> OfferedFormats { get; }

    /// <summary>The format and colour space chosen, and why.</summary>
    public GpuSwapchainFormat Choice { get; }

    /// <summary>The image format (see <see cref="Choice"/>).</summary>
    public Format Format { get; }

    /// <summary>The colour space of the images.</summary>
    public ColorSpaceKHR ColorSpace { get; }

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
    public bool IsUsable => _handle.Handle != 0;

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
        var extent = capabilities.CurrentExtent.Width != uint.MaxValue
            ? capabilities.CurrentExtent
            : new Extent2D(width: Math.Clamp(width, capabilities.MinImageExtent.Width, capabilities.MaxImageExtent.Width), height: Math.Clamp(height, capabilities.MinImageExtent.Height, capabilities.MaxImageExtent.Height));
        var old = _handle;
        foreach (var image in _images) image.Dispose();
        _images = [];
        if (extent.Width == 0 || extent.Height == 0)
        {
            // Minimised: no swapchain can have no area. Frames are skipped until the window has one again.
            if (old.Handle != 0) Swapchains.DestroySwapchain(_device.Handle, old, null);
            _handle = default(SwapchainKHR);
            Width = Height = 0;
            return;
        }
        var imageCount = Math.Max(2u, capabilities.MinImageCount + (_options.FewestImages ? 0u : 1u));
        if (capabilities.MaxImageCount != 0) imageCount = Math.Min(imageCount, capabilities.MaxImageCount);
        var usage = ImageUsageFlags.ColorAttachmentBit | ImageUsageFlags.TransferDstBit;
        if (_options.AllowReadback) usage |= ImageUsageFlags.TransferSrcBit;
        if ((capabilities.SupportedUsageFlags & usage) != usage)
            throw new GpuUnavailableException($"the surface's images do not allow {usage & ~capabilities.SupportedUsageFlags}");
        var alpha = (capabilities.SupportedCompositeAlpha & CompositeAlphaFlagsKHR.OpaqueBitKhr) != 0
            ? CompositeAlphaFlagsKHR.OpaqueBitKhr
            : (CompositeAlphaFlagsKHR)((uint)capabilities.SupportedCompositeAlpha & (uint)-(int)capabilities.SupportedCompositeAlpha);
        var barrier = new SwapchainPresentBarrierCreateInfoNV(presentBarrierEnable: true);
        var presentMode = PresentMode switch
        {
            GpuPresentMode.Mailbox => PresentModeKHR.MailboxKhr,
            GpuPresentMode.Immediate => PresentModeKHR.ImmediateKhr,
            _ => PresentModeKHR.FifoKhr,
        };
        var info = new SwapchainCreateInfoKHR(pNext: UsesPresentBarrier ? &barrier : null, surface: _surface.Handle, minImageCount: imageCount,
            imageFormat: Format, imageColorSpace: ColorSpace, imageExtent: extent, imageArrayLayers: 1, imageUsage: usage,
            imageSharingMode: SharingMode.Exclusive, preTransform: capabilities.CurrentTransform, compositeAlpha: alpha,
            presentMode: presentMode, clipped: true, oldSwapchain: old);
        SwapchainKHR swapchain;
        var result = Swapchains.CreateSwapchain(_device.Handle, &info, null, &swapchain);
        if (old.Handle != 0) Swapchains.DestroySwapchain(_device.Handle, old, null);
        _handle = default(SwapchainKHR);
        result.Check("vkCreateSwapchainKHR");
        _handle = swapchain;
        uint count;
        Swapchains.GetImages(_device.Handle, swapchain, &count, null).Check("vkGetSwapchainImagesKHR");
        var handles = new Image[count];
        fixed (Image* p = handles) Swapchains.GetImages(_device.Handle, swapchain, &count, p).Check("vkGetSwapchainImagesKHR", Result.Incomplete);
        _images = handles.Take((int)count).Select(h => new GpuImage(_device, h, extent.Width, extent.Height, Format, withView: true)).ToArray();
        Width = extent.Width;
        Height = extent.Height;
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
        if (_handle.Handle == 0) return GpuAcquireResult.OutOfDate;
        uint index;
        var timeoutNs = (ulong)Math.Max(0, timeout.Ticks) * 100;
        var result = Swapchains.AcquireNextImage(_device.Handle, _handle, timeoutNs, signal.Handle, default(Fence), &index);
        switch (result)
        {
            case Result.Success:
                imageIndex = (int)index;
                return GpuAcquireResult.Acquired;
            case Result.SuboptimalKhr:
                imageIndex = (int)index;
                return GpuAcquireResult.Suboptimal;
            case Result.ErrorOutOfDateKhr:
                return GpuAcquireResult.OutOfDate;
            case Result.Timeout:
            case Result.NotReady:
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
        var presentId = new PresentIdKHR(swapchainCount: 1, pPresentIds: &id);
        var info = new PresentInfoKHR(pNext: _device.Presentation.PresentId ? &presentId : null, waitSemaphoreCount: 1, pWaitSemaphores: &semaphore, swapchainCount: 1, pSwapchains: &swapchain, pImageIndices: &index);
        var result = Swapchains.QueuePresent(_device.Queue, &info);
        if (_device.Presentation.PresentId && result is Result.Success or Result.SuboptimalKhr) _presentId = id;
        return result switch
        {
            Result.Success => GpuPresentResult.Presented,
            Result.SuboptimalKhr => GpuPresentResult.Suboptimal,
            Result.ErrorOutOfDateKhr => GpuPresentResult.OutOfDate,
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
        if (!UsesPresentWait || presentId == 0 || _handle.Handle == 0) return false;
        var result = Swapchains.WaitForPresent(_device.Handle, _handle, presentId, (ulong)Math.Max(0, timeout.Ticks) * 100);
        return result switch
        {
            Result.Success or Result.SuboptimalKhr => true,
            Result.Timeout or Result.ErrorOutOfDateKhr => false,
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
        if (_handle.Handle != 0) Swapchains.DestroySwapchain(_device.Handle, _handle, null);
        _handle = default(SwapchainKHR);
    }
}
