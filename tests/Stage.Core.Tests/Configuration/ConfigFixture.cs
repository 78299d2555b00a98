using System.Text.Json.Nodes;
using Stage.Core.Configuration;

namespace Stage.Core.Tests.Configuration;

/// <summary>A small valid stage as a JSON tree that each test breaks in one way.</summary>
internal static class ConfigFixture
{
    public const string ValidJson = """
    {
      "name": "Fixture",
      "frameRate": "25",
      "walls": [
        { "id": "front", "kind": "flat", "panel": { "sizeM": [0.5, 0.5], "pixels": [10, 10] }, "centreM": [0, 1, -3], "sizeM": [2.0, 1.0] },
        { "id": "arc", "kind": "curved", "panel": { "sizeM": [0.5, 0.5], "pixels": [10, 10] }, "centreM": [0, 0, 0], "radiusM": 1.9153, "startDeg": 45, "endDeg": 135, "heightM": 1.0, "columns": 6 }
      ],
      "outputs": [
        { "id": "o1", "pixels": [100, 40], "regions": [
          { "wall": "front", "wallPixels": [0, 0, 40, 20], "canvasOffset": [0, 0] },
          { "wall": "arc", "wallPixels": [0, 0, 60, 20], "canvasOffset": [40, 0] }
        ] }
      ],
      "cameras": [ { "id": "A", "sensorMm": [36, 24], "focalLengthMm": 35, "innerResolution": [64, 48], "source": "t1" } ],
      "tracking": [
        { "id": "t1", "kind": "osc", "port": 9000, "addresses": { "pose": "/cam/{camera}/pose" } },
        { "id": "t2", "kind": "freed", "port": 40000, "zoomCalibration": [[0, 20], [1000, 50]] },
        { "id": "t3", "kind": "opentrackio" }
      ],
      "control": { "port": 8000 }
    }
    """;

    public static JsonObject Valid() => JsonNode.Parse(ValidJson)!.AsObject();

    public static ConfigLoadResult Load(JsonNode node) => Stage.Tracking.StageConfigFile.LoadText(node.ToJsonString(), "/tmp/fixture/stage.json");

    public static IReadOnlyList<ConfigFault> Faults(JsonNode node)
    {
        ConfigLoadResult result = Load(node);
        Assert.False(result.IsValid, "expected faults, but the configuration was accepted");
        return result.Faults;
    }

    /// <summary>Asserts one fault exists at <paramref name="path"/> whose message contains <paramref name="fragment"/>.</summary>
    public static void AssertFault(IReadOnlyList<ConfigFault> faults, string path, string fragment)
    {
        Assert.True(faults.Any(f => f.Path == path && f.Message.Contains(fragment, StringComparison.Ordinal)),
            $"no fault at '{path}' containing '{fragment}'; faults were:\n{string.Join("\n", faults)}");
    }
}
