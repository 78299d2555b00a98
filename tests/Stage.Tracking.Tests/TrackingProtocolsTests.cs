using System.Text.Json;
using System.Text.Json.Nodes;
using Stage.Core.Configuration;
using Stage.Tests.Shared;
using Stage.Tracking.Simulation;

namespace Stage.Tracking.Tests;

/// <summary>Tracking protocols are plug-ins: the loader knows none, each entry goes to the protocol of its kind.</summary>
public class TrackingProtocolsTests
{
    /// <summary>A protocol written in a test, as a new one would be: a record, a reader, and a place in a list.</summary>
    private sealed record PigeonSourceConfig : TrackingSourceConfig
    {
        public required string Loft { get; init; }
        public override string Kind => "pigeon";
        public override string Endpoint => Loft;
    }

    private sealed class PigeonReader : ITrackingSourceReader
    {
        public string Kind => "pigeon";

        public TrackingSourceConfig? Read(JsonElement entry, string path, List<ConfigFault> faults)
        {
            var reader = JsonObjectReader.Open(entry, path, faults, "id", "kind", "port", "loft");
            string? id = reader.String("id", required: true);
            int? port = CommonFields.Port(reader, defaultPort: 4242);
            string? loft = reader.String("loft", required: true);
            return id is null || port is null || loft is null ? null : new PigeonSourceConfig { Id = id, Port = port.Value, Loft = loft };
        }
    }

    /// <summary>The test rig with its camera fed by <paramref name="source"/> (JSON of one tracking entry) instead of OSC.</summary>
    private static string RigWithSource(string source)
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("stage-configs", "test-rig.json")), documentOptions: new() { CommentHandling = JsonCommentHandling.Skip })!;
        config["tracking"] = new JsonArray(JsonNode.Parse(source));
        config["cameras"]![0]!["source"] = "coop";
        return config.ToJsonString();
    }

    [Fact]
    public void A_protocol_the_loader_is_handed_reads_its_own_entries_with_fault_paths()
    {
        string json = RigWithSource("""{ "id": "coop", "kind": "pigeon", "loft": "roof" }""");
        ConfigLoadResult loaded = StageConfigLoader.LoadText(json, "", [.. TrackingProtocols.All, new PigeonReader()]);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Faults));
        PigeonSourceConfig pigeon = Assert.IsType<PigeonSourceConfig>(loaded.Config!.FindSource("coop"));
        Assert.Equal(("roof", 4242), (pigeon.Loft, pigeon.Port));

        ConfigLoadResult faulty = StageConfigLoader.LoadText(RigWithSource("""{ "id": "coop", "kind": "pigeon" }"""), "", [.. TrackingProtocols.All, new PigeonReader()]);
        Assert.Contains(faulty.Faults, f => f.Path == "tracking[0].loft");
    }

    [Fact]
    public void A_kind_no_protocol_reads_names_the_kinds_there_are()
    {
        ConfigLoadResult loaded = StageConfigFile.LoadText(RigWithSource("""{ "id": "coop", "kind": "pigeon", "loft": "roof" }"""), "");
        ConfigFault fault = Assert.Single(loaded.Faults, f => f.Path == "tracking[0].kind");
        Assert.Equal("must be one of \"osc\", \"freed\", \"opentrackio\", \"virtual\", not 'pigeon'", fault.Message);
    }

    [Fact]
    public void Every_protocol_of_the_build_is_in_the_one_list_and_each_reads_describes_and_builds_its_sources()
    {
        Assert.Equal(["osc", "freed", "opentrackio", "virtual"], TrackingProtocols.All.Select(p => p.Kind));
        StageConfig config = StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "volume-270.json")).Config!;
        foreach (TrackingSourceConfig source in config.TrackingSources)
        {
            ITrackingProtocol protocol = TrackingProtocols.Of(source);
            Assert.NotEmpty(protocol.Describe(source));
            CameraConfig camera = config.Cameras.First(c => c.SourceId == source.Id);
            ITrackingSender sender = protocol.CreateSender(camera, source)!;
            byte[] datagram = new byte[65536];
            Assert.True(sender.Write(new PathPoint(new Stage.Core.Space.Pose(new System.Numerics.Vector3(1, 1.6f, 3), System.Numerics.Quaternion.Identity), 35), 0, 60, datagram) > 0);
        }
        Assert.Null(TrackingProtocols.Virtual.CreateSource(new Virtual.VirtualCameraSourceConfig { Id = "v", Port = 0 }, [], new TrackingOptions()));
    }
}
