using Stage.Vulkan.Native;

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

    private GpuDevice(GpuInstance instance, GpuDeviceInfo info, VkDevice handle, VkDeviceCommands commands, VkQueue queue, GpuPresentation presentation)
    {
        Presentation = presentation;
        Instance = instance;
        Info = info;
        Handle = handle;
        Commands = commands;
        Queue = queue;
        VkPhysicalDeviceMemoryProperties memory;
        VkPhysicalDeviceProperties properties;
        instance.Commands.vkGetPhysicalDeviceMemoryProperties(info.Handle, &memory);
        instance.Commands.vkGetPhysicalDeviceProperties(info.Handle, &properties);
        Limits = properties.limits;
        Memory = new GpuMemoryAllocator(this, memory, properties.limits);
        var timelineType = new VkSemaphoreTypeCreateInfo { semaphoreType = VkSemaphoreType.VK_SEMAPHORE_TYPE_TIMELINE, initialValue = 0 };
        var semaphoreInfo = new VkSemaphoreCreateInfo { pNext = &timelineType };
        VkSemaphore timeline;
        Commands.vkCreateSemaphore(Handle, &semaphoreInfo, null, &timeline).Check("vkCreateSemaphore");
        _timeline = timeline;
    }

    /// <summary>The instance this device belongs to.</summary>
    public GpuInstance Instance { get; }

    /// <summary>The physical device.</summary>
    public GpuDeviceInfo Info { get; }

    /// <summary>The device's limits.</summary>
    internal VkPhysicalDeviceLimits Limits { get; }

    /// <summary>The device handle.</summary>
    internal VkDevice Handle { get; }

    /// <summary>Device-level commands.</summary>
    internal VkDeviceCommands Commands { get; }

    /// <summary>The graphics+compute+transfer queue.</summary>
    internal VkQueue Queue { get; }

    /// <summary>
    /// The presentation extensions enabled on this device: VK_KHR_swapchain when the instance can make
    /// surfaces and the device offers it; present id / present wait / present barrier when their features are offered too.
    /// </summary>
    public GpuPresentation Presentation { get; }

    /// <summary>The sub-allocator every buffer and image takes its memory from.</summary>
    public GpuMemoryAllocator Memory { get; }

    /// <summary>The number of the last submission.</summary>
    public ulong LastSubmission => _submitted;

    /// <summary>Creates the logical device on a chosen physical device, enabling what Stage needs.</summary>
    internal static GpuDevice Create(GpuInstance instance, GpuDeviceInfo info)
    {
        if (!info.IsSuitable) throw new GpuUnavailableException($"device {info.Index} '{info.Name}' lacks {string.Join(", ", info.Missing)}");
        var priority = 1.0f;
        var queueInfo = new VkDeviceQueueCreateInfo { queueFamilyIndex = (uint)info.GraphicsQueueFamily, queueCount = 1, pQueuePriorities = &priority };
        var vk12 = new VkPhysicalDeviceVulkan12Features { timelineSemaphore = true };
        var vk13 = new VkPhysicalDeviceVulkan13Features { pNext = &vk12, dynamicRendering = true, synchronization2 = true };

        // Presentation: only when the instance can make surfaces (a window output); each extension is
        // enabled only with its feature, so a driver that lists an extension but not the feature is not asked for it.
        var offered = info.PresentationOffered;
        var presentId = new VkPhysicalDevicePresentIdFeaturesKHR();
        var presentWait = new VkPhysicalDevicePresentWaitFeaturesKHR();
        var presentBarrier = new VkPhysicalDevicePresentBarrierFeaturesNV();
        var presentation = new GpuPresentation(false, false, false, false);
        var extensions = new List<string>();
        if (instance.SupportsSurfaces && offered.Swapchain)
        {
            // Query only the structs of offered extensions (the validation layer refuses others in the chain).
            void* query = null;
            if (offered.PresentId) { presentId.pNext = query; query = &presentId; }
            if (offered.PresentWait) { presentWait.pNext = query; query = &presentWait; }
            if (offered.PresentBarrier) { presentBarrier.pNext = query; query = &presentBarrier; }
            if (query is not null)
            {
                var features2 = new VkPhysicalDeviceFeatures2 { pNext = query };
                instance.Commands.vkGetPhysicalDeviceFeatures2(info.Handle, &features2);
            }
            bool id = offered.PresentId && presentId.presentId, wait = id && offered.PresentWait && presentWait.presentWait;
            bool barrier = offered.PresentBarrier && presentBarrier.presentBarrier;
            presentation = new GpuPresentation(true, id, wait, barrier);
            extensions.Add(Vk.VK_KHR_SWAPCHAIN_EXTENSION_NAME);
            if (id) extensions.Add(Vk.VK_KHR_PRESENT_ID_EXTENSION_NAME);
            if (wait) extensions.Add(Vk.VK_KHR_PRESENT_WAIT_EXTENSION_NAME);
            if (barrier) extensions.Add(Vk.VK_NV_PRESENT_BARRIER_EXTENSION_NAME);
            // Enable exactly what is used: the chain carries only the features of enabled extensions.
            presentId = new VkPhysicalDevicePresentIdFeaturesKHR { presentId = id };
            presentWait = new VkPhysicalDevicePresentWaitFeaturesKHR { presentWait = wait };
            presentBarrier = new VkPhysicalDevicePresentBarrierFeaturesNV { presentBarrier = barrier };
            void* chain = &vk13;
            if (id) { presentId.pNext = chain; chain = &presentId; }
            if (wait) { presentWait.pNext = chain; chain = &presentWait; }
            if (barrier) { presentBarrier.pNext = chain; chain = &presentBarrier; }
            return CreateWith(instance, info, &queueInfo, chain, extensions, presentation);
        }
        return CreateWith(instance, info, &queueInfo, &vk13, extensions, presentation);
    }

    private static GpuDevice CreateWith(GpuInstance instance, GpuDeviceInfo info, VkDeviceQueueCreateInfo* queueInfo, void* features,
        List<string> extensions, GpuPresentation presentation)
    {
        using var strings = new NativeStrings();
        var createInfo = new VkDeviceCreateInfo
        {
            pNext = features,
            queueCreateInfoCount = 1,
            pQueueCreateInfos = queueInfo,
            enabledExtensionCount = (uint)extensions.Count,
            ppEnabledExtensionNames = strings.AddArray(extensions),
        };
        VkDevice device;
        instance.Commands.vkCreateDevice(info.Handle, &createInfo, null, &device).Check("vkCreateDevice");
        var getDeviceProcAddr = (delegate* unmanaged<VkDevice, byte*, nint>)0;
        fixed (byte* name = "vkGetDeviceProcAddr\0"u8) getDeviceProcAddr = (delegate* unmanaged<VkDevice, byte*, nint>)VulkanLoader.GetInstanceProcAddr(instance.Handle, name);
        var commands = new VkDeviceCommands(device, getDeviceProcAddr);
        VkQueue queue;
        commands.vkGetDeviceQueue(device, (uint)info.GraphicsQueueFamily, 0, &queue);
        return new GpuDevice(instance, info, device, commands, queue, presentation);
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
        var waitInfos = stackalloc VkSemaphoreSubmitInfo[Math.Max(1, waits.Length)];
        for (var i = 0; i < waits.Length; i++)
        {
            waitInfos[i] = new VkSemaphoreSubmitInfo { semaphore = waits[i].Semaphore, value = waits[i].Value, stageMask = waits[i].Stage };
        }
        // The device timeline goes last; the caller's signals before it.
        var signalInfos = stackalloc VkSemaphoreSubmitInfo[signals.Length + 1];
        for (var i = 0; i < signals.Length; i++)
        {
            signalInfos[i] = new VkSemaphoreSubmitInfo { semaphore = signals[i].Semaphore, value = signals[i].Value, stageMask = signals[i].Stage };
        }
        var infos = stackalloc VkCommandBufferSubmitInfo[commandBuffers.Length];
        for (var i = 0; i < commandBuffers.Length; i++)
        {
            infos[i] = new VkCommandBufferSubmitInfo { commandBuffer = commandBuffers[i].Handle };
        }
        ulong value;
        lock (_lock)
        {
            value = _submitted + 1;
            signalInfos[signals.Length] = new VkSemaphoreSubmitInfo
            {
                semaphore = _timeline,
                value = value,
                stageMask = VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT,
            };
            var submit = new VkSubmitInfo2
            {
                waitSemaphoreInfoCount = (uint)waits.Length,
                pWaitSemaphoreInfos = waitInfos,
                commandBufferInfoCount = (uint)commandBuffers.Length,
                pCommandBufferInfos = infos,
                signalSemaphoreInfoCount = (uint)signals.Length + 1,
                pSignalSemaphoreInfos = signalInfos,
            };
            Commands.vkQueueSubmit2(Queue, 1, &submit, VkFence.Null).Check("vkQueueSubmit2");
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
        Commands.vkGetSemaphoreCounterValue(Handle, _timeline, &value).Check("vkGetSemaphoreCounterValue");
        return value;
    }

    /// <summary>Blocks until the GPU has finished submission <paramref name="submission"/>.</summary>
    public void Wait(ulong submission)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var semaphore = _timeline;
        var waitInfo = new VkSemaphoreWaitInfo { semaphoreCount = 1, pSemaphores = &semaphore, pValues = &submission };
        Commands.vkWaitSemaphores(Handle, &waitInfo, ulong.MaxValue).Check("vkWaitSemaphores");
        CollectRetired();
    }

    /// <summary>Blocks until the GPU is idle, then destroys every object retired so far.</summary>
    public void WaitIdle()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Commands.vkDeviceWaitIdle(Handle).Check("vkDeviceWaitIdle");
        CollectRetired();
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
        var completed = CompletedSubmission();
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
        Commands.vkDeviceWaitIdle(Handle).Check("vkDeviceWaitIdle");
        CollectRetired();
        _disposed = true;
        Memory.Release();
        Commands.vkDestroySemaphore(Handle, _timeline, null);
        Commands.vkDestroyDevice(Handle, null);
    }
}
