using System.Numerics;
using System.Text.Json.Nodes;
using Stage.Core.Configuration;

namespace Stage.Core.Tests.Configuration;

/// <summary>The "render" section: outer viewpoint, outer resolution and soft edge; defaults when absent, every fault with its path.</summary>
public sealed class RenderConfigTests
{
    [Fact]
    public void Without_a_render_section_the_outer_view_is_at_head_height_with_a_two_percent_soft_edge()
    {
        StageConfig config = ConfigFixture.Load(ConfigFixture.Valid()).Config!;
        Assert.Equal(new RenderConfig(), config.Render);
        Assert.Equal(new Vector3(0, 1.7f, 0), config.Render.OuterEyeM);
        Assert.Null(config.Render.OuterFaceSizePx); // chosen from the walls (OuterResolution)
        Assert.Equal(4, config.Render.MsaaSamples);
        Assert.Equal(2, config.Render.SoftEdgePercent);
    }

    [Fact]
    public void A_render_section_sets_the_outer_viewpoint_resolution_and_soft_edge()
    {
        JsonObject root = ConfigFixture.Valid();
        root["render"] = JsonNode.Parse("""{ "outerEyeM": [1, 1.5, -2], "outerFaceSizePx": 512, "softEdgePercent": 5 }""");
        RenderConfig render = ConfigFixture.Load(root).Config!.Render;
        Assert.Equal(new RenderConfig { OuterEyeM = new Vector3(1, 1.5f, -2), OuterFaceSizePx = 512, SoftEdgePercent = 5 }, render);

        root["render"] = JsonNode.Parse("""{ "softEdgePercent": 0 }""");
        Assert.Equal(new RenderConfig { SoftEdgePercent = 0 }, ConfigFixture.Load(root).Config!.Render);

        foreach (int samples in new[] { 1, 2, 4, 8 })
        {
            root["render"] = JsonNode.Parse($$"""{ "msaaSamples": {{samples}} }""");
            Assert.Equal(new RenderConfig { MsaaSamples = samples }, ConfigFixture.Load(root).Config!.Render);
        }
    }

    [Fact]
    public void Render_faults_are_named_with_their_path()
    {
        JsonObject root = ConfigFixture.Valid();
        root["render"] = JsonNode.Parse("""{ "outerEyeM": [1, 2], "outerFaceSizePx": 8, "softEdgePercent": 40, "exposure": 1 }""");
        IReadOnlyList<ConfigFault> faults = ConfigFixture.Faults(root);
        ConfigFixture.AssertFault(faults, "render.outerEyeM", "must be three numbers");
        ConfigFixture.AssertFault(faults, "render.outerFaceSizePx", "between 16 and 4096");
        ConfigFixture.AssertFault(faults, "render.softEdgePercent", "at most 25");
        ConfigFixture.AssertFault(faults, "render.exposure", "unknown field");

        root["render"] = JsonNode.Parse("""{ "msaaSamples": 3 }""");
        ConfigFixture.AssertFault(ConfigFixture.Faults(root), "render.msaaSamples", "use 1, 2, 4 or 8");
        root["render"] = JsonNode.Parse("""{ "msaaSamples": 16 }""");
        ConfigFixture.AssertFault(ConfigFixture.Faults(root), "render.msaaSamples", "between 1 and 8");
        root["render"] = JsonNode.Parse("""{ "msaaSamples": 0 }""");
        ConfigFixture.AssertFault(ConfigFixture.Faults(root), "render.msaaSamples", "between 1 and 8");
    }
}
