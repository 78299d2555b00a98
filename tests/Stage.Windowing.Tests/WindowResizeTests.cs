using Stage.Engine.Outputs;
using Stage.Windowing.Outputs;
using Stage.Core.Frames;

namespace Stage.Windowing.Tests;

/// <summary>Resizes and out-of-date swapchains: recreated in place, the engine's next frame shows.</summary>
public sealed class WindowResizeTests
{
    [Fact]
    public void A_resized_window_gets_a_new_swapchain_and_shows_the_canvas_scaled()
    {
        using var rig = new WindowRig(WindowRig.TestRig().WithOneOutput());
        CanvasWindow window = rig.Output.Windows[0];
        CanvasPixels canvas = WindowRig.Blocks("out-front", 128, 64, 200);
        for (int frame = 0; frame < 3; frame++) rig.Show(WindowRig.Tick(frame), [canvas]);
        window.Window.Resize(256, 128);
        for (int frame = 3; frame < 60 && window.Swapchain.Width != 256; frame++)
        {
            rig.Show(WindowRig.Tick(frame), [canvas]);
            Thread.Sleep(5);
        }
        for (int frame = 60; frame < 63; frame++) rig.Show(WindowRig.Tick(frame), [canvas]);
        rig.Device.WaitIdle();
        Assert.Equal((256u, 128u), (window.Swapchain.Width, window.Swapchain.Height));
        Assert.True(window.Swapchain.Recreations >= 1);
        XwdCapture screen = XwdCapture.Root(rig.Xvfb.Display);
        (int wx, int wy) = window.Window.Position;
        // Each 16 × 16 block is 32 × 32 now; its inside (away from the filtered edges) is the block's exact colour.
        for (int row = 0; row < 4; row++)
            for (int column = 0; column < 8; column++)
            {
                (byte r, byte g, byte b) expected = WindowRig.BlockColour(column, row, 200);
                for (int dy = 4; dy < 28; dy += 6)
                    for (int dx = 4; dx < 28; dx += 6)
                        Assert.Equal(expected, screen[wx + column * 32 + dx, wy + row * 32 + dy]);
            }
        Console.WriteLine($"resize: recreations {window.Swapchain.Recreations}, out of date {window.OutOfDate}, skipped {window.Skipped}");
    }

    [Fact]
    public void A_swapchain_left_out_of_date_is_recreated_and_the_next_frame_shows()
    {
        using var rig = new WindowRig(WindowRig.TestRig().WithOneOutput());
        CanvasWindow window = rig.Output.Windows[0];
        CanvasPixels canvas = WindowRig.Blocks("out-front", 128, 64, 77);
        for (int frame = 0; frame < 3; frame++) rig.Show(WindowRig.Tick(frame), [canvas]);
        // Resize behind the output's back: no events pumped, so only the swapchain (suboptimal / out of date) can tell.
        window.Window.Resize(160, 96);
        Thread.Sleep(50);
        for (int i = 0; i < 10; i++) rig.Feeder.ShowOn(window, canvas);
        rig.Device.WaitIdle();
        Assert.True(window.OutOfDate >= 1, "the driver never reported the swapchain out of date or suboptimal");
        Assert.Equal((160u, 96u), (window.Swapchain.Width, window.Swapchain.Height));
        Assert.InRange(window.Swapchain.Recreations, 1, 2);
        Assert.Equal(13, window.Presented + window.Skipped);
        Assert.InRange(window.Skipped, 0, 1);
        XwdCapture screen = XwdCapture.Root(rig.Xvfb.Display);
        (int wx, int wy) = window.Window.Position;
        // 16 × 16 blocks scaled 1.25 × 1.5: each block's centre keeps its exact colour.
        for (int row = 0; row < 4; row++)
            for (int column = 0; column < 8; column++)
                Assert.Equal(WindowRig.BlockColour(column, row, 77), screen[wx + column * 20 + 10, wy + row * 24 + 12]);
    }
}
