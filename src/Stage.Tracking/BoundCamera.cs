using Stage.Tracking.Buffers;

namespace Stage.Tracking;

/// <summary>A camera bound to a source: its pose buffer and the id the source's stream knows it by.</summary>
/// <param name="Buffer">The camera's pose buffer (its <see cref="PoseBuffer.CameraId"/> is the stage camera id).</param>
/// <param name="TrackedId">The camera's id inside the source's stream (<c>CameraConfig.TrackedId</c>).</param>
public sealed record BoundCamera(PoseBuffer Buffer, string TrackedId);
