using System.Numerics;

namespace Stage.Render.Sky;

/// <summary>The radiance map an environment stands for, before baking: its image × 2^EV, or the physical sky of the scene's sun.</summary>
public static class EnvironmentRadiance
{
    /// <summary>
    /// The map of <paramref name="environment"/> for a sun toward <paramref name="toSun"/> with illuminance
    /// <paramref name="sunLux"/> (lux on a surface facing it), linear RGB cd/m² × 2^ExposureEv.
    /// </summary>
    public static EquirectMap Map(SceneEnvironment environment, Vector3 toSun, float sunLux)
    {
        ArgumentNullException.ThrowIfNull(environment);
        float exposure = MathF.Pow(2, (float)environment.ExposureEv);
        if (environment.Image is { } image) return exposure == 1 ? image : image.Scaled(exposure);
        return PhysicalSky(environment, toSun, sunLux, exposure);
    }

    /// <summary>
    /// The physical sky's radiance map: Preetham's absolute sky (cd/m² for a ~100 klx sun) × sunLux / 100,000 lx, so the
    /// sky stays in proportion to the scene's sun (a scene lit at π lux, the default, gets a sky of ~0.1–0.3 nits), faded
    /// to black as the sun sinks from the horizon to 6° below it (civil twilight).
    /// </summary>
    public static EquirectMap PhysicalSky(SceneEnvironment environment, Vector3 toSun, float sunLux, float exposure = 1)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Vector3 s = Vector3.Normalize(toSun);
        var sky = new PreethamSky(s, environment.Turbidity, environment.GroundAlbedo);
        double elevationDeg = Math.Asin(Math.Clamp(s.Y, -1f, 1f)) * 180 / Math.PI;
        double twilight = Math.Clamp(1 + elevationDeg / 6, 0, 1);
        float scale = (float)(sunLux / PreethamSky.ReferenceSunLux * twilight) * exposure;
        return sky.Bake(EnvironmentBake.BaseWidth, EnvironmentBake.BaseWidth / 2, scale, PreethamSky.ReferenceSunLux * Math.Max(0, s.Y));
    }
}
