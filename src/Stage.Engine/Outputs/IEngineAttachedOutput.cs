using Stage.Tracking;

namespace Stage.Engine.Outputs;

/// <summary>
/// An output that takes part in the run beyond showing pictures (a window takes the operator's keys,
/// flies virtual cameras and shows the status): the run hands it the engine and the tracking system
/// once both exist, before the first frame.
/// </summary>
public interface IEngineAttachedOutput
{
    /// <summary>Connects the output to the running engine (its commands and status) and the cameras' pose buffers.</summary>
    void Attach(FrameLoop engine, TrackingSystem tracking);
}
