namespace Stage.Core.Logging;

/// <summary>
/// The shoot day a moment belongs to. A shoot day often runs past midnight, so the day rolls over at
/// <see cref="RolloverHour"/> local time, not at midnight: a wrap at 02:00 still logs to the day it began.
/// </summary>
public static class ShootDay
{
    /// <summary>Local hour at which a new shoot day begins.</summary>
    public const int RolloverHour = 6;

    /// <summary>The shoot day of a local time.</summary>
    public static DateOnly Of(DateTime localTime) => DateOnly.FromDateTime(localTime.AddHours(-RolloverHour));
}
