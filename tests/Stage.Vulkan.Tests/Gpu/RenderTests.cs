using System.Diagnostics;
using Silk.NET.Vulkan;
using Xunit.Abstractions;

namespace Stage.Vulkan.Tests.Gpu;

public sealed class RenderTests(ITestOutputHelper output)
{
    private const ImageUsageFlags TargetUsage = ImageUsageFlags.ColorAttachmentBit | ImageUsageFlags.TransferSrcBit;

    private static GpuGraphicsPipeline FlatPipeline(GpuDevice device, Format color, Format depth = Format.Undefined) => new(device, new GpuGraphicsPipelineDesc
    {
        VertexSpirv = GpuShaders.Load("flat.vert"),
        FragmentSpirv = GpuShaders.Load("flat.frag"),
        ColorFormat = color,
        DepthFormat = depth,
        PushConstantBytes = 40,
    });

    [Fact]
    public void An_image_cleared_to_a_colour_reads_back_exactly()
    {
        GpuTest.Run(device =>
        {
            const uint width = 37, height = 19; // odd sizes: no row padding may creep into the copy
            using var image = new GpuImage(device, width, height, Format.R8G8B8A8Unorm,
                ImageUsageFlags.TransferDstBit | ImageUsageFlags.TransferSrcBit);
            using var readback = new GpuBuffer(device, width * height * 4, BufferUsageFlags.TransferDstBit, GpuMemoryUse.Readback);
            using var pool = new GpuCommandPool(device);
            var cmd = pool.Allocate();
            cmd.Begin();
            cmd.Barrier(image, ImageLayout.Undefined, ImageLayout.TransferDstOptimal,
                PipelineStageFlags2.None, AccessFlags2.None,
                PipelineStageFlags2.ClearBit, AccessFlags2.TransferWriteBit);
            cmd.ClearColor(image, 1f, 0.2f, 0.6f, 1f);
            cmd.Barrier(image, ImageLayout.TransferDstOptimal, ImageLayout.TransferSrcOptimal,
                PipelineStageFlags2.ClearBit, AccessFlags2.TransferWriteBit,
                PipelineStageFlags2.CopyBit, AccessFlags2.TransferReadBit);
            cmd.CopyImageToBuffer(image, readback);
            cmd.MemoryBarrier(PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit,
                PipelineStageFlags2.HostBit, AccessFlags2.HostReadBit);
            cmd.End();
            device.Wait(device.Submit(cmd));

            var pixels = new byte[width * height * 4];
            readback.Read(pixels);
            for (var i = 0; i < pixels.Length; i += 4)
            {
                Assert.Equal((255, 51, 153, 255), (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]));
            }
        });
    }

    [Fact]
    public void A_triangle_drawn_off_screen_covers_the_centre_and_leaves_the_corners_at_the_clear_colour()
    {
        GpuTest.Run(device =>
        {
            const uint size = 64;
            using var color = new GpuImage(device, size, size, Format.R8G8B8A8Unorm, TargetUsage);
            using var pipeline = FlatPipeline(device, Format.R8G8B8A8Unorm);
            var pixels = GpuTest.RenderAndRead(device, color, null, (0f, 0f, 1f, 1f), cmd =>
            {
                cmd.BindPipeline(pipeline, size, size);
                cmd.PushConstants(pipeline, FlatPush.TestTriangle(1f, 0f, 0f));
                cmd.Draw(3);
            });
            Assert.Equal((255, 0, 0, 255), GpuTest.Pixel(pixels, size, 32, 32));
            // Apex at the top (clip y = -0.6 → row 12.8): Vulkan's +Y points down the framebuffer.
            Assert.Equal((255, 0, 0, 255), GpuTest.Pixel(pixels, size, 32, 16));
            Assert.Equal((0, 0, 255, 255), GpuTest.Pixel(pixels, size, 32, 8));
            foreach (var (x, y) in new[] { (0, 0), (63, 0), (0, 63), (63, 63) })
            {
                Assert.Equal((0, 0, 255, 255), GpuTest.Pixel(pixels, size, x, y));
            }
            var red = Enumerable.Range(0, (int)(size * size)).Count(i => pixels[i * 4] == 255 && pixels[i * 4 + 2] == 0);
            // Area of the triangle: base 0.6 * 2 * 32 px = 38.4 px, height 38.4 px → ~737 px.
            Assert.InRange(red, 737 - 40, 737 + 40);
        });
    }

    [Fact]
    public void The_nearer_of_two_overlapping_quads_wins_the_depth_test_whatever_the_draw_order()
    {
        GpuTest.Run(device =>
        {
            const uint size = 64;
            using var color = new GpuImage(device, size, size, Format.R8G8B8A8Unorm, TargetUsage);
            using var depth = new GpuImage(device, size, size, Format.D32Sfloat, ImageUsageFlags.DepthStencilAttachmentBit);
            using var pipeline = FlatPipeline(device, Format.R8G8B8A8Unorm, Format.D32Sfloat);
            var near = FlatPush.Quad(0f, 1f, 0f, -0.75f, -0.75f, 0.25f, 0.25f, 0.25f);  // green, left-top
            var far = FlatPush.Quad(1f, 0f, 0f, -0.25f, -0.25f, 0.75f, 0.75f, 0.75f);   // red, right-bottom
            foreach (var order in new[] { new[] { near, far }, new[] { far, near } })
            {
                var pixels = GpuTest.RenderAndRead(device, color, depth, (0f, 0f, 0f, 1f), cmd =>
                {
                    cmd.BindPipeline(pipeline, size, size);
                    foreach (var quad in order)
                    {
                        cmd.PushConstants(pipeline, quad);
                        cmd.Draw(6);
                    }
                });
                Assert.Equal((0, 255, 0, 255), GpuTest.Pixel(pixels, size, 32 - 4, 32 - 4)); // overlap: near wins
                Assert.Equal((0, 255, 0, 255), GpuTest.Pixel(pixels, size, 12, 12));         // near only
                Assert.Equal((255, 0, 0, 255), GpuTest.Pixel(pixels, size, 52, 52));         // far only
                Assert.Equal((0, 0, 0, 255), GpuTest.Pixel(pixels, size, 60, 4));           // neither
            }
        });
    }

    [Fact]
    public void A_16_bit_float_target_reads_back_the_colour_as_half_floats()
    {
        GpuTest.Run(device =>
        {
            const uint size = 16;
            using var color = new GpuImage(device, size, size, Format.R16G16B16A16Sfloat, TargetUsage);
            using var pipeline = FlatPipeline(device, Format.R16G16B16A16Sfloat);
            var pixels = GpuTest.RenderAndRead(device, color, null, (0.25f, 0f, 0f, 1f), cmd =>
            {
                cmd.BindPipeline(pipeline, size, size);
                cmd.PushConstants(pipeline, FlatPush.TestTriangle(2.5f, 0.5f, 0.125f));
                cmd.Draw(3);
            });
            Half At(int x, int y, int channel) => BitConverter.ToHalf(pixels, (int)((y * size + x) * 8 + channel * 2));
            // Values above 1.0 survive: the HDR path the outer frustum needs.
            Assert.Equal((Half)2.5f, At(8, 8, 0));
            Assert.Equal((Half)0.5f, At(8, 8, 1));
            Assert.Equal((Half)0.125f, At(8, 8, 2));
            Assert.Equal((Half)0.25f, At(0, 0, 0));
        });
    }

    [Fact]
    public void An_8_bit_sRGB_target_stores_the_sRGB_encoding_of_the_linear_colour()
    {
        GpuTest.Run(device =>
        {
            const uint size = 16;
            using var color = new GpuImage(device, size, size, Format.R8G8B8A8Srgb, TargetUsage);
            using var pipeline = FlatPipeline(device, Format.R8G8B8A8Srgb);
            var pixels = GpuTest.RenderAndRead(device, color, null, (0f, 0f, 0f, 1f), cmd =>
            {
                cmd.BindPipeline(pipeline, size, size);
                cmd.PushConstants(pipeline, FlatPush.TestTriangle(1f, 0.5f, 0.2140411f));
                cmd.Draw(3);
            });
            var (r, g, b, a) = GpuTest.Pixel(pixels, size, 8, 8);
            Assert.Equal(255, r);
            // sRGB OETF: 0.5 → 0.7354 → 187.5; 0.2140411 → 0.5 → 127.5 (the spec allows ±1 LSB rounding here).
            Assert.InRange(g, 187, 188);
            Assert.InRange(b, 127, 128);
            Assert.Equal(255, a);
            Assert.Equal((0, 0, 0, 255), GpuTest.Pixel(pixels, size, 0, 0));
        });
    }

    [Fact]
    public void A_3840x2160_frame_renders_and_reads_back_correctly()
    {
        GpuTest.Run(device =>
        {
            const uint width = 3840, height = 2160;
            var clock = Stopwatch.StartNew();
            using var color = new GpuImage(device, width, height, Format.R8G8B8A8Unorm, TargetUsage);
            using var pipeline = FlatPipeline(device, Format.R8G8B8A8Unorm);
            var setupMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var pixels = GpuTest.RenderAndRead(device, color, null, (0f, 0f, 1f, 1f), cmd =>
            {
                cmd.BindPipeline(pipeline, width, height);
                cmd.PushConstants(pipeline, FlatPush.TestTriangle(1f, 0f, 0f));
                cmd.Draw(3);
            });
            var renderMs = clock.Elapsed.TotalMilliseconds;
            Assert.Equal((255, 0, 0, 255), GpuTest.Pixel(pixels, width, 1920, 1080));
            Assert.Equal((0, 0, 255, 255), GpuTest.Pixel(pixels, width, 3839, 2159));

            // The raw copy floor: clear (by the render pass) + copy + readback of the same pixels, no draw.
            clock.Restart();
            var floor = GpuTest.RenderAndRead(device, color, null, (0f, 1f, 0f, 1f), _ => { });
            var floorMs = clock.Elapsed.TotalMilliseconds;
            Assert.Equal((0, 255, 0, 255), GpuTest.Pixel(floor, width, 1920, 1080));
            // Figures for the notes, never assertions: timings depend on the machine.
            output.WriteLine($"4K: target + pipeline {setupMs:F1} ms, render + copy + readback {renderMs:F1} ms, clear + copy + readback floor {floorMs:F1} ms");
        });
    }
}
