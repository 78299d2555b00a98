using BenchmarkDotNet.Attributes;
using Stage.Core.Configuration;
using Stage.Tracking;
using Stage.Tracking.Buffers;
using Stage.Tracking.FreeD;

namespace Stage.Benchmarks.Micro;

/// <summary>
/// FreeD D1 cost per packet: the decode alone (checksum, 24-bit fields, units), and the whole source
/// path (decode, calibration, Z-up → stage conversion, pose-buffer write) as the receive thread runs it.
/// </summary>
[MemoryDiagnoser]
public class FreeDDecodeBenchmarks
{
    private byte[] _packet = [];
    private FreeDSource _source = null!;
    private long _ticks = 1_000_000;

    /// <summary>Builds a packet and a source (never started: packets are fed directly).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _packet = FreeDCodec.Encode(FreeDPacket.FromValues(1, 12.5, -3.25, 0.5, 1234.5, -2500.25, 1650, 2048, 30000));
        var config = new FreeDSourceConfig
        {
            Id = "bench", BindAddress = "127.0.0.1", Port = 0, CameraId = 1,
            ZoomToFocalLengthMm = [new(0, 24), new(4096, 32), new(8192, 50)],
            FocusToDistanceM = [new(0, 0.6), new(65535, 100)],
        };
        _source = new FreeDSource(config, [new PoseBuffer("A", 0)]);
    }

    /// <summary>Releases the source.</summary>
    [GlobalCleanup]
    public void Cleanup() => _source.Dispose();

    /// <summary>Decode one 29-byte packet.</summary>
    [Benchmark(Baseline = true)]
    public double Decode() => FreeDCodec.TryDecode(_packet, out FreeDPacket packet) == FreeDError.None ? packet.PanDeg : double.NaN;

    /// <summary>The receive thread's whole work for one packet.</summary>
    [Benchmark]
    public void ProcessIntoPoseBuffer() => _source.ProcessDatagram(_packet, _ticks++);
}
