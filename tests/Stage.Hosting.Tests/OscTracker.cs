using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Stage.Osc;

namespace Stage.Hosting.Tests;

/// <summary>
/// A tracker in the test: sends camera A's pose to the stage's OSC tracking port 100 times a second, as the test
/// rig's source expects it (<c>/stage/camera/A/pose x y z pan tilt roll</c>), until told to go silent.
/// </summary>
internal sealed class OscTracker : IDisposable
{
    private readonly UdpClient _udp = new();
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private float[] _pose = [0, 1.6f, 2, 0, 0, 0];
    private volatile bool _sending = true;

    public OscTracker(int port)
    {
        _target = new IPEndPoint(IPAddress.Loopback, port);
        _loop = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);
    }

    /// <summary>When the last packet went out (UTC).</summary>
    public DateTime LastSentUtc { get; private set; }

    /// <summary>Where the camera is: x, y, z in metres, pan, tilt, roll in degrees.</summary>
    public void MoveTo(float x, float y, float z, float panDeg, float tiltDeg = 0, float rollDeg = 0)
    {
        lock (_gate) _pose = [x, y, z, panDeg, tiltDeg, rollDeg];
    }

    /// <summary>Stops (false) or resumes (true) sending.</summary>
    public bool Sending
    {
        get => _sending;
        set => _sending = value;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _udp.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (_sending)
            {
                float[] pose;
                lock (_gate) pose = _pose;
                byte[] packet = new OscMessageData("/stage/camera/A/pose", pose.Select(OscValue.FromFloat32).ToArray()).ToArray();
                _udp.Send(packet, packet.Length, _target);
                LastSentUtc = DateTime.UtcNow;
            }
            Thread.Sleep(10);
        }
    }

    public override string ToString() => string.Join(" ", _pose.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
