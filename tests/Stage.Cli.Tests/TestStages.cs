using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stage.Tests.Shared;

namespace Stage.Cli.Tests;

/// <summary>Copies of the test rig on free loopback ports, so tests that run the engine never collide.</summary>
internal static class TestStages
{
    /// <summary>A free UDP port on loopback.</summary>
    public static int FreeUdpPort() => Stage.Tests.Shared.PortProbe.FreeUdpPort();

    /// <summary>Writes the test rig into <paramref name="folder"/> with its control and tracking on free ports and its take log beside it.</summary>
    public static (string Path, int ControlPort, int TrackingPort) TestRig(string folder)
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("stage-configs", "test-rig.json")), documentOptions: new() { CommentHandling = JsonCommentHandling.Skip })!;
        int controlPort = FreeUdpPort(), trackingPort = FreeUdpPort();
        config["control"] = new JsonObject { ["bind"] = "127.0.0.1", ["port"] = controlPort };
        config["tracking"]![0]!["port"] = trackingPort;
        config["takes"] = new JsonObject { ["database"] = "takes.sqlite" };
        string path = Path.Combine(folder, "stage.json");
        File.WriteAllText(path, config.ToJsonString());
        return (path, controlPort, trackingPort);
    }
}
