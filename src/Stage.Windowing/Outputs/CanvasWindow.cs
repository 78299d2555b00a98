using System.Diagnostics;
using Stage.Engine.Input;
using Stage.Windowing.Glfw;
using Stage.Render;
using Stage.Vulkan;
using Silk.NET.Vulkan;

namespace Stage.Windowing.Outputs;

/// <summary>
/// One output canvas on a window: its surface and swapchain, shown on the renderer's device inside the renderer's
/// own frame submission (<see cref="ICanvasPresenter"/>), so the canvas never leaves the GPU. The renderer composes
/// straight into the acquired image when sizes and formats allow; otherwise the canvas image is blitted in (nearest
/// at the same size, so every LED pixel is the canvas pixel; linear for a scaled rehearsal window). A resize or an
/// out-of-date swapchain is rebuilt in place; a lost surface gets a new surface (a new window when the old one is
/// gone); a close request from the window manager is ignored: each fault told once through <see cref="Fault"/>, the
/// frames lost counted; nothing here throws at the renderer.
/// </summary>
public sealed class CanvasWindow : ICanvasPresenter, IDisposable
{
    /// <summary>Acquire semaphores in turn: more than frames in flight (at most 3), so one is only reused once the frame that waited on it has completed.</summary>
    private const int AcquireSlots = 4;

    /// <summary>Presents whose times are remembered for <see cref="TryGetDisplayedTicks"/>.</summary>
    private const int PresentRecords = 8;

    private const int IntervalCapacity = 8192;

    private readonly GpuDevice _device;
    private readonly GpuSwapchainOptions _swapchainOptions;
    private readonly Func<GlfwWindow> _reopen;
    private readonly GpuSemaphore[] _acquired = new GpuSemaphore[AcquireSlots];
    private readonly double[] _intervalsMs = new double[IntervalCapacity];
    private readonly (ulong Submission, ulong PresentId, long DisplayedTicks)[] _presents = new (ulong, ulong, long)[PresentRecords];
    private readonly double _lateThresholdMs;
    private GpuSurface _surface;
    private GpuSemaphore[] _drawn = [];
    private long _frame;
    private int _acquiredSlot = -1;
    private int _imageIndex = -1;
    private long _lastPresentTicks;
    private long _intervalCount;
    private long _presentCount;
    private bool _recreate;
    private bool _rebuildSurface;
    // The window size the swapchain was last built for: the surface may report another extent, and
    // comparing against that would rebuild every frame.
    private (int Width, int Height) _builtFor;
    private SwapchainCopyPass? _copy;
    private readonly List<SwapchainCopyPass> _retiredCopies = [];
    private bool _disposed;

    /// <summary>
    /// Opens the window for output <paramref name="outputId"/> (canvas <paramref name="canvasIndex"/>) with its swapchain on
    /// <paramref name="device"/>; <paramref name="reopen"/> opens the window again should the window manager close it.
    /// </summary>
    public CanvasWindow(string outputId, int canvasIndex, GlfwWindow window, Func<GlfwWindow> reopen, GpuDevice device, GpuSwapchainOptions swapchainOptions, double framePeriodMs)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(device);
        OutputId = outputId;
        CanvasIndex = canvasIndex;
        Window = window;
        _reopen = reopen ?? throw new ArgumentNullException(nameof(reopen));
        _device = device;
        _swapchainOptions = swapchainOptions;
        // A frame is late when it reached the display more than half a period after it was due.
        _lateThresholdMs = framePeriodMs * 1.5;
        _surface = window.CreateSurface(device.Instance);
        try
        {
            Swapchain = new GpuSwapchain(device, _surface, swapchainOptions, (uint)Math.Max(0, window.FramebufferWidthPx), (uint)Math.Max(0, window.FramebufferHeightPx));
        }
        catch
        {
            _surface.Dispose();
            throw;
        }
        for (int i = 0; i < AcquireSlots; i++) _acquired[i] = new GpuSemaphore(device);
        _builtFor = (window.FramebufferWidthPx, window.FramebufferHeightPx);
        MakePresentSemaphores();
    }

    /// <summary>The output canvas shown.</summary>
    public string OutputId { get; }

    /// <inheritdoc/>
    public int CanvasIndex { get; }

    /// <summary>The window.</summary>
    public GlfwWindow Window { get; private set; }

    /// <summary>The swapchain (present mode, format, size, recreations).</summary>
    public GpuSwapchain Swapchain { get; private set; }

    /// <summary>Optional GPU pass drawn over the canvas in the swapchain image (the status overlay).</summary>
    public ISwapchainOverlay? Overlay { get; set; }

    /// <summary>What the overlay draws this frame (set by the output before the frame; null: no overlay this frame).</summary>
    public object? OverlayState { get; set; }

    /// <summary>Told once per fault of a kind (the output logs it): a lost surface, a closed window, a failed acquire or present.</summary>
    public Action<CanvasWindow, string, Exception?>? Fault { get; set; }

    /// <summary>Frames presented.</summary>
    public long Presented { get; private set; }

    /// <summary>Frames not shown: no image in time, the window minimised, the swapchain out of date twice, or a fault.</summary>
    public long Skipped { get; private set; }

    /// <summary>Frames lost to a fault (lost surface, closed window, a failed acquire or present); each rebuilt what failed.</summary>
    public long Faults { get; private set; }

    /// <summary>Acquires or presents that reported out of date or suboptimal (each followed by a recreation).</summary>
    public long OutOfDate { get; private set; }

    /// <summary>Presents whose interval since the previous one exceeded 1.5 frame periods.</summary>
    public long LateFrames { get; private set; }

    /// <summary>Waits for the previous present to be displayed that ran out of time (present wait only).</summary>
    public long PresentWaitTimeouts { get; private set; }

    /// <summary>The index of the swapchain image presented last (−1 before the first present).</summary>
    public int LastPresentedImage { get; private set; } = -1;

    /// <summary>Frames whose canvas was drawn into the swapchain image by the copy pass (a format the device cannot blit into).</summary>
    public long CopyPassFrames { get; private set; }

    /// <summary>Times the window itself was gone after a lost surface and was opened again.</summary>
    public long Reopened { get; private set; }

    /// <summary>Times the surface was lost and rebuilt (a new surface and swapchain).</summary>
    public long SurfacesRebuilt { get; private set; }

    /// <summary>Close requests from the window manager, ignored (a wall does not go dark for a click).</summary>
    public long CloseRequestsIgnored { get; private set; }

    /// <summary>True when presented times come from present wait (the display's own), false when from the present call's return.</summary>
    public bool ReportsDisplayTimes => Swapchain.UsesPresentWait;

    /// <inheritdoc/>
    public bool TryAcquire(out GpuImage? image)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        image = null;
        _imageIndex = -1;
        try
        {
            if (Window.CloseRequested) IgnoreCloseRequest();
            if (_rebuildSurface) RebuildSurfaceOrWindow();
            if (_recreate || (Window.FramebufferWidthPx, Window.FramebufferHeightPx) != _builtFor) Recreate();
            if (!Swapchain.IsUsable)
            {
                Skipped++;
                return false;
            }
            int slot = (int)(_frame++ % AcquireSlots);
            GpuAcquireResult acquired = Swapchain.Acquire(_acquired[slot], TimeSpan.FromSeconds(1), out int imageIndex);
            if (acquired == GpuAcquireResult.OutOfDate)
            {
                OutOfDate++;
                Recreate();
                if (!Swapchain.IsUsable) { Skipped++; return false; }
                acquired = Swapchain.Acquire(_acquired[slot], TimeSpan.FromSeconds(1), out imageIndex);
            }
            if (acquired is GpuAcquireResult.OutOfDate or GpuAcquireResult.Timeout)
            {
                Skipped++;
                _recreate = acquired == GpuAcquireResult.OutOfDate;
                return false;
            }
            if (acquired == GpuAcquireResult.Suboptimal) { OutOfDate++; _recreate = true; }
            _acquiredSlot = slot;
            _imageIndex = imageIndex;
            image = Swapchain.Images[imageIndex];
            return true;
        }
        catch (Exception e) when (e is VulkanException or GpuUnavailableException or GlfwException)
        {
            Lost(e);
            return false;
        }
    }

    /// <inheritdoc/>
    public void Record(GpuCommandBuffer commands, GpuImage canvas, bool composedInto)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(canvas);
        GpuImage target = Swapchain.Images[_imageIndex];
        if (!composedInto && !Swapchain.CanBlitInto)
        {
            // A format the device cannot blit into: the canvas is drawn in.
            if (_copy is null || _copy.Canvas != canvas || _copy.TargetFormat != target.Format)
            {
                // A pass a frame in flight may still use is kept until the window closes (this happens only when the surface changes format).
                if (_copy is not null) _retiredCopies.Add(_copy);
                _copy = new SwapchainCopyPass(_device, canvas, target.Format);
            }
            _copy.Record(commands, target);
            CopyPassFrames++;
        }
        else if (!composedInto)
        {
            commands.Barrier(target, ImageLayout.Undefined, ImageLayout.TransferDstOptimal,
                PipelineStageFlags2.AllCommandsBit, AccessFlags2.None,
                PipelineStageFlags2.BlitBit, AccessFlags2.TransferWriteBit);
            // Same size: nearest, so every LED pixel is the canvas pixel; scaled (a rehearsal window): linear.
            bool sameSize = canvas.Width == target.Width && canvas.Height == target.Height;
            commands.Blit(canvas, target, sameSize ? Filter.Nearest : Filter.Linear);
            commands.Barrier(target, ImageLayout.TransferDstOptimal, ImageLayout.ColorAttachmentOptimal,
                PipelineStageFlags2.BlitBit, AccessFlags2.TransferWriteBit,
                PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentReadBit | AccessFlags2.ColorAttachmentWriteBit);
        }
        if (Overlay is not null && OverlayState is not null) Overlay.Record(commands, target, _acquiredSlot, OverlayState);
        commands.Barrier(target, ImageLayout.ColorAttachmentOptimal, ImageLayout.PresentSrcKhr,
            PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit,
            PipelineStageFlags2.None, AccessFlags2.None);
    }

    /// <inheritdoc/>
    public void AddSemaphores(List<GpuSemaphoreSubmit> waits, List<GpuSemaphoreSubmit> signals)
    {
        ArgumentNullException.ThrowIfNull(waits);
        ArgumentNullException.ThrowIfNull(signals);
        waits.Add(GpuSemaphoreSubmit.Binary(_acquired[_acquiredSlot]));
        signals.Add(GpuSemaphoreSubmit.Binary(_drawn[_imageIndex]));
    }

    /// <inheritdoc/>
    public void Present(ulong submission)
    {
        int imageIndex = _imageIndex;
        _imageIndex = -1;
        if (imageIndex < 0) return;
        GpuPresentResult presented;
        try
        {
            presented = Swapchain.Present(imageIndex, _drawn[imageIndex]);
        }
        catch (Exception e) when (e is VulkanException or GpuUnavailableException)
        {
            Lost(e);
            return;
        }
        long now = Stopwatch.GetTimestamp();
        if (presented != GpuPresentResult.Presented) { OutOfDate++; _recreate = true; }
        if (presented == GpuPresentResult.OutOfDate)
        {
            Skipped++;
            return;
        }
        Presented++;
        _presents[_presentCount++ % PresentRecords] = (submission, Swapchain.LastPresentId, 0);
        LastPresentedImage = imageIndex;
        if (_lastPresentTicks != 0)
        {
            double intervalMs = (now - _lastPresentTicks) * 1000.0 / Stopwatch.Frequency;
            _intervalsMs[_intervalCount++ % IntervalCapacity] = intervalMs;
            if (intervalMs > _lateThresholdMs) LateFrames++;
        }
        _lastPresentTicks = now;
        // The pacing wait: the next frame starts only once the previous one is on the display, so at most one frame waits
        // in the queue; its return is when that frame was shown.
        if (Swapchain.UsesPresentWait && Swapchain.LastPresentId > 1)
        {
            ulong previous = Swapchain.LastPresentId - 1;
            if (Swapchain.WaitForPresent(previous, TimeSpan.FromMilliseconds(_lateThresholdMs * 2)))
            {
                long shown = Stopwatch.GetTimestamp();
                for (int i = 0; i < PresentRecords; i++)
                    if (_presents[i].PresentId == previous) _presents[i].DisplayedTicks = shown;
            }
            else PresentWaitTimeouts++;
        }
    }

    /// <inheritdoc/>
    public bool TryGetDisplayedTicks(ulong submission, out long displayedTicks)
    {
        for (int i = 0; i < PresentRecords; i++)
        {
            if (_presents[i].Submission != submission || _presents[i].DisplayedTicks == 0) continue;
            displayedTicks = _presents[i].DisplayedTicks;
            return true;
        }
        displayedTicks = 0;
        return false;
    }

    /// <summary>Present-to-present intervals kept (the newest 8192), milliseconds, oldest first.</summary>
    public double[] PresentIntervalsMs()
    {
        long count = Math.Min(_intervalCount, IntervalCapacity);
        var result = new double[count];
        for (long i = 0; i < count; i++) result[i] = _intervalsMs[(_intervalCount - count + i) % IntervalCapacity];
        return result;
    }

    /// <summary>Forgets the intervals and late frames measured so far (a bench's warm-up); the next present's interval still counts.</summary>
    public void ResetPacing()
    {
        _intervalCount = 0;
        LateFrames = 0;
    }

    /// <summary>Makes the swapchain again at the window's current size (also after a failure).</summary>
    public void Recreate()
    {
        _recreate = false;
        _builtFor = (Window.FramebufferWidthPx, Window.FramebufferHeightPx);
        Swapchain.Recreate((uint)Math.Max(0, Window.FramebufferWidthPx), (uint)Math.Max(0, Window.FramebufferHeightPx));
        MakePresentSemaphores();
    }

    /// <summary>A fault lost this frame: counted, told once, and what failed is rebuilt before the next frame.</summary>
    private void Lost(Exception e)
    {
        Faults++;
        Skipped++;
        _imageIndex = -1;
        bool surface = e is VulkanException { Result: Result.ErrorSurfaceLostKhr };
        if (surface) _rebuildSurface = true;
        else _recreate = true;
        Fault?.Invoke(this, surface ? "surface lost" : e is VulkanException v ? v.Call : e.GetType().Name, e);
    }

    /// <summary>
    /// The surface was lost (the X window destroyed under the output, a display server restart): a new surface and
    /// swapchain on the same window, or, when the window itself is gone, the window opened again.
    /// </summary>
    private void RebuildSurfaceOrWindow()
    {
        _rebuildSurface = false;
        _device.WaitIdle();
        Swapchain.Dispose();
        _surface.Dispose();
        try
        {
            _surface = Window.CreateSurface(_device.Instance);
        }
        catch (GlfwException)
        {
            IInputListener? input = Window.Input;
            Window.Dispose();
            Window = _reopen();
            Window.Input = input;
            _surface = Window.CreateSurface(_device.Instance);
            Reopened++;
        }
        Swapchain = new GpuSwapchain(_device, _surface, _swapchainOptions, (uint)Math.Max(0, Window.FramebufferWidthPx), (uint)Math.Max(0, Window.FramebufferHeightPx));
        _builtFor = (Window.FramebufferWidthPx, Window.FramebufferHeightPx);
        MakePresentSemaphores();
        SurfacesRebuilt++;
    }

    /// <summary>
    /// The window manager asked the window to close (its close button, a desktop shortcut): an LED wall must not go dark
    /// for a click, so the request is told once and ignored; Ctrl+C in the terminal ends the run.
    /// </summary>
    private void IgnoreCloseRequest()
    {
        Window.ClearCloseRequest();
        CloseRequestsIgnored++;
        Fault?.Invoke(this, "close requested by the window manager: ignored, the output stays up (Ctrl+C in the terminal ends the run)", null);
    }

    /// <summary>Acts as if the driver had reported <paramref name="result"/> (tests of the rebuild path).</summary>
    internal void InjectFault(Result result) => Lost(new VulkanException("vkQueuePresentKHR (injected)", result));

    private void MakePresentSemaphores()
    {
        // One per swapchain image: a present's wait on it has ended once that image is acquired again.
        foreach (GpuSemaphore semaphore in _drawn) semaphore.Dispose();
        _drawn = new GpuSemaphore[Swapchain.Images.Count];
        for (int i = 0; i < _drawn.Length; i++) _drawn[i] = new GpuSemaphore(_device);
    }

    /// <summary>Waits for the GPU, then releases the swapchain, surface and window.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _device.WaitIdle();
        foreach (GpuSemaphore semaphore in _drawn) semaphore.Dispose();
        foreach (GpuSemaphore semaphore in _acquired) semaphore?.Dispose();
        Swapchain.Dispose();
        _device.WaitIdle();
        _copy?.Dispose();
        foreach (SwapchainCopyPass copy in _retiredCopies) copy.Dispose();
        _surface.Dispose();
        Window.Dispose();
    }
}

/// <summary>A pass recorded into a swapchain image after the canvas (COLOR_ATTACHMENT_OPTIMAL on entry and exit).</summary>
public interface ISwapchainOverlay
{
    /// <summary>Records the pass into <paramref name="target"/>; <paramref name="slot"/> (0 … 3) names the buffer for this frame's text, reused only after that frame completed.</summary>
    void Record(GpuCommandBuffer commands, GpuImage target, int slot, object state);
}
