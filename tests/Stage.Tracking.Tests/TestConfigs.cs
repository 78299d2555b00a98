using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Stage.Core.Configuration;
using Stage.Tracking.Buffers;
using Stage.Tracking.Osc;
using Stage.Tracking.OpenTrackIO;
using Stage.Tracking.FreeD;

namespace Stage.Tracking.Tests;

internal static class TestConfigs
{
    public static FreeDSourceConfig FreeDConfig(int port = 0, int cameraId = 1, double delayMs = 0) => new()
    {
        Id = "freed-a",
        BindAddress = "127.0.0.1",
        Port = port,
        CameraId = cameraId,
        DelayMs = delayMs,
        ZoomToFocalLengthMm = [new(0, 24.0), new(4096, 32.0), new(8192, 50.0)],
        FocusToDistanceM = [new(0, 0.6), new(65536, 100.0)],
    };

    public static OpenTrackIOSourceConfig OpenTrackIOConfig(int port = 0) => new()
    {
        Id = "otio-b",
        Port = port,
        MulticastGroup = "235.135.1.2",
    };

    /// <summary>An OSC source configuration with every address role under /cam/{camera}/.</summary>
    public static OscSourceConfig OscConfig(RotationForm rotation = RotationForm.Euler, AxisConvention axes = AxisConvention.Stage,
        LengthUnit length = LengthUnit.Metres, AngleUnit angle = AngleUnit.Degrees, IReadOnlyList<string>? order = null, int port = 0) => new()
    {
        Id = "osc",
        BindAddress = "127.0.0.1",
        Port = port,
        Addresses = new Dictionary<string, string>
        {
            ["pose"] = "/cam/{camera}/pose",
            ["position"] = "/cam/{camera}/position",
            ["rotation"] = "/cam/{camera}/rotation",
            ["focalLength"] = "/cam/{camera}/focal",
            ["focus"] = "/cam/{camera}/focus",
            ["iris"] = "/cam/{camera}/iris",
        },
        Rotation = rotation,
        EulerOrder = order ?? ["pan", "tilt", "roll"],
        PositionUnit = length,
        AngleUnit = angle,
        Axes = axes,
    };

    /// <summary>An OSC source feeding cameras A (tracked id "a") and B ("b").</summary>
    public static (OscCameraSource Source, PoseBuffer A, PoseBuffer B) BuildOsc(OscSourceConfig config, TrackingOptions? options = null)
    {
        var a = new PoseBuffer("A", 0);
        var b = new PoseBuffer("B", 0);
        return (new OscCameraSource(config, [new BoundCamera(a, "a"), new BoundCamera(b, "b")], options), a, b);
    }

    /// <summary>Ticks for a time in milliseconds from an arbitrary base well above zero.</summary>
    public static long Ms(double ms) => 1_000_000_000L + (long)Math.Round(ms * Stopwatch.Frequency / 1000.0);

    public static CameraSample Sample(double ms, Vector3 position, Quaternion orientation, long sequence = 0) =>
        CameraSample.Create("A", position, orientation, Ms(ms), sequence) with { FocalLengthMm = 30 + ms / 10 };

    /// <summary>Polls <paramref name="condition"/> until it holds or 5 s pass (waiting for the receive thread, not timing anything).</summary>
    public static bool WaitFor(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(5)) return false;
            Thread.Sleep(2);
        }
        return true;
    }

    public static void SendTo(IPEndPoint endPoint, params byte[][] datagrams)
    {
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        foreach (byte[] d in datagrams) client.Send(d, d.Length, new IPEndPoint(IPAddress.Loopback, endPoint.Port));
    }
}
