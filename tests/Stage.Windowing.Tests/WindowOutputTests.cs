using Stage.Engine.Outputs;
using Stage.Vulkan;
using Stage.Windowing.Outputs;
using Stage.Core.Frames;

namespace Stage.Windowing.Tests;

/// <summary>Window outputs under Xvfb on lavapipe with the validation layer: what reaches the X server is the canvas.</summary>
public sealed class WindowOutputTests
{
    [Fact]
    public void Presented_frames_reach_the_x_server_pixel_for_pixel()
    {
        using var rig = new WindowRig(WindowRig.TestRig());
        Assert.Equal(2, rig.Output.Windows.Count);
        for (int frame = 0; frame < 30; frame++)
        {
            byte tag = (byte)(frame * 8);
            rig.Show(WindowRig.Tick(frame), [WindowRig.Gradient("out-front", 128, 64, tag), WindowRig.Gradient("out-side", 128, 64, (byte)(tag + 1))]);
        }
        rig.Device.WaitIdle();
        XwdCapture screen = XwdCapture.Root(rig.Xvfb.Display);
        foreach ((CanvasWindow window, byte tag) in new[] { (rig.Output.Windows[0], (byte)(29 * 8)), (rig.Output.Windows[1], (byte)(29 * 8 + 1)) })
        {
            Assert.Equal(30, window.Presented);
            Assert.Equal(0, window.Skipped);
            Assert.Equal(GpuPresentMode.Fifo, window.Swapchain.PresentMode);
            (int wx, int wy) = window.Window.Position;
            CanvasPixels expected = WindowRig.Gradient(window.OutputId, 128, 64, tag);
            int wrong = 0;
            for (int y = 0; y < 64; y++)
                for (int x = 0; x < 128; x++)
                {
                    int i = (y * 128 + x) * 4;
                    (byte r, byte g, byte b) = screen[wx + x, wy + y];
                    if (r != expected.Rgba.Span[i] || g != expected.Rgba.Span[i + 1] || b != expected.Rgba.Span[i + 2]) wrong++;
                }
            Assert.True(wrong == 0, $"{window.OutputId} at ({wx}, {wy}): {wrong} of {128 * 64} pixels differ from the canvas; first pixel shows {screen[wx, wy]}");
        }
    }
}
