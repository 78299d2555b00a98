using System.Text;
using System.Text.Json;
using Stage.World;

namespace Stage.Cli;

/// <summary>
/// The JSON line <c>stage sim --json</c> writes for a world event: <c>{"step", "event", …}</c>, one
/// object per line between the step reports (which have <c>"entities"</c> instead of <c>"event"</c>).
/// Events: <c>contact</c> (<c>entityA</c>, <c>nameA</c>, <c>entityB</c>, <c>nameB</c>,
/// <c>approachSpeedMps</c>, <c>positionM</c>, <c>normal</c>), <c>jointBroke</c>, <c>jointCreated</c>,
/// <c>jointRemoved</c>, <c>entityCreated</c>, <c>entityDestroyed</c>, <c>leftBound</c>,
/// <c>rulesChanged</c>, <c>commandRefused</c>.
/// </summary>
internal static class SimEventJson
{
    /// <summary>The event's line, or null for events the log leaves out (commands applied: their effect has its own event).</summary>
    public static string? Write(WorldEvent e, StageWorld world)
    {
        if (e is CommandAppliedEvent) return null;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("step", e.Step);
            switch (e)
            {
                case ContactEvent c:
                    w.WriteString("event", "contact");
                    w.WriteNumber("entityA", c.EntityA);
                    w.WriteString("nameA", world.Get(c.EntityA)?.Name);
                    w.WriteNumber("entityB", c.EntityB);
                    w.WriteString("nameB", world.Get(c.EntityB)?.Name);
                    w.WriteNumber("approachSpeedMps", c.ApproachSpeedMps);
                    SimCommand.WriteVector(w, "positionM", c.PositionM);
                    SimCommand.WriteVector(w, "normal", c.Normal);
                    break;
                case JointBrokeEvent j:
                    w.WriteString("event", "jointBroke");
                    w.WriteNumber("jointId", j.JointId);
                    w.WriteString("joint", j.JointName);
                    w.WriteNumber("forceN", j.ForceN);
                    w.WriteNumber("torqueNm", j.TorqueNm);
                    break;
                case JointCreatedEvent j:
                    w.WriteString("event", "jointCreated");
                    w.WriteNumber("jointId", j.JointId);
                    w.WriteString("joint", j.JointName);
                    break;
                case JointDestroyedEvent j:
                    w.WriteString("event", "jointRemoved");
                    w.WriteNumber("jointId", j.JointId);
                    w.WriteString("joint", j.JointName);
                    break;
                case EntitySpawnedEvent s:
                    w.WriteString("event", "entityCreated");
                    w.WriteNumber("entity", s.EntityId);
                    w.WriteString("name", s.Name);
                    if (s.SpawnerId is long by) w.WriteNumber("spawner", by);
                    break;
                case EntityDestroyedEvent d:
                    w.WriteString("event", "entityDestroyed");
                    w.WriteNumber("entity", d.EntityId);
                    w.WriteString("name", d.Name);
                    break;
                case EntityLeftBoundEvent b:
                    w.WriteString("event", "leftBound");
                    w.WriteNumber("entity", b.EntityId);
                    w.WriteString("name", b.Name);
                    // Where it was found may not be finite (then the reason says so): JSON has no NaN.
                    if (b.PositionM.IsFinite) SimCommand.WriteVector(w, "positionM", b.PositionM);
                    w.WriteString("reason", b.Reason);
                    w.WriteString("action", b.Action == BoundAction.Freeze ? "freeze" : "remove");
                    break;
                case RulesChangedEvent r:
                    w.WriteString("event", "rulesChanged");
                    w.WriteString("change", SimCommand.RuleChanges(r.Before, r.After));
                    break;
                case CommandRejectedEvent c:
                    w.WriteString("event", "commandRefused");
                    w.WriteNumber("sequence", c.Sequence);
                    w.WriteString("command", c.Command.GetType().Name);
                    w.WriteString("reason", c.Reason);
                    break;
                default:
                    w.WriteString("event", e.GetType().Name);
                    break;
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
