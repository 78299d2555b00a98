namespace Stage.Render.Scene;

/// <summary>
/// The split-sum table of the glTF metallic-roughness specular BRDF (GGX distribution, Smith height-correlated
/// visibility, Schlick Fresnel), computed on the CPU once when the renderer starts: for n·v and perceptual roughness
/// on a <see cref="Size"/>² grid (texel centres), (A, B) such that the directional albedo of the specular lobe under a
/// uniform white environment is F0·A + B (Karis 2013). Importance-sampled with a Hammersley sequence, so the table is
/// the same on every run. The shader adds Fdez-Agüera's multiple-scattering term from the same A + B, which keeps a
/// rough white metal in a uniform environment at its F0 (energy the single-scattering lobe loses comes back).
/// </summary>
public static class BrdfLut
{
    /// <summary>Texels per side.</summary>
    public const int Size = 32;

    /// <summary>Samples per texel.</summary>
    public const int Samples = 256;

    /// <summary>(A, B) per texel, row-major: x = n·v, y = perceptual roughness, both at texel centres ((i + 0.5) / Size).</summary>
    public static float[] Compute()
    {
        var table = new float[Size * Size * 2];
        for (int y = 0; y < Size; y++)
        for (int x = 0; x < Size; x++)
        {
            (double a, double b) = Integrate((x + 0.5) / Size, (y + 0.5) / Size);
            table[(y * Size + x) * 2] = (float)a;
            table[(y * Size + x) * 2 + 1] = (float)b;
        }
        return table;
    }

    /// <summary>The split-sum (A, B) for one n·v and perceptual roughness.</summary>
    public static (double A, double B) Integrate(double nDotV, double perceptualRoughness)
    {
        double alpha = perceptualRoughness * perceptualRoughness;
        double a2 = alpha * alpha;
        // View in the tangent frame with n = +z.
        double vx = Math.Sqrt(1 - nDotV * nDotV), vz = nDotV;
        double sumA = 0, sumB = 0;
        for (int i = 0; i < Samples; i++)
        {
            double u1 = (i + 0.5) / Samples, u2 = RadicalInverse((uint)i);
            // GGX half-vector sample.
            double cosTheta = Math.Sqrt((1 - u1) / (1 + (a2 - 1) * u1));
            double sinTheta = Math.Sqrt(1 - cosTheta * cosTheta);
            double phi = 2 * Math.PI * u2;
            double hx = sinTheta * Math.Cos(phi), hy = sinTheta * Math.Sin(phi), hz = cosTheta;
            double vDotH = vx * hx + vz * hz;
            double lz = 2 * vDotH * hz - vz;
            if (lz <= 0 || vDotH <= 0) continue;
            double nDotL = lz, nDotH = hz;
            // Smith height-correlated visibility V = G / (4 n·l n·v).
            double gv = nDotL * Math.Sqrt(nDotV * nDotV * (1 - a2) + a2);
            double gl = nDotV * Math.Sqrt(nDotL * nDotL * (1 - a2) + a2);
            double vis = 0.5 / (gv + gl);
            // pdf(l) = D n·h / (4 v·h); the estimator of ∫ D V n·l becomes V n·l 4 v·h / n·h.
            double weight = vis * nDotL * 4 * vDotH / nDotH;
            double fc = Math.Pow(1 - vDotH, 5);
            sumA += (1 - fc) * weight;
            sumB += fc * weight;
        }
        return (sumA / Samples, sumB / Samples);
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
