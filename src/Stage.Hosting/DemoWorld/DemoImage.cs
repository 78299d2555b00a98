using System.IO.Compression;
using System.Numerics;
using Stage.Render.Imaging;

namespace Stage.Hosting.DemoWorld;

/// <summary>An 8-bit RGBA image being painted, encoded as PNG (the framework's zlib at its smallest setting: same bytes every run).</summary>
internal sealed class DemoImage(int sizePx)
{
    private readonly ushort[] _samples = new ushort[sizePx * sizePx * 4];

    /// <summary>Side in pixels (square).</summary>
    public int SizePx { get; } = sizePx;

    /// <summary>Sets a pixel from components in [0, 1] (colour already in the image's encoding: sRGB for colour, linear for data).</summary>
    public void Set(int x, int y, Vector4 value)
    {
        int o = (y * SizePx + x) * 4;
        _samples[o] = Quantise(value.X);
        _samples[o + 1] = Quantise(value.Y);
        _samples[o + 2] = Quantise(value.Z);
        _samples[o + 3] = Quantise(value.W);
    }

    /// <summary>Fills every pixel from a function of (x, y).</summary>
    public DemoImage Fill(Func<int, int, Vector4> pixel)
    {
        for (int y = 0; y < SizePx; y++)
        for (int x = 0; x < SizePx; x++) Set(x, y, pixel(x, y));
        return this;
    }

    /// <summary>A tangent-space normal map (glTF: red along +u, green up the image, i.e. along −v) from a height field in metres per pixel step.</summary>
    public static DemoImage NormalsFrom(int sizePx, Func<int, int, float> heightM, float metresPerPx)
    {
        var image = new DemoImage(sizePx);
        int Wrap(int v) => ((v % sizePx) + sizePx) % sizePx;
        return image.Fill((x, y) =>
        {
            float dx = (heightM(Wrap(x + 1), y) - heightM(Wrap(x - 1), y)) / (2 * metresPerPx);
            // glTF's normal textures have +Y up the image (the bitangent runs toward decreasing v, MikkTSpace's sign
            // as glTF exporters write it): green is −∂h/∂(up) = +∂h/∂v, v being image y.
            float dv = (heightM(x, Wrap(y + 1)) - heightM(x, Wrap(y - 1))) / (2 * metresPerPx);
            Vector3 n = Vector3.Normalize(new Vector3(-dx, dv, 1));
            return new Vector4(n.X * 0.5f + 0.5f, n.Y * 0.5f + 0.5f, n.Z * 0.5f + 0.5f, 1);
        });
    }

    /// <summary>The PNG bytes.</summary>
    public byte[] Encode() => PngCodec.Encode(new PngImage(SizePx, SizePx, 4, 8, _samples), CompressionLevel.SmallestSize);

    private static ushort Quantise(float v) => (ushort)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);

    /// <summary>Linear light to the sRGB encoding (IEC 61966-2-1), for colour textures painted in linear values.</summary>
    public static float ToSrgb(float linear) =>
        linear <= 0.0031308f ? linear * 12.92f : 1.055f * MathF.Pow(linear, 1 / 2.4f) - 0.055f;

    /// <summary>A linear RGB colour and alpha as an sRGB-encoded texel.</summary>
    public static Vector4 Srgb(Vector3 linear, float alpha = 1) => new(ToSrgb(linear.X), ToSrgb(linear.Y), ToSrgb(linear.Z), alpha);
}
