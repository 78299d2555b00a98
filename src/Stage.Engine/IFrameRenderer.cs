using Stage.Core.Frames;
using Stage.Engine.Timing;

namespace Stage.Engine;

/// <summary>What the frame loop asks of one frame.</summary>
/// <param name="Tick">The frame.</param>
/// <param name="ReadBack">Copy every canvas into host memory in this frame (an output asked: files, a preview due); its pixels reach <see cref="IFrameSink.Pixels"/> one or more frames later.</param>
public readonly record struct FrameRequest(FrameTick Tick, bool ReadBack);

/// <summary>
/// The cameras of a frame, latched by the renderer once, as late as it can: after the world step and after
/// everything else of the frame is recorded, right before the submission.
/// </summary>
public interface ICameraLatch
{
    /// <summary>Every camera's view now (configuration order, which is priority order: the first wins where inner frusta overlap).</summary>
    ReadOnlySpan<CameraView> Latch();

    /// <summary>
    /// The frame was submitted to the GPU (called right after the submission, before any present);
    /// <paramref name="submitCallMs"/> is how long the driver's submit call itself took (NaN when unknown).
    /// </summary>
    void Submitted(double submitCallMs);
}

/// <summary>Where the renderer hands what comes back from frames that completed on the GPU.</summary>
public interface IFrameSink
{
    /// <summary>A frame's read-back canvases (asked by <see cref="FrameRequest.ReadBack"/>); valid only during the call.</summary>
    void Pixels(FrameTick tick, IReadOnlyList<CanvasPixels> canvases);

    /// <summary>A frame completed on the GPU: when it was submitted, finished and shown.</summary>
    void Completed(in FrameCompletionTimes times);
}

/// <summary>When a frame was submitted, finished on the GPU and shown (Stopwatch ticks).</summary>
/// <param name="Tick">The frame.</param>
/// <param name="SubmitTicks">Its submission returned.</param>
/// <param name="GpuDoneTicks">The GPU finished it.</param>
/// <param name="PresentedTicks">It was shown on a display (0: no display showed it).</param>
/// <param name="GpuMs">GPU time of the frame from timestamps, ms (NaN without them).</param>
public readonly record struct FrameCompletionTimes(FrameTick Tick, long SubmitTicks, long GpuDoneTicks, long PresentedTicks, double GpuMs);

/// <summary>
/// Renders a frame's output canvases (the world seen through each camera's inner frustum, the outer view, composed
/// onto every wall region) and shows them where the outputs are on the GPU (windows). The composition root adapts
/// Stage.Render to this; the renderer reads the world's interpolated transforms itself. Frames overlap: a call
/// records and submits one frame and returns without waiting for the GPU (beyond the slot it reuses).
/// </summary>
public interface IFrameRenderer : IDisposable
{
    /// <summary>Records the frame, latches the cameras from <paramref name="latch"/> last, submits and presents; earlier frames that completed meanwhile go to <paramref name="sink"/>.</summary>
    void Render(in FrameRequest request, ICameraLatch latch, IFrameSink sink);

    /// <summary>Hands every completed frame to <paramref name="sink"/>, oldest first; with <paramref name="wait"/> waits for every frame in flight first (the end of a run).</summary>
    void Collect(IFrameSink sink, bool wait);

    /// <summary>Per-pass timings of the last frame.</summary>
    IReadOnlyList<PassTiming> LastPassTimings { get; }

    /// <summary>Bytes copied from the GPU into host memory so far.</summary>
    long ReadbackBytes { get; }

    /// <summary>
    /// The colour counts of the newest completed frame for the status line ("colour out-1 0 out of gamut, 1234 over peak"),
    /// or null where the renderer does not count.
    /// </summary>
    string? ColourStatus => null;
}
