namespace Stage.Vulkan;

/// <summary>
/// A logical Vulkan 1.3 device with one graphics+compute queue, its memory allocator and a timeline
/// semaphore that numbers every submission. Objects disposed while the GPU may still use them are
/// destroyed only once the submissions in flight at that moment have completed.
/// </summary>
public sealed unsafe class GpuDevice : IDisposable
{
    private readonly VkSemaphore _timeline;
    private readonly Queue<(ulong Submission, Action Destroy)> _retired = new();
    private readonly Lock _lock = new();
    private ulong _submitted;
    private bool _disposed;

    private GpuDevice(GpuInstance instance, GpuDeviceInfo info, Device handle, Vk vk, Queue queue, GpuPresentation presentation, bool samplerAnisotropy)
    {
        SamplerAnisotropy = samplerAnisotropy;
        Presentation = presentation;
        Instance = instance;
        Info = info;
        Handle = handle;
        Vk = vk;
        Queue = queue;
        // Loaded once, here: a missing command is named now, not as a null call later.
        Swapchains = presentation.Swapchain ? new SwapchainCommands(vk, handle, presentation.PresentWait) : null;
        PhysicalDeviceMemoryProperties memory;
        PhysicalDeviceProperties properties;
        instance.Vk.GetPhysicalDeviceMemoryProperties(info.Handle, &memory);
        instance.Vk.GetPhysicalDeviceProperties(info.Handle, &properties);
        Limits = properties.Limits;
        Memory = new GpuMemoryAllocator(this, memory, properties.Limits);
        var timelineType = new SemaphoreTypeCreateInfo(semaphoreType: SemaphoreType.Timeline, initialValue: 0);
        var semaphoreInfo = new SemaphoreCreateInfo(pNext: &timelineType);
        VkSemaphore timeline;
        Vk.CreateSemaphore(Handle, &semaphoreInfo, null, &timeline).Check("vkCreateSemaphore");
        _timeline = timeline;
    }

    /// <summary>True when anisotropic filtering is enabled (the device offers <c>samplerAnisotropy</c>); the most it allows is <see cref="Limits"/>.MaxSamplerAnisotropy.</summary>
    public bool SamplerAnisotropy { get; }

    /// <summary>The instance this device belongs to.</summary>
    public GpuInstance Instance { get; }

    /// <summary>The physical device.</summary>
    public GpuDeviceInfo Info { get; }

    /// <summary>The device's limits.</summary>
    internal PhysicalDeviceLimits Limits { get; }

    /// <summary>The device handle.</summary>
    internal Device Handle { get; }

    /// <summary>
    /// The sample counts this device offers for a multisampled colour attachment of <paramref name="colorFormat"/> drawn
    /// with a depth attachment of <paramref name="depthFormat"/> (the framebuffer limits and both formats' optimal-tiling image properties).
    /// </summary>
    public SampleCountFlags AttachmentSampleCounts(Format colorFormat, Format depthFormat)
    {
        SampleCountFlags counts = Limits.FramebufferColorSampleCounts & Limits.FramebufferDepthSampleCounts;
        ImageFormatProperties color, depth;
        Instance.Vk.GetPhysicalDeviceImageFormatProperties(Info.Handle, colorFormat, ImageType.Type2D, ImageTiling.Optimal,
            ImageUsageFlags.ColorAttachmentBit, 0, &color).Check("vkGetPhysicalDeviceImageFormatProperties");
        Instance.Vk.GetPhysicalDeviceImageFormatProperties(Info.Handle, depthFormat, ImageType.Type2D, ImageTiling.Optimal,
            ImageUsageFlags.DepthStencilAttachmentBit, 0, &depth).Check("vkGetPhysicalDeviceImageFormatProperties");
        return counts & color.SampleCounts & depth.SampleCounts;
    }

    /// <summary>Device-level commands (Silk.NET's <see cref="Silk.NET.Vulkan.Vk"/>, bound to this device and its instance).</summary>
    internal Vk Vk { get; }

    /// <summary>VK_KHR_swapchain's (and VK_KHR_present_wait's) commands, when presentation is enabled.</summary>
    internal SwapchainCommands? Swapchains { get; }

    /// <summary>The graphics+compute+transfer queue.</summary>
    internal Queue Queue { get; }

    /// <summary>
    /// The presentation extensions enabled on this device: VK_KHR_swapchain when the instance can make
    /// surfaces and the device offers it; present id / present wait / present barrier when their features are offered too.
    /// </summary>
    public GpuPresentation Presentation { get; }

    /// <summary>Whether fragment shaders may write storage buffers and use atomics (enabled where the device offers it).</summary>
    public bool FragmentStoresAndAtomics { get; private set; }

    /// <summary>The sub-allocator every buffer and image takes its memory from.</summary>
    public GpuMemoryAllocator Memory { get; }

    /// <summary>The number of the last submission.</summary>
    public ulong LastSubmission => _submitted;

    /// <summary>Creates the logical device on a chosen physical device, enabling what Stage needs.</summary>
    internal static GpuDevice Create(GpuInstance instance, GpuDeviceInfo info)
    {
        if (!info.IsSuitable) throw new GpuUnavailableException($"device {info.Index} '{info.Name}' lacks {string.Join(", ", info.Missing)}");
        var priority = 1.0f;
        var queueInfo = new DeviceQueueCreateInfo(queueFamilyIndex: (uint)info.GraphicsQueueFamily, queueCount: 1, pQueuePriorities: &priority);
        var vk12 = new PhysicalDeviceVulkan12Features(timelineSemaphore: true);
        var vk13Only = new PhysicalDeviceVulkan13Features(pNext: &vk12, dynamicRendering: true, synchronization2: true);
        // Where the device offers them: fragment-shader atomics (the compose pass's out-of-gamut and over-peak counters) and
        // anisotropic filtering (textures of receding surfaces stay sharp); core features travel in PhysicalDeviceFeatures2
        // at the head of the chain.
        PhysicalDeviceFeatures offeredCore;
        instance.Vk.GetPhysicalDeviceFeatures(info.Handle, &offeredCore);
        var features = new PhysicalDeviceFeatures2(pNext: &vk13Only, features: new PhysicalDeviceFeatures(
            fragmentStoresAndAtomics: offeredCore.FragmentStoresAndAtomics, samplerAnisotropy: offeredCore.SamplerAnisotropy));

        // Presentation: only when the instance can make surfaces (a window output); each extension is
        // enabled only with its feature, so a driver that lists an extension but not the feature is not asked for it.
        var offered = info.PresentationOffered;
        var presentId = new PhysicalDevicePresentIdFeaturesKHR(pNext: null);
        var presentWait = new PhysicalDevicePresentWaitFeaturesKHR(pNext: null);
        var presentBarrier = new PhysicalDevicePresentBarrierFeaturesNV(pNext: null);
        var presentation = new GpuPresentation(false, false, false, false);
        var extensions = new List<string>();
        if (instance.SupportsSurfaces && offered.Swapchain)
        {
            // Query only the structs of offered extensions (the validation layer refuses others in the chain).
            void* query = null;
            if (offered.PresentId) { presentId.PNext = query; query = &presentId; }
            if (offered.PresentWait) { presentWait.PNext = query; query = &presentWait; }
            if (offered.PresentBarrier) { presentBarrier.PNext = query; query = &presentBarrier; }
            if (query is not null)
            {
                var features2 = new PhysicalDeviceFeatures2(pNext: query);
                instance.Vk.GetPhysicalDeviceFeatures2(info.Handle, &features2);
            }
            bool id = offered.PresentId && presentId.PresentId, wait = id && offered.PresentWait && presentWait.PresentWait;
            bool barrier = offered.PresentBarrier && presentBarrier.PresentBarrier;
            presentation = new GpuPresentation(true, id, wait, barrier);
            extensions.Add(ExtensionNames.Swapchain);
            if (id) extensions.Add(ExtensionNames.PresentId);
            if (wait) extensions.Add(ExtensionNames.PresentWait);
            if (barrier) extensions.Add(ExtensionNames.PresentBarrier);
            // Enable exactly what is used: the chain carries only the features of enabled extensions.
            presentId = new PhysicalDevicePresentIdFeaturesKHR(presentId: id);
            presentWait = new PhysicalDevicePresentWaitFeaturesKHR(presentWait: wait);
            presentBarrier = new PhysicalDevicePresentBarrierFeaturesNV(presentBarrier: barrier);
            void* chain = &features;
            if (id) { presentId.PNext = chain; chain = &presentId; }
            if (wait) { presentWait.PNext = chain; chain = &presentWait; }
            if (barrier) { presentBarrier.PNext = chain; chain = &presentBarrier; }
            GpuDevice presenting = CreateWith(instance, info, &queueInfo, chain, extensions, presentation, offeredCore.SamplerAnisotropy);
            presenting.FragmentStoresAndAtomics = offeredCore.FragmentStoresAndAtomics;
            return presenting;
        }
        GpuDevice device = CreateWith(instance, info, &queueInfo, &features, extensions, presentation, offeredCore.SamplerAnisotropy);
        device.FragmentStoresAndAtomics = offeredCore.FragmentStoresAndAtomics;
        return device;
    }

    private static GpuDevice CreateWith(GpuInstance instance, GpuDeviceInfo info, DeviceQueueCreateInfo* queueInfo, void* features,
        List<string> extensions, GpuPresentation presentation, bool samplerAnisotropy)
    {
        using var strings = new NativeStrings();
        var createInfo = new DeviceCreateInfo(pNext: features, queueCreateInfoCount: 1, pQueueCreateInfos: queueInfo, enabledExtensionCount: (uint)extensions.Count, ppEnabledExtensionNames: strings.AddArray(extensions));
        Device device;
        instance.Vk.CreateDevice(info.Handle, &createInfo, null, &device).Check("vkCreateDevice");
        Vk vk = VulkanApi.ForDevice(instance.Handle, device);
        Queue queue;
        vk.GetDeviceQueue(device, (uint)info.GraphicsQueueFamily, 0, &queue);
        try
        {
            return new GpuDevice(instance, info, device, vk, queue, presentation, samplerAnisotropy);
        }
        catch
        {
            vk.DestroyDevice(device, null);
            throw;
        }
    }

    /// <summary>
    /// Submits recorded command buffers; the submission signals the device timeline with a new number,
    /// which is returned (pass it to <see cref="Wait"/>).
    /// </summary>
    public ulong Submit(params ReadOnlySpan<GpuCommandBuffer> commandBuffers) => Submit(commandBuffers, [], []);

    /// <summary>
    /// Submits recorded command buffers that first wait on <paramref name="waits"/> and, besides the
    /// device timeline, signal <paramref name="signals"/> (binary semaphores for a swapchain, timeline
    /// semaphores shared with other work). Returns the submission's number on the device timeline.
    /// </summary>
    public ulong Submit(ReadOnlySpan<GpuCommandBuffer> commandBuffers, ReadOnlySpan<GpuSemaphoreSubmit> waits, ReadOnlySpan<GpuSemaphoreSubmit> signals)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var waitInfos = stackalloc SemaphoreSubmitInfo[Math.Max(1, waits.Length)];
        for (var i = 0; i < waits.Length; i++)
        {
            waitInfos[i] = new SemaphoreSubmitInfo(semaphore: waits[i].Semaphore, value: waits[i].Value, stageMask: waits[i].Stage);
        }
        // The device timeline goes last; the caller's signals before it.
        var signalInfos = stackalloc SemaphoreSubmitInfo[signals.Length + 1];
        for (var i = 0; i < signals.Length; i++)
        {
            signalInfos[i] = new SemaphoreSubmitInfo(semaphore: signals[i].Semaphore, value: signals[i].Value, stageMask: signals[i].Stage);
        }
        var infos = stackalloc CommandBufferSubmitInfo[commandBuffers.Length];
        for (var i = 0; i < commandBuffers.Length; i++)
        {
            infos[i] = new CommandBufferSubmitInfo(commandBuffer: commandBuffers[i].Handle);
        }
        ulong value;
        lock (_lock)
        {
            value = _submitted + 1;
            signalInfos[signals.Length] = new SemaphoreSubmitInfo(semaphore: _timeline, value: value, stageMask: PipelineStageFlags2.AllCommandsBit);
            var submit = new SubmitInfo2(waitSemaphoreInfoCount: (uint)waits.Length, pWaitSemaphoreInfos: waitInfos, commandBufferInfoCount: (uint)commandBuffers.Length, pCommandBufferInfos: infos, signalSemaphoreInfoCount: (uint)signals.Length + 1, pSignalSemaphoreInfos: signalInfos);
            Vk.QueueSubmit2(Queue, 1, &submit, default(Fence)).Check("vkQueueSubmit2");
            _submitted = value;
            foreach (var cb in commandBuffers) cb.LastSubmission = value;
        }
        CollectRetired();
        return value;
    }

    /// <summary>The number of the last submission the GPU has finished.</summary>
    public ulong CompletedSubmission()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ulong value;
        Vk.GetSemaphoreCounterValue(Handle, _timeline, &value).Check("vkGetSemaphoreCounterValue");
        return value;
    }

    /// <summary>Blocks until the GPU has finished submission <paramref name="submission"/>.</summary>
    public void Wait(ulong submission)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var semaphore = _timeline;
        var waitInfo = new SemaphoreWaitInfo(semaphoreCount: 1, pSemaphores: &semaphore, pValues: &submission);
        Vk.WaitSemaphores(Handle, &waitInfo, ulong.MaxValue).Check("vkWaitSemaphores");
        CollectRetired();
    }

    /// <summary>
    /// Waits at most <paramref name="timeout"/> for submission <paramref name="submission"/> to finish; true when it has.
    /// Destroys nothing (safe on a thread of its own, such as a watch that stamps when frames finish).
    /// </summary>
    public bool TryWait(ulong submission, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var semaphore = _timeline;
        var waitInfo = new SemaphoreWaitInfo(semaphoreCount: 1, pSemaphores: &semaphore, pValues: &submission);
        Result result = Vk.WaitSemaphores(Handle, &waitInfo, (ulong)Math.Max(0, timeout.Ticks) * 100);
        if (result == Result.Timeout) return false;
        result.Check("vkWaitSemaphores");
        return true;
    }

    /// <summary>Blocks until the GPU is idle, then destroys every object retired so far.</summary>
    public void WaitIdle()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WaitIdleOrLost();
        CollectRetired();
    }

    /// <summary>
    /// True once a wait for the GPU has reported <c>VK_ERROR_DEVICE_LOST</c>: nothing it was given will finish, and
    /// its objects may only be destroyed (the owner builds a new device).
    /// </summary>
    public bool IsLost { get; private set; }

    /// <summary>Waits for the GPU to go idle; a lost device counts as idle (the specification lets its objects be destroyed).</summary>
    private void WaitIdleOrLost()
    {
        Result result = Vk.DeviceWaitIdle(Handle);
        if (result == Result.ErrorDeviceLost) IsLost = true;
        else result.Check("vkDeviceWaitIdle");
    }

    /// <summary>
    /// Hands over the destruction of an object: it runs once every submission made so far has
    /// completed (at once when nothing is in flight).
    /// </summary>
    internal void Retire(Action destroy)
    {
        if (_disposed) throw new ObjectDisposedException(nameof(GpuDevice), "an object outlived its device: dispose GPU objects before the device");
        lock (_lock) _retired.Enqueue((_submitted, destroy));
        CollectRetired();
    }

    /// <summary>Destroys retired objects whose last possible use has completed.</summary>
    public void CollectRetired()
    {
        if (_disposed) return;
        // Lost: nothing in flight will ever finish, so everything retired may go now.
        ulong completed = IsLost ? ulong.MaxValue : CompletedSubmission();
        while (true)
        {
            Action destroy;
            lock (_lock)
            {
                if (_retired.Count == 0 || _retired.Peek().Submission > completed) return;
                destroy = _retired.Dequeue().Destroy;
            }
            destroy();
        }
    }

    /// <summary>Waits for the GPU, destroys retired objects, the allocator's blocks and the device.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        WaitIdleOrLost();
        CollectRetired();
        _disposed = true;
        Memory.Release();
        Vk.DestroySemaphore(Handle, _timeline, null);
        Vk.DestroyDevice(Handle, null);
    }
}
