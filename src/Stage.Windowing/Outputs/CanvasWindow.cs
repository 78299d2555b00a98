using System.Diagnostics;
using Stage.Core.Configuration;
using Stage.Engine.Outputs;
using Stage.Vulkan;
using Silk.NET.Vulkan;
using Stage.Core.Frames;

namespace Stage.Windowing.Outputs;

/// <summary>
/// One output canvas on a window: its surface and swapchain, and per frame the canvas copied into the
/// acquired swapchain image (one buffer-to-image copy when sizes match, the stage case; through a GPU
/// image and a scaling blit when the window's size differs or the canvas is 16-bit), then presented. Two frame slots (command buffer, acquire semaphore, staging buffer) let the CPU fill one
/// while the GPU copies the other. A resize or an out-of-date swapchain is recreated in place; nothing
/// here throws past <see cref="Present"/>'s caller for those.
/// </summary>
public sealed class CanvasWindow : IDisposable
{
    private const int Slots = 2;
    private const int IntervalCapacity = 8192;

    private readonly GpuDevice _device;
    private readonly GpuSurface _surface;
    private readonly GpuCommandPool _pool;
    private readonly GpuCommandBuffer[] _commands = new GpuCommandBuffer[Slots];
    private readonly GpuSemaphore[] _acquired = new GpuSemaphore[Slots];
    private readonly GpuBuffer?[] _staging = new GpuBuffer?[Slots];
    private readonly double[] _intervalsMs = new double[IntervalCapacity];
    private readonly double _lateThresholdMs;
    private GpuSemaphore[] _drawn = [];
    private GpuImage? _canvasImage;
    private long _slot;
    private long _lastPresentTicks;
    private long _intervalCount;
    private bool _recreate;
    // The window size the swapchain was last built for: the surface may report another extent, and
    // comparing against that would rebuild every frame.
    private (int Width, int Height) _builtFor;
    private bool _disposed;

    /// <summary>Opens the window for <paramref name="outputId"/> with its swapchain.</summary>
    public CanvasWindow(string outputId, GlfwWindow window, GpuDevice device, GpuSwapchainOptions swapchainOptions, double framePeriodMs)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(device);
        OutputId = outputId;
        Window = window;
        _device = device;
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
        _pool = new GpuCommandPool(device);
        for (int i = 0; i < Slots; i++)
        {
            _commands[i] = _pool.Allocate();
            _acquired[i] = new GpuSemaphore(device);
        }
        _builtFor = (window.FramebufferWidthPx, window.FramebufferHeightPx);
        MakePresentSemaphores();
    }

    /// <summary>The output canvas shown.</summary>
    public string OutputId { get; }

    /// <summary>The window.</summary>
    public GlfwWindow Window { get; }

    /// <summary>The swapchain (present mode, format, size, recreations).</summary>
    public GpuSwapchain Swapchain { get; }

    /// <summary>Optional GPU pass drawn over the canvas in the swapchain image (the status overlay).</summary>
    public ISwapchainOverlay? Overlay { get; set; }

    /// <summary>Frames presented.</summary>
    public long Presented { get; private set; }

    /// <summary>Frames not shown: no image in time, the window minimised, or the swapchain out of date twice.</summary>
    public long Skipped { get; private set; }

    /// <summary>Acquires or presents that reported out of date or suboptimal (each followed by a recreation).</summary>
    public long OutOfDate { get; private set; }

    /// <summary>Presents whose interval since the previous one exceeded 1.5 frame periods.</summary>
    public long LateFrames { get; private set; }

    /// <summary>Waits for the previous present to be displayed that ran out of time (present wait only).</summary>
    public long PresentWaitTimeouts { get; private set; }

    /// <summary>Shows <paramref name="canvas"/>: upload, blit into the next swapchain image, present.</summary>
    public void Present(in CanvasPixels canvas, object? overlayState)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_recreate || (Window.FramebufferWidthPx, Window.FramebufferHeightPx) != _builtFor) Recreate();
        if (!Swapchain.IsUsable)
        {
            Skipped++;
            return;
        }
        int slot = (int)(_slot++ % Slots);
        GpuCommandBuffer commands = _commands[slot];
        // The slot's previous submission must be done before its staging buffer and semaphore are reused.
        if (commands.LastSubmission != 0) _device.Wait(commands.LastSubmission);
        GpuBuffer staging = Staging(slot, canvas);
        // An 8-bit canvas the size of the swapchain goes straight in with one buffer copy (its bytes are already
        // sRGB-encoded, which is what an _SRGB image stores); otherwise through a canvas image and a scaling blit.
        Format format = Swapchain.Format;
        bool direct = canvas.BitDepth == 8 && canvas.Width == Swapchain.Width && canvas.Height == Swapchain.Height &&
            format is Format.B8G8R8A8Srgb or Format.R8G8B8A8Srgb;
        if (direct && format == Format.B8G8R8A8Srgb) staging.WriteSwappingRedBlue(canvas.Rgba.Span);
        else staging.Write(canvas.Rgba.Span);
        GpuImage? source = direct ? null : CanvasImageFor(canvas);

        GpuAcquireResult acquired = Swapchain.Acquire(_acquired[slot], TimeSpan.FromSeconds(1), out int imageIndex);
        if (acquired == GpuAcquireResult.OutOfDate)
        {
            OutOfDate++;
            Recreate();
            if (!Swapchain.IsUsable) { Skipped++; return; }
            acquired = Swapchain.Acquire(_acquired[slot], TimeSpan.FromSeconds(1), out imageIndex);
        }
        if (acquired is GpuAcquireResult.OutOfDate or GpuAcquireResult.Timeout)
        {
            Skipped++;
            _recreate = acquired == GpuAcquireResult.OutOfDate;
            return;
        }
        if (acquired == GpuAcquireResult.Suboptimal) { OutOfDate++; _recreate = true; }

        GpuImage target = Swapchain.Images[imageIndex];
        commands.Begin();
        commands.Barrier(target, ImageLayout.Undefined, ImageLayout.TransferDstOptimal,
            PipelineStageFlags2.AllCommandsBit, AccessFlags2.None,
            PipelineStageFlags2.TransferBit, AccessFlags2.TransferWriteBit);
        if (source is null)
        {
            commands.CopyBufferToImage(staging, target);
        }
        else
        {
            commands.Barrier(source, ImageLayout.Undefined, ImageLayout.TransferDstOptimal,
                PipelineStageFlags2.BlitBit, AccessFlags2.None,
                PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit);
            commands.CopyBufferToImage(staging, source);
            commands.Barrier(source, ImageLayout.TransferDstOptimal, ImageLayout.TransferSrcOptimal,
                PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit,
                PipelineStageFlags2.BlitBit, AccessFlags2.TransferReadBit);
            // Same size: nearest, so every LED pixel is the canvas pixel; scaled (a rehearsal window): linear.
            bool sameSize = source.Width == target.Width && source.Height == target.Height;
            commands.Blit(source, target, sameSize ? Filter.Nearest : Filter.Linear);
        }
        if (Overlay is not null && overlayState is not null)
        {
            commands.Barrier(target, ImageLayout.TransferDstOptimal, ImageLayout.ColorAttachmentOptimal,
                PipelineStageFlags2.TransferBit, AccessFlags2.TransferWriteBit,
                PipelineStageFlags2.ColorAttachmentOutputBit,
                AccessFlags2.ColorAttachmentReadBit | AccessFlags2.ColorAttachmentWriteBit);
            Overlay.Record(commands, target, slot, overlayState);
            commands.Barrier(target, ImageLayout.ColorAttachmentOptimal, ImageLayout.PresentSrcKhr,
                PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit,
                PipelineStageFlags2.None, AccessFlags2.None);
        }
        else
        {
            commands.Barrier(target, ImageLayout.TransferDstOptimal, ImageLayout.PresentSrcKhr,
                PipelineStageFlags2.TransferBit, AccessFlags2.TransferWriteBit,
                PipelineStageFlags2.None, AccessFlags2.None);
        }
        commands.End();
        _device.Submit([commands], [GpuSemaphoreSubmit.Binary(_acquired[slot])], [GpuSemaphoreSubmit.Binary(_drawn[imageIndex])]);

        GpuPresentResult presented = Swapchain.Present(imageIndex, _drawn[imageIndex]);
        long now = Stopwatch.GetTimestamp();
        if (presented != GpuPresentResult.Presented) { OutOfDate++; _recreate = true; }
        if (presented == GpuPresentResult.OutOfDate)
        {
            Skipped++;
            return;
        }
        Presented++;
        if (_lastPresentTicks != 0)
        {
            double intervalMs = (now - _lastPresentTicks) * 1000.0 / Stopwatch.Frequency;
            _intervalsMs[_intervalCount++ % IntervalCapacity] = intervalMs;
            if (intervalMs > _lateThresholdMs) LateFrames++;
        }
        _lastPresentTicks = now;
        // Lowest tracking-to-photon latency: the next pose is latched only once the previous frame is on the
        // display, so at most one frame waits in the queue.
        if (Swapchain.UsesPresentWait && Swapchain.LastPresentId > 1 &&
            !Swapchain.WaitForPresent(Swapchain.LastPresentId - 1, TimeSpan.FromMilliseconds(_lateThresholdMs * 2)))
            PresentWaitTimeouts++;
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

    private void MakePresentSemaphores()
    {
        // One per swapchain image: a present's wait on it has ended once that image is acquired again.
        foreach (GpuSemaphore semaphore in _drawn) semaphore.Dispose();
        _drawn = new GpuSemaphore[Swapchain.Images.Count];
        for (int i = 0; i < _drawn.Length; i++) _drawn[i] = new GpuSemaphore(_device);
    }

    private GpuBuffer Staging(int slot, in CanvasPixels canvas)
    {
        ulong bytes = (ulong)canvas.Rgba.Length;
        GpuBuffer? buffer = _staging[slot];
        if (buffer is null || buffer.SizeBytes != bytes)
        {
            buffer?.Dispose();
            buffer = new GpuBuffer(_device, bytes, BufferUsageFlags.TransferSrcBit, GpuMemoryUse.Upload);
            _staging[slot] = buffer;
        }
        return buffer;
    }

    private GpuImage CanvasImageFor(in CanvasPixels canvas)
    {
        // 8-bit canvases hold sRGB-encoded values, 16-bit ones linear light: the blit decodes/encodes accordingly.
        Format format = canvas.BitDepth == 8 ? Format.R8G8B8A8Srgb : Format.R16G16B16A16Unorm;
        if (_canvasImage is null || _canvasImage.Width != canvas.Width || _canvasImage.Height != canvas.Height || _canvasImage.Format != format)
        {
            _canvasImage?.Dispose();
            _canvasImage = new GpuImage(_device, (uint)canvas.Width, (uint)canvas.Height, format,
                ImageUsageFlags.TransferDstBit | ImageUsageFlags.TransferSrcBit);
        }
        return _canvasImage;
    }

    /// <summary>Waits for the GPU, then releases the swapchain, surface and window.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _device.WaitIdle();
        foreach (GpuSemaphore semaphore in _drawn) semaphore.Dispose();
        foreach (GpuSemaphore semaphore in _acquired) semaphore?.Dispose();
        foreach (GpuBuffer? buffer in _staging) buffer?.Dispose();
        _canvasImage?.Dispose();
        _pool.Dispose();
        Swapchain.Dispose();
        _device.WaitIdle();
        _surface.Dispose();
        Window.Dispose();
    }
}

/// <summary>A pass recorded into a swapchain image after the canvas (COLOR_ATTACHMENT_OPTIMAL on entry and exit).</summary>
public interface ISwapchainOverlay
{
    /// <summary>Records the pass into <paramref name="target"/>; <paramref name="slot"/> names the frame slot (0 or 1) for per-frame buffers.</summary>
    void Record(GpuCommandBuffer commands, GpuImage target, int slot, object state);
}
