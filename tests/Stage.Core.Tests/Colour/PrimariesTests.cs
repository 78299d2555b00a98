using FsCheck;
using FsCheck.Fluent;
using Stage.Core.Colour;

namespace Stage.Core.Tests.Colour;

/// <summary>Matrices derived from the chromaticities, against the published ones.</summary>
public sealed class PrimariesTests
{
    private static void AssertMatrix(double[] expected, ColourMatrix actual, int decimals)
    {
        for (int i = 0; i < 9; i++) Assert.Equal(expected[i], actual[i / 3, i % 3], decimals);
    }

    [Fact]
    public void Rec709_to_Rec2020_is_the_BT2087_matrix_to_four_decimals()
    {
        AssertMatrix([0.6274, 0.3293, 0.0433, 0.0691, 0.9195, 0.0114, 0.0164, 0.0880, 0.8956],
            ColourSpaces.Conversion(Primaries.Rec709, Primaries.Rec2020), 4);
    }

    [Fact]
    public void Rec709_to_XYZ_is_the_sRGB_matrix()
    {
        AssertMatrix([0.4124, 0.3576, 0.1805, 0.2126, 0.7152, 0.0722, 0.0193, 0.1192, 0.9505], ColourSpaces.RgbToXyz(Primaries.Rec709), 4);
        AssertMatrix([0.6370, 0.1446, 0.1689, 0.2627, 0.6780, 0.0593, 0.0000, 0.0281, 1.0610], ColourSpaces.RgbToXyz(Primaries.Rec2020), 4);
    }

    [Fact]
    public void AcesCg_to_Rec709_is_the_Bradford_adapted_matrix_ACES_publishes()
    {
        AssertMatrix([1.70505, -0.62179, -0.08326, -0.13026, 1.14080, -0.01055, -0.02400, -0.12897, 1.15297],
            ColourSpaces.Conversion(Primaries.AcesCg, Primaries.Rec709), 3);
    }

    [Fact]
    public void White_stays_white_and_conversions_invert_each_other()
    {
        Primaries[] all = [Primaries.Rec709, Primaries.Rec2020, Primaries.P3D65, Primaries.AcesCg];
        foreach (Primaries a in all)
        foreach (Primaries b in all)
        {
            var (r, g, bl) = ColourSpaces.Conversion(a, b).Apply(1, 1, 1);
            Assert.Equal(1, r, 6); Assert.Equal(1, g, 6); Assert.Equal(1, bl, 6);
            AssertMatrix([1, 0, 0, 0, 1, 0, 0, 0, 1], ColourSpaces.Conversion(b, a) * ColourSpaces.Conversion(a, b), 9);
        }
    }

    [Fact]
    public void Rec709_colours_stay_inside_Rec2020()
    {
        Gen<(double, double, double)> rgb = from r in Gen.Choose(0, 1000) from g in Gen.Choose(0, 1000) from b in Gen.Choose(0, 1000) select (r / 1000.0, g / 1000.0, b / 1000.0);
        ColourMatrix m = ColourSpaces.Conversion(Primaries.Rec709, Primaries.Rec2020);
        Prop.ForAll(rgb.ToArbitrary(), c =>
        {
            var (x, y, z) = m.Apply(c.Item1, c.Item2, c.Item3);
            return x >= -1e-12 && y >= -1e-12 && z >= -1e-12;
        }).QuickCheckThrowOnFailure();
    }
}
