using System.Text.Json.Nodes;
using Stage.Core.Configuration;
using Stage.Tests.Shared;

namespace Stage.Cluster.Tests;

public sealed class ClusterConfigTests
{
    private static ConfigLoadResult Load(string cluster)
    {
        var root = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("stage-configs", "cluster-270.json")))!.AsObject();
        root["cluster"] = JsonNode.Parse(cluster);
        return Stage.Tracking.StageConfigFile.LoadText(root.ToJsonString(), RepositoryPaths.Of("stage-configs", "cluster-270.json"));
    }

    [Fact]
    public void The_example_cluster_is_read_with_its_nodes_and_primary()
    {
        ConfigLoadResult loaded = Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "cluster-270.json"));
        Assert.True(loaded.IsValid, string.Join("; ", loaded.Faults));
        ClusterConfig cluster = loaded.Config!.Cluster!;
        Assert.Equal("primary", cluster.PrimaryId);
        Assert.Equal(4, cluster.Nodes.Count);
        Assert.Equal(9, cluster.Nodes.Sum(n => n.Outputs.Count));
    }

    [Fact]
    public void Every_fault_is_named_with_its_path()
    {
        ConfigLoadResult loaded = Load("""
            { "servers": ["http://x", "nats://127.0.0.1:4222"], "primary": "nobody", "name": "a b",
              "nodes": [ { "id": "p", "outputs": ["wall-1", "wall-9"] }, { "id": "q", "outputs": ["wall-1"] }, { "id": "p" } ] }
            """);
        Assert.False(loaded.IsValid);
        string faults = string.Join("\n", loaded.Faults);
        Assert.Contains("cluster.servers[0]", faults);
        Assert.Contains("cluster.name", faults);
        Assert.Contains("cluster.nodes[2].id", faults);
        Assert.Contains("cluster.primary", faults);
        Assert.Contains("cluster.nodes[0].outputs[1]: names no output 'wall-9'", faults);
        Assert.Contains("cluster.nodes[1].outputs[0]: output 'wall-1' is already drawn by node 'p'", faults);
    }
}
