using Stage.Core.Configuration;

namespace Stage.Tracking;

/// <summary>Stage configurations read with every tracking protocol of this build (<see cref="TrackingProtocols.All"/>).</summary>
public static class StageConfigFile
{
    /// <summary>Reads and validates the configuration file at <paramref name="path"/>.</summary>
    public static ConfigLoadResult Load(string path) => StageConfigLoader.LoadFile(path, TrackingProtocols.All);

    /// <summary>Reads and validates configuration JSON; relative paths resolve against <paramref name="sourcePath"/>'s folder.</summary>
    public static ConfigLoadResult LoadText(string json, string sourcePath) => StageConfigLoader.LoadText(json, sourcePath, TrackingProtocols.All);
}
