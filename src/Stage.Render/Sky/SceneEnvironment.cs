namespace Stage.Render.Sky;

/// <summary>
/// The environment around the scene: it lights every surface (diffuse irradiance as L2 spherical harmonics, specular
/// prefiltered by roughness) and is seen where nothing is drawn (the sky in the inner views and the outer cube).
/// Either an equirectangular HDR image (<see cref="Image"/>) or, without one, Preetham's physical daylight sky of the
/// scene's sun. Immutable: a changed environment is a new instance (the renderer re-bakes when the instance changes).
/// </summary>
public sealed record SceneEnvironment
{
    /// <summary>The radiance image, cd/m² at exposure 0 as stored (scaled by <see cref="ExposureEv"/>); null: the physical sky.</summary>
    public EquirectMap? Image { get; init; }

    /// <summary>The image's file (for reports), or null.</summary>
    public string? ImagePath { get; init; }

    /// <summary>The image's turn about +Y, degrees clockwise seen from above: a feature at pan φ in the image appears at pan φ + this.</summary>
    public double RotationDeg { get; init; }

    /// <summary>The environment's own exposure, EV: its radiance × 2^EV (an image's scale, or a brighter/darker sky).</summary>
    public double ExposureEv { get; init; }

    /// <summary>The physical sky's turbidity, 1.7 … 10 (2 clear, 3 typical, 6+ hazy).</summary>
    public double Turbidity { get; init; } = 3;

    /// <summary>The ground's albedo below the physical sky's horizon, 0 … 1.</summary>
    public double GroundAlbedo { get; init; } = 0.2;

    /// <summary>Loads an image environment from <paramref name="path"/> (a Radiance <c>.hdr</c>; faults name the file: <see cref="EnvironmentImageException"/>).</summary>
    public static SceneEnvironment FromImage(string path, double rotationDeg = 0, double exposureEv = 0) =>
        new() { Image = RadianceHdr.Load(path), ImagePath = path, RotationDeg = rotationDeg, ExposureEv = exposureEv };

    /// <summary>One line for reports: what lights the scene.</summary>
    public string Describe() => Image is { } image
        ? FormattableString.Invariant($"HDR image {ImagePath ?? "(in memory)"} ({image.Width} × {image.Height}), rotation {RotationDeg:0.##}°, exposure {ExposureEv:+0.##;-0.##;0} EV")
        : FormattableString.Invariant($"physical sky (Preetham), turbidity {Turbidity:0.##}, ground albedo {GroundAlbedo:0.##}, exposure {ExposureEv:+0.##;-0.##;0} EV");
}
