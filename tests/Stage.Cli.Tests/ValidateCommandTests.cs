using System.Text.Json;
using Stage.Tests.Shared;

namespace Stage.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "stage-cli-test-" + Guid.NewGuid().ToString("N"));

    public ValidateCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = StageCli.Run([.. args, "--log-dir", Path.Combine(_folder, "logs")], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void A_valid_stage_prints_its_summary_and_exits_0()
    {
        (int exit, string output, _) = Run("validate", RepositoryPaths.Of("stage-configs", "demo-flat.json"));
        Assert.Equal(0, exit);
        Assert.Contains("Stage 'Demo flat wall' is valid", output);
        Assert.Contains("main  flat  8.000 × 4.500 m  3072 × 1728 px  pitch 2.60 mm", output);
        Assert.Contains("out-1  3840 × 2160 px  10-bit", output);
        Assert.Contains("colour linear rec709, peak 100 nits, white 100 nits", output);
        Assert.Contains("Colour      scene-linear rec709", output);
        Assert.Contains("wall main x 0–3071, y 0–1727 → canvas x 0–3071, y 0–1727", output);
        Assert.Contains("A  35 mm on a 36.70 × 25.54 mm sensor", output);
        Assert.Contains("tracked by osc-tracker (osc", output);
    }

    [Fact]
    public void Non_square_inner_pixels_are_a_warning_that_names_the_camera_and_the_matching_height()
    {
        string config = Path.Combine(_folder, "wide.json");
        File.WriteAllText(config, File.ReadAllText(RepositoryPaths.Of("stage-configs", "demo-flat.json")).Replace("[1920, 1336]", "[1920, 1080]"));
        (int exit, string output, _) = Run("validate", config);
        Assert.Equal(0, exit);
        Assert.Contains("Warnings (1; the stage runs as it is)", output);
        Assert.Contains("cameras[0].innerResolution: 1920 × 1080 px has aspect 1.778, but the sensor (36.7 × 25.54 mm, overscanned alike) has 1.437", output);
        Assert.Contains("for square pixels use [1920, 1336]", output);

        (exit, output, _) = Run("validate", config, "--json");
        Assert.Equal(0, exit);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement warning = Assert.Single(json.RootElement.GetProperty("warnings").EnumerateArray());
        Assert.Equal("cameras[0].innerResolution", warning.GetProperty("path").GetString());

        (exit, output, _) = Run("validate", RepositoryPaths.Of("stage-configs", "demo-flat.json"));
        Assert.DoesNotContain("Warnings", output);
    }

    [Fact]
    public void The_outer_view_size_chosen_from_the_walls_and_the_msaa_samples_are_printed()
    {
        (int exit, string output, _) = Run("validate", RepositoryPaths.Of("stage-configs", "demo-flat.json"));
        Assert.Equal(0, exit);
        Assert.Contains("Render      4× MSAA, 2 frames in flight, soft edge 2 %, outer eye [0, 1.7, 0] m", output);
        Assert.Contains("outer view: 1536² per cube face, chosen from the walls (2.0 LED px per texel at the densest wall point)", output);

        (exit, output, _) = Run("validate", RepositoryPaths.Of("stage-configs", "volume-270.json"), "--json");
        Assert.Equal(0, exit);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement render = json.RootElement.GetProperty("stage").GetProperty("render");
        Assert.Equal(2048, render.GetProperty("outerFaceSizePx").GetInt32());
        Assert.Equal(3696, render.GetProperty("outerNeededFaceSizePx").GetInt32());
        Assert.Equal("walls, capped", render.GetProperty("outerFaceSizeSource").GetString());
    }

    [Fact]
    public void An_outer_eye_outside_the_volume_is_a_warning_the_test_rig_shows()
    {
        // The rig's ceiling hangs at 1.5 m, below the default outer eye (1.7 m): kept so, as this warning's example.
        (int exit, string output, _) = Run("validate", RepositoryPaths.Of("stage-configs", "test-rig.json"));
        Assert.Equal(0, exit);
        Assert.Contains("Warnings (1; the stage runs as it is)", output);
        Assert.Contains("render.outerEyeM: the outer eye [0, 1.7, 0] lies outside the volume: it is behind wall 'ceiling' (ceiling)", output);
    }

    [Fact]
    public void Json_output_carries_the_same_summary_for_scripts()
    {
        (int exit, string output, _) = Run("validate", RepositoryPaths.Of("stage-configs", "volume-270.json"), "--json");
        Assert.Equal(0, exit);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement stage = json.RootElement.GetProperty("stage");
        Assert.True(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal("24000/1001", stage.GetProperty("frameRateRational").GetString());
        JsonElement arc = stage.GetProperty("walls")[0];
        Assert.Equal("curved", arc.GetProperty("kind").GetString());
        Assert.Equal(17424, arc.GetProperty("pixelWidth").GetInt32());
        Assert.Equal(9, stage.GetProperty("outputs").GetArrayLength());
        Assert.Equal("B", stage.GetProperty("cameras")[1].GetProperty("id").GetString());
    }

    [Fact]
    public void A_broken_stage_prints_every_fault_with_its_path_and_exits_1()
    {
        string config = Path.Combine(_folder, "broken.json");
        File.WriteAllText(config, """
        {
          "name": "Broken", "frameRate": 25, "typo": 1,
          "walls": [ { "id": "w", "kind": "flat", "panel": { "sizeM": [0.5, 0.5], "pixels": [10, 0] }, "centreM": [0, 1, -3], "sizeM": [1, 1] } ],
          "outputs": [ { "id": "o", "pixels": [20, 20], "regions": [ { "wall": "x", "wallPixels": [0, 0, 20, 20] } ] } ],
          "cameras": [ { "id": "A", "sensorMm": [36, 24], "focalLengthMm": 35, "innerResolution": [64, 48], "source": "none" } ],
          "tracking": []
        }
        """);
        (int exit, string output, _) = Run("validate", config);
        Assert.Equal(1, exit);
        Assert.Contains("4 faults", output);
        Assert.Contains("typo: unknown field", output);
        Assert.Contains("walls[0].panel.pixels: must be two positive integers", output);
        Assert.Contains("outputs[0].regions[0].wall: names wall 'x', which does not exist", output);
        Assert.Contains("cameras[0].source: names tracking source 'none', which does not exist", output);

        (exit, output, _) = Run("validate", config, "--json");
        Assert.Equal(1, exit);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(4, json.RootElement.GetProperty("faults").GetArrayLength());
        Assert.Equal("typo", json.RootElement.GetProperty("faults")[0].GetProperty("path").GetString());
    }

    [Fact]
    public void Validate_writes_to_the_shoot_day_log()
    {
        Run("validate", RepositoryPaths.Of("stage-configs", "test-rig.json"));
        string log = Assert.Single(Directory.GetFiles(Path.Combine(_folder, "logs"), "stage-*.log"));
        Assert.Contains("is valid", File.ReadAllText(log));
    }

    [Fact]
    public void Help_and_version_answer_and_exit_0()
    {
        (int exit, string output, _) = Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("validate", output);
        (exit, output, _) = Run("validate", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--json", output);
        // Under the test host the entry assembly is the runner, so --version itself is checked through tools/stage in CI;
        // here: the version the CLI reports is the one the build stamps.
        Assert.Equal(0, StageCli.Run(["--version"], new StringWriter(), new StringWriter()));
        Assert.StartsWith("0.1.0", StageCli.Version);
    }

    [Fact]
    public void A_wrong_command_line_exits_2_with_a_hint()
    {
        (int exit, _, string error) = Run("validat");
        Assert.Equal(2, exit);
        Assert.Contains("stage --help", error);
        (exit, _, error) = Run("validate");
        Assert.Equal(2, exit);
    }
}
