using Stage.Physics;

namespace Stage.World;

/// <summary>
/// A change to the world from outside the simulation. Commands take effect at the start of a
/// step (before behaviours and physics), in (step, submission sequence) order; they are what the
/// journal records, so a replay gives the same world.
/// </summary>
public abstract record WorldCommand
{
    private protected WorldCommand() { }
}

/// <summary>Replace the world's rules.</summary>
public sealed record SetRulesCommand(WorldRules Rules) : WorldCommand;

/// <summary>Replace an entity's rule overrides.</summary>
public sealed record SetOverridesCommand(long EntityId, EntityOverrides Overrides) : WorldCommand;

/// <summary>Set an entity's velocities (wakes it).</summary>
public sealed record SetVelocityCommand(long EntityId, Vector3D LinearVelocityMps, Vector3D AngularVelocityRadps) : WorldCommand;

/// <summary>Move an entity to a pose (wakes it).</summary>
public sealed record TeleportCommand(long EntityId, Vector3D PositionM, QuaternionD Orientation) : WorldCommand;

/// <summary>Replace an entity's appearance (null: invisible).</summary>
public sealed record SetAppearanceCommand(long EntityId, Appearance? Appearance) : WorldCommand;

/// <summary>Replace an entity's tags.</summary>
public sealed record SetTagsCommand(long EntityId, IReadOnlyList<string> Tags) : WorldCommand;

/// <summary>Create an entity (it gets the next id).</summary>
public sealed record CreateEntityCommand(EntityDefinition Definition) : WorldCommand;

/// <summary>Destroy an entity (and its joints).</summary>
public sealed record DestroyEntityCommand(long EntityId) : WorldCommand;

/// <summary>A command waiting for its step.</summary>
/// <param name="Step">The step at which it takes effect.</param>
/// <param name="Sequence">The world's submission counter when it was submitted (unique, ascending).</param>
/// <param name="Command">The command.</param>
public sealed record PendingCommand(long Step, long Sequence, WorldCommand Command);

/// <summary>
/// Create a joint between two entities' dynamic bodies (or one body and the world) as they are
/// when the command takes effect; it gets the next joint id. A breakable joint breaks at the
/// first step whose constraint force or torque exceeds its strength, raising <see cref="JointBrokeEvent"/>.
/// </summary>
public sealed record CreateJointCommand(JointDefinition Definition) : WorldCommand;

/// <summary>Remove a joint (held or broken) from the world; the bodies it held are woken.</summary>
public sealed record DestroyJointCommand(long JointId) : WorldCommand;
