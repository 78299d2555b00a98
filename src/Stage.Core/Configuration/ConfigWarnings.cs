using System.Globalization;
using System.Numerics;

namespace Stage.Core.Configuration;

/// <summary>
/// Things a valid configuration may well not mean, said with the path and the value that would fix them.
/// They do not stop a run: <c>stage validate</c> lists them and <c>stage run</c> prints them at start.
/// </summary>
public static class ConfigWarnings
{
    /// <summary>Aspect ratios within this fraction of each other count as equal (rounding to whole pixels).</summary>
    public const double AspectTolerance = 0.01;

    /// <summary>The warnings about <paramref name="config"/>, in configuration order.</summary>
    public static IReadOnlyList<ConfigFault> Of(StageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var warnings = new List<ConfigFault>();
        for (int i = 0; i < config.Cameras.Count; i++)
        {
            CameraConfig camera = config.Cameras[i];
            // Overscan widens both axes alike, so the overscanned sensor keeps the sensor's aspect ratio.
            double sensorAspect = camera.SensorWidthMm / camera.SensorHeightMm;
            double innerAspect = (double)camera.InnerWidthPx / camera.InnerHeightPx;
            if (Math.Abs(innerAspect / sensorAspect - 1) <= AspectTolerance) continue;
            int matchingHeight = (int)Math.Round(camera.InnerWidthPx / sensorAspect);
            warnings.Add(new ConfigFault($"cameras[{i}].innerResolution", string.Create(CultureInfo.InvariantCulture,
                $"{camera.InnerWidthPx} × {camera.InnerHeightPx} px has aspect {innerAspect:0.000}, but the sensor ({camera.SensorWidthMm} × {camera.SensorHeightMm} mm, " +
                $"overscanned alike) has {sensorAspect:0.000}: camera {camera.Id}'s inner pixels are not square ({innerAspect / sensorAspect:0.00}:1), so the inner " +
                $"frustum is sharper one way than the other; for square pixels use [{camera.InnerWidthPx}, {matchingHeight}]")));
        }
        if (OuterResolution.WallBehindEye(config.Walls, config.Render.OuterEyeM) is { } wall)
        {
            Vector3 eye = config.Render.OuterEyeM;
            warnings.Add(new ConfigFault("render.outerEyeM", string.Create(CultureInfo.InvariantCulture,
                $"the outer eye [{eye.X}, {eye.Y}, {eye.Z}] lies outside the volume: it is behind wall '{wall.Id}' ({wall.Kind}), whose LEDs face away " +
                $"from it, so the outer view (what lights the actors and fills the walls outside the cameras' views) is seen from a place " +
                $"no one stands; put the eye inside the walls, at head height where the talent works")));
        }
        return warnings;
    }
}
