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
    public void At_depth_30_lavapipe_offers_only_a_10_bit_format_it_cannot_blit_into_and_the_output_is_refused_by_name()
    {
        // Xvfb at depth 30: lavapipe's X11 surface offers A2R10G10B10_UNORM_PACK32 alone, and lavapipe has no BLIT_DST for it.
        StageConfig config = WindowRig.TestRig(t => t.Replace("\"bitDepth\": 8", "\"bitDepth\": 10, \"colour\": { \"transfer\": \"pq\" }")).WithOneOutput();
        using var xvfb = new Stage.Tests.Shared.XvfbServer(1280, 720, 30);
        using var glfw = Stage.Windowing.Glfw.GlfwSession.Open(xvfb.Display);
        using var instance = GpuInstance.Create(new GpuInstanceOptions
        {
            ApplicationName = "PqWindowTests", EnableValidation = true, Extensions = glfw.RequiredVulkanExtensions(),
            OptionalExtensions = [GpuInstance.SwapchainColourSpaceExtension],
        });
        using var device = instance.CreateDevice();
        var e = Assert.Throws<GpuUnavailableException>(() => new WindowOutput(glfw, device, config, new WindowOutputOptions { NoOverlay = true },
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Dispose());
        log.WriteLine(e.Message);
        Assert.Contains("cannot blit into any format", e.Message);
        Assert.Contains("A2R10G10B10_UNORM_PACK32 / SRGB_NONLINEAR", e.Message);
        device.WaitIdle();
        Assert.Empty(instance.Validation!.Messages);
    }

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
