namespace Stage.Engine.Status;

/// <summary>
/// Where the engine thread publishes its <see cref="EngineStatusSnapshot"/> a few times a second and one
/// reader thread (the operator page's broadcaster) takes the newest: a <see cref="TripleBuffer{T}"/> plus a
/// wake-up, so the reader pushes a new status as soon as it exists instead of polling. Publishing never
/// blocks and never allocates.
/// </summary>
public sealed class EngineStatusBoard
{
    private readonly TripleBuffer<EngineStatusSnapshot> _buffers;
    private readonly ManualResetEventSlim _published = new(false);
    private long _sequence;

    internal EngineStatusBoard(int cameras, int windowCapacity) =>
        _buffers = new TripleBuffer<EngineStatusSnapshot>(() => new EngineStatusSnapshot(cameras, windowCapacity));

    /// <summary>Publications so far.</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    internal EngineStatusSnapshot Back => _buffers.Back;

    internal void Publish()
    {
        _buffers.Back.Sequence = _sequence + 1;
        _buffers.Publish();
        Interlocked.Increment(ref _sequence);
        _published.Set();
    }

    /// <summary>
    /// Waits at most <paramref name="timeout"/> for a publication newer than the last one taken, then takes
    /// the newest (true), or leaves <paramref name="snapshot"/> as the one taken before (false; null before
    /// the first). One reader thread only; the snapshot is the reader's until its next call.
    /// </summary>
    public bool WaitAndTake(TimeSpan timeout, out EngineStatusSnapshot? snapshot)
    {
        // Reset before taking: a publish that lands after the take sets it again, so none is missed.
        _published.Reset();
        if (_buffers.TryTake(out snapshot)) return true;
        _published.Wait(timeout);
        _published.Reset();
        return _buffers.TryTake(out snapshot);
    }
}
