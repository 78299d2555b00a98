using System.Numerics;
using System.Runtime.InteropServices;
using Stage.Core.Colour;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Render.Scene;
using Stage.Render.Tests.Gpu;

namespace Stage.Render.Tests.Colour;

/// <summary>
/// The compose pass itself encodes: a PQ output's canvas holds the CPU reference's code values of the outer render with
/// each region's wall grade (live-set, per region), and the frame's over-peak pixels are counted — read when the frame
/// completes (lavapipe, validation layer, zero messages).
/// </summary>
public sealed class ComposeColourTests
{
    [Fact]
    public void A_pq_canvas_holds_the_reference_code_values_with_each_walls_grade_and_counts_the_clipped_pixels()
    {
        StageConfig rig = RenderGpuTest.TestRig();
        var pq = new OutputColour { Transfer = Transfer.Pq, Primaries = Primaries.Rec2020, PeakNits = 1000, ReferenceWhiteNits = 203 };
        StageConfig config = rig with { Outputs = rig.Outputs.Select(o => o with { BitDepth = 10, Colour = pq }).ToArray() };
        var curveGrade = new AscCdl(1.3, 1.0, 0.7, 0.02, 0, 0, 0.9, 1, 1.2, 0.8);
        // Bright enough that the ungraded outer light passes the 1,000-nit peak in blue (0.7 × 6 × 203 ≈ 853 nits is below; 8 × is above).
        var scene = new RenderScene { BackgroundLinear = new Vector3(0.3f, 0.45f, 0.7f) * 8 };
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config);
            int curve = config.Walls.ToList().FindIndex(w => w.Id == "curve");
            renderer.Compositor.SetWallGrade(curve, curveGrade);
            IReadOnlyList<CanvasPixels> canvases = renderer.Render([], scene);
            var encoder = new ColourEncoder(Primaries.Rec709, pq, 10);
            Vector3 sky = scene.BackgroundLinear;
            int checkedPixels = 0;
            long carried = 0;
            for (int o = 0; o < config.Outputs.Count; o++)
            {
                OutputCanvas output = config.Outputs[o];
                ReadOnlySpan<ushort> px = MemoryMarshal.Cast<byte, ushort>(canvases[o].Rgba.Span);
                foreach (OutputRegion region in output.Regions)
                {
                    carried += region.WallRect.Area;
                    AscCdl grade = region.WallId == "curve" ? curveGrade : AscCdl.Identity;
                    var (r, g, b) = encoder.Encode(sky.X, sky.Y, sky.Z, grade);
                    int[] expected = [encoder.CodeValue(r), encoder.CodeValue(g), encoder.CodeValue(b)];
                    PixelRect rect = region.CanvasRect;
                    for (int y = rect.Y; y < rect.Y + rect.Height; y++)
                    for (int x = rect.X; x < rect.X + rect.Width; x++)
                    {
                        for (int c = 0; c < 3; c++)
                        {
                            int code = (int)Math.Round(px[(y * output.PixelWidth + x) * 4 + c] / 65535.0 * 1023);
                            Assert.True(Math.Abs(code - expected[c]) <= 1, $"{output.Id} ({x}, {y}) wall {region.WallId} channel {c}: {code}, reference {expected[c]}");
                        }
                        checkedPixels++;
                    }
                }
            }
            Assert.Equal(carried, checkedPixels);
            // Every carried pixel's ungraded light is over the peak (blue), none out of gamut: the counts of the frame.
            encoder.Encode(sky.X, sky.Y, sky.Z, AscCdl.Identity, out bool gamut, out bool peak);
            Assert.True(peak && !gamut);
            Assert.True(renderer.Compositor.CountsColourFaults);
            long over = 0;
            for (int o = 0; o < config.Outputs.Count; o++)
            {
                Assert.Equal(0, renderer.LastColourCounts[o].OutOfGamutPixels);
                over += renderer.LastColourCounts[o].OverPeakPixels;
            }
            Assert.Equal(carried, over);
            Assert.Equal(1, renderer.ColourCountedFrames);
        });
    }
}
