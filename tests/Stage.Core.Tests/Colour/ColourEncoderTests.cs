using Stage.Core.Colour;

namespace Stage.Core.Tests.Colour;

/// <summary>The whole per-pixel encoding on the CPU: exposure, peak clip, counts, calibration, LUT, quantisation.</summary>
public sealed class ColourEncoderTests
{
    [Fact]
    public void Pq_at_1000_nits_puts_reference_white_at_203_nits_and_clips_at_the_peak()
    {
        var enc = new ColourEncoder(Primaries.Rec709, new OutputColour { Transfer = Transfer.Pq, Primaries = Primaries.Rec2020, PeakNits = 1000, ReferenceWhiteNits = 203 }, 10);
        Assert.Equal(enc.CodeValue(TransferFunctions.PqEncode(203)), enc.CodeValue(enc.Encode(1, 1, 1, AscCdl.Identity).R));
        // 10 × reference white is 2,030 nits: clipped to the peak, 769, and counted.
        var over = enc.Encode(10, 10, 10, AscCdl.Identity, out bool gamut, out bool peak);
        Assert.Equal(769, enc.CodeValue(over.R));
        Assert.True(peak);
        Assert.False(gamut);
    }

    [Fact]
    public void A_colour_outside_the_outputs_primaries_is_counted()
    {
        var enc = new ColourEncoder(Primaries.Rec2020, new OutputColour { Transfer = Transfer.Srgb, Primaries = Primaries.Rec709 }, 8);
        enc.Encode(0, 1, 0, AscCdl.Identity, out bool gamut, out bool _);
        Assert.True(gamut);
        enc.Encode(0.5, 0.5, 0.5, AscCdl.Identity, out gamut, out bool peak);
        Assert.False(gamut);
        Assert.False(peak);
    }

    [Fact]
    public void Calibration_matrix_and_gains_act_on_display_light_and_the_lut_on_code_values()
    {
        // A LUT that inverts every channel, over the default domain.
        var values = new float[2 * 2 * 2 * 3];
        for (int i = 0; i < 8; i++)
        {
            values[i * 3] = 1 - (i & 1);
            values[i * 3 + 1] = 1 - ((i >> 1) & 1);
            values[i * 3 + 2] = 1 - ((i >> 2) & 1);
        }
        var lut = new CubeLut("inv.cube", null, true, 2, (0, 0, 0), (1, 1, 1), values);
        var cal = new WallCalibration(ColourMatrix.Diagonal(1, 1, 1), 0.5, 1, 1, lut);
        var enc = new ColourEncoder(Primaries.Rec709, new OutputColour { Transfer = Transfer.Linear, Calibration = cal }, 16);
        var (r, g, b) = enc.Encode(0.8, 0.25, 0, AscCdl.Identity);
        Assert.Equal(1 - 0.4, r, 4);
        Assert.Equal(1 - 0.25, g, 4);
        Assert.Equal(1, b, 4);
    }

    [Fact]
    public void Code_values_are_quantised_to_the_bit_depth()
    {
        var enc = new ColourEncoder(Primaries.Rec709, new OutputColour { Transfer = Transfer.Linear }, 10);
        Assert.Equal(512 / 1023.0, enc.Encode(0.5, 0.5, 0.5, AscCdl.Identity).R, 12);
    }
}
