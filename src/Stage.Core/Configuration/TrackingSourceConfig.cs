namespace Stage.Core.Configuration;

/// <summary>
/// A tracking input: where camera poses arrive from, and its fixed delay. Each protocol derives its own record
/// (Stage.Tracking, one folder per protocol) and reads it through its <see cref="ITrackingSourceReader"/>.
/// </summary>
public abstract record TrackingSourceConfig
{
    /// <summary>Unique source id, referenced by cameras.</summary>
    public required string Id { get; init; }

    /// <summary>UDP port the source listens on.</summary>
    public required int Port { get; init; }

    /// <summary>
    /// Delay offset in milliseconds added to this source's receive times: positive when the tracker's data
    /// arrives early relative to the picture, negative to predict ahead.
    /// </summary>
    public double DelayMs { get; init; }

    /// <summary>Protocol name as written in the configuration.</summary>
    public abstract string Kind { get; }

    /// <summary>Local address the socket binds (or the multicast group for OpenTrackIO), for listings and port checks.</summary>
    public abstract string Endpoint { get; }

    /// <summary>False for a source that listens on no port (a virtual camera): the port checks skip it.</summary>
    public virtual bool ListensOnPort => true;

    /// <summary>
    /// The multicast group the source joins, or null: sources on one port but different groups do not collide
    /// (OpenTrackIO's fixed port, one group per source).
    /// </summary>
    public virtual string? MulticastGroupJoined => null;

    /// <summary>True for a source flown from the keyboard (a virtual camera): its keys cannot also be plain shortcuts.</summary>
    public virtual bool FliesWithKeys => false;
}
