using System.Globalization;
using System.Text;
using StbImageSharp;

namespace Stage.Render.Sky;

/// <summary>A Radiance <c>.hdr</c> (RGBE) file that cannot be used, with the file named.</summary>
public sealed class EnvironmentImageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Reads (StbImageSharp's float decoder) and writes Radiance <c>.hdr</c> images as <see cref="EquirectMap"/>s.</summary>
public static class RadianceHdr
{
    /// <summary>The largest side accepted (a 16k × 8k panorama is already ~1.5 GB of floats).</summary>
    public const int MaxSidePx = 16384;

    /// <summary>
    /// Reads <paramref name="path"/> as an equirectangular radiance map (linear RGB as stored). A missing, unreadable or
    /// malformed file, a non-2:1 image, or non-finite or negative values are refused with the file named.
    /// </summary>
    public static EquirectMap Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new EnvironmentImageException($"{path}: cannot be read: {e.Message}", e);
        }
        return Decode(bytes, path);
    }

    /// <summary>Decodes a Radiance file's bytes (<paramref name="name"/> names it in faults).</summary>
    public static EquirectMap Decode(byte[] bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 11 || !(StartsWith(bytes, "#?RADIANCE") || StartsWith(bytes, "#?RGBE")))
            throw new EnvironmentImageException($"{name}: not a Radiance .hdr image (it must begin with '#?RADIANCE' or '#?RGBE')");
        ImageResultFloat image;
        try
        {
            image = ImageResultFloat.FromMemory(bytes, ColorComponents.RedGreenBlue);
        }
        // StbImageSharp reports a malformed file with whatever exception its decoder meets; each becomes one fault naming the file.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new EnvironmentImageException($"{name}: the Radiance image cannot be decoded: {e.Message}", e);
        }
        if (image is null || image.Data is null) throw new EnvironmentImageException($"{name}: the Radiance image cannot be decoded");
        if (image.Width > MaxSidePx || image.Height > MaxSidePx)
            throw new EnvironmentImageException($"{name}: {image.Width} × {image.Height} is larger than {MaxSidePx} px a side");
        if (image.Width != 2 * image.Height)
            throw new EnvironmentImageException($"{name}: {image.Width} × {image.Height} is not an equirectangular panorama (width must be twice the height)");
        var map = new EquirectMap(image.Width, image.Height);
        float[] data = image.Data;
        if (data.Length < map.Rgb.Length) throw new EnvironmentImageException($"{name}: the Radiance image is truncated");
        for (int i = 0; i < map.Rgb.Length; i++)
        {
            float value = data[i];
            if (!float.IsFinite(value) || value < 0)
                throw new EnvironmentImageException($"{name}: texel ({i / 3 % image.Width}, {i / 3 / image.Width}) holds {value.ToString(CultureInfo.InvariantCulture)}, not a finite radiance ≥ 0");
            map.Rgb[i] = value;
        }
        return map;
    }

    /// <summary>Encodes <paramref name="map"/> as a Radiance file (RGBE, flat scanlines; what the tests and the example asset write).</summary>
    public static byte[] Encode(EquirectMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        using var stream = new MemoryStream();
        byte[] header = Encoding.ASCII.GetBytes($"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y {map.Height} +X {map.Width}\n");
        stream.Write(header);
        Span<byte> rgbe = stackalloc byte[4];
        for (int i = 0; i < map.Width * map.Height; i++)
        {
            float r = map.Rgb[i * 3], g = map.Rgb[i * 3 + 1], b = map.Rgb[i * 3 + 2];
            float max = MathF.Max(r, MathF.Max(g, b));
            if (max < 1e-32f)
            {
                rgbe.Clear();
            }
            else
            {
                // max = m · 2^e with m in [0.5, 1): each channel c ↦ c · 256 / 2^e.
                int e = (int)MathF.Floor(MathF.Log2(max)) + 1;
                float scale = MathF.ScaleB(256f, -e);
                if (max * scale >= 256f) { e++; scale *= 0.5f; }
                rgbe[0] = (byte)(r * scale);
                rgbe[1] = (byte)(g * scale);
                rgbe[2] = (byte)(b * scale);
                rgbe[3] = (byte)(e + 128);
            }
            stream.Write(rgbe);
        }
        return stream.ToArray();
    }

    private static bool StartsWith(byte[] bytes, string text)
    {
        if (bytes.Length < text.Length) return false;
        for (int i = 0; i < text.Length; i++) if (bytes[i] != text[i]) return false;
        return true;
    }
}
