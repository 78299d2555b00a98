namespace Stage.Engine;

/// <summary>
/// Thrown by a renderer that cannot draw this frame because it is being rebuilt (its GPU device was lost): the frame
/// loop counts the frame as faulted and goes on without logging each one (the renderer has told the loss once).
/// </summary>
public sealed class RendererUnavailableException(string message) : Exception(message);
