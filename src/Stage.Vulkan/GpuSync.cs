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
        var info = new FenceCreateInfo(flags: signaled ? FenceCreateFlags.SignaledBit : 0);
        Fence fence;
        device.Vk.CreateFence(device.Handle, &info, null, &fence).Check("vkCreateFence");
        Handle = fence;
    }

    internal Fence Handle { get; }

    /// <summary>True when the fence is signalled.</summary>
    public bool IsSignaled
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _device.Vk.GetFenceStatus(_device.Handle, Handle).Check("vkGetFenceStatus", Result.NotReady) == Result.Success;
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/>; returns false on timeout.</summary>
    public bool Wait(TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fence = Handle;
        var nanoseconds = timeout == Timeout.InfiniteTimeSpan ? ulong.MaxValue : (ulong)(timeout.Ticks * 100);
        return _device.Vk.WaitForFences(_device.Handle, 1, &fence, true, nanoseconds).Check("vkWaitForFences", Result.Timeout) == Result.Success;
    }

    /// <summary>Returns the fence to the unsignalled state.</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fence = Handle;
        _device.Vk.ResetFences(_device.Handle, 1, &fence).Check("vkResetFences");
    }

    /// <summary>Retires the fence until the GPU is done with the submissions in flight.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var fence = Handle;
        device.Retire(() => device.Vk.DestroyFence(device.Handle, fence, null));
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
        var type = new SemaphoreTypeCreateInfo(semaphoreType: SemaphoreType.Timeline, initialValue: initialValue);
        var info = new SemaphoreCreateInfo(pNext: &type);
        VkSemaphore semaphore;
        device.Vk.CreateSemaphore(device.Handle, &info, null, &semaphore).Check("vkCreateSemaphore");
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
            _device.Vk.GetSemaphoreCounterValue(_device.Handle, Handle, &value).Check("vkGetSemaphoreCounterValue");
            return value;
        }
    }

    /// <summary>Signals <paramref name="value"/> from the CPU (must be greater than the current value).</summary>
    public void Signal(ulong value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var info = new SemaphoreSignalInfo(semaphore: Handle, value: value);
        _device.Vk.SignalSemaphore(_device.Handle, &info).Check("vkSignalSemaphore");
    }

    /// <summary>Waits until the counter reaches <paramref name="value"/>; returns false on timeout.</summary>
    public bool Wait(ulong value, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var semaphore = Handle;
        var info = new SemaphoreWaitInfo(semaphoreCount: 1, pSemaphores: &semaphore, pValues: &value);
        var nanoseconds = timeout == Timeout.InfiniteTimeSpan ? ulong.MaxValue : (ulong)(timeout.Ticks * 100);
        return _device.Vk.WaitSemaphores(_device.Handle, &info, nanoseconds).Check("vkWaitSemaphores", Result.Timeout) == Result.Success;
    }

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
