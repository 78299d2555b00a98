using Stage.Core.Configuration;
using Stage.Tracking.FreeD;

namespace Stage.Tracking.Tests;

public class LensCalibrationTests
{
    private static readonly LensCalibration Zoom = new([new(0, 24.0), new(4096, 32.0), new(8192, 50.0), new(16383, 85.0)]);

    [Theory]
    [InlineData(0, 24.0)]
    [InlineData(2048, 28.0)]
    [InlineData(4096, 32.0)]
    [InlineData(6144, 41.0)]
    [InlineData(8192, 50.0)]
    [InlineData(16383, 85.0)]
    public void Interpolates_linearly_between_points(int encoder, double focalLengthMm) =>
        Assert.Equal(focalLengthMm, Zoom.Evaluate(encoder), 9);

    [Fact]
    public void Clamps_outside_the_table()
    {
        Assert.Equal(24.0, Zoom.Evaluate(-5));
        Assert.Equal(85.0, Zoom.Evaluate(16_777_215));
    }

    [Fact]
    public void Empty_table_is_unknown_and_one_point_is_constant()
    {
        Assert.True(double.IsNaN(LensCalibration.Empty.Evaluate(100)));
        var single = new LensCalibration([new CalibrationPoint(500, 35.0)]);
        Assert.Equal(35.0, single.Evaluate(0));
        Assert.Equal(35.0, single.Evaluate(1_000_000));
    }

    [Fact]
    public void Rejects_unordered_or_repeated_encoders() =>
        Assert.Throws<ArgumentException>(() => new LensCalibration([new(10, 1.0), new(10, 2.0)]));

    [Fact]
    public void Decreasing_values_are_allowed()
    {
        var focus = new LensCalibration([new(0, 100.0), new(1000, 0.5)]);
        Assert.Equal(50.25, focus.Evaluate(500), 9);
    }
}
