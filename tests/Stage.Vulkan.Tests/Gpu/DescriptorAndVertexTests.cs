using System.Runtime.InteropServices;
using Silk.NET.Vulkan;

namespace Stage.Vulkan.Tests.Gpu;

/// <summary>Samplers, descriptor sets, vertex buffers, uploads, layered and depth-only targets.</summary>
public sealed class DescriptorAndVertexTests
{
    private const ImageUsageFlags TargetUsage = ImageUsageFlags.ColorAttachmentBit | ImageUsageFlags.TransferSrcBit;

    [StructLayout(LayoutKind.Sequential)]
    private struct Vertex(float x, float y, float u, float v)
    {
        public float X = x, Y = y, U = u, V = v;
    }

    /// <summary>Uploads RGBA8 pixels into a sampled image and leaves it in SHADER_READ_ONLY_OPTIMAL.</summary>
    private static void Upload(GpuDevice device, GpuImage image, byte[] rgba)
    {
        using var staging = new GpuBuffer(device, (ulong)rgba.Length, BufferUsageFlags.TransferSrcBit, GpuMemoryUse.Upload);
        staging.Write(rgba);
        using var pool = new GpuCommandPool(device);
        var cmd = pool.Allocate();
        cmd.Begin();
        cmd.Barrier(image, ImageLayout.Undefined, ImageLayout.TransferDstOptimal,
            PipelineStageFlags2.None, AccessFlags2.None,
            PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit);
        cmd.CopyBufferToImage(staging, image);
        cmd.Barrier(image, ImageLayout.TransferDstOptimal, ImageLayout.ShaderReadOnlyOptimal,
            PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit,
            PipelineStageFlags2.FragmentShaderBit, AccessFlags2.ShaderSampledReadBit);
        cmd.End();
        device.Wait(device.Submit(cmd));
    }

    [Fact]
    public void A_texture_sampled_through_a_descriptor_set_and_a_vertex_buffer_reproduces_its_texels_times_the_uniform_tint()
    {
        GpuTest.Run(device =>
        {
            // A 4 × 4 texture drawn onto a 32 × 32 target by a full-screen quad from a vertex buffer:
            // each texel covers 8 × 8 pixels; nearest sampling gives exactly the texel, times the tint.
            const uint size = 32, texels = 4;
            var rgba = new byte[texels * texels * 4];
            for (var y = 0; y < texels; y++)
            for (var x = 0; x < texels; x++)
            {
                var i = (y * texels + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = ((byte)(x * 60 + 10), (byte)(y * 60 + 20), 200, 255);
            }
            using var texture = new GpuImage(device, texels, texels, Format.R8G8B8A8Unorm,
                ImageUsageFlags.SampledBit | ImageUsageFlags.TransferDstBit);
            Upload(device, texture, rgba);
            using var sampler = new GpuSampler(device, new GpuSamplerDesc { Filter = Filter.Nearest });
            using var tint = new GpuBuffer(device, 16, BufferUsageFlags.UniformBufferBit, GpuMemoryUse.Upload);
            tint.Write(MemoryMarshal.AsBytes<float>([1f, 1f, 0.5f, 1f]));
            using var layout = new GpuDescriptorSetLayout(device,
                new GpuDescriptorBinding(0, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit),
                new GpuDescriptorBinding(1, DescriptorType.UniformBuffer, ShaderStageFlags.FragmentBit));
            using var descriptorPool = new GpuDescriptorPool(device, 1, layout);
            var set = descriptorPool.Allocate(layout);
            set.WriteImage(0, texture, sampler);
            set.WriteBuffer(1, DescriptorType.UniformBuffer, tint);
            Vertex[] quad =
            [
                new(-1, -1, 0, 0), new(1, -1, 1, 0), new(1, 1, 1, 1),
                new(-1, -1, 0, 0), new(1, 1, 1, 1), new(-1, 1, 0, 1),
            ];
            using var vertices = new GpuBuffer(device, (ulong)(quad.Length * 16), BufferUsageFlags.VertexBufferBit, GpuMemoryUse.Upload);
            vertices.Write(MemoryMarshal.AsBytes(quad.AsSpan()));
            using var pipeline = new GpuGraphicsPipeline(device, new GpuGraphicsPipelineDesc
            {
                VertexSpirv = GpuShaders.Load("textured.vert"),
                FragmentSpirv = GpuShaders.Load("textured.frag"),
                ColorFormat = Format.R8G8B8A8Unorm,
                VertexStrideBytes = 16,
                VertexAttributes = [new(0, Format.R32G32Sfloat, 0), new(1, Format.R32G32Sfloat, 8)],
                DescriptorSetLayouts = [layout],
            });
            using var color = new GpuImage(device, size, size, Format.R8G8B8A8Unorm, TargetUsage);
            var pixels = GpuTest.RenderAndRead(device, color, null, (0f, 0f, 0f, 0f), cmd =>
            {
                cmd.BindPipeline(pipeline, size, size);
                cmd.BindDescriptorSets(pipeline, 0, set);
                cmd.BindVertexBuffer(vertices);
                cmd.Draw(6);
            });
            for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var (tx, ty) = (x / 8, y / 8);
                Assert.Equal(((byte)(tx * 60 + 10), (byte)(ty * 60 + 20), (byte)100, (byte)255), GpuTest.Pixel(pixels, size, x, y));
            }
        });
    }

    [Fact]
    public void Each_layer_of_an_array_image_renders_and_copies_out_separately_and_a_depth_only_pass_keeps_its_depth()
    {
        GpuTest.Run(device =>
        {
            const uint size = 8;
            using var layered = new GpuImage(device, size, size, Format.R8G8B8A8Unorm, TargetUsage, layers: 3);
            using var depth = new GpuImage(device, size, size, Format.D32Sfloat,
                ImageUsageFlags.DepthStencilAttachmentBit | ImageUsageFlags.TransferSrcBit);
            using var readback = new GpuBuffer(device, size * size * 4 * 4, BufferUsageFlags.TransferDstBit, GpuMemoryUse.Readback);
            using var pool = new GpuCommandPool(device);
            var cmd = pool.Allocate();
            cmd.Begin();
            cmd.Barrier(layered, ImageLayout.Undefined, ImageLayout.ColorAttachmentOptimal,
                PipelineStageFlags2.None, AccessFlags2.None,
                PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit);
            for (uint layer = 0; layer < 3; layer++)
            {
                cmd.BeginRendering(layered, layer, (layer * 0.25f, 1f - layer * 0.25f, 0.5f, 1f), null);
                cmd.EndRendering();
            }
            cmd.Barrier(depth, ImageLayout.Undefined, ImageLayout.DepthAttachmentOptimal,
                PipelineStageFlags2.None, AccessFlags2.None,
                PipelineStageFlags2.EarlyFragmentTestsBit | PipelineStageFlags2.LateFragmentTestsBit,
                AccessFlags2.DepthStencilAttachmentWriteBit);
            cmd.BeginRendering(null, 0, default, depth, clearDepth: 0.25f);
            cmd.EndRendering();
            cmd.Barrier(layered, ImageLayout.ColorAttachmentOptimal, ImageLayout.TransferSrcOptimal,
                PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit,
                PipelineStageFlags2.CopyBit, AccessFlags2.TransferReadBit);
            cmd.Barrier(depth, ImageLayout.DepthAttachmentOptimal, ImageLayout.TransferSrcOptimal,
                PipelineStageFlags2.LateFragmentTestsBit, AccessFlags2.DepthStencilAttachmentWriteBit,
                PipelineStageFlags2.CopyBit, AccessFlags2.TransferReadBit);
            for (uint layer = 0; layer < 3; layer++) cmd.CopyImageToBuffer(layered, readback, layer, layer * size * size * 4);
            cmd.CopyImageToBuffer(depth, readback, 0, 3 * size * size * 4);
            cmd.MemoryBarrier(PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit,
                PipelineStageFlags2.HostBit, AccessFlags2.HostReadBit);
            cmd.End();
            device.Wait(device.Submit(cmd));
            var bytes = new byte[readback.SizeBytes];
            readback.Read(bytes);
            for (var layer = 0; layer < 3; layer++)
            {
                var i = layer * (int)(size * size * 4) + 4 * 13;
                Assert.Equal(((byte)Math.Round(layer * 0.25 * 255), (byte)Math.Round((1 - layer * 0.25) * 255), (byte)128, (byte)255),
                    (bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]));
            }
            Assert.Equal(0.25f, BitConverter.ToSingle(bytes, 3 * (int)(size * size * 4) + 4 * 21));
        });
    }

    [Fact]
    public void A_submission_waits_on_a_binary_semaphore_signalled_by_an_earlier_one_and_on_a_timeline_value_the_cpu_signals()
    {
        GpuTest.Run(device =>
        {
            using var binary = new GpuSemaphore(device);
            using var gate = new GpuTimelineSemaphore(device);
            using var pool = new GpuCommandPool(device);
            var first = pool.Allocate();
            var second = pool.Allocate();
            first.Begin();
            first.End();
            second.Begin();
            second.End();
            var a = device.Submit([first], [], [GpuSemaphoreSubmit.Binary(binary)]);
            var b = device.Submit([second], [GpuSemaphoreSubmit.Binary(binary), GpuSemaphoreSubmit.Timeline(gate, 3)], []);
            device.Wait(a);
            // The second submission cannot complete before the CPU opens the gate.
            Thread.Sleep(20);
            Assert.True(device.CompletedSubmission() < b);
            gate.Signal(3);
            device.Wait(b);
            Assert.Equal(b, device.CompletedSubmission());
        });
    }
}
