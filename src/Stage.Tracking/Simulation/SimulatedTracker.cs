using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Stage.Core.Configuration;

namespace Stage.Tracking.Simulation;

/// <summary>
/// A tracker without hardware: samples a <see cref="CameraPath"/> at a fixed rate, paced on the
/// monotonic clock (sample n at start + n/rate, never by adding rounded periods), and sends each pose
/// in the protocol a real tracker would use (its <see cref="ITrackingSender"/>), to the camera's source.
/// </summary>
public sealed class SimulatedTracker : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CameraPath _path;
    private readonly ITrackingSender _sender;
    private readonly IPEndPoint _target;
    private readonly byte[] _buffer = new byte[65536];
    private double _rateHz = 60;

    /// <summary>
    /// Prepares a tracker that sends <paramref name="path"/> through <paramref name="sender"/> (a protocol's, from
    /// <see cref="ITrackingProtocol.CreateSender"/>) to <paramref name="target"/>.
    /// </summary>
    public SimulatedTracker(ITrackingSender sender, CameraPath path, IPEndPoint target)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(target);
        _sender = sender;
        _path = path;
        _target = target;
        if (target.Address.IsIPv6Multicast || (target.Address.GetAddressBytes()[0] & 0xF0) == 0xE0)
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
    }

    /// <summary>Samples sent.</summary>
    public long SentCount { get; private set; }

    /// <summary>The default destination for a camera's source: its port on loopback, or its multicast group.</summary>
    public static IPEndPoint DefaultTarget(TrackingSourceConfig source, string? host) =>
        new(host is not null ? Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork)
            : source.MulticastGroupJoined is string group ? IPAddress.Parse(group) : IPAddress.Loopback, source.Port);

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
        int length = _sender.Write(point, seconds, _rateHz, _buffer);
        if (length > 0) _socket.SendTo(_buffer.AsSpan(0, length), SocketFlags.None, _target);
        SentCount++;
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
