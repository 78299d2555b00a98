using System.Numerics;
using System.Text.Json.Nodes;
using Stage.Core.Configuration;
using Stage.Tests.Shared;

namespace Stage.Core.Tests.Configuration;

/// <summary>The outer cube's face size from the walls' LED density seen from the outer eye, against hand computations.</summary>
public sealed class OuterResolutionTests
{
    private static StageConfig Example(string file) => Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", file)).Config!;

    [Fact]
    public void Demo_flat_needs_1536_px_faces_for_two_LED_pixels_per_texel()
    {
        // By hand: the wall is square to the −Z face at D = 4 m from the eye (0, 1.7, 0); pitch p = 0.5 m / 192.
        // A flat wall parallel to a face maps uniformly, so everywhere on it N = 2·D / (2·p) = 4 × 192 / 0.5 = 1536.
        StageConfig config = Example("demo-flat.json");
        Assert.Equal(1536, OuterResolution.NeededFaceSizePx(config.Walls, config.Render.OuterEyeM), 2);
        OuterFaceChoice choice = OuterResolution.Choose(config);
        Assert.Equal(new OuterFaceChoice(1536, 1536, choice.LedPixelsPerTexel, "walls"), choice);
        Assert.Equal(2.0, choice.LedPixelsPerTexel, 3);
        // Today's 256² default put 12 LED pixels along one texel there.
        Assert.Equal(12.0, 2 * OuterResolution.NeededFaceSizePx(config.Walls, config.Render.OuterEyeM) / 256, 2);
    }

    [Fact]
    public void Volume_270_needs_3696_px_faces_at_the_arc_and_is_capped_at_the_budget()
    {
        // By hand: the arc (radius 10.5 m about the eye's vertical axis) seen square-on at eye height, at a face centre
        // (the arc spans ±135°, so it crosses the ±X and −Z axes): N = 2·10.5 / (2·0.5/176) = 3696. Off the axis the
        // arc stays 10.5 m away while the face's texels shrink ((1 + s²)^{3/4}), so the axis is the densest place.
        // The ceiling, 4.8 m above the eye, needs 4.8 × 352 = 1689.6 at its centre (square to the +Y face) and more
        // towards its edges, seen obliquely on the side faces — still far less than the arc.
        StageConfig config = Example("volume-270.json");
        double needed = OuterResolution.NeededFaceSizePx(config.Walls, config.Render.OuterEyeM);
        Assert.InRange(needed, 3696 * 0.999, 3696.01);
        double ceiling = OuterResolution.NeededFaceSizePx([config.FindWall("ceiling")!], config.Render.OuterEyeM);
        Assert.InRange(ceiling, 1689.6, 3000);
        OuterFaceChoice choice = OuterResolution.Choose(config);
        Assert.Equal(OuterResolution.MaxFaceSizePx, choice.FaceSizePx);
        Assert.Equal(3696, choice.NeededPx);
        Assert.Equal("walls, capped", choice.Source);
        Assert.Equal(2 * 3696.0 / 2048, choice.LedPixelsPerTexel, 2);
        Assert.Contains("capped by the GPU budget", choice.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_face_size_in_the_configuration_wins_and_its_density_is_reported()
    {
        JsonObject root = ConfigFixture.Valid();
        root["render"] = JsonNode.Parse("""{ "outerFaceSizePx": 512 }""");
        StageConfig config = ConfigFixture.Load(root).Config!;
        OuterFaceChoice choice = OuterResolution.Choose(config);
        Assert.Equal(512, choice.FaceSizePx);
        Assert.Equal("configuration", choice.Source);
        double needed = OuterResolution.NeededFaceSizePx(config.Walls, config.Render.OuterEyeM);
        Assert.Equal(2 * needed / 512, choice.LedPixelsPerTexel, 6);
    }

    [Fact]
    public void Walls_far_away_get_the_smallest_face_and_a_farther_eye_needs_more()
    {
        StageConfig config = Example("demo-flat.json");
        // Twice as far from the wall (8 m; the wall, ±4 m wide and −1.5 … +3 m high, stays inside the −Z face): twice the
        // angular density, N = 2·8 / (2·0.5/192) = 3072.
        double far = OuterResolution.NeededFaceSizePx(config.Walls, new Vector3(0, 1.7f, 4));
        Assert.Equal(3072, far, 1);
        // Nearer (2 m) the wall's sides fall on the ±X faces, seen obliquely near the faces' edge: denser than 1536 there.
        Assert.True(OuterResolution.NeededFaceSizePx(config.Walls, new Vector3(0, 1.7f, -2)) > 1536);
        Assert.Equal(OuterResolution.MinFaceSizePx, OuterResolution.Choose(config with { Walls = [] }).FaceSizePx);
    }
}
