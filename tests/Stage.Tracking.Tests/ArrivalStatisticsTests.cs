using Stage.Tracking.Statistics;
using static Stage.Tracking.Tests.TestConfigs;

namespace Stage.Tracking.Tests;

public class ArrivalStatisticsTests
{
    [Fact]
    public void Rate_intervals_and_jitter_of_a_steady_stream_with_one_late_arrival()
    {
        var stats = new ArrivalStatistics();
        // 100 arrivals 10 ms apart, except arrival 50 which comes 4 ms late (its neighbours' intervals 14 and 6 ms).
        for (int i = 0; i < 100; i++) stats.Record(Ms(i * 10 + (i == 50 ? 4 : 0)));
        ArrivalSnapshot s = stats.Snapshot(Ms(995)); // window (−5 ms, 995 ms] holds all 100
        Assert.Equal(100, s.Count);
        Assert.Equal(100, s.RatePerSecond);
        Assert.Equal(10.0, s.IntervalP50Ms, 3);
        Assert.Equal(14.0, s.IntervalP99Ms, 3);
        Assert.Equal(0.0, s.JitterP50Ms, 3);
        Assert.Equal(4.0, s.JitterP99Ms, 3);
        Assert.Equal(5.0, s.SinceLastMs, 3);
    }

    [Fact]
    public void Rate_falls_to_zero_when_arrivals_stop()
    {
        var stats = new ArrivalStatistics();
        for (int i = 0; i < 10; i++) stats.Record(Ms(i));
        Assert.Equal(0, stats.Snapshot(Ms(5000)).RatePerSecond);
        Assert.True(double.IsNaN(new ArrivalStatistics().Snapshot(Ms(0)).IntervalP50Ms));
    }

    [Fact]
    public void Recording_allocates_nothing()
    {
        var stats = new ArrivalStatistics(64);
        stats.Record(Ms(0));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1; i < 1000; i++) stats.Record(Ms(i));
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(1000, stats.Count);
    }
}
