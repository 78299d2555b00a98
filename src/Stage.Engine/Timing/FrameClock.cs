using Stage.Core.Time;

namespace Stage.Engine.Timing;

/// <summary>
/// The engine's frame clock: frame n is due at start + n × period, computed exactly from the rational
/// rate (never by adding rounded periods), so frames are paced by the clock and never by how long the
/// last one took. A frame that starts after the next one was due is late; frames whose time passed
/// entirely are dropped, and the clock moves on to the current frame.
/// </summary>
public sealed class FrameClock : IFramePacer
{
    private readonly IMonotonicClock _clock;
    private readonly long _startTicks;
    private readonly long _startTimecodeFrames;

    /// <summary>Starts a clock at <paramref name="rate"/> now; frame 0 carries <paramref name="startTimecode"/>.</summary>
    public FrameClock(FrameRate rate, Timecode startTimecode, IMonotonicClock clock)
    {
        if (startTimecode.Rate != rate) throw new ArgumentException($"start timecode counts at {startTimecode.Rate}, the clock runs at {rate}", nameof(startTimecode));
        Rate = rate;
        _clock = clock;
        _startTicks = clock.NowTicks;
        _startTimecodeFrames = startTimecode.ToFrameCount();
        DropFrame = startTimecode.DropFrame;
    }

    /// <summary>The frame rate.</summary>
    public FrameRate Rate { get; }

    /// <summary>True when timecode counts drop-frame.</summary>
    public bool DropFrame { get; }

    /// <summary>The next frame <see cref="WaitForNextFrame"/> will return.</summary>
    public long NextFrame { get; private set; }

    /// <summary>Frames skipped because their time had passed before they could start.</summary>
    public long DroppedFrames { get; private set; }

    /// <summary>When frame <paramref name="frame"/> is due, in monotonic ticks.</summary>
    public long DueTicks(long frame) => _startTicks + (long)((Int128)frame * Rate.Denominator * _clock.Frequency / Rate.Numerator);

    /// <summary>The frame whose period contains <paramref name="ticks"/>.</summary>
    public long FrameAt(long ticks)
    {
        Int128 elapsed = ticks - _startTicks;
        Int128 scaled = elapsed * Rate.Numerator;
        Int128 divisor = (Int128)Rate.Denominator * _clock.Frequency;
        Int128 frame = scaled / divisor;
        if (scaled % divisor != 0 && scaled < 0) frame -= 1;
        return (long)frame;
    }

    /// <summary>Timecode of a frame.</summary>
    public Timecode TimecodeOf(long frame) => Timecode.FromFrameCount(_startTimecodeFrames + frame, Rate, DropFrame);

    /// <inheritdoc/>
    public void Observe(double startToGpuDoneMs, FrameTick tick, long presentedTicks)
    {
    }

    /// <summary>
    /// Waits until the next frame is due and returns it. If its period has already passed entirely, the
    /// frames missed are counted as dropped and the current frame is returned at once.
    /// </summary>
    public FrameTick WaitForNextFrame(CancellationToken cancellation)
    {
        long frame = NextFrame;
        long now = _clock.NowTicks;
        long current = FrameAt(now);
        if (current > frame)
        {
            DroppedFrames += current - frame;
            frame = current;
        }
        else
        {
            _clock.WaitUntil(DueTicks(frame), cancellation);
        }
        NextFrame = frame + 1;
        long started = _clock.NowTicks;
        return new FrameTick(frame, TimecodeOf(frame), DueTicks(frame), started, DueTicks(frame + 1));
    }
}

/// <summary>One frame handed out by the clock.</summary>
/// <param name="Frame">Frame number from the clock's start.</param>
/// <param name="Timecode">The frame's timecode.</param>
/// <param name="DueTicks">When the frame was due to start.</param>
/// <param name="StartedTicks">When it actually started.</param>
/// <param name="DeadlineTicks">When the next frame is due: the frame must be submitted by then.</param>
public readonly record struct FrameTick(long Frame, Timecode Timecode, long DueTicks, long StartedTicks, long DeadlineTicks);
