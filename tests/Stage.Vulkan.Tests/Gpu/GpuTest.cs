using System.Runtime.InteropServices;
using Stage.Vulkan.Native;

namespace Stage.Vulkan.Tests.Gpu;

/// <summary>
/// Runs a test body against a real device (lavapipe here) with the Khronos validation layer on; the
/// test fails on any validation warning or error, including those raised while tearing down.
/// </summary>
internal static class GpuTest
{
    public static void Run(Action<GpuDevice> body)
    {
        var instance = GpuInstance.Create(new GpuInstanceOptions { ApplicationName = "Stage.Vulkan.Tests", EnableValidation = true });
        try
        {
            using (var device = instance.CreateDevice())
            {
                body(device);
            }
        }
        finally
        {
            instance.Dispose();
        }
        var messages = instance.Validation!.Messages;
        Assert.True(messages.Count == 0, "validation messages:\n" + string.Join("\n", messages));
    }

    /// <summary>Transitions a colour target for rendering, runs <paramref name="draw"/>, copies the image out and returns its bytes.</summary>
    public static byte[] RenderAndRead(GpuDevice device, GpuImage color, GpuImage? depth, (float, float, float, float) clear, Action<GpuCommandBuffer> draw)
    {
        var bytesPerPixel = color.Format == VkFormat.VK_FORMAT_R16G16B16A16_SFLOAT ? 8UL : 4UL;
        using var readback = new GpuBuffer(device, color.Width * color.Height * bytesPerPixel, VkBufferUsageFlags.VK_BUFFER_USAGE_TRANSFER_DST_BIT, GpuMemoryUse.Readback);
        using var pool = new GpuCommandPool(device);
        var cmd = pool.Allocate();
        cmd.Begin();
        cmd.Barrier(color, VkImageLayout.VK_IMAGE_LAYOUT_UNDEFINED, VkImageLayout.VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_NONE, VkAccessFlags2.VK_ACCESS_2_NONE,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, VkAccessFlags2.VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT);
        if (depth is not null)
        {
            cmd.Barrier(depth, VkImageLayout.VK_IMAGE_LAYOUT_UNDEFINED, VkImageLayout.VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
                VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_NONE, VkAccessFlags2.VK_ACCESS_2_NONE,
                VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT | VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT,
                VkAccessFlags2.VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT | VkAccessFlags2.VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT);
        }
        cmd.BeginRendering(color, clear, depth);
        draw(cmd);
        cmd.EndRendering();
        CopyOut(cmd, color, readback);
        cmd.End();
        device.Wait(device.Submit(cmd));
        var pixels = new byte[readback.SizeBytes];
        readback.Read(pixels);
        return pixels;
    }

    /// <summary>Records: colour attachment → transfer source, copy to the buffer, transfer → host barrier.</summary>
    public static void CopyOut(GpuCommandBuffer cmd, GpuImage color, GpuBuffer readback)
    {
        cmd.Barrier(color, VkImageLayout.VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VkImageLayout.VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, VkAccessFlags2.VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_COPY_BIT, VkAccessFlags2.VK_ACCESS_2_TRANSFER_READ_BIT);
        cmd.CopyImageToBuffer(color, readback);
        cmd.MemoryBarrier(VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_COPY_BIT, VkAccessFlags2.VK_ACCESS_2_TRANSFER_WRITE_BIT,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_HOST_BIT, VkAccessFlags2.VK_ACCESS_2_HOST_READ_BIT);
    }

    public static (byte R, byte G, byte B, byte A) Pixel(byte[] rgba, uint width, int x, int y)
    {
        var i = (int)((y * width + x) * 4);
        return (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]);
    }
}

/// <summary>The push constants of shaders/flat.vert and flat.frag (std430 push-constant layout).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FlatPush
{
    public float R, G, B, A;
    public float MinX, MinY, MaxX, MaxY;
    public float Depth;
    public int Triangle;

    public static FlatPush TestTriangle(float r, float g, float b, float depth = 0.5f) =>
        new() { R = r, G = g, B = b, A = 1, Depth = depth, Triangle = 1 };

    public static FlatPush Quad(float r, float g, float b, float minX, float minY, float maxX, float maxY, float depth) =>
        new() { R = r, G = g, B = b, A = 1, MinX = minX, MinY = minY, MaxX = maxX, MaxY = maxY, Depth = depth, Triangle = 0 };
}
