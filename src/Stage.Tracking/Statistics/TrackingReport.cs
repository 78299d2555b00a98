using System.Globalization;
using System.Text;

namespace Stage.Tracking.Statistics;

/// <summary>
/// How tracking sources' counters read to an operator: the compact form of the status line, the summary's
/// lines and the words for each kind of fault. One place, so the status line, <c>/stage/status</c>, the
/// summary, the log and <c>stage track monitor</c> say the same thing the same way.
/// </summary>
public static class TrackingReport
{
    /// <summary>A kind of drop as an operator reads it.</summary>
    public static string KindName(TrackingDropKind kind) => kind switch
    {
        TrackingDropKind.WrongLength => "wrong length",
        TrackingDropKind.WrongMessageType => "not this protocol",
        TrackingDropKind.BadChecksum => "checksum",
        TrackingDropKind.WrongCameraId => "wrong camera id",
        TrackingDropKind.UnsupportedEncoding => "unsupported encoding",
        TrackingDropKind.MalformedPayload => "malformed",
        TrackingDropKind.BadSegment => "bad segment",
        TrackingDropKind.IncompleteMessage => "incomplete message",
        TrackingDropKind.UnmatchedSubject => "unknown address or subject",
        TrackingDropKind.NoPose => "no pose",
        TrackingDropKind.InvalidTimecode => "bad timecode",
        TrackingDropKind.PartialPose => "stale position or rotation",
        _ => kind.ToString(),
    };

    /// <summary>
    /// One source for the status line: <c>osc 2400 in 2400 ok</c>, or with faults
    /// <c>fd 31.0k in 1000 ok 30.0k bad (checksum 20.0k, wrong camera id 10.0k)</c>.
    /// </summary>
    public static string Compact(ITrackingSource source, long nowTicks) => Compact(source.Statistics.Snapshot(nowTicks));

    /// <summary>The compact form of one source's counters.</summary>
    public static string Compact(SourceStatisticsSnapshot s)
    {
        string text = $"{s.SourceId} {Count(s.Datagrams.Count)} in {Count(s.SamplesApplied)} ok";
        long faults = s.Faults;
        return faults == 0 ? text : $"{text} {Count(faults)} bad ({FaultKinds(s, Count)})";
    }

    /// <summary>The summary's line for one source: exact counts, every fault kind.</summary>
    public static string SummaryLine(ITrackingSource source, long nowTicks)
    {
        SourceStatisticsSnapshot s = source.Statistics.Snapshot(nowTicks);
        string where = source.LocalEndPoint is { } endpoint ? $" :{endpoint.Port}" : "";
        string line = Inv($"tracking source {s.SourceId} ({source.Config.Kind}{where}): {s.Datagrams.Count} packets, {s.SamplesApplied} samples applied, {s.Faults} faults");
        return s.Faults == 0 ? line : $"{line} ({FaultKinds(s, n => n.ToString(CultureInfo.InvariantCulture))})";
    }

    /// <summary>The kinds of fault a snapshot holds, most frequent first: <c>checksum 20, wrong camera id 3</c>.</summary>
    public static string FaultKinds(SourceStatisticsSnapshot s, Func<long, string> count)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(count);
        var kinds = new List<(TrackingDropKind Kind, long Count)>();
        for (int i = 0; i < s.Drops.Count; i++)
            if (s.Drops[i] > 0 && SourceStatistics.IsFault((TrackingDropKind)i)) kinds.Add(((TrackingDropKind)i, s.Drops[i]));
        // Most frequent first; equal counts in enum order, so the text is stable.
        kinds.Sort((a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : a.Kind.CompareTo(b.Kind));
        return string.Join(", ", kinds.Select(k => $"{KindName(k.Kind)} {count(k.Count)}"));
    }

    /// <summary>A faulty datagram's sample: its kind, length and first bytes in hex and as text.</summary>
    public static string Describe(TrackingFaultSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{KindName(sample.Kind)}, {sample.Length} bytes:");
        foreach (byte b in sample.Head) text.Append(CultureInfo.InvariantCulture, $" {b:x2}");
        if (sample.Length > sample.Head.Length) text.Append(" …");
        text.Append(" \"");
        foreach (byte b in sample.Head) text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        text.Append('"');
        return text.ToString();
    }

    /// <summary>A count in at most five characters: exact below 10,000, then thousands or millions.</summary>
    public static string Count(long n) => n switch
    {
        < 10_000 => n.ToString(CultureInfo.InvariantCulture),
        < 1_000_000 => Inv($"{n / 1e3:0.0}k"),
        _ => Inv($"{n / 1e6:0.0}M"),
    };

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
