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

    /// <summary>Addressing along v when it differs from u (<see cref="AddressMode"/>); null: the same.</summary>
    public SamplerAddressMode? AddressModeV { get; init; }

    /// <summary>Mip levels the sampler may read (0: level 0 only, as before); <see cref="Vk.LodClampNone"/> for all.</summary>
    public float MaxLod { get; init; }

    /// <summary>Linear blending between mip levels (trilinear) or the nearest level.</summary>
    public SamplerMipmapMode MipmapMode { get; init; } = SamplerMipmapMode.Nearest;

    /// <summary>Anisotropic filtering up to this many samples (≤ 1 off); used only where the device enabled <c>samplerAnisotropy</c>, clamped to its limit.</summary>
    public float MaxAnisotropy { get; init; }
}

/// <summary>A sampler: filtering, addressing, mip levels (trilinear where asked), anisotropy where offered, and optional depth comparison.</summary>
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
        float anisotropy = device.SamplerAnisotropy ? Math.Min(desc.MaxAnisotropy, device.Limits.MaxSamplerAnisotropy) : 0;
        // Mipmaps is the short way to say "trilinear over the whole chain"; otherwise MipmapMode and MaxLod say it.
        var info = new SamplerCreateInfo(magFilter: desc.Filter, minFilter: desc.Filter, mipmapMode: desc.Mipmaps ? SamplerMipmapMode.Linear : desc.MipmapMode,
            addressModeU: desc.AddressMode, addressModeV: desc.AddressModeV ?? desc.AddressMode, addressModeW: desc.AddressMode, anisotropyEnable: anisotropy > 1,
            maxAnisotropy: Math.Max(1, anisotropy), compareEnable: desc.Compare.HasValue, compareOp: desc.Compare ?? CompareOp.Never, minLod: 0,
            maxLod: desc.Mipmaps ? Vk.LodClampNone : desc.MaxLod, borderColor: desc.BorderColor);
        Anisotropy = anisotropy > 1 ? anisotropy : 1;
        Sampler sampler;
        device.Vk.CreateSampler(device.Handle, &info, null, &sampler).Check("vkCreateSampler");
        Handle = sampler;
    }

    internal Sampler Handle { get; }

    /// <summary>The anisotropy in effect (1: off, or the device does not offer it).</summary>
    public float Anisotropy { get; }

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
