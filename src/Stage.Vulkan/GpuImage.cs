using Stage.Vulkan.Native;

namespace Stage.Vulkan;

/// <summary>A 2D image in device-local memory with one view over all of it.</summary>
public sealed unsafe class GpuImage : IDisposable
{
    private readonly GpuDevice _device;
    private readonly GpuAllocation _allocation;
    private bool _disposed;

    /// <summary>Creates a 2D, single-mip, single-layer, optimally tiled image and its view.</summary>
    public GpuImage(GpuDevice device, uint width, uint height, VkFormat format, VkImageUsageFlags usage)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfZero(width);
        ArgumentOutOfRangeException.ThrowIfZero(height);
        _device = device;
        Width = width;
        Height = height;
        Format = format;
        Aspect = IsDepthFormat(format) ? VkImageAspectFlags.VK_IMAGE_ASPECT_DEPTH_BIT : VkImageAspectFlags.VK_IMAGE_ASPECT_COLOR_BIT;
        var info = new VkImageCreateInfo
        {
            imageType = VkImageType.VK_IMAGE_TYPE_2D,
            format = format,
            extent = new VkExtent3D { width = width, height = height, depth = 1 },
            mipLevels = 1,
            arrayLayers = 1,
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
                        viewType = VkImageViewType.VK_IMAGE_VIEW_TYPE_2D,
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

    /// <summary>Colour or depth.</summary>
    public VkImageAspectFlags Aspect { get; }

    /// <summary>The one mip level and layer of the image, in its aspect.</summary>
    internal VkImageSubresourceRange FullRange => new() { aspectMask = Aspect, baseMipLevel = 0, levelCount = 1, baseArrayLayer = 0, layerCount = 1 };

    /// <summary>True for the depth formats Stage uses.</summary>
    public static bool IsDepthFormat(VkFormat format) => format is VkFormat.VK_FORMAT_D32_SFLOAT or VkFormat.VK_FORMAT_D16_UNORM
        or VkFormat.VK_FORMAT_X8_D24_UNORM_PACK32;

    /// <summary>Retires the image and its view: destroyed once the GPU is done with them.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var (image, view, allocation) = (Handle, View, _allocation);
        device.Retire(() =>
        {
            if (!view.IsNull) device.Commands.vkDestroyImageView(device.Handle, view, null);
            device.Commands.vkDestroyImage(device.Handle, image, null);
            device.Memory.Free(allocation);
        });
    }
}
