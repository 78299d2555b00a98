using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Stage.Osc;

namespace Stage.Osc.Tests;

/// <summary>UDP receiver and sender: loopback, timestamps, malformed counting, multicast, shutdown.</summary>
public class UdpTransportTests
{
    private static OscUdpReceiver Loopback(OscPacketHandler handler, OscMalformedPacketHandler? malformed = null)
    {
        var receiver = new OscUdpReceiver(new OscUdpReceiverOptions { LocalAddress = IPAddress.Loopback }, handler, malformed);
        receiver.Start();
        return receiver;
    }

    [Fact]
    public void Sent_pose_arrives_with_a_monotonic_receive_timestamp_and_sender_address()
    {
        var received = new BlockingCollection<(float[] Pose, long Ticks, IPEndPoint? From)>();
        using var receiver = Loopback((OscPacket packet, in OscReceiveInfo info) =>
        {
            var pose = new float[6];
            packet.Message.TryGetNumbers(pose);
            received.Add((pose, info.ReceiveTimestampTicks, info.GetRemoteEndPoint()));
        });
        using var sender = new OscUdpSender(new IPEndPoint(IPAddress.Loopback, receiver.LocalPort));
        var before = Stopwatch.GetTimestamp();
        sender.SendMessage("/camera/1/pose", [1, 2, 3, 4, 5, 6]);
        Assert.True(received.TryTake(out var got, 5_000));
        var after = Stopwatch.GetTimestamp();
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, got.Pose);
        Assert.InRange(got.Ticks, before, after);
        Assert.Equal(sender.LocalPort, got.From?.Port);
        Assert.Equal(1, receiver.PacketCount);
    }

    [Fact]
    public void Malformed_datagrams_are_counted_and_the_loop_keeps_receiving()
    {
        var good = new BlockingCollection<string>();
        var bad = new BlockingCollection<OscError>();
        using var receiver = Loopback(
            (OscPacket packet, in OscReceiveInfo info) => good.Add(packet.Message.GetAddress()),
            (ReadOnlySpan<byte> bytes, OscError error, in OscReceiveInfo info) => bad.Add(error));
        using var sender = new OscUdpSender(new IPEndPoint(IPAddress.Loopback, receiver.LocalPort));
        sender.Send("/ab\0,x\0\0"u8);
        sender.Send([0xde, 0xad]);
        sender.Send(new OscMessageData("/still/alive"));
        Assert.True(good.TryTake(out var address, 5_000));
        Assert.Equal("/still/alive", address);
        Assert.True(bad.TryTake(out var first, 5_000));
        Assert.Equal(new OscError(OscErrorKind.UnknownTypeTag, 5), first);
        Assert.True(bad.TryTake(out var second, 5_000));
        Assert.Equal(new OscError(OscErrorKind.AddressMissingSlash, 0), second);
        Assert.Equal(2, receiver.MalformedPacketCount);
        Assert.Equal(new OscError(OscErrorKind.AddressMissingSlash, 0), receiver.LastError);
    }

    [Fact]
    public void A_throwing_callback_is_counted_and_receiving_goes_on()
    {
        var count = 0;
        using var done = new ManualResetEventSlim();
        using var receiver = Loopback((OscPacket packet, in OscReceiveInfo info) =>
        {
            if (Interlocked.Increment(ref count) == 1) throw new InvalidOperationException("callback bug");
            done.Set();
        });
        using var sender = new OscUdpSender(new IPEndPoint(IPAddress.Loopback, receiver.LocalPort));
        sender.Send(new OscMessageData("/one"));
        sender.Send(new OscMessageData("/two"));
        Assert.True(done.Wait(5_000));
        Assert.Equal(1, receiver.HandlerExceptionCount);
    }

    [Fact]
    public void Receiver_feeds_a_dispatcher()
    {
        var dispatcher = new OscDispatcher();
        var got = new BlockingCollection<double>();
        dispatcher.Register("/fader/*", (OscMessage m, in OscMessageContext c) =>
        {
            if (m.TryGetNumber(0, out double v)) got.Add(v);
        });
        using var receiver = OscUdpReceiver.ForDispatcher(new OscUdpReceiverOptions { LocalAddress = IPAddress.Loopback }, dispatcher);
        receiver.Start();
        using var sender = new OscUdpSender("127.0.0.1", receiver.LocalPort);
        sender.Send(new OscMessageData("/fader/1", OscValue.FromInt32(1)));
        sender.Send(new OscMessageData("/fader/2", OscValue.FromFloat32(0.5f)));
        Assert.True(got.TryTake(out var a, 5_000));
        Assert.True(got.TryTake(out var b, 5_000));
        Assert.Equal((1.0, 0.5), (a, b));
    }

    [Fact]
    public void Thousand_poses_over_loopback_arrive_in_order_without_loss()
    {
        var sequence = new ConcurrentQueue<int>();
        using var all = new CountdownEvent(1000);
        using var receiver = Loopback((OscPacket packet, in OscReceiveInfo info) =>
        {
            sequence.Enqueue(packet.Message[0].GetInt32());
            all.Signal();
        });
        using var sender = new OscUdpSender(new IPEndPoint(IPAddress.Loopback, receiver.LocalPort));
        Span<byte> buffer = stackalloc byte[128];
        for (var i = 0; i < 1000; i++)
        {
            var writer = new OscWriter(buffer);
            writer.BeginMessage("/seq");
            writer.WriteInt32(i);
            writer.EndMessage();
            sender.Send(writer.WrittenSpan);
        }
        Assert.True(all.Wait(10_000), $"received {sequence.Count} of 1000");
        Assert.Equal(Enumerable.Range(0, 1000), sequence);
    }

    [Fact]
    public void Receive_loop_allocates_nothing_per_datagram_in_steady_state()
    {
        // The callback runs on the receive thread, so that thread's allocation counter covers the
        // socket receive, timestamping, decoding and the callback itself.
        const int WarmUp = 200, Measured = 1000;
        long atWarmUp = 0, atEnd = 0;
        var count = 0;
        var sum = 0f;
        using var done = new ManualResetEventSlim();
        using var receiver = Loopback((OscPacket packet, in OscReceiveInfo info) =>
        {
            foreach (var element in packet.Bundle)
            {
                if (element.Message.TryGetNumber(0, out float x)) sum += x;
            }
            count++;
            if (count == WarmUp) atWarmUp = GC.GetAllocatedBytesForCurrentThread();
            if (count == WarmUp + Measured)
            {
                atEnd = GC.GetAllocatedBytesForCurrentThread();
                done.Set();
            }
        });
        using var sender = new OscUdpSender(new IPEndPoint(IPAddress.Loopback, receiver.LocalPort));
        var bundle = AllocationTests.PoseBundle();
        for (var i = 0; i < WarmUp + Measured; i++)
        {
            sender.Send(bundle);
            if (i % 100 == 99) Thread.Sleep(1); // stay well inside the socket buffer
        }
        Assert.True(done.Wait(10_000), $"received {count} of {WarmUp + Measured}");
        Assert.Equal(0, atEnd - atWarmUp);
        Assert.Equal((WarmUp + Measured) * 36f, sum);
    }

    [Fact]
    public void Multicast_group_members_receive_what_is_sent_to_the_group()
    {
        var group = IPAddress.Parse("239.255.77.77");
        var port = LibloPeer.FreePort(ProtocolType.Udp);
        var received = new BlockingCollection<string>();
        using var receiver = new OscUdpReceiver(new OscUdpReceiverOptions { Port = port, MulticastGroup = group },
            (OscPacket packet, in OscReceiveInfo info) => received.Add(packet.Message.GetAddress()));
        receiver.Start();
        using var sender = new OscUdpSender(new IPEndPoint(group, port), new OscUdpSenderOptions { MulticastLoopback = true });
        sender.Send(new OscMessageData("/multicast/hello"));
        Assert.True(received.TryTake(out var address, 5_000), "multicast datagram not received");
        Assert.Equal("/multicast/hello", address);
    }

    [Fact]
    public void Dispose_stops_the_receive_thread_promptly()
    {
        var receiver = Loopback((OscPacket packet, in OscReceiveInfo info) => { });
        var clock = Stopwatch.StartNew();
        receiver.Dispose();
        receiver.Dispose();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"dispose took {clock.Elapsed}");
        Assert.Throws<ObjectDisposedException>(receiver.Start);
    }
}
