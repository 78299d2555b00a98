using System.Numerics;
namespace Stage.Vulkan;

/// <summary>A 2D (or, through <see cref="Create3D"/>, 3D) image in device-local memory with one view over all of it.</summary>
public sealed unsafe class GpuImage : IDisposable
{
    private readonly GpuDevice _device;
    private readonly GpuAllocation _allocation;
    private readonly bool _ownsImage = true;
    private bool _disposed;

    private ImageView[]? _layerViews;

    /// <summary>
    /// Creates a 2D, optimally tiled image and its view. With <paramref name="layers"/> &gt; 1
    /// it is a 2D array (one view over every layer for sampling, <see cref="LayerView"/> per layer for rendering).
    /// <paramref name="mipLevels"/> &gt; 1 gives it a mip chain (the view samples every level; rendering goes into level 0);
    /// <paramref name="samples"/> above one makes it a multisampled attachment (resolved into a single-sample image).
    /// </summary>
    public GpuImage(GpuDevice device, uint width, uint height, Format format, ImageUsageFlags usage, uint layers = 1,
        uint mipLevels = 1, SampleCountFlags samples = SampleCountFlags.Count1Bit)
        : this(device, width, height, 1, format, usage, layers, mipLevels, samples)
    {
    }

    /// <summary>
    /// Creates a 3D, optimally tiled image of <paramref name="width"/> × <paramref name="height"/> × <paramref name="depth"/>
    /// texels, one level, and its 3D view (a calibration LUT: one trilinear fetch samples it).
    /// </summary>
    public static GpuImage Create3D(GpuDevice device, uint width, uint height, uint depth, Format format, ImageUsageFlags usage)
    {
        ArgumentOutOfRangeException.ThrowIfZero(depth);
        return new GpuImage(device, width, height, depth, format, usage, 1, 1, SampleCountFlags.Count1Bit, true);
    }

    private GpuImage(GpuDevice device, uint width, uint height, uint depth, Format format, ImageUsageFlags usage, uint layers,
        uint mipLevels, SampleCountFlags samples, bool is3D = false)
    {
        ArgumentOutOfRangeException.ThrowIfZero(mipLevels);
        MipLevels = mipLevels;
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfZero(width);
        ArgumentOutOfRangeException.ThrowIfZero(height);
        ArgumentOutOfRangeException.ThrowIfZero(layers);
        ArgumentOutOfRangeException.ThrowIfZero(mipLevels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mipLevels, MipLevelsFor(width, height));
        if (samples != SampleCountFlags.Count1Bit && mipLevels != 1) throw new ArgumentException("a multisampled image has one mip level", nameof(mipLevels));
        _device = device;
        MipLevels = mipLevels;
        Samples = samples;
        Width = width;
        Height = height;
        Format = format;
        Layers = layers;
        Depth = depth;
        Aspect = IsDepthFormat(format) ? ImageAspectFlags.DepthBit : ImageAspectFlags.ColorBit;
        var info = new ImageCreateInfo(imageType: is3D ? ImageType.Type3D : ImageType.Type2D, format: format, extent: new Extent3D(width: width, height: height, depth: depth), mipLevels: mipLevels, arrayLayers: layers, samples: samples, tiling: ImageTiling.Optimal, usage: usage, sharingMode: SharingMode.Exclusive, initialLayout: ImageLayout.Undefined);
        Image image;
        device.Vk.CreateImage(device.Handle, &info, null, &image).Check("vkCreateImage");
        ImageView view;
        try
        {
            MemoryRequirements requirements;
            device.Vk.GetImageMemoryRequirements(device.Handle, image, &requirements);
            _allocation = device.Memory.Allocate(requirements, GpuMemoryUse.GpuOnly);
            try
            {
                device.Vk.BindImageMemory(device.Handle, image, _allocation.Block.Memory, _allocation.Offset).Check("vkBindImageMemory");
                view = default(ImageView);
                if ((usage & ViewUsages) != 0)
                {
                    var viewInfo = new ImageViewCreateInfo(image: image, viewType: is3D ? ImageViewType.Type3D : layers > 1 ? ImageViewType.Type2DArray : ImageViewType.Type2D, format: format, subresourceRange: FullRange);
                    device.Vk.CreateImageView(device.Handle, &viewInfo, null, &view).Check("vkCreateImageView");
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
            device.Vk.DestroyImage(device.Handle, image, null);
            throw;
        }
        Handle = image;
        View = view;
    }

    /// <summary>
    /// Wraps an image someone else owns (a swapchain's): a view is made when <paramref name="withView"/>,
    /// and only the view is destroyed on dispose.
    /// </summary>
    internal GpuImage(GpuDevice device, Image image, uint width, uint height, Format format, bool withView)
    {
        _device = device;
        _ownsImage = false;
        _allocation = null!; // the owner (the swapchain) holds the memory
        Handle = image;
        Width = width;
        Height = height;
        Format = format;
        Layers = 1;
        Depth = 1;
        MipLevels = 1;
        Samples = SampleCountFlags.Count1Bit;
        Aspect = ImageAspectFlags.ColorBit;
        var view = default(ImageView);
        if (withView)
        {
            var viewInfo = new ImageViewCreateInfo(image: image, viewType: ImageViewType.Type2D, format: format, subresourceRange: FullRange);
            device.Vk.CreateImageView(device.Handle, &viewInfo, null, &view).Check("vkCreateImageView");
        }
        View = view;
    }

    // A view is only valid for an image usable through one (VUID-ImageViewCreateInfo-image-04441).
    private const ImageUsageFlags ViewUsages = ImageUsageFlags.SampledBit | ImageUsageFlags.StorageBit
        | ImageUsageFlags.ColorAttachmentBit | ImageUsageFlags.DepthStencilAttachmentBit
        | ImageUsageFlags.InputAttachmentBit | ImageUsageFlags.TransientAttachmentBit;

    /// <summary>The image handle.</summary>
    internal Image Handle { get; }

    /// <summary>The view over the whole image (null when the usage allows no view, e.g. transfer-only).</summary>
    internal ImageView View { get; }

    /// <summary>Width in pixels.</summary>
    public uint Width { get; }

    /// <summary>Height in pixels.</summary>
    public uint Height { get; }

    /// <summary>The pixel format.</summary>
    public Format Format { get; }

    /// <summary>Depth in texels (1 unless the image is 3D).</summary>
    public uint Depth { get; }

    /// <summary>Array layers (1 for a plain 2D image).</summary>
    public uint Layers { get; }

    /// <summary>Mip levels (1: none; level 0 is the full size).</summary>
    public uint MipLevels { get; }

    /// <summary>Samples per pixel (one unless the image is a multisampled attachment).</summary>
    public SampleCountFlags Samples { get; }

    /// <summary>The levels of a full mip chain of a <paramref name="width"/> × <paramref name="height"/> image (down to 1 × 1).</summary>
    public static uint MipLevelsFor(uint width, uint height) => (uint)BitOperations.Log2(Math.Max(width, height)) + 1;

    /// <summary>Levels of a full mip chain down to 1 × 1 for an image of this size (<see cref="MipLevelsFor"/>).</summary>
    public static uint FullMipChain(uint width, uint height) => MipLevelsFor(width, height);

    /// <summary>Colour or depth.</summary>
    public ImageAspectFlags Aspect { get; }

    /// <summary>Every mip level and every layer of the image, in its aspect.</summary>
    internal ImageSubresourceRange FullRange => new(aspectMask: Aspect, baseMipLevel: 0, levelCount: MipLevels, baseArrayLayer: 0, layerCount: Layers);

    /// <summary>
    /// A 2D view of level 0 of one layer (rendering into a layer of an array, or into the top of a mip chain); the
    /// whole-image view for a single-layer image without mips. Created on first use, destroyed with the image.
    /// </summary>
    internal ImageView LayerView(uint layer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Layers);
        if (Layers == 1 && MipLevels == 1) return View;
        _layerViews ??= new ImageView[Layers];
        if (_layerViews[layer].Handle == 0)
        {
            var viewInfo = new ImageViewCreateInfo(image: Handle, viewType: ImageViewType.Type2D, format: Format, subresourceRange: new ImageSubresourceRange(aspectMask: Aspect, baseMipLevel: 0, levelCount: 1, baseArrayLayer: layer, layerCount: 1));
            ImageView view;
            _device.Vk.CreateImageView(_device.Handle, &viewInfo, null, &view).Check("vkCreateImageView");
            _layerViews[layer] = view;
        }
        return _layerViews[layer];
    }

    /// <summary>True for the depth formats Stage uses.</summary>
    public static bool IsDepthFormat(Format format) => format is Format.D32Sfloat or Format.D16Unorm
        or Format.X8D24UnormPack32;

    /// <summary>Retires the image and its view: destroyed once the GPU is done with them.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var (image, view, allocation, layerViews, owns) = (Handle, View, _allocation, _layerViews, _ownsImage);
        device.Retire(() =>
        {
            foreach (var layerView in layerViews ?? []) if (layerView.Handle != 0) device.Vk.DestroyImageView(device.Handle, layerView, null);
            if (view.Handle != 0) device.Vk.DestroyImageView(device.Handle, view, null);
            if (!owns) return;
            device.Vk.DestroyImage(device.Handle, image, null);
            device.Memory.Free(allocation);
        });
    }
}
