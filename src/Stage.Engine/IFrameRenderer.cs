using Stage.Core.Frames;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;

namespace Stage.Engine;

/// <summary>What a frame is rendered from.</summary>
/// <param name="Tick">The frame.</param>
/// <param name="Cameras">Every camera's view, in priority order.</param>
public readonly record struct FrameInputs(FrameTick Tick, IReadOnlyList<CameraView> Cameras);

/// <summary>
/// Renders a frame's output canvases (the world seen through each camera's inner frustum, the outer
/// view, composed onto every wall region). The composition root adapts Stage.Render to this; the
/// renderer reads the world's interpolated transforms itself.
/// </summary>
public interface IFrameRenderer : IDisposable
{
    /// <summary>Renders every canvas. The images are valid until the next call.</summary>
    IReadOnlyList<CanvasPixels> Render(in FrameInputs inputs);

    /// <summary>Per-pass timings of the last frame.</summary>
    IReadOnlyList<PassTiming> LastPassTimings { get; }
}
