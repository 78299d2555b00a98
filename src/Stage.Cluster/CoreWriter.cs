using System.Diagnostics;
using NATS.Client.Core;

namespace Stage.Cluster;

/// <summary>
/// The core-NATS messages of a node (live frame inputs, hashes, readies, presents), written to the server by a
/// thread of their own from a ring of preallocated slots. Why a thread: NATS.Net's <c>PublishAsync</c> completes at
/// once only while its write lock and pipe flush are free; otherwise it allocates a state machine and a semaphore
/// wait on the calling thread (seen under load: 60–720 bytes a frame on the engine thread). Here the engine thread
/// only copies the bytes into a slot and releases a semaphore — nothing allocated — and whatever the client costs
/// is paid on this thread. Fire and forget, as core NATS is: a message that finds the ring full, or the server away,
/// is dropped and counted (a lost hash costs a comparison, a lost ready a barrier timeout, never a frame).
/// </summary>
internal sealed class CoreWriter : IDisposable
{
    private const int SlotCount = 256;
    private const int SlotBytes = 1024;
    private readonly NatsConnection _nats;
    private readonly string[] _subjects;
    private readonly byte[][] _slots = new byte[SlotCount][];
    private readonly int[] _lengths = new int[SlotCount];
    private readonly byte[] _subjectOf = new byte[SlotCount];
    private readonly SemaphoreSlim _queued = new(0, int.MaxValue);
    private readonly Lock _produce = new();
    private readonly Thread _thread;
    private volatile bool _stopping;
    // Written by the producers (under _produce), read by the writer thread; _tail the other way round.
    private long _head, _tail;
    private long _dropped, _notAtOnce;

    /// <summary>A writer for <paramref name="nats"/> publishing to <paramref name="subjects"/> (indexed by <see cref="TrySend"/>'s subject).</summary>
    public CoreWriter(NatsConnection nats, string[] subjects, string name)
    {
        _nats = nats;
        _subjects = subjects;
        for (int i = 0; i < SlotCount; i++) _slots[i] = new byte[SlotBytes];
        _thread = new Thread(Run) { Name = name, IsBackground = true };
        _thread.Start();
    }

    /// <summary>Messages dropped: the ring full, the server away, or the client refused them.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Writes the client did not take at once (each cost this thread a task, not the engine thread).</summary>
    public long NotAtOnce => Volatile.Read(ref _notAtOnce);

    /// <summary>
    /// Queues <paramref name="message"/> for subject <paramref name="subject"/>; false (and counted as dropped) when
    /// the ring is full or the server is away. Allocates nothing unless a message outgrows its slot (then the slot
    /// grows once and keeps its size).
    /// </summary>
    public bool TrySend(int subject, ReadOnlySpan<byte> message)
    {
        if (_nats.ConnectionState != NatsConnectionState.Open || _stopping)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }
        lock (_produce)
        {
            long head = _head;
            if (head - Volatile.Read(ref _tail) >= SlotCount)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }
            int slot = (int)(head % SlotCount);
            if (_slots[slot].Length < message.Length) _slots[slot] = new byte[message.Length];
            message.CopyTo(_slots[slot]);
            _lengths[slot] = message.Length;
            _subjectOf[slot] = (byte)subject;
            Volatile.Write(ref _head, head + 1);
        }
        _queued.Release();
        return true;
    }

    private void Run()
    {
        while (true)
        {
            // A timed wait, not one on a token (a registration each wait allocates): a stop is seen within 50 ms.
            if (!_queued.Wait(50))
            {
                if (_stopping) return;
                continue;
            }
            long tail = _tail;
            int slot = (int)(tail % SlotCount);
            try
            {
                ValueTask sent = _nats.PublishAsync(_subjects[_subjectOf[slot]], new ReadOnlyMemory<byte>(_slots[slot], 0, _lengths[slot]));
                if (!sent.IsCompletedSuccessfully)
                {
                    Interlocked.Increment(ref _notAtOnce);
                    // The slot's bytes must outlive the write: wait for it here (this thread has nothing else to do).
                    sent.AsTask().GetAwaiter().GetResult();
                }
            }
            catch (Exception e) when (e is NatsException or ObjectDisposedException or OperationCanceledException or TimeoutException)
            {
                Interlocked.Increment(ref _dropped);
            }
            Volatile.Write(ref _tail, tail + 1);
        }
    }

    /// <summary>Sends what is queued (for up to <paramref name="drainTimeout"/>), then stops the thread.</summary>
    public void Dispose(TimeSpan drainTimeout)
    {
        if (_stopping) return;
        long until = Stopwatch.GetTimestamp() + (long)(drainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref _tail) < Volatile.Read(ref _head) && Stopwatch.GetTimestamp() < until) Thread.Sleep(1);
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
    }

    /// <inheritdoc />
    public void Dispose() => Dispose(TimeSpan.FromMilliseconds(200));
}
