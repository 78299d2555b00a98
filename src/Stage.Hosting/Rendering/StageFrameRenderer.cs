using Stage.Engine;
using Stage.Engine.Outputs;
using Stage.Hosting.World;
using Stage.Render;
using Stage.Render.Scene;
using Stage.Core.Frames;

namespace Stage.Hosting.Rendering;

/// <summary>
/// The engine's renderer: Stage.Render's <see cref="StageRenderer"/> drawing a <see cref="RenderScene"/>
/// that <paramref name="updateScene"/> refreshes from the world before each frame (interpolated
/// transforms written in place, so GPU buffers are updated, not rebuilt).
/// </summary>
/// <param name="renderer">The renderer for the stage (owned by the caller).</param>
/// <param name="scene">The scene it draws.</param>
/// <param name="updateScene">Writes the world's current state into the scene; null for a fixed scene.</param>
public sealed class StageFrameRenderer(StageRenderer renderer, RenderScene scene, Action<RenderScene>? updateScene) : IFrameRenderer
{
    private readonly List<CameraView> _cameras = [];
    private readonly List<CanvasPixels> _images = [];
    private readonly List<PassTiming> _timings = [];

    /// <summary>
    /// The renderer for a run: <paramref name="world"/>'s entities drawn through a <see cref="WorldSceneBridge"/>
    /// (mesh files relative to <paramref name="sceneDirectory"/>), or an empty scene without a world.
    /// </summary>
    public static StageFrameRenderer ForWorld(StageRenderer renderer, StageWorldHost? world, string sceneDirectory)
    {
        var scene = new RenderScene();
        if (world is null) return new StageFrameRenderer(renderer, scene, null);
        var bridge = new WorldSceneBridge(() => world.World, sceneDirectory);
        bridge.Fill(scene);
        return new StageFrameRenderer(renderer, scene, bridge.Update);
    }

    /// <inheritdoc/>
    public IReadOnlyList<PassTiming> LastPassTimings => _timings;

    /// <inheritdoc/>
    public IReadOnlyList<CanvasPixels> Render(in FrameInputs inputs)
    {
        updateScene?.Invoke(scene);
        _cameras.Clear();
        foreach (CameraView view in inputs.Cameras)
            _cameras.Add(new CameraView(view.Camera, view.TrackedPose, view.FocalLengthMm, view.ChromaKey, view.Markers));
        IReadOnlyList<CanvasPixels> pixels = renderer.Render(_cameras, scene);
        _images.Clear();
        foreach (CanvasPixels canvas in pixels)
            _images.Add(new CanvasPixels(canvas.OutputId, canvas.Width, canvas.Height, canvas.BitDepth, canvas.Rgba));
        _timings.Clear();
        foreach (PassTiming timing in renderer.LastTimings) _timings.Add(new PassTiming(timing.Pass, timing.Milliseconds));
        // Per-pass GPU time from timestamp queries, where the device writes them ("gpu shadow", "gpu inner A" …).
        foreach (PassTiming timing in renderer.LastGpuTimings) _timings.Add(new PassTiming(timing.Pass, timing.Milliseconds));
        return _images;
    }

    /// <summary>The renderer and its device belong to the caller.</summary>
    public void Dispose()
    {
    }
}
