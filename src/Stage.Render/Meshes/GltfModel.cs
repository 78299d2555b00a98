using System.Numerics;

namespace Stage.Render.Meshes;

/// <summary>
/// A glTF file or GLB container cannot be loaded. The message names the file, the place in the asset
/// (a JSON path such as <c>meshes[0].primitives[1].attributes.POSITION</c>, a line and column of the JSON,
/// or a byte offset of the container) and what is wrong there.
/// </summary>
public sealed class GltfException : Exception
{
    /// <summary>Creates the exception; <paramref name="place"/> may be empty when the fault is the whole file.</summary>
    public GltfException(string sourceName, string place, string detail, Exception? inner = null)
        : base(place.Length == 0 ? $"{sourceName}: {detail}" : $"{sourceName}: {place}: {detail}", inner)
    {
        SourceName = sourceName;
        Place = place;
        Detail = detail;
    }

    /// <summary>The file (or the name given for bytes loaded from memory).</summary>
    public string SourceName { get; }

    /// <summary>Where in the asset: a JSON path, a line and column, or a byte offset; empty for the whole file.</summary>
    public string Place { get; }

    /// <summary>What is wrong there.</summary>
    public string Detail { get; }
}

/// <summary>One glTF mesh as a <see cref="MeshData"/> in the mesh's own space: one submesh per triangle primitive.</summary>
/// <param name="Index">Index in the asset's <c>meshes</c> array.</param>
/// <param name="Name">The mesh's name, if it has one.</param>
/// <param name="Mesh">Its triangles, one submesh (with the material's base colour) per primitive that has positions.</param>
public sealed record GltfMesh(int Index, string? Name, MeshData Mesh);

/// <summary>A node of the loaded scene that draws a mesh, with the node's global transform.</summary>
/// <param name="NodeIndex">Index in the asset's <c>nodes</c> array.</param>
/// <param name="NodeName">The node's name, if it has one.</param>
/// <param name="MeshIndex">Index into <see cref="GltfModel.Meshes"/>.</param>
/// <param name="MeshToModel">
/// The node's global transform (parents' transforms composed), a System.Numerics row-vector matrix:
/// model point = mesh point · MeshToModel. glTF space is stage space (+Y up, metres, right-handed).
/// </param>
public readonly record struct GltfMeshInstance(int NodeIndex, string? NodeName, int MeshIndex, Matrix4x4 MeshToModel);

/// <summary>What <see cref="GltfLoader"/> returns: the meshes, and where the chosen scene places them.</summary>
public sealed class GltfModel
{
    /// <summary>Creates the model.</summary>
    public GltfModel(string sourceName, int? sceneIndex, IReadOnlyList<GltfMesh> meshes, IReadOnlyList<GltfMeshInstance> instances)
    {
        SourceName = sourceName;
        SceneIndex = sceneIndex;
        Meshes = meshes;
        Instances = instances;
    }

    /// <summary>The file it came from.</summary>
    public string SourceName { get; }

    /// <summary>The scene whose nodes <see cref="Instances"/> lists; null when the asset has no scenes.</summary>
    public int? SceneIndex { get; }

    /// <summary>Every mesh of the asset, indexed as the asset's <c>meshes</c> array.</summary>
    public IReadOnlyList<GltfMesh> Meshes { get; }

    /// <summary>Every node of the scene that draws a mesh, depth first in the order the asset lists them.</summary>
    public IReadOnlyList<GltfMeshInstance> Instances { get; }

    /// <summary>
    /// Every instance's mesh moved by its transform and combined into one mesh in model space (submeshes
    /// keep their colours, in instance order). Instances whose transform is not invertible (a zero scale)
    /// draw nothing and are left out, as are those whose composed transform overflows a float.
    /// </summary>
    public MeshData ToSceneMesh()
    {
        var parts = new List<MeshData>();
        foreach (GltfMeshInstance instance in Instances)
        {
            Matrix4x4 m = instance.MeshToModel;
            bool finite = float.IsFinite(m.M11 + m.M12 + m.M13 + m.M14 + m.M21 + m.M22 + m.M23 + m.M24
                + m.M31 + m.M32 + m.M33 + m.M34 + m.M41 + m.M42 + m.M43 + m.M44);
            if (!finite || !Matrix4x4.Invert(m, out _)) continue;
            parts.Add(Meshes[instance.MeshIndex].Mesh.Transformed(instance.MeshToModel));
        }
        return MeshData.Combine(parts);
    }
}
