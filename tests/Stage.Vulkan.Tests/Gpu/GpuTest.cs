using System.Runtime.InteropServices;
using Silk.NET.Vulkan;

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
        var bytesPerPixel = color.Format == Format.R16G16B16A16Sfloat ? 8UL : 4UL;
        using var readback = new GpuBuffer(device, color.Width * color.Height * bytesPerPixel, BufferUsageFlags.TransferDstBit, GpuMemoryUse.Readback);
        using var pool = new GpuCommandPool(device);
        var cmd = pool.Allocate();
        cmd.Begin();
        cmd.Barrier(color, ImageLayout.Undefined, ImageLayout.ColorAttachmentOptimal,
            PipelineStageFlags2.None, AccessFlags2.None,
            PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit);
        if (depth is not null)
        {
            cmd.Barrier(depth, ImageLayout.Undefined, ImageLayout.DepthAttachmentOptimal,
                PipelineStageFlags2.None, AccessFlags2.None,
                PipelineStageFlags2.EarlyFragmentTestsBit | PipelineStageFlags2.LateFragmentTestsBit,
                AccessFlags2.DepthStencilAttachmentReadBit | AccessFlags2.DepthStencilAttachmentWriteBit);
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
        cmd.Barrier(color, ImageLayout.ColorAttachmentOptimal, ImageLayout.TransferSrcOptimal,
            PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit,
            PipelineStageFlags2.CopyBit, AccessFlags2.TransferReadBit);
        cmd.CopyImageToBuffer(color, readback);
        cmd.MemoryBarrier(PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit,
            PipelineStageFlags2.HostBit, AccessFlags2.HostReadBit);
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
