using System.Buffers;
using NATS.Client.Core;

namespace Stage.Cluster;

/// <summary>
/// A core-NATS subscription whose messages are handled where the client reads them, on its socket-reader task:
/// no channel and no reader task of ours between the socket and the handler (one thread wake-up less on the
/// barrier's and the live inputs' way; docs/cluster.md). The handler must be short and must not block: it records
/// a ready, a hash or a present under a lock, or queues a live input. The client subscribes it again after a
/// reconnect.
/// </summary>
internal sealed class InlineSubscription : NatsSubBase
{
    private readonly Handler _handler;
    private readonly Action<Exception> _fault;

    private InlineSubscription(NatsConnection nats, string subject, Handler handler, Action<Exception> fault)
        : base(nats, nats.SubscriptionManager, subject, queueGroup: null, opts: null)
    {
        _handler = handler;
        _fault = fault;
    }

    /// <summary>Handles one message's payload (contiguous: copied when the client's buffer splits it).</summary>
    public delegate void Handler(ReadOnlySpan<byte> payload);

    /// <summary>Subscribes <paramref name="handler"/> to <paramref name="subject"/>; <paramref name="fault"/> gets what a handler throws (never the client's reader).</summary>
    public static InlineSubscription Subscribe(NatsConnection nats, string subject, Handler handler, Action<Exception> fault)
    {
        var subscription = new InlineSubscription(nats, subject, handler, fault);
        ValueTask added = nats.AddSubAsync(subscription);
        if (!added.IsCompletedSuccessfully) added.AsTask().GetAwaiter().GetResult();
        return subscription;
    }

    /// <inheritdoc />
    protected override ValueTask ReceiveInternalAsync(string subject, string? replyTo, ReadOnlySequence<byte>? headersBuffer, ReadOnlySequence<byte> payloadBuffer)
    {
        try
        {
            if (payloadBuffer.IsSingleSegment)
            {
                _handler(payloadBuffer.FirstSpan);
            }
            else
            {
                byte[] copy = ArrayPool<byte>.Shared.Rent((int)payloadBuffer.Length);
                try
                {
                    payloadBuffer.CopyTo(copy);
                    _handler(copy.AsSpan(0, (int)payloadBuffer.Length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(copy);
                }
            }
        }
        catch (Exception e)
        {
            _fault(e);
        }
        return default;
    }

    /// <inheritdoc />
    protected override void TryComplete()
    {
    }
}
