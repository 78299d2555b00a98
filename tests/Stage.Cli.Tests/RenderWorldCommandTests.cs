using System.Numerics;
using System.Text.Json.Nodes;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Render.Imaging;
using Stage.Render.Projection;
using Stage.Tests.Shared;

namespace Stage.Cli.Tests;

/// <summary><c>stage render … --world &lt;scene&gt; --at &lt;seconds&gt;</c>: the simulated world drawn where projection says, at the time asked for.</summary>
public sealed class RenderWorldCommandTests : IDisposable
{
    private const string Pose = "0,0.55,0.4,0,0,0";
    private static readonly Vector3 SphereAtHalfSecondM = new(0f, 0.55f, -1.1f);
    private static readonly Vector3 CubeM = new(-0.35f, 0.45f, -1.2f);

    private readonly string _folder = Directory.CreateTempSubdirectory("stage-render-world-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string TestRigPath => RepositoryPaths.Of("stage-configs", "test-rig.json");

    /// <summary>
    /// A floor, a red floating sphere that moves 0.2 m/s along +X from x = −0.1 (at x = 0 after 0.5 s), and a
    /// 10 cm blue glTF cube (no body) beside it, from <c>cube.gltf</c> in the scene's folder.
    /// </summary>
    private string WriteScene(string meshFile = "cube.gltf")
    {
        File.WriteAllText(Path.Combine(_folder, "cube.gltf"), SmallCubeGltf(0.05f));
        var scene = new JsonObject
        {
            ["stepHz"] = 120,
            ["entities"] = new JsonArray
            {
                new JsonObject { ["name"] = "floor", ["body"] = "static", ["shape"] = new JsonObject { ["kind"] = "plane" },
                    ["appearance"] = new JsonObject { ["primitive"] = "plane", ["colorLinear"] = new JsonArray(0.3, 0.3, 0.3) } },
                new JsonObject { ["name"] = "ball", ["body"] = "dynamic", ["shape"] = new JsonObject { ["kind"] = "sphere", ["radiusM"] = 0.05 },
                    ["positionM"] = new JsonArray(-0.1, 0.55, -1.1), ["linearVelocityMps"] = new JsonArray(0.2, 0, 0),
                    ["overrides"] = new JsonObject { ["floats"] = true },
                    ["appearance"] = new JsonObject { ["primitive"] = "sphere", ["colorLinear"] = new JsonArray(1, 0.02, 0.02) } },
                new JsonObject { ["name"] = "prop", ["positionM"] = new JsonArray(CubeM.X, CubeM.Y, CubeM.Z),
                    ["appearance"] = new JsonObject { ["mesh"] = meshFile, ["colorLinear"] = new JsonArray(1, 1, 1) } },
            },
        };
        string path = Path.Combine(_folder, "world.json");
        File.WriteAllText(path, scene.ToJsonString());
        return path;
    }

    /// <summary>A glTF cube of half size <paramref name="halfM"/>, blue, 8 shared vertices without normals (the loader computes flat ones).</summary>
    private static string SmallCubeGltf(float halfM)
    {
        var bytes = new List<byte>();
        for (var v = 0; v < 8; v++)
        {
            foreach (float c in new[] { (v & 1) == 0 ? -halfM : halfM, (v & 2) == 0 ? -halfM : halfM, (v & 4) == 0 ? -halfM : halfM })
                bytes.AddRange(BitConverter.GetBytes(c));
        }
        ushort[] indices = [0, 2, 1, 1, 2, 3, 4, 5, 6, 5, 7, 6, 0, 1, 4, 1, 5, 4, 2, 6, 3, 3, 6, 7, 0, 4, 2, 2, 4, 6, 1, 3, 5, 3, 7, 5];
        foreach (ushort i in indices) bytes.AddRange(BitConverter.GetBytes(i));
        string data = Convert.ToBase64String(bytes.ToArray());
        return $$"""
            { "asset": { "version": "2.0" },
              "buffers": [ { "byteLength": {{bytes.Count}}, "uri": "data:application/octet-stream;base64,{{data}}" } ],
              "bufferViews": [ { "buffer": 0, "byteOffset": 0, "byteLength": 96 }, { "buffer": 0, "byteOffset": 96, "byteLength": 72 } ],
              "accessors": [
                { "bufferView": 0, "componentType": 5126, "count": 8, "type": "VEC3" },
                { "bufferView": 1, "componentType": 5123, "count": 36, "type": "SCALAR" } ],
              "materials": [ { "pbrMetallicRoughness": { "baseColorFactor": [0.02, 0.02, 1, 1] } } ],
              "meshes": [ { "primitives": [ { "attributes": { "POSITION": 0 }, "indices": 1, "material": 0 } ] } ],
              "nodes": [ { "mesh": 0 } ], "scenes": [ { "nodes": [0] } ], "scene": 0 }
            """;
    }

    /// <summary>Centroid of the pixels where channel <paramref name="channel"/> stands out over the other two (weight: its excess).</summary>
    private static Vector2? Centroid(PngImage image, int channel, Func<int, int, bool>? include = null)
    {
        double sum = 0, sx = 0, sy = 0;
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        {
            if (include is not null && !include(x, y)) continue;
            int others = Math.Max(image[x, y, (channel + 1) % 3], image[x, y, (channel + 2) % 3]);
            double w = Math.Max(0, image[x, y, channel] - others - 60);
            sum += w;
            sx += w * (x + 0.5);
            sy += w * (y + 0.5);
        }
        return sum > 0 ? new Vector2((float)(sx / sum), (float)(sy / sum)) : null;
    }

    private static Vector2 InnerPixel(StageConfig config, Vector3 pointM)
    {
        CameraConfig camera = config.Cameras[0];
        Assert.True(Stage.Cli.RenderCommand.TryParsePose(Pose, out Pose pose, out _));
        LensProjection lens = LensProjection.ForCamera(camera, pose, camera.FocalLengthMm);
        Vector3 ndc = ClipSpace.Project(pointM, lens.ViewProjection);
        return new Vector2((ndc.X + 1) / 2 * camera.InnerWidthPx, (ndc.Y + 1) / 2 * camera.InnerHeightPx);
    }

    [Fact]
    public void The_world_at_the_given_time_appears_in_the_inner_image_and_on_the_wall_where_projection_says_with_its_gltf_mesh()
    {
        string scene = WriteScene();
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = StageCli.Run(["render", TestRigPath, "--pose", Pose, "--out", _folder, "--world", scene, "--at", "0.5", "--validate", "--log-dir", _folder], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        Assert.Contains("step 60 (0.5 s at 120 Hz), 3 of 3 entities drawn", output.ToString());

        StageConfig config = Stage.Tracking.StageConfigFile.Load(TestRigPath).Config!;
        PngImage inner = PngCodec.Read(Path.Combine(_folder, "inner-A.png"));
        Vector2 expected = InnerPixel(config, SphereAtHalfSecondM);
        Vector2 found = Centroid(inner, 0) ?? throw new Xunit.Sdk.XunitException("the red sphere is not in the inner image");
        Assert.True(Vector2.Distance(expected, found) < 1.5f, $"sphere at inner {found}, projection says {expected}");

        Vector2 expectedCube = InnerPixel(config, CubeM);
        Vector2 foundCube = Centroid(inner, 2, (x, y) => Vector2.Distance(new Vector2(x + 0.5f, y + 0.5f), expectedCube) < 6) ?? throw new Xunit.Sdk.XunitException("the blue glTF cube is not in the inner image");
        Assert.True(Vector2.Distance(expectedCube, foundCube) < 1.5f, $"cube at inner {foundCube}, projection says {expectedCube}");

        // On the front wall: where the line from the camera's eye through the sphere crosses it.
        Wall front = config.FindWall("front")!;
        OutputCanvas canvas = config.Outputs.Single(o => o.Regions.Any(r => r.WallId == "front"));
        OutputRegion region = canvas.Regions.Single(r => r.WallId == "front");
        Assert.True(Stage.Cli.RenderCommand.TryParsePose(Pose, out Pose pose, out _));
        LensProjection lens = LensProjection.ForCamera(config.Cameras[0], pose, config.Cameras[0].FocalLengthMm);
        Vector2 hit = CanvasMapping.WallHit(front, lens.Eye.PositionM, SphereAtHalfSecondM)!.Value;
        var onCanvas = new Vector2(region.CanvasX - region.WallRect.X + hit.X, region.CanvasY - region.WallRect.Y + hit.Y);
        PngImage wall = PngCodec.Read(Path.Combine(_folder, canvas.Id + ".png"));
        Vector2 foundOnWall = Centroid(wall, 0, (x, y) => Vector2.Distance(new Vector2(x + 0.5f, y + 0.5f), onCanvas) < 8) ?? throw new Xunit.Sdk.XunitException("the sphere is not on the wall");
        Assert.True(Vector2.Distance(onCanvas, foundOnWall) < 1.5f, $"sphere on the canvas at {foundOnWall}, expected {onCanvas}");
    }

    [Fact]
    public void The_world_named_by_the_stage_configuration_is_drawn_when_none_is_given_and_at_defaults_to_zero()
    {
        string scene = WriteScene();
        JsonNode config = JsonNode.Parse(File.ReadAllText(TestRigPath), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        config["world"] = new JsonObject { ["scene"] = scene };
        config["takes"] = new JsonObject { ["database"] = "takes.sqlite" };
        string stagePath = Path.Combine(_folder, "stage.json");
        File.WriteAllText(stagePath, config.ToJsonString());
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = StageCli.Run(["render", stagePath, "--pose", Pose, "--out", _folder, "--validate", "--log-dir", _folder], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        Assert.Contains($"world {scene}: step 0 (0 s at 120 Hz)", output.ToString());
        // At time 0 the sphere is still 10 cm left of where it is at 0.5 s.
        Vector2 found = Centroid(PngCodec.Read(Path.Combine(_folder, "inner-A.png")), 0) ?? throw new Xunit.Sdk.XunitException("no sphere");
        Vector2 expected = InnerPixel(Stage.Tracking.StageConfigFile.Load(TestRigPath).Config!, SphereAtHalfSecondM - new Vector3(0.1f, 0, 0));
        Assert.True(Vector2.Distance(expected, found) < 1.5f, $"sphere at inner {found}, projection says {expected}");
    }

    [Fact]
    public void A_scene_with_faults_is_refused_with_every_fault_and_its_path()
    {
        string path = Path.Combine(_folder, "broken.json");
        File.WriteAllText(path, """{ "entities": [ { "name": "a", "shape": { "kind": "sphere", "radiusM": -1 } }, { "name": "b", "appearance": { "primitive": "cone" } } ] }""");
        var error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["render", TestRigPath, "--pose", Pose, "--out", _folder, "--world", path], new StringWriter(), error));
        Assert.Contains($"{path} has 3 faults", error.ToString());
        Assert.Contains("entities[0].shape.radiusM", error.ToString());
        Assert.Contains("entities[1].appearance.primitive", error.ToString());
        Assert.False(File.Exists(Path.Combine(_folder, "inner-A.png")));
    }

    [Fact]
    public void A_bad_mesh_file_is_refused_naming_the_entity_the_file_and_the_fault()
    {
        File.WriteAllText(Path.Combine(_folder, "bad.gltf"), "{ \"asset\": { \"version\": \"2.0\" },\n \"meshes\": [ { \"primitives\": [ { \"attributes\": { \"POSITION\": 3 } } ] } ] }");
        string scene = WriteScene("bad.gltf");
        var error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["render", TestRigPath, "--pose", Pose, "--out", _folder, "--world", scene], new StringWriter(), error));
        string text = error.ToString();
        Assert.Contains("'prop'", text);
        Assert.Contains(Path.Combine(_folder, "bad.gltf"), text);
        Assert.Contains("meshes[0].primitives[0].attributes.POSITION", text);
    }

    [Fact]
    public void At_needs_a_world_and_a_time_of_zero_or_more()
    {
        var error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["render", TestRigPath, "--pose", Pose, "--out", _folder, "--at", "2"], new StringWriter(), error));
        Assert.Contains("--at needs a world", error.ToString());
        error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["render", TestRigPath, "--pose", Pose, "--out", _folder, "--world", WriteScene(), "--at", "-1"], new StringWriter(), error));
        Assert.Contains("must be a time of 0 seconds or more", error.ToString());
    }
    [Fact]
    public void Make_demo_writes_the_street_world_and_it_renders_with_the_validation_layer_silent()
    {
        // The generator through the CLI into a fresh folder, then the whole street drawn (textured and untextured
        // pipelines, masked leaves and their shadows, sorted shelter glass) on the test rig with validation on.
        string worlds = Path.Combine(_folder, "worlds");
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(StageCli.Run(["world", "make-demo", worlds], output, error) == 0, error.ToString());
        Assert.Contains("11 files", output.ToString());
        string scene = Path.Combine(worlds, "street.json");
        Assert.True(File.Exists(Path.Combine(worlds, "street", "car.glb")));

        output = new StringWriter();
        error = new StringWriter();
        int exit = StageCli.Run(["render", TestRigPath, "--pose", "0,1.6,4,0,0,0", "--out", _folder, "--world", scene, "--at", "1", "--validate", "--log-dir", _folder], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        // Every entity but the ground, a collision-only plane (appearance "none": the street mesh shows the ground).
        System.Text.RegularExpressions.Match drawn = System.Text.RegularExpressions.Regex.Match(output.ToString(), @"(\d+) of (\d+) entities drawn");
        Assert.True(drawn.Success, output.ToString());
        Assert.Equal(int.Parse(drawn.Groups[2].Value) - 1, int.Parse(drawn.Groups[1].Value));
        // A picture, not a flat colour: the street, buildings and sky span most of the 8-bit range.
        PngImage inner = PngCodec.Read(Path.Combine(_folder, "inner-A.png"));
        int min = 255, max = 0;
        for (int y = 0; y < inner.Height; y++)
        for (int x = 0; x < inner.Width; x++)
        {
            min = Math.Min(min, inner[x, y, 1]);
            max = Math.Max(max, inner[x, y, 1]);
        }
        Assert.True(max - min > 120, $"the street's picture spans {min}..{max}");
    }
}
