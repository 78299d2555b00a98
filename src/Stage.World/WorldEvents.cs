using Stage.Physics;

namespace Stage.World;

/// <summary>Something that happened in the world, at the step it happened (the step count after the step that caused it, or the step a command took effect).</summary>
public abstract record WorldEvent(long Step);

/// <summary>Two entities met with an approach speed at or above the rules' threshold. <paramref name="EntityA"/> &lt; <paramref name="EntityB"/>; −1 is nothing (never for a contact between entities).</summary>
public sealed record ContactEvent(long Step, long EntityA, long EntityB, Vector3D PositionM, Vector3D Normal, double ApproachSpeedMps) : WorldEvent(Step);

/// <summary>A joint broke: its load exceeded its strength in this step.</summary>
public sealed record JointBrokeEvent(long Step, long JointId, string JointName, double ForceN, double TorqueNm) : WorldEvent(Step);

/// <summary>An entity was created (by the scene, a command, or a spawner — then <paramref name="SpawnerId"/> names it).</summary>
public sealed record EntitySpawnedEvent(long Step, long EntityId, string Name, long? SpawnerId) : WorldEvent(Step);

/// <summary>An entity was destroyed.</summary>
public sealed record EntityDestroyedEvent(long Step, long EntityId, string Name) : WorldEvent(Step);

/// <summary>The world's rules changed at this step (by command).</summary>
public sealed record RulesChangedEvent(long Step, WorldRules Before, WorldRules After) : WorldEvent(Step);

/// <summary>A command took effect at this step.</summary>
public sealed record CommandAppliedEvent(long Step, long Sequence, WorldCommand Command) : WorldEvent(Step);

/// <summary>A joint was created by command at this step (joints of the scene file raise none).</summary>
public sealed record JointCreatedEvent(long Step, long JointId, string JointName) : WorldEvent(Step);

/// <summary>A joint was removed by command at this step.</summary>
public sealed record JointDestroyedEvent(long Step, long JointId, string JointName) : WorldEvent(Step);

/// <summary>A command could not take effect at this step (the reason says why) and changed nothing: its entity or joint is gone, its rules are invalid, its values are not finite.</summary>
public sealed record CommandRejectedEvent(long Step, long Sequence, WorldCommand Command, string Reason) : WorldEvent(Step);

/// <summary>
/// A body left the world bound at this step — outside <see cref="WorldSettings.Bound"/>, faster
/// than the physics limits, or with a state that is not finite (<paramref name="Reason"/> says
/// which) — and was frozen on the bound or removed (<paramref name="Action"/>; a removal then
/// raises its <see cref="EntityDestroyedEvent"/>). <paramref name="PositionM"/> is where it was
/// found after the step (possibly not finite).
/// </summary>
public sealed record EntityLeftBoundEvent(long Step, long EntityId, string Name, Vector3D PositionM, string Reason, BoundAction Action) : WorldEvent(Step);
