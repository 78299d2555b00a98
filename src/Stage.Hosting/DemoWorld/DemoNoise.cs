namespace Stage.Hosting.DemoWorld;

/// <summary>
/// Seeded value noise for the demo world's procedural textures: an integer hash of the lattice point and the seed
/// (no shared generator state, so every texel is the same whatever order the texels are made in), smoothly
/// interpolated, summed over octaves. Same seed, same values, every run.
/// </summary>
internal static class DemoNoise
{
    /// <summary>A hash of (x, y, seed) to [0, 1).</summary>
    public static float Hash(int x, int y, uint seed)
    {
        unchecked
        {
            uint h = (uint)x * 0x8DA6B343u ^ (uint)y * 0xD8163841u ^ seed * 0xCB1AB31Fu;
            h ^= h >> 15;
            h *= 0x2C1B3C6Du;
            h ^= h >> 12;
            h *= 0x297A2D39u;
            h ^= h >> 15;
            return (h >> 8) / 16777216f;
        }
    }

    /// <summary>Value noise at (x, y) in lattice units, tiling every <paramref name="period"/> cells (so textures repeat without seams).</summary>
    public static float Value(float x, float y, int period, uint seed)
    {
        int x0 = (int)MathF.Floor(x), y0 = (int)MathF.Floor(y);
        float fx = x - x0, fy = y - y0;
        fx = fx * fx * (3 - 2 * fx);
        fy = fy * fy * (3 - 2 * fy);
        int Wrap(int v) => ((v % period) + period) % period;
        float a = Hash(Wrap(x0), Wrap(y0), seed), b = Hash(Wrap(x0 + 1), Wrap(y0), seed);
        float c = Hash(Wrap(x0), Wrap(y0 + 1), seed), d = Hash(Wrap(x0 + 1), Wrap(y0 + 1), seed);
        return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
    }

    /// <summary>Octaves of <see cref="Value"/> over a texture of <paramref name="sizePx"/> pixels, tiling; result in [0, 1].</summary>
    public static float Fractal(int px, int py, int sizePx, int baseCells, int octaves, uint seed)
    {
        float sum = 0, weight = 0, amplitude = 1;
        int cells = baseCells;
        for (int o = 0; o < octaves; o++)
        {
            sum += amplitude * Value(px * cells / (float)sizePx, py * cells / (float)sizePx, cells, seed + (uint)o * 101u);
            weight += amplitude;
            amplitude *= 0.5f;
            cells *= 2;
        }
        return sum / weight;
    }
}
