using System.Numerics;
using Stage.Render.Sky;
using Xunit.Abstractions;

namespace Stage.Render.Tests.Sky;

/// <summary>The environment's CPU side: map convention, Radiance files, L2 SH irradiance, the Preetham sky, the bake.</summary>
public sealed class EnvironmentMathTests(ITestOutputHelper output)
{
    private static EquirectMap Map(int width, int height, Func<Vector3, Vector3> radiance)
    {
        var map = new EquirectMap(width, height);
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            map[x, y] = radiance(map.TexelDirection(x, y));
        return map;
    }

    [Fact]
    public void The_map_centre_looks_into_the_main_wall_and_three_quarters_along_plus_x()
    {
        Assert.True(Vector3.Distance(EquirectMap.Direction(0.5, 0.5), -Vector3.UnitZ) < 1e-6f);
        Assert.True(Vector3.Distance(EquirectMap.Direction(0.75, 0.5), Vector3.UnitX) < 1e-6f);
        Assert.True(Vector3.Distance(EquirectMap.Direction(0.3, 0), Vector3.UnitY) < 1e-6f);
        foreach (Vector3 d in new[] { new Vector3(0.3f, 0.5f, -0.8f), new Vector3(-0.9f, -0.2f, 0.1f), new Vector3(0.1f, 0.9f, 0.4f) })
        {
            var (u, v) = EquirectMap.Coordinates(d);
            Assert.True(Vector3.Distance(EquirectMap.Direction(u, v), Vector3.Normalize(d)) < 1e-5f);
        }
    }

    [Fact]
    public void Sh_of_a_constant_environment_is_that_constant_irradiance_in_every_direction()
    {
        var L = new Vector3(0.5f, 1.5f, 3f);
        Vector3[] sh = SphericalHarmonics.ProjectIrradiance(Map(64, 32, _ => L));
        foreach (Vector3 n in new[] { Vector3.UnitY, -Vector3.UnitY, Vector3.UnitX, Vector3.Normalize(new Vector3(1, -2, 3)) })
        {
            Vector3 e = SphericalHarmonics.Evaluate(sh, n);
            // Exact but for the grid's quadrature (band 2 sums to ~5·10⁻⁴ of the constant on a 64 × 32 grid, not 0).
            Assert.True(Vector3.Distance(e, L) < 1e-3f * L.Length(), $"{n}: {e} ≠ {L}");
        }
        Assert.Equal(SphericalHarmonics.Uniform(L)[0].X, sh[0].X, 4);
    }

    [Fact]
    public void Sh_of_a_linear_environment_matches_the_closed_form_irradiance()
    {
        // L(ω) = a + b·ω_y: E(n)/π = a + (2/3)·b·n_y exactly (band 1's Lambert factor is 2π/3 over π); L2 holds it exactly.
        const float a = 1f, b = 0.6f;
        Vector3[] sh = SphericalHarmonics.ProjectIrradiance(Map(128, 64, d => new Vector3(a + b * d.Y)));
        foreach (Vector3 n in new[] { Vector3.UnitY, -Vector3.UnitY, Vector3.UnitZ, Vector3.Normalize(new Vector3(1, 1, 0)) })
        {
            float expected = a + 2f / 3f * b * n.Y;
            float got = SphericalHarmonics.Evaluate(sh, n).X;
            output.WriteLine($"n {n}: {got:F5} (closed form {expected:F5})");
            Assert.Equal(expected, got, 3);
        }
    }

    [Fact]
    public void Sh_of_a_sky_lit_from_above_makes_an_up_facing_lambert_surface_brighter_than_a_down_facing_one()
    {
        Vector3[] sh = SphericalHarmonics.ProjectIrradiance(Map(64, 32, d => d.Y > 0 ? Vector3.One : Vector3.Zero));
        float up = SphericalHarmonics.Evaluate(sh, Vector3.UnitY).X, down = SphericalHarmonics.Evaluate(sh, -Vector3.UnitY).X;
        float side = SphericalHarmonics.Evaluate(sh, Vector3.UnitX).X;
        output.WriteLine($"up {up:F4} (exact 1), side {side:F4} (exact 0.5), down {down:F4} (exact 0)");
        Assert.True(up > 0.9f && down < 0.1f && up > side && side > down);
        Assert.Equal(0.5f, side, 2);
    }

    [Fact]
    public void Sh_projection_turns_with_the_rotation()
    {
        // All light from pan −90° (−X); turned by +90° it comes from pan 0 (−Z).
        EquirectMap map = Map(64, 32, d => d.X < -0.7f ? Vector3.One : Vector3.Zero);
        Vector3[] turned = SphericalHarmonics.ProjectIrradiance(map, 90);
        Assert.True(SphericalHarmonics.Evaluate(turned, -Vector3.UnitZ).X > 2 * SphericalHarmonics.Evaluate(turned, -Vector3.UnitX).X);
    }

    [Fact]
    public void Preetham_zenith_luminance_and_colour_match_a_hand_calculation()
    {
        // T = 2, θs = 60°: χ = (4/9 − 2/120)(π − 2π/3) = 0.447968, tan χ = 0.480551,
        // Yz = (4.0453·2 − 4.9710)·0.480551 − 0.2155·2 + 2.4192 = 3.48733 kcd/m²; xz = 0.23801, yz = 0.24199.
        var (y, x, yy) = PreethamSky.Zenith(2, Math.PI / 3);
        output.WriteLine($"zenith {y:F1} cd/m², x {x:F5}, y {yy:F5}");
        Assert.Equal(3487.33, y, 0.5);
        Assert.Equal(0.23801, x, 4);
        Assert.Equal(0.24199, yy, 4);
        // The sky model returns the zenith value at the zenith.
        var sky = new PreethamSky(Vector3.Normalize(new Vector3(0, MathF.Cos(MathF.PI / 3), -MathF.Sin(MathF.PI / 3))), 2, 0.2);
        var (zy, zx, zyy) = sky.SkyXyY(Vector3.UnitY);
        Assert.Equal(y, zy, 1);
        Assert.Equal(x, zx, 5);
        Assert.Equal(yy, zyy, 5);
    }

    [Fact]
    public void The_sky_is_brighter_near_the_sun_and_bluer_away_from_it()
    {
        // Sun 30° up toward −Z; compare 30° up at 15° from the sun and at 150° from it (behind).
        Vector3 toSun = Vector3.Normalize(new Vector3(0, MathF.Sin(MathF.PI / 6), -MathF.Cos(MathF.PI / 6)));
        var sky = new PreethamSky(toSun, 3, 0.2);
        Vector3 At(float panDeg)
        {
            float p = panDeg * MathF.PI / 180, e = MathF.PI / 6;
            return sky.Radiance(new Vector3(MathF.Cos(e) * MathF.Sin(p), MathF.Sin(e), -MathF.Cos(e) * MathF.Cos(p)));
        }
        Vector3 near = At(15), away = At(150);
        output.WriteLine($"near the sun {near}, away {away}");
        Assert.True(near.Y > 1.5f * away.Y, "brighter near the sun");
        Assert.True(away.Z / away.X > near.Z / near.X, "bluer away from the sun");
        Assert.True(away.Z > away.X, "the sky away from the sun is blue");
    }

    [Fact]
    public void The_baked_sky_has_a_ground_below_the_horizon_lit_by_sky_and_sun()
    {
        var sky = new PreethamSky(Vector3.Normalize(new Vector3(0, 1, -1)), 3, 0.3);
        EquirectMap map = sky.Bake(64, 32, 1, PreethamSky.ReferenceSunLux * Math.Sqrt(0.5));
        Vector3 ground = map[10, 30];
        float lum = 0.2126f * ground.X + 0.7152f * ground.Y + 0.0722f * ground.Z;
        // Sun ~70.7 klx on the horizontal alone: albedo 0.3 / π × that ≈ 6,750 nits, the sky's share on top.
        Assert.InRange(lum, 6750f, 20000f);
    }

    [Fact]
    public void A_radiance_file_written_here_reads_back_within_rgbe_precision()
    {
        EquirectMap map = Map(16, 8, d => new Vector3(0.01f + d.Y * d.Y, 3.5f, 1200f * (1 + d.X)));
        EquirectMap read = RadianceHdr.Decode(RadianceHdr.Encode(map), "test.hdr");
        Assert.Equal(16, read.Width);
        for (int i = 0; i < map.Rgb.Length; i++)
        {
            float max = MathF.Max(map.Rgb[i / 3 * 3], MathF.Max(map.Rgb[i / 3 * 3 + 1], map.Rgb[i / 3 * 3 + 2]));
            Assert.True(MathF.Abs(read.Rgb[i] - map.Rgb[i]) <= max / 128, $"{i}: {read.Rgb[i]} vs {map.Rgb[i]}");
        }
    }

    [Fact]
    public void A_bad_or_missing_hdr_is_refused_naming_the_file()
    {
        string dir = Path.Combine(Path.GetTempPath(), "stage-env-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string missing = Path.Combine(dir, "missing.hdr");
            Assert.Contains(missing, Assert.Throws<EnvironmentImageException>(() => RadianceHdr.Load(missing)).Message);
            string garbage = Path.Combine(dir, "garbage.hdr");
            File.WriteAllText(garbage, "this is not an image");
            Assert.Contains(garbage, Assert.Throws<EnvironmentImageException>(() => RadianceHdr.Load(garbage)).Message);
            string badHeader = Path.Combine(dir, "bad-header.hdr");
            File.WriteAllText(badHeader, "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y eight +X sixteen\n");
            string message = Assert.Throws<EnvironmentImageException>(() => RadianceHdr.Load(badHeader)).Message;
            output.WriteLine(message);
            Assert.Contains(badHeader, message);
            string square = Path.Combine(dir, "square.hdr");
            File.WriteAllBytes(square, RadianceHdr.Encode(Map(8, 8, _ => Vector3.One)));
            Assert.Contains("twice the height", Assert.Throws<EnvironmentImageException>(() => RadianceHdr.Load(square)).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_bake_keeps_a_constant_map_constant_at_every_roughness_and_is_deterministic()
    {
        EnvironmentBake a = EnvironmentBake.From(Map(64, 32, _ => new Vector3(0.25f)), 0);
        for (int k = 0; k < EnvironmentBake.Levels; k++)
            foreach (Half h in a.LevelsRgba[k].Where((_, i) => i % 4 != 3)) Assert.Equal(0.25f, (float)h, 3);
        EnvironmentBake b = EnvironmentBake.From(Map(64, 32, d => new Vector3(d.X > 0.9f ? 5 : 0.1f)), 30);
        EnvironmentBake c = EnvironmentBake.From(Map(64, 32, d => new Vector3(d.X > 0.9f ? 5 : 0.1f)), 30);
        for (int k = 0; k < EnvironmentBake.Levels; k++) Assert.Equal(b.LevelsRgba[k], c.LevelsRgba[k]);
        Assert.Equal(b.Irradiance, c.Irradiance);
    }

    [Fact]
    public void Prefiltering_spreads_a_bright_spot_more_at_higher_roughness()
    {
        EnvironmentBake bake = EnvironmentBake.From(Map(256, 128, d => new Vector3(Vector3.Dot(d, -Vector3.UnitZ) > 0.995f ? 100 : 0)), 0);
        // The fraction of level k's texels lit above 1 % of its peak grows with k.
        double previous = 0;
        for (int k = 1; k < EnvironmentBake.Levels; k++)
        {
            Half[] level = bake.LevelsRgba[k];
            float peak = 0;
            for (int i = 0; i < level.Length; i += 4) peak = MathF.Max(peak, (float)level[i]);
            double lit = 0;
            for (int i = 0; i < level.Length; i += 4) if ((float)level[i] > 0.01f * peak) lit++;
            double fraction = lit / (level.Length / 4);
            output.WriteLine($"level {k} (roughness {EnvironmentBake.LevelRoughness(k):0.0}): {fraction:P1} of texels lit, peak {peak:F2}");
            Assert.True(fraction > previous, $"level {k} spreads no wider than {k - 1}");
            previous = fraction;
        }
    }

    [Fact]
    public void A_physical_sky_for_a_100_klx_sun_has_daylight_irradiance()
    {
        // A clear sky's diffuse illuminance on the horizontal is ~10–30 klx with the sun 30° up: E/π ~ 3,000–10,000 nits.
        var environment = new SceneEnvironment { Turbidity = 3 };
        EnvironmentBake bake = EnvironmentBake.From(EnvironmentRadiance.PhysicalSky(environment, Vector3.Normalize(new Vector3(0.3f, 0.6f, -1)), 100_000f), 0);
        Vector3 up = SphericalHarmonics.Evaluate(bake.Irradiance, Vector3.UnitY);
        output.WriteLine($"E/π facing up: {up} cd/m²");
        Assert.InRange(0.2126f * up.X + 0.7152f * up.Y + 0.0722f * up.Z, 2000f, 12000f);
        Assert.True(up.Z > up.X, "skylight is blue");
    }
}
