using System.Text.Json;
using System.Text.Json.Nodes;
using Stage.Render.Imaging;
using Stage.Tests.Shared;

namespace Stage.Cli.Tests;

/// <summary>The scene's environment through the CLI: <c>validate</c>, <c>render --world</c>, <c>world inspect</c>, and a bad .hdr named.</summary>
public sealed class EnvironmentCommandTests : IDisposable
{
    private const string Pose = "0,1.2,2,0,5,0";
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-env-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string TestRigPath => RepositoryPaths.Of("stage-configs", "test-rig.json");

    /// <summary>A one-floor scene with <paramref name="environment"/> (JSON), in the test's folder.</summary>
    private string WriteScene(string environment)
    {
        string path = Path.Combine(_folder, "world.json");
        File.WriteAllText(path, $$"""
            { "environment": {{environment}},
              "entities": [ { "name": "floor", "shape": { "kind": "plane", "normal": [0, 1, 0], "offsetM": 0 },
                              "appearance": { "primitive": "plane", "colorLinear": [0.3, 0.3, 0.3] } } ] }
            """);
        return path;
    }

    /// <summary>The test rig naming <paramref name="scene"/> as its world.</summary>
    private string WriteStage(string scene)
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(TestRigPath), documentOptions: new() { CommentHandling = JsonCommentHandling.Skip })!;
        config["world"] = new JsonObject { ["scene"] = scene };
        string path = Path.Combine(_folder, "stage.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    [Fact]
    public void World_inspect_of_a_scene_shows_its_environment()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string sky = RepositoryPaths.Of("stage-configs", "worlds", "sky.json");
        Assert.Equal(0, StageCli.Run(["world", "inspect", sky], output, error));
        Assert.Contains("environment: physical sky (Preetham) of the world's sun, turbidity 3, ground albedo 0.2", output.ToString());
        var json = new StringWriter();
        Assert.Equal(0, StageCli.Run(["world", "inspect", RepositoryPaths.Of("stage-configs", "worlds", "studio.json"), "--json"], json, error));
        JsonNode environment = JsonNode.Parse(json.ToString())!["environment"]!;
        Assert.Equal("image", (string)environment["kind"]!);
        Assert.EndsWith("studio-yard.hdr", (string)environment["image"]!);
    }

    [Fact]
    public void Validate_prints_the_environment_and_refuses_a_bad_hdr_naming_it()
    {
        File.Copy(RepositoryPaths.Of("stage-configs", "assets", "studio-yard.hdr"), Path.Combine(_folder, "good.hdr"));
        string stage = WriteStage(WriteScene("""{ "image": "good.hdr", "rotationDeg": 90 }"""));
        var output = new StringWriter();
        Assert.Equal(0, StageCli.Run(["validate", stage, "--log-dir", _folder], output, new StringWriter()));
        Assert.Contains("Environment HDR image", output.ToString());
        Assert.Contains("rotation 90°", output.ToString());

        string bad = Path.Combine(_folder, "bad.hdr");
        File.WriteAllText(bad, "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y lots +X many\n");
        stage = WriteStage(WriteScene("""{ "image": "bad.hdr" }"""));
        output = new StringWriter();
        Assert.Equal(1, StageCli.Run(["validate", stage, "--log-dir", _folder], output, new StringWriter()));
        Assert.Contains("environment.image", output.ToString());
        Assert.Contains(bad, output.ToString());
    }

    [Fact]
    public void Render_with_a_bad_or_missing_hdr_is_refused_naming_the_file()
    {
        string bad = Path.Combine(_folder, "bad.hdr");
        File.WriteAllText(bad, "not an image at all");
        var error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["render", TestRigPath, "--pose", Pose, "--out", _folder, "--world", WriteScene("""{ "image": "bad.hdr" }"""), "--log-dir", _folder], new StringWriter(), error));
        Assert.Contains(bad, error.ToString());
        error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["render", TestRigPath, "--pose", Pose, "--out", _folder, "--world", WriteScene("""{ "image": "gone.hdr" }"""), "--log-dir", _folder], new StringWriter(), error));
        Assert.Contains("gone.hdr", error.ToString());
    }

    [Fact]
    public void Render_draws_the_physical_sky_where_the_flat_background_was()
    {
        string scene = WriteScene("""{ "turbidity": 3 }""");
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = StageCli.Run(["render", TestRigPath, "--pose", Pose, "--out", _folder, "--world", scene, "--validate", "--log-dir", _folder], output, error);
        Assert.True(exit == 0, error.ToString() + output);
        Assert.Contains("environment: physical sky (Preetham)", output.ToString());
        PngImage inner = PngCodec.Read(Path.Combine(_folder, "inner-A.png"));
        // The top row is sky: no longer the flat background colour (linear 0.3, 0.45, 0.7 → sRGB ≈ 149, 180, 218), and blue.
        Assert.Equal(8, inner.BitDepth);
        int r = inner[inner.Width / 2, 0, 0], g = inner[inner.Width / 2, 0, 1], b = inner[inner.Width / 2, 0, 2];
        Assert.False(Math.Abs(r - 149) <= 2 && Math.Abs(g - 180) <= 2 && Math.Abs(b - 218) <= 2, $"({r}, {g}, {b}) is the flat background");
        Assert.True(b > r, $"({r}, {g}, {b}) is not a blue sky");
    }
}
