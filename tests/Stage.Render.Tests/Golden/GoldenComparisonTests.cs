using Stage.Render.Imaging;

namespace Stage.Render.Tests.Golden;

/// <summary>The comparison the golden-image tests rely on: what counts as differing, and which pixel is reported.</summary>
public sealed class GoldenComparisonTests
{
    private static PngImage Flat(int width, int height, ushort value) =>
        new(width, height, 4, 8, Enumerable.Repeat(value, width * height * 4).ToArray());

    [Fact]
    public void Pixels_within_tolerance_do_not_count_and_the_worst_pixel_is_named()
    {
        PngImage expected = Flat(4, 3, 100);
        PngImage actual = Flat(4, 3, 100);
        actual.Samples[(1 * 4 + 2) * 4 + 1] = 102;   // (2, 1) green: 2 levels, within a tolerance of 2
        actual.Samples[(2 * 4 + 3) * 4 + 0] = 97;    // (3, 2) red: 3 levels, beyond it
        actual.Samples[(0 * 4 + 1) * 4 + 3] = 110;   // (1, 0) alpha: 10 levels, the worst

        var comparison = GoldenComparison.Of(expected, actual, toleranceLevels: 2);

        Assert.Equal(12, comparison.PixelCount);
        Assert.Equal(2, comparison.DifferingPixels);
        Assert.Equal(1, comparison.PixelsWithinTolerance);
        PixelDifference worst = comparison.Worst!.Value;
        Assert.Equal((1, 0, 10), (worst.X, worst.Y, worst.DifferenceLevels));
        Assert.Equal([100, 100, 100, 100], worst.Expected);
        Assert.Equal([100, 100, 100, 110], worst.Actual);
        Assert.Contains("(1, 0): expected (100, 100, 100, 100), actual (100, 100, 100, 110)", worst.ToString(), StringComparison.Ordinal);

        PngImage diff = GoldenComparison.DiffImage(expected, actual, toleranceLevels: 2);
        Assert.Equal([255, 0, 255], diff.Samples.AsSpan((0 * 4 + 1) * 3, 3).ToArray());   // beyond tolerance: magenta
        Assert.Equal([128, 128, 0], diff.Samples.AsSpan((1 * 4 + 2) * 3, 3).ToArray());   // within: dark yellow
    }

    [Fact]
    public void Equal_images_have_no_worst_pixel_and_mismatched_layouts_are_refused()
    {
        var comparison = GoldenComparison.Of(Flat(2, 2, 7), Flat(2, 2, 7), toleranceLevels: 0);
        Assert.Equal((0, 0, (PixelDifference?)null), (comparison.DifferingPixels, comparison.PixelsWithinTolerance, comparison.Worst));
        Assert.Throws<ArgumentException>(() => GoldenComparison.Of(Flat(2, 2, 7), Flat(2, 3, 7), toleranceLevels: 0));
    }
}
