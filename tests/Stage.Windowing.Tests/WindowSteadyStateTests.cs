using Microsoft.Extensions.Logging.Abstractions;
using Stage.Engine.Control;
using Stage.Engine.Input;
using Stage.Engine.Outputs;
using Stage.Tests.Shared;
using Stage.Tracking.Buffers;
using Stage.Windowing.Outputs;
using Stage.Core.Frames;

namespace Stage.Windowing.Tests;

/// <summary>Full screen on a monitor, and nothing allocated per frame once presenting has settled.</summary>
public sealed class WindowSteadyStateTests
{
    [Fact]
    public void An_output_on_a_monitor_covers_it_without_borders_and_shows_the_canvas()
    {
        var config = WindowRig.TestRig(text => text.Replace("\"control\":", "\"display\": { \"outputs\": [ { \"output\": \"out-front\", \"monitor\": 0 } ] },\n  \"control\":")).WithOneOutput();
        Assert.True(config.Display.For("out-front").IsFullScreen);
        Assert.False(config.Display.For("out-front").Overlay);
        using var rig = new WindowRig(config, new WindowOutputOptions());
        CanvasWindow window = rig.Output.Windows[0];
        Assert.Null(window.Overlay); // off by default on a monitor: an LED wall shows only the picture
        MonitorInfo monitor = Assert.Single(rig.Glfw.Monitors());
        CanvasPixels canvas = WindowRig.Blocks("out-front", 128, 64, 9);
        for (int frame = 0; frame < 5; frame++) rig.Show(WindowRig.Tick(frame), [canvas]);
        rig.Device.WaitIdle();
        Assert.Equal((monitor.X, monitor.Y), window.Window.Position);
        (uint width, uint height) = (window.Swapchain.Width, window.Swapchain.Height);
        Assert.Equal(((uint)window.Window.FramebufferWidthPx, (uint)window.Window.FramebufferHeightPx), (width, height));
        XwdCapture screen = XwdCapture.Root(rig.Xvfb.Display);
        // Wherever the mode left the window, every block's centre shows the block's colour.
        for (int row = 0; row < 4; row++)
            for (int column = 0; column < 8; column++)
            {
                int x = (int)((column * 16 + 8) * width / 128), y = (int)((row * 16 + 8) * height / 64);
                Assert.Equal(WindowRig.BlockColour(column, row, 9), screen[monitor.X + x, monitor.Y + y]);
            }
    }

    [Fact]
    public void Presenting_with_input_a_virtual_camera_and_the_overlay_allocates_nothing_per_frame()
    {
        var config = WindowRig.TestRig(text => text.Replace("\"source\": \"osc\"", "\"source\": \"fly\"")
            .Replace("\"tracking\": [", "\"tracking\": [ { \"id\": \"fly\", \"kind\": \"virtual\" },")).WithOneOutput();
        using var rig = new WindowRig(config, new WindowOutputOptions());
        var buffer = new PoseBuffer("A", 0);
        rig.Output.Input = new OperatorInput(config, new CommandRegistry(), [buffer], NullLogger.Instance);
        rig.Output.Input.Key('W', Stage.Core.Configuration.KeyModifiers.None, true);
        CanvasPixels[] canvases = [WindowRig.Gradient("out-front", 128, 64, 3)];
        long frame = 0;
        long bytes = SteadyState.AllocatedBytes(() =>
        {
            for (int i = 0; i < 10; i++) rig.Show(WindowRig.Tick(frame++), canvases);
        });
        Assert.Equal(0, bytes);
        Assert.True(buffer.WrittenCount >= 10);
        Assert.NotNull(rig.Output.Windows[0].Overlay);
    }
}
