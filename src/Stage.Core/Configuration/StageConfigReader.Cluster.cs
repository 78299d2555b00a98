using System.Text.Json;

namespace Stage.Core.Configuration;

// cluster: the render cluster (name, servers, primary, nodes with their outputs, barrierTimeoutMs, snapshotEverySeconds).
internal sealed partial class StageConfigReader
{
    private ClusterConfig? ReadCluster(JsonObjectReader top, List<OutputCanvas> outputs)
    {
        JsonElement? element = top.Element("cluster", required: false);
        if (element is null) return null;
        var reader = JsonObjectReader.Open(element.Value, "cluster", faults, "name", "servers", "primary", "nodes", "barrierTimeoutMs", "snapshotEverySeconds");
        if (!reader.IsValid) return null;
        int before = faults.Count;
        string name = reader.String("name", required: false) ?? "stage";
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            reader.Fault("name", $"'{name}' must be letters, digits, '-' or '_' (it names a NATS stream and subjects)");
        var servers = new List<string>();
        foreach ((JsonElement item, string path) in reader.Array("servers", required: true))
        {
            if (item.ValueKind == JsonValueKind.String && Uri.TryCreate(item.GetString(), UriKind.Absolute, out Uri? uri) && uri.Scheme is "nats" or "tls" && uri.Port > 0)
                servers.Add(item.GetString()!);
            else
                faults.Add(new ConfigFault(path, $"must be a NATS URL such as \"nats://127.0.0.1:4222\", not {JsonObjectReader.Describe(item)}"));
        }
        if (servers.Count == 0 && reader.Has("servers") && faults.Count == before) reader.Fault("servers", "must name at least one NATS server");
        string? primary = reader.String("primary", required: true);
        double barrierTimeoutMs = reader.Number("barrierTimeoutMs", required: false, 1, 10_000) ?? 50;
        double snapshotEverySeconds = reader.Number("snapshotEverySeconds", required: false, 0.1, 3600) ?? 2;
        var nodes = new List<ClusterNodeConfig>();
        var nodePaths = new List<string>();
        foreach ((JsonElement item, string path) in reader.Array("nodes", required: true))
        {
            var node = JsonObjectReader.Open(item, path, faults, "id", "outputs");
            if (!node.IsValid) continue;
            string? id = node.String("id", required: true);
            var drawn = new List<string>();
            foreach ((JsonElement output, string outputPath) in node.Array("outputs", required: false))
            {
                if (output.ValueKind == JsonValueKind.String) drawn.Add(output.GetString()!);
                else faults.Add(new ConfigFault(outputPath, $"must be an output id, not {JsonObjectReader.Describe(output)}"));
            }
            if (id is null) continue;
            nodes.Add(new ClusterNodeConfig(id, drawn));
            nodePaths.Add(path);
        }
        if (nodes.Count == 0 && reader.Has("nodes") && faults.Count == before) reader.Fault("nodes", "must hold at least one node");
        CheckUnique(nodes.Select(n => n.Id), "cluster.nodes", "node");
        CrossCheckCluster(nodes, nodePaths, outputs);
        if (primary is not null && nodes.Count > 0 && nodes.All(n => n.Id != primary))
            reader.Fault("primary", $"names no node (nodes: {string.Join(", ", nodes.Select(n => n.Id))})");
        if (faults.Count > before || primary is null) return null;
        return new ClusterConfig
        {
            Name = name, ServerUrls = servers, Nodes = nodes, PrimaryId = primary,
            BarrierTimeoutMs = barrierTimeoutMs, SnapshotEverySeconds = snapshotEverySeconds,
        };
    }

    /// <summary>Every node's outputs exist, and no output is drawn by two nodes.</summary>
    private void CrossCheckCluster(List<ClusterNodeConfig> nodes, List<string> nodePaths, List<OutputCanvas> outputs)
    {
        var drawnBy = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int n = 0; n < nodes.Count; n++)
        {
            ClusterNodeConfig node = nodes[n];
            for (int o = 0; o < node.Outputs.Count; o++)
            {
                string id = node.Outputs[o];
                string path = $"{nodePaths[n]}.outputs[{o}]";
                if (outputs.All(c => c.Id != id))
                    faults.Add(new ConfigFault(path, $"names no output '{id}' (outputs: {string.Join(", ", outputs.Select(c => c.Id))})"));
                else if (!drawnBy.TryAdd(id, node.Id))
                    faults.Add(new ConfigFault(path, $"output '{id}' is already drawn by node '{drawnBy[id]}'; each output is drawn by one node"));
            }
        }
    }
}
