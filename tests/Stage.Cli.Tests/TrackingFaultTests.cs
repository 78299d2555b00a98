using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Stage.Tests.Shared;

namespace Stage.Cli.Tests;

/// <summary>
/// What an operator sees of a misbehaving tracker in a running <c>stage run</c>: per source, packets, samples
/// and faults by kind in the status line and <c>/stage/status</c>, in the summary, and a warning in the log that
/// names the source, the kind and a sample of the fault; and a source that cannot open its socket is named.
/// </summary>
public sealed class TrackingFaultTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-tracking-faults-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The test rig with three cameras, one per protocol, each source on its own free port (OpenTrackIO on its own group).</summary>
    private (string Path, int Control, int Osc, int FreeD, int OpenTrackIOPort, string Group) ThreeProtocolRig(string? openTrackIOInterface = null)
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("stage-configs", "test-rig.json")), documentOptions: new() { CommentHandling = JsonCommentHandling.Skip })!;
        int control = TestStages.FreeUdpPort(), osc = TestStages.FreeUdpPort(), freeD = TestStages.FreeUdpPort(), otio = TestStages.FreeUdpPort();
        int sourceNumber = Random.Shared.Next(100, 200);
        JsonNode camera = config["cameras"]![0]!;
        config["cameras"] = new JsonArray(
            camera.DeepClone(),
            Camera(camera, "B", "fd"),
            Camera(camera, "C", "otio"));
        var openTrackIO = new JsonObject { ["id"] = "otio", ["kind"] = "opentrackio", ["sourceNumber"] = sourceNumber, ["port"] = otio };
        if (openTrackIOInterface is not null) openTrackIO["interface"] = openTrackIOInterface;
        config["tracking"] = new JsonArray(
            new JsonObject { ["id"] = "osc", ["kind"] = "osc", ["bind"] = "127.0.0.1", ["port"] = osc, ["addresses"] = new JsonObject { ["pose"] = "/stage/camera/{camera}/pose" } },
            new JsonObject { ["id"] = "fd", ["kind"] = "freed", ["bind"] = "127.0.0.1", ["port"] = freeD },
            openTrackIO);
        config["control"] = new JsonObject { ["bind"] = "127.0.0.1", ["port"] = control };
        config["takes"] = new JsonObject { ["database"] = "takes.sqlite" };
        string path = Path.Combine(_folder, "stage.json");
        File.WriteAllText(path, config.ToJsonString());
        return (path, control, osc, freeD, otio, $"235.135.1.{sourceNumber}");

        static JsonNode Camera(JsonNode template, string id, string source)
        {
            JsonNode copy = template.DeepClone();
            copy["id"] = id;
            copy["source"] = source;
            return copy;
        }
    }

    private static string Send(int controlPort, params string[] args)
    {
        var reply = new StringWriter();
        StageCli.Run(["osc", "send", $"127.0.0.1:{controlPort}", .. args, "--reply", "--timeout-ms", "2000"], reply, new StringWriter());
        return reply.ToString();
    }

    [Fact]
    public async Task Malformed_packets_of_every_protocol_are_counted_by_kind_in_the_status_the_summary_and_the_log()
    {
        (string path, int control, int oscPort, int freeDPort, int otioPort, string group) = ThreeProtocolRig();
        var output = new StringWriter();
        var error = new StringWriter();
        Task<int> run = Task.Run(() => StageCli.Run(["run", path, "--seconds", "8", "--output", "headless", "--log-dir", _folder], output, error));
        string ping = "";
        for (int i = 0; i < 150 && !ping.Contains("pong"); i++) { ping = Send(control, "/stage/ping"); if (!ping.Contains("pong")) await Task.Delay(100); }
        Assert.Contains("pong", ping);

        using (var udp = new UdpClient(AddressFamily.InterNetwork))
        {
            udp.Client.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            var random = new Random(12);
            for (int i = 0; i < 50; i++)
            {
                byte[] junk = new byte[random.Next(1, 64)];
                random.NextBytes(junk);
                junk[0] = (byte)'#'; // neither an address ('/') nor a bundle: malformed OSC
                udp.Send(junk, new IPEndPoint(IPAddress.Loopback, oscPort));
                byte[] freeD = new byte[29];
                freeD[0] = 0xD1;
                freeD[1] = 1;
                freeD[28] = (byte)(0x41 + i % 7); // the right checksum of this packet is 0x6e (0x40 − 0xd1 − 0x01, mod 256)
                udp.Send(freeD, new IPEndPoint(IPAddress.Loopback, freeDPort));
                udp.Send("OTrk\u0000\u0001"u8.ToArray(), new IPEndPoint(IPAddress.Parse(group), otioPort));
            }
            // One well-formed OSC message to an address no camera listens to.
            udp.Send(new Stage.Osc.OscMessageData("/somebody/else", Stage.Osc.OscValue.FromFloat32(1)).ToArray(), new IPEndPoint(IPAddress.Loopback, oscPort));
        }
        await Task.Delay(1500);
        string status = Send(control, "/stage/status");
        Assert.Matches(@"osc 51 in 0 ok 51 bad \(malformed 50, unknown address or subject 1\)", status);
        Assert.Matches(@"fd 50 in 0 ok 50 bad \(checksum 50\)", status);
        Assert.Matches(@"otio 50 in 0 ok 50 bad \(wrong length 50\)", status);

        Assert.True(await run.WaitAsync(TimeSpan.FromSeconds(60)) == 0, output + "\n" + error);
        string summary = output.ToString();
        Assert.Contains("tracking source osc (osc): 51 packets, 0 samples applied, 51 faults (malformed 50, unknown address or subject 1)", summary);
        Assert.Contains("tracking source fd (freed): 50 packets, 0 samples applied, 50 faults (checksum 50)", summary);
        Assert.Contains("tracking source otio (opentrackio): 50 packets, 0 samples applied, 50 faults (wrong length 50)", summary);
        // The status line printed every second carries them too.
        Assert.Matches(@"fd 50 in 0 ok 50 bad \(checksum 50\)", summary);

        // The shoot-day log is JSON lines: the sample's quotes are escaped there.
        string log = string.Concat(Directory.GetFiles(_folder, "stage-*.log").Select(File.ReadAllText));
        Assert.Matches($@"tracking source 'fd' \(freed on :{freeDPort}\): 50 faulty packets since it started \(checksum 50\); latest: checksum, 29 bytes: d1 01 00", log);
        Assert.Matches(@"tracking source 'osc' \(osc on :\d+\): 51 faulty packets .*latest: unknown address or subject, \d+ bytes: 2f 73 6f 6d .*/som", log);
        Assert.Matches(@"tracking source 'otio' \(opentrackio on :\d+\): 50 faulty packets .*\(wrong length 50\); latest: wrong length, 6 bytes: 4f 54 72 6b 00 01 .{1,3}OTrk\.\.", log);
    }

    [Fact]
    public void A_multicast_join_on_an_interface_that_is_not_this_machines_names_the_source_the_group_and_the_reason()
    {
        (string path, _, _, _, _, string group) = ThreeProtocolRig(openTrackIOInterface: "198.51.100.77");
        var error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["run", path, "--seconds", "1", "--output", "headless", "--log-dir", _folder], new StringWriter(), error));
        Assert.Contains($"stage: tracking source 'otio' (opentrackio): cannot join multicast group {group} (port ", error.ToString());
        Assert.Contains("on interface 198.51.100.77: no such device: 198.51.100.77 is not an address of this machine (its addresses: 127.0.0.1 on lo", error.ToString());
        Assert.DoesNotContain("Unknown socket error", error.ToString());

        error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["track", "monitor", path, "--seconds", "1", "--log-dir", _folder], new StringWriter(), error));
        Assert.Contains($"stage: tracking source 'otio' (opentrackio): cannot join multicast group {group}", error.ToString());
    }

    [Fact]
    public void A_port_in_use_names_the_source_and_port()
    {
        (string path, _, _, int freeDPort, _, _) = ThreeProtocolRig();
        using var squatter = new UdpClient(new IPEndPoint(IPAddress.Loopback, freeDPort));
        var error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["run", path, "--seconds", "1", "--output", "headless", "--log-dir", _folder], new StringWriter(), error));
        Assert.Contains($"stage: tracking source 'fd' (freed): cannot listen on UDP 127.0.0.1:{freeDPort}: address in use: another program already listens on UDP port {freeDPort}", error.ToString());
    }
}
