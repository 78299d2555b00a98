using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Core.Configuration;
using Stage.Engine.Control;
using Stage.Osc;

namespace Stage.Cli.Tests;

public class OscCommandTests
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = StageCli.Run([.. args, "--log-dir", Path.GetTempPath()], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static int FreeUdpPort() => Stage.Tests.Shared.PortProbe.FreeUdpPort();

    [Fact]
    public void Send_encodes_oscsend_style_arguments_exactly_as_liblo_does()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        (int exit, _, string error) = Run("osc", "send", $"127.0.0.1:{port}", "/stage/camera/A/pose", "fffdsiT", "1.5", "-2", "0.25", "3.5", "hello", "-7");
        Assert.True(exit == 0, error);
        receiver.Client.ReceiveTimeout = 5000;
        IPEndPoint? from = null;
        byte[] ours = receiver.Receive(ref from);
        // liblo writes the same message as raw bytes with 'oscsend -'.
        var start = new ProcessStartInfo("oscsend", "- /stage/camera/A/pose fffdsiT 1.5 -2 0.25 3.5 hello -7") { RedirectStandardOutput = true };
        using Process oscsend = Process.Start(start)!;
        using var liblo = new MemoryStream();
        oscsend.StandardOutput.BaseStream.CopyTo(liblo);
        Assert.True(oscsend.WaitForExit(10_000));
        Assert.Equal(liblo.ToArray(), ours);
    }

    [Fact]
    public async Task Dump_prints_what_liblo_sends()
    {
        int port = FreeUdpPort();
        var output = new StringWriter();
        var error = new StringWriter();
        Task<int> dump = Task.Run(() => StageCli.Run(["osc", "dump", "--port", port.ToString(), "--bind", "127.0.0.1", "--count", "2", "--seconds", "20", "--log-dir", Path.GetTempPath()], output, error));
        // Send until the dump is listening (it binds asynchronously), then once more.
        var deadline = Stopwatch.StartNew();
        while (!error.ToString().Contains("listening") && deadline.ElapsedMilliseconds < 10_000) Thread.Sleep(20);
        Process.Start("oscsend", $"127.0.0.1 {port} /stage/camera/A/pose ffffff 1 2 3 10 -5 0")!.WaitForExit(10_000);
        using (var client = new UdpClient())
        {
            byte[] junk = [0x2F, 0x61, 0, 0, 0x2C, 0x69, 0, 0, 1];
            client.Send(junk, junk.Length, new IPEndPoint(IPAddress.Loopback, port));
        }
        Assert.Equal(0, await dump.WaitAsync(TimeSpan.FromSeconds(20)));
        string[] lines = output.ToString().TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("/stage/camera/A/pose ffffff 1.000000 2.000000 3.000000 10.000000 -5.000000 0.000000", lines[0]);
        Assert.Contains("malformed (9 bytes)", lines[1]);
        Assert.Contains("1 packets, 1 malformed", error.ToString());
    }

    [Fact]
    public void Send_with_reply_talks_to_a_control_surface_over_udp_and_tcp()
    {
        var registry = new CommandRegistry();
        using var surface = new ControlSurface(new ControlConfig("127.0.0.1", 0), registry, NullLogger.Instance);
        surface.Start();
        (int exit, string output, _) = Run("osc", "send", $"127.0.0.1:{surface.Port}", "/stage/ping", "--reply");
        Assert.Equal(0, exit);
        Assert.Equal("/stage/reply sss \"/stage/ping\" \"ok\" \"pong\"", output.Trim());
        (exit, output, _) = Run("osc", "send", $"127.0.0.1:{surface.Port}", "/stage/nope", "--reply", "--tcp");
        Assert.Equal(1, exit);
        Assert.Contains("\"error\" \"unknown command /stage/nope", output);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Contains("must be HOST:PORT", Run("osc", "send", "localhost", "/x").Error);
        Assert.Contains("unknown type tag 'q'", Run("osc", "send", "127.0.0.1:9", "/x", "q", "1").Error);
        Assert.Contains("type 'f' has no value", Run("osc", "send", "127.0.0.1:9", "/x", "ff", "1").Error);
        Assert.Contains("no reply", Run("osc", "send", $"127.0.0.1:{FreeUdpPort()}", "/x", "--reply", "--timeout-ms", "300").Error);
    }
}
