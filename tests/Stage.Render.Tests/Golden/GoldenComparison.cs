using Stage.Render.Imaging;

namespace Stage.Render.Tests.Golden;

/// <summary>One pixel where a render and its golden image disagree.</summary>
/// <param name="X">Column, pixels from the left.</param>
/// <param name="Y">Row, pixels from the top.</param>
/// <param name="Expected">The golden's channels.</param>
/// <param name="Actual">The render's channels.</param>
/// <param name="DifferenceLevels">The largest per-channel difference, in levels of the image's bit depth.</param>
internal readonly record struct PixelDifference(int X, int Y, ushort[] Expected, ushort[] Actual, int DifferenceLevels)
{
    public override string ToString() =>
        $"({X}, {Y}): expected ({string.Join(", ", Expected)}), actual ({string.Join(", ", Actual)}), {DifferenceLevels} levels apart";
}

/// <summary>How a render compares with its golden image.</summary>
/// <param name="PixelCount">Pixels compared.</param>
/// <param name="DifferingPixels">Pixels with some channel further than the tolerance from the golden.</param>
/// <param name="PixelsWithinTolerance">Pixels that differ at all but by no more than the tolerance.</param>
/// <param name="Worst">The pixel with the largest channel difference (the first such in row order), or null when the images are equal.</param>
internal sealed record GoldenComparison(int PixelCount, int DifferingPixels, int PixelsWithinTolerance, PixelDifference? Worst)
{
    /// <summary>
    /// Compares two images of the same size, layout and depth channel by channel: a pixel differs when
    /// any channel is more than <paramref name="toleranceLevels"/> from the golden.
    /// </summary>
    public static GoldenComparison Of(PngImage expected, PngImage actual, int toleranceLevels)
    {
        if ((expected.Width, expected.Height, expected.Channels, expected.BitDepth) != (actual.Width, actual.Height, actual.Channels, actual.BitDepth))
        {
            throw new ArgumentException(
                $"golden is {Describe(expected)}, render is {Describe(actual)}", nameof(actual));
        }
        int channels = expected.Channels;
        int differing = 0, within = 0, worstLevels = 0, worstIndex = -1;
        for (int pixel = 0; pixel < expected.Width * expected.Height; pixel++)
        {
            int levels = 0;
            for (int c = 0; c < channels; c++)
            {
                levels = Math.Max(levels, Math.Abs(expected.Samples[pixel * channels + c] - actual.Samples[pixel * channels + c]));
            }
            if (levels > toleranceLevels) differing++;
            else if (levels > 0) within++;
            if (levels > worstLevels)
            {
                worstLevels = levels;
                worstIndex = pixel;
            }
        }
        PixelDifference? worst = worstIndex < 0 ? null : new PixelDifference(
            worstIndex % expected.Width, worstIndex / expected.Width,
            expected.Samples.AsSpan(worstIndex * channels, channels).ToArray(),
            actual.Samples.AsSpan(worstIndex * channels, channels).ToArray(),
            worstLevels);
        return new GoldenComparison(expected.Width * expected.Height, differing, within, worst);
    }

    /// <summary>Fraction of the pixels beyond tolerance.</summary>
    public double DifferingFraction => (double)DifferingPixels / PixelCount;

    /// <summary>
    /// An 8-bit RGB picture of where the images differ, for a person to look at: the golden in dim grey
    /// (so the picture stays recognisable), pixels beyond tolerance in full magenta, pixels that differ
    /// within tolerance in dark yellow.
    /// </summary>
    public static PngImage DiffImage(PngImage expected, PngImage actual, int toleranceLevels)
    {
        int channels = expected.Channels;
        var samples = new ushort[expected.Width * expected.Height * 3];
        for (int pixel = 0; pixel < expected.Width * expected.Height; pixel++)
        {
            int levels = 0;
            long brightness = 0;
            for (int c = 0; c < channels; c++)
            {
                levels = Math.Max(levels, Math.Abs(expected.Samples[pixel * channels + c] - actual.Samples[pixel * channels + c]));
                if (c < 3) brightness += expected.Samples[pixel * channels + c];
            }
            // A quarter of the golden's mean colour channel, rescaled to 8 bits.
            var grey = (ushort)(brightness * 255 / (3L * expected.MaxValue) / 4);
            (ushort r, ushort g, ushort b) = levels > toleranceLevels ? ((ushort)255, (ushort)0, (ushort)255)
                : levels > 0 ? ((ushort)128, (ushort)128, (ushort)0)
                : (grey, grey, grey);
            samples[pixel * 3] = r;
            samples[pixel * 3 + 1] = g;
            samples[pixel * 3 + 2] = b;
        }
        return new PngImage(expected.Width, expected.Height, 3, 8, samples);
    }

    private static string Describe(PngImage image) => $"{image.Width} × {image.Height}, {image.Channels} channels, {image.BitDepth}-bit";
}
