namespace Stage.Vulkan;

/// <summary>
/// A binary semaphore: one submission signals it, one later submission (or a present) waits on it.
/// Stage orders its own work with the device timeline; binary semaphores are for swapchains and for
/// handing work between queues or APIs.
/// </summary>
public sealed unsafe class GpuSemaphore : IDisposable
{
    private readonly GpuDevice _device;
    private bool _disposed;

    /// <summary>Creates an unsignalled binary semaphore.</summary>
    public GpuSemaphore(GpuDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        var info = new SemaphoreCreateInfo(pNext: null);
        VkSemaphore semaphore;
        device.Vk.CreateSemaphore(device.Handle, &info, null, &semaphore).Check("vkCreateSemaphore");
        Handle = semaphore;
    }

    internal VkSemaphore Handle { get; }

    /// <summary>Retires the semaphore until the GPU is done with the submissions in flight.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var semaphore = Handle;
        device.Retire(() => device.Vk.DestroySemaphore(device.Handle, semaphore, null));
    }
}

/// <summary>
/// A semaphore a submission waits on or signals besides the device timeline: a binary
/// <see cref="GpuSemaphore"/>, or a <see cref="GpuTimelineSemaphore"/> at a value.
/// </summary>
public readonly struct GpuSemaphoreSubmit
{
    private GpuSemaphoreSubmit(VkSemaphore semaphore, ulong value, PipelineStageFlags2 stage)
    {
        Semaphore = semaphore;
        Value = value;
        Stage = stage;
    }

    internal VkSemaphore Semaphore { get; }

    /// <summary>The timeline value (0 for a binary semaphore).</summary>
    public ulong Value { get; }

    /// <summary>The stages that wait (for a wait) or that must finish first (for a signal).</summary>
    public PipelineStageFlags2 Stage { get; }

    /// <summary>A binary semaphore; all commands by default.</summary>
    public static GpuSemaphoreSubmit Binary(GpuSemaphore semaphore, PipelineStageFlags2 stage = PipelineStageFlags2.AllCommandsBit)
    {
        ArgumentNullException.ThrowIfNull(semaphore);
        return new GpuSemaphoreSubmit(semaphore.Handle, 0, stage);
    }

    /// <summary>A timeline semaphore at <paramref name="value"/>; all commands by default.</summary>
    public static GpuSemaphoreSubmit Timeline(GpuTimelineSemaphore semaphore, ulong value, PipelineStageFlags2 stage = PipelineStageFlags2.AllCommandsBit)
    {
        ArgumentNullException.ThrowIfNull(semaphore);
        return new GpuSemaphoreSubmit(semaphore.Handle, value, stage);
    }
}
