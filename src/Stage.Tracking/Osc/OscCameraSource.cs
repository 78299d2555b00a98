using System.Net;
using System.Numerics;
using System.Text;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Osc;
using Stage.Tracking.Buffers;
using Stage.Tracking.Statistics;

namespace Stage.Tracking.Osc;

/// <summary>
/// Camera poses over OSC, addressed as the stage configuration says: a "pose" message (x y z + three
/// angles in the configured order, or + a quaternion x y z w), or separate "position" and "rotation"
/// messages, plus optional "focalLength", "focus" and "iris"; "{camera}" in an address stands for
/// the camera's tracked id. Units and axes are converted here, in one place (Z-up through
/// <see cref="ZUpConversion"/>). A bundle is applied atomically: all its messages make one sample per
/// camera. Ints and floats are accepted alike. Malformed packets and wrong arguments are counted and
/// never applied. Allocation-free per packet in steady state.
/// </summary>
public sealed class OscCameraSource : UdpTrackingSource
{
    private enum Role { Pose, Position, Rotation, FocalLength, Focus, Iris }

    private readonly (Role Role, byte[] Pattern)[][] _patterns;
    private readonly Pending[] _pending;
    private readonly float _positionScale;
    private readonly bool _radians;
    private readonly int[] _eulerIndex = new int[3];
    private readonly PoseParts[] _parts;
    private readonly long _partMaxAgeTicks;
    private long _sequence;

    /// <summary>The parts of a camera's sample a packet has set so far.</summary>
    private struct Pending
    {
        public bool Touched, HasPosition, HasOrientation;
        public Vector3 PositionM;
        public Quaternion Orientation;
        public double FocalLengthMm, FocusDistanceM, Iris;
    }

    /// <summary>
    /// The newest position and the newest rotation a camera received, each with its receive time: trackers that
    /// send them in separate messages are combined from these.
    /// </summary>
    private struct PoseParts
    {
        public bool HasPosition, HasOrientation;
        public Vector3 PositionM;
        public Quaternion Orientation;
        public long PositionTicks, OrientationTicks;
    }

    /// <summary>A source for <paramref name="config"/> feeding <paramref name="cameras"/>.</summary>
    /// <exception cref="ArgumentException">The bind address is not an IPv4 address.</exception>
    public OscCameraSource(OscSourceConfig config, IReadOnlyList<BoundCamera> cameras, TrackingOptions? options = null)
        : base(config, [.. (cameras ?? throw new ArgumentNullException(nameof(cameras))).Select(c => c.Buffer)], options,
            new IPEndPoint(ParseBind(config, config.BindAddress), config.Port))
    {
        TypedConfig = config;
        _pending = new Pending[cameras.Count];
        _parts = new PoseParts[cameras.Count];
        _partMaxAgeTicks = (long)(Options.LossTimeoutMs * System.Diagnostics.Stopwatch.Frequency / 1000.0);
        _patterns = cameras.Select(camera => config.Addresses
            .Select(pair => (RoleOf(pair.Key), Encoding.UTF8.GetBytes(pair.Value.Replace("{camera}", camera.TrackedId, StringComparison.Ordinal))))
            .ToArray()).ToArray();
        _positionScale = config.PositionUnit switch { LengthUnit.Centimetres => 0.01f, LengthUnit.Millimetres => 0.001f, _ => 1f };
        _radians = config.AngleUnit == AngleUnit.Radians;
        for (int i = 0; i < 3; i++) _eulerIndex[i] = IndexOf(config.EulerOrder, i switch { 0 => "pan", 1 => "tilt", _ => "roll" });
    }

    /// <summary>The OSC configuration.</summary>
    public OscSourceConfig TypedConfig { get; }

    /// <inheritdoc/>
    public override void ProcessDatagram(ReadOnlySpan<byte> datagram, long receiveTicks)
    {
        Statistics.Datagrams.Record(receiveTicks);
        if (!OscPacket.TryDecode(datagram, out OscPacket packet, out _))
        {
            Statistics.CountDrop(TrackingDropKind.MalformedPayload);
            return;
        }
        for (int i = 0; i < _pending.Length; i++) _pending[i] = default;
        bool rejected = false;
        Gather(packet, ref rejected);
        if (rejected)
        {
            // A bundle is all or nothing: one bad message leaves every camera as it was.
            Statistics.CountDrop(TrackingDropKind.MalformedPayload);
            return;
        }
        long sequence = ++_sequence;
        bool any = false;
        for (int i = 0; i < Buffers.Length; i++)
        {
            if (!_pending[i].Touched) continue;
            any = true;
            Write(i, receiveTicks, sequence);
        }
        if (!any) Statistics.CountDrop(TrackingDropKind.UnmatchedSubject);
    }

    private void Gather(OscPacket packet, ref bool rejected)
    {
        if (packet.IsMessage)
        {
            Apply(packet.Message, ref rejected);
            return;
        }
        foreach (OscPacket element in packet.Bundle) Gather(element, ref rejected);
    }

    private void Apply(OscMessage message, ref bool rejected)
    {
        ReadOnlySpan<byte> address = message.AddressUtf8;
        for (int camera = 0; camera < _patterns.Length; camera++)
        {
            foreach ((Role role, byte[] pattern) in _patterns[camera])
            {
                if (!OscAddressPattern.IsMatch(pattern, address)) continue;
                if (!ApplyRole(role, message, ref _pending[camera])) rejected = true;
                else _pending[camera].Touched = true;
            }
        }
    }

    private bool ApplyRole(Role role, OscMessage message, ref Pending pending)
    {
        Span<float> values = stackalloc float[7];
        int count = message.ArgumentCount;
        switch (role)
        {
            case Role.Pose:
            {
                int expected = TypedConfig.Rotation == RotationForm.Quaternion ? 7 : 6;
                if (count != expected || !message.TryGetNumbers(values[..expected])) return false;
                pending.PositionM = Position(values[..3]);
                pending.Orientation = Orientation(values[3..expected]);
                pending.HasPosition = pending.HasOrientation = true;
                return float.IsFinite(pending.PositionM.X + pending.PositionM.Y + pending.PositionM.Z) && IsUnit(pending.Orientation);
            }
            case Role.Position:
                if (count != 3 || !message.TryGetNumbers(values[..3])) return false;
                pending.PositionM = Position(values[..3]);
                pending.HasPosition = true;
                return float.IsFinite(pending.PositionM.X + pending.PositionM.Y + pending.PositionM.Z);
            case Role.Rotation:
            {
                int expected = TypedConfig.Rotation == RotationForm.Quaternion ? 4 : 3;
                if (count != expected || !message.TryGetNumbers(values[..expected])) return false;
                pending.Orientation = Orientation(values[..expected]);
                pending.HasOrientation = true;
                return IsUnit(pending.Orientation);
            }
            default:
                if (count != 1 || !message.TryGetNumber(0, out double value) || !double.IsFinite(value) || value < 0) return false;
                if (role == Role.FocalLength) pending.FocalLengthMm = value;
                else if (role == Role.Focus) pending.FocusDistanceM = value;
                else pending.Iris = value;
                return true;
        }
    }

    private Vector3 Position(ReadOnlySpan<float> xyz)
    {
        var p = new Vector3(xyz[0], xyz[1], xyz[2]) * _positionScale;
        return TypedConfig.Axes == AxisConvention.ZUp ? ZUpConversion.PositionToStage(p) : p;
    }

    private Quaternion Orientation(ReadOnlySpan<float> values)
    {
        if (values.Length == 4)
        {
            var q = Quaternion.Normalize(new Quaternion(values[0], values[1], values[2], values[3]));
            // A Z-up rotation carried into stage space: the change of basis (x, y, z) → (x, z, −y) on its vector part.
            return TypedConfig.Axes == AxisConvention.ZUp ? new Quaternion(q.X, q.Z, -q.Y, q.W) : q;
        }
        double scale = _radians ? 180.0 / Math.PI : 1.0;
        double pan = values[_eulerIndex[0]] * scale, tilt = values[_eulerIndex[1]] * scale, roll = values[_eulerIndex[2]] * scale;
        // Pan/tilt/roll mean the same motions of the camera in either axis convention (FreeD's are the operator's).
        return TypedConfig.Axes == AxisConvention.ZUp ? ZUpConversion.FreeDAnglesToStage(pan, tilt, roll) : new PanTiltRoll(pan, tilt, roll).ToQuaternion();
    }

    private void Write(int camera, long receiveTicks, long sequence)
    {
        PoseBuffer buffer = Buffers[camera];
        ref Pending p = ref _pending[camera];
        ref PoseParts parts = ref _parts[camera];
        if (p.HasPosition) (parts.HasPosition, parts.PositionM, parts.PositionTicks) = (true, p.PositionM, receiveTicks);
        if (p.HasOrientation) (parts.HasOrientation, parts.Orientation, parts.OrientationTicks) = (true, p.Orientation, receiveTicks);
        bool hasLatest = buffer.TryGetLatest(out CameraSample latest);
        // A pose needs both parts, the other one no older than the loss timeout: a tracker that stopped sending
        // rotations must not keep an OK camera with a frozen rotation. Lens-only messages need a pose before them.
        if (!parts.HasPosition || !parts.HasOrientation
            || receiveTicks - parts.PositionTicks > _partMaxAgeTicks || receiveTicks - parts.OrientationTicks > _partMaxAgeTicks)
        {
            // Waiting for a partner that never came yet is normal at start; a partner gone stale is a fault.
            Statistics.CountDrop(parts.HasPosition && parts.HasOrientation && (p.HasPosition || p.HasOrientation) ? TrackingDropKind.PartialPose : TrackingDropKind.NoPose);
            return;
        }
        var sample = new CameraSample
        {
            CameraId = buffer.CameraId,
            PositionM = parts.PositionM,
            Orientation = parts.Orientation,
            FocalLengthMm = p.FocalLengthMm > 0 ? p.FocalLengthMm : hasLatest ? latest.FocalLengthMm : double.NaN,
            FocusDistanceM = p.FocusDistanceM > 0 ? p.FocusDistanceM : hasLatest ? latest.FocusDistanceM : double.NaN,
            Iris = p.Iris > 0 ? p.Iris : hasLatest ? latest.Iris : double.NaN,
            EntrancePupilOffsetM = double.NaN,
            ReceiveTicks = receiveTicks,
            SequenceNumber = sequence,
        };
        buffer.Write(sample);
        Statistics.Samples.Record(receiveTicks);
    }

    private static bool IsUnit(Quaternion q) => float.IsFinite(q.X + q.Y + q.Z + q.W) && MathF.Abs(q.Length() - 1f) < 1e-3f;

    private static int IndexOf(IReadOnlyList<string> order, string name)
    {
        for (int i = 0; i < order.Count; i++) if (order[i] == name) return i;
        throw new ArgumentException($"Euler order '{string.Join(",", order)}' does not name {name}");
    }

    private static Role RoleOf(string name) => name switch
    {
        "pose" => Role.Pose,
        "position" => Role.Position,
        "rotation" => Role.Rotation,
        "focalLength" => Role.FocalLength,
        "focus" => Role.Focus,
        "iris" => Role.Iris,
        _ => throw new ArgumentException($"unknown OSC address role '{name}'"),
    };
}
