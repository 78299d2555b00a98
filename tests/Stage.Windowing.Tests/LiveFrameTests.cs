using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Space;
using Stage.Render;
using Stage.Render.Scene;
using Stage.Windowing.Outputs;

namespace Stage.Windowing.Tests;

/// <summary>
/// The live path: canvases composed on the GPU reach the windows inside the renderer's own frame, with nothing read
/// back — and what the X server shows is, pixel for pixel, the canvas <c>stage render</c> writes for the same pose.
/// </summary>
public sealed class LiveFrameTests
{
    private static RenderScene Scene()
    {
        var scene = new RenderScene();
        scene.Add(new DrawItem(DrawKind.Plane, Matrix4x4.CreateScale(6, 1, 6), new Vector3(0.5f)));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(0.4f) * Matrix4x4.CreateTranslation(0.2f, 0.6f, -1.2f), new Vector3(0.9f, 0.4f, 0.1f)));
        return scene;
    }

    [Fact]
    public void Window_frames_read_nothing_back_and_show_exactly_the_canvas_stage_render_writes()
    {
        using var rig = new WindowRig(WindowRig.TestRig());
        StageConfig config = rig.Config;
        using var renderer = new StageRenderer(rig.Device, config, StageRendererOptions.FromConfig(config) with { OuterFaceSizePx = 64 });
        foreach (ICanvasPresenter presenter in rig.Output.Presenters) renderer.Presenters.Add(presenter);
        RenderScene scene = Scene();
        var pose = Pose.FromPanTiltRoll(new Vector3(0.1f, 0.6f, 0.8f), new PanTiltRoll(5, -3, 0));
        CameraView[] views = [new CameraView(config.Cameras[0], pose, 24)];
        rig.DriveLiveFrames(renderer, scene, views, 6);
        Assert.Equal(0, renderer.ReadbackBytes);
        // Same size and 8-bit sRGB: each canvas was composed straight into its window's swapchain image.
        Assert.Equal(6 * config.Outputs.Count, renderer.ComposedIntoPresenters);
        foreach (CanvasWindow window in rig.Output.Windows)
        {
            Assert.Equal(6, window.Presented);
            Assert.Equal(0, window.Faults);
        }
        XwdCapture screen = XwdCapture.Root(rig.Xvfb.Display);

        // The same frame the way stage render makes it: synchronous, every canvas read back.
        IReadOnlyList<CanvasPixels> canvases = renderer.Render(views, scene);
        Assert.True(renderer.ReadbackBytes > 0);
        for (int c = 0; c < canvases.Count; c++)
        {
            CanvasPixels canvas = canvases[c];
            CanvasWindow window = rig.Output.Windows[c];
            Assert.Equal(((uint)canvas.Width, (uint)canvas.Height), (window.Swapchain.Width, window.Swapchain.Height));
            (int wx, int wy) = window.Window.Position;
            int wrong = 0, lit = 0;
            for (int y = 0; y < canvas.Height; y++)
                for (int x = 0; x < canvas.Width; x++)
                {
                    int i = (y * canvas.Width + x) * 4;
                    ReadOnlySpan<byte> rgba = canvas.Rgba.Span;
                    if (rgba[i] + rgba[i + 1] + rgba[i + 2] > 0) lit++;
                    if (screen[wx + x, wy + y] != (rgba[i], rgba[i + 1], rgba[i + 2])) wrong++;
                }
            Assert.True(lit >= canvas.Width * canvas.Height / 8, $"{canvas.OutputId}: the canvas is mostly black ({lit} lit pixels): the test would prove little");
            Assert.True(wrong == 0, $"{canvas.OutputId}: {wrong} of {canvas.Width * canvas.Height} pixels on the screen differ from the rendered canvas");
        }
    }
}

/// <summary>Faults a window meets mid-shoot: told once, rebuilt, and the next frames show.</summary>
public sealed class WindowFaultTests
{
    [Fact]
    public void A_close_request_from_the_window_manager_is_ignored_and_the_frames_go_on()
    {
        using var rig = new WindowRig(WindowRig.TestRig().WithOneOutput());
        CanvasWindow window = rig.Output.Windows[0];
        var told = new List<string>();
        window.Fault = (_, what, _) => told.Add(what);
        CanvasPixels canvas = WindowRig.Blocks("out-front", 128, 64, 42);
        for (int frame = 0; frame < 3; frame++) rig.Show(WindowRig.Tick(frame), [canvas]);
        window.Window.RequestClose();
        for (int frame = 3; frame < 8; frame++) rig.Show(WindowRig.Tick(frame), [canvas]);
        rig.Device.WaitIdle();
        Assert.Equal(1, window.CloseRequestsIgnored);
        Assert.Contains("ignored", Assert.Single(told));
        Assert.False(window.Window.CloseRequested);
        Assert.Equal(8, window.Presented);
        AssertShows(rig, window, 42);
    }

    [Fact]
    public void A_lost_surface_is_rebuilt_and_the_next_frames_show()
    {
        using var rig = new WindowRig(WindowRig.TestRig().WithOneOutput());
        CanvasWindow window = rig.Output.Windows[0];
        CanvasPixels canvas = WindowRig.Blocks("out-front", 128, 64, 99);
        for (int frame = 0; frame < 3; frame++) rig.Show(WindowRig.Tick(frame), [canvas]);
        window.InjectFault(Silk.NET.Vulkan.Result.ErrorSurfaceLostKhr);
        for (int frame = 3; frame < 8; frame++) rig.Show(WindowRig.Tick(frame), [canvas]);
        rig.Device.WaitIdle();
        Assert.Equal(1, window.SurfacesRebuilt);
        Assert.Equal(1, window.Faults);
        Assert.Equal(8, window.Presented);
        AssertShows(rig, window, 99);
    }

    private static void AssertShows(WindowRig rig, CanvasWindow window, byte tag)
    {
        XwdCapture screen = XwdCapture.Root(rig.Xvfb.Display);
        (int wx, int wy) = window.Window.Position;
        for (int row = 0; row < 4; row++)
            for (int column = 0; column < 8; column++)
                Assert.Equal(WindowRig.BlockColour(column, row, tag), screen[wx + column * 16 + 8, wy + row * 16 + 8]);
    }
}
