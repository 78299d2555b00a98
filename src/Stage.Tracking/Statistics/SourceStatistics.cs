using System.Diagnostics;

namespace Stage.Tracking.Statistics;

/// <summary>Why a source dropped a datagram or a sample. Every drop is counted under exactly one kind.</summary>
public enum TrackingDropKind
{
    /// <summary>Wrong length for the protocol (FreeD: not 29 bytes; OpenTrackIO: shorter than the header or length field disagrees).</summary>
    WrongLength,
    /// <summary>Not this protocol's message type or identifier (FreeD byte 0 not 0xD1; OpenTrackIO not "OTrk").</summary>
    WrongMessageType,
    /// <summary>Checksum mismatch.</summary>
    BadChecksum,
    /// <summary>A FreeD packet for another camera id than the source accepts.</summary>
    WrongCameraId,
    /// <summary>A payload encoding Stage does not decode (OpenTrackIO CBOR 0x02, vendor encodings).</summary>
    UnsupportedEncoding,
    /// <summary>A payload that is not valid for the protocol (bad JSON, wrong types, non-finite pose, unknown protocol name).</summary>
    MalformedPayload,
    /// <summary>A segment that overlaps another, or a message beyond the reassembly size cap.</summary>
    BadSegment,
    /// <summary>A segmented message whose segments did not all arrive in time (or whose slot was needed for newer messages).</summary>
    IncompleteMessage,
    /// <summary>A valid sample that no camera bound to the source claims.</summary>
    UnmatchedSubject,
    /// <summary>A valid sample without a pose (OpenTrackIO static-only or lens-only samples); not an error, counted for the monitor.</summary>
    NoPose,
    /// <summary>
    /// OSC: a position whose rotation has not arrived within the loss timeout (or never), or the reverse; the part is
    /// kept, and the next message of the other part completes the pose.
    /// </summary>
    PartialPose,
    /// <summary>An OpenTrackIO timecode that is not valid SMPTE timecode; the pose is applied, the timecode left out.</summary>
    InvalidTimecode,
}

/// <summary>A source's counters at one instant.</summary>
/// <param name="SourceId">The configured source id.</param>
/// <param name="Datagrams">Datagrams received (and their rate, intervals and jitter).</param>
/// <param name="SamplesApplied">Camera samples written into pose buffers.</param>
/// <param name="SamplesPerSecond">Samples written during the last second, all cameras of the source together.</param>
/// <param name="Malformed">Datagrams dropped for any reason other than a bad checksum (wrong length, type, payload, segments).</param>
/// <param name="ChecksumErrors">Datagrams dropped for a bad checksum.</param>
/// <param name="Drops">Counts by <see cref="TrackingDropKind"/>, indexed by the enum value.</param>
public sealed record SourceStatisticsSnapshot(
    string SourceId, ArrivalSnapshot Datagrams, long SamplesApplied, double SamplesPerSecond,
    long Malformed, long ChecksumErrors, IReadOnlyList<long> Drops)
{
    /// <summary>The count of one kind of drop.</summary>
    public long DropsOf(TrackingDropKind kind) => Drops[(int)kind];
}

/// <summary>
/// Counters of one tracking source: datagram arrivals, applied samples and drops by kind. Updated by the
/// source's receive thread without allocation; read by any thread.
/// </summary>
public sealed class SourceStatistics
{
    private static readonly int KindCount = Enum.GetValues<TrackingDropKind>().Length;
    private readonly long[] _drops = new long[KindCount];

    /// <summary>Counters for the source <paramref name="sourceId"/>.</summary>
    public SourceStatistics(string sourceId)
    {
        SourceId = sourceId;
    }

    /// <summary>The source id.</summary>
    public string SourceId { get; }

    /// <summary>Datagram arrivals.</summary>
    public ArrivalStatistics Datagrams { get; } = new();

    /// <summary>Samples written into pose buffers (all cameras of the source).</summary>
    public ArrivalStatistics Samples { get; } = new();

    /// <summary>Counts one drop.</summary>
    public void CountDrop(TrackingDropKind kind) => Interlocked.Increment(ref _drops[(int)kind]);

    /// <summary>The count of one kind of drop.</summary>
    public long DropsOf(TrackingDropKind kind) => Interlocked.Read(ref _drops[(int)kind]);

    /// <summary>The counters as of <paramref name="nowTicks"/>.</summary>
    public SourceStatisticsSnapshot Snapshot(long nowTicks)
    {
        var drops = new long[KindCount];
        for (int i = 0; i < KindCount; i++) drops[i] = Interlocked.Read(ref _drops[i]);
        long checksum = drops[(int)TrackingDropKind.BadChecksum];
        long malformed = drops[(int)TrackingDropKind.WrongLength] + drops[(int)TrackingDropKind.WrongMessageType]
            + drops[(int)TrackingDropKind.MalformedPayload] + drops[(int)TrackingDropKind.BadSegment]
            + drops[(int)TrackingDropKind.UnsupportedEncoding];
        ArrivalSnapshot samples = Samples.Snapshot(nowTicks);
        return new SourceStatisticsSnapshot(SourceId, Datagrams.Snapshot(nowTicks), samples.Count, samples.RatePerSecond, malformed, checksum, drops);
    }

    /// <summary>The counters now.</summary>
    public SourceStatisticsSnapshot Snapshot() => Snapshot(Stopwatch.GetTimestamp());
}
