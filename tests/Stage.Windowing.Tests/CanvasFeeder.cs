using Silk.NET.Vulkan;
using Stage.Core.Frames;
using Stage.Engine.Timing;
using Stage.Vulkan;
using Stage.Windowing.Outputs;

namespace Stage.Windowing.Tests;

/// <summary>
/// Stands in for the renderer in window tests that show exact test patterns: uploads a canvas's pixels into a GPU
/// canvas image and drives each window as the renderer does (acquire, record the copy, one submission waiting on the
/// acquire and signalling the present, present). Buffers per frame in turn; nothing allocated per frame.
/// </summary>
internal sealed class CanvasFeeder : IDisposable
{
    private const int Slots = 3;

    private readonly GpuDevice _device;
    private readonly GpuCommandPool _pool;
    private readonly GpuCommandBuffer[] _commands = new GpuCommandBuffer[Slots];
    private readonly Dictionary<string, GpuImage> _canvases = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, int), GpuBuffer> _staging = [];
    private readonly List<GpuSemaphoreSubmit> _waits = [];
    private readonly List<GpuSemaphoreSubmit> _signals = [];
    private readonly List<CanvasWindow> _shown = [];
    private long _frame;

    public CanvasFeeder(GpuDevice device)
    {
        _device = device;
        _pool = new GpuCommandPool(device);
        for (int i = 0; i < Slots; i++) _commands[i] = _pool.Allocate();
    }

    /// <summary>The output's frame work (<see cref="WindowOutput.BeginFrame"/>), then every canvas onto its window.</summary>
    public void Show(WindowOutput output, FrameTick tick, IReadOnlyList<CanvasPixels> canvases)
    {
        output.BeginFrame(tick);
        int slot = (int)(_frame++ % Slots);
        GpuCommandBuffer commands = _commands[slot];
        if (commands.LastSubmission != 0) _device.Wait(commands.LastSubmission);
        _waits.Clear();
        _signals.Clear();
        _shown.Clear();
        commands.Begin();
        for (int i = 0; i < canvases.Count; i++)
        {
            for (int w = 0; w < output.Windows.Count; w++)
            {
                CanvasWindow window = output.Windows[w];
                if (window.OutputId != canvases[i].OutputId) continue;
                if (!window.TryAcquire(out _)) continue;
                GpuImage image = Upload(commands, canvases[i], slot);
                window.Record(commands, image, composedInto: false);
                window.AddSemaphores(_waits, _signals);
                _shown.Add(window);
            }
        }
        commands.End();
        ulong submission = _device.Submit([commands], System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_waits), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_signals));
        foreach (CanvasWindow window in _shown) window.Present(submission);
    }

    /// <summary>One window only, without the output's frame work (a window driven behind the output's back).</summary>
    public void ShowOn(CanvasWindow window, in CanvasPixels canvas)
    {
        int slot = (int)(_frame++ % Slots);
        GpuCommandBuffer commands = _commands[slot];
        if (commands.LastSubmission != 0) _device.Wait(commands.LastSubmission);
        _waits.Clear();
        _signals.Clear();
        commands.Begin();
        bool acquired = window.TryAcquire(out _);
        if (acquired)
        {
            GpuImage image = Upload(commands, canvas, slot);
            window.Record(commands, image, composedInto: false);
            window.AddSemaphores(_waits, _signals);
        }
        commands.End();
        ulong submission = _device.Submit([commands], System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_waits), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_signals));
        if (acquired) window.Present(submission);
    }

    private GpuImage Upload(GpuCommandBuffer commands, in CanvasPixels canvas, int slot)
    {
        if (!_canvases.TryGetValue(canvas.OutputId, out GpuImage? image))
        {
            image = new GpuImage(_device, (uint)canvas.Width, (uint)canvas.Height, Format.R8G8B8A8Srgb, ImageUsageFlags.TransferDstBit | ImageUsageFlags.TransferSrcBit);
            _canvases[canvas.OutputId] = image;
        }
        if (!_staging.TryGetValue((canvas.OutputId, slot), out GpuBuffer? staging))
        {
            staging = new GpuBuffer(_device, (ulong)canvas.Rgba.Length, BufferUsageFlags.TransferSrcBit, GpuMemoryUse.Upload);
            _staging[(canvas.OutputId, slot)] = staging;
        }
        staging.Write(canvas.Rgba.Span);
        commands.Barrier(image, ImageLayout.Undefined, ImageLayout.TransferDstOptimal,
            PipelineStageFlags2.AllCommandsBit, AccessFlags2.TransferReadBit,
            PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit);
        commands.CopyBufferToImage(staging, image);
        commands.Barrier(image, ImageLayout.TransferDstOptimal, ImageLayout.TransferSrcOptimal,
            PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit,
            PipelineStageFlags2.BlitBit, AccessFlags2.TransferReadBit);
        return image;
    }

    public void Dispose()
    {
        _device.WaitIdle();
        foreach (GpuImage image in _canvases.Values) image.Dispose();
        foreach (GpuBuffer buffer in _staging.Values) buffer.Dispose();
        _pool.Dispose();
    }
}
