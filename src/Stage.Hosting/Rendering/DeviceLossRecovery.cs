using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Silk.NET.Vulkan;
using Stage.Core.Frames;
using Stage.Engine;
using Stage.Vulkan;

namespace Stage.Hosting.Rendering;

/// <summary>
/// The engine's renderer, kept alive through a lost GPU device. Frames render through the current
/// <see cref="GpuStack"/>; when the device reports <c>VK_ERROR_DEVICE_LOST</c> the loss is logged once, the stack (device,
/// renderer, windows) is torn down and built again from the same instance before the next frame — retried once a second
/// while that fails — and the frames in between are counted as faulted by the frame loop. The world, tracking and the
/// take never stop for it.
/// </summary>
public sealed class DeviceLossRecovery : IFrameRenderer
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);
    private static readonly PassTiming[] NoTimings = [];

    private readonly Func<GpuStack> _build;
    private readonly ILogger _log;
    private GpuStack? _stack;
    private long _retryAtTicks;
    private long _readbackBytesOfLostStacks;
    private bool _lossInjected;

    /// <summary>Builds the first stack with <paramref name="build"/> (its failure is the caller's: the run cannot start).</summary>
    public DeviceLossRecovery(Func<GpuStack> build, ILogger log)
    {
        _build = build ?? throw new ArgumentNullException(nameof(build));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _stack = build();
    }

    /// <summary>The stack frames render through now; null while the device is being rebuilt.</summary>
    public GpuStack? Current => _stack;

    /// <summary>Devices lost so far.</summary>
    public long DevicesLost { get; private set; }

    /// <summary>Stacks built again after a loss.</summary>
    public long Rebuilds { get; private set; }

    /// <summary>The live grades, handed to every stack's renderer (a rebuilt one copies them into its compose pass at once).</summary>
    public Stage.Core.Colour.GradeBoard? Grades
    {
        get;
        set
        {
            field = value;
            if (_stack is not null) _stack.FrameRenderer.Grades = value;
        }
    }

    /// <summary>Raised on the engine thread when a new stack has been built (a window output re-attaches to it).</summary>
    public event Action<GpuStack>? Rebuilt;

    /// <inheritdoc/>
    public IReadOnlyList<PassTiming> LastPassTimings => _stack?.FrameRenderer.LastPassTimings ?? NoTimings;

    /// <inheritdoc/>
    public long ReadbackBytes => _readbackBytesOfLostStacks + (_stack?.Renderer.ReadbackBytes ?? 0);

    /// <summary>
    /// Makes the next frame fail as a lost device does (the loss is handled exactly as a real one): a real
    /// <c>VK_ERROR_DEVICE_LOST</c> cannot be produced on demand, so tests and rehearsals use this.
    /// </summary>
    public void InjectDeviceLoss() => _lossInjected = true;

    /// <inheritdoc/>
    public void Render(in FrameRequest request, ICameraLatch latch, IFrameSink sink)
    {
        GpuStack stack = _stack ?? TryRebuild()
            ?? throw new RendererUnavailableException($"frame {request.Tick.Frame}: the GPU is being rebuilt after a device loss");
        try
        {
            if (_lossInjected)
            {
                _lossInjected = false;
                throw new VulkanException("vkQueueSubmit2 (injected)", Result.ErrorDeviceLost);
            }
            stack.FrameRenderer.Render(request, latch, sink);
        }
        catch (VulkanException e) when (e.Result == Result.ErrorDeviceLost)
        {
            Lose(e, request.Tick.Frame);
            throw new RendererUnavailableException($"frame {request.Tick.Frame}: the GPU device was lost");
        }
    }

    /// <inheritdoc/>
    public void Collect(IFrameSink sink, bool wait)
    {
        if (_stack is not { } stack) return;
        try
        {
            stack.FrameRenderer.Collect(sink, wait);
        }
        catch (VulkanException e) when (e.Result == Result.ErrorDeviceLost)
        {
            // The frames in flight are gone with the device; the next frame builds a new one.
            Lose(e, -1);
        }
    }

    /// <summary>Tears the current stack down.</summary>
    public void Dispose()
    {
        _stack?.Dispose();
        _stack = null;
    }

    private void Lose(VulkanException e, long frame)
    {
        DevicesLost++;
        GpuStack lost = _stack!;
        _stack = null;
        _readbackBytesOfLostStacks += lost.Renderer.ReadbackBytes;
        _log.LogError("GPU device lost ({Call}{AtFrame}): rebuilding the device, the renderer and the windows; the world, tracking and the take go on",
            e.Call, frame >= 0 ? $", frame {frame}" : "");
        lost.Dispose(_log);
        _retryAtTicks = Stopwatch.GetTimestamp();
    }

    private GpuStack? TryRebuild()
    {
        long now = Stopwatch.GetTimestamp();
        if (now < _retryAtTicks) return null;
        try
        {
            _stack = _build();
        }
        catch (Exception e)
        {
            _retryAtTicks = now + (long)(RetryInterval.TotalSeconds * Stopwatch.Frequency);
            _log.LogError("Rebuilding the GPU after a device loss failed: {Reason}; trying again in {Seconds} s", e.Message, RetryInterval.TotalSeconds);
            return null;
        }
        Rebuilds++;
        _stack.FrameRenderer.Grades = Grades;
        _log.LogWarning("GPU rebuilt on {Device} after a device loss; frames go to the outputs again", _stack.Device.Info.Name);
        Rebuilt?.Invoke(_stack);
        return _stack;
    }
}
