using Stage.Cluster;

namespace Stage.Cluster.Tests;

public sealed class LedgerAndBarrierTests
{
    [Fact]
    public void Hashes_are_compared_whichever_arrives_first_and_the_first_divergence_is_raised_once()
    {
        var ledger = new HashLedger(["p", "a", "b"], 0);
        var raised = new List<(int, long)>();
        ledger.Diverged += (node, frame, _, _) => raised.Add((node, frame));
        ledger.Record(1, 10, 7);      // node first
        ledger.Record(0, 10, 7);      // then the primary
        ledger.Record(0, 11, 8);      // primary first
        ledger.Record(1, 11, 8);
        ledger.Record(2, 10, 7);
        ledger.Record(2, 11, 9);      // b diverges at 11
        ledger.Record(0, 12, 1);
        ledger.Record(2, 12, 2);      // and stays diverged: raised once
        Assert.Equal([(2, 11L)], raised);
        NodeAgreement a = ledger.Agreements()[0], b = ledger.Agreements()[1];
        Assert.Equal((2L, 0L, -1L, 10L, 11L), (a.Agreed, a.Diverged, a.FirstDivergedFrame, a.FirstFrame, a.LastFrame));
        Assert.Equal((1L, 2L, 11L), (b.Agreed, b.Diverged, b.FirstDivergedFrame));
    }

    [Fact]
    public void The_barrier_waits_for_every_node_seen_and_drops_a_late_one_without_stalling()
    {
        var barrier = new FrameBarrier(0, 3, timeoutMs: 400);
        // Nobody else seen yet: no wait.
        Assert.Empty(barrier.Wait(1));
        barrier.Ready(1, 2);
        barrier.Ready(2, 2);
        // The engine thread waits (its own thread: not the test runner's pool).
        IReadOnlyList<int>? dropped = null;
        var waiter = new Thread(() => dropped = barrier.Wait(3));
        waiter.Start();
        Thread.Sleep(20);
        barrier.Ready(1, 3);
        waiter.Join();
        Assert.Equal([2], dropped);   // node 2 never said ready 3: dropped after the timeout
        Assert.Equal(2, barrier.ActiveCount);
        // Dropped: not waited for on the next frame.
        var started = System.Diagnostics.Stopwatch.StartNew();
        barrier.Ready(1, 4);
        Assert.Empty(barrier.Wait(4));
        Assert.True(started.ElapsedMilliseconds < 200, $"waited {started.ElapsedMilliseconds} ms for a dropped node");
        // Caught up: back in.
        barrier.Ready(2, 5);
        Assert.Equal(3, barrier.ActiveCount);
    }

    [Fact]
    public void Skew_and_distribution_count_frames_every_node_presented()
    {
        var ledger = new PresentLedger(2);
        long ms = System.Diagnostics.Stopwatch.Frequency / 1000;
        ledger.Published(5, 100 * ms);
        ledger.Presented(0, 5, 110 * ms, 0, 0);
        ledger.Presented(1, 5, 113 * ms, 102 * ms, 0);
        ledger.Published(6, 200 * ms);
        ledger.Presented(0, 6, 210 * ms, 0, 0);   // node 1 never presented 6: not counted
        PresentFigures figures = ledger.Figures();
        Assert.Equal(1, figures.Frames);
        Assert.Equal(3.0, figures.SkewMs.P50, 6);
        Assert.Equal(2.0, figures.DistributionMs.P50, 6);
    }
}
