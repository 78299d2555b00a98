using Stage.Engine.Timing;
using Stage.Core.Frames;

namespace Stage.Engine.Outputs;

/// <summary>
/// Where a frame's canvases go: discarded (headless), files, a preview, or — in a later issue — a
/// window on a GPU display connector. Called once per frame on the engine thread, after rendering.
/// </summary>
public interface IFrameOutput : IDisposable
{
    /// <summary>Short name for status lines ("headless", "files", "preview").</summary>
    string Name { get; }

    /// <summary>Takes the frame's canvases. Must not keep the image buffers past the call.</summary>
    void Present(FrameTick tick, IReadOnlyList<CanvasPixels> canvases);
}

/// <summary>Renders and discards: for benchmarks, and for runs where only the take log matters.</summary>
public sealed class HeadlessOutput : IFrameOutput
{
    /// <inheritdoc/>
    public string Name => "headless";

    /// <summary>Frames presented.</summary>
    public long FrameCount { get; private set; }

    /// <inheritdoc/>
    public void Present(FrameTick tick, IReadOnlyList<CanvasPixels> canvases) => FrameCount++;

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
