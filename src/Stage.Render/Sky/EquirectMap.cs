using System.Numerics;

namespace Stage.Render.Sky;

/// <summary>
/// An equirectangular (latitude–longitude) map of radiance around the stage, linear RGB, cd/m² at exposure 0.
/// Convention (stage space, +Y up, −Z into the main wall): column u ∈ [0, 1) is the pan angle φ = (u − ½)·360°,
/// clockwise from −Z seen from above (u = ½ looks along −Z, u = ¾ along +X); row v ∈ [0, 1] is the angle θ = v·180°
/// from +Y (v = 0 the zenith, the top row of the image). A direction is d = (sin θ sin φ, cos θ, −sin θ cos φ).
/// </summary>
public sealed class EquirectMap
{
    /// <summary>A black map of <paramref name="width"/> × <paramref name="height"/> texels.</summary>
    public EquirectMap(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        Rgb = new float[width * height * 3];
    }

    /// <summary>Texels across (360°).</summary>
    public int Width { get; }

    /// <summary>Texels down (180°).</summary>
    public int Height { get; }

    /// <summary>Radiance, RGB per texel, rows from the zenith down.</summary>
    public float[] Rgb { get; }

    /// <summary>Texel (x, y)'s radiance.</summary>
    public Vector3 this[int x, int y]
    {
        get
        {
            int o = (y * Width + x) * 3;
            return new Vector3(Rgb[o], Rgb[o + 1], Rgb[o + 2]);
        }
        set
        {
            int o = (y * Width + x) * 3;
            (Rgb[o], Rgb[o + 1], Rgb[o + 2]) = (value.X, value.Y, value.Z);
        }
    }

    /// <summary>The unit direction of map coordinates (u, v) (see the class remarks).</summary>
    public static Vector3 Direction(double u, double v)
    {
        double phi = (u - 0.5) * 2 * Math.PI, theta = v * Math.PI;
        double s = Math.Sin(theta);
        return new Vector3((float)(s * Math.Sin(phi)), (float)Math.Cos(theta), (float)(-s * Math.Cos(phi)));
    }

    /// <summary>The map coordinates (u in [0, 1), v in [0, 1]) of a direction (need not be unit length).</summary>
    public static (double U, double V) Coordinates(Vector3 direction)
    {
        Vector3 d = Vector3.Normalize(direction);
        double u = 0.5 + Math.Atan2(d.X, -d.Z) / (2 * Math.PI);
        u -= Math.Floor(u);
        double v = Math.Acos(Math.Clamp(d.Y, -1f, 1f)) / Math.PI;
        return (u, v);
    }

    /// <summary>The direction of texel (x, y)'s centre.</summary>
    public Vector3 TexelDirection(int x, int y) => Direction((x + 0.5) / Width, (y + 0.5) / Height);

    /// <summary>Solid angle of a texel of row <paramref name="y"/>, steradians (the rows of a map sum to 4π).</summary>
    public double TexelSolidAngle(int y)
    {
        double t0 = Math.PI * y / Height, t1 = Math.PI * (y + 1) / Height;
        return 2 * Math.PI / Width * (Math.Cos(t0) - Math.Cos(t1));
    }

    /// <summary>Bilinear radiance at (u, v): wraps across u = 0/1, clamps at the poles.</summary>
    public Vector3 Sample(double u, double v)
    {
        double x = u * Width - 0.5, y = Math.Clamp(v * Height - 0.5, 0, Height - 1);
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        float fx = (float)(x - x0), fy = (float)(y - y0);
        int y1 = Math.Min(y0 + 1, Height - 1);
        int xa = ((x0 % Width) + Width) % Width, xb = (xa + 1) % Width;
        Vector3 top = Vector3.Lerp(this[xa, y0], this[xb, y0], fx);
        Vector3 bottom = Vector3.Lerp(this[xa, y1], this[xb, y1], fx);
        return Vector3.Lerp(top, bottom, fy);
    }

    /// <summary>
    /// The map resampled to <paramref name="width"/> × <paramref name="height"/>: each target texel the average of the source
    /// texels whose centres fall in it (a box filter, so a large image shrinks without aliasing), or the bilinear value at
    /// its centre where it covers none (a small image grows).
    /// </summary>
    public EquirectMap Resample(int width, int height)
    {
        var result = new EquirectMap(width, height);
        var sums = new double[width * height * 4];
        for (int y = 0; y < Height; y++)
        {
            int ty = Math.Min(height - 1, (int)((y + 0.5) * height / Height));
            for (int x = 0; x < Width; x++)
            {
                int tx = Math.Min(width - 1, (int)((x + 0.5) * width / Width));
                int s = (ty * width + tx) * 4, o = (y * Width + x) * 3;
                sums[s] += Rgb[o];
                sums[s + 1] += Rgb[o + 1];
                sums[s + 2] += Rgb[o + 2];
                sums[s + 3] += 1;
            }
        }
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            int s = (y * width + x) * 4;
            result[x, y] = sums[s + 3] > 0
                ? new Vector3((float)(sums[s] / sums[s + 3]), (float)(sums[s + 1] / sums[s + 3]), (float)(sums[s + 2] / sums[s + 3]))
                : Sample((x + 0.5) / width, (y + 0.5) / height);
        }
        return result;
    }

    /// <summary>Every texel times <paramref name="scale"/> (a new map).</summary>
    public EquirectMap Scaled(float scale)
    {
        var result = new EquirectMap(Width, Height);
        for (int i = 0; i < Rgb.Length; i++) result.Rgb[i] = Rgb[i] * scale;
        return result;
    }

    /// <summary>A copy with every texel's RGB multiplied by <paramref name="matrix"/> (a change of primaries).</summary>
    public EquirectMap Converted(Stage.Core.Colour.ColourMatrix matrix)
    {
        var result = new EquirectMap(Width, Height);
        for (int i = 0; i < Rgb.Length; i += 3)
        {
            var (r, g, b) = matrix.Apply(Rgb[i], Rgb[i + 1], Rgb[i + 2]);
            (result.Rgb[i], result.Rgb[i + 1], result.Rgb[i + 2]) = ((float)r, (float)g, (float)b);
        }
        return result;
    }
}
