using System.Numerics;

namespace Stage.Render.Sky;

/// <summary>
/// What the scene pass needs of an environment, computed on the CPU (deterministic: fixed sample sequences, sums in
/// order): the radiance as an equirectangular mip chain whose level k is prefiltered for perceptual roughness
/// k / (<see cref="Levels"/> − 1) with the GGX lobe (split-sum's first factor, n = v = r, Karis 2013; level 0 is the
/// map itself, the mirror), sampled with filtered importance sampling (Colbert &amp; Křivánek 2007: each sample reads a
/// box-filtered level of the map as wide as its share of the lobe), and the diffuse light as L2 spherical harmonics.
/// </summary>
public sealed class EnvironmentBake
{
    /// <summary>Width of level 0 (the mirror level); height half of it.</summary>
    public const int BaseWidth = 256;

    /// <summary>Mip levels, roughness 0, 0.2, … 1.</summary>
    public const int Levels = 6;

    /// <summary>GGX samples per texel of a prefiltered level.</summary>
    public const int Samples = 64;

    /// <summary>The largest value stored in the half-float texture; above it the texture stores radiance ÷ <see cref="StoredScale"/>.</summary>
    private const float HalfHeadroom = 30000f;

    private EnvironmentBake(Half[][] levels, Vector3[] irradiance, float storedScale)
    {
        LevelsRgba = levels;
        Irradiance = irradiance;
        StoredScale = storedScale;
    }

    /// <summary>Level k's texels, RGBA half floats (A = 1), <see cref="BaseWidth"/> >> k × half that, rows from the zenith.</summary>
    public Half[][] LevelsRgba { get; }

    /// <summary>The nine L2 coefficients of E(n)/π (<see cref="SphericalHarmonics"/>), rotation applied.</summary>
    public Vector3[] Irradiance { get; }

    /// <summary>Radiance = stored value × this (1 unless the map is brighter than half floats hold comfortably).</summary>
    public float StoredScale { get; }

    /// <summary>Width of level <paramref name="level"/>.</summary>
    public static int LevelWidth(int level) => BaseWidth >> level;

    /// <summary>The perceptual roughness level <paramref name="level"/> is prefiltered for.</summary>
    public static double LevelRoughness(int level) => level / (double)(Levels - 1);

    /// <summary>Bakes <paramref name="radiance"/> turned by <paramref name="rotationDeg"/> about +Y (the SH are turned; the map is turned when sampled).</summary>
    public static EnvironmentBake From(EquirectMap radiance, double rotationDeg)
    {
        ArgumentNullException.ThrowIfNull(radiance);
        EquirectMap baseMap = radiance.Width == BaseWidth && radiance.Height == BaseWidth / 2 ? radiance : radiance.Resample(BaseWidth, BaseWidth / 2);
        // The SH from a 64 × 32 copy: plenty for three bands, and cheap.
        Vector3[] sh = SphericalHarmonics.ProjectIrradiance(baseMap.Resample(64, 32), rotationDeg);
        var pyramid = new List<EquirectMap> { baseMap };
        while (pyramid[^1].Height > 1) pyramid.Add(pyramid[^1].Resample(Math.Max(1, pyramid[^1].Width / 2), Math.Max(1, pyramid[^1].Height / 2)));
        var levels = new EquirectMap[Levels];
        levels[0] = baseMap;
        for (int k = 1; k < Levels; k++) levels[k] = Prefilter(pyramid, LevelWidth(k), LevelRoughness(k));
        float max = 0;
        foreach (EquirectMap level in levels) foreach (float v in level.Rgb) max = MathF.Max(max, v);
        float storedScale = max > HalfHeadroom ? max / HalfHeadroom : 1;
        var halves = new Half[Levels][];
        for (int k = 0; k < Levels; k++)
        {
            EquirectMap level = levels[k];
            var texels = new Half[level.Width * level.Height * 4];
            for (int i = 0; i < level.Width * level.Height; i++)
            {
                texels[i * 4] = (Half)(level.Rgb[i * 3] / storedScale);
                texels[i * 4 + 1] = (Half)(level.Rgb[i * 3 + 1] / storedScale);
                texels[i * 4 + 2] = (Half)(level.Rgb[i * 3 + 2] / storedScale);
                texels[i * 4 + 3] = (Half)1f;
            }
            halves[k] = texels;
        }
        return new EnvironmentBake(halves, sh, storedScale);
    }

    /// <summary>One prefiltered level: for each texel direction n (= v), Σ L(l)·n·l / Σ n·l over GGX-sampled l.</summary>
    private static EquirectMap Prefilter(List<EquirectMap> pyramid, int width, double roughness)
    {
        var result = new EquirectMap(width, width / 2);
        double alpha = roughness * roughness, a2 = alpha * alpha;
        EquirectMap top = pyramid[0];
        double texelSolidAngle = 4 * Math.PI / (top.Width * top.Height);
        // The GGX samples in the tangent frame (n = v = +z) are the same for every texel: their half vector, n·l and the
        // pyramid level each one reads (pdf(l) = D(h)·(n·h) / (4 v·h) = D / 4 with n = v; a sample covers 1 / (N·pdf) sr).
        var samples = new List<(Vector3 H, float NDotL, double Lod)>(Samples);
        for (int i = 0; i < Samples; i++)
        {
            double u1 = (i + 0.5) / Samples, u2 = RadicalInverse((uint)i);
            double cosT = Math.Sqrt((1 - u1) / (1 + (a2 - 1) * u1)), sinT = Math.Sqrt(1 - cosT * cosT);
            double phi = 2 * Math.PI * u2;
            float nl = (float)(2 * cosT * cosT - 1);
            if (nl <= 0) continue;
            double dd = cosT * cosT * (a2 - 1) + 1;
            double pdf = a2 / (Math.PI * dd * dd) / 4;
            double lod = Math.Max(0, 0.5 * Math.Log2(1 / (Samples * pdf) / texelSolidAngle) + 1);
            samples.Add((new Vector3((float)(sinT * Math.Cos(phi)), (float)(sinT * Math.Sin(phi)), (float)cosT), nl, lod));
        }
        // Rows are independent (each texel written once from read-only inputs), so they run in parallel with the same result.
        Parallel.For(0, result.Height, y =>
        {
            for (int x = 0; x < result.Width; x++)
                result[x, y] = PrefilterTexel(pyramid, result.TexelDirection(x, y), samples);
        });
        return result;
    }

    /// <summary>Σ L(l)·n·l / Σ n·l over the lobe's samples around <paramref name="n"/>.</summary>
    private static Vector3 PrefilterTexel(List<EquirectMap> pyramid, Vector3 n, List<(Vector3 H, float NDotL, double Lod)> samples)
    {
        Vector3 up = MathF.Abs(n.Y) < 0.999f ? Vector3.UnitY : Vector3.UnitX;
        Vector3 tx = Vector3.Normalize(Vector3.Cross(up, n));
        Vector3 ty = Vector3.Cross(n, tx);
        Vector3 sum = Vector3.Zero;
        double weight = 0;
        foreach ((Vector3 local, float nl, double lod) in samples)
        {
            Vector3 h = tx * local.X + ty * local.Y + n * local.Z;
            Vector3 l = 2 * local.Z * h - n;
            var (u, v) = EquirectMap.Coordinates(l);
            sum += SampleLod(pyramid, u, v, lod) * nl;
            weight += nl;
        }
        return weight > 0 ? sum / (float)weight : Vector3.Zero;
    }

    private static Vector3 SampleLod(List<EquirectMap> pyramid, double u, double v, double lod)
    {
        lod = Math.Min(lod, pyramid.Count - 1);
        int l0 = (int)Math.Floor(lod);
        int l1 = Math.Min(l0 + 1, pyramid.Count - 1);
        float f = (float)(lod - l0);
        Vector3 a = pyramid[l0].Sample(u, v);
        return f == 0 || l1 == l0 ? a : Vector3.Lerp(a, pyramid[l1].Sample(u, v), f);
    }

    private static double RadicalInverse(uint bits)
    {
        bits = (bits << 16) | (bits >> 16);
        bits = ((bits & 0x55555555u) << 1) | ((bits & 0xAAAAAAAAu) >> 1);
        bits = ((bits & 0x33333333u) << 2) | ((bits & 0xCCCCCCCCu) >> 2);
        bits = ((bits & 0x0F0F0F0Fu) << 4) | ((bits & 0xF0F0F0F0u) >> 4);
        bits = ((bits & 0x00FF00FFu) << 8) | ((bits & 0xFF00FF00u) >> 8);
        return bits * 2.3283064365386963e-10;
    }
}
