namespace Stage.Render;

/// <summary>An output shown on the GPU (windows): its presenters join the renderer's frames (<see cref="StageRenderer.Presenters"/>).</summary>
public interface IPresentingOutput
{
    /// <summary>The presenters, one per canvas shown.</summary>
    IReadOnlyList<ICanvasPresenter> Presenters { get; }
}
