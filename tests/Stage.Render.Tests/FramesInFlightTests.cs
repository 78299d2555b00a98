using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Space;
using Stage.Render.Scene;
using Stage.Render.Tests.Gpu;

namespace Stage.Render.Tests;

/// <summary>
/// Frames overlap: the CPU records frame N+1 while the GPU renders frame N, each frame in its own slot of buffers.
/// Run with the validation layer's synchronization checks (a buffer rewritten while the GPU may read it is a hazard
/// it reports), every frame's read-back pixels checked against the same frame rendered on its own.
/// </summary>
public sealed class FramesInFlightTests
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
        scene.Add(new DrawItem(DrawKind.Box, BoxAt(0), new Vector3(0.9f, 0.4f, 0.1f)));
        return scene;
    }

    private static Matrix4x4 BoxAt(int frame) => Matrix4x4.CreateScale(0.3f) * Matrix4x4.CreateTranslation(-0.6f + 0.1f * frame, 0.5f, -1.2f);

    private static Pose PoseAt(int frame) => Pose.FromPanTiltRoll(new Vector3(0.05f * frame, 0.5f, 0.5f), new PanTiltRoll(2 * frame, 0, 0));

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Overlapping_frames_each_show_their_own_scene_and_pose_and_the_validation_layer_sees_no_hazard(int framesInFlight)
    {
        StageConfig config = RenderGpuTest.TestRig();
        CameraConfig camera = config.Cameras[0];
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, SmallOptions with { FramesInFlight = framesInFlight });
            RenderScene scene = Scene();
            var kept = new Dictionary<long, byte[]>();
            Action<long, IReadOnlyList<CanvasPixels>> sink = (tag, pixels) => kept[tag] = pixels[0].Rgba.ToArray();
            bool[] firstCanvas = new bool[config.Outputs.Count];
            firstCanvas[0] = true;
            for (int frame = 0; frame < 12; frame++)
            {
                scene.SetTransform(1, BoxAt(frame));
                // Every third frame read back; the others overlap freely.
                renderer.BeginFrame(scene, frame, frame % 3 == 0 ? firstCanvas : [], sink);
                renderer.Submit([new CameraView(camera, PoseAt(frame), 24 + frame)]);
                renderer.Present();
                renderer.CollectReadbacks();
            }
            renderer.CollectReadbacks(wait: true);
            Assert.Equal([0L, 3L, 6L, 9L], kept.Keys.Order());
            Assert.Equal(4L * firstCanvasBytes(renderer), renderer.ReadbackBytes);

            // Each read-back frame against the same frame rendered alone, synchronously.
            foreach ((long frame, byte[] pixels) in kept)
            {
                scene.SetTransform(1, BoxAt((int)frame));
                IReadOnlyList<CanvasPixels> alone = renderer.Render([new CameraView(camera, PoseAt((int)frame), 24 + frame)], scene);
                Assert.True(alone[0].Rgba.Span.SequenceEqual(pixels), $"frame {frame} read back in flight differs from the frame rendered alone");
            }
        }, synchronization: true);
    }

    [Fact]
    public void Overlapping_frames_allocate_nothing_in_steady_state()
    {
        StageConfig config = RenderGpuTest.TestRig();
        CameraConfig camera = config.Cameras[0];
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, SmallOptions);
            RenderScene scene = Scene();
            long handed = 0;
            Action<long, IReadOnlyList<CanvasPixels>> sink = (_, _) => handed++;
            bool[] all = new bool[config.Outputs.Count];
            Array.Fill(all, true);
            CameraView[] views = [new CameraView(camera, PoseAt(0), 24)];
            void Frame(int frame)
            {
                scene.SetTransform(1, BoxAt(frame % 10));
                renderer.BeginFrame(scene, frame, frame % 2 == 0 ? all : [], sink);
                views[0] = views[0] with { TrackedPose = PoseAt(frame % 10) };
                renderer.Submit(views);
                renderer.Present();
                renderer.CollectReadbacks();
            }
            for (int frame = 0; frame < 6; frame++) Frame(frame);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int frame = 6; frame < 16; frame++) Frame(frame);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"{allocated} bytes allocated over 10 overlapping frames");
            Assert.True(handed >= 6);
        });
    }

    private static long firstCanvasBytes(StageRenderer renderer) => renderer.Canvases[0].Width * renderer.Canvases[0].Height * 4L;
}
