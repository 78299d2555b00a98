using Stage.Core.Colour;

namespace Stage.Takes;

/// <summary>What a grade applies to.</summary>
public enum GradeTarget
{
    /// <summary>A camera's inner frustum.</summary>
    Camera,

    /// <summary>A wall's outer-frustum pixels.</summary>
    Wall,
}

/// <summary>
/// A grade in force from take frame <paramref name="Frame"/> on (until the next one for the same target): each take records
/// every camera's and wall's grade at frame 0, then each change at the frame it takes effect.
/// </summary>
/// <param name="Frame">Take frame from which the grade applies.</param>
/// <param name="Target">Camera or wall.</param>
/// <param name="Id">The camera's or wall's id.</param>
/// <param name="Cdl">The grade.</param>
public sealed record RecordedGrade(long Frame, GradeTarget Target, string Id, AscCdl Cdl)
{
    /// <summary>The grade of <paramref name="target"/> <paramref name="id"/> at take frame <paramref name="frame"/> (the last change at or before it), or null.</summary>
    public static AscCdl? At(IReadOnlyList<RecordedGrade> grades, GradeTarget target, string id, long frame)
    {
        AscCdl? found = null;
        foreach (RecordedGrade g in grades)
        {
            if (g.Target == target && g.Id == id && g.Frame <= frame) found = g.Cdl;
        }
        return found;
    }
}
