using System.Numerics;
using Stage.Core.Configuration;
using Stage.Tests.Shared;

namespace Stage.Core.Tests.Configuration;

/// <summary>The warning for an outer eye outside the volume the walls enclose.</summary>
public sealed class OuterEyeWarningTests
{
    private static StageConfig Example(string file) => Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", file)).Config!;

    [Fact]
    public void The_test_rigs_eye_above_its_ceiling_is_warned_about_with_the_wall_named()
    {
        // The rig's ceiling hangs at 1.5 m; the default outer eye is at 1.7 m: above it, behind its LEDs.
        StageConfig rig = Example("test-rig.json");
        ConfigFault warning = Assert.Single(ConfigWarnings.Of(rig), w => w.Path == "render.outerEyeM");
        Assert.Contains("outside the volume", warning.Message, StringComparison.Ordinal);
        Assert.Contains("'ceiling'", warning.Message, StringComparison.Ordinal);
        Assert.Equal("ceiling", OuterResolution.WallBehindEye(rig.Walls, rig.Render.OuterEyeM)!.Id);
    }

    [Theory]
    [InlineData(0.0f, 1.0f, 0.0f, null)]          // inside: under the ceiling, in front of the wall, inside the curve
    [InlineData(0.0f, 1.0f, -2.5f, "front")]      // behind the front wall
    public void An_eye_inside_the_walls_is_not_warned_about_and_one_behind_a_wall_names_it(float x, float y, float z, string? wall)
    {
        StageConfig rig = Example("test-rig.json");
        StageConfig moved = rig with { Render = rig.Render with { OuterEyeM = new Vector3(x, y, z) } };
        Assert.Equal(wall, OuterResolution.WallBehindEye(moved.Walls, moved.Render.OuterEyeM)?.Id);
        Assert.Equal(wall is not null, ConfigWarnings.Of(moved).Any(w => w.Path == "render.outerEyeM"));
    }

    [Fact]
    public void An_eye_behind_the_curved_wall_names_it()
    {
        StageConfig rig = Example("test-rig.json");
        Wall curve = rig.FindWall("curve")!;
        double column = curve.PixelWidth / 2.0, row = curve.PixelHeight / 2.0;
        // Half a metre behind the middle of the curve, level with it.
        Vector3 eye = curve.GridPointM(column, row) - 0.5f * curve.NormalAt(column, row);
        Assert.Equal("curve", OuterResolution.WallBehindEye(rig.Walls, eye)?.Id);
    }

    [Theory]
    [InlineData("demo-flat.json")]
    [InlineData("volume-270.json")]
    public void The_example_stages_eyes_are_inside(string file) =>
        Assert.DoesNotContain(ConfigWarnings.Of(Example(file)), w => w.Path == "render.outerEyeM");
}
