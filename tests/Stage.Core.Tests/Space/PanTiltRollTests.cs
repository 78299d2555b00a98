using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Stage.Core.Space;

namespace Stage.Core.Tests.Space;

public class PanTiltRollTests
{
    private const float Tolerance = 1e-5f;

    private static void AssertNear(Vector3 expected, Vector3 actual) =>
        Assert.True(Vector3.Distance(expected, actual) < Tolerance, $"expected {expected}, got {actual}");

    [Fact]
    public void All_zero_looks_down_minus_z_with_y_up()
    {
        Pose pose = Pose.FromPanTiltRoll(Vector3.Zero, new PanTiltRoll(0, 0, 0));
        AssertNear(-Vector3.UnitZ, pose.Forward);
        AssertNear(Vector3.UnitY, pose.Up);
        AssertNear(Vector3.UnitX, pose.Right);
    }

    [Fact]
    public void Pan_positive_turns_right_clockwise_from_above()
    {
        Pose pose = Pose.FromPanTiltRoll(Vector3.Zero, new PanTiltRoll(90, 0, 0));
        AssertNear(Vector3.UnitX, pose.Forward);
        AssertNear(Vector3.UnitY, pose.Up);
    }

    [Fact]
    public void Tilt_positive_looks_up()
    {
        Pose pose = Pose.FromPanTiltRoll(Vector3.Zero, new PanTiltRoll(0, 30, 0));
        AssertNear(new Vector3(0, MathF.Sin(MathF.PI / 6), -MathF.Cos(MathF.PI / 6)), pose.Forward);
    }

    [Fact]
    public void Roll_positive_is_clockwise_seen_from_behind()
    {
        // Seen from behind the camera, clockwise carries the top of the frame to the right.
        Pose pose = Pose.FromPanTiltRoll(Vector3.Zero, new PanTiltRoll(0, 0, 90));
        AssertNear(Vector3.UnitX, pose.Up);
        AssertNear(-Vector3.UnitZ, pose.Forward);
    }

    [Fact]
    public void Pan_is_applied_before_tilt_and_tilt_before_roll()
    {
        // Pan right 90 then tilt up 45: looking up-right; roll then turns about that view axis, which stays put.
        Pose pose = Pose.FromPanTiltRoll(Vector3.Zero, new PanTiltRoll(90, 45, 30));
        float h = MathF.Sqrt(0.5f);
        AssertNear(new Vector3(h, h, 0), pose.Forward);
        // Tilt about the panned camera's X (now stage −Z), not about stage X.
        Pose noRoll = Pose.FromPanTiltRoll(Vector3.Zero, new PanTiltRoll(90, 45, 0));
        AssertNear(Vector3.UnitZ, noRoll.Right);
    }

    [Fact]
    public void Worked_example_angles_come_back_from_the_quaternion()
    {
        var angles = new PanTiltRoll(-35.5, 12.25, 4.0);
        PanTiltRoll back = PanTiltRoll.FromQuaternion(angles.ToQuaternion());
        Assert.Equal(angles.PanDeg, back.PanDeg, 3);
        Assert.Equal(angles.TiltDeg, back.TiltDeg, 3);
        Assert.Equal(angles.RollDeg, back.RollDeg, 3);
    }

    [Theory]
    [InlineData(60, 90)]
    [InlineData(60, -90)]
    [InlineData(-150, 90)]
    [InlineData(-150, -90)]
    public void Straight_up_or_down_keeps_the_pan_and_reports_no_roll(double pan, double tilt)
    {
        PanTiltRoll back = PanTiltRoll.FromQuaternion(new PanTiltRoll(pan, tilt, 0).ToQuaternion());
        Assert.Equal(tilt, back.TiltDeg, 2);
        Assert.Equal(pan, back.PanDeg, 2);
        Assert.Equal(0, back.RollDeg, 2);
    }

    [Fact]
    public void Angles_round_trip_through_quaternions()
    {
        Gen<PanTiltRoll> angles =
            from pan in Gen.Choose(-17999, 18000)
            from tilt in Gen.Choose(-8900, 8900)
            from roll in Gen.Choose(-17999, 18000)
            select new PanTiltRoll(pan / 100.0, tilt / 100.0, roll / 100.0);
        Prop.ForAll(angles.ToArbitrary(), a =>
        {
            PanTiltRoll b = PanTiltRoll.FromQuaternion(a.ToQuaternion());
            // Compare as rotations: the same orientation, whatever the wrap of the angles.
            Quaternion qa = a.ToQuaternion(), qb = b.ToQuaternion();
            return MathF.Abs(Quaternion.Dot(qa, qb)) > 1 - 1e-6f && Math.Abs(a.TiltDeg - b.TiltDeg) < 0.01;
        }).QuickCheckThrowOnFailure();
    }
}
