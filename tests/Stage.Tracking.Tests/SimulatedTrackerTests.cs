using System.Net;
using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Tracking.Buffers;
using Stage.Tracking.FreeD;
using Stage.Tracking.OpenTrackIO;
using Stage.Tracking.Osc;
using Stage.Tracking.Simulation;

namespace Stage.Tracking.Tests;

public sealed class SimulatedTrackerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-sim-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CameraConfig Camera(string source) => new()
    {
        Id = "A", SensorWidthMm = 36, SensorHeightMm = 24, FocalLengthMm = 35, OverscanPercent = 10,
        InnerWidthPx = 64, InnerHeightPx = 48, SourceId = source, TrackedId = "a",
    };

    private static void AssertClose(PathPoint expected, CameraSample actual, float toleranceM)
    {
        Assert.True(Vector3.Distance(expected.Pose.PositionM, actual.PositionM) < toleranceM, $"expected {expected.Pose.PositionM}, got {actual.PositionM}");
        Assert.True(MathF.Abs(Quaternion.Dot(expected.Pose.Orientation, actual.Orientation)) > 0.99999f);
    }

    [Fact]
    public void Paths_are_pure_functions_of_time()
    {
        foreach (string name in new[] { "orbit", "dolly", "handheld" })
        {
            CameraPath a = CameraPath.Create(name, 35), b = CameraPath.Create(name, 35);
            Assert.Equal(a.At(12.345), b.At(12.345));
            Assert.NotEqual(a.At(0).Pose.PositionM, a.At(5).Pose.PositionM);
        }
        // The orbit looks at its point of interest.
        PathPoint p = CameraPath.Create("orbit", 35).At(7);
        Vector3 toTarget = Vector3.Normalize(new Vector3(0, 1.5f, -4) - p.Pose.PositionM);
        Assert.True(Vector3.Dot(toTarget, p.Pose.Forward) > 0.9999f);
    }

    [Fact]
    public void A_path_file_is_interpolated_and_its_faults_are_named()
    {
        string file = Path.Combine(_folder, "move.csv");
        File.WriteAllText(file, "time,x,y,z,pan,tilt,roll,focal\n0,0,1.5,3,0,0,0,35\n# a comment\n2,2,1.5,3,20,0,0,50\n");
        PathPoint mid = CameraPath.Create(file, 24).At(1);
        Assert.Equal(1, mid.Pose.PositionM.X, 5);
        Assert.Equal(42.5, mid.FocalLengthMm, 6);
        Assert.Equal(10, mid.Pose.Angles.PanDeg, 3);
        File.WriteAllText(file, "time,x,y,z,pan,tilt,roll\n0,0,1.5,3,0,zero,0\n");
        Assert.Contains("move.csv:2:6: 'zero' is not a number", Assert.Throws<FormatException>(() => CameraPath.Create(file, 24)).Message);
        Assert.Contains("neither orbit, dolly, handheld", Assert.Throws<FormatException>(() => CameraPath.Create("spiral", 24)).Message);
    }

    [Fact]
    public void Simulated_osc_freed_and_opentrackio_reach_stage_sources_as_the_path_says()
    {
        CameraPath path = CameraPath.Create("handheld", 35);
        PathPoint point = path.At(3.2);

        var oscBuffer = new PoseBuffer("A", 0);
        var oscConfig = new OscSourceConfig
        {
            Id = "osc", BindAddress = "127.0.0.1", Port = 0, Rotation = RotationForm.Euler, EulerOrder = ["tilt", "pan", "roll"],
            PositionUnit = LengthUnit.Millimetres, AngleUnit = AngleUnit.Degrees, Axes = AxisConvention.ZUp,
            Addresses = new Dictionary<string, string> { ["pose"] = "/cam/{camera}", ["focalLength"] = "/cam/{camera}/focal" },
        };
        using (var osc = new OscCameraSource(oscConfig, [new BoundCamera(oscBuffer, "a")]))
        {
            osc.Start();
            using var tracker = new SimulatedTracker(TrackingProtocols.Osc.CreateSender(Camera("osc"), oscConfig)!, path, new IPEndPoint(IPAddress.Loopback, osc.LocalEndPoint!.Port));
            tracker.Send(point, 3.2);
            Assert.True(TestConfigs.WaitFor(() => oscBuffer.WrittenCount > 0));
            osc.Stop();
        }
        oscBuffer.TryGetLatest(out CameraSample fromOsc);
        AssertClose(point, fromOsc, 1e-4f);
        Assert.Equal(35, fromOsc.FocalLengthMm, 3);

        var freedBuffer = new PoseBuffer("A", 0);
        FreeDSourceConfig freedConfig = TestConfigs.FreeDConfig();
        using (var freed = new FreeDSource(freedConfig, [freedBuffer]))
        {
            freed.Start();
            using var tracker = new SimulatedTracker(TrackingProtocols.FreeD.CreateSender(Camera("freed-a"), freedConfig)!, path, new IPEndPoint(IPAddress.Loopback, freed.LocalEndPoint!.Port));
            tracker.Send(point, 3.2);
            Assert.True(TestConfigs.WaitFor(() => freedBuffer.WrittenCount > 0));
            freed.Stop();
        }
        freedBuffer.TryGetLatest(out CameraSample fromFreeD);
        AssertClose(point, fromFreeD, 1e-3f);
        Assert.Equal(35, fromFreeD.FocalLengthMm, 1);

        var otioBuffer = new PoseBuffer("A", 0);
        OpenTrackIOSourceConfig otioConfig = TestConfigs.OpenTrackIOConfig();
        using (var otio = new OpenTrackIOSource(otioConfig, [new BoundCamera(otioBuffer, "a")], null, IPAddress.Loopback))
        {
            otio.Start();
            using var tracker = new SimulatedTracker(TrackingProtocols.OpenTrackIO.CreateSender(Camera("otio-b"), otioConfig)!, path, new IPEndPoint(IPAddress.Loopback, otio.LocalEndPoint!.Port));
            tracker.Send(point, 3.2);
            Assert.True(TestConfigs.WaitFor(() => otioBuffer.WrittenCount > 0));
            otio.Stop();
        }
        otioBuffer.TryGetLatest(out CameraSample fromOtio);
        AssertClose(point, fromOtio, 1e-4f);
        Assert.Equal(35, fromOtio.FocalLengthMm, 3);
    }

    [Fact]
    public void The_zoom_encoder_is_the_calibration_read_backwards()
    {
        CalibrationPoint[] table = [new(0, 24), new(4096, 32), new(8192, 50)];
        Assert.Equal(2048, new LensCalibration(table).EncoderOf(28));
        Assert.Equal(8192, new LensCalibration(table).EncoderOf(80));
        Assert.Equal(0, LensCalibration.Empty.EncoderOf(35));
    }
}
