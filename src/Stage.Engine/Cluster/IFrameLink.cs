namespace Stage.Engine.Cluster;

/// <summary>
/// The frame loop's link to a render cluster (Stage.Cluster implements it over NATS; docs/cluster.md). On the
/// primary the loop latches the cameras at the frame's start, fills a <see cref="FrameInput"/> and hands it to
/// <see cref="Publish"/> before it renders; on a render node the loop takes its frames from <see cref="Receive"/>
/// instead of its clock and its tracking. Both report the world after the step, wait at the barrier before
/// rendering and say when the present call returned. Every call is on the engine thread.
/// </summary>
public interface IFrameLink
{
    /// <summary>True on a render node: frames come from the primary's inputs.</summary>
    bool Follows { get; }

    /// <summary>Primary: the frame's input, before the frame is rendered (the link copies what it needs).</summary>
    void Publish(FrameInput input);

    /// <summary>Render node: waits for the next frame input, in order; null when the run is over or cancelled.</summary>
    FrameInput? Receive(CancellationToken cancellation);

    /// <summary>The world advanced to the frame's step (null: the stage has no world): publish or compare its state hash.</summary>
    void WorldAdvanced(FrameInput input, IWorldHost? world);

    /// <summary>The frame is recorded but not yet rendered: wait until every node is ready for it (or the barrier times out).</summary>
    void Ready(long frame);

    /// <summary>The frame's render call returned (submitted and presented), at <paramref name="presentedStamp"/> (Stopwatch ticks).</summary>
    void Presented(long frame, long presentedStamp);
}
