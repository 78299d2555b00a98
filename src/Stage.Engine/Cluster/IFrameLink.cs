namespace Stage.Engine.Cluster;

/// <summary>
/// The frame loop's link to a render cluster (Stage.Cluster implements it over NATS; docs/cluster.md). On the
/// primary the loop latches the cameras where a single machine does (the renderer's latch, right before the
/// submission), fills a <see cref="FrameInput"/> and hands it to <see cref="Publish"/> then; on a render node the
/// loop takes its frames from <see cref="Receive"/> instead of its clock and its tracking. Both report the world
/// after the step, wait at the barrier between submit and present (<see cref="Ready"/>) and say when the present
/// call returned. Every call is on the engine thread.
/// </summary>
public interface IFrameLink
{
    /// <summary>True on a render node: frames come from the primary's inputs.</summary>
    bool Follows { get; }

    /// <summary>Primary: the frame's input, before the frame is rendered (the link copies what it needs).</summary>
    void Publish(FrameInput input);

    /// <summary>Render node: waits for the next frame input, in order; null when the run is over or cancelled.</summary>
    FrameInput? Receive(CancellationToken cancellation);

    /// <summary>
    /// Render node: later inputs were already waiting when the last one was received (the node replays after a
    /// (re)join, or fell behind). That frame's world is advanced and its hash reported, but it is not drawn, and
    /// the node does not wait at its barrier: a frame already past on the primary is not worth drawing, as the
    /// primary itself drops a frame it is late for.
    /// </summary>
    bool Behind { get; }

    /// <summary>The world advanced to the frame's step (null: the stage has no world): publish or compare its state hash.</summary>
    void WorldAdvanced(FrameInput input, IWorldHost? world);

    /// <summary>The frame is submitted but not yet presented: say "ready", then wait until every node is ready for it (or the barrier times out).</summary>
    void Ready(long frame);

    /// <summary>The frame's render call returned (submitted and presented), at <paramref name="presentedStamp"/> (Stopwatch ticks).</summary>
    void Presented(long frame, long presentedStamp);

    /// <summary>Primary: a take started recording at engine frame <paramref name="frame"/>; the nodes' agreement is counted for it from there.</summary>
    void TakeStarted(long frame);

    /// <summary>
    /// Primary: the take stopped after engine frame <paramref name="lastFrame"/>. Every node of the cluster, in
    /// configuration order: its outputs, the take's frames whose hash was compared, agreed, and the first that
    /// differed (an engine frame; -1: none).
    /// </summary>
    IReadOnlyList<Stage.Takes.TakeNode> TakeStopped(long lastFrame);
}
