using FsCheck;
using FsCheck.Fluent;
using Stage.Core.Colour;

namespace Stage.Core.Tests.Colour;

/// <summary>The ASC CDL as its specification writes it, clamps included.</summary>
public sealed class AscCdlTests
{
    [Fact]
    public void Slope_offset_power_then_saturation_follow_the_ASC_formula()
    {
        var cdl = new AscCdl(1.2, 0.9, 1.0, 0.01, -0.02, 0.0, 0.9, 1.1, 1.0, 0.8);
        var (r, g, b) = cdl.Apply(0.4, 0.5, 0.6);
        double sr = Math.Pow(0.4 * 1.2 + 0.01, 0.9), sg = Math.Pow(0.5 * 0.9 - 0.02, 1.1), sb = 0.6;
        double luma = 0.2126 * sr + 0.7152 * sg + 0.0722 * sb;
        Assert.Equal(luma + 0.8 * (sr - luma), r, 12);
        Assert.Equal(luma + 0.8 * (sg - luma), g, 12);
        Assert.Equal(luma + 0.8 * (sb - luma), b, 12);
    }

    [Fact]
    public void Clamps_to_0_1_after_slope_and_offset_and_after_saturation()
    {
        // Slope 2 on 0.8 gives 1.6 → 1 before power; offset −0.5 on 0.2 gives −0.3 → 0 (power of a negative is not taken).
        var (r, g, _) = new AscCdl(2, 1, 1, 0, -0.5, 0, 0.5, 2, 1, 1).Apply(0.8, 0.2, 0.5);
        Assert.Equal(1, r, 12);
        Assert.Equal(0, g, 12);
        // Saturation 3 pushes a saturated red past 1 and its green below 0: clamped.
        var (sr, sg, _) = new AscCdl(1, 1, 1, 0, 0, 0, 1, 1, 1, 3).Apply(1, 0, 0);
        Assert.Equal(1, sr, 12);
        Assert.Equal(0, sg, 12);
    }

    [Fact]
    public void Saturation_0_gives_the_Rec709_luma_in_every_channel()
    {
        var (r, g, b) = new AscCdl(1, 1, 1, 0, 0, 0, 1, 1, 1, 0).Apply(0.9, 0.3, 0.1);
        double luma = 0.2126 * 0.9 + 0.7152 * 0.3 + 0.0722 * 0.1;
        Assert.Equal(luma, r, 12); Assert.Equal(luma, g, 12); Assert.Equal(luma, b, 12);
    }

    [Fact]
    public void The_identity_changes_nothing_inside_0_1_and_every_grade_stays_inside_0_1()
    {
        Gen<(double, double, double)> rgb = from r in Gen.Choose(0, 1000) from g in Gen.Choose(0, 1000) from b in Gen.Choose(0, 1000) select (r / 1000.0, g / 1000.0, b / 1000.0);
        Prop.ForAll(rgb.ToArbitrary(), c =>
        {
            var (r, g, b) = AscCdl.Identity.Apply(c.Item1, c.Item2, c.Item3);
            var (x, y, z) = new AscCdl(3, 0.2, 1.5, -0.2, 0.4, 0.1, 0.3, 2.5, 1, 2.2).Apply(c.Item1 * 4 - 1, c.Item2, c.Item3);
            return Math.Abs(r - c.Item1) < 1e-12 && Math.Abs(g - c.Item2) < 1e-12 && Math.Abs(b - c.Item3) < 1e-12
                && x is >= 0 and <= 1 && y is >= 0 and <= 1 && z is >= 0 and <= 1;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Faults_and_ALE_text()
    {
        Assert.Null(AscCdl.Identity.Fault());
        Assert.Contains("powers", new AscCdl(1, 1, 1, 0, 0, 0, 0, 1, 1, 1).Fault());
        Assert.Contains("slopes", new AscCdl(-1, 1, 1, 0, 0, 0, 1, 1, 1, 1).Fault());
        Assert.Contains("finite", new AscCdl(double.NaN, 1, 1, 0, 0, 0, 1, 1, 1, 1).Fault());
        var cdl = new AscCdl(1.1, 1, 0.9, 0.01, 0, -0.01, 1, 1.2, 1, 0.95);
        Assert.Equal("(1.100000 1.000000 0.900000)(0.010000 0.000000 -0.010000)(1.000000 1.200000 1.000000)", cdl.SopText());
        Assert.Equal("0.950000", cdl.SatText());
    }
}
