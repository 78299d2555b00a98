using System.Text.Json;
using Microsoft.Data.Sqlite;
using Stage.Core.Time;
using Stage.Takes.Export;

namespace Stage.Takes.Tests;

/// <summary>A render cluster's take: which nodes drew it and whether they agreed, in the log (schema 5), the ALE Cluster column and the JSON export.</summary>
public sealed class TakeNodeTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "stage-take-nodes-" + Guid.NewGuid().ToString("N"));
    private readonly DateTime _morning = new(2026, 12, 4, 9, 0, 0, DateTimeKind.Local);

    private string DbPath => Path.Combine(_folder, "takes.sqlite");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static readonly TakeNode[] Nodes =
    [
        new("primary", true, ["wall-1", "wall-2"], 0, 0, -1),
        new("render-1", false, ["wall-3"], 240, 240, -1),
        new("render-2", false, ["ceiling-1", "ceiling-2"], 200, 80, 81),
        new("render-3", false, [], 0, 0, -1),
    ];

    [Fact]
    public void A_take_records_its_nodes_and_reads_them_back_in_order()
    {
        using TakeLog log = TakeLog.Open(DbPath);
        TakeInfo take = TakeLogTests.Record(log, "12", FrameRate.Fps24, "01:00:00:00", 5, _morning);
        Assert.Empty(take.Nodes);
        Assert.Equal("", take.ClusterVerdict);
        log.SetNodes(take.Id, Nodes);
        TakeInfo read = log.Take(take.Id);
        Assert.Equal(Nodes.Select(n => n.NodeId), read.Nodes.Select(n => n.NodeId));
        Assert.Equal(Nodes.Select(n => (n.Primary, n.FramesCompared, n.FramesAgreed, n.FirstDivergentFrame)), read.Nodes.Select(n => (n.Primary, n.FramesCompared, n.FramesAgreed, n.FirstDivergentFrame)));
        Assert.Equal(["ceiling-1", "ceiling-2"], read.Nodes[2].Outputs);
        Assert.Empty(read.Nodes[3].Outputs);
        Assert.Equal([true, true, true, false], read.Nodes.Select(n => n.Drew));
        Assert.Equal("render-1 agreed 240/240", read.Nodes[1].Verdict);
        Assert.Equal("render-2 DIVERGED at take frame 81 (80/200 agreed)", read.Nodes[2].Verdict);
        Assert.Equal("render-3 did not draw", read.Nodes[3].Verdict);
        Assert.Equal("render-2 DIVERGED at take frame 81 (80/200 agreed)", read.ClusterVerdict);
        // Recorded again (a take stopped once): replaced, not doubled.
        log.SetNodes(take.Id, Nodes[..2]);
        Assert.Equal("2 of 2 nodes drew, all agreed", log.Take(take.Id).ClusterVerdict);
        Assert.Throws<TakeLogException>(() => log.SetNodes(take.Id + 100, Nodes));
    }

    [Fact]
    public void A_version_4_log_is_upgraded_and_its_takes_name_no_nodes()
    {
        long id;
        using (TakeLog log = TakeLog.Open(DbPath))
            id = TakeLogTests.Record(log, "12", FrameRate.Fps24, "01:00:00:00", 5, _morning).Id;
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand downgrade = connection.CreateCommand();
            downgrade.CommandText = "DROP TABLE take_nodes; PRAGMA user_version = 4;";
            downgrade.ExecuteNonQuery();
        }
        using (TakeLog log = TakeLog.Open(DbPath))
        {
            Assert.Empty(log.Take(id).Nodes);
            log.SetNodes(id, Nodes);
            Assert.Equal(4, log.Take(id).Nodes.Count);
        }
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand version = connection.CreateCommand();
            version.CommandText = "PRAGMA user_version;";
            Assert.Equal(5L, (long)version.ExecuteScalar()!);
        }
    }

    [Fact]
    public void Exports_carry_the_nodes_ALE_as_a_Cluster_column_JSON_per_node()
    {
        using TakeLog log = TakeLog.Open(DbPath);
        TakeInfo single = TakeLogTests.Record(log, "12", FrameRate.Fps24, "01:00:00:00", 5, _morning);
        TakeInfo clustered = TakeLogTests.Record(log, "12", FrameRate.Fps24, "01:00:10:00", 5, _morning);
        log.SetNodes(clustered.Id, Nodes);
        clustered = log.Take(clustered.Id);

        string[] lines = AleExporter.Write([log.Take(single.Id), clustered]).Split('\n');
        string[] header = lines[Array.IndexOf(lines, "Column") + 1].Split('\t');
        int column = Array.IndexOf(header, "Cluster");
        int data = Array.IndexOf(lines, "Data");
        Assert.Equal("", lines[data + 1].Split('\t')[column]);
        Assert.Equal("render-2 DIVERGED at take frame 81 (80/200 agreed)", lines[data + 2].Split('\t')[column]);

        using JsonDocument json = JsonDocument.Parse(JsonTakeExporter.Write(clustered, log.Track(clustered.Id)));
        JsonElement nodes = json.RootElement.GetProperty("take").GetProperty("nodes");
        Assert.Equal(4, nodes.GetArrayLength());
        Assert.Equal("render-2", nodes[2].GetProperty("node").GetString());
        Assert.Equal(81, nodes[2].GetProperty("firstDivergentFrame").GetInt64());
        Assert.False(nodes[2].GetProperty("agreed").GetBoolean());
        Assert.True(nodes[1].GetProperty("agreed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, nodes[1].GetProperty("firstDivergentFrame").ValueKind);
        Assert.Equal(JsonValueKind.Null, nodes[0].GetProperty("agreed").ValueKind);
        Assert.False(nodes[3].GetProperty("drew").GetBoolean());
    }
}
