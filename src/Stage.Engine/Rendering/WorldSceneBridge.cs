using System.Numerics;
using Stage.Physics;
using Stage.Render.Scene;
using Stage.World;
using RenderKind = Stage.Render.Scene.PrimitiveKind;
using WorldKind = Stage.World.PrimitiveKind;

namespace Stage.Engine.Rendering;

/// <summary>
/// Draws a Stage.World: one <see cref="DrawItem"/> per entity with an <see cref="Appearance"/>, in
/// ascending id order, sized by the entity's body shape and placed by
/// <see cref="StageWorld.InterpolatedPose"/> every frame.
/// </summary>
/// <remarks>
/// Both sides use one stage space (right-handed, metres, +Y up), so positions and orientations pass
/// through unchanged; only the primitives' own axes differ: the world's capsules and cylinders lie
/// along their local Z (ODE's convention), the renderer's along Y, so those get a +90° turn about X
/// before the entity's rotation. The world instance can be replaced (the engine restores a snapshot
/// into a new <see cref="StageWorld"/>), and entities can be created, destroyed or change appearance;
/// <see cref="Update"/> notices any of these and rebuilds the mapping. In steady state it only writes
/// transforms in place and allocates nothing.
/// </remarks>
public sealed class WorldSceneBridge
{
    /// <summary>Edge length of the square drawn for an infinite plane (the world's planes have no extent), metres.</summary>
    public const float PlaneSizeM = 60f;

    private readonly Func<StageWorld> _currentWorld;
    private readonly string _sceneDirectory;

    // What the mapping was built from: the world instance and, per entity of it, its id and appearance
    // (compared by reference: appearance records are replaced, never mutated).
    private StageWorld? _world;
    private RenderScene? _scene;
    private long[] _ids = [];
    private Appearance?[] _appearances = [];
    private int _entityCount;

    // One slot per drawn entity: the entity, its local (shape) matrix and its item index in the scene.
    private Slot[] _slots = [];
    private int _slotCount;
    private int _firstItem;

    /// <summary>Creates a bridge that draws whatever world <paramref name="currentWorld"/> returns now.</summary>
    /// <param name="currentWorld">The world to draw (called every frame; may return a new instance after a restore).</param>
    /// <param name="sceneDirectory">The folder of the scene file, against which relative mesh paths are resolved.</param>
    public WorldSceneBridge(Func<StageWorld> currentWorld, string sceneDirectory)
    {
        ArgumentNullException.ThrowIfNull(currentWorld);
        ArgumentNullException.ThrowIfNull(sceneDirectory);
        _currentWorld = currentWorld;
        _sceneDirectory = sceneDirectory;
    }

    /// <summary>The folder relative mesh paths are resolved against.</summary>
    public string SceneDirectory => _sceneDirectory;

    /// <summary>Entities drawn by the current mapping.</summary>
    public int DrawnEntityCount => _slotCount;

    /// <summary>Times the mapping was (re)built: by <see cref="Fill"/>, or by <see cref="Update"/> after the world or its entity set changed.</summary>
    public int Rebuilds { get; private set; }

    /// <summary>
    /// Appends one item per entity with an appearance (ascending id) to <paramref name="scene"/>, at the
    /// entities' interpolated poses. The bridge's items are the last ones of the scene from here on: a
    /// later rebuild removes every item from the first of them onwards and adds the new set.
    /// </summary>
    public void Fill(RenderScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        _scene = scene;
        _firstItem = scene.Count;
        Build(scene, _currentWorld());
    }

    /// <summary>
    /// Writes every drawn entity's interpolated transform into its item, in place. Rebuilds the items
    /// first when the world instance, its entity set or an appearance changed (or when
    /// <see cref="Fill"/> was not called for this scene).
    /// </summary>
    public void Update(RenderScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        StageWorld world = _currentWorld();
        if (!ReferenceEquals(scene, _scene))
        {
            Fill(scene);
            return;
        }
        if (!ReferenceEquals(world, _world) || EntitySetChanged(world))
        {
            scene.RemoveFrom(_firstItem);
            Build(scene, world);
            return;
        }
        WriteTransforms(scene, world);
    }

    private bool EntitySetChanged(StageWorld world)
    {
        IReadOnlyList<Entity> entities = world.Entities;
        if (entities.Count != _entityCount) return true;
        for (var i = 0; i < entities.Count; i++)
        {
            Entity e = entities[i];
            if (e.Id != _ids[i] || !ReferenceEquals(e.Appearance, _appearances[i])) return true;
        }
        return false;
    }

    private void Build(RenderScene scene, StageWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        _world = world;
        IReadOnlyList<Entity> entities = world.Entities;
        _entityCount = entities.Count;
        if (_ids.Length < _entityCount)
        {
            _ids = new long[_entityCount];
            _appearances = new Appearance?[_entityCount];
            _slots = new Slot[_entityCount];
        }
        _slotCount = 0;
        for (var i = 0; i < entities.Count; i++)
        {
            Entity e = entities[i];
            _ids[i] = e.Id;
            _appearances[i] = e.Appearance;
            if (e.Appearance is not { } appearance) continue;
            if (!TryMap(e, appearance, out RenderKind kind, out Matrix4x4 local, out bool fixedInStage)) continue;
            var color = new Vector3((float)appearance.ColorLinear.R, (float)appearance.ColorLinear.G, (float)appearance.ColorLinear.B);
            int index = scene.Add(new DrawItem(kind, local, color));
            _slots[_slotCount++] = new Slot(e, local, index, fixedInStage);
        }
        Rebuilds++;
        WriteTransforms(scene, world);
    }

    private void WriteTransforms(RenderScene scene, StageWorld world)
    {
        for (var s = 0; s < _slotCount; s++)
        {
            ref readonly Slot slot = ref _slots[s];
            if (slot.FixedInStage) continue;
            (Vector3D p, QuaternionD q) = world.InterpolatedPose(slot.Entity);
            scene.SetTransform(slot.Index, slot.Local * PoseMatrix(p, q));
        }
    }

    /// <summary>The entity's pose as a System.Numerics row-vector matrix (rotation, then translation).</summary>
    internal static Matrix4x4 PoseMatrix(Vector3D positionM, QuaternionD orientation)
    {
        // QuaternionD is (W, X, Y, Z); System.Numerics takes (X, Y, Z, W). Both rotate actively, right-handed.
        Matrix4x4 m = Matrix4x4.CreateFromQuaternion(new Quaternion((float)orientation.X, (float)orientation.Y, (float)orientation.Z, (float)orientation.W));
        m.Translation = new Vector3((float)positionM.X, (float)positionM.Y, (float)positionM.Z);
        return m;
    }

    /// <summary>
    /// The renderer's primitive and the matrix from its unit shape to the entity's local frame (the world
    /// shape's size and axes). A plane with a plane body is placed in stage space directly
    /// (<paramref name="fixedInStage"/>): the world's planes are half-spaces, not placed by a pose.
    /// </summary>
    internal static bool TryMap(Entity entity, Appearance appearance, out RenderKind kind, out Matrix4x4 local, out bool fixedInStage)
    {
        Shape? shape = entity.Body?.Shape;
        Vector3 extentsM = FullExtentsM(shape);
        fixedInStage = false;
        switch (appearance.Primitive)
        {
            case WorldKind.Box:
                kind = RenderKind.Box;
                local = Matrix4x4.CreateScale(extentsM);
                return true;
            case WorldKind.Sphere:
                kind = RenderKind.Sphere;
                local = Matrix4x4.CreateScale(extentsM);
                return true;
            case WorldKind.Capsule:
            {
                kind = RenderKind.Capsule;
                // Renderer: radius 0.5, 2 tall along Y. World: along local Z. Exact for the radius and the
                // total length; the caps are ellipsoidal unless the straight part equals the diameter.
                float diameterM = MathF.Min(extentsM.X, extentsM.Y);
                local = Matrix4x4.CreateScale(diameterM, extentsM.Z / 2, diameterM) * YAlongZ;
                return true;
            }
            case WorldKind.Cylinder:
                kind = RenderKind.Cylinder;
                // Renderer: radius 0.5, height 1 along Y; turned so its Y lies along the world's local Z.
                local = Matrix4x4.CreateScale(extentsM.X, extentsM.Z, extentsM.Y) * YAlongZ;
                return true;
            case WorldKind.Plane:
                kind = RenderKind.Plane;
                if (shape is PlaneShape plane)
                {
                    local = PlaneMatrix(plane);
                    fixedInStage = true;
                }
                else
                {
                    // A plane look on a solid body: its footprint in the local XZ plane.
                    local = Matrix4x4.CreateScale(extentsM.X, 1, extentsM.Z);
                }
                return true;
            default:
                // Terrain and meshes are drawn from GPU meshes, not unit primitives.
                kind = default;
                local = default;
                return false;
        }
    }

    /// <summary>Turns the renderer's +Y axis onto +Z (a +90° rotation about X).</summary>
    internal static readonly Matrix4x4 YAlongZ = Matrix4x4.CreateRotationX(MathF.PI / 2);

    /// <summary>Full size of a shape along its local X, Y, Z (1 m each without a shape).</summary>
    internal static Vector3 FullExtentsM(Shape? shape) => shape switch
    {
        BoxShape b => new Vector3((float)b.SizeM.X, (float)b.SizeM.Y, (float)b.SizeM.Z),
        SphereShape s => new Vector3((float)(2 * s.RadiusM)),
        CapsuleShape c => new Vector3((float)(2 * c.RadiusM), (float)(2 * c.RadiusM), (float)(c.LengthM + 2 * c.RadiusM)),
        CylinderShape c => new Vector3((float)(2 * c.RadiusM), (float)(2 * c.RadiusM), (float)c.LengthM),
        HeightfieldShape h => new Vector3((float)h.WidthM, 1, (float)h.DepthM),
        _ => Vector3.One,
    };

    /// <summary>A <see cref="PlaneSizeM"/> square on the plane n·p = offset, facing along n, centred on the point nearest the origin.</summary>
    internal static Matrix4x4 PlaneMatrix(PlaneShape plane)
    {
        var n = Vector3.Normalize(new Vector3((float)plane.Normal.X, (float)plane.Normal.Y, (float)plane.Normal.Z));
        float offsetM = (float)(plane.OffsetM / plane.Normal.Length);
        Quaternion turn = FromTo(Vector3.UnitY, n);
        Matrix4x4 m = Matrix4x4.CreateScale(PlaneSizeM, 1, PlaneSizeM) * Matrix4x4.CreateFromQuaternion(turn);
        m.Translation = n * offsetM;
        return m;
    }

    private static Quaternion FromTo(Vector3 from, Vector3 to)
    {
        float d = Vector3.Dot(from, to);
        if (d > 0.999999f) return Quaternion.Identity;
        if (d < -0.999999f) return Quaternion.CreateFromAxisAngle(Vector3.UnitX, MathF.PI);
        Vector3 axis = Vector3.Normalize(Vector3.Cross(from, to));
        return Quaternion.CreateFromAxisAngle(axis, MathF.Acos(d));
    }

    private readonly record struct Slot(Entity Entity, Matrix4x4 Local, int Index, bool FixedInStage);
}
