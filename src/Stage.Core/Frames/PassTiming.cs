namespace Stage.Core.Frames;

/// <summary>Time one part of a frame took.</summary>
/// <param name="Pass">"slot wait", "record", "present", "gpu", "readback" (wall time of the frame's parts) and, where the GPU writes timestamps,
/// "gpu shadow", "gpu inner A", "gpu outer", "gpu compose", "gpu copy"; with each pass timed, "shadow", "inner A" ….</param>
/// <param name="Milliseconds">Wall time of that part (GPU time between timestamps for the "gpu …" parts).</param>
public readonly record struct PassTiming(string Pass, double Milliseconds);
