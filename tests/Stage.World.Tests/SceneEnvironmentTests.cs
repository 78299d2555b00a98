using Stage.World;

namespace Stage.World.Tests;

/// <summary>A scene's <c>environment</c>: read, resolved against the scene file, and every fault named at its path.</summary>
public sealed class SceneEnvironmentTests
{
    private const string Floor = """{ "name": "floor", "shape": { "kind": "plane", "normal": [0, 1, 0], "offsetM": 0 } }""";

    private static SceneLoadResult Load(string environment, string sourcePath = "env-test.json") =>
        SceneLoader.LoadText($$"""{ "environment": {{environment}}, "entities": [ {{Floor}} ] }""", sourcePath);

    [Fact]
    public void A_scene_without_an_environment_has_none()
    {
        SceneLoadResult loaded = SceneLoader.LoadText($$"""{ "entities": [ {{Floor}} ] }""", "env-test.json");
        Assert.True(loaded.IsValid);
        Assert.Null(loaded.Scene!.Environment);
    }

    [Fact]
    public void The_physical_sky_takes_turbidity_albedo_and_exposure_with_defaults()
    {
        SceneEnvironmentSetting sky = Load("""{ "turbidity": 4.5, "exposureEv": -1 }""").Scene!.Environment!;
        Assert.Null(sky.ImagePath);
        Assert.Equal(4.5, sky.Turbidity);
        Assert.Equal(0.2, sky.GroundAlbedo);
        Assert.Equal(-1, sky.ExposureEv);
        Assert.Contains("physical sky", sky.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_is_resolved_against_the_scene_files_folder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "stage-envscene-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "skies"));
        try
        {
            File.WriteAllText(Path.Combine(dir, "skies", "a.hdr"), "#?RADIANCE\n");
            SceneLoadResult loaded = Load("""{ "image": "skies/a.hdr", "rotationDeg": 45 }""", Path.Combine(dir, "scene.json"));
            Assert.True(loaded.IsValid, string.Join("; ", loaded.Faults));
            Assert.Equal(Path.Combine(dir, "skies", "a.hdr"), loaded.Scene!.Environment!.ImagePath);
            Assert.Equal(45, loaded.Scene.Environment.RotationDeg);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("""{ "image": "missing.hdr" }""", "environment.image", "no file 'missing.hdr'")]
    [InlineData("""{ "turbidity": 12 }""", "environment.turbidity", "10")]
    [InlineData("""{ "groundAlbedo": -0.1 }""", "environment.groundAlbedo", "0")]
    [InlineData("""{ "exposureEv": 99 }""", "environment.exposureEv", "20")]
    [InlineData("""{ "rotationDeg": 10 }""", "environment.rotationDeg", "physical sky follows the sun")]
    [InlineData("""{ "sky": true }""", "environment.sky", "")]
    public void Every_bad_value_is_one_fault_at_its_path(string environment, string path, string message)
    {
        SceneLoadResult loaded = Load(environment);
        Assert.False(loaded.IsValid);
        Assert.Contains(loaded.Faults, f => f.Path == path && f.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void The_environment_is_not_world_state_the_hash_is_the_same_under_any_sky()
    {
        using StageWorld plain = SceneLoader.LoadText($$"""{ "entities": [ {{Floor}} ] }""", "env-test.json").Scene!.Build();
        using StageWorld sky = Load("""{ "turbidity": 6 }""").Scene!.Build();
        Assert.Equal(WorldCodec.Hash(WorldImage.Capture(plain)), WorldCodec.Hash(WorldImage.Capture(sky)));
    }
}
