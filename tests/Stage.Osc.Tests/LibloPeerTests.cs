using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Stage.Osc;

namespace Stage.Osc.Tests;

/// <summary>
/// liblo (Debian liblo-tools 0.31) as the peer: its oscsend's raw bytes equal ours, its oscsend
/// reaches our UDP receiver and TCP server, and its oscdump prints what our sender and TCP client sent.
/// </summary>
public class LibloPeerTests
{
    private static OscMessageData AllLibloTypes(string address) => new(address,
        OscValue.FromInt32(-42), OscValue.FromFloat32(2.5f), OscValue.FromInt64(5_000_000_000), OscValue.FromFloat64(3.25),
        OscValue.FromString("hi there"), OscValue.FromChar('x'), OscValue.FromSymbol("sym"),
        OscValue.FromMidi(new OscMidi(1, 2, 3, 4)), OscValue.True, OscValue.False, OscValue.Nil, OscValue.Infinitum);

    private static readonly string[] AllLibloTypesArguments = ["ifhdscSmTFNI", "-42", "2.5", "5000000000", "3.25", "hi there", "x", "sym", "01020304"];

    [Fact]
    public void Oscsend_raw_bytes_equal_our_encoding_of_the_spec_examples()
    {
        Assert.Equal(SpecificationVectorTests.OscillatorFrequency, LibloPeer.RunOscSend("-", "/oscillator/4/frequency", "f", "440.0"));
        Assert.Equal(SpecificationVectorTests.FooFiveArguments, LibloPeer.RunOscSend("-", "/foo", "iisff", "1000", "-1", "hello", "1.234", "5.678"));
    }

    [Fact]
    public void Oscsend_raw_bytes_equal_our_encoding_for_every_type_liblo_sends()
    {
        var golden = LibloPeer.RunOscSend(["-", "/all/types", .. AllLibloTypesArguments]);
        Assert.Equal(golden, AllLibloTypes("/all/types").ToArray());
    }

    [Theory]
    [InlineData("/abc", "")]
    [InlineData("/abcd", "s", "")]
    [InlineData("/a", "s", "abc")]
    [InlineData("/a", "s", "abcd")]
    [InlineData("/a", "S", "abcdefgh")]
    public void Oscsend_string_padding_matches_ours(string address, string types, params string[] values)
    {
        var golden = LibloPeer.RunOscSend(["-", address, types, .. values]);
        var arguments = values.Select(v => types == "S" ? OscValue.FromSymbol(v) : OscValue.FromString(v)).ToArray();
        Assert.Equal(golden, new OscMessageData(address, arguments).ToArray());
    }

    [Fact]
    public void Oscsend_reaches_our_udp_receiver_with_exact_values()
    {
        var received = new BlockingCollection<OscMessageData>();
        using var receiver = new OscUdpReceiver(new OscUdpReceiverOptions { LocalAddress = IPAddress.Loopback },
            (OscPacket packet, in OscReceiveInfo info) => received.Add(packet.Message.ToData()));
        receiver.Start();
        LibloPeer.RunOscSend(["127.0.0.1", receiver.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "/all/types", .. AllLibloTypesArguments]);
        LibloPeer.RunOscSend("127.0.0.1", receiver.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "/camera/1/pose", "ffffff", "1.25", "1.6", "-3.5", "12.5", "-4", "0.25");
        Assert.True(received.TryTake(out var first, 5_000), "nothing received from oscsend");
        Assert.Equal(AllLibloTypes("/all/types"), first);
        Assert.True(received.TryTake(out var pose, 5_000), "pose not received from oscsend");
        Assert.Equal(new OscMessageData("/camera/1/pose", [.. new[] { 1.25f, 1.6f, -3.5f, 12.5f, -4f, 0.25f }.Select(OscValue.FromFloat32)]), pose);
        Assert.Equal(0, receiver.MalformedPacketCount);
    }

    [Fact]
    public void Oscsend_to_a_multicast_group_reaches_our_multicast_receiver()
    {
        var port = LibloPeer.FreePort(ProtocolType.Udp);
        var received = new BlockingCollection<OscMessageData>();
        using var receiver = new OscUdpReceiver(new OscUdpReceiverOptions { Port = port, MulticastGroup = IPAddress.Parse("239.255.77.78") },
            (OscPacket packet, in OscReceiveInfo info) => received.Add(packet.Message.ToData()));
        receiver.Start();
        LibloPeer.RunOscSend("osc.udp://239.255.77.78:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture), "/multicast/camera", "if", "3", "0.5");
        Assert.True(received.TryTake(out var got, 5_000), "nothing received from oscsend via multicast");
        Assert.Equal(new OscMessageData("/multicast/camera", OscValue.FromInt32(3), OscValue.FromFloat32(0.5f)), got);
    }

    [Fact]
    public void Oscsend_over_tcp_reaches_our_tcp_server()
    {
        // liblo frames TCP with a 4-byte length (OSC 1.0 stream style); the server's Auto framing accepts it.
        var received = new BlockingCollection<(OscMessageData, OscStreamFraming)>();
        using var server = new OscTcpServer(new OscTcpServerOptions(),
            (OscPacket packet, in OscReceiveInfo info) => received.Add((packet.Message.ToData(), info.Connection!.ReceiveFraming)));
        server.Start();
        LibloPeer.RunOscSend("osc.tcp://127.0.0.1:" + server.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "/cue/go", "is", "7", "scene two");
        Assert.True(received.TryTake(out var got, 5_000), "nothing received from oscsend over TCP");
        Assert.Equal(new OscMessageData("/cue/go", OscValue.FromInt32(7), OscValue.FromString("scene two")), got.Item1);
        Assert.Equal(OscStreamFraming.LengthPrefixed, got.Item2);
    }

    [Fact]
    public void Our_udp_sender_reaches_oscdump_and_it_prints_the_same_values()
    {
        var port = LibloPeer.FreePort(ProtocolType.Udp);
        using var dump = new OscDumpProcess(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var sender = new OscUdpSender(new IPEndPoint(IPAddress.Loopback, port));
        dump.WaitUntilListening(() => sender.Send(new OscMessageData("/ready")), "/ready");

        var all = AllLibloTypes("/all/types");
        sender.Send(all);
        sender.SendMessage("/camera/1/pose", [1.25f, 1.5f, -3.5f, 12.5f, -4f, 0.25f]);
        sender.Send(new OscMessageData("/blob", OscValue.FromBlob([0x61, 0x62, 0x63]), OscValue.FromTimeTag(OscTimeTag.FromParts(5, 6))));
        sender.Send(new OscBundleData(OscTimeTag.Immediately,
            new OscMessageData("/bundled/1", OscValue.FromInt32(1)),
            new OscBundleData(OscTimeTag.Immediately, new OscMessageData("/bundled/2", OscValue.FromString("nested")))));

        Assert.Equal(all.ToString(), MessagePart(dump.WaitForLines("/all/types", 1)[0]));
        Assert.Equal("/camera/1/pose ffffff 1.250000 1.500000 -3.500000 12.500000 -4.000000 0.250000", MessagePart(dump.WaitForLines("/camera/1/pose", 1)[0]));
        Assert.Equal("/blob bt [3b 0x61 0x62 0x63] 00000005.00000006", MessagePart(dump.WaitForLines("/blob", 1)[0]));
        var bundled = dump.WaitForLines("/bundled/", 2).Select(MessagePart).ToArray();
        Assert.Equal(["/bundled/1 i 1", "/bundled/2 s \"nested\""], bundled);
    }

    [Fact]
    public void Our_tcp_client_speaking_slip_reaches_oscdump_over_tcp()
    {
        var port = LibloPeer.FreePort(ProtocolType.Tcp);
        using var dump = new OscDumpProcess("osc.tcp://:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // oscdump prints nothing when it starts; it is listening once a connection succeeds.
        var client = ConnectWithRetry(port);
        using (client)
        {
            client.Send(new OscMessageData("/slip/test", OscValue.FromInt32(7), OscValue.FromBlob([0xC0, 0xDB, 0x01, 0x00])));
            client.Send(new OscMessageData("/slip/test", OscValue.FromString("second")));
            var lines = dump.WaitForLines("/slip/test", 2).Select(MessagePart).ToArray();
            Assert.Equal(["/slip/test ib 7 [4b 0xc0 0xdb 0x1 00]", "/slip/test s \"second\""], lines);
        }
    }

    private static OscTcpClient ConnectWithRetry(int port)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return OscTcpClient.Connect("127.0.0.1", port);
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(100);
            }
        }
    }

    // oscdump prints "<time tag> <address> <types> <args...>"; drop the time tag.
    private static string MessagePart(string line) => line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..];
}
