using Stage.Core.Configuration;
using Stage.Tests.Shared;

namespace Stage.Core.Tests.Configuration;

public class ExampleStagesTests
{
    public static IEnumerable<object[]> Examples() =>
        Directory.GetFiles(RepositoryPaths.Of("stage-configs"), "*.json").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_stage_is_valid_without_warnings(string file)
    {
        ConfigLoadResult result = Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", file));
        Assert.True(result.IsValid, string.Join("\n", result.Faults));
        // A crew copies the examples: they must not teach non-square inner pixels or an outer eye outside the volume.
        // The one exception is deliberate: the test rig (a fixture for tests, not a stage to copy) keeps its default
        // outer eye above its 1.5 m ceiling as the example of that warning (docs/renderer.md).
        if (file == "test-rig.json")
            Assert.Equal("render.outerEyeM", Assert.Single(result.Warnings).Path);
        else
            Assert.Empty(result.Warnings);
    }

    [Fact]
    public void The_demo_flat_wall_is_8_by_4_5_metres_at_2_6_mm()
    {
        StageConfig config = Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "demo-flat.json")).Config!;
        Wall wall = Assert.Single(config.Walls);
        Assert.Equal(8.0, wall.WidthM, 6);
        Assert.Equal(4.5, wall.HeightM, 6);
        Assert.Equal(2.6, wall.Panel.PitchXMm, 1);
        Assert.Equal((3072, 1728), (wall.PixelWidth, wall.PixelHeight));
    }

    [Fact]
    public void The_volume_is_a_270_degree_arc_over_20_metres_across_with_a_ceiling_and_many_4k_outputs()
    {
        StageConfig config = Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "volume-270.json")).Config!;
        CurvedWall arc = Assert.Single(config.Walls.OfType<CurvedWall>());
        Assert.Equal(270, arc.SpanDeg, 6);
        Assert.True(2 * arc.RadiusM >= 20);
        Assert.Equal(6.0, arc.HeightM, 6);
        Assert.Equal(2.8, arc.Panel.PitchXMm, 1);
        Assert.Contains(config.Walls, w => w.Kind == "ceiling");
        Assert.True(config.Outputs.Count >= 8);
        Assert.All(config.Outputs, o => Assert.Equal((3840, 2160), (o.PixelWidth, o.PixelHeight)));
    }

    [Fact]
    public void The_test_rig_is_small_enough_for_gpu_tests()
    {
        StageConfig config = Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "test-rig.json")).Config!;
        Assert.All(config.Outputs, o => Assert.True(o.Bounds.Area <= 256 * 256));
        Assert.Contains(config.Walls, w => w is CurvedWall);
        Assert.Contains(config.Walls, w => w is FlatWall { IsCeiling: true });
    }
}
