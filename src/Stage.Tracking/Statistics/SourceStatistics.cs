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
    /// <summary>
    /// A valid sample without a pose (OpenTrackIO static-only or lens-only samples; OSC lens or a position or rotation
    /// before its partner has ever arrived); not an error, counted for the monitor.
    /// </summary>
    NoPose,
    /// <summary>
    /// OSC: a position whose newest rotation is older than the loss timeout, or the reverse (the tracker stopped sending
    /// one part); the part is kept, and the next message of the other part completes the pose.
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

    /// <summary>Drops that are faults (<see cref="SourceStatistics.IsFault"/>), all kinds together.</summary>
    public long Faults
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < Drops.Count; i++) if (SourceStatistics.IsFault((TrackingDropKind)i)) sum += Drops[i];
            return sum;
        }
    }
}

/// <summary>The latest datagram a source dropped as a fault, as it arrived (its first bytes).</summary>
/// <param name="Kind">Why it was dropped.</param>
/// <param name="Head">Its first bytes (at most <see cref="SourceStatistics.FaultSampleBytes"/>).</param>
/// <param name="Length">Its whole length, bytes.</param>
/// <param name="ReceiveTicks">When it arrived (Stopwatch ticks).</param>
public sealed record TrackingFaultSample(TrackingDropKind Kind, byte[] Head, int Length, long ReceiveTicks);

/// <summary>
/// Counters of one tracking source: datagram arrivals, applied samples and drops by kind. Updated by the
/// source's receive thread without allocation; read by any thread.
/// </summary>
public sealed class SourceStatistics
{
    /// <summary>How many leading bytes of a faulty datagram are kept as its sample.</summary>
    public const int FaultSampleBytes = 32;

    private static readonly int KindCount = Enum.GetValues<TrackingDropKind>().Length;
    private readonly long[] _drops = new long[KindCount];
    private readonly Lock _sampleLock = new();
    private readonly byte[] _sampleHead = new byte[FaultSampleBytes];
    private long _faults;
    private int _lastFaultKind;
    private int _sampleLength;
    private long _sampleTicks;
    private TrackingDropKind _sampleKind;
    private bool _hasSample;

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

    /// <summary>
    /// Whether a drop is a fault the operator hears about (status, summary, log). <see cref="TrackingDropKind.NoPose"/>
    /// is not: OpenTrackIO static-only samples and lens-only OSC messages before a pose are normal.
    /// </summary>
    public static bool IsFault(TrackingDropKind kind) => kind != TrackingDropKind.NoPose;

    /// <summary>Faults counted since the start, all kinds together.</summary>
    public long FaultCount => Interlocked.Read(ref _faults);

    /// <summary>Counts one drop.</summary>
    public void CountDrop(TrackingDropKind kind)
    {
        Interlocked.Increment(ref _drops[(int)kind]);
        if (!IsFault(kind)) return;
        Volatile.Write(ref _lastFaultKind, (int)kind);
        Interlocked.Increment(ref _faults);
    }

    /// <summary>
    /// Keeps the first bytes of a datagram that was just counted as a fault, as the sample a warning shows.
    /// The receive thread calls this; it copies into a fixed buffer and allocates nothing.
    /// </summary>
    public void KeepFaultSample(ReadOnlySpan<byte> datagram, long receiveTicks)
    {
        lock (_sampleLock)
        {
            int kept = Math.Min(datagram.Length, FaultSampleBytes);
            datagram[..kept].CopyTo(_sampleHead);
            _sampleLength = datagram.Length;
            _sampleTicks = receiveTicks;
            _sampleKind = (TrackingDropKind)Volatile.Read(ref _lastFaultKind);
            _hasSample = true;
        }
    }

    /// <summary>The latest faulty datagram kept, or null when none was.</summary>
    public TrackingFaultSample? LatestFaultSample()
    {
        lock (_sampleLock)
        {
            if (!_hasSample) return null;
            return new TrackingFaultSample(_sampleKind, _sampleHead.AsSpan(0, Math.Min(_sampleLength, FaultSampleBytes)).ToArray(), _sampleLength, _sampleTicks);
        }
    }

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
