namespace Stage.Vulkan;

/// <summary>What a resource's memory is for; decides the memory type.</summary>
public enum GpuMemoryUse
{
    /// <summary>Only the GPU touches it: device-local memory.</summary>
    GpuOnly,
    /// <summary>The CPU writes, the GPU reads: host-visible, coherent preferred.</summary>
    Upload,
    /// <summary>The GPU writes, the CPU reads: host-visible, cached preferred.</summary>
    Readback,
}

/// <summary>A range of a memory block owned by one resource.</summary>
internal sealed unsafe class GpuAllocation
{
    internal GpuAllocation(GpuMemoryBlock block, ulong offset, ulong size)
    {
        Block = block;
        Offset = offset;
        Size = size;
    }

    /// <summary>The block the range lies in.</summary>
    public GpuMemoryBlock Block { get; }

    /// <summary>Byte offset in the block.</summary>
    public ulong Offset { get; }

    /// <summary>Byte size.</summary>
    public ulong Size { get; }

    /// <summary>The CPU address of the range, or null when the memory is not host-visible.</summary>
    public byte* Mapped => Block.Mapped == null ? null : Block.Mapped + Offset;
}

/// <summary>One <c>DeviceMemory</c>, persistently mapped when host-visible, carved up first-fit.</summary>
internal sealed unsafe class GpuMemoryBlock
{
    // Free ranges by offset; neighbours are merged on free, so no two free ranges touch.
    private readonly SortedList<ulong, ulong> _free = [];

    internal GpuMemoryBlock(DeviceMemory memory, uint typeIndex, ulong size, byte* mapped, bool coherent, bool dedicated)
    {
        Memory = memory;
        TypeIndex = typeIndex;
        Size = size;
        Mapped = mapped;
        IsCoherent = coherent;
        IsDedicated = dedicated;
        _free.Add(0, size);
    }

    public DeviceMemory Memory { get; }
    public uint TypeIndex { get; }
    public ulong Size { get; }
    public byte* Mapped { get; }
    public bool IsCoherent { get; }
    public bool IsDedicated { get; }
    public ulong UsedBytes { get; private set; }

    /// <summary>Takes an aligned range, or returns false when no free range fits.</summary>
    public bool TryTake(ulong size, ulong alignment, out ulong offset)
    {
        for (var i = 0; i < _free.Count; i++)
        {
            var start = _free.Keys[i];
            var length = _free.Values[i];
            var aligned = (start + alignment - 1) / alignment * alignment;
            if (aligned + size > start + length) continue;
            _free.RemoveAt(i);
            if (aligned > start) _free.Add(start, aligned - start);
            var end = aligned + size;
            if (end < start + length) _free.Add(end, start + length - end);
            UsedBytes += size;
            offset = aligned;
            return true;
        }
        offset = 0;
        return false;
    }

    /// <summary>Returns a range, merging it with free neighbours.</summary>
    public void Give(ulong offset, ulong size)
    {
        UsedBytes -= size;
        var index = 0;
        while (index < _free.Count && _free.Keys[index] < offset) index++;
        if (index < _free.Count && offset + size == _free.Keys[index])
        {
            size += _free.Values[index];
            _free.RemoveAt(index);
        }
        if (index > 0 && _free.Keys[index - 1] + _free.Values[index - 1] == offset)
        {
            var previous = _free.Keys[index - 1];
            _free[previous] += size;
            return;
        }
        _free.Add(offset, size);
    }
}

/// <summary>
/// Sub-allocates buffers and images from large <c>DeviceMemory</c> blocks (one allocation per
/// resource would hit the driver's allocation limit and cost a kernel call each). Large requests get
/// a dedicated block. Host-visible blocks stay mapped; non-coherent ranges are flushed and
/// invalidated on nonCoherentAtomSize boundaries. One empty block per memory type is kept for reuse.
/// </summary>
public sealed unsafe class GpuMemoryAllocator
{
    /// <summary>The size of a shared block.</summary>
    public const ulong BlockSize = 64UL << 20;

    private readonly GpuDevice _device;
    private readonly PhysicalDeviceMemoryProperties _properties;
    private readonly ulong _granularity;
    private readonly ulong _atomSize;
    private readonly List<GpuMemoryBlock> _blocks = [];
    private readonly Lock _lock = new();
    private bool _released;

    internal GpuMemoryAllocator(GpuDevice device, PhysicalDeviceMemoryProperties properties, PhysicalDeviceLimits limits)
    {
        _device = device;
        _properties = properties;
        // Aligning every range to bufferImageGranularity keeps linear buffers and optimal images
        // from sharing a granularity page, so mixed blocks never alias.
        _granularity = Math.Max(1, limits.BufferImageGranularity);
        _atomSize = Math.Max(1, limits.NonCoherentAtomSize);
    }

    /// <summary>Bytes handed out to live resources.</summary>
    public ulong AllocatedBytes { get; private set; }

    /// <summary>Live sub-allocations.</summary>
    public int AllocationCount { get; private set; }

    /// <summary>Device memory objects currently held (shared and dedicated blocks, including the kept empty ones).</summary>
    public int BlockCount { get { lock (_lock) return _blocks.Count; } }

    /// <summary>Chooses the memory type for a resource.</summary>
    internal uint ChooseType(uint typeBits, GpuMemoryUse use)
    {
        var (required, preferred) = use switch
        {
            GpuMemoryUse.GpuOnly => ((MemoryPropertyFlags)0, MemoryPropertyFlags.DeviceLocalBit),
            GpuMemoryUse.Upload => (MemoryPropertyFlags.HostVisibleBit, MemoryPropertyFlags.HostCoherentBit),
            _ => (MemoryPropertyFlags.HostVisibleBit, MemoryPropertyFlags.HostCachedBit),
        };
        var best = -1;
        for (var i = 0; i < (int)_properties.MemoryTypeCount; i++)
        {
            if ((typeBits & (1U << i)) == 0) continue;
            var flags = _properties.MemoryTypes[i].PropertyFlags;
            if ((flags & required) != required) continue;
            if ((flags & preferred) == preferred) return (uint)i;
            if (best < 0) best = i;
        }
        if (best < 0) throw new GpuUnavailableException($"no memory type for {use} among types 0x{typeBits:X}");
        return (uint)best;
    }

    /// <summary>Allocates memory that satisfies <paramref name="requirements"/>.</summary>
    internal GpuAllocation Allocate(MemoryRequirements requirements, GpuMemoryUse use)
    {
        ObjectDisposedException.ThrowIf(_released, this);
        var typeIndex = ChooseType(requirements.MemoryTypeBits, use);
        var alignment = Math.Max(requirements.Alignment, _granularity);
        var size = (requirements.Size + _granularity - 1) / _granularity * _granularity;
        lock (_lock)
        {
            GpuAllocation allocation;
            if (size > BlockSize / 2)
            {
                var dedicated = NewBlock(typeIndex, size, dedicated: true);
                dedicated.TryTake(size, 1, out var offset);
                allocation = new GpuAllocation(dedicated, offset, size);
            }
            else
            {
                allocation = TakeShared(typeIndex, size, alignment);
            }
            AllocatedBytes += size;
            AllocationCount++;
            return allocation;
        }
    }

    private GpuAllocation TakeShared(uint typeIndex, ulong size, ulong alignment)
    {
        foreach (var block in _blocks)
        {
            if (block.IsDedicated || block.TypeIndex != typeIndex) continue;
            if (block.TryTake(size, alignment, out var offset)) return new GpuAllocation(block, offset, size);
        }
        var fresh = NewBlock(typeIndex, BlockSize, dedicated: false);
        fresh.TryTake(size, alignment, out var freshOffset);
        return new GpuAllocation(fresh, freshOffset, size);
    }

    /// <summary>Calls vkAllocateMemory for a new block and maps it when host-visible.</summary>
    private GpuMemoryBlock NewBlock(uint typeIndex, ulong size, bool dedicated)
    {
        var info = new MemoryAllocateInfo(allocationSize: size, memoryTypeIndex: typeIndex);
        DeviceMemory memory;
        _device.Vk.AllocateMemory(_device.Handle, &info, null, &memory).Check("vkAllocateMemory");
        var flags = _properties.MemoryTypes[(int)typeIndex].PropertyFlags;
        byte* mapped = null;
        if ((flags & MemoryPropertyFlags.HostVisibleBit) != 0)
        {
            void* p;
            var result = _device.Vk.MapMemory(_device.Handle, memory, 0, Vk.WholeSize, 0, &p);
            if (result != Result.Success)
            {
                _device.Vk.FreeMemory(_device.Handle, memory, null);
                throw new VulkanException("vkMapMemory", result);
            }
            mapped = (byte*)p;
        }
        var block = new GpuMemoryBlock(memory, typeIndex, size, mapped,
            (flags & MemoryPropertyFlags.HostCoherentBit) != 0, dedicated);
        _blocks.Add(block);
        return block;
    }

    /// <summary>Returns an allocation; frees its block when empty, keeping one empty shared block per type.</summary>
    internal void Free(GpuAllocation allocation)
    {
        lock (_lock)
        {
            if (_released) return;
            var block = allocation.Block;
            block.Give(allocation.Offset, allocation.Size);
            AllocatedBytes -= allocation.Size;
            AllocationCount--;
            if (block.UsedBytes != 0) return;
            var keep = !block.IsDedicated
                && !_blocks.Any(b => b != block && !b.IsDedicated && b.TypeIndex == block.TypeIndex && b.UsedBytes == 0);
            if (keep) return;
            _blocks.Remove(block);
            _device.Vk.FreeMemory(_device.Handle, block.Memory, null);
        }
    }

    /// <summary>Makes CPU writes to a non-coherent range visible to the GPU (nothing to do when coherent).</summary>
    internal void Flush(GpuAllocation allocation, ulong offset, ulong size)
    {
        if (allocation.Block.IsCoherent) return;
        var range = AtomRange(allocation, offset, size);
        _device.Vk.FlushMappedMemoryRanges(_device.Handle, 1, &range).Check("vkFlushMappedMemoryRanges");
    }

    /// <summary>Makes GPU writes to a non-coherent range visible to the CPU (nothing to do when coherent).</summary>
    internal void Invalidate(GpuAllocation allocation, ulong offset, ulong size)
    {
        if (allocation.Block.IsCoherent) return;
        var range = AtomRange(allocation, offset, size);
        _device.Vk.InvalidateMappedMemoryRanges(_device.Handle, 1, &range).Check("vkInvalidateMappedMemoryRanges");
    }

    /// <summary>The mapped range widened to nonCoherentAtomSize boundaries and clamped to the block, as the spec requires.</summary>
    internal MappedMemoryRange AtomRange(GpuAllocation allocation, ulong offset, ulong size)
    {
        var (start, length) = AtomAlign(allocation.Block.Size, _atomSize, allocation.Offset + offset, size);
        return new MappedMemoryRange(memory: allocation.Block.Memory, offset: start, size: length);
    }

    /// <summary>
    /// Widens [offset, offset+size) of a block to multiples of <paramref name="atomSize"/>; a range that
    /// reaches the block's end becomes VK_WHOLE_SIZE (VUID-MappedMemoryRange-size-01390).
    /// </summary>
    internal static (ulong Offset, ulong Size) AtomAlign(ulong blockSize, ulong atomSize, ulong offset, ulong size)
    {
        var start = offset / atomSize * atomSize;
        var end = (offset + size + atomSize - 1) / atomSize * atomSize;
        return (start, end >= blockSize ? Vk.WholeSize : end - start);
    }

    /// <summary>Frees every block (the device is being destroyed).</summary>
    internal void Release()
    {
        lock (_lock)
        {
            if (_released) return;
            _released = true;
            foreach (var block in _blocks) _device.Vk.FreeMemory(_device.Handle, block.Memory, null);
            _blocks.Clear();
        }
    }
}
