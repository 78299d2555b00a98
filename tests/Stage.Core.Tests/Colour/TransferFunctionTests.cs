using FsCheck;
using FsCheck.Fluent;
using Stage.Core.Colour;

namespace Stage.Core.Tests.Colour;

/// <summary>The transfer functions against the values their standards publish, and their inverses.</summary>
public sealed class TransferFunctionTests
{
    [Theory]
    [InlineData(0.0, 0.0, 0)]
    [InlineData(100.0, 0.50808, 520)]
    [InlineData(203.0, 0.58069, 594)]
    [InlineData(1000.0, 0.75183, 769)]
    [InlineData(10000.0, 1.0, 1023)]
    public void Pq_gives_the_published_signal_and_10_bit_full_range_code_value(double nits, double signal, int code10)
    {
        double e = TransferFunctions.PqEncode(nits);
        Assert.Equal(signal, e, 5);
        Assert.Equal(code10, (int)Math.Round(e * 1023));
    }

    [Fact]
    public void Srgb_matches_IEC_61966_2_1_at_its_break_point_and_mid_grey()
    {
        Assert.Equal(0.04045, TransferFunctions.SrgbEncode(0.0031308), 5);
        Assert.Equal(0.214041, TransferFunctions.SrgbDecode(0.5), 6);
        Assert.Equal(0.5, TransferFunctions.SrgbEncode(0.214041), 5);
        Assert.Equal(1.0, TransferFunctions.SrgbEncode(1.0), 12);
        Assert.Equal(12.92 * 0.001, TransferFunctions.SrgbEncode(0.001), 12);
    }

    [Fact]
    public void Bt1886_with_zero_black_is_a_2_4_gamma()
    {
        Assert.Equal(0.189465, TransferFunctions.Bt1886Decode(0.5), 6);
        Assert.Equal(0.5, TransferFunctions.Bt1886Encode(0.189465), 5);
        Assert.Equal(1.0, TransferFunctions.Bt1886Encode(1.0), 12);
    }

    [Fact]
    public void Hlg_oetf_matches_BT2100_at_its_break_point_and_top()
    {
        Assert.Equal(0.5, TransferFunctions.HlgOetf(1.0 / 12), 7);
        Assert.Equal(1.0, TransferFunctions.HlgOetf(1.0), 6);
        Assert.Equal(1.2, TransferFunctions.HlgSystemGamma(1000), 12);
        // BT.2100's constants are consistent: b = 1 − 4a, c = 0.5 − a·ln(4a).
        Assert.Equal(TransferFunctions.HlgB, 1 - 4 * TransferFunctions.HlgA, 7);
        Assert.Equal(TransferFunctions.HlgC, 0.5 - TransferFunctions.HlgA * Math.Log(4 * TransferFunctions.HlgA), 7);
    }

    [Fact]
    public void Reference_white_lands_where_BT2408_says_75_percent_HLG_and_58_percent_PQ()
    {
        var hlg = new ColourEncoder(Primaries.Rec709, new OutputColour { Transfer = Transfer.Hlg, Primaries = Primaries.Rec2020, PeakNits = 1000, ReferenceWhiteNits = 203 }, 16);
        Assert.Equal(0.75, hlg.Encode(1, 1, 1, AscCdl.Identity).R, 2);
        var pq = new ColourEncoder(Primaries.Rec709, new OutputColour { Transfer = Transfer.Pq, Primaries = Primaries.Rec2020, PeakNits = 1000, ReferenceWhiteNits = 203 }, 16);
        Assert.Equal(0.58, pq.Encode(1, 1, 1, AscCdl.Identity).G, 2);
    }

    [Fact]
    public void Every_transfer_round_trips_through_its_inverse()
    {
        Gen<double> unit = Gen.Choose(0, 1_000_000).Select(i => i / 1_000_000.0);
        Prop.ForAll(unit.ToArbitrary(), x =>
            Math.Abs(TransferFunctions.PqDecode(TransferFunctions.PqEncode(x * 10000)) - x * 10000) < 1e-6 * 10000
            && Math.Abs(TransferFunctions.SrgbDecode(TransferFunctions.SrgbEncode(x)) - x) < 1e-9
            && Math.Abs(TransferFunctions.Bt1886Decode(TransferFunctions.Bt1886Encode(x)) - x) < 1e-9
            && Math.Abs(TransferFunctions.HlgInverseOetf(TransferFunctions.HlgOetf(x)) - x) < 1e-9).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Every_transfer_is_monotonic()
    {
        Gen<(double, double)> pairs = from a in Gen.Choose(0, 100_000) from b in Gen.Choose(0, 100_000) select (Math.Min(a, b) / 100_000.0, Math.Max(a, b) / 100_000.0);
        Prop.ForAll(pairs.ToArbitrary(), p =>
            TransferFunctions.PqEncode(p.Item1 * 10000) <= TransferFunctions.PqEncode(p.Item2 * 10000)
            && TransferFunctions.SrgbEncode(p.Item1) <= TransferFunctions.SrgbEncode(p.Item2)
            && TransferFunctions.HlgOetf(p.Item1) <= TransferFunctions.HlgOetf(p.Item2)).QuickCheckThrowOnFailure();
    }
}
