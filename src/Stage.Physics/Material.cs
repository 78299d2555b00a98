namespace Stage.Physics;

/// <summary>
/// The surface of a geom. When two geoms touch, their materials combine into one contact:
/// friction is the geometric mean √(μ₁μ₂) (so two surfaces of μ give μ), restitution and the
/// bounce threshold are the larger of the two, compliance (CFM) adds (two soft surfaces in series
/// are softer), and the error-reduction parameter is the smaller of those set.
/// </summary>
/// <param name="Friction">Coulomb friction coefficient μ (≥ 0): friction force ≤ μ × normal force.</param>
/// <param name="Restitution">Coefficient of restitution e in [0, 1]: the normal speed after a bounce is e × the speed before.</param>
/// <param name="BounceThresholdMps">Normal approach speed below which no bounce happens (≥ 0), so resting contacts settle.</param>
/// <param name="SoftnessCfm">Contact constraint force mixing (≥ 0); 0 uses the world's CFM (rigid).</param>
/// <param name="SoftnessErp">Contact error reduction in (0, 1]; 0 uses the world's ERP.</param>
public readonly record struct Material(
    double Friction,
    double Restitution = 0,
    double BounceThresholdMps = 0.1,
    double SoftnessCfm = 0,
    double SoftnessErp = 0)
{
    /// <summary>A plain surface: μ = 0.5, no bounce, rigid.</summary>
    public static Material Default => new(0.5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (!(Friction >= 0) || double.IsNaN(Friction)) throw new ArgumentException($"Friction must be ≥ 0 (got {Friction}).");
        if (!(Restitution >= 0 && Restitution <= 1)) throw new ArgumentException($"Restitution must be in [0, 1] (got {Restitution}).");
        if (!(BounceThresholdMps >= 0) || !double.IsFinite(BounceThresholdMps)) throw new ArgumentException($"BounceThresholdMps must be finite and ≥ 0 (got {BounceThresholdMps}).");
        if (!(SoftnessCfm >= 0) || !double.IsFinite(SoftnessCfm)) throw new ArgumentException($"SoftnessCfm must be finite and ≥ 0 (got {SoftnessCfm}).");
        if (!(SoftnessErp >= 0 && SoftnessErp <= 1)) throw new ArgumentException($"SoftnessErp must be in [0, 1] (got {SoftnessErp}).");
    }
}
