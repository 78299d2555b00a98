namespace Stage.Vulkan;

/// <summary>One binding of a descriptor set layout.</summary>
/// <param name="Binding">The binding number (<c>layout(binding = N)</c>).</param>
/// <param name="Type">Uniform buffer, storage buffer, combined image sampler …</param>
/// <param name="Stages">The shader stages that read it.</param>
/// <param name="Count">Array length (1 for a single descriptor).</param>
public readonly record struct GpuDescriptorBinding(uint Binding, DescriptorType Type, ShaderStageFlags Stages, uint Count = 1);

/// <summary>A descriptor set layout: the bindings a set carries.</summary>
public sealed unsafe class GpuDescriptorSetLayout : IDisposable
{
    private readonly GpuDevice _device;
    private bool _disposed;

    /// <summary>Creates the layout.</summary>
    public GpuDescriptorSetLayout(GpuDevice device, params ReadOnlySpan<GpuDescriptorBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        Bindings = bindings.ToArray();
        var native = stackalloc DescriptorSetLayoutBinding[Math.Max(1, bindings.Length)];
        for (var i = 0; i < bindings.Length; i++)
        {
            native[i] = new DescriptorSetLayoutBinding(binding: bindings[i].Binding, descriptorType: bindings[i].Type, descriptorCount: bindings[i].Count, stageFlags: bindings[i].Stages);
        }
        var info = new DescriptorSetLayoutCreateInfo(bindingCount: (uint)bindings.Length, pBindings: native);
        DescriptorSetLayout layout;
        device.Vk.CreateDescriptorSetLayout(device.Handle, &info, null, &layout).Check("vkCreateDescriptorSetLayout");
        Handle = layout;
    }

    internal DescriptorSetLayout Handle { get; }

    /// <summary>The bindings, as given.</summary>
    public IReadOnlyList<GpuDescriptorBinding> Bindings { get; }

    /// <summary>Retires the layout until the GPU is done with it.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var layout = Handle;
        device.Retire(() => device.Vk.DestroyDescriptorSetLayout(device.Handle, layout, null));
    }
}

/// <summary>
/// A descriptor pool sized for a number of sets of given layouts. Sets live as long as the pool
/// (they are not freed one by one); disposing the pool frees them all.
/// </summary>
public sealed unsafe class GpuDescriptorPool : IDisposable
{
    private readonly GpuDevice _device;
    private bool _disposed;

    /// <summary>
    /// Creates a pool with room for <paramref name="setsPerLayout"/> sets of each of <paramref name="layouts"/>
    /// (the descriptor counts are summed from the layouts' bindings).
    /// </summary>
    public GpuDescriptorPool(GpuDevice device, uint setsPerLayout, params ReadOnlySpan<GpuDescriptorSetLayout> layouts)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfZero(setsPerLayout);
        _device = device;
        var counts = new SortedDictionary<DescriptorType, uint>();
        foreach (var layout in layouts)
        {
            foreach (var binding in layout.Bindings)
            {
                counts[binding.Type] = counts.GetValueOrDefault(binding.Type) + binding.Count * setsPerLayout;
            }
        }
        var sizes = stackalloc DescriptorPoolSize[Math.Max(1, counts.Count)];
        var n = 0;
        foreach (var (type, count) in counts) sizes[n++] = new DescriptorPoolSize(type: type, descriptorCount: count);
        var info = new DescriptorPoolCreateInfo(maxSets: setsPerLayout * (uint)Math.Max(1, layouts.Length), poolSizeCount: (uint)n, pPoolSizes: sizes);
        DescriptorPool pool;
        device.Vk.CreateDescriptorPool(device.Handle, &info, null, &pool).Check("vkCreateDescriptorPool");
        Handle = pool;
    }

    internal DescriptorPool Handle { get; }

    /// <summary>Allocates a set of <paramref name="layout"/>.</summary>
    public GpuDescriptorSet Allocate(GpuDescriptorSetLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var layoutHandle = layout.Handle;
        var info = new DescriptorSetAllocateInfo(descriptorPool: Handle, descriptorSetCount: 1, pSetLayouts: &layoutHandle);
        DescriptorSet set;
        _device.Vk.AllocateDescriptorSets(_device.Handle, &info, &set).Check("vkAllocateDescriptorSets");
        return new GpuDescriptorSet(_device, set);
    }

    /// <summary>Retires the pool and every set allocated from it until the GPU is done with them.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var pool = Handle;
        device.Retire(() => device.Vk.DestroyDescriptorPool(device.Handle, pool, null));
    }
}

/// <summary>
/// A descriptor set. Writes take effect at once (vkUpdateDescriptorSets): write a set only while no
/// submission that uses it is in flight.
/// </summary>
public sealed unsafe class GpuDescriptorSet
{
    private readonly GpuDevice _device;

    internal GpuDescriptorSet(GpuDevice device, DescriptorSet handle)
    {
        _device = device;
        Handle = handle;
    }

    internal DescriptorSet Handle { get; }

    /// <summary>Points a uniform or storage buffer binding at (a range of) a buffer.</summary>
    public void WriteBuffer(uint binding, DescriptorType type, GpuBuffer buffer, ulong offsetBytes = 0, ulong rangeBytes = Vk.WholeSize)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var info = new DescriptorBufferInfo(buffer: buffer.Handle, offset: offsetBytes, range: rangeBytes);
        var write = new WriteDescriptorSet(dstSet: Handle, dstBinding: binding, descriptorCount: 1, descriptorType: type, pBufferInfo: &info);
        _device.Vk.UpdateDescriptorSets(_device.Handle, 1, &write, 0, null);
    }

    /// <summary>Points a combined image sampler binding (element <paramref name="arrayElement"/>) at an image's view, read in <paramref name="layout"/>.</summary>
    public void WriteImage(uint binding, GpuImage image, GpuSampler sampler, uint arrayElement = 0,
        ImageLayout layout = ImageLayout.ShaderReadOnlyOptimal)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(sampler);
        if (image.View.Handle == 0) throw new ArgumentException("the image has no view (create it with SAMPLED usage)", nameof(image));
        var info = new DescriptorImageInfo(sampler: sampler.Handle, imageView: image.View, imageLayout: layout);
        var write = new WriteDescriptorSet(dstSet: Handle, dstBinding: binding, dstArrayElement: arrayElement, descriptorCount: 1, descriptorType: DescriptorType.CombinedImageSampler, pImageInfo: &info);
        _device.Vk.UpdateDescriptorSets(_device.Handle, 1, &write, 0, null);
    }
}
