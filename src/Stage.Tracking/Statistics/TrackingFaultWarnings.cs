using System.Diagnostics;
using System.Globalization;

namespace Stage.Tracking.Statistics;

/// <summary>
/// Rate-limited warnings about tracking faults, for the log: per source at most one every
/// <see cref="Interval"/>, naming the source, the faults since its last warning by kind, and a sample of
/// the latest faulty datagram. A tracker sending garbage at 1 kHz gives one line per interval, not a flood;
/// a single bad packet still gives one line.
/// </summary>
public sealed class TrackingFaultWarnings
{
    private readonly IReadOnlyList<ITrackingSource> _sources;
    private readonly long[] _warnedDrops;
    private readonly long[] _lastWarningTicks;
    private readonly long _intervalTicks;
    private readonly int _kinds = Enum.GetValues<TrackingDropKind>().Length;

    /// <summary>Warnings about <paramref name="sources"/>, at most one per source every <paramref name="interval"/> (default 10 s).</summary>
    public TrackingFaultWarnings(IReadOnlyList<ITrackingSource> sources, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _sources = sources;
        Interval = interval ?? TimeSpan.FromSeconds(10);
        _intervalTicks = (long)(Interval.TotalSeconds * Stopwatch.Frequency);
        _warnedDrops = new long[sources.Count * _kinds];
        _lastWarningTicks = new long[sources.Count];
        Array.Fill(_lastWarningTicks, long.MinValue);
    }

    /// <summary>The shortest time between two warnings about one source.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The warnings due at <paramref name="nowTicks"/> (Stopwatch ticks); none when nothing new went wrong.</summary>
    public IReadOnlyList<string> Due(long nowTicks)
    {
        List<string>? due = null;
        for (int i = 0; i < _sources.Count; i++)
        {
            if (_lastWarningTicks[i] != long.MinValue && nowTicks - _lastWarningTicks[i] < _intervalTicks) continue;
            ITrackingSource source = _sources[i];
            SourceStatisticsSnapshot now = source.Statistics.Snapshot(nowTicks);
            // The faults since the last warning, as a snapshot of their own, so the report reads them as it reads totals.
            var since = new long[_kinds];
            long newFaults = 0;
            for (int k = 0; k < _kinds; k++)
            {
                since[k] = now.Drops[k] - _warnedDrops[i * _kinds + k];
                if (SourceStatistics.IsFault((TrackingDropKind)k)) newFaults += since[k];
            }
            if (newFaults == 0) continue;
            for (int k = 0; k < _kinds; k++) _warnedDrops[i * _kinds + k] = now.Drops[k];
            string window = _lastWarningTicks[i] == long.MinValue ? "since it started" : $"in the last {Stopwatch.GetElapsedTime(_lastWarningTicks[i], nowTicks).TotalSeconds:0} s";
            _lastWarningTicks[i] = nowTicks;
            string kinds = TrackingReport.FaultKinds(now with { Drops = since }, n => n.ToString(CultureInfo.InvariantCulture));
            string sample = source.Statistics.LatestFaultSample() is { } latest ? $"; latest: {TrackingReport.Describe(latest)}" : "";
            string where = source.LocalEndPoint is { } endpoint ? $" on :{endpoint.Port}" : "";
            (due ??= []).Add(string.Create(CultureInfo.InvariantCulture,
                $"tracking source '{source.SourceId}' ({source.Config.Kind}{where}): {newFaults} faulty packets {window} ({kinds}){sample}"));
        }
        return due ?? (IReadOnlyList<string>)[];
    }
}
