using Microsoft.Extensions.Logging;
using Stage.Engine.Outputs;
using Stage.Render;
using Stage.Vulkan;

namespace Stage.Hosting.Rendering;

/// <summary>
/// Everything of a run that lives on one GPU device: the device, the output shown on it (windows; null for outputs
/// that take read-back pixels), the renderer and the engine's adapter over it. Built together and, when the device is
/// lost, torn down together and built again (<see cref="DeviceLossRecovery"/>).
/// </summary>
/// <param name="Device">The logical device.</param>
/// <param name="Output">The output on the device (windows), or null.</param>
/// <param name="Renderer">The renderer on the device.</param>
/// <param name="FrameRenderer">The engine's renderer over <paramref name="Renderer"/>.</param>
public sealed record GpuStack(GpuDevice Device, IFrameOutput? Output, StageRenderer Renderer, StageFrameRenderer FrameRenderer) : IDisposable
{
    /// <summary>Tears the stack down in reverse order of building; each part's failure is logged and the next part still goes.</summary>
    public void Dispose() => Dispose(null);

    /// <summary>As <see cref="Dispose()"/>, logging what failed to <paramref name="log"/> (a lost device may refuse a part).</summary>
    public void Dispose(ILogger? log)
    {
        Release(FrameRenderer, log);
        Release(Renderer, log);
        Release(Output, log);
        Release(Device, log);
    }

    private static void Release(IDisposable? part, ILogger? log)
    {
        try
        {
            part?.Dispose();
        }
        catch (Exception e) when (log is not null)
        {
            log.LogWarning("Releasing {Part} of a lost GPU failed: {Reason}", part!.GetType().Name, e.Message);
        }
    }
}
