using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Space;
using Stage.Render.Scene;
using Stage.Render.Sky;
using Stage.Render.Tests.Gpu;

namespace Stage.Render.Tests;

/// <summary>
/// A live run warms the renderer up before its first frame (docs/renderer.md, "Warm-up"): the scene pipelines compiled,
/// one unseen frame drawn so the driver compiles its shader variants, meshes upload and the environment bakes. Checked
/// here by what the first live frame still has to create: nothing. On lavapipe, validation on.
/// </summary>
public sealed class WarmUpTests
{
    private static readonly StageRendererOptions Options = new()
    {
        OuterFaceSizePx = 32,
        Scene = new SceneRendererOptions { ShadowMapSize = 256 },
    };

    private static RenderScene Scene()
    {
        var scene = new RenderScene { Environment = new SceneEnvironment { Turbidity = 3 } };
        scene.Add(new DrawItem(DrawKind.Plane, Matrix4x4.CreateScale(6, 1, 6), new Vector3(0.5f)));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(0.3f) * Matrix4x4.CreateTranslation(0, 0.5f, -1.2f), new Vector3(0.9f, 0.4f, 0.1f)));
        return scene;
    }

    [Fact]
    public void After_the_warm_up_the_first_live_frame_creates_no_pipeline_and_bakes_nothing()
    {
        StageConfig config = RenderGpuTest.TestRig();
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, Options);
            RenderScene scene = Scene();
            CameraView[] views = [new CameraView(config.Cameras[0], Pose.FromPanTiltRoll(new Vector3(0, 1, 0.5f), default), 24)];
            (int prepared, _) = renderer.PreparePipelines();
            Assert.True(prepared >= 3, $"{prepared} pipelines prepared");
            Assert.Equal(0, renderer.Scene.EnvironmentBakes);
            double ms = renderer.WarmUp(views, scene);
            Assert.True(ms > 0);
            Assert.Equal(1, renderer.Scene.EnvironmentBakes);
            int pipelines = renderer.Scene.PipelineCount;
            Assert.Equal(0, renderer.ReadbackBytes);

            renderer.BeginFrame(scene, 0, [], null);
            renderer.Submit(views);
            renderer.Present();
            renderer.CollectReadbacks(wait: true);
            Assert.Equal(pipelines, renderer.Scene.PipelineCount);
            Assert.Equal(1, renderer.Scene.EnvironmentBakes);
            Assert.Empty(renderer.Scene.MeshFaults);
        });
    }

    [Fact]
    public void A_warm_up_is_refused_once_presenters_are_attached_it_would_show_a_frame_nobody_asked_for()
    {
        StageConfig config = RenderGpuTest.TestRig();
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, Options);
            renderer.Presenters.Add(new NullPresenter());
            var e = Assert.Throws<InvalidOperationException>(() => renderer.WarmUp([new CameraView(config.Cameras[0], default, 24)], Scene()));
            Assert.Contains("before presenters are added", e.Message);
            renderer.Presenters.Clear();
        });
    }

    private sealed class NullPresenter : ICanvasPresenter
    {
        public int CanvasIndex => 0;
        public bool TryAcquire(out Stage.Vulkan.GpuImage? image) { image = null; return false; }
        public void Record(Stage.Vulkan.GpuCommandBuffer commands, Stage.Vulkan.GpuImage canvas, bool composedInto) { }
        public void AddSemaphores(List<Stage.Vulkan.GpuSemaphoreSubmit> waits, List<Stage.Vulkan.GpuSemaphoreSubmit> signals) { }
        public void Present(ulong submission) { }
        public bool TryGetDisplayedTicks(ulong submission, out long displayedTicks) { displayedTicks = 0; return false; }
    }
}
