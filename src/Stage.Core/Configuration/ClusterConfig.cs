namespace Stage.Core.Configuration;

/// <summary>
/// The render cluster (<c>cluster</c>, docs/cluster.md): the NATS servers every node connects to, the nodes and
/// the outputs each draws, and which node is the primary (it owns tracking, the control surface and the takes).
/// </summary>
public sealed record ClusterConfig
{
    /// <summary>The cluster's name: its JetStream stream and object store are named after it.</summary>
    public required string Name { get; init; }

    /// <summary>NATS server URLs (<c>nats://host:port</c>), tried in order.</summary>
    public required IReadOnlyList<string> ServerUrls { get; init; }

    /// <summary>Every node, configuration order.</summary>
    public required IReadOnlyList<ClusterNodeConfig> Nodes { get; init; }

    /// <summary>The primary node's id.</summary>
    public required string PrimaryId { get; init; }

    /// <summary>How long a node waits at the frame barrier for the others before it drops the late ones.</summary>
    public double BarrierTimeoutMs { get; init; } = 50;

    /// <summary>Seconds between the world snapshots the primary stores for nodes that (re)join.</summary>
    public double SnapshotEverySeconds { get; init; } = 2;

    /// <summary>The node of this id, or null.</summary>
    public ClusterNodeConfig? Find(string id) => Nodes.FirstOrDefault(n => n.Id == id);
}

/// <summary>One node of a render cluster.</summary>
/// <param name="Id">The node's id (<c>stage run --node</c>).</param>
/// <param name="Outputs">The output ids it draws.</param>
public sealed record ClusterNodeConfig(string Id, IReadOnlyList<string> Outputs);
