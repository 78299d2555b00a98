using System.Text.Json.Nodes;
using Stage.Render.Imaging;
using Stage.Tests.Shared;
using Xunit.Abstractions;

namespace Stage.Cli.Tests;

/// <summary>
/// The demo street's "bluish stepped patches along the kerbs": its ground, a physics plane at y = 0, was drawn (a body
/// without an appearance gets a grey one) and z-fought with the road mesh lying at the same height. The smallest
/// geometry that shows it: that ground entity, as the generator writes it, under the street's road quad (14 m × 160 m,
/// reaching behind the camera), rendered with <c>stage render --validate</c> on lavapipe.
/// </summary>
public sealed class GroundPlaneRenderTests(ITestOutputHelper log) : IDisposable
{
    private const string Pose = "0,1.7,3,0,0,0";

    private readonly string _folder = Directory.CreateTempSubdirectory("stage-ground-plane-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string TestRigPath => RepositoryPaths.Of("stage-configs", "test-rig.json");

    private static JsonNode Street() => JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("stage-configs", "worlds", "street.json")))!;

    /// <summary>The committed demo street's ground entity (the repository holds exactly what the generator writes).</summary>
    private static JsonObject StreetGround() =>
        (JsonObject)Street()["entities"]!.AsArray().Single(e => (string?)e!["name"] == "ground")!.DeepClone();

    /// <summary>Renders the ground with a red road quad at y = 0 (x ±7 m, z 40 → −120 m); the inner image.</summary>
    private PngImage Render(JsonObject ground, string name)
    {
        string folder = Path.Combine(_folder, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "road.gltf"), RoadGltf());
        var scene = new JsonObject
        {
            ["stepHz"] = 120,
            ["materials"] = Street()["materials"]!.DeepClone(),
            ["entities"] = new JsonArray
            {
                ground.DeepClone(),
                new JsonObject { ["name"] = "road", ["appearance"] = new JsonObject { ["mesh"] = "road.gltf", ["colorLinear"] = new JsonArray(1, 1, 1) } },
            },
        };
        string path = Path.Combine(folder, "world.json");
        File.WriteAllText(path, scene.ToJsonString());
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = StageCli.Run(["render", TestRigPath, "--pose", Pose, "--out", folder, "--world", path, "--validate", "--log-dir", folder], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        return PngCodec.Read(Path.Combine(folder, "inner-A.png"));
    }

    /// <summary>The road's pixels that are not the road's red: the lower third of the image, where every ray meets the road within ~10 m.</summary>
    private static int NotRed(PngImage image)
    {
        int count = 0;
        for (int y = image.Height * 2 / 3; y < image.Height; y++)
        for (int x = 0; x < image.Width; x++)
            if (!(image[x, y, 0] > 3 * Math.Max(image[x, y, 1], image[x, y, 2]) + 10)) count++;
        return count;
    }

    [Fact]
    public void The_demo_ground_is_not_drawn_over_the_road_and_a_drawn_one_would_fight_it()
    {
        JsonObject ground = StreetGround();
        Assert.Equal("none", (string?)ground["appearance"]);
        int notRed = NotRed(Render(ground, "generated"));
        Assert.True(notRed == 0, $"{notRed} pixels of the road are not the road");

        // The control: the same ground drawn (no appearance member: the default grey plane) shows through the road.
        ground.Remove("appearance");
        int fought = NotRed(Render(ground, "drawn"));
        log.WriteLine($"road pixels not red: {notRed} with the generator's ground, {fought} with it drawn");
        Assert.True(fought > 0, "a grey plane at the road's height z-fights with it (the artefact this test guards)");
    }

    /// <summary>A flat quad facing +Y at y = 0, x ±7 m, z from 40 to −120 m (two triangles, as the demo street's road), plain red.</summary>
    private static string RoadGltf()
    {
        float[] positions = [-7, 0, 40, 7, 0, 40, 7, 0, -120, -7, 0, -120];
        float[] normals = [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0];
        ushort[] indices = [0, 1, 2, 0, 2, 3];
        var bytes = new List<byte>();
        foreach (float f in positions) bytes.AddRange(BitConverter.GetBytes(f));
        foreach (float f in normals) bytes.AddRange(BitConverter.GetBytes(f));
        foreach (ushort i in indices) bytes.AddRange(BitConverter.GetBytes(i));
        string data = Convert.ToBase64String(bytes.ToArray());
        return $$"""
            { "asset": { "version": "2.0" },
              "buffers": [ { "byteLength": {{bytes.Count}}, "uri": "data:application/octet-stream;base64,{{data}}" } ],
              "bufferViews": [ { "buffer": 0, "byteOffset": 0, "byteLength": 48 }, { "buffer": 0, "byteOffset": 48, "byteLength": 48 }, { "buffer": 0, "byteOffset": 96, "byteLength": 12 } ],
              "accessors": [
                { "bufferView": 0, "componentType": 5126, "count": 4, "type": "VEC3", "min": [-7, 0, -120], "max": [7, 0, 40] },
                { "bufferView": 1, "componentType": 5126, "count": 4, "type": "VEC3" },
                { "bufferView": 2, "componentType": 5123, "count": 6, "type": "SCALAR" } ],
              "materials": [ { "pbrMetallicRoughness": { "baseColorFactor": [1, 0.02, 0.02, 1], "metallicFactor": 0, "roughnessFactor": 1 } } ],
              "meshes": [ { "primitives": [ { "attributes": { "POSITION": 0, "NORMAL": 1 }, "indices": 2, "material": 0 } ] } ],
              "nodes": [ { "mesh": 0 } ], "scenes": [ { "nodes": [0] } ], "scene": 0 }
            """;
    }
}
