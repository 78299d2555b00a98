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

    /// <summary>The tiny stage of stage-configs/test-rig.json.</summary>
    public static StageConfig TestRig() => Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "test-rig.json")).Config!;
}
