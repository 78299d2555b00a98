using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Space;
using Stage.Render;
using Stage.Render.Scene;
using Silk.NET.Vulkan;
using Stage.Vulkan;
using Stage.Windowing.Outputs;
using Xunit.Abstractions;

namespace Stage.Windowing.Tests;

/// <summary>
/// A PQ output in a window (docs/colour.md, presentation): the compose pass's code values reach the X server untouched —
/// no second sRGB encode by the swapchain — through the format the surface offers, with zero validation messages.
/// </summary>
public sealed class PqWindowTests(ITestOutputHelper log)
{
    [Fact]
    public void At_depth_30_a_pq_output_writes_its_exact_10_bit_codes_composed_straight_in_and_through_the_copy_pass()
    {
        // Xvfb at depth 30: lavapipe's X11 surface offers A2R10G10B10_UNORM_PACK32 alone, and lavapipe has no BLIT_DST for it.
        // Live frames are composed straight into the swapchain image; a frame whose canvas is also read back is composed
        // into the canvas and drawn in by the window's copy pass. Both must hold the canvas's 10-bit codes exactly. The
        // images are read back before they go to the screen: lavapipe 22.3's software X11 presentation leaves a depth-30
        // window black (logged below; a GPU driver presents through DRI3), so the screen cannot be the peer here.
        StageConfig config = WindowRig.TestRig(t => t.Replace("\"bitDepth\": 8", "\"bitDepth\": 10, \"colour\": { \"transfer\": \"pq\" }")).WithOneOutput();
        using var rig = new WindowRig(config, new WindowOutputOptions { NoOverlay = true, AllowReadback = true }, screenDepth: 30);
        CanvasWindow window = rig.Output.Windows[0];
        log.WriteLine($"Xvfb depth 30: offered {GpuSwapchainFormat.List(window.Swapchain.OfferedFormats)}; chosen {window.Swapchain.Choice}; blit into it: {window.Swapchain.CanBlitInto}");
        Assert.Equal(Format.A2R10G10B10UnormPack32, window.Swapchain.Format);
        Assert.False(window.Swapchain.CanBlitInto);
        Assert.False(window.Swapchain.Choice.Warning);

        using var renderer = new StageRenderer(rig.Device, config, StageRendererOptions.FromConfig(config) with { OuterFaceSizePx = 64 });
        foreach (ICanvasPresenter presenter in rig.Output.Presenters) renderer.Presenters.Add(presenter);
        RenderScene scene = Scene();
        CameraView[] views = Views(config);
        rig.DriveLiveFrames(renderer, scene, views, 4);
        Assert.Equal(4, window.Presented);
        Assert.Equal(0, window.Faults);
        Assert.Equal(4, renderer.ComposedIntoPresenters);
        Assert.Equal(0, window.CopyPassFrames);
        uint[] composedIn = ReadSwapchainImage(rig, window);

        // The same frame read back (16-bit samples holding k / 1023), which also presents it through the copy pass.
        CanvasPixels canvas = renderer.Render(views, scene)[0];
        rig.Device.WaitIdle();
        Assert.Equal(1, window.CopyPassFrames);
        Assert.Equal(5, window.Presented);
        uint[] copied = ReadSwapchainImage(rig, window);
        AssertImageHoldsCodes(composedIn, canvas, "composed straight in");
        AssertImageHoldsCodes(copied, canvas, "through the copy pass");

        XwdCapture screen = XwdCapture.Window(rig.Xvfb.Display, window.Window.X11WindowId);
        int lit = 0;
        for (int y = 0; y < screen.Height; y++)
            for (int x = 0; x < screen.Width; x++)
                if (screen.Codes(x, y) != (0, 0, 0)) lit++;
        log.WriteLine($"the window on the screen ({screen}): {lit} of {screen.Width * screen.Height} pixels not black");
    }

    /// <summary>The last presented image of <paramref name="window"/>'s swapchain, A2R10G10B10 words.</summary>
    private static uint[] ReadSwapchainImage(WindowRig rig, CanvasWindow window)
    {
        GpuImage image = window.Swapchain.Images[window.LastPresentedImage];
        var bytes = new byte[image.Width * image.Height * 4];
        using var buffer = new GpuBuffer(rig.Device, (ulong)bytes.Length, BufferUsageFlags.TransferDstBit, GpuMemoryUse.Readback);
        using var pool = new GpuCommandPool(rig.Device);
        GpuCommandBuffer cmd = pool.Allocate();
        cmd.Begin();
        Stage.Render.Gpu.GpuTransfers.CopyOut(cmd, image, ImageLayout.PresentSrcKhr, buffer);
        cmd.End();
        rig.Device.Wait(rig.Device.Submit(cmd));
        buffer.Read(bytes);
        var words = new uint[image.Width * image.Height];
        System.Buffer.BlockCopy(bytes, 0, words, 0, bytes.Length);
        return words;
    }

    private void AssertImageHoldsCodes(uint[] image, CanvasPixels canvas, string path)
    {
        Assert.Equal(canvas.Width * canvas.Height, image.Length);
        byte[] rgba = canvas.Rgba.ToArray();
        int wrong = 0, bright = 0;
        for (int p = 0; p < image.Length; p++)
        {
            int Code(int channel) => (int)Math.Round(BitConverter.ToUInt16(rgba, p * 8 + channel * 2) / 65535.0 * 1023);
            // A2R10G10B10: blue in bits 0–9, green 10–19, red 20–29.
            uint word = image[p];
            int r = (int)((word >> 20) & 1023), g = (int)((word >> 10) & 1023), b = (int)(word & 1023);
            if (Code(0) > 256) bright++;
            if (r != Code(0) || g != Code(1) || b != Code(2)) wrong++;
        }
        log.WriteLine($"{path}: {wrong} of {image.Length} pixels differ from the canvas's 10-bit codes; {bright} bright");
        Assert.True(bright > image.Length / 8, $"the canvas is mostly dark ({bright} bright pixels): the test would prove little");
        Assert.True(wrong == 0, $"{path}: {wrong} pixels of the swapchain image differ from the canvas's 10-bit codes");
    }

    private static RenderScene Scene()
    {
        var scene = new RenderScene();
        scene.Add(new DrawItem(DrawKind.Plane, Matrix4x4.CreateScale(6, 1, 6), new Vector3(0.5f)));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(0.4f) * Matrix4x4.CreateTranslation(0.2f, 0.6f, -1.2f), new Vector3(0.9f, 0.4f, 0.1f)));
        return scene;
    }

    private static CameraView[] Views(StageConfig config) =>
        [new CameraView(config.Cameras[0], Pose.FromPanTiltRoll(new Vector3(0.1f, 0.6f, 0.8f), new PanTiltRoll(5, -3, 0)), 24)];

    [Fact]
    public void A_pq_output_shows_its_code_values_on_the_screen()
    {
        const int screenDepth = 24;
        StageConfig config = WindowRig.TestRig(t => t.Replace("\"bitDepth\": 8", "\"bitDepth\": 10, \"colour\": { \"transfer\": \"pq\" }")).WithOneOutput();
        using var rig = new WindowRig(config, screenDepth: screenDepth);
        CanvasWindow window = rig.Output.Windows[0];
        log.WriteLine($"Xvfb depth {screenDepth}: offered {GpuSwapchainFormat.List(window.Swapchain.OfferedFormats)}; chosen {window.Swapchain.Choice}");
        Assert.Equal(ColorSpaceKHR.SpaceSrgbNonlinearKhr, window.Swapchain.ColorSpace);
        // UNORM, never _SRGB: the code values must pass untouched.
        Assert.False(Stage.Render.Colour.OutputEncoding.IsSrgb(window.Swapchain.Format));
        bool tenBit = window.Swapchain.Format is Format.A2B10G10R10UnormPack32 or Format.A2R10G10B10UnormPack32;
        Assert.Equal(!tenBit, window.Swapchain.Choice.Warning);
        Assert.Contains("PQ code values", window.Swapchain.Choice.Reason);

        using var renderer = new StageRenderer(rig.Device, config, StageRendererOptions.FromConfig(config) with { OuterFaceSizePx = 64 });
        foreach (ICanvasPresenter presenter in rig.Output.Presenters) renderer.Presenters.Add(presenter);
        var scene = new RenderScene();
        scene.Add(new DrawItem(DrawKind.Plane, Matrix4x4.CreateScale(6, 1, 6), new Vector3(0.5f)));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(0.4f) * Matrix4x4.CreateTranslation(0.2f, 0.6f, -1.2f), new Vector3(0.9f, 0.4f, 0.1f)));
        CameraView[] views = [new CameraView(config.Cameras[0], Pose.FromPanTiltRoll(new Vector3(0.1f, 0.6f, 0.8f), new PanTiltRoll(5, -3, 0)), 24)];
        rig.DriveLiveFrames(renderer, scene, views, 4);
        Assert.Equal(4, window.Presented);
        Assert.Equal(0, window.Faults);
        XwdCapture screen = XwdCapture.Root(rig.Xvfb.Display);

        // The same frame read back: 16-bit samples holding 10-bit codes (k / 1023). The screen shows them at its own depth.
        CanvasPixels canvas = renderer.Render(views, scene)[0];
        Assert.Equal(16, canvas.BitDepth);
        (int wx, int wy) = window.Window.Position;
        byte[] rgba = canvas.Rgba.ToArray();
        int wrong = 0, bright = 0;
        for (int y = 0; y < canvas.Height; y++)
            for (int x = 0; x < canvas.Width; x++)
            {
                int i = (y * canvas.Width + x) * 8;
                (byte r, byte g, byte b) = screen[wx + x, wy + y];
                int Expected(int at) => (int)Math.Round(BitConverter.ToUInt16(rgba, at) / 65535.0 * 255);
                if (Expected(i) > 64) bright++;
                // Within one 8-bit step: what the capture reports is 8 bits a channel (an sRGB re-encode would be tens of steps off).
                if (Math.Abs(r - Expected(i)) > 1 || Math.Abs(g - Expected(i + 2)) > 1 || Math.Abs(b - Expected(i + 4)) > 1) wrong++;
            }
        Assert.True(bright > canvas.Width * canvas.Height / 8, $"the canvas is mostly dark ({bright} bright pixels): the test would prove little");
        Assert.True(wrong == 0, $"{wrong} of {canvas.Width * canvas.Height} pixels on the screen differ from the canvas's code values; first shows {screen[wx, wy]}");
    }
}
