using Stage.Vulkan.Native;

namespace Stage.Vulkan;

/// <summary>A 2D image in device-local memory with one view over all of it.</summary>
public sealed unsafe class GpuImage : IDisposable
{
    private readonly GpuDevice _device;
    private readonly GpuAllocation _allocation;
    private readonly bool _ownsImage = true;
    private bool _disposed;

    private VkImageView[]? _layerViews;

    /// <summary>
    /// Creates a 2D, single-mip, optimally tiled image and its view. With <paramref name="layers"/> &gt; 1
    /// it is a 2D array (one view over every layer for sampling, <see cref="LayerView"/> per layer for rendering).
    /// </summary>
    public GpuImage(GpuDevice device, uint width, uint height, VkFormat format, VkImageUsageFlags usage, uint layers = 1)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfZero(width);
        ArgumentOutOfRangeException.ThrowIfZero(height);
        ArgumentOutOfRangeException.ThrowIfZero(layers);
        _device = device;
        Width = width;
        Height = height;
        Format = format;
        Layers = layers;
        Aspect = IsDepthFormat(format) ? VkImageAspectFlags.VK_IMAGE_ASPECT_DEPTH_BIT : VkImageAspectFlags.VK_IMAGE_ASPECT_COLOR_BIT;
        var info = new VkImageCreateInfo
        {
            imageType = VkImageType.VK_IMAGE_TYPE_2D,
            format = format,
            extent = new VkExtent3D { width = width, height = height, depth = 1 },
            mipLevels = 1,
            arrayLayers = layers,
            samples = VkSampleCountFlags.VK_SAMPLE_COUNT_1_BIT,
            tiling = VkImageTiling.VK_IMAGE_TILING_OPTIMAL,
            usage = usage,
            sharingMode = VkSharingMode.VK_SHARING_MODE_EXCLUSIVE,
            initialLayout = VkImageLayout.VK_IMAGE_LAYOUT_UNDEFINED,
        };
        VkImage image;
        device.Commands.vkCreateImage(device.Handle, &info, null, &image).Check("vkCreateImage");
        VkImageView view;
        try
        {
            VkMemoryRequirements requirements;
            device.Commands.vkGetImageMemoryRequirements(device.Handle, image, &requirements);
            _allocation = device.Memory.Allocate(requirements, GpuMemoryUse.GpuOnly);
            try
            {
                device.Commands.vkBindImageMemory(device.Handle, image, _allocation.Block.Memory, _allocation.Offset).Check("vkBindImageMemory");
                view = VkImageView.Null;
                if ((usage & ViewUsages) != 0)
                {
                    var viewInfo = new VkImageViewCreateInfo
                    {
                        image = image,
                        viewType = layers > 1 ? VkImageViewType.VK_IMAGE_VIEW_TYPE_2D_ARRAY : VkImageViewType.VK_IMAGE_VIEW_TYPE_2D,
                        format = format,
                        subresourceRange = FullRange,
                    };
                    device.Commands.vkCreateImageView(device.Handle, &viewInfo, null, &view).Check("vkCreateImageView");
                }
            }
            catch
            {
                device.Memory.Free(_allocation);
                throw;
            }
        }
        catch
        {
            device.Commands.vkDestroyImage(device.Handle, image, null);
            throw;
        }
        Handle = image;
        View = view;
    }

    /// <summary>
    /// Wraps an image someone else owns (a swapchain's): a view is made when <paramref name="withView"/>,
    /// and only the view is destroyed on dispose.
    /// </summary>
    internal GpuImage(GpuDevice device, VkImage image, uint width, uint height, VkFormat format, bool withView)
    {
        _device = device;
        _ownsImage = false;
        _allocation = null!; // the owner (the swapchain) holds the memory
        Handle = image;
        Width = width;
        Height = height;
        Format = format;
        Layers = 1;
        Aspect = VkImageAspectFlags.VK_IMAGE_ASPECT_COLOR_BIT;
        var view = VkImageView.Null;
        if (withView)
        {
            var viewInfo = new VkImageViewCreateInfo
            {
                image = image,
                viewType = VkImageViewType.VK_IMAGE_VIEW_TYPE_2D,
                format = format,
                subresourceRange = FullRange,
            };
            device.Commands.vkCreateImageView(device.Handle, &viewInfo, null, &view).Check("vkCreateImageView");
        }
        View = view;
    }

    // A view is only valid for an image usable through one (VUID-VkImageViewCreateInfo-image-04441).
    private const VkImageUsageFlags ViewUsages = VkImageUsageFlags.VK_IMAGE_USAGE_SAMPLED_BIT | VkImageUsageFlags.VK_IMAGE_USAGE_STORAGE_BIT
        | VkImageUsageFlags.VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VkImageUsageFlags.VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT
        | VkImageUsageFlags.VK_IMAGE_USAGE_INPUT_ATTACHMENT_BIT | VkImageUsageFlags.VK_IMAGE_USAGE_TRANSIENT_ATTACHMENT_BIT;

    /// <summary>The image handle.</summary>
    internal VkImage Handle { get; }

    /// <summary>The view over the whole image (null when the usage allows no view, e.g. transfer-only).</summary>
    internal VkImageView View { get; }

    /// <summary>Width in pixels.</summary>
    public uint Width { get; }

    /// <summary>Height in pixels.</summary>
    public uint Height { get; }

    /// <summary>The pixel format.</summary>
    public VkFormat Format { get; }

    /// <summary>Array layers (1 for a plain 2D image).</summary>
    public uint Layers { get; }

    /// <summary>Colour or depth.</summary>
    public VkImageAspectFlags Aspect { get; }

    /// <summary>The one mip level and every layer of the image, in its aspect.</summary>
    internal VkImageSubresourceRange FullRange => new() { aspectMask = Aspect, baseMipLevel = 0, levelCount = 1, baseArrayLayer = 0, layerCount = Layers };

    /// <summary>
    /// A 2D view of one layer (rendering into a layer of an array); the whole-image view for a
    /// single-layer image. Created on first use, destroyed with the image.
    /// </summary>
    internal VkImageView LayerView(uint layer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Layers);
        if (Layers == 1) return View;
        _layerViews ??= new VkImageView[Layers];
        if (_layerViews[layer].IsNull)
        {
            var viewInfo = new VkImageViewCreateInfo
            {
                image = Handle,
                viewType = VkImageViewType.VK_IMAGE_VIEW_TYPE_2D,
                format = Format,
                subresourceRange = new VkImageSubresourceRange { aspectMask = Aspect, baseMipLevel = 0, levelCount = 1, baseArrayLayer = layer, layerCount = 1 },
            };
            VkImageView view;
            _device.Commands.vkCreateImageView(_device.Handle, &viewInfo, null, &view).Check("vkCreateImageView");
            _layerViews[layer] = view;
        }
        return _layerViews[layer];
    }

    /// <summary>True for the depth formats Stage uses.</summary>
    public static bool IsDepthFormat(VkFormat format) => format is VkFormat.VK_FORMAT_D32_SFLOAT or VkFormat.VK_FORMAT_D16_UNORM
        or VkFormat.VK_FORMAT_X8_D24_UNORM_PACK32;

    /// <summary>Retires the image and its view: destroyed once the GPU is done with them.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var (image, view, allocation, layerViews, owns) = (Handle, View, _allocation, _layerViews, _ownsImage);
        device.Retire(() =>
        {
            foreach (var layerView in layerViews ?? []) if (!layerView.IsNull) device.Commands.vkDestroyImageView(device.Handle, layerView, null);
            if (!view.IsNull) device.Commands.vkDestroyImageView(device.Handle, view, null);
            if (!owns) return;
            device.Commands.vkDestroyImage(device.Handle, image, null);
            device.Memory.Free(allocation);
        });
    }
}
