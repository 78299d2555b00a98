using Stage.Render.Meshes;

namespace Stage.Render.Scene;

/// <summary>
/// A triangle mesh the scene can draw (<see cref="DrawItem.ForMesh"/>): a glTF model, a terrain, any
/// <see cref="MeshData"/>. The renderer uploads each instance once, the first frame an item uses it, and
/// shares the GPU copy among every item that names the same instance, so make one per distinct shape.
/// </summary>
public sealed class SceneMesh
{
    /// <summary>Wraps <paramref name="data"/>; its content is checked when the renderer uploads it.</summary>
    /// <param name="name">Named in logs and errors (the file path for a loaded model).</param>
    /// <param name="data">Positions, normals, indices and per-submesh base colours, in the mesh's own space.</param>
    public SceneMesh(string name, MeshData data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(data);
        Name = name;
        Data = data;
    }

    /// <summary>What the mesh is (a file path, "terrain valley", …).</summary>
    public string Name { get; }

    /// <summary>The triangles.</summary>
    public MeshData Data { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Data.VertexCount} vertices, {Data.TriangleCount} triangles)";
}

/// <summary>
/// glTF files loaded once per full path and kept as <see cref="SceneMesh"/>es: every instance in the file's
/// default scene transformed and combined (<see cref="GltfModel.ToSceneMesh"/>), submesh colours kept.
/// Not thread-safe; one library per renderer or scene source.
/// </summary>
public sealed class MeshLibrary
{
    private readonly Dictionary<string, SceneMesh> _loaded = new(StringComparer.Ordinal);

    /// <summary>Files loaded so far.</summary>
    public int Count => _loaded.Count;

    /// <summary>
    /// The mesh of the glTF file at <paramref name="path"/> (relative to the working folder unless
    /// absolute), loading it the first time. A failed load is not cached: the next call tries again.
    /// </summary>
    /// <exception cref="GltfException">The file cannot be read, is not a valid supported glTF 2.0 asset, or holds no triangles; the message names the file and the place of the fault.</exception>
    public SceneMesh Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new GltfException(path, "", $"is not a usable path: {ex.Message}", ex);
        }
        if (_loaded.TryGetValue(fullPath, out SceneMesh? mesh)) return mesh;
        GltfModel model = GltfLoader.Load(fullPath);
        MeshData data = model.ToSceneMesh();
        if (data.TriangleCount == 0) throw new GltfException(fullPath, "", "its default scene holds no triangles to draw");
        IReadOnlyList<string> faults = data.FindFaults();
        if (faults.Count > 0) throw new GltfException(fullPath, "", string.Join("; ", faults));
        mesh = new SceneMesh(fullPath, data);
        _loaded.Add(fullPath, mesh);
        return mesh;
    }
}
