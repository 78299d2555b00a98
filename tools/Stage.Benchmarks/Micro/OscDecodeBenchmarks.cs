using BenchmarkDotNet.Attributes;
using Stage.Osc;

namespace Stage.Benchmarks.Micro;

/// <summary>
/// OSC decode cost, compared in DESIGN.md with liblo 0.31's C decoder (58 ns per message alone,
/// 121 ns per message in a bundle on a 2-core machine). Each benchmark decodes, validates and reads
/// every float of every pose, as a tracking source would.
/// </summary>
[MemoryDiagnoser]
public class OscDecodeBenchmarks
{
    private byte[] _pose = [];
    private byte[] _bundle = [];
    private readonly float[] _values = new float[6];

    /// <summary>Builds the packets once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _pose = Pose("/camera/1/pose", 1).ToArray();
        _bundle = new OscBundleData(OscTimeTag.Immediately, [.. Enumerable.Range(1, 8).Select(i => (OscPacketData)Pose($"/camera/{i}/pose", i))]).ToArray();
    }

    private static OscMessageData Pose(string address, float x) => new(address,
        OscValue.FromFloat32(x), OscValue.FromFloat32(1.6f), OscValue.FromFloat32(-3.5f),
        OscValue.FromFloat32(12.5f), OscValue.FromFloat32(-4f), OscValue.FromFloat32(0.25f));

    /// <summary>One 6-float pose message: decode, validate, read six floats.</summary>
    [Benchmark(Baseline = true)]
    public float PoseMessage()
    {
        if (!OscPacket.TryDecode(_pose, out var packet, out _)) return float.NaN;
        packet.Message.TryGetNumbers(_values);
        return _values[0];
    }

    /// <summary>A bundle of 8 pose messages; reported per message (OperationsPerInvoke = 8).</summary>
    [Benchmark(OperationsPerInvoke = 8)]
    public float EightMessageBundlePerMessage()
    {
        if (!OscPacket.TryDecode(_bundle, out var packet, out _)) return float.NaN;
        var sum = 0f;
        foreach (var element in packet.Bundle)
        {
            element.Message.TryGetNumbers(_values);
            sum += _values[0];
        }
        return sum;
    }

    /// <summary>Encoding one pose message into a reused buffer, for comparison.</summary>
    [Benchmark]
    public int EncodePoseMessage()
    {
        var writer = new OscWriter(_scratch);
        writer.WriteMessage("/camera/1/pose", _values);
        return writer.BytesWritten;
    }

    private readonly byte[] _scratch = new byte[256];
}
