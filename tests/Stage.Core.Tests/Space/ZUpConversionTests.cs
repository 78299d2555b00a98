using System.Numerics;
using Stage.Core.Space;

namespace Stage.Core.Tests.Space;

public class ZUpConversionTests
{
    private static void AssertNear(Vector3 expected, Vector3 actual) =>
        Assert.True(Vector3.Distance(expected, actual) < 1e-5f, $"expected {expected}, got {actual}");

    [Fact]
    public void Z_up_forward_becomes_minus_z_and_up_becomes_plus_y()
    {
        AssertNear(-Vector3.UnitZ, ZUpConversion.PositionToStage(Vector3.UnitY));
        AssertNear(Vector3.UnitY, ZUpConversion.PositionToStage(Vector3.UnitZ));
        AssertNear(Vector3.UnitX, ZUpConversion.PositionToStage(Vector3.UnitX));
        var p = new Vector3(1.5f, -2f, 3f);
        AssertNear(p, ZUpConversion.PositionFromStage(ZUpConversion.PositionToStage(p)));
    }

    [Fact]
    public void FreeD_position_in_millimetres_lands_in_stage_metres()
    {
        // A camera 1 m right, 2 m forward (toward the wall), 1.5 m up.
        AssertNear(new Vector3(1f, 1.5f, -2f), ZUpConversion.FreeDPositionToStage(1000, 2000, 1500));
    }

    [Fact]
    public void FreeD_pan_right_looks_right()
    {
        Quaternion q = ZUpConversion.FreeDAnglesToStage(90, 0, 0);
        AssertNear(Vector3.UnitX, Vector3.Transform(-Vector3.UnitZ, q));
    }

    [Fact]
    public void OpenTrackIO_rotation_matches_the_z_x_y_rotation_in_its_own_frame()
    {
        // Build the rotation the way OpenTrackIO states it (Z-up axes, Z then X then Y, right-hand rule),
        // carry it into stage space by the change of basis, and compare with the adapter's result.
        double pan = 25, tilt = -10, roll = 7;
        Quaternion zUp = Quaternion.CreateFromAxisAngle(Vector3.UnitZ, (float)double.DegreesToRadians(pan))
                       * Quaternion.CreateFromAxisAngle(Vector3.UnitX, (float)double.DegreesToRadians(tilt))
                       * Quaternion.CreateFromAxisAngle(Vector3.UnitY, (float)double.DegreesToRadians(roll));
        Quaternion stage = ZUpConversion.OpenTrackIORotationToStage(pan, tilt, roll);
        foreach (Vector3 cameraAxisZUp in new[] { Vector3.UnitX, Vector3.UnitY, Vector3.UnitZ })
        {
            Vector3 expected = ZUpConversion.PositionToStage(Vector3.Transform(cameraAxisZUp, zUp));
            Vector3 actual = Vector3.Transform(ZUpConversion.PositionToStage(cameraAxisZUp), stage);
            AssertNear(expected, actual);
        }
    }

    [Fact]
    public void OpenTrackIO_positive_pan_turns_left_by_the_right_hand_rule()
    {
        Quaternion q = ZUpConversion.OpenTrackIORotationToStage(90, 0, 0);
        AssertNear(-Vector3.UnitX, Vector3.Transform(-Vector3.UnitZ, q));
        AssertNear(new Vector3(2f, 1f, -3f), ZUpConversion.OpenTrackIOTranslationToStage(2, 3, 1));
    }

    [Fact]
    public void Stage_poses_convert_back_to_each_protocol()
    {
        Quaternion q = ZUpConversion.OpenTrackIORotationToStage(25, -10, 7);
        (double pan, double tilt, double roll) = ZUpConversion.StageToOpenTrackIORotation(q);
        Assert.Equal((25.0, -10.0, 7.0), (Math.Round(pan, 3), Math.Round(tilt, 3), Math.Round(roll, 3)));
        (pan, tilt, roll) = ZUpConversion.StageToFreeDAngles(ZUpConversion.FreeDAnglesToStage(-40, 12, 3));
        Assert.Equal((-40.0, 12.0, 3.0), (Math.Round(pan, 3), Math.Round(tilt, 3), Math.Round(roll, 3)));
        (double x, double y, double z) = ZUpConversion.StageToFreeDPosition(ZUpConversion.FreeDPositionToStage(1000, 2000, 1500));
        Assert.Equal((1000.0, 2000.0, 1500.0), (Math.Round(x, 2), Math.Round(y, 2), Math.Round(z, 2)));
        AssertNear(new Vector3(2, 3, 1), ZUpConversion.StageToOpenTrackIOTranslation(ZUpConversion.OpenTrackIOTranslationToStage(2, 3, 1)));
    }
}
