using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;

namespace Stage.Engine;

/// <summary>One tracked camera's view for a frame: where the tracker says it is, its lens, and the operator's toggles.</summary>
/// <param name="Camera">The camera's configuration.</param>
/// <param name="TrackedPose">The latched pose (tracked point, before the entrance-pupil offset).</param>
/// <param name="FocalLengthMm">The lens now.</param>
/// <param name="ChromaKey">Fill its inner frustum with the key colour.</param>
/// <param name="Markers">Draw tracking markers on the key fill.</param>
public readonly record struct CameraView(CameraConfig Camera, Pose TrackedPose, double FocalLengthMm, bool ChromaKey, bool Markers = false);

/// <summary>What a frame is rendered from.</summary>
/// <param name="Tick">The frame.</param>
/// <param name="Cameras">Every camera's view, in priority order.</param>
public readonly record struct FrameInputs(FrameTick Tick, IReadOnlyList<CameraView> Cameras);

/// <summary>Time one render pass took.</summary>
/// <param name="Pass">"record", "gpu", "readback" (wall time of the frame's parts) and, where the GPU writes timestamps, "gpu shadow", "gpu inner A", "gpu outer", "gpu compose", "gpu copy".</param>
/// <param name="Milliseconds">Wall time of the pass.</param>
public readonly record struct PassTiming(string Pass, double Milliseconds);

/// <summary>
/// Renders a frame's output canvases (the world seen through each camera's inner frustum, the outer
/// view, composed onto every wall region). The composition root adapts Stage.Render to this; the
/// renderer reads the world's interpolated transforms itself.
/// </summary>
public interface IFrameRenderer : IDisposable
{
    /// <summary>Renders every canvas. The images are valid until the next call.</summary>
    IReadOnlyList<CanvasImage> Render(in FrameInputs inputs);

    /// <summary>Per-pass timings of the last frame.</summary>
    IReadOnlyList<PassTiming> LastPassTimings { get; }
}
