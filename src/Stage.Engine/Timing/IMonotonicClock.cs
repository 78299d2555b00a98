namespace Stage.Engine.Timing;

/// <summary>A monotonic clock in <see cref="System.Diagnostics.Stopwatch"/> ticks, and a way to wait on it; tests substitute a manual one.</summary>
public interface IMonotonicClock
{
    /// <summary>Ticks per second.</summary>
    long Frequency { get; }

    /// <summary>Now, in ticks.</summary>
    long NowTicks { get; }

    /// <summary>Returns at or shortly after <paramref name="ticks"/> (at once if it has passed).</summary>
    void WaitUntil(long ticks, CancellationToken cancellation);
}

/// <summary>The machine's monotonic clock: sleeps for most of a wait, then spins the last stretch so frames start on time.</summary>
public sealed class StopwatchClock : IMonotonicClock
{
    // Thread.Sleep may overshoot by about a scheduler quantum; spin the last 2 ms for precision.
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 500;

    /// <inheritdoc/>
    public long Frequency => System.Diagnostics.Stopwatch.Frequency;

    /// <inheritdoc/>
    public long NowTicks => System.Diagnostics.Stopwatch.GetTimestamp();

    /// <inheritdoc/>
    public void WaitUntil(long ticks, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            long remaining = ticks - NowTicks;
            if (remaining <= 0) return;
            if (remaining > SpinTicks)
            {
                int sleepMs = (int)((remaining - SpinTicks) * 1000 / Frequency);
                if (sleepMs > 0)
                {
                    cancellation.WaitHandle.WaitOne(sleepMs);
                    continue;
                }
            }
            Thread.SpinWait(64);
        }
    }
}
