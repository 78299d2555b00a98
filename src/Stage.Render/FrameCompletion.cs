namespace Stage.Render;

/// <summary>
/// A frame that has completed on the GPU, with its times (Stopwatch ticks).
/// </summary>
/// <param name="Tag">The number given to <see cref="StageRenderer.BeginFrame"/> (the frame).</param>
/// <param name="SubmitTicks">When the frame's single submission returned.</param>
/// <param name="GpuDoneTicks">When the GPU finished it: the submission watch's time, or when the renderer first saw it done.</param>
/// <param name="PresentedTicks">
/// When it was shown: a present wait's answer where a presenter has one, else the later of the present call's return and
/// <paramref name="GpuDoneTicks"/>; 0 when no presenter showed it.
/// </param>
/// <param name="GpuMs">GPU time from the frame's first to last timestamp, ms; NaN without timestamps.</param>
public readonly record struct FrameCompletion(long Tag, long SubmitTicks, long GpuDoneTicks, long PresentedTicks, double GpuMs);
