using Stage.Core.Time;
using Stage.Engine.Timing;

namespace Stage.Engine.Tests;

public class FrameClockTests
{
    /// <summary>A clock that moves only when told to, or jumps straight to what is waited for.</summary>
    private sealed class ManualClock : IMonotonicClock
    {
        public long Frequency => 1_000_000_000;
        public long NowTicks { get; set; } = 5_000;
        public void WaitUntil(long ticks, CancellationToken cancellation) => NowTicks = Math.Max(NowTicks, ticks);
    }

    [Fact]
    public void Frames_are_due_on_exact_rational_times_without_drift()
    {
        var clock = new ManualClock();
        var frames = new FrameClock(FrameRate.Fps23976, Timecode.Parse("01:00:00:00", FrameRate.Fps23976), clock);
        // After 24000 frames of 23.976 exactly 1001 s have passed, to the nanosecond.
        Assert.Equal(5_000 + 1_001_000_000_000L, frames.DueTicks(24_000));
        Assert.Equal(24_000, frames.FrameAt(5_000 + 1_001_000_000_000L));
        Assert.Equal(23_999, frames.FrameAt(5_000 + 1_001_000_000_000L - 1));
    }

    [Fact]
    public void Each_frame_waits_for_its_due_time_and_carries_its_timecode()
    {
        var clock = new ManualClock();
        var frames = new FrameClock(FrameRate.Fps2997, Timecode.Parse("00:00:59;28", FrameRate.Fps2997), clock);
        FrameTick a = frames.WaitForNextFrame(CancellationToken.None);
        FrameTick b = frames.WaitForNextFrame(CancellationToken.None);
        FrameTick c = frames.WaitForNextFrame(CancellationToken.None);
        Assert.Equal([0L, 1, 2], [a.Frame, b.Frame, c.Frame]);
        Assert.Equal("00:01:00;02", c.Timecode.ToString());
        Assert.Equal(frames.DueTicks(2), c.StartedTicks);
        Assert.Equal(frames.DueTicks(3), c.DeadlineTicks);
        Assert.Equal(0, frames.DroppedFrames);
    }

    [Fact]
    public void A_stall_drops_the_frames_whose_time_passed_and_resumes_on_the_clock()
    {
        var clock = new ManualClock();
        var frames = new FrameClock(FrameRate.Fps25, Timecode.Parse("00:00:00:00", FrameRate.Fps25), clock);
        frames.WaitForNextFrame(CancellationToken.None);
        // The engine stalls for 130 ms: frames 1, 2 and 3 (due at 40, 80, 120 ms) never start on time.
        clock.NowTicks += 130_000_000;
        FrameTick next = frames.WaitForNextFrame(CancellationToken.None);
        Assert.Equal(3, next.Frame);
        Assert.Equal(2, frames.DroppedFrames);
        Assert.Equal(4, frames.WaitForNextFrame(CancellationToken.None).Frame);
    }

    [Fact]
    public void The_start_timecode_must_count_at_the_clock_rate()
    {
        Assert.Throws<ArgumentException>(() => new FrameClock(FrameRate.Fps25, Timecode.Parse("00:00:00:00", FrameRate.Fps24), new ManualClock()));
    }

    [Fact]
    public void The_real_clock_waits_until_the_asked_time()
    {
        var clock = new StopwatchClock();
        long target = clock.NowTicks + clock.Frequency / 200;
        clock.WaitUntil(target, CancellationToken.None);
        Assert.True(clock.NowTicks >= target);
    }
}
