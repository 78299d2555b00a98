using Microsoft.Extensions.Logging;
using Stage.Cluster;
using Stage.Core.Configuration;
using Stage.Engine;
using Stage.Hosting.World;

namespace Stage.Cli;

/// <summary>
/// One node's part of a cluster run (docs/cluster.md): which node, whether it is the primary, and the stage as that
/// node runs it — its own outputs only; a render node also without tracking sources (the primary's poses reach it
/// in the frame inputs), without a control surface or operator page, with its own take log and world journal (its
/// world comes from the primary's snapshot).
/// </summary>
/// <param name="Node">The node's configuration.</param>
/// <param name="IsPrimary">True for the primary.</param>
/// <param name="Stage">The stage as this node runs it.</param>
internal sealed record ClusterRole(ClusterNodeConfig Node, bool IsPrimary, StageConfig Stage)
{
    /// <summary>The role <paramref name="settings"/> ask for, or null for a stage without a cluster; a fault is written to <paramref name="error"/> (and null returned with <paramref name="fault"/> set).</summary>
    public static ClusterRole? For(StageConfig stage, RunSettings settings, TextWriter error, out bool fault)
    {
        fault = false;
        if (stage.Cluster is not { } cluster)
        {
            if (settings.NodeId is not null)
            {
                error.WriteLine($"stage: --node {settings.NodeId}: {settings.ConfigPath} has no cluster section");
                fault = true;
            }
            return null;
        }
        if (settings.NodeId is not string id || cluster.Find(id) is not { } node)
        {
            error.WriteLine($"stage: {settings.ConfigPath} is a render cluster; run one node with --node <id> (nodes: {string.Join(", ", cluster.Nodes.Select(n => n.Id))}; primary {cluster.PrimaryId})" +
                            (settings.NodeId is null ? "" : $"; there is no node '{settings.NodeId}'"));
            fault = true;
            return null;
        }
        bool primary = node.Id == cluster.PrimaryId;
        StageConfig mine = stage with { Outputs = stage.Outputs.Where(o => node.Outputs.Contains(o.Id)).ToList() };
        if (!primary)
        {
            string folder = Path.GetDirectoryName(stage.TakeDatabasePath)!;
            mine = mine with
            {
                TrackingSources = [],
                TakeDatabasePath = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(stage.TakeDatabasePath)}.node-{node.Id}.sqlite"),
                Operator = mine.Operator with { Web = mine.Operator.Web with { Enabled = false } },
            };
        }
        return new ClusterRole(node, primary, mine);
    }

    /// <summary>A render node's world: built from the scene only to be replaced by the primary's snapshot; no journal of its own (the primary's log is its journal).</summary>
    public static StageWorldHost? OpenWorld(string? scene, TextWriter error)
    {
        if (scene is null) return null;
        if (!File.Exists(scene)) throw new WorldLoadException($"world scene {scene} does not exist");
        return StageWorldHost.Open(scene, null, fresh: true, 1.0, line => error.WriteLine(line));
    }

    /// <summary>Connects this node to the cluster.</summary>
    public ClusterNode Connect(IWorldHost? world, RunSettings settings, ILoggerFactory logging) =>
        ClusterNode.Connect(Stage, Node.Id, world, logging.CreateLogger("Stage.Cluster"),
            new ClusterNodeOptions { DivergeAtFrame = settings.DivergeAtFrame ?? -1 });

    /// <summary>
    /// The run's start line on VK_NV_present_barrier (docs/cluster.md): whether the device offers it and whether this
    /// node's outputs use it. Only window swapchains can join it (headless outputs present nothing); where it is not
    /// offered (lavapipe, most GPUs without a sync board) the frame lock is the NATS barrier alone.
    /// </summary>
    public static string PresentBarrierLine(string device, bool offered, bool enabled, bool windows) =>
        !offered ? $"frame lock: NATS barrier between submit and present; VK_NV_present_barrier not offered by {device}"
        : !enabled ? $"frame lock: NATS barrier between submit and present; VK_NV_present_barrier offered by {device} but its feature is not enabled"
        : windows ? $"frame lock: NATS barrier between submit and present, and VK_NV_present_barrier on {device} (window swapchains join it)"
        : $"frame lock: NATS barrier between submit and present; VK_NV_present_barrier enabled on {device}, unused by this output (no swapchain)";

    /// <summary>The line the run prints at start.</summary>
    public string Describe() =>
        $"cluster '{Stage.Cluster!.Name}': node {Node.Id} ({(IsPrimary ? "primary: tracking, control, takes" : "render node: follows the primary's frame inputs")}), " +
        $"draws {(Node.Outputs.Count == 0 ? "no output" : string.Join(", ", Node.Outputs))}; NATS {string.Join(", ", Stage.Cluster.ServerUrls)}";
}
