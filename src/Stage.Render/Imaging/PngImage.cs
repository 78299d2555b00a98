namespace Stage.Render.Imaging;

/// <summary>
/// An image as PNG stores it: width × height pixels of 1–4 channels (grey, grey+alpha, RGB, RGBA)
/// at 8 or 16 bits per channel. Samples are kept as 16-bit values in memory, in row-major order,
/// channels interleaved; an 8-bit image uses 0–255 of that range.
/// </summary>
public sealed class PngImage
{
    /// <summary>Creates an image; <paramref name="samples"/> holds width × height × channels values.</summary>
    public PngImage(int width, int height, int channels, int bitDepth, ushort[] samples)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"image size {width} × {height} must be positive");
        if (channels is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 to 4");
        if (bitDepth is not (8 or 16)) throw new ArgumentOutOfRangeException(nameof(bitDepth), bitDepth, "bit depth must be 8 or 16");
        if (samples.LongLength != (long)width * height * channels)
            throw new ArgumentException($"{samples.Length} samples given for {width} × {height} × {channels}", nameof(samples));
        Width = width;
        Height = height;
        Channels = channels;
        BitDepth = bitDepth;
        Samples = samples;
    }

    /// <summary>Pixels across.</summary>
    public int Width { get; }
    /// <summary>Pixels down.</summary>
    public int Height { get; }
    /// <summary>1 grey, 2 grey + alpha, 3 RGB, 4 RGBA.</summary>
    public int Channels { get; }
    /// <summary>8 or 16.</summary>
    public int BitDepth { get; }
    /// <summary>Samples, row-major, channels interleaved.</summary>
    public ushort[] Samples { get; }

    /// <summary>The largest sample value: 255 or 65535.</summary>
    public int MaxValue => BitDepth == 8 ? 255 : 65535;

    /// <summary>One sample.</summary>
    public ushort this[int x, int y, int channel] => Samples[((long)y * Width + x) * Channels + channel];

    /// <summary>An 8-bit RGBA image from tightly packed RGBA bytes (as a GPU readback of R8G8B8A8 gives them).</summary>
    public static PngImage FromRgba8(int width, int height, ReadOnlySpan<byte> rgba)
    {
        var samples = new ushort[rgba.Length];
        for (int i = 0; i < rgba.Length; i++) samples[i] = rgba[i];
        return new PngImage(width, height, 4, 8, samples);
    }

    /// <summary>A 16-bit RGBA image from 16-bit values.</summary>
    public static PngImage FromRgba16(int width, int height, ReadOnlySpan<ushort> rgba) => new(width, height, 4, 16, rgba.ToArray());
}
