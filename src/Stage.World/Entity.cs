using Stage.Physics;

namespace Stage.World;

/// <summary>
/// One entity of the world. Read-only from outside: every change goes through
/// <see cref="StageWorld"/> commands. Its pose is the physics body's (dynamic or kinematic), the
/// static geom's, or its own (an entity without a body).
/// </summary>
public sealed class Entity
{
    private IReadOnlyList<string> _tags = [];
    private Appearance? _appearance;
    private EntityOverrides _overrides;

    internal Entity(long id, EntityDefinition definition, long createdAtStep)
    {
        Id = id;
        Name = definition.Name;
        Tags = [.. definition.Tags];
        Body = definition.Body;
        Appearance = definition.Appearance;
        Behaviour = definition.Behaviour;
        Overrides = definition.Overrides;
        HomePositionM = definition.PositionM;
        HomeOrientation = definition.Orientation;
        CreatedAtStep = createdAtStep;
        OwnPositionM = definition.PositionM;
        OwnOrientation = definition.Orientation;
        PreviousPositionM = definition.PositionM;
        PreviousOrientation = definition.Orientation;
        if (definition.Behaviour is SpawnerBehaviour spawner) SpawnerRngState = spawner.Seed;
        BoundingRadiusM = definition.Body is { } body ? RadiusOf(body.Shape) : 0;
    }

    /// <summary>The stable 64-bit id (ascending in creation order, never reused).</summary>
    public long Id { get; }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>Tags, in the order given.</summary>
    public IReadOnlyList<string> Tags
    {
        get => _tags;
        internal set
        {
            _tags = value;
            CanonicalDefinition = null;
        }
    }

    /// <summary>The physical part, or null.</summary>
    public BodyComponent? Body { get; }

    /// <summary>What the renderer draws, or null.</summary>
    public Appearance? Appearance
    {
        get => _appearance;
        internal set
        {
            _appearance = value;
            CanonicalDefinition = null;
        }
    }

    /// <summary>The behaviour, or null.</summary>
    public Behaviour? Behaviour { get; }

    /// <summary>Per-entity rule overrides.</summary>
    public EntityOverrides Overrides
    {
        get => _overrides;
        internal set
        {
            _overrides = value;
            CanonicalDefinition = null;
        }
    }

    /// <summary>The pose the entity was created at (paths and joints are relative to it).</summary>
    public Vector3D HomePositionM { get; }

    /// <summary>The orientation the entity was created with.</summary>
    public QuaternionD HomeOrientation { get; }

    /// <summary>The step at which it was created.</summary>
    public long CreatedAtStep { get; }

    /// <summary>How many entities this spawner has spawned.</summary>
    public int SpawnedCount { get; internal set; }

    /// <summary>The spawner's generator state (SplitMix64).</summary>
    public ulong SpawnerRngState { get; internal set; }

    /// <summary>Radius of a sphere around the position that holds the shape (for frustum queries), metres.</summary>
    public double BoundingRadiusM { get; }

    /// <summary>Current position, metres.</summary>
    public Vector3D PositionM => RigidBody?.PositionM ?? OwnPositionM;

    /// <summary>Current orientation.</summary>
    public QuaternionD Orientation => RigidBody?.Orientation ?? OwnOrientation;

    /// <summary>Current linear velocity, m/s.</summary>
    public Vector3D LinearVelocityMps => RigidBody?.LinearVelocityMps ?? OwnLinearVelocityMps;

    /// <summary>Current angular velocity, rad/s.</summary>
    public Vector3D AngularVelocityRadps => RigidBody?.AngularVelocityRadps ?? Vector3D.Zero;

    /// <summary>False when the body sleeps (static and bodiless entities count as awake).</summary>
    public bool IsAwake => RigidBody?.IsAwake ?? true;

    /// <summary>True when the entity is moved by kinematics (override, frozen, or a path behaviour).</summary>
    public bool IsKinematic => Overrides.Kinematic || Overrides.Frozen || Behaviour is PathBehaviour;

    /// <summary>Position at the step before the last (for interpolation).</summary>
    public Vector3D PreviousPositionM { get; internal set; }

    /// <summary>Orientation at the step before the last.</summary>
    public QuaternionD PreviousOrientation { get; internal set; }

    internal RigidBody? RigidBody { get; set; }

    internal Geom? StaticGeom { get; set; }

    internal Geom? Geom => RigidBody is { } b ? b.Geoms[0] : StaticGeom;

    internal Vector3D OwnPositionM { get; set; }

    internal QuaternionD OwnOrientation { get; set; }

    internal Vector3D OwnLinearVelocityMps { get; set; }

    internal Vector3D PreStepLinearVelocityMps { get; set; }

    /// <summary>
    /// The canonical bytes of <see cref="ToDefinition"/>, kept between state hashes (the definition
    /// is most of an entity's bytes and changes only by command); null until needed and whenever
    /// tags, appearance or overrides change.
    /// </summary>
    internal byte[]? CanonicalDefinition { get; set; }

    /// <summary>The definition that recreates this entity as it is now (home pose, current components).</summary>
    public EntityDefinition ToDefinition() => new()
    {
        Name = Name,
        Tags = Tags,
        PositionM = HomePositionM,
        Orientation = HomeOrientation,
        Body = Body,
        Appearance = Appearance,
        Behaviour = Behaviour,
        Overrides = Overrides,
    };

    internal static double RadiusOf(Shape shape) => shape switch
    {
        BoxShape b => b.SizeM.Length / 2,
        SphereShape s => s.RadiusM,
        CapsuleShape c => c.RadiusM + c.LengthM / 2,
        CylinderShape c => Math.Sqrt(c.RadiusM * c.RadiusM + c.LengthM * c.LengthM / 4),
        HeightfieldShape h => Math.Sqrt(h.WidthM * h.WidthM + h.DepthM * h.DepthM) / 2 + h.HeightsM.Select(Math.Abs).DefaultIfEmpty(0).Max(),
        _ => double.PositiveInfinity,
    };
}

/// <summary>A joint of the world: its definition, the poses of its bodies when it was made (so it can be rebuilt exactly), and whether it broke.</summary>
public sealed class WorldJoint
{
    internal WorldJoint(long id, JointDefinition definition, BodyState poseA, BodyState? poseB, long createdAtStep)
    {
        Id = id;
        Definition = definition;
        CreationPoseA = poseA;
        CreationPoseB = poseB;
        CreatedAtStep = createdAtStep;
    }

    /// <summary>The joint's id (ascending in creation order).</summary>
    public long Id { get; }

    /// <summary>What it joins and how strong it is.</summary>
    public JointDefinition Definition { get; }

    /// <summary>Body A's state when the joint was created.</summary>
    public BodyState CreationPoseA { get; }

    /// <summary>Body B's state when the joint was created (null: joined to the world).</summary>
    public BodyState? CreationPoseB { get; }

    /// <summary>The step at which it was created.</summary>
    public long CreatedAtStep { get; }

    /// <summary>The step at which it broke, or null.</summary>
    public long? BrokenAtStep => Native?.BrokenAtStep;

    internal Joint? Native { get; set; }

    /// <summary>The canonical bytes of everything but the broken step (fixed for a joint's life), kept between state hashes.</summary>
    internal byte[]? CanonicalPrefix { get; set; }
}
