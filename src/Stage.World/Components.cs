using Stage.Physics;

namespace Stage.World;

/// <summary>What the renderer draws for an entity: a primitive or a mesh file.</summary>
public enum PrimitiveKind
{
    /// <summary>A box.</summary>
    Box,
    /// <summary>A sphere.</summary>
    Sphere,
    /// <summary>A capsule (along local Z).</summary>
    Capsule,
    /// <summary>A cylinder (along local Z).</summary>
    Cylinder,
    /// <summary>An infinite plane.</summary>
    Plane,
    /// <summary>A heightfield terrain.</summary>
    Terrain,
    /// <summary>A mesh file (glTF), loaded by the renderer.</summary>
    Mesh,
}

/// <summary>A linear-light RGB colour, each channel ≥ 0 (1 = reference white).</summary>
public readonly record struct ColorRgb(double R, double G, double B)
{
    /// <summary>Mid grey.</summary>
    public static ColorRgb Grey => new(0.5, 0.5, 0.5);
}

/// <summary>How an entity looks: a primitive (sized by its shape) or a glTF mesh, and a linear RGB colour.</summary>
/// <param name="Primitive">What to draw.</param>
/// <param name="ColorLinear">Base colour, linear RGB.</param>
/// <param name="MeshPath">The glTF file when <paramref name="Primitive"/> is <see cref="PrimitiveKind.Mesh"/>, else null.</param>
/// <param name="Metallic">Metalness 0..1 of the surface (glTF metallic-roughness), or null: a dielectric primitive, a mesh's own materials.</param>
/// <param name="Roughness">Perceptual roughness 0..1, or null: fully rough for a primitive, a mesh's own materials.</param>
public sealed record Appearance(PrimitiveKind Primitive, ColorRgb ColorLinear, string? MeshPath = null, double? Metallic = null, double? Roughness = null)
{
    /// <summary>True when the scene gave a metallic or roughness value.</summary>
    public bool HasMaterial => Metallic is not null || Roughness is not null;
}

/// <summary>How a body takes part in the simulation.</summary>
public enum BodyKind
{
    /// <summary>A static geom: never moves, others collide with it.</summary>
    Static,
    /// <summary>A rigid body moved by forces and contacts.</summary>
    Dynamic,
}

/// <summary>The physical part of an entity: shape, material, mass and kind.</summary>
/// <param name="Kind">Static geom or dynamic body.</param>
/// <param name="Shape">The collision shape (capsules and cylinders lie along local Z).</param>
/// <param name="Material">Friction, restitution, softness.</param>
/// <param name="MassKg">Mass of a dynamic body (ignored for static).</param>
public sealed record BodyComponent(BodyKind Kind, Shape Shape, Material Material, double MassKg);

/// <summary>
/// Per-entity exceptions to the world's rules (the creative truth of one entity).
/// </summary>
/// <param name="Floats">Ignores gravity: keeps its height unless something pushes it.</param>
/// <param name="Kinematic">Moved only by commands and behaviours, never by forces; pushes others.</param>
/// <param name="Frozen">Held where it is, velocities zero, until unfrozen.</param>
/// <param name="GravityScale">Its own multiple of the world's gravity; null follows the world.</param>
public readonly record struct EntityOverrides(bool Floats = false, bool Kinematic = false, bool Frozen = false, double? GravityScale = null);

/// <summary>
/// Everything needed to create an entity. The pose and velocities are the initial ones; a body's
/// joints are created at this pose, which is why the world keeps it (the entity's home pose).
/// </summary>
public sealed record EntityDefinition
{
    /// <summary>The entity's name (need not be unique; queries by name return the lowest id).</summary>
    public required string Name { get; init; }

    /// <summary>Free-form tags, kept in the given order.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Initial position, stage space, metres.</summary>
    public Vector3D PositionM { get; init; }

    /// <summary>Initial orientation.</summary>
    public QuaternionD Orientation { get; init; } = QuaternionD.Identity;

    /// <summary>Initial linear velocity, m/s.</summary>
    public Vector3D LinearVelocityMps { get; init; }

    /// <summary>Initial angular velocity, rad/s.</summary>
    public Vector3D AngularVelocityRadps { get; init; }

    /// <summary>The physical body, or null for an entity that only exists to be drawn or to spawn.</summary>
    public BodyComponent? Body { get; init; }

    /// <summary>What the renderer draws, or null for an invisible entity.</summary>
    public Appearance? Appearance { get; init; }

    /// <summary>A kinematic path or a spawner, or null.</summary>
    public Behaviour? Behaviour { get; init; }

    /// <summary>Per-entity rule overrides.</summary>
    public EntityOverrides Overrides { get; init; }
}

/// <summary>The kinds of joint between entities.</summary>
public enum JointKind
{
    /// <summary>Holds two bodies (or a body and the world) rigidly together.</summary>
    Fixed,
    /// <summary>Rotation about one axis through an anchor.</summary>
    Hinge,
    /// <summary>Rotation about a point.</summary>
    Ball,
}

/// <summary>A joint between two entities' bodies, or one body and the world.</summary>
/// <param name="Name">The joint's name.</param>
/// <param name="Kind">Fixed, hinge or ball.</param>
/// <param name="EntityA">The first entity (must have a dynamic body).</param>
/// <param name="EntityB">The second entity, or null for the world.</param>
/// <param name="AnchorM">Anchor point (hinge, ball), stage space, metres.</param>
/// <param name="Axis">Hinge axis, stage space.</param>
/// <param name="Strength">Force and torque at which it breaks.</param>
public sealed record JointDefinition(string Name, JointKind Kind, long EntityA, long? EntityB, Vector3D AnchorM, Vector3D Axis, JointStrength Strength);
