using System.Globalization;
using Stage.Physics;

namespace Stage.World;

/// <summary>Names where two world images differ: header fields first, then entities by id and their fields, then joints, pending commands and the collision order.</summary>
public static class WorldDiff
{
    /// <summary>Up to <paramref name="max"/> differences, each "where: a → b"; empty when the images are bit-identical.</summary>
    public static IReadOnlyList<string> Compare(WorldImage a, WorldImage b, int max = 20)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var found = new List<string>();
        void Check<T>(string where, T x, T y)
        {
            if (found.Count < max && !EqualityComparer<T>.Default.Equals(x, y)) found.Add($"{where}: {Show(x)} → {Show(y)}");
        }
        Check("settings", a.Settings, b.Settings);
        Check("step", a.Step, b.Step);
        Check("rules", a.Rules, b.Rules);
        Check("solver seed", a.SolverSeed, b.SolverSeed);
        Check("next entity id", a.NextEntityId, b.NextEntityId);
        Check("next joint id", a.NextJointId, b.NextJointId);
        Check("next command sequence", a.NextCommandSequence, b.NextCommandSequence);
        int i = 0, j = 0;
        while ((i < a.Entities.Count || j < b.Entities.Count) && found.Count < max)
        {
            EntityImage? x = i < a.Entities.Count ? a.Entities[i] : null;
            EntityImage? y = j < b.Entities.Count ? b.Entities[j] : null;
            if (y is null || (x is not null && x.Id < y.Id)) { found.Add($"entity {x!.Id} '{x.Definition.Name}': only in the first"); i++; continue; }
            if (x is null || y.Id < x.Id) { found.Add($"entity {y.Id} '{y.Definition.Name}': only in the second"); j++; continue; }
            string at = $"entity {x.Id} '{x.Definition.Name}'";
            Check($"{at} name", x.Definition.Name, y.Definition.Name);
            Check($"{at} tags", string.Join(",", x.Definition.Tags), string.Join(",", y.Definition.Tags));
            Check($"{at} body", x.Definition.Body, y.Definition.Body);
            Check($"{at} appearance", x.Definition.Appearance, y.Definition.Appearance);
            Check($"{at} behaviour", x.Definition.Behaviour?.GetType().Name, y.Definition.Behaviour?.GetType().Name);
            Check($"{at} overrides", x.Definition.Overrides, y.Definition.Overrides);
            Check($"{at} home position", Bits(x.Definition.PositionM), Bits(y.Definition.PositionM));
            Check($"{at} spawned count", x.SpawnedCount, y.SpawnedCount);
            Check($"{at} spawner generator", x.SpawnerRngState, y.SpawnerRngState);
            Check($"{at} position", Bits(x.PositionM), Bits(y.PositionM));
            Check($"{at} linear velocity", Bits(x.LinearVelocityMps), Bits(y.LinearVelocityMps));
            if (x.BodyState is { } bx && y.BodyState is { } by)
            {
                Check($"{at} orientation", Bits(bx.Orientation), Bits(by.Orientation));
                Check($"{at} angular velocity", Bits(bx.AngularVelocityRadps), Bits(by.AngularVelocityRadps));
                Check($"{at} awake", bx.IsAwake, by.IsAwake);
                Check($"{at} sleep counter", bx.SleepCounter, by.SleepCounter);
            }
            else
            {
                Check($"{at} orientation", Bits(x.OwnOrientation), Bits(y.OwnOrientation));
            }
            i++;
            j++;
        }
        Check("joints", string.Join(",", a.Joints.Select(k => k.Id)), string.Join(",", b.Joints.Select(k => k.Id)));
        foreach ((JointImage x, JointImage y) in a.Joints.Zip(b.Joints))
        {
            Check($"joint {x.Id} '{x.Definition.Name}' broken at step", x.BrokenAtStep, y.BrokenAtStep);
        }
        Check("pending commands", string.Join("; ", a.PendingCommands), string.Join("; ", b.PendingCommands));
        Check("collision space order", string.Join(",", a.SpaceOrder), string.Join(",", b.SpaceOrder));
        return found;
    }

    private static string Show<T>(T value) => value switch
    {
        null => "none",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Bits(Vector3D v) => FormattableString.Invariant($"({v.X:R}, {v.Y:R}, {v.Z:R})");

    private static string Bits(QuaternionD q) => FormattableString.Invariant($"({q.W:R}, {q.X:R}, {q.Y:R}, {q.Z:R})");
}
