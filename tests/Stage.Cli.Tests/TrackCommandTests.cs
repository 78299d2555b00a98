using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stage.Tests.Shared;

namespace Stage.Cli.Tests;

public sealed class TrackCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-track-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static int FreePort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    [Fact]
    public async Task Simulate_feeds_monitor_over_osc_on_loopback()
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("stage-configs", "test-rig.json")), documentOptions: new() { CommentHandling = JsonCommentHandling.Skip })!;
        config["tracking"]![0]!["port"] = FreePort();
        config["tracking"]![0]!["bind"] = "127.0.0.1";
        config["control"] = new JsonObject { ["port"] = FreePort() };
        string path = Path.Combine(_folder, "stage.json");
        File.WriteAllText(path, config.ToJsonString());

        var monitorOut = new StringWriter();
        var monitorErr = new StringWriter();
        Task<int> monitor = Task.Run(() => StageCli.Run(["track", "monitor", path, "--json", "--seconds", "4", "--log-dir", _folder], monitorOut, monitorErr));
        Assert.True(PortProbe.WaitUntilUdpBound(config["tracking"]![0]!["port"]!.GetValue<int>(), TimeSpan.FromSeconds(30)), "the monitor never bound its tracking port");
        var simulateOut = new StringWriter();
        var simulateErr = new StringWriter();
        int simulated = await Task.Run(() => StageCli.Run(["track", "simulate", path, "--camera", "A", "--path", "orbit", "--rate", "100", "--seconds", "2.5", "--log-dir", _folder], simulateOut, simulateErr));
        Assert.True(simulated == 0, simulateErr.ToString());
        Assert.Contains("sent 250 samples", simulateErr.ToString());
        int monitored = await monitor.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(monitored == 0, monitorErr.ToString() + monitorOut);
        JsonElement[] seconds = [.. monitorOut.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.Contains(seconds, s => s.GetProperty("cameras")[0].GetProperty("status").GetString() == "Tracking" && s.GetProperty("cameras")[0].GetProperty("rate").GetDouble() > 50);
        JsonElement last = seconds.Last(s => s.GetProperty("cameras")[0].GetProperty("position").ValueKind == JsonValueKind.Array);
        Assert.Equal(1.7, last.GetProperty("cameras")[0].GetProperty("position")[1].GetDouble(), 3);
    }

    [Fact]
    public void Simulate_names_bad_paths_and_cameras()
    {
        var error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["track", "simulate", RepositoryPaths.Of("stage-configs", "test-rig.json"), "--path", "spiral", "--seconds", "0.1"], new StringWriter(), error));
        Assert.Contains("neither orbit, dolly, handheld", error.ToString());
        error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["track", "simulate", RepositoryPaths.Of("stage-configs", "test-rig.json"), "--camera", "Q"], new StringWriter(), error));
        Assert.Contains("no camera 'Q'", error.ToString());
    }
}
