namespace Stage.Vulkan;

/// <summary>A buffer with its own range of allocator memory.</summary>
public sealed unsafe class GpuBuffer : IDisposable
{
    private readonly GpuDevice _device;
    private readonly GpuAllocation _allocation;
    private bool _disposed;

    /// <summary>Creates a buffer of <paramref name="sizeBytes"/> for the given usage and memory use.</summary>
    public GpuBuffer(GpuDevice device, ulong sizeBytes, BufferUsageFlags usage, GpuMemoryUse memoryUse)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfZero(sizeBytes);
        _device = device;
        SizeBytes = sizeBytes;
        MemoryUse = memoryUse;
        var info = new BufferCreateInfo(size: sizeBytes, usage: usage, sharingMode: SharingMode.Exclusive);
        VkBuffer buffer;
        device.Vk.CreateBuffer(device.Handle, &info, null, &buffer).Check("vkCreateBuffer");
        try
        {
            MemoryRequirements requirements;
            device.Vk.GetBufferMemoryRequirements(device.Handle, buffer, &requirements);
            _allocation = device.Memory.Allocate(requirements, memoryUse);
            var result = device.Vk.BindBufferMemory(device.Handle, buffer, _allocation.Block.Memory, _allocation.Offset);
            if (result != Result.Success)
            {
                device.Memory.Free(_allocation);
                throw new VulkanException("vkBindBufferMemory", result);
            }
        }
        catch
        {
            device.Vk.DestroyBuffer(device.Handle, buffer, null);
            throw;
        }
        Handle = buffer;
    }

    /// <summary>The buffer handle.</summary>
    internal VkBuffer Handle { get; }

    /// <summary>The size asked for.</summary>
    public ulong SizeBytes { get; }

    /// <summary>What the memory is for.</summary>
    public GpuMemoryUse MemoryUse { get; }

    /// <summary>Copies bytes in from the CPU (Upload or Readback memory only), flushing when non-coherent.</summary>
    public void Write(ReadOnlySpan<byte> source, ulong offsetBytes = 0)
    {
        var target = MappedRange(offsetBytes, (ulong)source.Length);
        source.CopyTo(target);
        _device.Memory.Flush(_allocation, offsetBytes, (ulong)source.Length);
    }

    /// <summary>
    /// Copies 32-bit pixels in with red and blue exchanged (RGBA bytes become BGRA): filling a BGRA image
    /// (most swapchains) from RGBA pixels in the one pass the copy makes anyway.
    /// </summary>
    public void WriteSwappingRedBlue(ReadOnlySpan<byte> rgba, ulong offsetBytes = 0)
    {
        if (rgba.Length % 4 != 0) throw new ArgumentException("not whole 32-bit pixels", nameof(rgba));
        var target = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(MappedRange(offsetBytes, (ulong)rgba.Length));
        var source = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(rgba);
        // Little-endian: RGBA bytes are 0xAABBGGRR; exchanging bytes 0 and 2 gives BGRA.
        for (var i = 0; i < source.Length; i++)
        {
            var p = source[i];
            target[i] = (p & 0xFF00FF00u) | ((p & 0xFFu) << 16) | ((p >> 16) & 0xFFu);
        }
        _device.Memory.Flush(_allocation, offsetBytes, (ulong)rgba.Length);
    }

    /// <summary>Copies bytes out to the CPU, invalidating first when non-coherent. Wait for the GPU's writes first.</summary>
    public void Read(Span<byte> destination, ulong offsetBytes = 0)
    {
        var source = MappedRange(offsetBytes, (ulong)destination.Length);
        _device.Memory.Invalidate(_allocation, offsetBytes, (ulong)destination.Length);
        source.CopyTo(destination);
    }

    private Span<byte> MappedRange(ulong offset, ulong length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_allocation.Mapped == null) throw new InvalidOperationException("the buffer's memory is not host-visible (use GpuMemoryUse.Upload or Readback)");
        if (offset + length > SizeBytes || length > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(length), $"range {offset}+{length} exceeds the buffer's {SizeBytes} bytes");
        return new Span<byte>(_allocation.Mapped + offset, (int)length);
    }

    /// <summary>Retires the buffer: it is destroyed and its memory returned once the GPU is done with it.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var handle = Handle;
        var allocation = _allocation;
        device.Retire(() =>
        {
            device.Vk.DestroyBuffer(device.Handle, handle, null);
            device.Memory.Free(allocation);
        });
    }
}
