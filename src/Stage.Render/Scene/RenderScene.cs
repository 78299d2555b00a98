using System.Numerics;
using Stage.Render.Sky;

namespace Stage.Render.Scene;

/// <summary>The shapes the renderer draws without a loaded mesh (unit sizes, centred on the origin).</summary>
public enum DrawKind
{
    /// <summary>A cube of side 1 (±0.5 on every axis).</summary>
    Box,
    /// <summary>A sphere of radius 0.5.</summary>
    Sphere,
    /// <summary>A capsule along Y: radius 0.5, straight part ±0.5, so 2 tall overall.</summary>
    Capsule,
    /// <summary>A capped cylinder along Y: radius 0.5, height 1 (±0.5).</summary>
    Cylinder,
    /// <summary>A 1 × 1 square in the XZ plane facing +Y.</summary>
    Plane,
    /// <summary>A triangle mesh (<see cref="DrawItem.Mesh"/>): a glTF model, a terrain, any <see cref="Meshes.MeshData"/>.</summary>
    Mesh,
}

/// <summary>One thing to draw: a primitive or a mesh placed by a transform, with a colour.</summary>
/// <param name="Kind">The shape (<see cref="DrawKind.Mesh"/> draws <see cref="Mesh"/>).</param>
/// <param name="Transform">Local → stage, System.Numerics row-vector convention (scale · rotation · translation).</param>
/// <param name="ColorLinear">Base colour, linear RGB (0..1, may exceed 1 for emissive-looking objects under strong light). A mesh's own base colours are multiplied by it.</param>
public readonly record struct DrawItem(DrawKind Kind, Matrix4x4 Transform, Vector3 ColorLinear)
{
    /// <summary>Metalness 0..1 of the item's surface; null: the material's own (a primitive's is 0, a dielectric).</summary>
    public float? Metallic { get; init; }

    /// <summary>Perceptual roughness 0..1 of the item's surface; null: the material's own (a primitive's is 1, fully rough).</summary>
    public float? Roughness { get; init; }

    /// <summary>The mesh of a <see cref="DrawKind.Mesh"/> item (uploaded once per instance of <see cref="SceneMesh"/>, then shared); null for primitives.</summary>
    public SceneMesh? Mesh { get; init; }

    /// <summary>An item that draws <paramref name="mesh"/> at <paramref name="transform"/>, its base colours times <paramref name="tintLinear"/>.</summary>
    public static DrawItem ForMesh(SceneMesh mesh, Matrix4x4 transform, Vector3 tintLinear)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        return new DrawItem(DrawKind.Mesh, transform, tintLinear) { Mesh = mesh };
    }
}

/// <summary>
/// What the renderer draws: a list of draw items plus the light. The world fills it (later from
/// Stage.World's interpolated transforms) and updates items in place each frame; the renderer
/// rewrites its per-item GPU buffer from it every frame and only grows that buffer when the list does.
/// </summary>
public sealed class RenderScene
{
    private readonly List<DrawItem> _items = [];

    /// <summary>The items, in insertion order (the draw order within each primitive kind).</summary>
    public IReadOnlyList<DrawItem> Items => _items;

    /// <summary>Number of items.</summary>
    public int Count => _items.Count;

    /// <summary>Adds an item; returns its index (stable until <see cref="Clear"/>).</summary>
    public int Add(DrawItem item)
    {
        _items.Add(item);
        return _items.Count - 1;
    }

    /// <summary>Replaces item <paramref name="index"/> (a move, a colour change).</summary>
    public void Set(int index, DrawItem item) => _items[index] = item;

    /// <summary>Moves item <paramref name="index"/> to a new transform.</summary>
    public void SetTransform(int index, Matrix4x4 transform) => _items[index] = _items[index] with { Transform = transform };

    /// <summary>Removes every item.</summary>
    public void Clear() => _items.Clear();

    /// <summary>Removes the items from <paramref name="index"/> to the end (a source that owns the tail of the list rebuilding it).</summary>
    public void RemoveFrom(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index < _items.Count) _items.RemoveRange(index, _items.Count - index);
    }

    /// <summary>The direction sunlight travels (from the sun toward the ground), stage space; normalised when used.</summary>
    public Vector3 SunDirection { get; set; } = Vector3.Normalize(new Vector3(-0.4f, -1f, -0.3f));

    /// <summary>Sun colour, linear RGB (about 1 in its brightest channel); the light is this × <see cref="SunIlluminanceLux"/>.</summary>
    public Vector3 SunColorLinear { get; set; } = new(1f, 0.95f, 0.9f);

    /// <summary>
    /// The sun's illuminance on a surface facing it, lux (lm/m²). A white Lambert surface facing the sun sends back
    /// E/π cd/m² (nits). The default, π, keeps the working space's 1.0 = 1 nit at exposure 0 and a white surface facing
    /// the sun at the sun colour — what the renderer drew before physical units; real daylight is ~100,000 lux (use an
    /// exposure of ~15 EV then, <see cref="ExposureEv"/>).
    /// </summary>
    public float SunIlluminanceLux { get; set; } = MathF.PI;

    /// <summary>
    /// The camera's exposure, EV: scene luminance L (cd/m²) is written to the (scene-linear) image as L · 2^−EV, so
    /// 1.0 in the image is 2^EV nits. 0 keeps luminance as is; 15 maps 32,768 nits (a white wall in ~100 klx
    /// sunlight) to 1. The photographic EV100 (ISO 100, K = 12.5: saturating luminance 1.2 · 2^EV100) is this EV − log2 1.2 ≈ EV − 0.26.
    /// </summary>
    public float ExposureEv { get; set; }

    /// <summary>The factor <see cref="ExposureEv"/> applies: 2^−EV.</summary>
    public static float ExposureScale(float exposureEv) => MathF.Pow(2, -exposureEv);

    /// <summary>
    /// The radiance of a uniform environment around the scene, linear RGB (cd/m² at exposure 0): it lights every
    /// surface from every direction, shadowed by the sun or not — a white Lambert surface shows exactly this, a
    /// rough white metal this × its F0. Used when there is no <see cref="Environment"/> (which then lights the scene instead).
    /// </summary>
    public Vector3 AmbientLinear { get; set; } = new(0.15f, 0.17f, 0.2f);

    /// <summary>
    /// The environment that lights the scene and fills the background (an HDR image or the physical sky); null keeps the
    /// uniform <see cref="AmbientLinear"/> and the flat <see cref="BackgroundLinear"/>.
    /// </summary>
    public SceneEnvironment? Environment { get; set; }

    /// <summary>What is seen where nothing is drawn (the sky) without an <see cref="Environment"/>, linear RGB.</summary>
    public Vector3 BackgroundLinear { get; set; } = new(0.3f, 0.45f, 0.7f);
}
