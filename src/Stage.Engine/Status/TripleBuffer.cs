namespace Stage.Engine.Status;

/// <summary>
/// Hands values from one writer thread to one reader thread without locks, waits or allocation: three
/// buffers, one the writer fills, one the reader holds, one in between. <see cref="Publish"/> swaps the
/// writer's buffer into the middle; <see cref="TryTake"/> swaps the middle out to the reader when it is
/// newer. Neither side ever waits for the other, so the engine thread can publish while a web thread reads.
/// </summary>
/// <typeparam name="T">The buffer type; the writer fills it in place, so it is usually a mutable class with preallocated arrays.</typeparam>
public sealed class TripleBuffer<T> where T : class
{
    // Bits 0–1: index of the middle buffer; bit 2: the middle is newer than what the reader holds.
    // One word for both, so the reader never takes a stale middle that a publish has just marked fresh.
    private const int Fresh = 4;
    private readonly T[] _buffers;
    private int _state = 1;
    private int _back;
    private int _front = 2;
    private bool _taken;

    /// <summary>Three buffers made by <paramref name="create"/>.</summary>
    public TripleBuffer(Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        _buffers = [create(), create(), create()];
    }

    /// <summary>The writer's buffer: fill it, then <see cref="Publish"/>. Writer thread only.</summary>
    public T Back => _buffers[_back];

    /// <summary>Makes the writer's buffer the newest; the writer gets another buffer to fill next. Writer thread only.</summary>
    public void Publish() => _back = Interlocked.Exchange(ref _state, _back | Fresh) & 3;

    /// <summary>
    /// Takes the newest published buffer when there is one the reader has not taken yet (true), else leaves
    /// <paramref name="value"/> the buffer taken last (false; null before the first publish). The buffer stays
    /// the reader's until its next call. Reader thread only.
    /// </summary>
    public bool TryTake(out T? value)
    {
        if ((Volatile.Read(ref _state) & Fresh) == 0)
        {
            value = _taken ? _buffers[_front] : null;
            return false;
        }
        _front = Interlocked.Exchange(ref _state, _front) & 3;
        _taken = true;
        value = _buffers[_front];
        return true;
    }
}
