namespace Stage.Takes;

/// <summary>Where a take stands.</summary>
public enum TakeStatus
{
    /// <summary>Being recorded now.</summary>
    Recording,
    /// <summary>Stopped normally.</summary>
    Complete,
    /// <summary>The engine stopped (crash, kill, power) while recording; frames up to the last flush are kept.</summary>
    Interrupted,
}
