using Stage.Osc;

namespace Stage.Osc.Tests;

/// <summary>Decoding in steady state allocates nothing (measured with the thread's allocation counter).</summary>
public class AllocationTests
{
    internal static byte[] PoseMessage() =>
        new OscMessageData("/camera/1/pose",
            OscValue.FromFloat32(1.25f), OscValue.FromFloat32(1.6f), OscValue.FromFloat32(-3.5f),
            OscValue.FromFloat32(12.5f), OscValue.FromFloat32(-4f), OscValue.FromFloat32(0.25f)).ToArray();

    internal static byte[] PoseBundle()
    {
        var messages = Enumerable.Range(1, 8).Select(i => (OscPacketData)new OscMessageData($"/camera/{i}/pose",
            OscValue.FromFloat32(i), OscValue.FromFloat32(1.6f), OscValue.FromFloat32(-3.5f),
            OscValue.FromFloat32(12.5f), OscValue.FromFloat32(-4f), OscValue.FromFloat32(0.25f))).ToArray();
        return new OscBundleData(OscTimeTag.Immediately, messages).ToArray();
    }

    private static float DecodePose(byte[] bytes, Span<float> pose)
    {
        if (!OscPacket.TryDecode(bytes, out var packet, out _)) return float.NaN;
        var sum = 0f;
        if (packet.IsMessage)
        {
            packet.Message.TryGetNumbers(pose);
            return pose[0];
        }
        foreach (var element in packet.Bundle)
        {
            var message = element.Message;
            if (message.AddressUtf8.StartsWith("/camera/"u8) && message.TryGetNumbers(pose)) sum += pose[0];
        }
        return sum;
    }

    private static long AllocatedBytesFor(byte[] bytes, int iterations, out float checksum)
    {
        Span<float> pose = stackalloc float[6];
        checksum = 0;
        for (var i = 0; i < 100; i++) checksum += DecodePose(bytes, pose); // warm up (JIT tiers, statics)
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++) checksum += DecodePose(bytes, pose);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Decoding_a_six_float_pose_message_allocates_nothing()
    {
        var allocated = AllocatedBytesFor(PoseMessage(), 10_000, out var checksum);
        Assert.Equal(0, allocated);
        Assert.Equal(10_100 * 1.25f, checksum);
    }

    [Fact]
    public void Decoding_an_eight_message_bundle_allocates_nothing()
    {
        var allocated = AllocatedBytesFor(PoseBundle(), 10_000, out var checksum);
        Assert.Equal(0, allocated);
        Assert.Equal(10_100 * 36f, checksum);
    }

    [Fact]
    public void Dispatching_a_bundle_allocates_nothing()
    {
        var dispatcher = new OscDispatcher();
        var total = 0f;
        dispatcher.Register("/camera/*/pose", (OscMessage m, in OscMessageContext c) =>
        {
            if (m.TryGetNumber(0, out float x)) total += x;
        });
        var bytes = PoseBundle();
        var info = new OscReceiveInfo(OscTransport.Local, 0, null, null);
        for (var i = 0; i < 100; i++) dispatcher.TryDispatch(bytes, info, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) dispatcher.TryDispatch(bytes, info, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_100 * 36f, total);
    }

    [Fact]
    public void Encoding_a_pose_into_a_caller_span_allocates_nothing()
    {
        Span<byte> buffer = stackalloc byte[256];
        Span<float> pose = [1.25f, 1.6f, -3.5f, 12.5f, -4f, 0.25f];
        var length = 0;
        for (var i = 0; i < 100; i++) length = WritePose(buffer, pose);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) length = WritePose(buffer, pose);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(PoseMessage(), buffer[..length].ToArray());
    }

    private static int WritePose(Span<byte> buffer, ReadOnlySpan<float> pose)
    {
        var writer = new OscWriter(buffer);
        writer.WriteMessage("/camera/1/pose", pose);
        return writer.BytesWritten;
    }
}
