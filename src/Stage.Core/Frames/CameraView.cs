using Stage.Core.Configuration;
using Stage.Core.Space;

namespace Stage.Core.Frames;

/// <summary>One tracked camera's view for a frame: where the tracker says it is, its lens, and the operator's toggles.</summary>
/// <param name="Camera">The camera's configuration (sensor, overscan, inner resolution, entrance pupil).</param>
/// <param name="TrackedPose">The latched pose of the tracked point (the entrance-pupil offset is applied by the renderer).</param>
/// <param name="FocalLengthMm">The lens now.</param>
/// <param name="ChromaKey">Fill its inner frustum with the key colour.</param>
/// <param name="Markers">Draw tracking markers on the key fill.</param>
public readonly record struct CameraView(CameraConfig Camera, Pose TrackedPose, double FocalLengthMm, bool ChromaKey = false, bool Markers = false);
