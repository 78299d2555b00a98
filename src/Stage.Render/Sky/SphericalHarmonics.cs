using System.Numerics;

namespace Stage.Render.Sky;

/// <summary>
/// Diffuse light of an environment as L2 spherical harmonics (Ramamoorthi &amp; Hanrahan 2001): the radiance map is
/// projected onto the nine real SH basis functions Y_lm up to l = 2, and the Lambert convolution scales band l by
/// Â_l = π, 2π/3, π/4. The nine RGB coefficients kept are Â_l · L_lm / π, so Σ c_lm · Y_lm(n) is E(n)/π: the radiance a
/// white Lambert surface facing n sends back (a uniform radiance L gives exactly L). Stage-space axes (x, y, z).
/// </summary>
public static class SphericalHarmonics
{
    /// <summary>Coefficients per colour.</summary>
    public const int Count = 9;

    /// <summary>The nine basis functions at unit direction <paramref name="d"/>, in the order 00, 1−1, 10, 11, 2−2, 2−1, 20, 21, 22.</summary>
    public static void Basis(Vector3 d, Span<double> y)
    {
        double x = d.X, yy = d.Y, z = d.Z;
        y[0] = 0.282094791773878;
        y[1] = 0.488602511902920 * yy;
        y[2] = 0.488602511902920 * z;
        y[3] = 0.488602511902920 * x;
        y[4] = 1.092548430592079 * x * yy;
        y[5] = 1.092548430592079 * yy * z;
        y[6] = 0.315391565252520 * (3 * z * z - 1);
        y[7] = 1.092548430592079 * x * z;
        y[8] = 0.546274215296040 * (x * x - yy * yy);
    }

    /// <summary>The Lambert convolution of band l over π: 1, 2/3, 1/4.</summary>
    private static double BandScale(int index) => index == 0 ? 1.0 : index < 4 ? 2.0 / 3.0 : 0.25;

    /// <summary>
    /// Projects <paramref name="map"/> (turned by <paramref name="rotationDeg"/> about +Y: a texel at pan φ lights from
    /// pan φ + rotation) and returns the nine irradiance/π coefficients. Each texel weighs its solid angle, normalised so the
    /// weights sum to exactly 4π (a constant map projects to that constant). Sums run in row order in doubles: deterministic.
    /// </summary>
    public static Vector3[] ProjectIrradiance(EquirectMap map, double rotationDeg = 0)
    {
        ArgumentNullException.ThrowIfNull(map);
        var sum = new double[Count * 3];
        Span<double> basis = stackalloc double[Count];
        double totalWeight = 0;
        for (int y = 0; y < map.Height; y++) totalWeight += map.TexelSolidAngle(y) * map.Width;
        double norm = 4 * Math.PI / totalWeight;
        double shiftU = rotationDeg / 360.0;
        for (int y = 0; y < map.Height; y++)
        {
            double w = map.TexelSolidAngle(y) * norm;
            for (int x = 0; x < map.Width; x++)
            {
                Basis(EquirectMap.Direction((x + 0.5) / map.Width + shiftU, (y + 0.5) / map.Height), basis);
                int o = (y * map.Width + x) * 3;
                double r = map.Rgb[o] * w, g = map.Rgb[o + 1] * w, b = map.Rgb[o + 2] * w;
                for (int i = 0; i < Count; i++)
                {
                    sum[i * 3] += r * basis[i];
                    sum[i * 3 + 1] += g * basis[i];
                    sum[i * 3 + 2] += b * basis[i];
                }
            }
        }
        var coefficients = new Vector3[Count];
        for (int i = 0; i < Count; i++)
        {
            double s = BandScale(i);
            coefficients[i] = new Vector3((float)(sum[i * 3] * s), (float)(sum[i * 3 + 1] * s), (float)(sum[i * 3 + 2] * s));
        }
        return coefficients;
    }

    /// <summary>The coefficients of a uniform environment of radiance <paramref name="radiance"/> (only the constant band).</summary>
    public static Vector3[] Uniform(Vector3 radiance)
    {
        var c = new Vector3[Count];
        c[0] = radiance / 0.282094791773878f;
        return c;
    }

    /// <summary>E(n)/π from the coefficients: what a white Lambert surface facing unit <paramref name="normal"/> shows (as the shader evaluates it).</summary>
    public static Vector3 Evaluate(ReadOnlySpan<Vector3> coefficients, Vector3 normal)
    {
        Span<double> basis = stackalloc double[Count];
        Basis(Vector3.Normalize(normal), basis);
        Vector3 result = Vector3.Zero;
        for (int i = 0; i < Count; i++) result += coefficients[i] * (float)basis[i];
        return result;
    }
}
