namespace Stage.Engine.Timing;

/// <summary>
/// Decides when each frame starts: the software <see cref="FrameClock"/> for headless runs, the
/// <see cref="DisplayPacer"/> when a display shows the frames.
/// </summary>
public interface IFramePacer
{
    /// <summary>The next frame <see cref="WaitForNextFrame"/> will return.</summary>
    long NextFrame { get; }

    /// <summary>Frames skipped because their time had passed before they could start.</summary>
    long DroppedFrames { get; }

    /// <summary>Waits until the next frame should start and returns it (frames whose time passed are dropped).</summary>
    FrameTick WaitForNextFrame(CancellationToken cancellation);

    /// <summary>Learns from a frame that completed: <paramref name="startToGpuDoneMs"/> from its start to the GPU finishing it, and when it was shown.</summary>
    void Observe(double startToGpuDoneMs, FrameTick tick, long presentedTicks);
}

/// <summary>
/// What a display output tells the pacer: its refresh period and whether it reports when images really reach the
/// display (<c>VK_KHR_present_wait</c>) or only when the present call returned.
/// </summary>
public interface IDisplayTiming
{
    /// <summary>True when a display shows the frames (the frame loop then paces by it); false for a wrapper around an output without one.</summary>
    bool PacesFrames { get; }

    /// <summary>True when presented times are the display's own (a present wait returned), false when they are the present call's return.</summary>
    bool ReportsDisplayTimes { get; }
}
