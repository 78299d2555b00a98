namespace Stage.Tracking;

/// <summary>Tuning shared by every pose buffer and source of a tracking system. The defaults suit a stage.</summary>
public sealed record TrackingOptions
{
    /// <summary>No sample for this long (receive time) turns a camera LOST. Default 100 ms.</summary>
    public double LossTimeoutMs { get; init; } = 100;

    /// <summary>How far past the newest sample <see cref="Buffers.PoseBuffer.TrySample"/> extrapolates before it holds. Default 50 ms.</summary>
    public double ExtrapolationHorizonMs { get; init; } = 50;

    /// <summary>
    /// Samples kept per camera (rounded up to a power of two). The default 4096 holds more than 2 s of
    /// history at 2 kHz, and far more at ordinary tracker rates.
    /// </summary>
    public int HistoryCapacity { get; init; } = 4096;

    /// <summary>OpenTrackIO: how long the segments of one message may take to arrive. Default 100 ms.</summary>
    public double ReassemblyTimeoutMs { get; init; } = 100;

    /// <summary>OpenTrackIO: the largest reassembled message accepted, bytes. Default 64 KiB.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>OpenTrackIO: how many segmented messages may be in flight at once. Default 4.</summary>
    public int ReassemblySlots { get; init; } = 4;

    /// <summary>How often a receive thread wakes without traffic to update LOST status, milliseconds. Default 10.</summary>
    public int IdlePollMs { get; init; } = 10;

    /// <summary>Throws when a value is out of its sensible range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (!(LossTimeoutMs > 0)) throw new ArgumentOutOfRangeException(nameof(LossTimeoutMs), LossTimeoutMs, "must be positive");
        if (!(ExtrapolationHorizonMs >= 0)) throw new ArgumentOutOfRangeException(nameof(ExtrapolationHorizonMs), ExtrapolationHorizonMs, "must not be negative");
        if (HistoryCapacity is < 128 or > 1 << 20) throw new ArgumentOutOfRangeException(nameof(HistoryCapacity), HistoryCapacity, "must be 128 … 1,048,576");
        if (!(ReassemblyTimeoutMs > 0)) throw new ArgumentOutOfRangeException(nameof(ReassemblyTimeoutMs), ReassemblyTimeoutMs, "must be positive");
        if (MaxMessageBytes is < 1024 or > 16 << 20) throw new ArgumentOutOfRangeException(nameof(MaxMessageBytes), MaxMessageBytes, "must be 1 KiB … 16 MiB");
        if (ReassemblySlots is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(ReassemblySlots), ReassemblySlots, "must be 1 … 64");
        if (IdlePollMs is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(IdlePollMs), IdlePollMs, "must be 1 … 1000");
    }
}
