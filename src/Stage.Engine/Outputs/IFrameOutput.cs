using Stage.Engine.Timing;
using Stage.Core.Frames;

namespace Stage.Engine.Outputs;

/// <summary>
/// Where a frame's canvases go: discarded (headless), files, a preview, or windows on GPU display connectors.
/// Called on the engine thread. An output on the GPU (a window) is shown by the renderer itself and asks for no
/// pixels; an output that writes files asks for the frames it wants and gets their pixels a frame or more later.
/// </summary>
public interface IFrameOutput : IDisposable
{
    /// <summary>Short name for status lines ("headless", "files", "preview").</summary>
    string Name { get; }

    /// <summary>Once per frame, first: the output's own per-frame work (a window pumps its events and reads the keys).</summary>
    void BeginFrame(FrameTick tick);

    /// <summary>Once per frame, before it is rendered: true asks for this frame's pixels (read back from the GPU, which costs bandwidth: ask only for what is kept).</summary>
    bool WantsPixels(FrameTick tick);

    /// <summary>Takes the pixels of a frame it asked for, one or more frames after it was rendered. Must not keep the image buffers past the call.</summary>
    void Present(FrameTick tick, IReadOnlyList<CanvasPixels> canvases);

    /// <summary>
    /// Frames this output has failed to show so far (a window's surface lost, a swapchain out of date): the output
    /// rebuilds what failed itself; the frame loop counts a frame in which this grew as faulted.
    /// </summary>
    long FaultedFrames => 0;
}

/// <summary>Renders and discards: for benchmarks, and for runs where only the take log matters. Reads nothing back.</summary>
public sealed class HeadlessOutput : IFrameOutput
{
    /// <inheritdoc/>
    public string Name => "headless";

    /// <summary>Frames run.</summary>
    public long FrameCount { get; private set; }

    /// <inheritdoc/>
    public void BeginFrame(FrameTick tick) => FrameCount++;

    /// <inheritdoc/>
    public bool WantsPixels(FrameTick tick) => false;

    /// <inheritdoc/>
    public void Present(FrameTick tick, IReadOnlyList<CanvasPixels> canvases)
    {
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
