using Stage.Vulkan;
using Silk.NET.Vulkan;

namespace Stage.Render.Gpu;

/// <summary>One-off uploads and the barriers the renderer repeats, in one place.</summary>
public static class GpuTransfers
{
    /// <summary>
    /// Uploads tightly packed pixels into every layer of an image (layer after layer in <paramref name="pixels"/>)
    /// through a staging buffer, waits, and leaves the image in SHADER_READ_ONLY_OPTIMAL.
    /// </summary>
    public static void UploadImage(GpuDevice device, GpuImage image, ReadOnlySpan<byte> pixels)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(image);
        if (pixels.Length % image.Layers != 0) throw new ArgumentException("pixels must hold the same number of bytes for every layer", nameof(pixels));
        var layerBytes = (ulong)pixels.Length / image.Layers;
        using var staging = new GpuBuffer(device, (ulong)pixels.Length, BufferUsageFlags.TransferSrcBit, GpuMemoryUse.Upload);
        staging.Write(pixels);
        using var pool = new GpuCommandPool(device);
        GpuCommandBuffer cmd = pool.Allocate();
        cmd.Begin();
        cmd.Barrier(image, ImageLayout.Undefined, ImageLayout.TransferDstOptimal,
            PipelineStageFlags2.None, AccessFlags2.None,
            PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit);
        for (uint layer = 0; layer < image.Layers; layer++) cmd.CopyBufferToImage(staging, image, layer, layer * layerBytes);
        cmd.Barrier(image, ImageLayout.TransferDstOptimal, ImageLayout.ShaderReadOnlyOptimal,
            PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit,
            PipelineStageFlags2.FragmentShaderBit, AccessFlags2.ShaderSampledReadBit);
        cmd.End();
        device.Wait(device.Submit(cmd));
    }

    /// <summary>Undefined → colour attachment (the previous contents are discarded).</summary>
    public static void ToColorAttachment(GpuCommandBuffer cmd, GpuImage image) =>
        cmd.Barrier(image, ImageLayout.Undefined, ImageLayout.ColorAttachmentOptimal,
            PipelineStageFlags2.AllCommandsBit, AccessFlags2.None,
            PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit);

    /// <summary>Undefined → depth attachment.</summary>
    public static void ToDepthAttachment(GpuCommandBuffer cmd, GpuImage image) =>
        cmd.Barrier(image, ImageLayout.Undefined, ImageLayout.DepthAttachmentOptimal,
            PipelineStageFlags2.AllCommandsBit, AccessFlags2.None,
            PipelineStageFlags2.EarlyFragmentTestsBit | PipelineStageFlags2.LateFragmentTestsBit,
            AccessFlags2.DepthStencilAttachmentReadBit | AccessFlags2.DepthStencilAttachmentWriteBit);

    /// <summary>Colour attachment → sampled by fragment shaders.</summary>
    public static void ColorToSampled(GpuCommandBuffer cmd, GpuImage image) =>
        cmd.Barrier(image, ImageLayout.ColorAttachmentOptimal, ImageLayout.ShaderReadOnlyOptimal,
            PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit,
            PipelineStageFlags2.FragmentShaderBit, AccessFlags2.ShaderSampledReadBit);

    /// <summary>Depth attachment → sampled by fragment shaders (a shadow map).</summary>
    public static void DepthToSampled(GpuCommandBuffer cmd, GpuImage image) =>
        cmd.Barrier(image, ImageLayout.DepthAttachmentOptimal, ImageLayout.ShaderReadOnlyOptimal,
            PipelineStageFlags2.LateFragmentTestsBit, AccessFlags2.DepthStencilAttachmentWriteBit,
            PipelineStageFlags2.FragmentShaderBit, AccessFlags2.ShaderSampledReadBit);

    /// <summary>
    /// Records the copy of every layer of <paramref name="image"/> into <paramref name="buffer"/> at
    /// <paramref name="offsetBytes"/> (first moving it from <paramref name="currentLayout"/> to TRANSFER_SRC_OPTIMAL
    /// when it is not there yet) and the transfer → host barrier.
    /// </summary>
    public static void CopyOut(GpuCommandBuffer cmd, GpuImage image, ImageLayout currentLayout, GpuBuffer buffer, ulong offsetBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        ArgumentNullException.ThrowIfNull(image);
        var layerBytes = (ulong)image.Width * image.Height * (ulong)BytesPerPixel(image.Format);
        if (currentLayout != ImageLayout.TransferSrcOptimal) ToTransferSource(cmd, image, currentLayout);
        for (uint layer = 0; layer < image.Layers; layer++) cmd.CopyImageToBuffer(image, buffer, layer, offsetBytes + layer * layerBytes);
        cmd.MemoryBarrier(PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit,
            PipelineStageFlags2.HostBit, AccessFlags2.HostReadBit);
    }

    private static void ToTransferSource(GpuCommandBuffer cmd, GpuImage image, ImageLayout currentLayout)
    {
        var (srcStage, srcAccess) = currentLayout == ImageLayout.ShaderReadOnlyOptimal
            ? (PipelineStageFlags2.FragmentShaderBit, AccessFlags2.None)
            : (PipelineStageFlags2.ColorAttachmentOutputBit | PipelineStageFlags2.ClearBit,
               AccessFlags2.ColorAttachmentWriteBit | AccessFlags2.TransferWriteBit);
        cmd.Barrier(image, currentLayout, ImageLayout.TransferSrcOptimal,
            srcStage, srcAccess, PipelineStageFlags2.CopyBit, AccessFlags2.TransferReadBit);
    }

    /// <summary>Bytes per pixel of the colour formats the renderer uses.</summary>
    public static int BytesPerPixel(Format format) => format switch
    {
        Format.R8G8B8A8Unorm or Format.R8G8B8A8Srgb or Format.B8G8R8A8Unorm or Format.B8G8R8A8Srgb => 4,
        Format.R16G16B16A16Sfloat or Format.R16G16B16A16Unorm or Format.R32G32Sfloat => 8,
        Format.D32Sfloat or Format.R32Sfloat => 4,
        Format.A2B10G10R10UnormPack32 or Format.A2R10G10B10UnormPack32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a format the renderer uses"),
    };
}
