using System.Runtime.InteropServices;
using System.Text;
using Stage.Core.Colour;
using Stage.Render.Colour;
using Stage.Render.Tests.Gpu;

namespace Stage.Render.Tests.Colour;

/// <summary>
/// The GPU's encoding (shaders/colour.glsl through encode.frag) equals the CPU reference (ColourEncoder) within one code
/// value at 10 bits for a ramp and a colour checker, for every transfer × primaries, with grades, calibration and a LUT —
/// on lavapipe with the validation layer, zero messages.
/// </summary>
public sealed class ColourEncodeGpuTests
{
    // X-Rite ColorChecker Classic (BabelColor's sRGB D65 values, 8-bit), decoded to linear below.
    private static readonly int[][] Checker =
    [
        [115, 82, 68], [194, 150, 130], [98, 122, 157], [87, 108, 67], [133, 128, 177], [103, 189, 170],
        [214, 126, 44], [80, 91, 166], [193, 90, 99], [94, 60, 108], [157, 188, 64], [224, 163, 46],
        [56, 61, 150], [70, 148, 73], [175, 54, 60], [231, 199, 31], [187, 86, 149], [8, 133, 161],
        [243, 243, 242], [200, 200, 200], [160, 160, 160], [122, 122, 121], [85, 85, 85], [52, 52, 52],
    ];

    /// <summary>A grey ramp to 1.5 × the peak, each primary's ramp, the checker at three exposures, and a few colours outside Rec.709.</summary>
    private static float[] Canvas(double peakOverWhite, out int count)
    {
        var colours = new List<(double R, double G, double B)>();
        for (int i = 0; i < 512; i++)
        {
            double v = i / 511.0 * 1.5 * peakOverWhite;
            colours.Add((v, v, v));
        }
        for (int i = 0; i < 96; i++)
        {
            double v = i / 95.0 * peakOverWhite;
            colours.Add((v, 0, 0));
            colours.Add((0, v, 0));
            colours.Add((0, 0, v));
        }
        foreach (double exposure in new[] { 0.25, 1.0, 4.0 })
        foreach (int[] p in Checker)
            colours.Add((TransferFunctions.SrgbDecode(p[0] / 255.0) * exposure, TransferFunctions.SrgbDecode(p[1] / 255.0) * exposure, TransferFunctions.SrgbDecode(p[2] / 255.0) * exposure));
        colours.AddRange([(-0.05, 0.6, 0.1), (0.9, -0.02, 0.4), (0.1, 0.2, 1.3), (2, 0.01, 0.01)]);
        count = colours.Count;
        var rgba = new float[count * 4];
        for (int i = 0; i < count; i++)
        {
            rgba[i * 4] = (float)colours[i].R;
            rgba[i * 4 + 1] = (float)colours[i].G;
            rgba[i * 4 + 2] = (float)colours[i].B;
            rgba[i * 4 + 3] = 1;
        }
        return rgba;
    }

    /// <summary>Encodes the canvas on the GPU and compares each channel's code value at <paramref name="bitDepth"/> with the CPU's.</summary>
    private static (int MaxDiff, string Worst) Compare(ColourEncodePass pass, float[] rgba, int count, AscCdl grade, int bitDepth, out ColourCounts gpu, out ColourCounts cpu)
    {
        (byte[] pixels, gpu) = pass.Encode(rgba, count, 1);
        ReadOnlySpan<ushort> wide = MemoryMarshal.Cast<byte, ushort>(pixels);
        int levels = (1 << bitDepth) - 1;
        int maxDiff = 0;
        string worst = "";
        long gamut = 0, peak = 0;
        for (int i = 0; i < count; i++)
        {
            var (r, g, b) = pass.Reference.Encode(rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2], grade, out bool outOfGamut, out bool overPeak);
            if (outOfGamut) gamut++;
            if (overPeak) peak++;
            double[] expected = [r, g, b];
            for (int c = 0; c < 3; c++)
            {
                double stored = bitDepth == 8 ? pixels[i * 4 + c] / 255.0 : wide[i * 4 + c] / 65535.0;
                int gpuCode = (int)Math.Round(stored * levels), cpuCode = (int)Math.Round(expected[c] * levels);
                int diff = Math.Abs(gpuCode - cpuCode);
                if (diff > maxDiff)
                {
                    maxDiff = diff;
                    worst = FormattableString.Invariant($"texel {i} ({rgba[i * 4]:0.####}, {rgba[i * 4 + 1]:0.####}, {rgba[i * 4 + 2]:0.####}) channel {c}: GPU {gpuCode}, CPU {cpuCode}");
                }
            }
        }
        cpu = new ColourCounts(gamut, peak);
        return (maxDiff, worst);
    }

    public static TheoryData<Transfer, Primaries> EveryTransferAndPrimaries()
    {
        var data = new TheoryData<Transfer, Primaries>();
        foreach (Transfer t in new[] { Transfer.Linear, Transfer.Srgb, Transfer.Bt1886, Transfer.Pq, Transfer.Hlg })
        foreach (Primaries p in new[] { Primaries.Rec709, Primaries.Rec2020, Primaries.P3D65 })
            data.Add(t, p);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTransferAndPrimaries))]
    public void Gpu_equals_the_cpu_reference_within_one_10_bit_code_value(Transfer transfer, Primaries primaries)
    {
        var colour = new OutputColour
        {
            Transfer = transfer, Primaries = primaries,
            PeakNits = OutputColour.DefaultPeakNits(transfer), ReferenceWhiteNits = OutputColour.DefaultReferenceWhiteNits(transfer),
        };
        RenderGpuTest.Run(device =>
        {
            using var pass = new ColourEncodePass(device, Primaries.Rec709, colour, 10, AscCdl.Identity);
            float[] rgba = Canvas(colour.PeakNits / colour.ReferenceWhiteNits, out int count);
            var (maxDiff, worst) = Compare(pass, rgba, count, AscCdl.Identity, 10, out ColourCounts gpu, out ColourCounts cpu);
            Assert.True(maxDiff <= 1, $"{transfer} {primaries}: {worst}");
            Assert.True(device.FragmentStoresAndAtomics, "lavapipe offers fragment atomics");
            Assert.InRange(gpu.OutOfGamutPixels, cpu.OutOfGamutPixels - 2, cpu.OutOfGamutPixels + 2);
            Assert.InRange(gpu.OverPeakPixels, cpu.OverPeakPixels - 2, cpu.OverPeakPixels + 2);
            Assert.True(cpu.OverPeakPixels > 100, "the ramp goes past the peak");
        });
    }

    [Fact]
    public void Grades_calibration_and_a_lut_from_acescg_match_the_cpu_reference()
    {
        // A 17³ LUT that bends every channel (a gentle S-curve) and mixes a little red into green.
        var cube = new StringBuilder("TITLE \"test\"\nLUT_3D_SIZE 17\n");
        for (int b = 0; b < 17; b++)
        for (int g = 0; g < 17; g++)
        for (int r = 0; r < 17; r++)
        {
            double S(double x) => x * x * (3 - 2 * x);
            double R = r / 16.0, G = g / 16.0, B = b / 16.0;
            cube.Append(FormattableString.Invariant($"{0.5 * R + 0.5 * S(R):0.000000} {0.9 * G + 0.1 * R:0.000000} {Math.Sqrt(B):0.000000}\n"));
        }
        CubeLut lut = CubeLutReader.Parse(cube.ToString(), "test.cube");
        var calibration = new WallCalibration(new ColourMatrix(0.95, 0.05, 0, 0.02, 0.96, 0.02, 0, 0.03, 0.97), 1, 0.98, 0.96, lut);
        var grade = new AscCdl(1.1, 1.0, 0.9, 0.01, 0, -0.01, 0.9, 1.0, 1.1, 0.85);
        foreach (Transfer transfer in new[] { Transfer.Pq, Transfer.Bt1886 })
        {
            var colour = new OutputColour
            {
                Transfer = transfer, Primaries = Primaries.Rec2020, PeakNits = transfer == Transfer.Pq ? 1500 : 300,
                ReferenceWhiteNits = transfer == Transfer.Pq ? 203 : 100, Calibration = calibration,
            };
            RenderGpuTest.Run(device =>
            {
                using var pass = new ColourEncodePass(device, Primaries.AcesCg, colour, 10, grade);
                float[] rgba = Canvas(colour.PeakNits / colour.ReferenceWhiteNits, out int count);
                var (maxDiff, worst) = Compare(pass, rgba, count, grade, 10, out _, out _);
                Assert.True(maxDiff <= 1, $"{transfer} graded, calibrated, LUT: {worst}");
            });
        }
    }

    [Theory]
    [InlineData(Transfer.Srgb, false)]
    [InlineData(Transfer.Srgb, true)]
    [InlineData(Transfer.Bt1886, false)]
    public void An_8_bit_srgb_canvas_holds_the_same_code_values(Transfer transfer, bool withLut)
    {
        CubeLut? lut = withLut ? CubeLutReader.Parse("LUT_1D_SIZE 3\n0 0 0\n0.6 0.5 0.4\n1 1 1\n", "curve.cube") : null;
        var colour = new OutputColour { Transfer = transfer, Calibration = WallCalibration.None with { Lut = lut } };
        RenderGpuTest.Run(device =>
        {
            using var pass = new ColourEncodePass(device, Primaries.Rec709, colour, 8, AscCdl.Identity);
            float[] rgba = Canvas(1, out int count);
            var (maxDiff, worst) = Compare(pass, rgba, count, AscCdl.Identity, 8, out _, out _);
            Assert.True(maxDiff <= 1, worst);
        });
    }

    [Fact]
    public void Pq_series_matches_the_formula_over_the_whole_domain()
    {
        // colour.glsl's PQ is a polynomial in (nits / 10000)^(1/8), not the formula: swept over 0 … 10,000 nits (evenly
        // in nits and evenly in the series' variable, which crowds the dark end), a 16-bit signal against ST 2084's formula.
        var colour = new OutputColour { Transfer = Transfer.Pq, Primaries = Primaries.Rec709, PeakNits = 10000, ReferenceWhiteNits = 100 };
        const int width = 4096, height = 4, half = width * height / 2;
        var rgba = new float[width * height * 4];
        var nits = new double[width * height];
        for (int i = 0; i < width * height; i++)
        {
            double f = i < half ? i / (half - 1.0) : Math.Pow((i - half) / (half - 1.0), 8);
            nits[i] = f * 10000;
            // Working light in units of reference white (100 nits); the output's toOutput divides by its peak over that.
            for (int c = 0; c < 3; c++) rgba[i * 4 + c] = (float)(f * 100);
            rgba[i * 4 + 3] = 1;
        }
        RenderGpuTest.Run(device =>
        {
            using var pass = new ColourEncodePass(device, Primaries.Rec709, colour, 16, AscCdl.Identity);
            (byte[] pixels, _) = pass.Encode(rgba, width, height);
            ReadOnlySpan<ushort> wide = MemoryMarshal.Cast<byte, ushort>(pixels);
            double worst = 0;
            int worstAt = 0;
            for (int i = 0; i < width * height; i++)
            {
                double error = Math.Abs(wide[i * 4] / 65535.0 - TransferFunctions.PqEncode(nits[i])) * 1023;
                if (error > worst) (worst, worstAt) = (error, i);
            }
            // The polynomial is within 0.023 of a 10-bit code; the 16-bit store adds up to 0.008.
            Assert.True(worst < 0.05, FormattableString.Invariant($"{nits[worstAt]:0.######} nits: {worst:0.000} of a 10-bit code from the formula"));
        });
    }
}
