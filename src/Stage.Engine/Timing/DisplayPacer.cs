using Stage.Core.Time;
using Stage.Engine.Statistics;

namespace Stage.Engine.Timing;

/// <summary>
/// Paces frames by the display they are shown on. Frame n is due on the display at its refresh, the end of its
/// period on the stage-rate grid; it starts as late as it safely can before that: the refresh minus a margin
/// learned from the recent p99 of (frame start → GPU done) — the world step, the recording, the latch and the
/// GPU's work — plus a guard, so the pose is latched as late as possible without missing the refresh. Before a
/// margin is learned a frame starts a whole period early. Where the display reports when images really appear
/// (present wait), the grid's phase follows it; otherwise the grid runs on the monotonic clock and the FIFO
/// acquire holds a frame back when the display is slower. A frame shown after its refresh is late
/// (counted by the frame loop), never absorbed.
/// </summary>
public sealed class DisplayPacer : IFramePacer
{
    /// <summary>Frames between margin updates (percentiles sort a window: not every frame).</summary>
    private const int MarginEveryFrames = 30;

    private readonly FrameClock _grid;
    private readonly IMonotonicClock _clock;
    private readonly IDisplayTiming _display;
    private readonly RollingPercentiles _startToDone = new(240);
    private readonly long _periodTicks;
    private readonly long _guardTicks;
    private long _phaseTicks;
    private long _marginTicks;
    private long _observed;

    /// <summary>Paces frames at <paramref name="rate"/> for <paramref name="display"/>; frame 0 carries <paramref name="startTimecode"/>.</summary>
    public DisplayPacer(FrameRate rate, Timecode startTimecode, IMonotonicClock clock, IDisplayTiming display)
    {
        _grid = new FrameClock(rate, startTimecode, clock);
        _clock = clock;
        _display = display ?? throw new ArgumentNullException(nameof(display));
        _periodTicks = (long)((Int128)rate.Denominator * clock.Frequency / rate.Numerator);
        _guardTicks = clock.Frequency / 1000;
        _marginTicks = _periodTicks;
    }

    /// <inheritdoc/>
    public long NextFrame { get; private set; }

    /// <inheritdoc/>
    public long DroppedFrames { get; private set; }

    /// <summary>How long before its refresh a frame starts now, ms.</summary>
    public double MarginMs => _marginTicks * 1000.0 / _clock.Frequency;

    /// <summary>How far the grid has moved to follow the display's own times, ms.</summary>
    public double PhaseMs => _phaseTicks * 1000.0 / _clock.Frequency;

    /// <summary>When frame <paramref name="frame"/> is due on the display (its refresh).</summary>
    public long RefreshTicks(long frame) => _grid.DueTicks(frame + 1) + _phaseTicks;

    /// <inheritdoc/>
    public FrameTick WaitForNextFrame(CancellationToken cancellation)
    {
        long frame = NextFrame;
        long now = _clock.NowTicks;
        // A frame whose refresh has passed cannot be shown: go on to the first refresh still ahead.
        if (RefreshTicks(frame) <= now)
        {
            long current = Math.Max(frame, _grid.FrameAt(now - _phaseTicks));
            while (RefreshTicks(current) <= now) current++;
            DroppedFrames += current - frame;
            frame = current;
        }
        long refresh = RefreshTicks(frame);
        long start = refresh - _marginTicks;
        _clock.WaitUntil(start, cancellation);
        NextFrame = frame + 1;
        return new FrameTick(frame, _grid.TimecodeOf(frame), start, _clock.NowTicks, refresh);
    }

    /// <inheritdoc/>
    public void Observe(double startToGpuDoneMs, FrameTick tick, long presentedTicks)
    {
        if (double.IsFinite(startToGpuDoneMs)) _startToDone.Record(startToGpuDoneMs);
        if (++_observed % MarginEveryFrames == 0 || _observed == 8)
        {
            double p99 = _startToDone.Summarise().P99;
            long learned = (long)(p99 * 1.2 * _clock.Frequency / 1000.0) + _guardTicks;
            _marginTicks = Math.Clamp(learned, _guardTicks, _periodTicks);
        }
        if (!_display.ReportsDisplayTimes || presentedTicks == 0) return;
        // The display's own time for this frame against its refresh on the grid: follow slowly while within half a
        // period (the display's phase and rate); a bigger error is a missed refresh, counted as late, not followed.
        long error = presentedTicks - tick.DeadlineTicks;
        if (Math.Abs(error) < _periodTicks / 2) _phaseTicks += error / 8;
    }
}
