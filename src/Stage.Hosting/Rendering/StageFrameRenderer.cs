using Stage.Core.Frames;
using Stage.Engine;
using Stage.Engine.Timing;
using Stage.Hosting.World;
using Stage.Render;
using Stage.Render.Scene;

namespace Stage.Hosting.Rendering;

/// <summary>
/// The engine's renderer: Stage.Render's <see cref="StageRenderer"/> drawing a <see cref="RenderScene"/>
/// that <paramref name="updateScene"/> refreshes from the world before each frame (interpolated
/// transforms written in place, so GPU buffers are updated, not rebuilt). Frames overlap: each call records
/// and submits one frame; read-back pixels and completion times come back through the frame loop's sink.
/// </summary>
/// <param name="renderer">The renderer for the stage (owned by the caller).</param>
/// <param name="scene">The scene it draws.</param>
/// <param name="updateScene">Writes the world's current state into the scene; null for a fixed scene.</param>
public sealed class StageFrameRenderer(StageRenderer renderer, RenderScene scene, Action<RenderScene>? updateScene) : IFrameRenderer
{
    /// <summary>Frames remembered by number until they complete (more than frames in flight).</summary>
    private const int Ticks = 8;

    private readonly List<PassTiming> _timings = [];
    private readonly FrameTick[] _ticks = new FrameTick[Ticks];
    private readonly bool[] _all = Enumerable.Repeat(true, renderer.Canvases.Count).ToArray();
    private readonly bool[] _none = new bool[renderer.Canvases.Count];
    private IFrameSink? _sink;
    private Action<long, IReadOnlyList<CanvasPixels>>? _pixels;
    private Action<FrameCompletion>? _completed;

    /// <summary>
    /// The renderer for a run: <paramref name="world"/>'s entities drawn through a <see cref="WorldSceneBridge"/>
    /// (mesh files relative to <paramref name="sceneDirectory"/>), or an empty scene without a world.
    /// </summary>
    public static StageFrameRenderer ForWorld(StageRenderer renderer, StageWorldHost? world, string sceneDirectory)
    {
        var scene = new RenderScene { Environment = world?.Environment };
        if (world is null) return new StageFrameRenderer(renderer, scene, null);
        var bridge = new WorldSceneBridge(() => world.World, sceneDirectory);
        bridge.Fill(scene);
        return new StageFrameRenderer(renderer, scene, bridge.Update);
    }

    private long _gradesVersion = -1;

    /// <summary>The live grades (the engine's <c>FrameLoop.Grades</c>): copied into the compose pass before a frame whenever they changed.</summary>
    public Stage.Core.Colour.GradeBoard? Grades { get; set; }

    /// <summary>The scene drawn (its light and exposure may be changed between frames, on the engine thread).</summary>
    public RenderScene Scene => scene;

    /// <summary>The renderer drawn with.</summary>
    public StageRenderer Renderer => renderer;

    /// <inheritdoc/>
    public IReadOnlyList<PassTiming> LastPassTimings => _timings;

    /// <inheritdoc/>
    public long ReadbackBytes => renderer.ReadbackBytes;

    /// <inheritdoc/>
    public string? ColourStatus
    {
        get
        {
            if (!renderer.Compositor.CountsColourFaults || renderer.ColourCountedFrames == 0) return null;
            // Once a second (the status line): a few strings are fine here, never per frame.
            var parts = new List<string>();
            for (int o = 0; o < renderer.Config.Outputs.Count; o++)
            {
                var c = renderer.LastColourCounts[o];
                parts.Add($"{renderer.Config.Outputs[o].Id} {c.OutOfGamutPixels} out of gamut, {c.OverPeakPixels} over peak");
            }
            return "colour " + string.Join("; ", parts);
        }
    }

    /// <summary>
    /// Draws the scene once, unseen, from every camera at the outer eye looking along −Z (<see cref="StageRenderer.WarmUp"/>),
    /// so that the run's first frames do not compile shaders, upload meshes and bake the environment. Returns the milliseconds.
    /// </summary>
    public double WarmUp()
    {
        updateScene?.Invoke(scene);
        System.Numerics.Vector3 eye = renderer.Config.Render.OuterEyeM;
        CameraView[] views = renderer.Config.Cameras.Take(4)
            .Select(c => new CameraView(c, Stage.Core.Space.Pose.FromPanTiltRoll(eye, default), c.FocalLengthMm)).ToArray();
        return renderer.WarmUp(views, scene);
    }

    /// <inheritdoc/>
    public void Render(in FrameRequest request, ICameraLatch latch, IFrameSink sink)
    {
        ArgumentNullException.ThrowIfNull(latch);
        Connect(sink);
        updateScene?.Invoke(scene);
        if (Grades is { } grades && grades.Version != _gradesVersion)
        {
            _gradesVersion = grades.Version;
            for (int c = 0; c < grades.CameraIds.Count; c++) renderer.Compositor.SetCameraGrade(c, grades.Camera(c));
            for (int w = 0; w < grades.WallIds.Count; w++) renderer.Compositor.SetWallGrade(w, grades.Wall(w));
        }
        _ticks[request.Tick.Frame & (Ticks - 1)] = request.Tick;
        renderer.BeginFrame(scene, request.Tick.Frame, request.ReadBack ? _all : _none, _pixels);
        renderer.Submit(latch.Latch());
        latch.Submitted(renderer.LastSubmitCallMs);
        renderer.Present();
        _timings.Clear();
        _timings.AddRange(renderer.LastTimings);
        // Per-pass GPU time from timestamp queries of the newest completed frame ("gpu shadow", "gpu inner A" …).
        _timings.AddRange(renderer.LastGpuTimings);
    }

    /// <inheritdoc/>
    public void Collect(IFrameSink sink, bool wait)
    {
        Connect(sink);
        renderer.CollectReadbacks(wait);
    }

    /// <summary>Routes the renderer's callbacks to <paramref name="sink"/> (delegates made once, not per frame).</summary>
    private void Connect(IFrameSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (ReferenceEquals(sink, _sink)) return;
        _sink = sink;
        _pixels = (tag, canvases) => sink.Pixels(_ticks[tag & (Ticks - 1)], canvases);
        _completed = completion => sink.Completed(new FrameCompletionTimes(_ticks[completion.Tag & (Ticks - 1)],
            completion.SubmitTicks, completion.GpuDoneTicks, completion.PresentedTicks, completion.GpuMs));
        renderer.Completed = _completed;
    }

    /// <summary>The renderer and its device belong to the caller.</summary>
    public void Dispose()
    {
    }
}
