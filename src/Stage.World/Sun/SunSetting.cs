using Stage.Physics;

namespace Stage.World;

/// <summary>How a world's sun is placed: a fixed direction, or a place on Earth with a clock (<see cref="WorldSettings.Sun"/>).</summary>
public abstract record SunSetting
{
    private protected SunSetting() { }

    /// <summary>Every fault, each with its field (<c>latitudeDeg</c>) and the reason.</summary>
    public abstract IReadOnlyList<(string Field, string Message)> FindFaults();
}

/// <summary>A sun that stays where it is put.</summary>
/// <param name="DirectionTravel">The direction sunlight travels (from the sun toward the ground), stage space; need not be unit length.</param>
public sealed record FixedSun(Vector3D DirectionTravel) : SunSetting
{
    /// <inheritdoc/>
    public override IReadOnlyList<(string Field, string Message)> FindFaults()
    {
        double length = DirectionTravel.Length;
        return double.IsFinite(length) && length > 1e-9 ? [] : [("direction", $"must be a finite, non-zero vector (got {WorldLimits.Show(DirectionTravel)})")];
    }
}

/// <summary>
/// A sun placed by the world: a place on Earth and the local date and time at step 0. The world's
/// clock (<see cref="StageWorld.SunUtcTicks"/>) advances with simulated time × the
/// <see cref="WorldRules.TimeOfDayScale"/> rule; the sky position comes from <see cref="SolarPosition"/>.
/// </summary>
/// <param name="LatitudeDeg">Latitude, degrees north (−90..90).</param>
/// <param name="LongitudeDeg">Longitude, degrees east (−180..180).</param>
/// <param name="NorthDeg">The compass heading of stage −Z (into the main wall), degrees clockwise from true north: 0 puts north along −Z and east along +X; 90 puts east along −Z.</param>
/// <param name="StartUtcTicks">The instant of step 0, UTC, as <see cref="DateTime"/> ticks.</param>
/// <param name="UtcOffsetMinutes">The local time's offset from UTC, minutes (shown, not used by the sun).</param>
public sealed record PlacedSun(double LatitudeDeg, double LongitudeDeg, double NorthDeg, long StartUtcTicks, int UtcOffsetMinutes) : SunSetting
{
    /// <inheritdoc/>
    public override IReadOnlyList<(string Field, string Message)> FindFaults()
    {
        var faults = new List<(string, string)>();
        if (!(Math.Abs(LatitudeDeg) <= 90)) faults.Add(("latitudeDeg", $"must be between -90 and 90 (got {WorldLimits.N(LatitudeDeg)})"));
        if (!(Math.Abs(LongitudeDeg) <= 180)) faults.Add(("longitudeDeg", $"must be between -180 and 180 (got {WorldLimits.N(LongitudeDeg)})"));
        if (!(Math.Abs(NorthDeg) <= 360)) faults.Add(("northDeg", $"must be between -360 and 360 (got {WorldLimits.N(NorthDeg)})"));
        if (UtcOffsetMinutes is < -14 * 60 or > 14 * 60) faults.Add(("utcOffsetH", $"must be between -14 and 14 hours (got {UtcOffsetMinutes / 60.0:0.##})"));
        if (StartUtcTicks < MinTicks || StartUtcTicks > MaxTicks) faults.Add(("date", $"must be between {new DateTime(MinTicks):yyyy-MM-dd} and {new DateTime(MaxTicks):yyyy-MM-dd} (UTC)"));
        return faults;
    }

    /// <summary>The earliest clock the algorithm is trusted for (1800-01-01 UTC, NOAA's stated range).</summary>
    public static readonly long MinTicks = new DateTime(1800, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    /// <summary>The latest (2200-01-01 UTC).</summary>
    public static readonly long MaxTicks = new DateTime(2200, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
}

/// <summary>Where the sun is: compass and sky angles, and the direction its light travels in stage space.</summary>
/// <param name="AzimuthDeg">Degrees clockwise from true north (0..360).</param>
/// <param name="ElevationDeg">Degrees above the horizon (apparent, refraction included for a placed sun).</param>
/// <param name="DirectionTravel">Unit vector, from the sun toward the ground, stage space.</param>
public readonly record struct SunPosition(double AzimuthDeg, double ElevationDeg, Vector3D DirectionTravel)
{
    /// <summary>Whether the sun is above the horizon (direct light reaches the ground).</summary>
    public bool IsUp => ElevationDeg > 0;

    /// <summary>
    /// The sun at <paramref name="azimuthDeg"/>/<paramref name="elevationDeg"/> for a stage whose −Z
    /// points at compass heading <paramref name="northDeg"/>: stage +Y is up, and a heading turns
    /// clockwise seen from above, from −Z toward +X.
    /// </summary>
    public static SunPosition FromSky(double azimuthDeg, double elevationDeg, double northDeg)
    {
        double relative = (azimuthDeg - northDeg) * (Math.PI / 180), elevation = elevationDeg * (Math.PI / 180);
        var toSun = new Vector3D(Math.Sin(relative) * Math.Cos(elevation), Math.Sin(elevation), -Math.Cos(relative) * Math.Cos(elevation));
        return new SunPosition(azimuthDeg, elevationDeg, -1 * toSun);
    }

    /// <summary>Where <paramref name="sun"/> is with its clock at <paramref name="utcTicks"/> (null without a sun).</summary>
    public static SunPosition? Of(SunSetting? sun, long utcTicks) => sun switch
    {
        PlacedSun p => At(p, utcTicks),
        FixedSun f => FromDirection(f.DirectionTravel),
        _ => null,
    };

    /// <summary>A placed sun at an instant (UTC <see cref="DateTime"/> ticks).</summary>
    public static SunPosition At(PlacedSun sun, long utcTicks)
    {
        ArgumentNullException.ThrowIfNull(sun);
        (double azimuthDeg, double elevationDeg) = SolarPosition.Compute(utcTicks, sun.LatitudeDeg, sun.LongitudeDeg);
        return FromSky(azimuthDeg, elevationDeg, sun.NorthDeg);
    }

    /// <summary>The angles of a fixed direction (stage −Z taken as north).</summary>
    public static SunPosition FromDirection(Vector3D directionTravel)
    {
        Vector3D toSun = (-1 / directionTravel.Length) * directionTravel;
        double elevationDeg = Math.Asin(Math.Clamp(toSun.Y, -1, 1)) * (180 / Math.PI);
        double azimuthDeg = Math.Atan2(toSun.X, -toSun.Z) * (180 / Math.PI);
        if (azimuthDeg < 0) azimuthDeg += 360;
        return new SunPosition(azimuthDeg, elevationDeg, -1 * toSun);
    }
}
