using System.Diagnostics;
using System.Numerics;
using Stage.Tracking.Statistics;

namespace Stage.Tracking.Buffers;

/// <summary>A camera's tracking state.</summary>
public enum TrackingStatus
{
    /// <summary>No sample has arrived yet.</summary>
    NoData,
    /// <summary>Samples arrive within the loss timeout.</summary>
    Tracking,
    /// <summary>No sample for longer than the loss timeout; the last pose is held.</summary>
    Lost,
}

/// <summary>How <see cref="PoseBuffer.TrySample"/> produced its answer.</summary>
public enum PoseSampleKind
{
    /// <summary>Between two samples: position lerped, orientation slerped, lens lerped.</summary>
    Interpolated,
    /// <summary>Past the newest sample, within the extrapolation horizon: motion continued at the last velocity.</summary>
    Extrapolated,
    /// <summary>Past the newest sample beyond the horizon: the pose extrapolated to the horizon, held.</summary>
    HeldAtHorizon,
    /// <summary>The camera is LOST: the newest sample, held unchanged.</summary>
    HeldLost,
    /// <summary>Older than the history kept: the oldest sample kept.</summary>
    BeforeHistory,
}

/// <summary>The answer of <see cref="PoseBuffer.TrySample"/>.</summary>
/// <param name="Sample">The pose and lens at the asked time. Its receive ticks and sequence number are those of the newest sample used.</param>
/// <param name="Kind">How it was produced.</param>
/// <param name="Status">The camera's status at the asked time.</param>
public readonly record struct PoseQuery(CameraSample Sample, PoseSampleKind Kind, TrackingStatus Status);

/// <summary>A camera's status change.</summary>
/// <param name="buffer">The camera's buffer.</param>
/// <param name="from">Status before.</param>
/// <param name="to">Status after.</param>
public delegate void TrackingStatusChangedHandler(PoseBuffer buffer, TrackingStatus from, TrackingStatus to);

/// <summary>A camera's counters at one instant.</summary>
/// <param name="CameraId">Stage camera id.</param>
/// <param name="Status">Status at the instant.</param>
/// <param name="LossCount">Times the camera went LOST.</param>
/// <param name="RecoveryCount">Times it came back from LOST.</param>
/// <param name="Samples">Sample arrivals: count, rate, intervals, jitter, time since last.</param>
/// <param name="Latest">The newest sample, if any.</param>
public sealed record CameraStatisticsSnapshot(
    string CameraId, TrackingStatus Status, long LossCount, long RecoveryCount, ArrivalSnapshot Samples, CameraSample? Latest);

/// <summary>
/// One camera's recent samples in a lock-free ring, written by exactly one thread (its source's receive
/// thread) and sampled by any number of others. Each slot is guarded by a sequence lock: the writer makes
/// the slot's version odd, writes, then makes it even; a reader copies the slot between two reads of an
/// equal, even version, so it never sees a half-written (torn) sample. Sampling never allocates and never
/// blocks the writer.
/// <para>
/// Time: receive times are Stopwatch ticks. The source's delay (<see cref="DelayMs"/>) is added to them:
/// a sample received at r stands for picture time r + delay. Positive delays hold tracking back to match
/// video latency; negative ones sample ahead (prediction, bounded by the extrapolation horizon).
/// </para>
/// </summary>
public sealed class PoseBuffer
{
    private struct Slot
    {
        public int Version;
        public long Index;
        public CameraSample Sample;
    }

    /// <summary>Samples searched back for the start of a velocity estimate.</summary>
    private const int VelocitySearch = 16;

    /// <summary>A velocity is measured over at least this much receive time (2 ms).</summary>
    private static readonly long VelocitySpanTicks = Stopwatch.Frequency / 500;

    private readonly Slot[] _slots;
    private readonly long _mask;
    private readonly long _delayTicks;
    private readonly long _lossTicks;
    private readonly long _horizonTicks;
    private readonly object _statusLock = new();
    private long _written;
    private long _lastReceiveTicks;
    private int _status;
    private long _lossCount;
    private long _recoveryCount;

    /// <summary>A buffer for camera <paramref name="cameraId"/> fed by a source with delay <paramref name="delayMs"/>.</summary>
    public PoseBuffer(string cameraId, double delayMs, TrackingOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(cameraId);
        if (!double.IsFinite(delayMs)) throw new ArgumentOutOfRangeException(nameof(delayMs), delayMs, "must be finite");
        Options = options ?? new TrackingOptions();
        Options.Validate();
        CameraId = cameraId;
        DelayMs = delayMs;
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Options.HistoryCapacity);
        _slots = new Slot[capacity];
        _mask = capacity - 1;
        _delayTicks = MsToTicks(delayMs);
        _lossTicks = MsToTicks(Options.LossTimeoutMs);
        _horizonTicks = MsToTicks(Options.ExtrapolationHorizonMs);
    }

    /// <summary>The stage camera id.</summary>
    public string CameraId { get; }

    /// <summary>The source's delay offset in milliseconds.</summary>
    public double DelayMs { get; }

    /// <summary>The options in force.</summary>
    public TrackingOptions Options { get; }

    /// <summary>Slots in the ring.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Samples written since the start.</summary>
    public long WrittenCount => Volatile.Read(ref _written);

    /// <summary>The status as last updated (by a write or <see cref="UpdateStatus"/>).</summary>
    public TrackingStatus Status => (TrackingStatus)Volatile.Read(ref _status);

    /// <summary>Times the camera went LOST.</summary>
    public long LossCount => Interlocked.Read(ref _lossCount);

    /// <summary>Times it came back from LOST.</summary>
    public long RecoveryCount => Interlocked.Read(ref _recoveryCount);

    /// <summary>Sample arrivals (written by the writer thread).</summary>
    public ArrivalStatistics Arrivals { get; } = new();

    /// <summary>
    /// Raised on every status change (NoData → Tracking, Tracking → Lost, Lost → Tracking), on the thread that
    /// noticed it: the writer for recoveries, whoever called <see cref="UpdateStatus"/> for losses. Keep handlers short.
    /// </summary>
    public event TrackingStatusChangedHandler? StatusChanged;

    /// <summary>
    /// Appends a sample. Single writer: only one thread may call this. A receive time older than the newest
    /// one is raised to it, so the ring stays in time order.
    /// </summary>
    public void Write(in CameraSample sample)
    {
        long n = _written;
        CameraSample stored = sample;
        if (n > 0)
        {
            long newest = _slots[(n - 1) & _mask].Sample.ReceiveTicks;
            if (stored.ReceiveTicks < newest) stored = stored with { ReceiveTicks = newest };
        }
        ref Slot slot = ref _slots[n & _mask];
        Interlocked.Increment(ref slot.Version); // odd: readers retry; full fence keeps the data writes after it
        slot.Index = n;
        slot.Sample = stored;
        Volatile.Write(ref slot.Version, slot.Version + 1); // even again; release publishes the data
        Volatile.Write(ref _written, n + 1);
        Arrivals.Record(stored.ReceiveTicks);

        // Full fence between publishing the receive time and reading the status (pairs with UpdateStatus).
        Interlocked.Exchange(ref _lastReceiveTicks, stored.ReceiveTicks);
        if (Volatile.Read(ref _status) != (int)TrackingStatus.Tracking) BecomeTracking();
    }

    /// <summary>The newest sample, if any.</summary>
    public bool TryGetLatest(out CameraSample sample)
    {
        while (true)
        {
            long n = Volatile.Read(ref _written);
            if (n == 0) { sample = default; return false; }
            if (TryRead(n - 1, out sample)) return true;
        }
    }

    /// <summary>
    /// The newest sample received at or before <paramref name="receiveTicks"/> (Stopwatch ticks), searched back through
    /// the history kept; false when none is (none yet, or all newer). For latency measurements: which pose was the
    /// freshest at a given moment.
    /// </summary>
    public bool TryGetNewestReceivedBy(long receiveTicks, out CameraSample sample)
    {
        long n = Volatile.Read(ref _written);
        long oldest = Math.Max(0, n - _slots.Length + 64);
        for (long i = n - 1; i >= oldest; i--)
        {
            if (!TryRead(i, out sample)) break;
            if (sample.ReceiveTicks <= receiveTicks) return true;
        }
        sample = default;
        return false;
    }

    /// <summary>
    /// Re-evaluates LOST at <paramref name="nowTicks"/> (Stopwatch ticks): a tracking camera whose newest
    /// sample was received more than the loss timeout ago becomes LOST. Safe from any thread.
    /// </summary>
    public TrackingStatus UpdateStatus(long nowTicks)
    {
        if (Volatile.Read(ref _status) != (int)TrackingStatus.Tracking) return Status;
        if (nowTicks - Interlocked.Read(ref _lastReceiveTicks) <= _lossTicks) return TrackingStatus.Tracking;
        bool lost = false;
        lock (_statusLock)
        {
            if (_status == (int)TrackingStatus.Tracking && nowTicks - Interlocked.Read(ref _lastReceiveTicks) > _lossTicks)
            {
                Interlocked.Exchange(ref _status, (int)TrackingStatus.Lost);
                // A sample may have landed between the check and the store; if the writer's receive time is now
                // fresh it will not have seen LOST (or will wait for this lock), so undo quietly.
                if (nowTicks - Interlocked.Read(ref _lastReceiveTicks) <= _lossTicks)
                {
                    Interlocked.Exchange(ref _status, (int)TrackingStatus.Tracking);
                }
                else
                {
                    _lossCount++;
                    lost = true;
                }
            }
        }
        if (lost) StatusChanged?.Invoke(this, TrackingStatus.Tracking, TrackingStatus.Lost);
        return Status;
    }

    /// <summary>
    /// The camera's pose and lens for picture time <paramref name="timeTicks"/> (Stopwatch ticks), with the
    /// source delay applied: interpolated between the two samples around it, extrapolated for at most the
    /// horizon past the newest, held beyond that, and the newest held unchanged while LOST. False only when
    /// no sample has arrived yet. Never allocates; never blocks the writer.
    /// </summary>
    public bool TrySample(long timeTicks, out PoseQuery result)
    {
        TrackingStatus status = UpdateStatus(timeTicks);
        for (int attempt = 0; ; attempt++)
        {
            long n = Volatile.Read(ref _written);
            if (n == 0) { result = default; return false; }
            if (!TryRead(n - 1, out CameraSample newest)) continue;
            if (status == TrackingStatus.Lost)
            {
                result = new PoseQuery(newest, PoseSampleKind.HeldLost, status);
                return true;
            }
            long target = timeTicks - _delayTicks;
            if (target >= newest.ReceiveTicks)
            {
                result = Extrapolate(n, newest, target, status);
                return true;
            }
            // Keep clear of the slots the writer will reuse next, so a search is not overtaken mid-way.
            long oldest = Math.Max(0, n - _slots.Length + 64);
            if (attempt < 8 && TrySearch(oldest, n - 1, target, status, out result)) return true;
            if (attempt >= 8)
            {
                result = new PoseQuery(newest, PoseSampleKind.BeforeHistory, status);
                return true;
            }
        }
    }

    /// <summary>The camera's counters as of <paramref name="nowTicks"/>.</summary>
    public CameraStatisticsSnapshot Snapshot(long nowTicks)
    {
        TrackingStatus status = UpdateStatus(nowTicks);
        CameraSample? latest = TryGetLatest(out CameraSample s) ? s : null;
        return new CameraStatisticsSnapshot(CameraId, status, LossCount, RecoveryCount, Arrivals.Snapshot(nowTicks), latest);
    }

    /// <summary>The camera's counters now.</summary>
    public CameraStatisticsSnapshot Snapshot() => Snapshot(Stopwatch.GetTimestamp());

    internal static long MsToTicks(double ms) => (long)Math.Round(ms * Stopwatch.Frequency / 1000.0);

    private void BecomeTracking()
    {
        TrackingStatus from;
        lock (_statusLock)
        {
            from = (TrackingStatus)_status;
            if (from == TrackingStatus.Tracking) return;
            if (from == TrackingStatus.Lost) _recoveryCount++;
            Interlocked.Exchange(ref _status, (int)TrackingStatus.Tracking);
        }
        StatusChanged?.Invoke(this, from, TrackingStatus.Tracking);
    }

    /// <summary>Sequence-lock read of the sample written as number <paramref name="index"/>; false if the slot now holds another.</summary>
    private bool TryRead(long index, out CameraSample sample)
    {
        ref Slot slot = ref _slots[index & _mask];
        SpinWait spin = default;
        while (true)
        {
            int before = Volatile.Read(ref slot.Version);
            if ((before & 1) == 0)
            {
                long storedIndex = slot.Index;
                CameraSample copy = slot.Sample;
                Interlocked.MemoryBarrier(); // the copy's loads complete before the version is read again
                if (Volatile.Read(ref slot.Version) == before)
                {
                    sample = copy;
                    return storedIndex == index;
                }
            }
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    private bool TrySearch(long lo, long hi, long target, TrackingStatus status, out PoseQuery result)
    {
        result = default;
        if (!TryRead(lo, out CameraSample first)) return false;
        if (target < first.ReceiveTicks)
        {
            result = new PoseQuery(first, PoseSampleKind.BeforeHistory, status);
            return true;
        }
        // Invariant: sample lo is at or before target, sample hi after it.
        while (hi - lo > 1)
        {
            long mid = lo + ((hi - lo) >> 1);
            if (!TryRead(mid, out CameraSample m)) return false;
            if (m.ReceiveTicks <= target) lo = mid; else hi = mid;
        }
        if (!TryRead(lo, out CameraSample a) || !TryRead(hi, out CameraSample b)) return false;
        long span = b.ReceiveTicks - a.ReceiveTicks;
        double u = span <= 0 ? 1.0 : (target - a.ReceiveTicks) / (double)span;
        result = new PoseQuery(Interpolate(a, b, u), PoseSampleKind.Interpolated, status);
        return true;
    }

    private PoseQuery Extrapolate(long n, in CameraSample newest, long target, TrackingStatus status)
    {
        long ahead = target - newest.ReceiveTicks;
        PoseSampleKind kind = ahead > _horizonTicks ? PoseSampleKind.HeldAtHorizon : PoseSampleKind.Extrapolated;
        if (ahead == 0 || n < 2) return new PoseQuery(newest, kind, status);
        // The velocity over at least VelocitySpanTicks of arrivals: packets that arrive in a burst (a tracker or network
        // catching up) are microseconds apart, and their difference over that gap would fling the pose far ahead.
        CameraSample previous = default;
        bool found = false;
        for (long i = n - 2; i >= Math.Max(0, n - 1 - VelocitySearch); i--)
        {
            if (!TryRead(i, out previous)) break;
            found = true;
            if (newest.ReceiveTicks - previous.ReceiveTicks >= VelocitySpanTicks) break;
        }
        if (!found) return new PoseQuery(newest, kind, status);
        long step = newest.ReceiveTicks - previous.ReceiveTicks;
        if (step < VelocitySpanTicks / 4) return new PoseQuery(newest, kind, status);
        double k = Math.Min(ahead, _horizonTicks) / (double)step;
        Vector3 position = newest.PositionM + (newest.PositionM - previous.PositionM) * (float)k;
        Quaternion orientation = ExtrapolateRotation(previous.Orientation, newest.Orientation, k);
        return new PoseQuery(newest with { PositionM = position, Orientation = orientation }, kind, status);
    }

    /// <summary>Continues the rotation from <paramref name="previous"/> to <paramref name="newest"/> by <paramref name="k"/> more steps.</summary>
    internal static Quaternion ExtrapolateRotation(Quaternion previous, Quaternion newest, double k)
    {
        // newest = delta · previous, so delta = newest · previous⁻¹; take delta^k on the short way round.
        Quaternion delta = Quaternion.Normalize(newest * Quaternion.Conjugate(previous));
        if (delta.W < 0) delta = Quaternion.Negate(delta);
        double halfAngle = Math.Acos(Math.Clamp(delta.W, -1f, 1f));
        double sinHalf = Math.Sin(halfAngle);
        if (sinHalf < 1e-7) return newest;
        var axis = new Vector3(delta.X, delta.Y, delta.Z) / (float)sinHalf;
        Quaternion step = Quaternion.CreateFromAxisAngle(axis, (float)(2 * halfAngle * k));
        return Quaternion.Normalize(step * newest);
    }

    private static CameraSample Interpolate(in CameraSample a, in CameraSample b, double u)
    {
        if (u <= 0) return a;
        if (u >= 1) return b;
        float t = (float)u;
        return b with
        {
            PositionM = Vector3.Lerp(a.PositionM, b.PositionM, t),
            Orientation = Quaternion.Normalize(Quaternion.Slerp(a.Orientation, b.Orientation, t)),
            FocalLengthMm = Lerp(a.FocalLengthMm, b.FocalLengthMm, u),
            FocusDistanceM = Lerp(a.FocusDistanceM, b.FocusDistanceM, u),
            Iris = Lerp(a.Iris, b.Iris, u),
            EntrancePupilOffsetM = Lerp(a.EntrancePupilOffsetM, b.EntrancePupilOffsetM, u),
            SourceTimecode = u < 0.5 ? a.SourceTimecode : b.SourceTimecode,
        };
    }

    /// <summary>Linear blend when both ends are known, else the known end (the newer one if both are unknown).</summary>
    private static double Lerp(double a, double b, double u)
    {
        if (double.IsNaN(a)) return b;
        if (double.IsNaN(b)) return a;
        return a + (b - a) * u;
    }
}
