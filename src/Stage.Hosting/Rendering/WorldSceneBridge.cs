using System.Numerics;
using Stage.Physics;
using Stage.Render.Meshes;
using Stage.Render.Scene;
using Stage.World;
using RenderKind = Stage.Render.Scene.DrawKind;
using WorldKind = Stage.World.PrimitiveKind;

namespace Stage.Hosting.Rendering;

/// <summary>
/// Draws a Stage.World: one <see cref="DrawItem"/> per entity with an <see cref="Appearance"/>, in
/// ascending id order, sized by the entity's body shape and placed by
/// <see cref="StageWorld.InterpolatedPose"/> every frame. Boxes, spheres, cylinders and planes are the
/// renderer's unit primitives scaled; capsules (whose caps a scale would squash), terrain (the body's
/// heightfield) and glTF meshes (<see cref="Appearance.MeshPath"/>, relative to the scene's folder) are
/// <see cref="SceneMesh"/>es made once per distinct shape or file and shared.
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

    /// <summary>Segments around a capsule mesh (a multiple of 4, so its bounds are exact).</summary>
    public const int CapsuleSegments = 24;

    private readonly Func<StageWorld> _currentWorld;
    private readonly string _sceneDirectory;
    private readonly MeshLibrary _library = new();
    // Generated meshes by shape, compared by value (every capsule of one size shares a mesh; a terrain
    // rebuilt by a snapshot restore finds its mesh again instead of uploading another copy).
    private readonly Dictionary<Shape, SceneMesh> _shapeMeshes = new(ShapeValueComparer.Instance);
    private readonly HashSet<string> _badMeshPaths = new(StringComparer.Ordinal);
    private readonly List<string> _meshFaults = [];

    // What the mapping was built from: the world instance and, per entity of it, its id and appearance
    // (compared by reference: appearance records are replaced, never mutated).
    private StageWorld? _world;
    private RenderScene? _scene;
    private Vector3? _sunColourWhenUp;
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

    /// <summary>Told one line per entity look that cannot be drawn (a glTF file that fails to load, a terrain look without a heightfield), once per file or entity; the entity is skipped, the frame goes on.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Every fault met so far, one line each, naming the entity, the file and the fault (for <c>stage render</c> to refuse a bad scene).</summary>
    public IReadOnlyList<string> MeshFaults => _meshFaults;

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
        StageWorld world = _currentWorld();
        Build(scene, world);
        ApplySun(scene, world);
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
        ApplySun(scene, world);
        if (!ReferenceEquals(world, _world) || EntitySetChanged(world))
        {
            scene.RemoveFrom(_firstItem);
            Build(scene, world);
            return;
        }
        WriteTransforms(scene, world);
    }

    /// <summary>
    /// The world's sun, when it places one, becomes the scene's: its direction (stage space) every
    /// frame, and its colour while it is above the horizon — the scene's own colour, kept from the
    /// first frame — or none below it (no direct sun at night). A world without a sun leaves the
    /// scene's light as it is.
    /// </summary>
    private void ApplySun(RenderScene scene, StageWorld world)
    {
        if (world.Sun is not { } sun) return;
        _sunColourWhenUp ??= scene.SunColorLinear;
        Vector3D d = sun.DirectionTravel;
        scene.SunDirection = new Vector3((float)d.X, (float)d.Y, (float)d.Z);
        scene.SunColorLinear = sun.IsUp ? _sunColourWhenUp.Value : Vector3.Zero;
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
            SceneMesh? mesh = null;
            bool fixedInStage = false;
            Matrix4x4 local;
            RenderKind kind;
            if (appearance.Primitive is WorldKind.Mesh or WorldKind.Terrain || (appearance.Primitive == WorldKind.Capsule && e.Body?.Shape is CapsuleShape))
            {
                mesh = MeshFor(e, appearance, out local);
                if (mesh is null) continue;
                kind = RenderKind.Mesh;
            }
            else if (!TryMap(e, appearance, out kind, out local, out fixedInStage))
            {
                continue;
            }
            var color = new Vector3((float)appearance.ColorLinear.R, (float)appearance.ColorLinear.G, (float)appearance.ColorLinear.B);
            int index = scene.Add(new DrawItem(kind, local, color)
            {
                Mesh = mesh,
                Metallic = appearance.Metallic is double m ? (float)m : null,
                Roughness = appearance.Roughness is double g ? (float)g : null,
            });
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

    /// <summary>
    /// The mesh of a capsule, terrain or glTF look and the matrix from the mesh's space to the entity's
    /// local frame; null (logged once) when it cannot be drawn.
    /// </summary>
    private SceneMesh? MeshFor(Entity entity, Appearance appearance, out Matrix4x4 local)
    {
        local = Matrix4x4.Identity;
        Shape? shape = entity.Body?.Shape;
        switch (appearance.Primitive)
        {
            case WorldKind.Capsule when shape is CapsuleShape capsule:
                local = YAlongZ;
                return ShapeMesh(capsule, () => new SceneMesh($"capsule r {capsule.RadiusM} m, length {capsule.LengthM} m",
                    MeshPrimitives.Capsule((float)capsule.RadiusM, (float)capsule.LengthM, CapsuleSegments)));
            case WorldKind.Terrain when shape is HeightfieldShape field:
                return ShapeMesh(field, () => TerrainMesh(entity.Name, field));
            case WorldKind.Terrain:
                Fault($"entity {entity.Id} '{entity.Name}': a terrain look needs a terrain (heightfield) shape; not drawn");
                return null;
            default:
            {
                if (appearance.MeshPath is not { } relative)
                {
                    Fault($"entity {entity.Id} '{entity.Name}': a mesh look without a mesh file; not drawn");
                    return null;
                }
                string path = Path.IsPathRooted(relative) ? relative : Path.Combine(_sceneDirectory, relative);
                if (_badMeshPaths.Contains(path)) return null;
                try
                {
                    return _library.Load(path);
                }
                catch (GltfException ex)
                {
                    _badMeshPaths.Add(path);
                    Fault($"entity {entity.Id} '{entity.Name}': {ex.Message}; not drawn");
                    return null;
                }
            }
        }
    }

    private SceneMesh ShapeMesh(Shape shape, Func<SceneMesh> make)
    {
        if (!_shapeMeshes.TryGetValue(shape, out SceneMesh? mesh))
        {
            mesh = make();
            _shapeMeshes.Add(shape, mesh);
        }
        return mesh;
    }

    /// <summary>The heightfield's top surface, laid out as the physics lays it out (sample (ix, iz) at x = −W/2 + ix·W/(nx−1), z = −D/2 + iz·D/(nz−1)).</summary>
    internal static SceneMesh TerrainMesh(string name, HeightfieldShape field)
    {
        var heights = new float[field.HeightsM.Count];
        for (var i = 0; i < heights.Length; i++) heights[i] = (float)field.HeightsM[i];
        MeshData data = MeshPrimitives.Terrain(heights, field.WidthSamples, field.DepthSamples,
            (float)(field.WidthM / (field.WidthSamples - 1)), (float)(field.DepthM / (field.DepthSamples - 1)));
        return new SceneMesh($"terrain of '{name}'", data);
    }

    private void Fault(string line)
    {
        // Once per fault: a rebuild maps the same entities again.
        if (_meshFaults.Contains(line)) return;
        _meshFaults.Add(line);
        Log?.Invoke(line);
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

    /// <summary>Shapes equal by value, a heightfield's heights included (its record equality compares the list by reference).</summary>
    private sealed class ShapeValueComparer : IEqualityComparer<Shape>
    {
        public static readonly ShapeValueComparer Instance = new();

        public bool Equals(Shape? x, Shape? y) => (x, y) switch
        {
            (HeightfieldShape a, HeightfieldShape b) => a.WidthM.Equals(b.WidthM) && a.DepthM.Equals(b.DepthM) && a.WidthSamples == b.WidthSamples
                && a.DepthSamples == b.DepthSamples && a.ThicknessM.Equals(b.ThicknessM) && a.HeightsM.SequenceEqual(b.HeightsM),
            _ => object.Equals(x, y),
        };

        public int GetHashCode(Shape shape) => shape is HeightfieldShape h
            ? HashCode.Combine(h.WidthM, h.DepthM, h.WidthSamples, h.DepthSamples, h.HeightsM.Count > 0 ? h.HeightsM[0] : 0, h.HeightsM.Count > 0 ? h.HeightsM[^1] : 0)
            : shape.GetHashCode();
    }
}
