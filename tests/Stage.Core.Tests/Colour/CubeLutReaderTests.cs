using System.Text;
using Stage.Core.Colour;

namespace Stage.Core.Tests.Colour;

/// <summary>The .cube reader: sizes, domain, comments, and every malformed case named with its line.</summary>
public sealed class CubeLutReaderTests
{
    private static string Lattice(int n, string header = "")
    {
        var sb = new StringBuilder(header).Append("LUT_3D_SIZE ").Append(n).Append('\n');
        for (int b = 0; b < n; b++)
        for (int g = 0; g < n; g++)
        for (int r = 0; r < n; r++)
            sb.Append(FormattableString.Invariant($"{r / (double)(n - 1):0.######} {g / (double)(n - 1):0.######} {b / (double)(n - 1):0.######}\n"));
        return sb.ToString();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(65)]
    public void Reads_3D_lattices_of_every_size_up_to_65(int n)
    {
        CubeLut lut = CubeLutReader.Parse(Lattice(n, "# made by a test\nTITLE \"Wall A\"\n\n"), "wall.cube");
        Assert.True(lut.Is3D);
        Assert.Equal(n, lut.Size);
        Assert.Equal("Wall A", lut.Title);
        Assert.Equal(n * n * n * 3, lut.Values.Length);
        // Red varies fastest: entry (1, 0, 0) is the second row.
        Assert.Equal(1 / (double)(n - 1), lut.Values[3], 5);
        Assert.Equal((0.0, 0.0, 0.0), lut.DomainMin);
    }

    [Fact]
    public void Reads_a_1D_table_with_its_domain_and_samples_it_as_a_lattice()
    {
        CubeLut lut = CubeLutReader.Parse("TITLE \"curve\"\nDOMAIN_MIN 0 0 0\nDOMAIN_MAX 2 2 2\nLUT_1D_SIZE 3\n0 0 0 # black\n0.25 0.5 0.5\n1 1 1\n", "c.cube");
        Assert.False(lut.Is3D);
        Assert.Equal((2.0, 2.0, 2.0), lut.DomainMax);
        float[] lattice = lut.ToLattice(out int size);
        Assert.Equal(3, size);
        Assert.Equal(0.25f, lattice[3]);            // (r = 1, g = 0, b = 0) → red curve at its middle entry
        Assert.Equal(0.5f, lattice[(3 * 1) * 3 + 1]); // (0, 1, 0) → green's middle entry
    }

    [Fact]
    public void Resolve_input_range_sets_the_domain()
    {
        CubeLut lut = CubeLutReader.Parse("LUT_3D_INPUT_RANGE -0.5 1.5\n" + Lattice(2), "r.cube");
        Assert.Equal((-0.5, -0.5, -0.5), lut.DomainMin);
        Assert.Equal((1.5, 1.5, 1.5), lut.DomainMax);
    }

    [Theory]
    [InlineData("LUT_3D_SIZE 66\n", 1, "from 2 to 65")]
    [InlineData("LUT_3D_SIZE 1\n", 1, "from 2 to 65")]
    [InlineData("LUT_3D_SIZE two\n", 1, "whole number")]
    [InlineData("# c\nLUT_1D_SIZE 2\nLUT_3D_SIZE 2\n", 3, "a second size")]
    [InlineData("0 0 0\n", 1, "before LUT_1D_SIZE")]
    [InlineData("LUT_1D_SIZE 2\nGAMMA 2.2\n", 2, "unknown keyword 'GAMMA'")]
    [InlineData("LUT_1D_SIZE 2\n0 0\n1 1 1\n", 2, "three numbers")]
    [InlineData("LUT_1D_SIZE 2\n0 0 0\n1 x 1\n", 3, "'x' is not a number")]
    [InlineData("LUT_1D_SIZE 2\n0 0 0\n1 1 1\n1 1 1\n", 4, "more rows than the 2")]
    [InlineData("LUT_1D_SIZE 3\n0 0 0\n\n1 1 1\n", 4, "ends after 2 of 3 rows")]
    [InlineData("DOMAIN_MIN 0 0\nLUT_1D_SIZE 2\n", 1, "followed by 3 numbers")]
    [InlineData("DOMAIN_MIN 1 0 0\nLUT_1D_SIZE 2\n0 0 0\n1 1 1\n", 3, "below DOMAIN_MAX")]
    [InlineData("TITLE wall\n", 1, "quoted")]
    [InlineData("LUT_1D_SIZE 2\n0 0 0\n1 1 nan\n", 3, "not a number")]
    public void Every_malformed_file_is_refused_with_its_line(string text, int line, string fragment)
    {
        var e = Assert.Throws<CubeLutException>(() => CubeLutReader.Parse(text, "/luts/bad.cube"));
        Assert.Equal(line, e.Line);
        Assert.Contains(fragment, e.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"/luts/bad.cube:{line}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_a_size_or_that_cannot_be_read_is_named()
    {
        Assert.Contains("no LUT_1D_SIZE", Assert.Throws<CubeLutException>(() => CubeLutReader.Parse("# only a comment\n", "e.cube")).Message);
        var e = Assert.Throws<CubeLutException>(() => CubeLutReader.Load("/nonexistent/wall.cube"));
        Assert.StartsWith("/nonexistent/wall.cube: cannot be read", e.Message, StringComparison.Ordinal);
    }
}
