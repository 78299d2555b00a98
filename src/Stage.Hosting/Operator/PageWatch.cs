using System.Diagnostics;

namespace Stage.Hosting.Operator;

/// <summary>
/// Whether anyone is looking at the operator page: touched by every status push to a connected page and every
/// picture fetched. The engine-thread helpers (thumbnails, world map) do their copying only while someone
/// looks, so a run with no page open pays nothing for it.
/// </summary>
public sealed class PageWatch
{
    /// <summary>How long a page counts as watching after its last sign of life.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(3);

    private long _lastTouchTimestamp = long.MinValue;

    /// <summary>Someone is looking now.</summary>
    public void Touch() => Volatile.Write(ref _lastTouchTimestamp, Stopwatch.GetTimestamp());

    /// <summary>True when someone looked within <see cref="Linger"/>. Cheap enough for every frame: one read and one clock read.</summary>
    public bool IsWatched
    {
        get
        {
            long last = Volatile.Read(ref _lastTouchTimestamp);
            return last != long.MinValue && Stopwatch.GetTimestamp() - last < Linger.TotalSeconds * Stopwatch.Frequency;
        }
    }
}
