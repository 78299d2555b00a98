using Stage.Vulkan.Native;

namespace Stage.Vulkan;

/// <summary>How a <see cref="GpuSampler"/> reads an image.</summary>
public sealed record GpuSamplerDesc
{
    /// <summary>Linear (bilinear) or nearest filtering, for magnification and minification alike.</summary>
    public VkFilter Filter { get; init; } = VkFilter.VK_FILTER_LINEAR;

    /// <summary>Addressing outside 0..1 on every axis; clamp to edge by default.</summary>
    public VkSamplerAddressMode AddressMode { get; init; } = VkSamplerAddressMode.VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;

    /// <summary>A depth comparison (for <c>sampler2DShadow</c>), or null for a plain sampler.</summary>
    public VkCompareOp? Compare { get; init; }

    /// <summary>The border colour when <see cref="AddressMode"/> is clamp-to-border.</summary>
    public VkBorderColor BorderColor { get; init; } = VkBorderColor.VK_BORDER_COLOR_FLOAT_OPAQUE_WHITE;
}

/// <summary>A sampler: filtering, addressing and optional depth comparison; no mip maps, no anisotropy.</summary>
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
        var info = new VkSamplerCreateInfo
        {
            magFilter = desc.Filter,
            minFilter = desc.Filter,
            mipmapMode = VkSamplerMipmapMode.VK_SAMPLER_MIPMAP_MODE_NEAREST,
            addressModeU = desc.AddressMode,
            addressModeV = desc.AddressMode,
            addressModeW = desc.AddressMode,
            compareEnable = desc.Compare.HasValue,
            compareOp = desc.Compare ?? VkCompareOp.VK_COMPARE_OP_NEVER,
            minLod = 0,
            maxLod = 0,
            borderColor = desc.BorderColor,
        };
        VkSampler sampler;
        device.Commands.vkCreateSampler(device.Handle, &info, null, &sampler).Check("vkCreateSampler");
        Handle = sampler;
    }

    internal VkSampler Handle { get; }

    /// <summary>Retires the sampler until the GPU is done with it.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var sampler = Handle;
        device.Retire(() => device.Commands.vkDestroySampler(device.Handle, sampler, null));
    }
}
