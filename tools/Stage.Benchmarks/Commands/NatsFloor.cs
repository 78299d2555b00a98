using System.Buffers;
using System.Diagnostics;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Stage.Engine.Statistics;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// The baseline of <c>stage bench cluster</c>, measured in the same run on the same server: one frame input's worth
/// of bytes published → received in another connection of this process, over core NATS and through a JetStream
/// stream (acknowledged publish, ordered consumer) — the floor the cluster's distribution figure is read against.
/// </summary>
internal static class NatsFloor
{
    /// <summary>Core NATS and JetStream publish → receive p50/p99 (ms) of <paramref name="messages"/> messages of <paramref name="bytes"/> bytes, one every millisecond.</summary>
    public static (PercentileSummary Core, PercentileSummary Stream) Measure(string url, int messages = 400, int bytes = 122)
    {
        var publisher = new NatsConnection(new NatsOpts { Url = url, Name = "bench-floor-pub" });
        var subscriber = new NatsConnection(new NatsOpts { Url = url, Name = "bench-floor-sub" });
        try
        {
            return (Run(publisher, subscriber, messages, bytes, stream: false), Run(publisher, subscriber, messages, bytes, stream: true));
        }
        finally
        {
            publisher.DisposeAsync().AsTask().GetAwaiter().GetResult();
            subscriber.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static PercentileSummary Run(NatsConnection publisher, NatsConnection subscriber, int messages, int bytes, bool stream)
    {
        var received = new long[messages];
        var sent = new long[messages];
        string subject = stream ? "bench.floor.stream" : "bench.floor.core";
        var js = new NatsJSContext(publisher);
        using var stop = new CancellationTokenSource();
        Task listener;
        if (stream)
        {
            js.CreateStreamAsync(new StreamConfig("BENCH_FLOOR", [subject]) { Storage = StreamConfigStorage.File }).AsTask().GetAwaiter().GetResult();
            var consumerJs = new NatsJSContext(subscriber);
            INatsJSConsumer consumer = consumerJs.CreateOrderedConsumerAsync("BENCH_FLOOR").AsTask().GetAwaiter().GetResult();
            listener = Task.Run(async () =>
            {
                int n = 0;
                await foreach (NatsJSMsg<NatsMemoryOwner<byte>> msg in consumer.ConsumeAsync<NatsMemoryOwner<byte>>(cancellationToken: stop.Token))
                {
                    received[n] = Stopwatch.GetTimestamp();
                    msg.Data.Dispose();
                    if (++n == messages) return;
                }
            });
        }
        else
        {
            INatsSub<NatsMemoryOwner<byte>> sub = subscriber.SubscribeCoreAsync<NatsMemoryOwner<byte>>(subject).AsTask().GetAwaiter().GetResult();
            subscriber.PingAsync().AsTask().GetAwaiter().GetResult();
            listener = Task.Run(async () =>
            {
                int n = 0;
                await foreach (NatsMsg<NatsMemoryOwner<byte>> msg in sub.Msgs.ReadAllAsync(stop.Token))
                {
                    received[n] = Stopwatch.GetTimestamp();
                    msg.Data.Dispose();
                    if (++n == messages) break;
                }
                await sub.DisposeAsync();
            });
        }
        byte[] payload = new byte[bytes];
        for (int i = 0; i < messages; i++)
        {
            sent[i] = Stopwatch.GetTimestamp();
            if (stream) js.PublishAsync(subject, new ReadOnlyMemory<byte>(payload)).AsTask().GetAwaiter().GetResult().EnsureSuccess();
            else publisher.PublishAsync(subject, new ReadOnlyMemory<byte>(payload)).AsTask().GetAwaiter().GetResult();
            Thread.Sleep(1);
        }
        bool done = listener.Wait(TimeSpan.FromSeconds(30));
        stop.Cancel();
        if (stream) js.DeleteStreamAsync("BENCH_FLOOR").AsTask().GetAwaiter().GetResult();
        var figures = new RollingPercentiles(messages);
        if (done)
            for (int i = 0; i < messages; i++) figures.Record((received[i] - sent[i]) * 1000.0 / Stopwatch.Frequency);
        return figures.Summarise();
    }
}
