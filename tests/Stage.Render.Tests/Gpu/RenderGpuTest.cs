using Stage.Core.Configuration;
using Stage.Tests.Shared;
using Stage.Vulkan;

namespace Stage.Render.Tests.Gpu;

/// <summary>
/// Runs a test body on a real device (lavapipe here) with the Khronos validation layer on; the test
/// fails on any validation warning or error, teardown included (the same rule as Stage.Vulkan's tests).
/// </summary>
internal static class RenderGpuTest
{
    public static void Run(Action<GpuDevice> body) => Run(body, synchronization: false);

    /// <summary>As <see cref="Run(Action{GpuDevice})"/>, with the layer's synchronization validation when <paramref name="synchronization"/>.</summary>
    public static void Run(Action<GpuDevice> body, bool synchronization)
    {
        var instance = GpuInstance.Create(new GpuInstanceOptions { ApplicationName = "Stage.Render.Tests", EnableValidation = true, SynchronizationValidation = synchronization });
        try
        {
            using var device = instance.CreateDevice();
            body(device);
        }
        finally
        {
            instance.Dispose();
        }
        var messages = instance.Validation!.Messages;
        Assert.True(messages.Count == 0, "validation messages:\n" + string.Join("\n", messages));
    }

    /// <summary>The stage with every output linear (its canvas holds light as a fraction of its peak, 1.0 = working 1.0).</summary>
    public static StageConfig LinearOutputs(StageConfig config) =>
        config with { Outputs = config.Outputs.Select(o => o with { Colour = new Stage.Core.Colour.OutputColour { Transfer = Stage.Core.Colour.Transfer.Linear } }).ToArray() };

    /// <summary>An 8-bit sRGB code value to linear light (IEC 61966-2-1): what the inner image's readback holds, decoded.</summary>
    public static float Linear(byte code)
    {
        float c = code / 255f;
        return c <= 0.04045f ? c / 12.92f : MathF.Pow((c + 0.055f) / 1.055f, 2.4f);
    }

    /// <summary>Pixel (<paramref name="x"/>, <paramref name="y"/>) of an 8-bit sRGB RGBA image, as linear RGB.</summary>
    public static System.Numerics.Vector3 Pixel(Stage.Core.Frames.CanvasPixels image, int x, int y)
    {
        int o = (y * image.Width + x) * 4;
        ReadOnlySpan<byte> p = image.Rgba.Span;
        return new System.Numerics.Vector3(Linear(p[o]), Linear(p[o + 1]), Linear(p[o + 2]));
    }

    /// <summary>
    /// The inner image (copied) of <paramref name="config"/>'s first camera at (0, 1, 0) looking along −Z (pan 0) with a
    /// 24 mm lens, rendered with <paramref name="options"/>; <paramref name="check"/> sees the renderer after the frame.
    /// </summary>
    public static Stage.Core.Frames.CanvasPixels RenderInner(StageConfig config, StageRendererOptions options, Stage.Render.Scene.RenderScene scene, Action<StageRenderer>? check = null)
    {
        CameraConfig camera = config.Cameras[0];
        var pose = Stage.Core.Space.Pose.FromPanTiltRoll(new System.Numerics.Vector3(0, 1, 0), new Stage.Core.Space.PanTiltRoll(0, 0, 0));
        Stage.Core.Frames.CanvasPixels inner = default;
        Run(device =>
        {
            using var renderer = new StageRenderer(device, config, options);
            renderer.Render([new Stage.Core.Frames.CameraView(camera, pose, 24)], scene);
            inner = renderer.ReadInner(camera.Id)!.Value;
            check?.Invoke(renderer);
            inner = inner with { Rgba = inner.Rgba.ToArray() };
        });
        return inner;
    }

    /// <summary>The tiny stage of stage-configs/test-rig.json.</summary>
    public static StageConfig TestRig() => Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "test-rig.json")).Config!;
}
