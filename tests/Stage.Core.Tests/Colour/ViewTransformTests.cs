using Stage.Core.Colour;

namespace Stage.Core.Tests.Colour;

/// <summary>The view transform (docs/colour.md): an output's code values back to light, then to a sensible sRGB picture.</summary>
public sealed class ViewTransformTests
{
    private static OutputColour Pq(Primaries primaries = Primaries.Rec2020) =>
        new() { Transfer = Transfer.Pq, Primaries = primaries, PeakNits = 1000, ReferenceWhiteNits = 203 };

    // sRGB of the shoulder at s: what the docs' formula gives.
    private static double Expected(double light)
    {
        double s = light * ViewTransform.ReferenceWhiteView;
        if (s > ViewTransform.Knee) s = ViewTransform.Knee + (1 - ViewTransform.Knee) * (1 - Math.Exp(-(s - ViewTransform.Knee) / (1 - ViewTransform.Knee)));
        return TransferFunctions.SrgbEncode(s);
    }

    [Fact]
    public void Pq_reference_white_of_203_nits_shows_as_a_light_grey_near_sRGB_0_79()
    {
        var view = new ViewTransform(Pq());
        double code = TransferFunctions.PqEncode(203);
        (double r, double g, double b) = view.View(code, code, code);
        // 0.6 → shoulder 0.5906 → sRGB 0.7922 (8-bit 202): white-ish, with room above for highlights.
        Assert.Equal(0.7922, r, 3);
        Assert.Equal(r, g, 4);
        Assert.Equal(r, b, 4);
        Assert.Equal(202, view.View8(code, code, code).R);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(10.0)]
    [InlineData(50.0)]
    [InlineData(203.0)]
    [InlineData(1000.0)]
    [InlineData(4000.0)]
    public void Pq_grey_follows_the_documented_tone_curve(double nits)
    {
        var view = new ViewTransform(Pq());
        double code = TransferFunctions.PqEncode(nits);
        Assert.Equal(Expected(nits / 203), view.View(code, code, code).R, 3);
    }

    [Fact]
    public void Highlights_roll_off_below_white_and_keep_their_order()
    {
        var view = new ViewTransform(Pq());
        double previous = -1;
        foreach (double nits in new[] { 100.0, 203, 400, 1000, 4000 })
        {
            double code = TransferFunctions.PqEncode(nits);
            double shown = view.View(code, code, code).R;
            Assert.True(shown > previous, $"{nits} nits shows {shown}, not above {previous}");
            Assert.True(shown < 1.0);
            previous = shown;
        }
        // The peak (1,000 nits, 4.9 × reference white) is bright but not clipped.
        Assert.InRange(view.View(TransferFunctions.PqEncode(1000), TransferFunctions.PqEncode(1000), TransferFunctions.PqEncode(1000)).R, 0.99, 0.9995);
    }

    [Fact]
    public void Rec2020_primaries_map_to_rec709_and_a_colour_outside_709_is_gamut_clipped()
    {
        var view = new ViewTransform(Pq());
        // Rec.709 red, converted to Rec.2020 and encoded: viewed back it is red again (green and blue stay black).
        ColourMatrix toOutput = ColourSpaces.Conversion(Primaries.Rec709, Primaries.Rec2020);
        (double r2020, double g2020, double b2020) = toOutput.Apply(0.5, 0, 0);
        (double r, double g, double b) = view.Light(TransferFunctions.PqEncode(r2020 * 203), TransferFunctions.PqEncode(g2020 * 203), TransferFunctions.PqEncode(b2020 * 203));
        Assert.Equal(0.5, r, 2);
        Assert.Equal(0, g, 2);
        Assert.Equal(0, b, 2);
        // Pure Rec.2020 green is outside Rec.709: its negative red and blue clip to 0.
        double green = TransferFunctions.PqEncode(203);
        (double cr, double cg, double cb) = view.Light(0, green, 0);
        Assert.Equal(0, cr);
        Assert.True(cg > 1);
        Assert.Equal(0, cb);
    }

    [Fact]
    public void An_sRGB_output_views_as_its_own_code_values()
    {
        var view = new ViewTransform(new OutputColour { Transfer = Transfer.Srgb, Primaries = Primaries.Rec709, PeakNits = 100, ReferenceWhiteNits = 100 });
        for (int v = 0; v <= 255; v += 15)
        {
            (byte r, byte g, byte b) = view.View8(v / 255.0, v / 255.0, v / 255.0);
            Assert.InRange(r, v - 1, v + 1);
            Assert.Equal(r, g);
            Assert.Equal(r, b);
        }
    }

    [Fact]
    public void Bt1886_and_linear_outputs_are_decoded_to_light_then_shown_as_sRGB()
    {
        var bt1886 = new ViewTransform(new OutputColour { Transfer = Transfer.Bt1886, PeakNits = 100, ReferenceWhiteNits = 100 });
        Assert.Equal(TransferFunctions.SrgbEncode(Math.Pow(0.5, 2.4)), bt1886.View(0.5, 0.5, 0.5).R, 3);
        var linear = new ViewTransform(new OutputColour { Transfer = Transfer.Linear, PeakNits = 100, ReferenceWhiteNits = 100 });
        Assert.Equal(TransferFunctions.SrgbEncode(0.25), linear.View(0.25, 0.25, 0.25).R, 3);
    }

    [Fact]
    public void Hlg_reference_white_shows_like_pq_reference_white()
    {
        // BT.2408: 203 nits on a 1,000-nit HLG display is signal 0.75; through the OOTF it is reference white again.
        var view = new ViewTransform(new OutputColour { Transfer = Transfer.Hlg, Primaries = Primaries.Rec2020, PeakNits = 1000, ReferenceWhiteNits = 203 });
        (double r, _, _) = view.Light(0.75, 0.75, 0.75);
        Assert.Equal(1.0, r, 1);
        Assert.Equal(0.79, view.View(0.75, 0.75, 0.75).R, 1);
    }

    [Fact]
    public void A_16_bit_image_is_viewed_pixel_for_pixel()
    {
        var view = new ViewTransform(Pq());
        ushort code = (ushort)Math.Round(TransferFunctions.PqEncode(203) * 1023) ;
        ushort sample = (ushort)Math.Round(code / 1023.0 * 65535);
        var rgba = new byte[2 * 8];
        for (int i = 0; i < 8; i++) BitConverter.TryWriteBytes(rgba.AsSpan(i * 2, 2), i % 4 == 3 ? (ushort)65535 : sample);
        var shown = new byte[8];
        view.ViewImage(rgba, 16, shown);
        Assert.Equal([202, 202, 202, 255, 202, 202, 202, 255], shown);
    }
}
