namespace Stage.Physics;

/// <summary>
/// The range of numbers Stage lets reach ODE. ODE does not report a value it cannot represent:
/// it aborts the whole process on an internal assertion. A geom's AABB is turned into integer
/// hash-space cells (<c>collision_space.cpp</c>: <c>aabbBound &lt; dMaxIntExact</c>), which a
/// 0.2 m body leaves some 5 × 10⁸ m from the origin; a sphere of radius 10³⁰⁰ gives an infinite
/// inertia and a NaN orientation (<c>dxNormalize4</c>). These limits sit orders of magnitude
/// inside what ODE represents and far outside any stage, so a refusal is always about a typo or
/// a hostile file, never about a real set. Stage.Physics checks shapes and masses against them
/// when a geom or body is made; Stage.World checks every number of a scene, a command and a
/// snapshot against them where it enters (with the place of the fault), and keeps bodies inside
/// a world bound every step.
/// </summary>
public static class PhysicsLimits
{
    /// <summary>Largest distance from the origin along any axis of a position, anchor, pivot or waypoint: 1,000 km.</summary>
    public const double MaxCoordinateM = 1e6;

    /// <summary>Smallest size of a shape (radius, length, edge, terrain extent and thickness): 0.1 mm.</summary>
    public const double MinSizeM = 1e-4;

    /// <summary>Largest size of a shape, and the largest terrain height: 10 km.</summary>
    public const double MaxSizeM = 1e4;

    /// <summary>Smallest mass of a body: one milligram.</summary>
    public const double MinMassKg = 1e-6;

    /// <summary>Largest mass of a body: a million tonnes.</summary>
    public const double MaxMassKg = 1e9;

    /// <summary>Largest linear speed of a body, m/s (10 km/s; a rifle bullet flies at about 1 km/s).</summary>
    public const double MaxSpeedMps = 1e4;

    /// <summary>Largest angular speed of a body, rad/s (about 95,000 rpm).</summary>
    public const double MaxAngularSpeedRadps = 1e4;

    /// <summary>Largest gravity a world or an entity may feel, m/s² (about 100 g).</summary>
    public const double MaxGravityMps2 = 1e3;

    /// <summary>Most height samples of one terrain (a 2,048 × 2,048 grid).</summary>
    public const int MaxTerrainSamples = 2048 * 2048;

    /// <summary>True when every component of <paramref name="positionM"/> is finite and within ±<see cref="MaxCoordinateM"/>.</summary>
    public static bool IsCoordinate(Vector3D positionM) =>
        IsCoordinate(positionM.X) && IsCoordinate(positionM.Y) && IsCoordinate(positionM.Z);

    /// <summary>True when <paramref name="valueM"/> is finite and within ±<see cref="MaxCoordinateM"/>.</summary>
    public static bool IsCoordinate(double valueM) => Math.Abs(valueM) <= MaxCoordinateM;

    /// <summary>True when <paramref name="sizeM"/> is within [<see cref="MinSizeM"/>, <see cref="MaxSizeM"/>].</summary>
    public static bool IsSize(double sizeM) => sizeM >= MinSizeM && sizeM <= MaxSizeM;

    /// <summary>True when <paramref name="massKg"/> is within [<see cref="MinMassKg"/>, <see cref="MaxMassKg"/>].</summary>
    public static bool IsMass(double massKg) => massKg >= MinMassKg && massKg <= MaxMassKg;

    /// <summary>True when the velocity is finite and no faster than <see cref="MaxSpeedMps"/>.</summary>
    public static bool IsSpeed(Vector3D velocityMps) => velocityMps.IsFinite && velocityMps.Length <= MaxSpeedMps;

    /// <summary>True when the angular velocity is finite and no faster than <see cref="MaxAngularSpeedRadps"/>.</summary>
    public static bool IsAngularSpeed(Vector3D angularVelocityRadps) =>
        angularVelocityRadps.IsFinite && angularVelocityRadps.Length <= MaxAngularSpeedRadps;

    /// <summary>"must be between a and b m (got v)": the wording every size fault uses.</summary>
    internal static void RequireSize(double sizeM, string name)
    {
        if (!IsSize(sizeM)) throw new ArgumentException($"{name} must be between {MinSizeM} and {MaxSizeM} m (got {sizeM}).");
    }
}
