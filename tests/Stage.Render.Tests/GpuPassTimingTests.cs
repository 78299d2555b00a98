using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Render.Scene;
using Stage.Render.Tests.Gpu;
using Xunit.Abstractions;
using Stage.Core.Frames;

namespace Stage.Render.Tests;

/// <summary>Per-pass GPU times of a one-submission frame from timestamp queries (lavapipe, validation on).</summary>
public sealed class GpuPassTimingTests(ITestOutputHelper output)
{
    private static readonly StageRendererOptions SmallOptions = new()
    {
        OuterFaceSizePx = 64,
        Scene = new SceneRendererOptions { ShadowMapSize = 256 },
    };

    private static RenderScene Scene()
    {
        var scene = new RenderScene();
        scene.Add(new DrawItem(DrawKind.Plane, Matrix4x4.CreateScale(6, 1, 6), new Vector3(0.5f)));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(0.3f) * Matrix4x4.CreateTranslation(0, 0.5f, -1.2f), new Vector3(0.9f, 0.4f, 0.1f)));
        scene.Add(new DrawItem(DrawKind.Sphere, Matrix4x4.CreateScale(0.2f) * Matrix4x4.CreateTranslation(0.4f, 0.6f, -1f), new Vector3(0.1f, 0.4f, 0.9f)));
        return scene;
    }

    [Fact]
    public void A_frame_in_one_submission_has_one_GPU_time_per_pass_within_the_frames_GPU_wall_time()
    {
        StageConfig rig = RenderGpuTest.TestRig();
        CameraConfig a = rig.Cameras[0];
        CameraConfig b = a with { Id = "B", InnerWidthPx = 96, InnerHeightPx = 54 };
        StageConfig config = rig with { Cameras = [a, b] };
        var pose = Pose.FromPanTiltRoll(new Vector3(0, 0.5f, 0.5f), new PanTiltRoll(0, 0, 0));
        RenderScene scene = Scene();
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, SmallOptions);
            Assert.Null(renderer.GpuTimestampsUnsupported);
            CameraView[] cameras = [new CameraView(b, pose, 35), new CameraView(a, pose, 24)];
            string[] expected = ["gpu shadow", "gpu inner B", "gpu inner A", "gpu outer", "gpu compose", "gpu copy"];
            for (var frame = 0; frame < 4; frame++)
            {
                renderer.Render(cameras, scene);
                Assert.Equal(["slot wait", "record", "gpu", "readback"], renderer.LastTimings.Select(t => t.Pass));
                Assert.Equal(expected, renderer.LastGpuTimings.Select(t => t.Pass));
                double gpuWall = renderer.LastTimings.Single(t => t.Pass == "gpu").Milliseconds;
                double sum = renderer.LastGpuTimings.Sum(t => t.Milliseconds);
                output.WriteLine($"frame {frame}: gpu wall {gpuWall:0.000} ms, passes {sum:0.000} ms: " +
                    string.Join(", ", renderer.LastGpuTimings.Select(t => $"{t.Pass} {t.Milliseconds:0.000}")));
                Assert.All(renderer.LastGpuTimings, t => Assert.True(t.Milliseconds >= 0, $"{t.Pass} is {t.Milliseconds} ms"));
                // The timestamps lie between submit and fence; slack for the clocks' granularity.
                Assert.True(sum <= gpuWall * 1.05 + 0.5, $"passes {sum} ms exceed the frame's GPU wall time {gpuWall} ms");
            }

            // Only the cameras drawn get an entry; per-pass submissions leave the GPU list empty.
            renderer.Render([new CameraView(a, pose, 24)], scene);
            Assert.Equal(["gpu shadow", "gpu inner A", "gpu outer", "gpu compose", "gpu copy"], renderer.LastGpuTimings.Select(t => t.Pass));
            renderer.TimeEachPass = true;
            renderer.Render(cameras, scene);
            Assert.Empty(renderer.LastGpuTimings);
            renderer.TimeEachPass = false;
            renderer.Render(cameras, scene);
            Assert.Equal(expected, renderer.LastGpuTimings.Select(t => t.Pass));
        });
    }

    [Fact]
    public void Timing_a_frame_with_timestamps_allocates_nothing_in_steady_state()
    {
        StageConfig config = RenderGpuTest.TestRig();
        CameraConfig a = config.Cameras[0];
        var pose = Pose.FromPanTiltRoll(new Vector3(0, 0.5f, 0.5f), new PanTiltRoll(0, 0, 0));
        RenderScene scene = Scene();
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, SmallOptions);
            var cameras = new List<CameraView> { new(a, pose, 24) };
            for (var i = 0; i < 3; i++) renderer.Render(cameras, scene);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10; i++) renderer.Render(cameras, scene);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(5, renderer.LastGpuTimings.Count);
            Assert.True(allocated == 0, $"{allocated} bytes allocated over 10 frames");
        });
    }
}
