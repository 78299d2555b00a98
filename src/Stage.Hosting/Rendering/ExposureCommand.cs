using System.Globalization;
using Stage.Core.Configuration;
using Stage.Engine.Control;
using Stage.Render.Scene;

namespace Stage.Hosting.Rendering;

/// <summary>
/// <c>/stage/camera/exposure ev:number</c>: the camera exposure of the scene pass, live (docs/renderer.md). Registered
/// in the engine's command registry beside the others; the change is made on the engine thread, between frames.
/// </summary>
public static class ExposureCommand
{
    /// <summary>The command's address.</summary>
    public const string Address = "/stage/camera/exposure";

    /// <summary>Adds the command to <paramref name="registry"/>, changing <paramref name="scene"/>'s exposure through <paramref name="queue"/>.</summary>
    public static void Register(CommandRegistry registry, EngineCommandQueue queue, RenderScene scene, TimeSpan timeout, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        Register(registry, queue, ev => scene.ExposureEv = ev, timeout, log);
    }

    /// <summary>Adds the command to <paramref name="registry"/>, handing each new exposure (EV) to <paramref name="setExposureEv"/> on the engine thread.</summary>
    public static void Register(CommandRegistry registry, EngineCommandQueue queue, Action<float> setExposureEv, TimeSpan timeout, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(setExposureEv);
        registry.Register(new ControlCommand
        {
            Address = Address,
            Description = $"Set the camera exposure in EV ({RenderLimits.MinExposureEv} … {RenderLimits.MaxExposureEv}): scene luminance L renders as L·2^-EV.",
            Parameters = [new ControlParameter("ev", ControlParameterKind.Number)],
            Handler = call =>
            {
                double ev = call.Number("ev");
                if (!double.IsFinite(ev) || ev < RenderLimits.MinExposureEv || ev > RenderLimits.MaxExposureEv)
                    return ControlReply.Failure(string.Create(CultureInfo.InvariantCulture, $"exposure {ev} EV is outside {RenderLimits.MinExposureEv} … {RenderLimits.MaxExposureEv}"));
                return queue.Invoke(() =>
                {
                    setExposureEv((float)ev);
                    string message = string.Create(CultureInfo.InvariantCulture, $"exposure {ev:0.###} EV");
                    log?.Invoke(message);
                    return ControlReply.Success(message);
                }, timeout);
            },
        });
    }
}
