using System.Numerics;
using Stage.Vulkan;
using Silk.NET.Vulkan;

namespace Stage.Windowing.Outputs;

/// <summary>
/// Draws a window's canvas into a swapchain image whose format the device cannot blit into (shaders/copy.frag; lavapipe
/// offers A2R10G10B10_UNORM at depth 30 with no <c>BLIT_DST</c>): one triangle over the image, the canvas sampled at the
/// image's pixel centres — nearest at the same size, so every pixel is its canvas texel exactly, linear when a rehearsal
/// window scales it. Used on the frames the canvas is not composed straight into the image (a frame whose canvas is
/// also read back, a window of another size). Built for one canvas and one swapchain format.
/// </summary>
internal sealed class SwapchainCopyPass : IDisposable
{
    private readonly GpuDescriptorSetLayout _layout;
    private readonly GpuDescriptorPool _pool;
    private readonly GpuGraphicsPipeline _pipeline;
    private readonly GpuSampler _nearest;
    private readonly GpuSampler _linear;
    private readonly GpuDescriptorSet _nearestSet;
    private readonly GpuDescriptorSet _linearSet;

    /// <summary>The pass from <paramref name="canvas"/> (a sampled image) into images of <paramref name="targetFormat"/>.</summary>
    public SwapchainCopyPass(GpuDevice device, GpuImage canvas, Format targetFormat)
    {
        Canvas = canvas;
        TargetFormat = targetFormat;
        _layout = new GpuDescriptorSetLayout(device, new GpuDescriptorBinding(0, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit));
        _pool = new GpuDescriptorPool(device, 2, _layout);
        _pipeline = new GpuGraphicsPipeline(device, new GpuGraphicsPipelineDesc
        {
            VertexSpirv = GpuShaders.Load("encode.vert"),
            FragmentSpirv = GpuShaders.Load("copy.frag"),
            ColorFormat = targetFormat,
            PushConstantBytes = 8,
            DescriptorSetLayouts = [_layout],
        });
        _nearest = new GpuSampler(device, new GpuSamplerDesc { Filter = Filter.Nearest });
        _linear = new GpuSampler(device, new GpuSamplerDesc { Filter = Filter.Linear });
        _nearestSet = _pool.Allocate(_layout);
        _nearestSet.WriteImage(0, canvas, _nearest);
        _linearSet = _pool.Allocate(_layout);
        _linearSet.WriteImage(0, canvas, _linear);
    }

    /// <summary>The canvas it draws.</summary>
    public GpuImage Canvas { get; }

    /// <summary>The format of the images it draws into.</summary>
    public Format TargetFormat { get; }

    /// <summary>
    /// Records the canvas (in TRANSFER_SRC_OPTIMAL after the compose pass; left so) drawn over all of
    /// <paramref name="target"/> (any layout before; COLOR_ATTACHMENT_OPTIMAL after).
    /// </summary>
    public void Record(GpuCommandBuffer commands, GpuImage target)
    {
        commands.Barrier(Canvas, ImageLayout.TransferSrcOptimal, ImageLayout.ShaderReadOnlyOptimal,
            PipelineStageFlags2.CopyBit | PipelineStageFlags2.BlitBit, AccessFlags2.None,
            PipelineStageFlags2.FragmentShaderBit, AccessFlags2.ShaderSampledReadBit);
        commands.Barrier(target, ImageLayout.Undefined, ImageLayout.ColorAttachmentOptimal,
            PipelineStageFlags2.AllCommandsBit, AccessFlags2.None,
            PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit);
        bool sameSize = Canvas.Width == target.Width && Canvas.Height == target.Height;
        commands.BeginRendering(target, (0f, 0f, 0f, 1f));
        commands.BindPipeline(_pipeline, target.Width, target.Height);
        commands.BindDescriptorSets(_pipeline, 0, sameSize ? _nearestSet : _linearSet);
        commands.PushConstants(_pipeline, new Vector2(target.Width, target.Height));
        commands.Draw(3);
        commands.EndRendering();
        // Back to where the compose pass left it: a readback of this frame copies from TRANSFER_SRC.
        commands.Barrier(Canvas, ImageLayout.ShaderReadOnlyOptimal, ImageLayout.TransferSrcOptimal,
            PipelineStageFlags2.FragmentShaderBit, AccessFlags2.None,
            PipelineStageFlags2.CopyBit, AccessFlags2.TransferReadBit);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _pipeline.Dispose();
        _linear.Dispose();
        _nearest.Dispose();
        _pool.Dispose();
        _layout.Dispose();
    }
}
