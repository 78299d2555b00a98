using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Silk.NET.Vulkan;
using Stage.Core.Colour;
using Stage.Render.Compose;
using Stage.Render.Gpu;
using Stage.Vulkan;

namespace Stage.Render.Colour;

/// <summary>
/// The compose pass's encoding alone (shaders/encode.frag, the same colour.glsl): an image of working-space light encoded
/// texel for texel for one output, with one grade — what the GPU-equals-CPU tests compare with <see cref="ColourEncoder"/>.
/// Synchronous (waits for the GPU); not on the live path.
/// </summary>
public sealed class ColourEncodePass : IDisposable
{
    private readonly GpuDevice _device;
    private readonly GpuDescriptorSetLayout _layout;
    private readonly GpuDescriptorSetLayout _outputLayout;
    private readonly GpuDescriptorPool _pool;
    private readonly GpuDescriptorPool _outputPool;
    private readonly OutputEncoding _encoding;
    private readonly GpuBuffer _grades;
    private readonly GpuBuffer _counts;
    private readonly GpuSampler _sampler;
    private readonly GpuGraphicsPipeline _pipeline;
    private readonly GpuDescriptorSet _set;
    private readonly bool _count;

    /// <summary>A pass encoding for <paramref name="colour"/> at <paramref name="bitDepth"/> bits with <paramref name="grade"/>.</summary>
    public ColourEncodePass(GpuDevice device, Primaries workingSpace, OutputColour colour, int bitDepth, AscCdl grade)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        TargetFormat = CanvasCompositorOptions.DefaultCanvasFormat(new Core.Configuration.OutputCanvas { Id = "encode", PixelWidth = 1, PixelHeight = 1, BitDepth = bitDepth, Regions = [] });
        _count = device.FragmentStoresAndAtomics;
        _layout = new GpuDescriptorSetLayout(device,
            new GpuDescriptorBinding(0, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(3, DescriptorType.UniformBuffer, ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(4, DescriptorType.StorageBuffer, ShaderStageFlags.FragmentBit));
        _outputLayout = OutputEncoding.CreateLayout(device);
        _pool = new GpuDescriptorPool(device, 1, _layout);
        _outputPool = new GpuDescriptorPool(device, 1, _outputLayout);
        _encoding = new OutputEncoding(device, workingSpace, colour, bitDepth, 0, _outputLayout, _outputPool);
        var grades = new GradeUniforms();
        grades.Camera[0] = GradeUniform.From(grade);
        _grades = new GpuBuffer(device, (ulong)Unsafe.SizeOf<GradeUniforms>(), BufferUsageFlags.UniformBufferBit, GpuMemoryUse.Upload);
        _grades.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<GradeUniforms>(ref grades)));
        _counts = new GpuBuffer(device, 8, BufferUsageFlags.StorageBufferBit | BufferUsageFlags.TransferDstBit, GpuMemoryUse.Readback);
        _sampler = new GpuSampler(device, new GpuSamplerDesc { Filter = Filter.Nearest });
        _set = _pool.Allocate(_layout);
        _set.WriteBuffer(3, DescriptorType.UniformBuffer, _grades);
        _set.WriteBuffer(4, DescriptorType.StorageBuffer, _counts);
        _pipeline = new GpuGraphicsPipeline(device, new GpuGraphicsPipelineDesc
        {
            VertexSpirv = GpuShaders.Load("encode.vert"),
            FragmentSpirv = GpuShaders.Load("encode.frag"),
            ColorFormat = TargetFormat,
            FragmentConstants = _encoding.Constants(TargetFormat, _count),
            DescriptorSetLayouts = [_layout, _outputLayout],
        });
    }

    /// <summary>The target's format: what a canvas of the bit depth is (R8G8B8A8_SRGB at 8 bits, else R16G16B16A16_UNORM).</summary>
    public Format TargetFormat { get; }

    /// <summary>The CPU reference of the same encoding.</summary>
    public ColourEncoder Reference => _encoding.Reference;

    /// <summary>
    /// Encodes <paramref name="width"/> × <paramref name="height"/> RGBA float texels of working-space light; returns the
    /// target's texels as read back (RGBA, 8 or 16 bits per channel, little-endian) and the pixels counted.
    /// </summary>
    public (byte[] Pixels, ColourCounts Counts) Encode(ReadOnlySpan<float> rgba, int width, int height)
    {
        if (rgba.Length != width * height * 4) throw new ArgumentException("expected width × height RGBA texels", nameof(rgba));
        using var source = new GpuImage(_device, (uint)width, (uint)height, Format.R32G32B32A32Sfloat, ImageUsageFlags.SampledBit | ImageUsageFlags.TransferDstBit);
        GpuTransfers.UploadImage(_device, source, MemoryMarshal.AsBytes(rgba));
        using var target = new GpuImage(_device, (uint)width, (uint)height, TargetFormat, ImageUsageFlags.ColorAttachmentBit | ImageUsageFlags.TransferSrcBit);
        int bytes = width * height * GpuTransfers.BytesPerPixel(TargetFormat);
        using var readback = new GpuBuffer(_device, (ulong)bytes, BufferUsageFlags.TransferDstBit, GpuMemoryUse.Readback);
        _set.WriteImage(0, source, _sampler);
        using var pool = new GpuCommandPool(_device);
        GpuCommandBuffer cmd = pool.Allocate();
        cmd.Begin();
        cmd.FillBuffer(_counts, 0);
        cmd.MemoryBarrier(PipelineStageFlags2.AllTransferBit, AccessFlags2.TransferWriteBit, PipelineStageFlags2.FragmentShaderBit, AccessFlags2.ShaderStorageReadBit | AccessFlags2.ShaderStorageWriteBit);
        GpuTransfers.ToColorAttachment(cmd, target);
        cmd.BeginRendering(target, (0f, 0f, 0f, 1f));
        cmd.BindPipeline(_pipeline, target.Width, target.Height);
        cmd.BindDescriptorSets(_pipeline, 0, _set, _encoding.Set);
        cmd.Draw(3);
        cmd.EndRendering();
        cmd.MemoryBarrier(PipelineStageFlags2.FragmentShaderBit, AccessFlags2.ShaderStorageWriteBit, PipelineStageFlags2.HostBit, AccessFlags2.HostReadBit);
        GpuTransfers.CopyOut(cmd, target, ImageLayout.ColorAttachmentOptimal, readback);
        cmd.End();
        _device.Wait(_device.Submit(cmd));
        var pixels = new byte[bytes];
        readback.Read(pixels);
        var counted = new uint[2];
        _counts.Read(MemoryMarshal.AsBytes(counted.AsSpan()));
        return (pixels, new ColourCounts(counted[0], counted[1]));
    }

    /// <summary>Retires the pass.</summary>
    public void Dispose()
    {
        _device.WaitIdle();
        _pipeline.Dispose();
        _sampler.Dispose();
        _counts.Dispose();
        _grades.Dispose();
        _encoding.Dispose();
        _outputPool.Dispose();
        _pool.Dispose();
        _outputLayout.Dispose();
        _layout.Dispose();
    }
}
