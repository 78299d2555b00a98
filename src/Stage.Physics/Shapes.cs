namespace Stage.Physics;

/// <summary>
/// The collision shape of a geom, in the geom's local frame. Capsules and cylinders lie along
/// their local Z axis (ODE's convention); rotate the body or the geom's offset to stand them up.
/// </summary>
public abstract record Shape
{
    private protected Shape() { }

    /// <summary>True when a moving body may carry this shape (planes and terrain are static only).</summary>
    public abstract bool CanBeDynamic { get; }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first dimension out of range: sizes lie
    /// within [<see cref="PhysicsLimits.MinSizeM"/>, <see cref="PhysicsLimits.MaxSizeM"/>] (ODE aborts on
    /// the infinite inertia or AABB of a huge shape instead of refusing it).
    /// </summary>
    public abstract void Validate();

    private protected static void RequireSize(double value, string name) => PhysicsLimits.RequireSize(value, name);
}

/// <summary>A box centred on its origin.</summary>
/// <param name="SizeM">Full edge lengths along local X, Y, Z in metres.</param>
public sealed record BoxShape(Vector3D SizeM) : Shape
{
    /// <inheritdoc/>
    public override bool CanBeDynamic => true;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireSize(SizeM.X, "Box size X");
        RequireSize(SizeM.Y, "Box size Y");
        RequireSize(SizeM.Z, "Box size Z");
    }
}

/// <summary>A sphere centred on its origin.</summary>
/// <param name="RadiusM">Radius in metres.</param>
public sealed record SphereShape(double RadiusM) : Shape
{
    /// <inheritdoc/>
    public override bool CanBeDynamic => true;

    /// <inheritdoc/>
    public override void Validate() => RequireSize(RadiusM, "Sphere radius");
}

/// <summary>A capsule along local Z: a cylinder of <paramref name="LengthM"/> capped by two hemispheres.</summary>
/// <param name="RadiusM">Radius in metres.</param>
/// <param name="LengthM">Length of the cylindrical part (without the caps) in metres.</param>
public sealed record CapsuleShape(double RadiusM, double LengthM) : Shape
{
    /// <inheritdoc/>
    public override bool CanBeDynamic => true;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireSize(RadiusM, "Capsule radius");
        RequireSize(LengthM, "Capsule length");
    }
}

/// <summary>A flat-ended cylinder along local Z.</summary>
/// <param name="RadiusM">Radius in metres.</param>
/// <param name="LengthM">Length in metres.</param>
public sealed record CylinderShape(double RadiusM, double LengthM) : Shape
{
    /// <inheritdoc/>
    public override bool CanBeDynamic => true;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireSize(RadiusM, "Cylinder radius");
        RequireSize(LengthM, "Cylinder length");
    }
}

/// <summary>An infinite static half-space: points p with n·p ≤ <paramref name="OffsetM"/> are inside.</summary>
/// <param name="Normal">Outward normal in stage space (normalised by the world).</param>
/// <param name="OffsetM">Distance of the plane from the origin along the normal.</param>
public sealed record PlaneShape(Vector3D Normal, double OffsetM) : Shape
{
    /// <summary>The stage floor: y = 0, solid below.</summary>
    public static PlaneShape Floor => new(Vector3D.UnitY, 0);

    /// <inheritdoc/>
    public override bool CanBeDynamic => false;

    /// <inheritdoc/>
    public override void Validate()
    {
        if (!PhysicsLimits.IsCoordinate(Normal) || !(Normal.Length > 0)) throw new ArgumentException("Plane normal must be a finite non-zero vector.");
        if (!PhysicsLimits.IsCoordinate(OffsetM)) throw new ArgumentException($"Plane offset must be within ±{PhysicsLimits.MaxCoordinateM} m (got {OffsetM}).");
    }
}

/// <summary>
/// Static terrain: a regular grid of heights along local +Y, centred on the geom's position,
/// spanning <paramref name="WidthM"/> along local X and <paramref name="DepthM"/> along local Z.
/// Sample (ix, iz) is <c>HeightsM[iz * WidthSamples + ix]</c> and lies at
/// x = −WidthM/2 + ix·WidthM/(WidthSamples−1), z = −DepthM/2 + iz·DepthM/(DepthSamples−1).
/// The heights are copied when the geom is created.
/// </summary>
/// <param name="WidthM">Extent along local X.</param>
/// <param name="DepthM">Extent along local Z.</param>
/// <param name="WidthSamples">Samples along X (≥ 2).</param>
/// <param name="DepthSamples">Samples along Z (≥ 2).</param>
/// <param name="HeightsM">WidthSamples × DepthSamples heights, X fastest.</param>
/// <param name="ThicknessM">Solid depth below the lowest sample, so nothing tunnels under the terrain.</param>
public sealed record HeightfieldShape(double WidthM, double DepthM, int WidthSamples, int DepthSamples,
    IReadOnlyList<double> HeightsM, double ThicknessM = 1) : Shape
{
    /// <inheritdoc/>
    public override bool CanBeDynamic => false;

    /// <inheritdoc/>
    public override void Validate()
    {
        RequireSize(WidthM, "Heightfield width");
        RequireSize(DepthM, "Heightfield depth");
        RequireSize(ThicknessM, "Heightfield thickness");
        if (WidthSamples < 2 || DepthSamples < 2) throw new ArgumentException($"A heightfield needs at least 2 × 2 samples (got {WidthSamples} × {DepthSamples}).");
        if ((long)WidthSamples * DepthSamples > PhysicsLimits.MaxTerrainSamples) throw new ArgumentException($"A heightfield has at most {PhysicsLimits.MaxTerrainSamples} samples (got {WidthSamples} × {DepthSamples}).");
        if (HeightsM is null || HeightsM.Count != (long)WidthSamples * DepthSamples)
        {
            throw new ArgumentException($"A heightfield of {WidthSamples} × {DepthSamples} samples needs {(long)WidthSamples * DepthSamples} heights (got {HeightsM?.Count ?? 0}).");
        }
        for (int i = 0; i < HeightsM.Count; i++)
        {
            if (!(Math.Abs(HeightsM[i]) <= PhysicsLimits.MaxSizeM)) throw new ArgumentException($"Heightfield height [{i}] must be within ±{PhysicsLimits.MaxSizeM} m (got {HeightsM[i]}).");
        }
    }
}
