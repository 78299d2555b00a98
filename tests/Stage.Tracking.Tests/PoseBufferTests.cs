using System.Numerics;
using Stage.Core.Space;
using Stage.Tracking.Buffers;
using static Stage.Tracking.Tests.TestConfigs;
using Stage.Tests.Shared;

namespace Stage.Tracking.Tests;

public class PoseBufferTests
{
    private static readonly TrackingOptions Options = new() { LossTimeoutMs = 100, ExtrapolationHorizonMs = 50, HistoryCapacity = 256 };

    private static Quaternion Pan(double deg) => new PanTiltRoll(deg, 0, 0).ToQuaternion();

    [Fact]
    public void Empty_buffer_has_no_sample_and_no_data_status()
    {
        var buffer = new PoseBuffer("A", 0, Options);
        Assert.False(buffer.TrySample(Ms(0), out _));
        Assert.Equal(TrackingStatus.NoData, buffer.UpdateStatus(Ms(1000)));
    }

    [Fact]
    public void Interpolates_position_orientation_and_lens_between_samples()
    {
        var buffer = new PoseBuffer("A", 0, Options);
        buffer.Write(Sample(0, new Vector3(0, 1, 0), Pan(0)));
        buffer.Write(Sample(10, new Vector3(1, 1, -2), Pan(40)));
        Assert.True(buffer.TrySample(Ms(2.5), out PoseQuery q));
        Assert.Equal(PoseSampleKind.Interpolated, q.Kind);
        Assert.Equal(TrackingStatus.Tracking, q.Status);
        Assert.Equal(0.25f, q.Sample.PositionM.X, 4);
        Assert.Equal(-0.5f, q.Sample.PositionM.Z, 4);
        Assert.Equal(10.0, q.Sample.Pose.Angles.PanDeg, 2);
        Assert.Equal(30.25, q.Sample.FocalLengthMm, 6);
    }

    [Fact]
    public void Extrapolates_at_the_last_velocity_up_to_the_horizon_then_holds()
    {
        var buffer = new PoseBuffer("A", 0, Options);
        buffer.Write(Sample(0, new Vector3(0, 0, 0), Pan(0)));
        buffer.Write(Sample(10, new Vector3(0.1f, 0, 0), Pan(2)));
        Assert.True(buffer.TrySample(Ms(30), out PoseQuery ahead));
        Assert.Equal(PoseSampleKind.Extrapolated, ahead.Kind);
        Assert.Equal(0.3f, ahead.Sample.PositionM.X, 4);
        Assert.Equal(6.0, ahead.Sample.Pose.Angles.PanDeg, 2);

        Assert.True(buffer.TrySample(Ms(90), out PoseQuery held));
        Assert.Equal(PoseSampleKind.HeldAtHorizon, held.Kind);
        Assert.Equal(0.6f, held.Sample.PositionM.X, 4); // 10 ms + 50 ms horizon
        Assert.Equal(12.0, held.Sample.Pose.Angles.PanDeg, 2);
    }

    [Fact]
    public void A_burst_of_packets_microseconds_apart_does_not_fling_the_extrapolation()
    {
        // 1 m/s, a sample a millisecond; after a 3 ms stall three packets land 10 µs apart (a tracker catching up).
        var buffer = new PoseBuffer("A", 0, Options);
        for (int i = 0; i <= 10; i++) buffer.Write(Sample(i, new Vector3(0.001f * i, 0, 0), Pan(0)));
        buffer.Write(Sample(13, new Vector3(0.011f, 0, 0), Pan(0)));
        buffer.Write(Sample(13.01, new Vector3(0.012f, 0, 0), Pan(0)));
        buffer.Write(Sample(13.02, new Vector3(0.013f, 0, 0), Pan(0)));
        Assert.True(buffer.TrySample(Ms(15), out PoseQuery ahead));
        Assert.Equal(PoseSampleKind.Extrapolated, ahead.Kind);
        // Over the last 2 ms of arrivals the pose moved 1 mm per ms or so; from 10 µs apart it would be 100 mm per ms.
        Assert.InRange(ahead.Sample.PositionM.X, 0.013f, 0.016f);
    }

    [Fact]
    public void Positive_delay_samples_older_poses_and_negative_predicts()
    {
        var late = new PoseBuffer("A", 20, Options);
        var early = new PoseBuffer("A", -20, Options);
        foreach (PoseBuffer b in new[] { late, early })
        {
            for (int i = 0; i <= 10; i++) b.Write(Sample(i * 10, new Vector3(i, 0, 0), Pan(0)));
        }
        // Picture time 50 ms with 20 ms delay reads what was received at 30 ms.
        Assert.True(late.TrySample(Ms(50), out PoseQuery delayed));
        Assert.Equal(3f, delayed.Sample.PositionM.X, 4);
        // With −20 ms, picture time 90 ms reads 110 ms: 10 ms past the newest, extrapolated.
        Assert.True(early.TrySample(Ms(90), out PoseQuery predicted));
        Assert.Equal(PoseSampleKind.Extrapolated, predicted.Kind);
        Assert.Equal(11f, predicted.Sample.PositionM.X, 4);
    }

    [Fact]
    public void Times_before_the_history_return_the_oldest_sample()
    {
        var buffer = new PoseBuffer("A", 0, Options);
        buffer.Write(Sample(100, new Vector3(5, 0, 0), Pan(0)));
        buffer.Write(Sample(110, new Vector3(6, 0, 0), Pan(0)));
        Assert.True(buffer.TrySample(Ms(50), out PoseQuery q));
        Assert.Equal(PoseSampleKind.BeforeHistory, q.Kind);
        Assert.Equal(5f, q.Sample.PositionM.X);
    }

    [Fact]
    public void Ring_keeps_only_the_newest_samples()
    {
        var buffer = new PoseBuffer("A", 0, Options);
        for (int i = 0; i < 1000; i++) buffer.Write(Sample(i, new Vector3(i, 0, 0), Pan(0)));
        Assert.True(buffer.TrySample(Ms(10), out PoseQuery old));
        Assert.Equal(PoseSampleKind.BeforeHistory, old.Kind);
        Assert.True(old.Sample.PositionM.X > 700);
        Assert.True(buffer.TrySample(Ms(990.5), out PoseQuery recent));
        Assert.Equal(990.5f, recent.Sample.PositionM.X, 3);
    }

    [Fact]
    public void Loss_after_the_timeout_holds_the_last_pose_and_recovery_is_counted()
    {
        var buffer = new PoseBuffer("A", 0, Options);
        var changes = new List<(TrackingStatus From, TrackingStatus To)>();
        buffer.StatusChanged += (_, from, to) => changes.Add((from, to));
        buffer.Write(Sample(0, new Vector3(0, 0, 0), Pan(0)));
        buffer.Write(Sample(10, new Vector3(1, 0, 0), Pan(0)));
        Assert.Equal(TrackingStatus.Tracking, buffer.UpdateStatus(Ms(110)));
        Assert.Equal(TrackingStatus.Lost, buffer.UpdateStatus(Ms(111)));
        Assert.True(buffer.TrySample(Ms(200), out PoseQuery lost));
        Assert.Equal(PoseSampleKind.HeldLost, lost.Kind);
        Assert.Equal(TrackingStatus.Lost, lost.Status);
        Assert.Equal(1f, lost.Sample.PositionM.X);
        Assert.Equal(1, buffer.LossCount);

        buffer.Write(Sample(300, new Vector3(9, 0, 0), Pan(0)));
        Assert.Equal(TrackingStatus.Tracking, buffer.Status);
        Assert.Equal(1, buffer.RecoveryCount);
        Assert.Equal(
            [(TrackingStatus.NoData, TrackingStatus.Tracking), (TrackingStatus.Tracking, TrackingStatus.Lost), (TrackingStatus.Lost, TrackingStatus.Tracking)],
            changes);
        Assert.Equal(1, buffer.LossCount); // repeated checks while lost do not count again
    }

    [Fact]
    public void Rotation_extrapolation_continues_a_turn()
    {
        Quaternion a = Pan(10), b = Pan(20);
        Quaternion c = PoseBuffer.ExtrapolateRotation(a, b, 2.0);
        Assert.Equal(40.0, new Pose(Vector3.Zero, c).Angles.PanDeg, 2);
    }

    [Fact]
    public void Readers_never_see_a_torn_sample_under_a_concurrent_writer()
    {
        // Every written sample satisfies X = Y = Z = sequence and a focal length of sequence too; a torn
        // copy would mix fields of two different writes.
        var buffer = new PoseBuffer("A", 0, Options);
        const int writes = 200_000;
        long baseTicks = Ms(0);
        using var stop = new CancellationTokenSource();
        var writer = new Thread(() =>
        {
            for (int i = 1; i <= writes; i++)
            {
                buffer.Write(CameraSample.Create("A", new Vector3(i, i, i), Quaternion.Identity, baseTicks + i * 1000L, i) with { FocalLengthMm = i });
            }
        });
        int readers = Math.Max(2, Environment.ProcessorCount - 1);
        long checkedCount = 0;
        var failures = new List<string>();
        var threads = Enumerable.Range(0, readers).Select(r => new Thread(() =>
        {
            var random = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                if (buffer.TryGetLatest(out CameraSample s))
                {
                    if (s.PositionM.X != s.SequenceNumber || s.PositionM.Y != s.SequenceNumber || s.PositionM.Z != s.SequenceNumber
                        || s.FocalLengthMm != s.SequenceNumber || s.ReceiveTicks != baseTicks + s.SequenceNumber * 1000L)
                    {
                        lock (failures) failures.Add($"torn latest {s}");
                    }
                    Interlocked.Increment(ref checkedCount);
                }
                long n = buffer.WrittenCount;
                if (n > 2 && buffer.TrySample(baseTicks + (n - random.Next(1, 100)) * 1000L + 500, out PoseQuery q) && q.Kind == PoseSampleKind.Interpolated)
                {
                    // Halfway between writes k and k+1: every coordinate is k + 0.5, whatever k the reader landed on.
                    float x = q.Sample.PositionM.X;
                    if (Math.Abs(q.Sample.PositionM.Y - x) > 1e-2 || Math.Abs(q.Sample.PositionM.Z - x) > 1e-2 || Math.Abs(x - Math.Floor(x) - 0.5) > 1e-2)
                    {
                        lock (failures) failures.Add($"torn interpolation {q.Sample.PositionM}");
                    }
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        writer.Start();
        writer.Join();
        stop.Cancel();
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);
        Assert.True(checkedCount > 0);
        Assert.True(buffer.TryGetLatest(out CameraSample last));
        Assert.Equal(writes, last.SequenceNumber);
    }

    [Fact]
    public void Sampling_allocates_nothing()
    {
        var buffer = new PoseBuffer("A", 0, Options);
        for (int i = 0; i < 100; i++) buffer.Write(Sample(i, new Vector3(i, 0, 0), Pan(i)));
        void Loop()
        {
            for (int i = 0; i < 1000; i++)
            {
                buffer.TrySample(Ms(20 + i % 70 + 0.25), out _);
                buffer.TrySample(Ms(120), out _);
            }
        }
        // Warm up first: the JIT's tier-up of these methods allocates on this thread, sampling itself must not.
        for (int round = 0; round < 50; round++) Loop();
        Assert.Equal(0, SteadyState.AllocatedBytes(Loop));
    }

    [Fact]
    public void Snapshot_reports_status_counts_and_the_latest_sample()
    {
        var buffer = new PoseBuffer("A", 0, Options);
        for (int i = 0; i < 11; i++) buffer.Write(Sample(i * 10, new Vector3(i, 0, 0), Pan(0)));
        CameraStatisticsSnapshot s = buffer.Snapshot(Ms(100));
        Assert.Equal(TrackingStatus.Tracking, s.Status);
        Assert.Equal(11, s.Samples.Count);
        Assert.Equal(10.0, s.Samples.IntervalP50Ms, 3);
        Assert.Equal(0.0, s.Samples.JitterP99Ms, 3);
        Assert.Equal(10f, s.Latest!.Value.PositionM.X);
    }
}
