using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Stage.Osc;

namespace Stage.Osc.Tests;

/// <summary>TCP client and server with SLIP (OSC 1.1) and length-prefixed (OSC 1.0) framing.</summary>
public class TcpTransportTests
{
    [Fact]
    public void Slip_client_reaches_server_and_gets_a_reply_on_the_same_connection()
    {
        using var server = new OscTcpServer(new OscTcpServerOptions(), (OscPacket packet, in OscReceiveInfo info) =>
        {
            var address = packet.Message.GetAddress();
            info.Connection!.Send(new OscMessageData("/stage/reply", OscValue.FromString(address), OscValue.FromString("ok")));
        });
        server.Start();
        var replies = new BlockingCollection<OscMessageData>();
        using var client = OscTcpClient.Connect("127.0.0.1", server.LocalPort, OscStreamFraming.Slip,
            (OscPacket packet, in OscReceiveInfo info) => replies.Add(packet.Message.ToData()));
        client.Send(new OscMessageData("/stage/reset", OscValue.FromBlob([0xC0, 0xDB])));
        Assert.True(replies.TryTake(out var reply, 5_000), "no reply");
        Assert.Equal(new OscMessageData("/stage/reply", OscValue.FromString("/stage/reset"), OscValue.FromString("ok")), reply);
        Assert.Equal(1, server.PacketCount);
    }

    [Fact]
    public void Length_prefixed_client_is_understood_and_answered_in_its_own_framing()
    {
        using var server = new OscTcpServer(new OscTcpServerOptions(), (OscPacket packet, in OscReceiveInfo info) =>
            info.Connection!.Send(new OscMessageData("/echo", OscValue.FromInt32(packet.Message[0].GetInt32()))));
        server.Start();
        var replies = new BlockingCollection<int>();
        using var client = OscTcpClient.Connect("127.0.0.1", server.LocalPort, OscStreamFraming.LengthPrefixed,
            (OscPacket packet, in OscReceiveInfo info) => replies.Add(packet.Message[0].GetInt32()));
        client.Send(new OscMessageData("/n", OscValue.FromInt32(41)));
        Assert.True(replies.TryTake(out var n, 5_000));
        Assert.Equal(41, n);
    }

    [Fact]
    public void Bundle_over_tcp_arrives_whole()
    {
        var received = new BlockingCollection<OscPacketData>();
        using var server = new OscTcpServer(new OscTcpServerOptions(), (OscPacket packet, in OscReceiveInfo info) => received.Add(packet.ToData()));
        server.Start();
        using var client = OscTcpClient.Connect("127.0.0.1", server.LocalPort);
        var bundle = new OscBundleData(new OscTimeTag(99), new OscMessageData("/a", OscValue.FromFloat32(1)), new OscMessageData("/b"));
        client.Send(bundle);
        Assert.True(received.TryTake(out var got, 5_000));
        Assert.Equal(bundle, got);
    }

    [Fact]
    public void Malformed_frames_are_counted_and_later_frames_still_arrive()
    {
        var received = new BlockingCollection<string>();
        var errors = new BlockingCollection<OscError>();
        using var server = new OscTcpServer(new OscTcpServerOptions(),
            (OscPacket packet, in OscReceiveInfo info) => received.Add(packet.Message.GetAddress()),
            (ReadOnlySpan<byte> bytes, OscError error, in OscReceiveInfo info) => errors.Add(error));
        server.Start();
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        raw.Connect(new IPEndPoint(IPAddress.Loopback, server.LocalPort));
        // A frame with a bad escape, a frame that is not OSC, then a good one.
        var good = new OscMessageData("/good").ToArray();
        var framedGood = new byte[OscSlip.GetEncodedLength(good)];
        OscSlip.Encode(good, framedGood);
        raw.Send([0xC0, 0x2f, 0xDB, 0x00, 0xC0, 0xC0, 0x78, 0x79, 0x7a, 0x00, 0xC0, .. framedGood]);
        Assert.True(received.TryTake(out var address, 5_000));
        Assert.Equal("/good", address);
        Assert.True(errors.TryTake(out var first, 5_000));
        Assert.Equal(new OscError(OscErrorKind.BadSlipEscape, 1), first);
        Assert.True(errors.TryTake(out var second, 5_000));
        Assert.Equal(new OscError(OscErrorKind.AddressMissingSlash, 0), second);
        Assert.Equal(2, server.MalformedPacketCount);
    }

    [Fact]
    public void Server_dispose_closes_its_connections()
    {
        var server = new OscTcpServer(new OscTcpServerOptions(), (OscPacket packet, in OscReceiveInfo info) => { });
        server.Start();
        using var client = OscTcpClient.Connect("127.0.0.1", server.LocalPort);
        client.Send(new OscMessageData("/hello"));
        SpinWait.SpinUntil(() => server.ConnectionCount == 1, 5_000);
        Assert.Equal(1, server.ConnectionCount);
        server.Dispose();
        Assert.True(SpinWait.SpinUntil(() => client.Connection.IsClosed, 5_000), "client did not see the server close");
    }
}
