using Stage.Vulkan;

namespace Stage.Render;

/// <summary>
/// Where an output canvas is shown on the GPU (a window's swapchain): it takes part in the frame's own
/// submission, so the canvas never leaves the GPU. Per frame, on the render thread: <see cref="TryAcquire"/>
/// before the compose pass is recorded; <see cref="Record"/> after it (the canvas into the image, the overlay,
/// the transition for presentation); the submission waits on and signals its semaphores
/// (<see cref="AddSemaphores"/>); <see cref="Present"/> after the submission.
/// </summary>
public interface ICanvasPresenter
{
    /// <summary>The output canvas it shows (the index in the configuration's outputs).</summary>
    int CanvasIndex { get; }

    /// <summary>
    /// Acquires the image this frame is shown in (<paramref name="image"/>, any layout). False: nothing is shown this
    /// frame (no image in time, the window minimised, a fault; counted by the presenter). The renderer composes straight
    /// into the image where its size and format allow (the canvas's size, an 8-bit sRGB canvas into an 8-bit sRGB image).
    /// </summary>
    bool TryAcquire(out GpuImage? image);

    /// <summary>
    /// Records everything after the compose pass into the frame's command buffer: when <paramref name="composedInto"/>
    /// the acquired image holds the picture (COLOR_ATTACHMENT_OPTIMAL), otherwise <paramref name="canvas"/> (TRANSFER_SRC_OPTIMAL)
    /// is copied or blitted into it; then any overlay, and the transition to PRESENT_SRC.
    /// </summary>
    void Record(GpuCommandBuffer commands, GpuImage canvas, bool composedInto);

    /// <summary>Adds the semaphores the frame's submission waits on (the acquire) and signals (drawn, for the present).</summary>
    void AddSemaphores(List<GpuSemaphoreSubmit> waits, List<GpuSemaphoreSubmit> signals);

    /// <summary>Presents the acquired image once the frame is submitted; <paramref name="submission"/> is its number on the device timeline.</summary>
    void Present(ulong submission);

    /// <summary>
    /// When the image of <paramref name="submission"/> was shown on the display, where the presenter knows it
    /// (a present wait returned for it: Stopwatch ticks); false otherwise.
    /// </summary>
    bool TryGetDisplayedTicks(ulong submission, out long displayedTicks);
}
