using System.Diagnostics;
using System.Net;
using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Osc;
using Stage.Tests.Shared;
using Stage.Tracking.Buffers;
using Stage.Tracking.Osc;
using Stage.Tracking.Statistics;

namespace Stage.Tracking.Tests;

public class OscCameraSourceTests
{
    private static byte[] Message(string address, params float[] values) =>
        new OscMessageData(address, values.Select(OscValue.FromFloat32).ToArray()).ToArray();

    private static void AssertNear(Vector3 expected, Vector3 actual) =>
        Assert.True(Vector3.Distance(expected, actual) < 1e-5f, $"expected {expected}, got {actual}");

    [Fact]
    public void A_pose_message_becomes_a_stage_space_sample_for_its_camera_only()
    {
        (OscCameraSource source, PoseBuffer a, PoseBuffer b) = TestConfigs.BuildOsc(TestConfigs.OscConfig());
        source.ProcessDatagram(Message("/cam/a/pose", 1, 1.6f, 3, 90, 0, 0), 1000);
        Assert.True(a.TryGetLatest(out CameraSample sample));
        AssertNear(new Vector3(1, 1.6f, 3), sample.PositionM);
        AssertNear(Vector3.UnitX, Vector3.Transform(-Vector3.UnitZ, sample.Orientation));
        Assert.False(b.TryGetLatest(out _));
        Assert.Equal(1000, sample.ReceiveTicks);
    }

    [Fact]
    public void Units_orders_quaternions_and_z_up_axes_are_converted_in_one_place()
    {
        (OscCameraSource mm, PoseBuffer a, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig(length: LengthUnit.Millimetres, angle: AngleUnit.Radians, order: ["roll", "tilt", "pan"]));
        mm.ProcessDatagram(Message("/cam/a/pose", 1000, 1600, 3000, 0, 0, MathF.PI / 2), 1);
        a.TryGetLatest(out CameraSample s1);
        AssertNear(new Vector3(1, 1.6f, 3), s1.PositionM);
        AssertNear(Vector3.UnitX, Vector3.Transform(-Vector3.UnitZ, s1.Orientation));

        (OscCameraSource zUp, PoseBuffer a2, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig(axes: AxisConvention.ZUp));
        zUp.ProcessDatagram(Message("/cam/a/pose", 1, 2, 1.5f, 0, 0, 0), 1);
        a2.TryGetLatest(out CameraSample s2);
        AssertNear(new Vector3(1, 1.5f, -2), s2.PositionM);
        AssertNear(-Vector3.UnitZ, Vector3.Transform(-Vector3.UnitZ, s2.Orientation));

        (OscCameraSource quat, PoseBuffer a3, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig(rotation: RotationForm.Quaternion, axes: AxisConvention.ZUp));
        // A Z-up quaternion turning +90° about Z (up) faces the camera's forward (+Y) to −X: stage left.
        float h = MathF.Sqrt(0.5f);
        quat.ProcessDatagram(Message("/cam/a/pose", 0, 0, 0, 0, 0, h, h), 1);
        a3.TryGetLatest(out CameraSample s3);
        AssertNear(-Vector3.UnitX, Vector3.Transform(-Vector3.UnitZ, s3.Orientation));
    }

    [Fact]
    public void A_bundle_is_applied_atomically_and_parts_merge_with_the_last_pose()
    {
        (OscCameraSource source, PoseBuffer a, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig());
        source.ProcessDatagram(Message("/cam/a/pose", 0, 1, 0, 0, 0, 0), 1);
        byte[] bundle = new OscBundleData(OscTimeTag.Immediately,
            new OscMessageData("/cam/a/position", OscValue.FromFloat32(2), OscValue.FromInt32(1), OscValue.FromFloat32(5)),
            new OscMessageData("/cam/a/focal", OscValue.FromInt32(50))).ToArray();
        source.ProcessDatagram(bundle, 2);
        Assert.Equal(2, a.WrittenCount);
        a.TryGetLatest(out CameraSample merged);
        AssertNear(new Vector3(2, 1, 5), merged.PositionM);
        Assert.Equal(50, merged.FocalLengthMm);

        // One bad message spoils its whole bundle: nothing is written.
        byte[] bad = new OscBundleData(OscTimeTag.Immediately,
            new OscMessageData("/cam/a/position", OscValue.FromFloat32(9), OscValue.FromFloat32(9), OscValue.FromFloat32(9)),
            new OscMessageData("/cam/a/rotation", OscValue.FromString("up"))).ToArray();
        source.ProcessDatagram(bad, 3);
        Assert.Equal(2, a.WrittenCount);
        Assert.Equal(1, source.Statistics.DropsOf(TrackingDropKind.MalformedPayload));
    }

    [Fact]
    public void Garbage_and_unknown_addresses_are_counted_never_applied()
    {
        (OscCameraSource source, PoseBuffer a, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig());
        var random = new Random(7);
        byte[] valid = Message("/cam/a/pose", 1, 2, 3, 4, 5, 6);
        for (int i = 0; i < 5000; i++)
        {
            byte[] bytes = (byte[])valid.Clone();
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0) bytes = bytes[..random.Next(bytes.Length)];
            source.ProcessDatagram(bytes, i);
            if (a.TryGetLatest(out CameraSample s)) Assert.True(s.IsPlausible());
        }
        source.ProcessDatagram(Message("/other/thing", 1), 1);
        Assert.True(source.Statistics.DropsOf(TrackingDropKind.UnmatchedSubject) >= 1);
        Assert.True(source.Statistics.DropsOf(TrackingDropKind.MalformedPayload) > 0);
    }

    [Fact]
    public void Processing_a_pose_allocates_nothing()
    {
        (OscCameraSource source, _, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig());
        byte[] pose = Message("/cam/a/pose", 1, 2, 3, 4, 5, 6);
        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            for (int i = 0; i < 10_000; i++) source.ProcessDatagram(pose, i);
        }));
    }

    [Fact]
    public void Liblo_oscsend_poses_arrive_over_udp()
    {
        (OscCameraSource source, PoseBuffer a, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig());
        source.Start();
        try
        {
            int port = source.LocalEndPoint!.Port;
            using Process oscsend = Process.Start("oscsend", $"127.0.0.1 {port} /cam/a/pose fiffff 1.5 2 -3 30 -10 5")!;
            Assert.True(oscsend.WaitForExit(10_000));
            var deadline = Stopwatch.StartNew();
            while (a.WrittenCount == 0 && deadline.ElapsedMilliseconds < 5000) Thread.Sleep(10);
            Assert.True(a.TryGetLatest(out CameraSample sample), "no pose arrived from oscsend");
            AssertNear(new Vector3(1.5f, 2, -3), sample.PositionM);
            PanTiltRoll angles = PanTiltRoll.FromQuaternion(sample.Orientation);
            Assert.Equal((30.0, -10.0, 5.0), (Math.Round(angles.PanDeg, 3), Math.Round(angles.TiltDeg, 3), Math.Round(angles.RollDeg, 3)));
        }
        finally
        {
            source.Stop();
        }
    }
}
