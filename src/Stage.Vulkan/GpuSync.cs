using Stage.Vulkan.Native;

namespace Stage.Vulkan;

/// <summary>A fence: the CPU waits on it for a submission.</summary>
public sealed unsafe class GpuFence : IDisposable
{
    private readonly GpuDevice _device;
    private bool _disposed;

    /// <summary>Creates a fence, signalled or not.</summary>
    public GpuFence(GpuDevice device, bool signaled = false)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        var info = new VkFenceCreateInfo { flags = signaled ? VkFenceCreateFlags.VK_FENCE_CREATE_SIGNALED_BIT : 0 };
        VkFence fence;
        device.Commands.vkCreateFence(device.Handle, &info, null, &fence).Check("vkCreateFence");
        Handle = fence;
    }

    internal VkFence Handle { get; }

    /// <summary>True when the fence is signalled.</summary>
    public bool IsSignaled
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _device.Commands.vkGetFenceStatus(_device.Handle, Handle).Check("vkGetFenceStatus", VkResult.VK_NOT_READY) == VkResult.VK_SUCCESS;
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/>; returns false on timeout.</summary>
    public bool Wait(TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fence = Handle;
        var nanoseconds = timeout == Timeout.InfiniteTimeSpan ? ulong.MaxValue : (ulong)(timeout.Ticks * 100);
        return _device.Commands.vkWaitForFences(_device.Handle, 1, &fence, true, nanoseconds).Check("vkWaitForFences", VkResult.VK_TIMEOUT) == VkResult.VK_SUCCESS;
    }

    /// <summary>Returns the fence to the unsignalled state.</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fence = Handle;
        _device.Commands.vkResetFences(_device.Handle, 1, &fence).Check("vkResetFences");
    }

    /// <summary>Retires the fence until the GPU is done with the submissions in flight.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var fence = Handle;
        device.Retire(() => device.Commands.vkDestroyFence(device.Handle, fence, null));
    }
}

/// <summary>A timeline semaphore: a 64-bit counter the GPU and the CPU signal and wait on.</summary>
public sealed unsafe class GpuTimelineSemaphore : IDisposable
{
    private readonly GpuDevice _device;
    private bool _disposed;

    /// <summary>Creates a timeline semaphore starting at <paramref name="initialValue"/>.</summary>
    public GpuTimelineSemaphore(GpuDevice device, ulong initialValue = 0)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        var type = new VkSemaphoreTypeCreateInfo { semaphoreType = VkSemaphoreType.VK_SEMAPHORE_TYPE_TIMELINE, initialValue = initialValue };
        var info = new VkSemaphoreCreateInfo { pNext = &type };
        VkSemaphore semaphore;
        device.Commands.vkCreateSemaphore(device.Handle, &info, null, &semaphore).Check("vkCreateSemaphore");
        Handle = semaphore;
    }

    internal VkSemaphore Handle { get; }

    /// <summary>The current counter value.</summary>
    public ulong Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ulong value;
            _device.Commands.vkGetSemaphoreCounterValue(_device.Handle, Handle, &value).Check("vkGetSemaphoreCounterValue");
            return value;
        }
    }

    /// <summary>Signals <paramref name="value"/> from the CPU (must be greater than the current value).</summary>
    public void Signal(ulong value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var info = new VkSemaphoreSignalInfo { semaphore = Handle, value = value };
        _device.Commands.vkSignalSemaphore(_device.Handle, &info).Check("vkSignalSemaphore");
    }

    /// <summary>Waits until the counter reaches <paramref name="value"/>; returns false on timeout.</summary>
    public bool Wait(ulong value, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var semaphore = Handle;
        var info = new VkSemaphoreWaitInfo { semaphoreCount = 1, pSemaphores = &semaphore, pValues = &value };
        var nanoseconds = timeout == Timeout.InfiniteTimeSpan ? ulong.MaxValue : (ulong)(timeout.Ticks * 100);
        return _device.Commands.vkWaitSemaphores(_device.Handle, &info, nanoseconds).Check("vkWaitSemaphores", VkResult.VK_TIMEOUT) == VkResult.VK_SUCCESS;
    }

    /// <summary>Retires the semaphore until the GPU is done with the submissions in flight.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var semaphore = Handle;
        device.Retire(() => device.Commands.vkDestroySemaphore(device.Handle, semaphore, null));
    }
}
