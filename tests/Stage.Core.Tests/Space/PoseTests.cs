using System.Numerics;
using Stage.Core.Space;

namespace Stage.Core.Tests.Space;

public class PoseTests
{
    [Fact]
    public void The_view_matrix_puts_the_camera_at_the_origin_looking_down_minus_z()
    {
        Pose camera = Pose.FromPanTiltRoll(new Vector3(1, 1.6f, 3), new PanTiltRoll(20, -5, 2));
        Matrix4x4 view = camera.ToInverseMatrix();
        Assert.True(Vector3.Distance(Vector3.Zero, Vector3.Transform(camera.PositionM, view)) < 1e-5f);
        Vector3 ahead = Vector3.Transform(camera.PositionM + 2 * camera.Forward, view);
        Assert.True(Vector3.Distance(new Vector3(0, 0, -2), ahead) < 1e-5f, ahead.ToString());
    }

    [Fact]
    public void Local_and_stage_points_round_trip()
    {
        Pose pose = Pose.FromPanTiltRoll(new Vector3(-2, 0.5f, 1), new PanTiltRoll(-120, 33, 10));
        var local = new Vector3(0.3f, -0.2f, -1.5f);
        Vector3 stage = pose.TransformPoint(local);
        Assert.True(Vector3.Distance(local, pose.InverseTransformPoint(stage)) < 1e-5f);
        Assert.True(Vector3.Distance(stage, Vector3.Transform(local, pose.ToMatrix())) < 1e-5f);
    }

    [Fact]
    public void An_entrance_pupil_offset_moves_along_the_view()
    {
        Pose tracked = Pose.FromPanTiltRoll(Vector3.Zero, new PanTiltRoll(90, 0, 0));
        Pose pupil = tracked.Offset(new Vector3(0, 0, -0.1f));
        Assert.True(Vector3.Distance(new Vector3(0.1f, 0, 0), pupil.PositionM) < 1e-6f);
    }
}
