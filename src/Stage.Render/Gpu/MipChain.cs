using Stage.Vulkan;
using Silk.NET.Vulkan;

namespace Stage.Render.Gpu;

/// <summary>
/// Builds an image's mip chain on the GPU, inside the frame's command buffer: each level a linear blit (2 × 2 box) of
/// the one above. The compose pass samples the inner images trilinearly, so where a wall's LED pitch is coarser than
/// the inner render a wall pixel averages the texels it covers instead of picking one (no shimmer, no moiré).
/// </summary>
public static class MipChain
{
    /// <summary>
    /// Records the chain of <paramref name="image"/>: level 0 (every layer) was just drawn as a colour attachment and is
    /// in COLOR_ATTACHMENT_OPTIMAL; the other levels' contents are discarded and rebuilt. Leaves every level in
    /// SHADER_READ_ONLY_OPTIMAL for fragment shaders. An image without mips is only moved to SHADER_READ_ONLY_OPTIMAL.
    /// </summary>
    public static void Generate(GpuCommandBuffer cmd, GpuImage image)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        ArgumentNullException.ThrowIfNull(image);
        if (image.MipLevels == 1)
        {
            GpuTransfers.ColorToSampled(cmd, image);
            return;
        }
        const PipelineStageFlags2 blit = PipelineStageFlags2.BlitBit;
        cmd.Barrier(image, 0, 1, ImageLayout.ColorAttachmentOptimal, ImageLayout.TransferSrcOptimal,
            PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit, blit, AccessFlags2.TransferReadBit);
        // The lower levels were last read by the previous frame's compose (ordered by the frame's first barrier on the image).
        cmd.Barrier(image, 1, image.MipLevels - 1, ImageLayout.Undefined, ImageLayout.TransferDstOptimal,
            PipelineStageFlags2.AllCommandsBit, AccessFlags2.None, blit, AccessFlags2.TransferWriteBit);
        for (uint level = 1; level < image.MipLevels; level++)
        {
            cmd.BlitLevel(image, level - 1, level, Filter.Linear);
            cmd.Barrier(image, level, 1, ImageLayout.TransferDstOptimal, ImageLayout.TransferSrcOptimal,
                blit, AccessFlags2.TransferWriteBit, blit, AccessFlags2.TransferReadBit);
        }
        cmd.Barrier(image, 0, image.MipLevels, ImageLayout.TransferSrcOptimal, ImageLayout.ShaderReadOnlyOptimal,
            blit, AccessFlags2.TransferWriteBit, PipelineStageFlags2.FragmentShaderBit, AccessFlags2.ShaderSampledReadBit);
    }
}
