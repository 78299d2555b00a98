using Stage.Windowing.Outputs;

namespace Stage.Windowing.Tests;

/// <summary>The status overlay is drawn by the GPU into the presented image: its glyphs are where the font puts them.</summary>
public sealed class StatusOverlayTests
{
    // The digits of the 3 × 5 overlay font, rows top to bottom (stated here independently of the shader).
    private static readonly string[] Digits =
    [
        "111101101101111", "010110010010111", "111001111100111", "111001111001111", "101101111001001",
        "111100111001111", "111100111101111", "111001001001001", "111101111101111", "111101111001111",
    ];

    [Fact]
    public void Overlay_text_is_drawn_on_the_gpu_over_the_canvas_and_hides_with_its_shortcut_state()
    {
        using var rig = new WindowRig(WindowRig.TestRig().WithOneOutput(), new WindowOutputOptions());
        CanvasWindow window = rig.Output.Windows[0];
        Assert.NotNull(window.Overlay);
        rig.Output.WriteOverlay = (tick, text) =>
        {
            text.SetLine(0, "0123456789");
            WindowOutput.WriteFrameLine(tick, text.Line(1));
            text.SetLine(2, "");
            text.SetLine(3, "");
        };
        var canvas = WindowRig.Grey("out-front", 128, 64, 128);
        for (int frame = 0; frame < 3; frame++) rig.Show(WindowRig.Tick(frame), [canvas]);
        rig.Device.WaitIdle();
        Assert.Equal("FRAME 2  TC 00:00:00:00", rig.Output.OverlayText.Line(1).ToString().TrimEnd());
        XwdCapture screen = XwdCapture.Root(rig.Xvfb.Display);
        (int wx, int wy) = window.Window.Position;
        int scale = StatusOverlay.ScaleFor(128);
        Assert.Equal(2, scale);
        int originX = 2 * scale, originY = 2 * scale;
        for (int digit = 0; digit < 10; digit++)
        {
            int cellX = originX + (1 + 4 * digit) * scale, cellY = originY + scale;
            for (int gy = 0; gy < 5; gy++)
                for (int gx = 0; gx < 3; gx++)
                {
                    bool lit = Digits[digit][gy * 3 + gx] == '1';
                    for (int dy = 0; dy < scale; dy++)
                        for (int dx = 0; dx < scale; dx++)
                        {
                            (byte r, byte g, byte b) = screen[wx + cellX + gx * scale + dx, wy + cellY + gy * scale + dy];
                            if (lit) Assert.Equal((255, 255, 255), (r, g, b));
                            // Unlit: the grey canvas darkened by the box (35 % of its linear light: sRGB 128 → about 77).
                            else Assert.InRange(r, 70, 85);
                        }
                }
        }
        // Below the box (4 lines of 6 font pixels + margins) the canvas is untouched.
        int boxBottom = originY + (4 * 6 + 1) * scale;
        for (int x = 0; x < 128; x += 5) Assert.Equal((128, 128, 128), ToTuple(screen[wx + x, wy + boxBottom + 1]));

        // Hidden (the overlay shortcut's state): the next frame is the bare canvas.
        rig.Output.Input = new Stage.Engine.Input.OperatorInput(rig.Config, new Stage.Engine.Control.CommandRegistry(), [], Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        rig.Output.Input.Run(Stage.Core.Configuration.OperatorAction.OverlayToggle);
        rig.Show(WindowRig.Tick(3), [canvas]);
        rig.Device.WaitIdle();
        screen = XwdCapture.Root(rig.Xvfb.Display);
        for (int y = 0; y < 64; y += 3)
            for (int x = 0; x < 128; x += 3)
                Assert.Equal((128, 128, 128), ToTuple(screen[wx + x, wy + y]));
    }

    private static (int, int, int) ToTuple((byte R, byte G, byte B) p) => (p.R, p.G, p.B);
}
