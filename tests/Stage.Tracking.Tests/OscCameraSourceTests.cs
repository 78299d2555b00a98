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
    public void Separate_position_and_rotation_datagrams_alternating_give_exactly_the_poses_sent()
    {
        (OscCameraSource source, PoseBuffer a, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig());
        Vector3 lastPosition = default;
        Vector3 lastAngles = default;
        bool anyRotation = false;
        for (int i = 0; i < 40; i++)
        {
            long ticks = TestConfigs.Ms(10 * i);
            if (i % 2 == 0)
            {
                lastPosition = new Vector3(0.1f * i, 1.5f + 0.01f * i, -0.2f * i);
                source.ProcessDatagram(Message("/cam/a/position", lastPosition.X, lastPosition.Y, lastPosition.Z), ticks);
            }
            else
            {
                lastAngles = new Vector3(2f * i, -i, 0.5f * i);
                anyRotation = true;
                source.ProcessDatagram(Message("/cam/a/rotation", lastAngles.X, lastAngles.Y, lastAngles.Z), ticks);
            }
            if (!anyRotation)
            {
                Assert.False(a.TryGetLatest(out _), "a position alone made a pose");
                continue;
            }
            // From the first rotation on, every datagram completes a pose of the newest position and the newest rotation, stamped with its own arrival.
            Assert.True(a.TryGetLatest(out CameraSample sample));
            AssertNear(lastPosition, sample.PositionM);
            PanTiltRoll angles = PanTiltRoll.FromQuaternion(sample.Orientation);
            Assert.Equal((lastAngles.X, lastAngles.Y, lastAngles.Z), ((float)Math.Round(angles.PanDeg, 3), (float)Math.Round(angles.TiltDeg, 3), (float)Math.Round(angles.RollDeg, 3)));
            Assert.Equal(ticks, sample.ReceiveTicks);
        }
        Assert.Equal(39, a.WrittenCount);
        // The first position waited for its partner: normal, not a fault.
        Assert.Equal(1, source.Statistics.DropsOf(TrackingDropKind.NoPose));
        Assert.Equal(0, source.Statistics.FaultCount);
        Assert.Equal(TrackingStatus.Tracking, a.Status);
    }

    [Fact]
    public void A_part_older_than_the_loss_timeout_completes_no_pose()
    {
        (OscCameraSource source, PoseBuffer a, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig());
        source.ProcessDatagram(Message("/cam/a/pose", 1, 2, 3, 10, 0, 0), TestConfigs.Ms(0));
        // The tracker stopped sending rotations: positions alone must not keep the camera OK with a frozen rotation.
        source.ProcessDatagram(Message("/cam/a/position", 4, 5, 6), TestConfigs.Ms(50));
        source.ProcessDatagram(Message("/cam/a/position", 7, 8, 9), TestConfigs.Ms(250));
        Assert.Equal(2, a.WrittenCount);
        Assert.Equal(1, source.Statistics.DropsOf(TrackingDropKind.PartialPose));
        // A fresh rotation completes the pose again with the newest position.
        source.ProcessDatagram(Message("/cam/a/rotation", 20, 0, 0), TestConfigs.Ms(260));
        Assert.Equal(3, a.WrittenCount);
        a.TryGetLatest(out CameraSample sample);
        AssertNear(new Vector3(7, 8, 9), sample.PositionM);
    }

    [Fact]
    public void Liblo_oscsend_separate_position_and_rotation_datagrams_make_the_pose_sent()
    {
        // Two oscsend processes start one after the other; on a loaded machine that can take longer than the default 100 ms.
        var options = new TrackingOptions { LossTimeoutMs = 10_000 };
        var a = new PoseBuffer("A", 0, options);
        using var source = new OscCameraSource(TestConfigs.OscConfig(), [new BoundCamera(a, "a")], options);
        source.Start();
        try
        {
            int port = source.LocalEndPoint!.Port;
            using (Process position = Process.Start("oscsend", $"127.0.0.1 {port} /cam/a/position fff 1.5 2 -3")!) Assert.True(position.WaitForExit(10_000));
            using (Process rotation = Process.Start("oscsend", $"127.0.0.1 {port} /cam/a/rotation fff 30 -10 5")!) Assert.True(rotation.WaitForExit(10_000));
            var deadline = Stopwatch.StartNew();
            while (a.WrittenCount == 0 && deadline.ElapsedMilliseconds < 5000) Thread.Sleep(10);
            Assert.True(a.TryGetLatest(out CameraSample sample), "no pose from separate position and rotation datagrams");
            AssertNear(new Vector3(1.5f, 2, -3), sample.PositionM);
            PanTiltRoll angles = PanTiltRoll.FromQuaternion(sample.Orientation);
            Assert.Equal((30.0, -10.0, 5.0), (Math.Round(angles.PanDeg, 3), Math.Round(angles.TiltDeg, 3), Math.Round(angles.RollDeg, 3)));
        }
        finally
        {
            source.Stop();
        }
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
