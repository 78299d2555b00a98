using System.Text;
using Stage.Tracking.Buffers;
using Stage.Tracking.FreeD;
using Stage.Tracking.OpenTrackIO;
using static Stage.Tracking.Tests.TestConfigs;

namespace Stage.Tracking.Tests;

/// <summary>Random and mutated datagrams into every decoder: nothing throws, no camera's pose is corrupted.</summary>
public class FuzzTests
{
    private const int Iterations = 20_000;

    private static byte[] Mutate(Random random, byte[] original)
    {
        byte[] bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                for (int i = random.Next(1, 8); i > 0; i--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 2:
                return bytes[..random.Next(bytes.Length)];
            default:
                return [.. bytes, .. Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256))];
        }
    }

    private static void AssertSane(PoseBuffer buffer)
    {
        if (!buffer.TryGetLatest(out CameraSample s)) return;
        Assert.True(s.IsPlausible(), $"implausible sample {s}");
    }

    [Fact]
    public void FreeD_source_survives_random_and_mutated_datagrams()
    {
        var random = new Random(1234);
        var buffer = new PoseBuffer("A", 0);
        using var source = new FreeDSource(FreeDConfig(), [buffer]);
        byte[] valid = FreeDCodecTests.KnownPacket;
        source.ProcessDatagram(valid, Ms(0));
        for (int i = 1; i <= Iterations; i++)
        {
            long before = buffer.WrittenCount;
            byte[] datagram = random.Next(2) == 0 ? Mutate(random, valid) : RandomBytes(random, random.Next(0, 64));
            source.ProcessDatagram(datagram, Ms(i));
            // A datagram changes the pose only when it is a well-formed D1 for this camera.
            bool valid29 = FreeDCodec.TryDecode(datagram, out FreeDPacket p) == FreeDError.None && p.CameraId == 1;
            Assert.Equal(before + (valid29 ? 1 : 0), buffer.WrittenCount);
            AssertSane(buffer);
        }
    }

    [Fact]
    public void OpenTrackIO_source_survives_random_and_mutated_datagrams()
    {
        var random = new Random(5678);
        var buffer = new PoseBuffer("B", 0);
        using var source = new OpenTrackIOSource(OpenTrackIOConfig(), [new BoundCamera(buffer, "camera-b")]);
        byte[] json = Encoding.UTF8.GetBytes(OpenTrackIOJsonParserTests.RecommendedDynamicExample);
        var valid = new byte[16 + json.Length];
        OpenTrackIOHeader.Write(valid, 0x01, 1, 0, true, json);
        IReadOnlyList<byte[]> segments = OpenTrackIOHeader.Segment(json, 0x01, 2, 200);
        source.ProcessDatagram(valid, Ms(0));
        Assert.True(buffer.TryGetLatest(out CameraSample reference));
        for (int i = 1; i <= Iterations; i++)
        {
            byte[] datagram = random.Next(3) switch
            {
                0 => Mutate(random, valid),
                1 => Mutate(random, segments[random.Next(segments.Count)]),
                _ => RandomBytes(random, random.Next(0, 200)),
            };
            source.ProcessDatagram(datagram, Ms(i));
            AssertSane(buffer);
        }
    }

    [Fact]
    public void Json_payloads_with_valid_headers_never_corrupt_the_pose()
    {
        // Mutate the JSON itself and re-checksum, so mutations get past the header to the parser.
        var random = new Random(91011);
        var buffer = new PoseBuffer("B", 0);
        using var source = new OpenTrackIOSource(OpenTrackIOConfig(), [new BoundCamera(buffer, "camera-b")]);
        byte[] json = Encoding.UTF8.GetBytes(OpenTrackIOJsonParserTests.RecommendedDynamicExample);
        for (int i = 1; i <= Iterations; i++)
        {
            byte[] mutated = Mutate(random, json);
            var datagram = new byte[16 + Math.Min(mutated.Length, OpenTrackIOHeader.MaxSegmentPayload)];
            OpenTrackIOHeader.Write(datagram, 0x01, (ushort)i, 0, true, mutated.AsSpan(0, datagram.Length - 16));
            source.ProcessDatagram(datagram, Ms(i));
            AssertSane(buffer);
        }
        Assert.True(buffer.WrittenCount > 0);
    }

    [Fact]
    public void Random_bytes_never_throw_from_the_parsers()
    {
        var random = new Random(42);
        var message = new OpenTrackIOMessage();
        for (int i = 0; i < Iterations; i++)
        {
            byte[] bytes = RandomBytes(random, random.Next(0, 100));
            OpenTrackIOJsonParser.Parse(bytes, message);
            OpenTrackIOHeader.TryParse(bytes, out _, out _);
            FreeDCodec.TryDecode(bytes, out _);
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
