using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Core.Configuration;
using Stage.Engine.Control;
using Stage.Osc;

namespace Stage.Engine.Tests.Control;

public sealed class ControlSurfaceTests : IDisposable
{
    private readonly CommandRegistry _registry = new();
    private readonly List<string> _heard = [];
    private ControlSurface? _surface;

    public ControlSurfaceTests()
    {
        _registry.Register(new ControlCommand
        {
            Address = "/stage/take/note",
            Description = "Add a note.",
            Parameters = [new ControlParameter("text", ControlParameterKind.Text)],
            Handler = call => { lock (_heard) _heard.Add(call.Text("text")!); return ControlReply.Success("noted"); },
        });
    }

    public void Dispose() => _surface?.Dispose();

    private ControlSurface Start(params string[] allowFrom)
    {
        var config = new ControlConfig("127.0.0.1", 0)
        {
            AllowedSenders = allowFrom.Select(a => { Ipv4Network.TryParse(a, out Ipv4Network n); return n; }).ToList(),
        };
        _surface = new ControlSurface(config, _registry, NullLogger.Instance);
        _surface.Start();
        return _surface;
    }

    private static OscMessageData ReceiveReply(UdpClient client)
    {
        client.Client.ReceiveTimeout = 5000;
        IPEndPoint? from = null;
        byte[] bytes = client.Receive(ref from);
        Assert.True(OscPacket.TryDecode(bytes, out OscPacket packet, out OscError error), error.ToString());
        return (OscMessageData)packet.ToData();
    }

    [Fact]
    public void A_udp_command_gets_its_reply_from_the_control_port()
    {
        ControlSurface surface = Start();
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] command = new OscMessageData("/stage/take/note", OscValue.FromString("boom in shot")).ToArray();
        client.Send(command, command.Length, new IPEndPoint(IPAddress.Loopback, surface.Port));
        IPEndPoint? from = null;
        client.Client.ReceiveTimeout = 5000;
        byte[] bytes = client.Receive(ref from);
        Assert.Equal(surface.Port, from!.Port);
        OscPacket.TryDecode(bytes, out OscPacket packet, out _);
        Assert.Equal("/stage/reply sss \"/stage/take/note\" \"ok\" \"noted\"", packet.ToData().ToString());
        Assert.Equal(["boom in shot"], _heard);
    }

    [Fact]
    public void Unknown_commands_and_malformed_packets_get_error_replies()
    {
        ControlSurface surface = Start();
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, surface.Port);
        byte[] unknown = new OscMessageData("/stage/nothing").ToArray();
        client.Send(unknown, unknown.Length, target);
        OscMessageData reply = ReceiveReply(client);
        Assert.Equal("error", reply.Arguments[1].String);
        Assert.Contains("unknown command", reply.Arguments[2].String);
        byte[] junk = "/stage/ping\0"u8.ToArray().Concat(new byte[] { 0x2C, 0x7A, 0, 0 }).ToArray();
        client.Send(junk, junk.Length, target);
        reply = ReceiveReply(client);
        Assert.Equal("error", reply.Arguments[1].String);
        Assert.Contains("malformed OSC packet", reply.Arguments[2].String);
        Assert.Equal(2, surface.ErrorCount);
    }

    [Fact]
    public void A_bundle_runs_each_command_and_replies_to_each()
    {
        ControlSurface surface = Start();
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] bundle = new OscBundleData(OscTimeTag.Immediately,
            new OscMessageData("/stage/take/note", OscValue.FromString("one")),
            new OscMessageData("/stage/take/note", OscValue.FromString("two"))).ToArray();
        client.Send(bundle, bundle.Length, new IPEndPoint(IPAddress.Loopback, surface.Port));
        Assert.Equal("ok", ReceiveReply(client).Arguments[1].String);
        Assert.Equal("ok", ReceiveReply(client).Arguments[1].String);
        Assert.Equal(["one", "two"], _heard);
    }

    [Fact]
    public void Senders_outside_allow_from_are_refused_with_a_reply()
    {
        ControlSurface surface = Start("10.0.0.0/8");
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] command = new OscMessageData("/stage/take/note", OscValue.FromString("sneaky")).ToArray();
        client.Send(command, command.Length, new IPEndPoint(IPAddress.Loopback, surface.Port));
        OscMessageData reply = ReceiveReply(client);
        Assert.Equal("error", reply.Arguments[1].String);
        Assert.Contains("may not control this stage", reply.Arguments[2].String);
        Assert.Empty(_heard);
        Assert.Equal(1, surface.RefusedCount);
    }

    [Fact]
    public void A_tcp_slip_client_gets_its_reply_on_the_same_connection()
    {
        ControlSurface surface = Start();
        var replies = new List<string>();
        using var received = new ManualResetEventSlim();
        using OscTcpClient client = OscTcpClient.Connect("127.0.0.1", surface.Port, OscStreamFraming.Slip, (OscPacket packet, in OscReceiveInfo _) =>
        {
            lock (replies) replies.Add(packet.ToData().ToString() ?? "");
            received.Set();
        });
        client.Send(new OscMessageData("/stage/ping"));
        Assert.True(received.Wait(5000), "no reply over TCP");
        Assert.Equal("/stage/reply sss \"/stage/ping\" \"ok\" \"pong\"", Assert.Single(replies));
    }

    [Fact]
    public void Liblo_oscsend_commands_reach_the_surface_over_udp_and_tcp()
    {
        ControlSurface surface = Start();
        RunOscsend($"localhost {surface.Port} /stage/take/note s \"from liblo udp\"");
        RunOscsend($"osc.tcp://localhost:{surface.Port} /stage/take/note s \"from liblo tcp\"");
        var deadline = Stopwatch.StartNew();
        while (deadline.ElapsedMilliseconds < 5000)
        {
            lock (_heard) if (_heard.Count == 2) break;
            Thread.Sleep(10);
        }
        lock (_heard) Assert.Equal(["from liblo tcp", "from liblo udp"], _heard.Order(StringComparer.Ordinal));
    }

    private static void RunOscsend(string arguments)
    {
        var start = new ProcessStartInfo("oscsend", arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("oscsend did not start (Debian liblo-tools; tools/setup installs it)");
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            throw new TimeoutException($"oscsend {arguments} did not finish");
        }
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
    }
}
