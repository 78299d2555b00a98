namespace Stage.Vulkan;

/// <summary>How a <see cref="GpuSampler"/> reads an image.</summary>
public sealed record GpuSamplerDesc
{
    /// <summary>Linear (bilinear) or nearest filtering, for magnification and minification alike.</summary>
    public Filter Filter { get; init; } = Filter.Linear;

    /// <summary>Addressing outside 0..1 on every axis; clamp to edge by default.</summary>
    public SamplerAddressMode AddressMode { get; init; } = SamplerAddressMode.ClampToEdge;

    /// <summary>A depth comparison (for <c>sampler2DShadow</c>), or null for a plain sampler.</summary>
    public CompareOp? Compare { get; init; }

    /// <summary>
    /// Filter between mip levels too (trilinear with <see cref="Filter"/> linear): the level comes from the screen-space
    /// derivatives of the coordinates, for an image with a mip chain. Off: level 0 only.
    /// </summary>
    public bool Mipmaps { get; init; }

    /// <summary>The border colour when <see cref="AddressMode"/> is clamp-to-border.</summary>
    public BorderColor BorderColor { get; init; } = BorderColor.FloatOpaqueWhite;
}

/// <summary>A sampler: filtering, addressing, optional depth comparison and optional trilinear mip filtering; no anisotropy.</summary>
public sealed unsafe class GpuSampler : IDisposable
{
    private readonly GpuDevice _device;
    private bool _disposed;

    /// <summary>Creates a sampler.</summary>
    public GpuSampler(GpuDevice device, GpuSamplerDesc? desc = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        desc ??= new GpuSamplerDesc();
        _device = device;
        var info = new SamplerCreateInfo(magFilter: desc.Filter, minFilter: desc.Filter, mipmapMode: desc.Mipmaps ? SamplerMipmapMode.Linear : SamplerMipmapMode.Nearest, addressModeU: desc.AddressMode, addressModeV: desc.AddressMode, addressModeW: desc.AddressMode, compareEnable: desc.Compare.HasValue, compareOp: desc.Compare ?? CompareOp.Never, minLod: 0, maxLod: desc.Mipmaps ? Vk.LodClampNone : 0, borderColor: desc.BorderColor);
        Sampler sampler;
        device.Vk.CreateSampler(device.Handle, &info, null, &sampler).Check("vkCreateSampler");
        Handle = sampler;
    }

    internal Sampler Handle { get; }

    /// <summary>Retires the sampler until the GPU is done with it.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var sampler = Handle;
        device.Retire(() => device.Vk.DestroySampler(device.Handle, sampler, null));
    }
}
