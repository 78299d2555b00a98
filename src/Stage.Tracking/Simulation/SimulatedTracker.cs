using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Core.Time;
using Stage.Osc;
using Stage.Tracking.FreeD;
using Stage.Tracking.OpenTrackIO;

namespace Stage.Tracking.Simulation;

/// <summary>The wire protocols a simulated tracker can speak.</summary>
public enum SimulatedProtocol
{
    /// <summary>OSC as the source's configuration expects it (its pose address, forms, units and axes).</summary>
    Osc,
    /// <summary>FreeD D1.</summary>
    FreeD,
    /// <summary>OpenTrackIO JSON over UDP.</summary>
    OpenTrackIO,
}

/// <summary>
/// A tracker without hardware: samples a <see cref="CameraPath"/> at a fixed rate, paced on the
/// monotonic clock (sample n at start + n/rate, never by adding rounded periods), and sends each pose
/// in the protocol a real tracker would use, to the camera's source.
/// </summary>
public sealed class SimulatedTracker : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CameraPath _path;
    private readonly CameraConfig _camera;
    private readonly TrackingSourceConfig _source;
    private readonly SimulatedProtocol _protocol;
    private readonly IPEndPoint _target;
    private readonly byte[] _buffer = new byte[65536];
    private readonly float[] _values = new float[7];
    private readonly float[] _focal = new float[1];
    private ushort _sequence;
    private double _rateHz = 60;

    /// <summary>Prepares a tracker for <paramref name="camera"/> sending to <paramref name="target"/>.</summary>
    public SimulatedTracker(CameraConfig camera, TrackingSourceConfig source, CameraPath path, SimulatedProtocol protocol, IPEndPoint target)
    {
        _camera = camera;
        _source = source;
        _path = path;
        _protocol = protocol;
        _target = target;
        if (protocol == SimulatedProtocol.Osc && source is not OscSourceConfig)
            throw new ArgumentException($"source '{source.Id}' is {source.Kind}; OSC needs an OSC source's addresses");
        if (target.Address.IsIPv6Multicast || (target.Address.GetAddressBytes()[0] & 0xF0) == 0xE0)
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
    }

    /// <summary>Samples sent.</summary>
    public long SentCount { get; private set; }

    /// <summary>The default destination for a camera's source: its port on loopback, or its multicast group.</summary>
    public static IPEndPoint DefaultTarget(TrackingSourceConfig source, string? host) =>
        new(host is not null ? Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork)
            : source is OpenTrackIOSourceConfig otio ? IPAddress.Parse(otio.MulticastGroup) : IPAddress.Loopback, source.Port);

    /// <summary>Sends at <paramref name="rateHz"/> until cancelled or <paramref name="seconds"/> pass; calls <paramref name="progress"/> once a second.</summary>
    public void Run(double rateHz, double? seconds, CancellationToken cancellation, Action<long, PathPoint>? progress = null)
    {
        _rateHz = rateHz;
        long start = Stopwatch.GetTimestamp();
        for (long n = 0; !cancellation.IsCancellationRequested; n++)
        {
            long due = start + (long)(n * Stopwatch.Frequency / rateHz);
            double t = n / rateHz;
            if (seconds is double limit && t >= limit) break;
            while (Stopwatch.GetTimestamp() < due && !cancellation.IsCancellationRequested)
            {
                long wait = (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                if (wait > 1) cancellation.WaitHandle.WaitOne((int)wait - 1); else Thread.SpinWait(32);
            }
            PathPoint point = _path.At(t);
            Send(point, t);
            if (progress is not null && n % Math.Max(1, (long)rateHz) == 0) progress(n, point);
        }
    }

    /// <summary>Sends one sample for time <paramref name="seconds"/>.</summary>
    public void Send(PathPoint point, double seconds)
    {
        int length = _protocol switch
        {
            SimulatedProtocol.Osc => WriteOsc(point),
            SimulatedProtocol.FreeD => WriteFreeD(point),
            _ => WriteOpenTrackIO(point, seconds),
        };
        if (length > 0) _socket.SendTo(_buffer.AsSpan(0, length), SocketFlags.None, _target);
        SentCount++;
    }

    private int WriteOsc(PathPoint point)
    {
        var osc = (OscSourceConfig)_source;
        string address = (osc.Addresses.GetValueOrDefault("pose") ?? throw new InvalidOperationException($"source '{osc.Id}' has no pose address"))
            .Replace("{camera}", _camera.TrackedId, StringComparison.Ordinal);
        float scale = osc.PositionUnit switch { LengthUnit.Centimetres => 100f, LengthUnit.Millimetres => 1000f, _ => 1f };
        var position = osc.Axes == AxisConvention.ZUp ? ZUpConversion.PositionFromStage(point.Pose.PositionM) : point.Pose.PositionM;
        float[] values = _values;
        values[0] = position.X * scale; values[1] = position.Y * scale; values[2] = position.Z * scale;
        int count;
        if (osc.Rotation == RotationForm.Quaternion)
        {
            System.Numerics.Quaternion q = point.Pose.Orientation;
            if (osc.Axes == AxisConvention.ZUp) q = new System.Numerics.Quaternion(q.X, -q.Z, q.Y, q.W);
            values[3] = q.X; values[4] = q.Y; values[5] = q.Z; values[6] = q.W;
            count = 7;
        }
        else
        {
            PanTiltRoll angles = point.Pose.Angles;
            double unit = osc.AngleUnit == AngleUnit.Radians ? Math.PI / 180 : 1;
            for (int i = 0; i < 3; i++)
                values[3 + i] = (float)(unit * osc.EulerOrder[i] switch { "pan" => angles.PanDeg, "tilt" => angles.TiltDeg, _ => angles.RollDeg });
            count = 6;
        }
        var writer = new OscWriter(_buffer);
        writer.WriteMessage(address, values.AsSpan(0, count));
        int length = writer.BytesWritten;
        if (osc.Addresses.TryGetValue("focalLength", out string? focal))
        {
            // A bundle keeps pose and lens together, as a tracker should.
            var bundle = new OscWriter(_buffer);
            bundle.WriteBundleHeader(OscTimeTag.Immediately);
            var element = bundle.BeginBundleElement();
            bundle.WriteMessage(address, values.AsSpan(0, count));
            bundle.EndBundleElement(element);
            element = bundle.BeginBundleElement();
            _focal[0] = (float)point.FocalLengthMm;
            bundle.WriteMessage(focal.Replace("{camera}", _camera.TrackedId, StringComparison.Ordinal), _focal);
            bundle.EndBundleElement(element);
            length = bundle.BytesWritten;
        }
        return length;
    }

    private int WriteFreeD(PathPoint point)
    {
        var freed = _source as FreeDSourceConfig;
        (double pan, double tilt, double roll) = ZUpConversion.StageToFreeDAngles(point.Pose.Orientation);
        (double x, double y, double z) = ZUpConversion.StageToFreeDPosition(point.Pose.PositionM);
        int zoom = freed is null ? 0 : Inverse(freed.ZoomToFocalLengthMm, point.FocalLengthMm);
        FreeDPacket packet = FreeDPacket.FromValues((byte)(freed?.CameraId ?? 1), pan, tilt, roll, x, y, z, zoom, 0);
        FreeDCodec.Encode(packet, _buffer);
        return 29;
    }

    private int WriteOpenTrackIO(PathPoint point, double seconds)
    {
        var json = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(json))
        {
            (double pan, double tilt, double roll) = ZUpConversion.StageToOpenTrackIORotation(point.Pose.Orientation);
            System.Numerics.Vector3 p = ZUpConversion.StageToOpenTrackIOTranslation(point.Pose.PositionM);
            Timecode tc = Timecode.FromFrameCount((long)(seconds * 24), FrameRate.Fps24);
            w.WriteStartObject();
            w.WriteStartObject("protocol"); w.WriteString("name", "OpenTrackIO"); w.WriteStartArray("version"); w.WriteNumberValue(1); w.WriteNumberValue(0); w.WriteNumberValue(0); w.WriteEndArray(); w.WriteEndObject();
            w.WriteString("sourceId", _camera.TrackedId);
            // The source number is the last byte of the group (235.135.1.<sourceNumber> by default).
            if (_source is OpenTrackIOSourceConfig otio && IPAddress.TryParse(otio.MulticastGroup, out IPAddress? group))
                w.WriteNumber("sourceNumber", group.GetAddressBytes()[3]);
            w.WriteStartObject("timing");
            w.WriteNumber("sequenceNumber", _sequence);
            w.WriteStartObject("sampleRate"); w.WriteNumber("num", (long)Math.Round(_rateHz * 1000)); w.WriteNumber("denom", 1000); w.WriteEndObject();
            w.WriteStartObject("timecode");
            w.WriteNumber("hours", tc.Hours); w.WriteNumber("minutes", tc.Minutes); w.WriteNumber("seconds", tc.Seconds); w.WriteNumber("frames", tc.Frames);
            w.WriteStartObject("frameRate"); w.WriteNumber("num", 24); w.WriteNumber("denom", 1); w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("transforms");
            w.WriteStartObject();
            w.WriteString("id", "Camera");
            w.WriteStartObject("translation"); w.WriteNumber("x", p.X); w.WriteNumber("y", p.Y); w.WriteNumber("z", p.Z); w.WriteEndObject();
            w.WriteStartObject("rotation"); w.WriteNumber("pan", pan); w.WriteNumber("tilt", tilt); w.WriteNumber("roll", roll); w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("lens"); w.WriteNumber("pinholeFocalLength", point.FocalLengthMm); w.WriteEndObject();
            w.WriteEndObject();
        }
        int length = OpenTrackIOHeader.Write(_buffer, 0x01, _sequence++, 0, true, json.WrittenSpan);
        return length;
    }

    /// <summary>The encoder value a calibration table maps to <paramref name="value"/> (linear between points, clamped).</summary>
    internal static int Inverse(IReadOnlyList<CalibrationPoint> table, double value)
    {
        if (table.Count == 0) return 0;
        for (int i = 1; i < table.Count; i++)
        {
            CalibrationPoint a = table[i - 1], b = table[i];
            double lo = Math.Min(a.Value, b.Value), hi = Math.Max(a.Value, b.Value);
            if (value >= lo && value <= hi && b.Value != a.Value)
                return (int)Math.Round(a.Encoder + (value - a.Value) / (b.Value - a.Value) * (b.Encoder - a.Encoder));
        }
        return value <= table[0].Value ? table[0].Encoder : table[^1].Encoder;
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
