using Stage.Core.Frames;
using Stage.Engine;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Hosting.Rendering;
using Stage.Tracking;

namespace Stage.Cli;

/// <summary>
/// A run's window output across GPU rebuilds: the windows live on the device (their swapchains), so they are part of
/// each <see cref="GpuStack"/>; the engine keeps this one output, which forwards to the current stack's windows,
/// attaches each new set to the engine, and keeps counting the frames lost by windows that are gone.
/// </summary>
internal sealed class WindowSlot : IFrameOutput, IEngineAttachedOutput, IDisplayTiming
{
    private readonly DeviceLossRecovery _recovery;
    private readonly string _name;
    private FrameLoop? _engine;
    private TrackingSystem? _tracking;
    private IFrameOutput? _seen;
    private long _seenFaults;
    private long _faultsOfGoneWindows;

    public WindowSlot(DeviceLossRecovery recovery)
    {
        _recovery = recovery;
        _name = Current?.Name ?? "window";
        _recovery.Rebuilt += Attach;
    }

    private IFrameOutput? Current => _recovery.Current?.Output;

    public string Name => _name;

    public bool PacesFrames => true;

    public bool ReportsDisplayTimes => Current is IDisplayTiming { ReportsDisplayTimes: true };

    public long FaultedFrames
    {
        get
        {
            IFrameOutput? current = Current;
            if (!ReferenceEquals(current, _seen))
            {
                _faultsOfGoneWindows += _seenFaults;
                (_seen, _seenFaults) = (current, 0);
            }
            if (current is not null) _seenFaults = current.FaultedFrames;
            return _faultsOfGoneWindows + _seenFaults;
        }
    }

    /// <summary>The windows' counters, or what they wait for.</summary>
    public string StatusText() => Current is WindowRunOutput windows ? windows.StatusText() : "windows: waiting for the GPU to be rebuilt after a device loss";

    /// <summary>Per window output, the swapchain's format and colour space and why (none while the GPU is rebuilt).</summary>
    public IEnumerable<string> FormatLines() => Current is WindowRunOutput windows ? windows.FormatLines() : [];

    public void Attach(FrameLoop engine, TrackingSystem tracking)
    {
        (_engine, _tracking) = (engine, tracking);
        if (Current is IEngineAttachedOutput attached) attached.Attach(engine, tracking);
    }

    public void BeginFrame(FrameTick tick) => Current?.BeginFrame(tick);

    public bool WantsPixels(FrameTick tick) => Current?.WantsPixels(tick) ?? false;

    public void Present(FrameTick tick, IReadOnlyList<CanvasPixels> canvases) => Current?.Present(tick, canvases);

    /// <summary>The windows belong to their stack, which the recovery disposes.</summary>
    public void Dispose() => _recovery.Rebuilt -= Attach;

    private void Attach(GpuStack stack)
    {
        if (_engine is not null && _tracking is not null && stack.Output is IEngineAttachedOutput attached) attached.Attach(_engine, _tracking);
    }
}
