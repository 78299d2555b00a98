using Stage.Vulkan;
using Stage.Vulkan.Native;

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
        using var staging = new GpuBuffer(device, (ulong)pixels.Length, VkBufferUsageFlags.VK_BUFFER_USAGE_TRANSFER_SRC_BIT, GpuMemoryUse.Upload);
        staging.Write(pixels);
        using var pool = new GpuCommandPool(device);
        GpuCommandBuffer cmd = pool.Allocate();
        cmd.Begin();
        cmd.Barrier(image, VkImageLayout.VK_IMAGE_LAYOUT_UNDEFINED, VkImageLayout.VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_NONE, VkAccessFlags2.VK_ACCESS_2_NONE,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_COPY_BIT, VkAccessFlags2.VK_ACCESS_2_TRANSFER_WRITE_BIT);
        for (uint layer = 0; layer < image.Layers; layer++) cmd.CopyBufferToImage(staging, image, layer, layer * layerBytes);
        cmd.Barrier(image, VkImageLayout.VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VkImageLayout.VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_COPY_BIT, VkAccessFlags2.VK_ACCESS_2_TRANSFER_WRITE_BIT,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT, VkAccessFlags2.VK_ACCESS_2_SHADER_SAMPLED_READ_BIT);
        cmd.End();
        device.Wait(device.Submit(cmd));
    }

    /// <summary>Undefined → colour attachment (the previous contents are discarded).</summary>
    public static void ToColorAttachment(GpuCommandBuffer cmd, GpuImage image) =>
        cmd.Barrier(image, VkImageLayout.VK_IMAGE_LAYOUT_UNDEFINED, VkImageLayout.VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT, VkAccessFlags2.VK_ACCESS_2_NONE,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, VkAccessFlags2.VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT);

    /// <summary>Undefined → depth attachment.</summary>
    public static void ToDepthAttachment(GpuCommandBuffer cmd, GpuImage image) =>
        cmd.Barrier(image, VkImageLayout.VK_IMAGE_LAYOUT_UNDEFINED, VkImageLayout.VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT, VkAccessFlags2.VK_ACCESS_2_NONE,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT | VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT,
            VkAccessFlags2.VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT | VkAccessFlags2.VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT);

    /// <summary>Colour attachment → sampled by fragment shaders.</summary>
    public static void ColorToSampled(GpuCommandBuffer cmd, GpuImage image) =>
        cmd.Barrier(image, VkImageLayout.VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VkImageLayout.VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, VkAccessFlags2.VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT, VkAccessFlags2.VK_ACCESS_2_SHADER_SAMPLED_READ_BIT);

    /// <summary>Depth attachment → sampled by fragment shaders (a shadow map).</summary>
    public static void DepthToSampled(GpuCommandBuffer cmd, GpuImage image) =>
        cmd.Barrier(image, VkImageLayout.VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL, VkImageLayout.VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT, VkAccessFlags2.VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT, VkAccessFlags2.VK_ACCESS_2_SHADER_SAMPLED_READ_BIT);

    /// <summary>
    /// Records the copy of every layer of <paramref name="image"/> into <paramref name="buffer"/> at
    /// <paramref name="offsetBytes"/> (first moving it from <paramref name="currentLayout"/> to TRANSFER_SRC_OPTIMAL
    /// when it is not there yet) and the transfer → host barrier.
    /// </summary>
    public static void CopyOut(GpuCommandBuffer cmd, GpuImage image, VkImageLayout currentLayout, GpuBuffer buffer, ulong offsetBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        ArgumentNullException.ThrowIfNull(image);
        var layerBytes = (ulong)image.Width * image.Height * (ulong)BytesPerPixel(image.Format);
        if (currentLayout != VkImageLayout.VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL) ToTransferSource(cmd, image, currentLayout);
        for (uint layer = 0; layer < image.Layers; layer++) cmd.CopyImageToBuffer(image, buffer, layer, offsetBytes + layer * layerBytes);
        cmd.MemoryBarrier(VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_COPY_BIT, VkAccessFlags2.VK_ACCESS_2_TRANSFER_WRITE_BIT,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_HOST_BIT, VkAccessFlags2.VK_ACCESS_2_HOST_READ_BIT);
    }

    private static void ToTransferSource(GpuCommandBuffer cmd, GpuImage image, VkImageLayout currentLayout)
    {
        var (srcStage, srcAccess) = currentLayout == VkImageLayout.VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL
            ? (VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT, VkAccessFlags2.VK_ACCESS_2_NONE)
            : (VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT | VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_CLEAR_BIT,
               VkAccessFlags2.VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT | VkAccessFlags2.VK_ACCESS_2_TRANSFER_WRITE_BIT);
        cmd.Barrier(image, currentLayout, VkImageLayout.VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
            srcStage, srcAccess, VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_COPY_BIT, VkAccessFlags2.VK_ACCESS_2_TRANSFER_READ_BIT);
    }

    /// <summary>Bytes per pixel of the colour formats the renderer uses.</summary>
    public static int BytesPerPixel(VkFormat format) => format switch
    {
        VkFormat.VK_FORMAT_R8G8B8A8_UNORM or VkFormat.VK_FORMAT_R8G8B8A8_SRGB or VkFormat.VK_FORMAT_B8G8R8A8_UNORM or VkFormat.VK_FORMAT_B8G8R8A8_SRGB => 4,
        VkFormat.VK_FORMAT_R16G16B16A16_SFLOAT or VkFormat.VK_FORMAT_R16G16B16A16_UNORM => 8,
        VkFormat.VK_FORMAT_D32_SFLOAT or VkFormat.VK_FORMAT_R32_SFLOAT => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a format the renderer uses"),
    };
}
