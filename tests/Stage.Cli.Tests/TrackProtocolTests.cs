using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Tests.Shared;
using Stage.Tracking;
using Stage.Tracking.Buffers;
using Stage.Tracking.OpenTrackIO;

namespace Stage.Cli.Tests;

/// <summary>
/// <c>stage track simulate</c> into <c>stage track monitor</c> over FreeD on loopback, simulate into an OpenTrackIO source on loopback,
/// path-file faults named by line and column, the plain monitor table, and the tracking bench's liblo baseline.
/// </summary>
public sealed class TrackProtocolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-track-protocols-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The test rig with its one camera fed by <paramref name="source"/> instead of OSC.</summary>
    private string Rig(JsonObject source)
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("stage-configs", "test-rig.json")), documentOptions: new() { CommentHandling = JsonCommentHandling.Skip })!;
        config["tracking"] = new JsonArray(source);
        config["cameras"]![0]!["source"] = source["id"]!.GetValue<string>();
        config["control"] = new JsonObject { ["bind"] = "127.0.0.1", ["port"] = TestStages.FreeUdpPort() };
        string path = Path.Combine(_folder, $"{source["id"]}.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    /// <summary>Monitors for 4 s while simulating for 2.5 s at 100 Hz; returns the monitor's JSON lines.</summary>
    private async Task<JsonElement[]> SimulateIntoMonitor(string config, string path, params string[] extra)
    {
        var monitorOut = new StringWriter();
        var monitorErr = new StringWriter();
        Task<int> monitor = Task.Run(() => StageCli.Run(["track", "monitor", config, "--json", "--seconds", "4", "--log-dir", _folder], monitorOut, monitorErr));
        int port = JsonNode.Parse(File.ReadAllText(config))!["tracking"]![0]!["port"]!.GetValue<int>();
        Assert.True(PortProbe.WaitUntilUdpBound(port, TimeSpan.FromSeconds(30)), "the monitor never bound its tracking port");
        var simulateErr = new StringWriter();
        int simulated = await Task.Run(() => StageCli.Run(
            ["track", "simulate", config, "--camera", "A", "--path", path, "--rate", "100", "--seconds", "2.5", "--log-dir", _folder, .. extra],
            new StringWriter(), simulateErr));
        Assert.True(simulated == 0, simulateErr.ToString());
        Assert.Contains("sent 250 samples", simulateErr.ToString());
        int monitored = await monitor.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(monitored == 0, monitorErr.ToString() + monitorOut);
        JsonElement[] seconds = [.. monitorOut.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.True(seconds.Any(s => s.GetProperty("cameras")[0].GetProperty("position").ValueKind == JsonValueKind.Array), $"no pose reached the monitor:\n{monitorOut}");
        return seconds;
    }

    private static JsonElement LastWithPose(JsonElement[] seconds) =>
        seconds.Last(s => s.GetProperty("cameras")[0].GetProperty("position").ValueKind == JsonValueKind.Array).GetProperty("cameras")[0];

    [Fact]
    public async Task Simulated_freed_reaches_the_freed_source_with_the_calibrated_zoom()
    {
        string config = Rig(new JsonObject
        {
            ["id"] = "fd", ["kind"] = "freed", ["bind"] = "127.0.0.1", ["port"] = TestStages.FreeUdpPort(), ["cameraId"] = 1,
            ["zoomCalibration"] = new JsonArray(new JsonArray(0, 18), new JsonArray(100_000, 118)),
        });
        // The dolly path holds x at 0, height at 1.6 m, pan and roll at 0 and tilt at −1°; the zoom stays within 24…31.2 mm.
        JsonElement[] seconds = await SimulateIntoMonitor(config, "dolly");
        Assert.Contains(seconds, s => s.GetProperty("cameras")[0].GetProperty("status").GetString() == "Tracking");
        JsonElement camera = LastWithPose(seconds);
        Assert.Equal(0, camera.GetProperty("position")[0].GetDouble(), 3);
        Assert.Equal(1.6, camera.GetProperty("position")[1].GetDouble(), 3);
        Assert.Equal(-1, camera.GetProperty("panTiltRoll")[1].GetDouble(), 2);
        Assert.InRange(camera.GetProperty("focalLengthMm").GetDouble(), 23.99, 31.21);
        JsonElement source = seconds[^1].GetProperty("sources")[0];
        Assert.Empty(source.GetProperty("drops").EnumerateObject());
    }

    [Fact]
    public async Task Simulated_opentrackio_to_a_loopback_target_reaches_stages_opentrackio_source()
    {
        // The monitor listens on the multicast group; tests stay on loopback, so Stage's OpenTrackIO source
        // is bound to 127.0.0.1 here and the simulator is pointed at it with --target.
        var buffer = new PoseBuffer("A", 0);
        var sourceConfig = new OpenTrackIOSourceConfig { Id = "otio", Port = 0, MulticastGroup = "235.135.1.7" };
        using var source = new OpenTrackIOSource(sourceConfig, [new BoundCamera(buffer, "A")], null, IPAddress.Loopback);
        source.Start();
        string config = Rig(new JsonObject { ["id"] = "otio", ["kind"] = "opentrackio", ["sourceNumber"] = 7, ["port"] = source.LocalEndPoint!.Port });
        string file = Path.Combine(_folder, "move.csv");
        File.WriteAllText(file, "time,x,y,z,pan,tilt,roll,focalMm\n0,0.5,1.2,3,10,-5,2,35\n0.5,1.5,1.2,3,20,-5,2,50\n");
        var error = new StringWriter();
        int exit = await Task.Run(() => StageCli.Run(
            ["track", "simulate", config, "--path", file, "--rate", "100", "--seconds", "1", "--target", "127.0.0.1", "--log-dir", _folder], new StringWriter(), error));
        Assert.True(exit == 0, error.ToString());
        Assert.Contains("over OpenTrackIO to 127.0.0.1:", error.ToString());
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (buffer.WrittenCount < 100 && deadline.ElapsedMilliseconds < 5000) Thread.Sleep(10);
        source.Stop();
        Assert.Equal(100, buffer.WrittenCount);
        Assert.Equal(0, source.Statistics.Snapshot(System.Diagnostics.Stopwatch.GetTimestamp()).Malformed);
        buffer.TryGetLatest(out CameraSample last);
        // After 0.5 s the file holds its last line.
        Assert.Equal((1.5f, 1.2f, 3f), (MathF.Round(last.PositionM.X, 4), MathF.Round(last.PositionM.Y, 4), MathF.Round(last.PositionM.Z, 4)));
        PanTiltRoll angles = PanTiltRoll.FromQuaternion(last.Orientation);
        Assert.Equal((20.0, -5.0, 2.0), (Math.Round(angles.PanDeg, 2), Math.Round(angles.TiltDeg, 2), Math.Round(angles.RollDeg, 2)));
        Assert.Equal(50, last.FocalLengthMm, 6);
        Assert.NotNull(last.SourceTimecode);
        Assert.Equal(7, source.LastMessage.SourceNumber);
    }

    [Fact]
    public void A_bad_path_file_is_named_by_line_and_column()
    {
        string file = Path.Combine(_folder, "bad.csv");
        File.WriteAllText(file, "time,x,y,z,pan,tilt,roll\n0,0,1.6,2,0,0,0\n0.5,0,1.6,two,0,0,0\n");
        var error = new StringWriter();
        int exit = StageCli.Run(["track", "simulate", RepositoryPaths.Of("stage-configs", "test-rig.json"), "--path", file, "--seconds", "0.1"], new StringWriter(), error);
        Assert.Equal(1, exit);
        Assert.Contains($"{file}:3:4: 'two' is not a number", error.ToString());

        File.WriteAllText(file, "time,x,y,z,pan,tilt,roll\n1,0,1.6,2,0,0,0\n0.5,0,1.6,2,0,0,0\n");
        error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["track", "simulate", RepositoryPaths.Of("stage-configs", "test-rig.json"), "--path", file, "--seconds", "0.1"], new StringWriter(), error));
        Assert.Contains($"{file}:3:1: time 0.5 does not come after 1", error.ToString());
    }

    [Fact]
    public void The_monitor_prints_plain_lines_with_no_data_when_nothing_arrives()
    {
        (string config, _, int trackingPort) = TestStages.TestRig(_folder);
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(StageCli.Run(["track", "monitor", config, "--seconds", "1.5", "--log-dir", _folder], output, error) == 0, error.ToString());
        string text = output.ToString();
        Assert.DoesNotContain("\u001b[", text);
        Assert.Contains("camera  status", text);
        Assert.Matches(@"(?m)^A\s+NO DATA\s+0\.0\s+—", text);
        Assert.Contains($"source osc (osc :{trackingPort}): 0.0 packets/s", text);
    }
}
