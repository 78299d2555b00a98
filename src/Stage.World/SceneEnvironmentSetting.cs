using System.Globalization;

namespace Stage.World;

/// <summary>
/// A scene's <c>environment</c>: what lights the world from around it and fills the sky. With <see cref="ImagePath"/> an
/// equirectangular Radiance <c>.hdr</c> image (turned by <see cref="RotationDeg"/>), otherwise the physical daylight sky
/// of the world's sun (<see cref="Turbidity"/>, <see cref="GroundAlbedo"/>); either scaled by 2^<see cref="ExposureEv"/>.
/// Presentation, not world state: it is not in snapshots or the state hash (a take's world is the same under any sky).
/// </summary>
public sealed record SceneEnvironmentSetting
{
    /// <summary>Turbidity range of the Preetham model.</summary>
    public const double MinTurbidity = 1.7, MaxTurbidity = 10;

    /// <summary>The image, a full path (resolved against the scene file's folder), or null for the physical sky.</summary>
    public string? ImagePath { get; init; }

    /// <summary>The image's turn about +Y, degrees clockwise seen from above (±360).</summary>
    public double RotationDeg { get; init; }

    /// <summary>The environment's exposure, EV (±20): radiance × 2^EV.</summary>
    public double ExposureEv { get; init; }

    /// <summary>The physical sky's turbidity, 1.7 … 10 (default 3).</summary>
    public double Turbidity { get; init; } = 3;

    /// <summary>The ground's albedo below the physical sky's horizon, 0 … 1 (default 0.2).</summary>
    public double GroundAlbedo { get; init; } = 0.2;

    /// <summary>One line for reports.</summary>
    public string Describe() => ImagePath is { } image
        ? string.Create(CultureInfo.InvariantCulture, $"HDR image {image}, rotation {RotationDeg:0.##}°, exposure {ExposureEv:+0.##;-0.##;0} EV")
        : string.Create(CultureInfo.InvariantCulture, $"physical sky (Preetham) of the world's sun, turbidity {Turbidity:0.##}, ground albedo {GroundAlbedo:0.##}, exposure {ExposureEv:+0.##;-0.##;0} EV");
}
