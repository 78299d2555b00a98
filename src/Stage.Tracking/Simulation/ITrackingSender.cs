namespace Stage.Tracking.Simulation;

/// <summary>A protocol's encoder for a simulated tracker: one camera's pose at a time, as a real tracker would send it.</summary>
public interface ITrackingSender
{
    /// <summary>
    /// Writes the datagram for <paramref name="point"/> at <paramref name="seconds"/> of the path, sent at
    /// <paramref name="rateHz"/>, into <paramref name="datagram"/>; returns its length.
    /// </summary>
    int Write(PathPoint point, double seconds, double rateHz, byte[] datagram);
}
