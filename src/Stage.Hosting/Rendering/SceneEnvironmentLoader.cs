using Stage.Render.Sky;
using Stage.World;

namespace Stage.Hosting.Rendering;

/// <summary>Turns a scene's <c>environment</c> setting into the renderer's <see cref="SceneEnvironment"/>, decoding its image once.</summary>
public static class SceneEnvironmentLoader
{
    /// <summary>
    /// The renderer's environment for <paramref name="setting"/> (null for none). An image that cannot be read or decoded
    /// throws <see cref="EnvironmentImageException"/> naming the file — at load, never mid-run.
    /// </summary>
    public static SceneEnvironment? Load(SceneEnvironmentSetting? setting)
    {
        if (setting is null) return null;
        if (setting.ImagePath is { } path) return SceneEnvironment.FromImage(path, setting.RotationDeg, setting.ExposureEv);
        return new SceneEnvironment { Turbidity = setting.Turbidity, GroundAlbedo = setting.GroundAlbedo, ExposureEv = setting.ExposureEv };
    }

    /// <summary>The environment of the scene file at <paramref name="scenePath"/> (null when it has none, or the file is missing or faulty).</summary>
    public static SceneEnvironment? LoadFromScene(string? scenePath)
    {
        if (scenePath is null || !File.Exists(scenePath)) return null;
        SceneLoadResult loaded = SceneLoader.LoadFile(scenePath);
        return loaded.IsValid ? Load(loaded.Scene!.Environment) : null;
    }
}
