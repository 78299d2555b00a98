using System.Diagnostics;
using System.Net;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Osc;
using Stage.Tests.Shared;
using Stage.Tracking.Buffers;
using Stage.Tracking.Osc;
using Stage.Tracking.Statistics;

namespace Stage.Tracking.Tests;

/// <summary>
/// The OSC tracking source's conversions as properties (every Euler order, units, Z-up quaternions),
/// nested bundles, argument faults, lens roles, and fuzz that checks a pose is never corrupted.
/// </summary>
public class OscSourcePropertyTests
{
    private static readonly FsCheck.Config Many = FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly string[][] Orders =
    [
        ["pan", "tilt", "roll"], ["pan", "roll", "tilt"], ["tilt", "pan", "roll"],
        ["tilt", "roll", "pan"], ["roll", "pan", "tilt"], ["roll", "tilt", "pan"],
    ];

    private static OscMessageData Message(string address, params float[] values) => new(address, values.Select(OscValue.FromFloat32).ToArray());

    private static bool Same(Quaternion expected, Quaternion actual, float tolerance = 1e-4f) =>
        MathF.Abs(Quaternion.Dot(expected, actual)) > 1 - tolerance;

    private static bool Near(Vector3 expected, Vector3 actual, float tolerance = 1e-4f) =>
        Vector3.Distance(expected, actual) <= tolerance * Math.Max(1, expected.Length());

    private static Gen<(double Pan, double Tilt, double Roll)> Angles =>
        from pan in Gen.Choose(-179_000, 179_000)
        from tilt in Gen.Choose(-89_000, 89_000)
        from roll in Gen.Choose(-179_000, 179_000)
        select (pan / 1000.0, tilt / 1000.0, roll / 1000.0);

    [Fact]
    public void Every_euler_order_and_angle_unit_gives_the_operators_pan_tilt_roll() =>
        Check.One(Many, Prop.ForAll((from order in Gen.Elements(Orders)
                                     from radians in Gen.Elements(false, true)
                                     from angles in Angles
                                     select (order, radians, angles)).ToArbitrary(), c =>
        {
            (OscCameraSource source, PoseBuffer a, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig(order: c.order, angle: c.radians ? AngleUnit.Radians : AngleUnit.Degrees));
            double scale = c.radians ? Math.PI / 180 : 1;
            float Value(string name) => (float)(scale * (name == "pan" ? c.angles.Pan : name == "tilt" ? c.angles.Tilt : c.angles.Roll));
            source.ProcessDatagram(Message("/cam/a/pose", 0, 0, 0, Value(c.order[0]), Value(c.order[1]), Value(c.order[2])).ToArray(), 1);
            return a.TryGetLatest(out CameraSample sample)
                && Same(new PanTiltRoll(c.angles.Pan, c.angles.Tilt, c.angles.Roll).ToQuaternion(), sample.Orientation);
        }));

    [Fact]
    public void Positions_in_any_unit_and_axis_convention_land_in_stage_metres() =>
        Check.One(Many, Prop.ForAll((from unit in Gen.Elements(LengthUnit.Metres, LengthUnit.Centimetres, LengthUnit.Millimetres)
                                     from zUp in Gen.Elements(false, true)
                                     from x in Gen.Choose(-10_000, 10_000)
                                     from y in Gen.Choose(-10_000, 10_000)
                                     from z in Gen.Choose(-10_000, 10_000)
                                     select (unit, zUp, p: new Vector3(x, y, z) / 1000f)).ToArbitrary(), c =>
        {
            (OscCameraSource source, PoseBuffer a, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig(length: c.unit, axes: c.zUp ? AxisConvention.ZUp : AxisConvention.Stage));
            float perMetre = c.unit switch { LengthUnit.Centimetres => 100, LengthUnit.Millimetres => 1000, _ => 1 };
            Vector3 sent = (c.zUp ? ZUpConversion.PositionFromStage(c.p) : c.p) * perMetre;
            source.ProcessDatagram(Message("/cam/a/position", sent.X, sent.Y, sent.Z).ToArray(), 1);
            // A position alone waits for its rotation; once a pose has come, a position alone updates it.
            source.ProcessDatagram(Message("/cam/a/pose", 0, 0, 0, 0, 0, 0).ToArray(), 2);
            source.ProcessDatagram(Message("/cam/a/position", sent.X, sent.Y, sent.Z).ToArray(), 3);
            return a.TryGetLatest(out CameraSample sample) && Near(c.p, sample.PositionM) && a.WrittenCount == 2
                && source.Statistics.DropsOf(TrackingDropKind.NoPose) == 1;
        }));

    [Fact]
    public void A_z_up_quaternion_turns_stage_vectors_as_it_turns_z_up_vectors() =>
        Check.One(Many, Prop.ForAll((from w in Gen.Choose(-1000, 1000)
                                     from x in Gen.Choose(-1000, 1000)
                                     from y in Gen.Choose(-1000, 1000)
                                     from z in Gen.Choose(-1000, 1000)
                                     where w * w + x * x + y * y + z * z > 10_000
                                     select Quaternion.Normalize(new Quaternion(x, y, z, w))).ToArbitrary(), zUpRotation =>
        {
            (OscCameraSource source, PoseBuffer a, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig(rotation: RotationForm.Quaternion, axes: AxisConvention.ZUp));
            source.ProcessDatagram(Message("/cam/a/pose", 0, 0, 0, zUpRotation.X, zUpRotation.Y, zUpRotation.Z, zUpRotation.W).ToArray(), 1);
            if (!a.TryGetLatest(out CameraSample sample)) return false;
            foreach (Vector3 v in new[] { Vector3.UnitX, Vector3.UnitY, Vector3.UnitZ, new Vector3(0.3f, -2, 1.5f) })
            {
                Vector3 expected = ZUpConversion.PositionToStage(Vector3.Transform(v, zUpRotation));
                Vector3 actual = Vector3.Transform(ZUpConversion.PositionToStage(v), sample.Orientation);
                if (!Near(expected, actual, 1e-4f)) return false;
            }
            return true;
        }));

    [Fact]
    public void A_nested_bundle_is_one_sample_per_camera_and_one_bad_message_spoils_all_of_it()
    {
        (OscCameraSource source, PoseBuffer a, PoseBuffer b) = TestConfigs.BuildOsc(TestConfigs.OscConfig());
        byte[] good = new OscBundleData(OscTimeTag.Immediately,
            Message("/cam/a/pose", 1, 2, 3, 10, 0, 0),
            new OscBundleData(OscTimeTag.Immediately,
                Message("/cam/b/pose", 4, 5, 6, -10, 0, 0),
                new OscMessageData("/cam/a/focal", OscValue.FromInt32(35)),
                new OscMessageData("/cam/b/focus", OscValue.FromFloat64(2.5)),
                new OscMessageData("/cam/b/iris", OscValue.FromFloat32(2.8f)))).ToArray();
        source.ProcessDatagram(good, 100);
        Assert.Equal((1L, 1L), (a.WrittenCount, b.WrittenCount));
        a.TryGetLatest(out CameraSample sa);
        b.TryGetLatest(out CameraSample sb);
        Assert.Equal(sa.SequenceNumber, sb.SequenceNumber);
        Assert.Equal(35, sa.FocalLengthMm);
        Assert.True(double.IsNaN(sa.FocusDistanceM));
        Assert.Equal((2.5, 2.8), (sb.FocusDistanceM, Math.Round(sb.Iris, 5)));
        Assert.True(Near(new Vector3(4, 5, 6), sb.PositionM));

        byte[] bad = new OscBundleData(OscTimeTag.Immediately,
            Message("/cam/a/pose", 9, 9, 9, 0, 0, 0),
            new OscBundleData(OscTimeTag.Immediately,
                Message("/cam/b/pose", 9, 9, 9, 0, 0, 0),
                new OscMessageData("/cam/b/focal", OscValue.FromString("wide")))).ToArray();
        source.ProcessDatagram(bad, 200);
        Assert.Equal((1L, 1L), (a.WrittenCount, b.WrittenCount));
        a.TryGetLatest(out CameraSample after);
        Assert.Equal(sa, after);
    }

    [Theory]
    [InlineData("/cam/a/pose", 5)]
    [InlineData("/cam/a/pose", 7)]
    [InlineData("/cam/a/position", 2)]
    [InlineData("/cam/a/rotation", 4)]
    [InlineData("/cam/a/focal", 2)]
    [InlineData("/cam/a/focal", 0)]
    public void Wrong_argument_counts_are_counted_and_never_applied(string address, int count)
    {
        (OscCameraSource source, PoseBuffer a, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig());
        source.ProcessDatagram(Message("/cam/a/pose", 1, 2, 3, 0, 0, 0).ToArray(), 1);
        source.ProcessDatagram(Message(address, [.. Enumerable.Repeat(7f, count)]).ToArray(), 2);
        Assert.Equal(1, a.WrittenCount);
        Assert.Equal(1, source.Statistics.DropsOf(TrackingDropKind.MalformedPayload));
    }

    [Fact]
    public void Wrong_types_non_finite_values_and_zero_quaternions_are_refused()
    {
        (OscCameraSource euler, PoseBuffer a, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig());
        euler.ProcessDatagram(new OscMessageData("/cam/a/pose", OscValue.FromFloat32(1), OscValue.FromFloat32(2), OscValue.FromString("3"),
            OscValue.FromFloat32(0), OscValue.FromFloat32(0), OscValue.FromFloat32(0)).ToArray(), 1);
        euler.ProcessDatagram(Message("/cam/a/pose", 1, float.NaN, 3, 0, 0, 0).ToArray(), 2);
        euler.ProcessDatagram(Message("/cam/a/pose", 1, 2, 3, 0, float.PositiveInfinity, 0).ToArray(), 3);
        euler.ProcessDatagram(Message("/cam/a/focal", -35).ToArray(), 4);
        Assert.Equal(0, a.WrittenCount);
        Assert.Equal(4, euler.Statistics.DropsOf(TrackingDropKind.MalformedPayload));

        (OscCameraSource quaternion, PoseBuffer q, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig(rotation: RotationForm.Quaternion));
        quaternion.ProcessDatagram(Message("/cam/a/pose", 1, 2, 3, 0, 0, 0, 0).ToArray(), 1);
        Assert.Equal(0, q.WrittenCount);
        // An unnormalised quaternion is a rotation all the same.
        quaternion.ProcessDatagram(Message("/cam/a/pose", 1, 2, 3, 0, 0, 0, 2).ToArray(), 2);
        Assert.True(q.TryGetLatest(out CameraSample sample));
        Assert.True(Same(Quaternion.Identity, sample.Orientation));
    }

    [Fact]
    public void Random_datagrams_never_throw_and_never_corrupt_a_pose()
    {
        (OscCameraSource source, PoseBuffer a, PoseBuffer b) = TestConfigs.BuildOsc(TestConfigs.OscConfig());
        byte[] valid = Message("/cam/a/pose", 1, 2, 3, 4, 5, 6).ToArray();
        byte[] bundle = new OscBundleData(OscTimeTag.Immediately, Message("/cam/b/position", 1, 2, 3), Message("/cam/a/rotation", 4, 5, 6)).ToArray();
        Gen<byte[]> mutated =
            from seed in Gen.Elements(valid, bundle)
            from edits in Gen.Choose(1, 4)
            from positions in Gen.ArrayOf(Gen.Choose(0, seed.Length - 1), edits)
            from values in Gen.ArrayOf(Gen.Choose(0, 255), edits)
            from cut in Gen.Choose(0, seed.Length)
            from truncate in Gen.Elements(false, false, true)
            select Mutate(seed, positions, values, truncate ? cut : seed.Length);
        Gen<byte[]> datagrams = Gen.OneOf(mutated, ArbMap.Default.GeneratorFor<byte[]>());
        long ticks = 10;
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(3000), Prop.ForAll(datagrams.ToArbitrary(), bytes =>
        {
            bool hadA = a.TryGetLatest(out CameraSample beforeA);
            bool hadB = b.TryGetLatest(out CameraSample beforeB);
            long writtenBefore = a.WrittenCount + b.WrittenCount;
            source.ProcessDatagram(bytes, ++ticks);
            bool decodes = OscPacket.TryDecode(bytes, out _, out _);
            if (!decodes)
            {
                // Undecodable: every camera exactly as it was.
                return a.WrittenCount + b.WrittenCount == writtenBefore
                    && (!hadA || (a.TryGetLatest(out CameraSample nowA) && nowA == beforeA))
                    && (!hadB || (b.TryGetLatest(out CameraSample nowB) && nowB == beforeB));
            }
            // Decodable: whatever was applied is a plausible stage pose.
            return (!a.TryGetLatest(out CameraSample sa) || sa.IsPlausible()) && (!b.TryGetLatest(out CameraSample sb) || sb.IsPlausible());
        }));
        Assert.True(source.Statistics.DropsOf(TrackingDropKind.MalformedPayload) > 0);
    }

    private static byte[] Mutate(byte[] seed, int[] positions, int[] values, int length)
    {
        byte[] copy = (byte[])seed.Clone();
        for (int i = 0; i < positions.Length; i++) copy[positions[i]] = (byte)values[i];
        return copy[..length];
    }

    [Fact]
    public void Processing_bundles_and_partial_messages_allocates_nothing()
    {
        (OscCameraSource source, _, _) = TestConfigs.BuildOsc(TestConfigs.OscConfig(rotation: RotationForm.Quaternion, length: LengthUnit.Millimetres));
        byte[] bundle = new OscBundleData(OscTimeTag.Immediately,
            Message("/cam/a/pose", 1000, 1600, 2000, 0, 0, 0, 1),
            Message("/cam/b/pose", 1000, 1600, 2000, 0, 0, 0, 1),
            new OscMessageData("/cam/a/focal", OscValue.FromInt32(35))).ToArray();
        byte[] position = new OscMessageData("/cam/b/position", OscValue.FromInt32(5), OscValue.FromInt32(6), OscValue.FromInt32(7)).ToArray();
        byte[] garbage = [.. "/cam/a/pose\0,fff"u8, 1, 2];
        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            for (int i = 0; i < 5_000; i++)
            {
                source.ProcessDatagram(bundle, i);
                source.ProcessDatagram(position, i);
                source.ProcessDatagram(garbage, i);
            }
        }));
    }

    [Fact]
    public void Stages_own_sender_delivers_bundles_over_loopback_in_centimetres_and_z_up_quaternions()
    {
        (OscCameraSource source, PoseBuffer a, PoseBuffer b) = TestConfigs.BuildOsc(TestConfigs.OscConfig(rotation: RotationForm.Quaternion, length: LengthUnit.Centimetres, axes: AxisConvention.ZUp));
        source.Start();
        try
        {
            using var sender = new OscUdpSender(new IPEndPoint(IPAddress.Loopback, source.LocalEndPoint!.Port));
            float h = MathF.Sqrt(0.5f);
            // Z-up: x right, y forward (into the wall), z up. +90° about z turns the camera to stage left.
            sender.Send(new OscBundleData(OscTimeTag.Immediately,
                Message("/cam/a/pose", 100, 400, 170, 0, 0, h, h),
                Message("/cam/b/pose", -50, 0, 150, 0, 0, 0, 1),
                new OscMessageData("/cam/b/focal", OscValue.FromInt32(50))));
            Assert.True(TestConfigs.WaitFor(() => a.WrittenCount > 0 && b.WrittenCount > 0));
            a.TryGetLatest(out CameraSample sa);
            b.TryGetLatest(out CameraSample sb);
            Assert.True(Near(new Vector3(1, 1.7f, -4), sa.PositionM), sa.PositionM.ToString());
            Assert.True(Near(-Vector3.UnitX, Vector3.Transform(-Vector3.UnitZ, sa.Orientation)));
            Assert.True(Near(new Vector3(-0.5f, 1.5f, 0), sb.PositionM), sb.PositionM.ToString());
            Assert.Equal(50, sb.FocalLengthMm);
            Assert.Equal(sa.SequenceNumber, sb.SequenceNumber);
        }
        finally
        {
            source.Stop();
        }
    }

    [Fact]
    public void Liblo_oscsend_integer_parts_merge_into_the_last_pose()
    {
        // One oscsend process per datagram: on a loaded machine starting one takes longer than the default 100 ms a
        // part may wait for its partner. The merge of liblo's encodings is under test here, not staleness (tested above).
        var a = new PoseBuffer("A", 0);
        var source = new OscCameraSource(TestConfigs.OscConfig(), [new BoundCamera(a, "a"), new BoundCamera(new PoseBuffer("B", 0), "b")],
            new TrackingOptions { LossTimeoutMs = 5000 });
        source.Start();
        try
        {
            int port = source.LocalEndPoint!.Port;
            void OscSend(string arguments)
            {
                using Process oscsend = Process.Start("oscsend", $"127.0.0.1 {port} {arguments}")!;
                Assert.True(oscsend.WaitForExit(10_000), "oscsend did not finish");
                Assert.Equal(0, oscsend.ExitCode);
            }
            OscSend("/cam/a/pose ffffff 1 1.5 2 20 -5 0");
            Assert.True(TestConfigs.WaitFor(() => a.WrittenCount == 1));
            OscSend("/cam/a/position iii 3 2 -1");
            Assert.True(TestConfigs.WaitFor(() => a.WrittenCount == 2));
            OscSend("/cam/a/focal i 85");
            Assert.True(TestConfigs.WaitFor(() => a.WrittenCount == 3));
            OscSend("/cam/a/rotation ff 1 2");
            OscSend("/cam/a/iris d 4.0");
            Assert.True(TestConfigs.WaitFor(() => a.WrittenCount == 4));
            a.TryGetLatest(out CameraSample sample);
            Assert.True(Near(new Vector3(3, 2, -1), sample.PositionM));
            PanTiltRoll angles = PanTiltRoll.FromQuaternion(sample.Orientation);
            Assert.Equal((20.0, -5.0, 0.0), (Math.Round(angles.PanDeg, 3), Math.Round(angles.TiltDeg, 3), Math.Round(angles.RollDeg, 3) + 0.0));
            Assert.Equal((85.0, 4.0), (sample.FocalLengthMm, sample.Iris));
            Assert.Equal(1, source.Statistics.DropsOf(TrackingDropKind.MalformedPayload));
        }
        finally
        {
            source.Stop();
        }
    }
}
