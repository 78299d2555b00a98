using static Stage.World.ComponentCodec;

namespace Stage.World;

/// <summary>
/// The world commands' canonical bytes (journal records, pending commands in snapshots): one
/// table, one row a command — its kind byte, its type, its writer and its reader. A new command
/// is one row here (and its handling in <see cref="StageWorld"/>).
/// </summary>
internal static class WorldCommandCodec
{
    private delegate WorldCommand Reader(ref CanonicalReader r);

    private sealed record Row(byte Kind, Type Type, Action<CanonicalWriter, WorldCommand> Write, Reader Read);

    // The kind bytes are the format: never renumber a row.
    private static readonly Row[] Table =
    [
        new(1, typeof(SetRulesCommand), static (w, c) => WriteRules(w, ((SetRulesCommand)c).Rules),
            static (ref CanonicalReader r) => new SetRulesCommand(ReadRules(ref r))),
        new(2, typeof(SetOverridesCommand), static (w, c) => { var o = (SetOverridesCommand)c; w.Write(o.EntityId); WriteOverrides(w, o.Overrides); },
            static (ref CanonicalReader r) => new SetOverridesCommand(r.ReadInt64(), ReadOverrides(ref r))),
        new(3, typeof(SetVelocityCommand), static (w, c) => { var v = (SetVelocityCommand)c; w.Write(v.EntityId); WriteV(w, v.LinearVelocityMps); WriteV(w, v.AngularVelocityRadps); },
            static (ref CanonicalReader r) => new SetVelocityCommand(r.ReadInt64(), ReadV(ref r), ReadV(ref r))),
        new(4, typeof(TeleportCommand), static (w, c) => { var t = (TeleportCommand)c; w.Write(t.EntityId); WriteV(w, t.PositionM); WriteQ(w, t.Orientation); },
            static (ref CanonicalReader r) => new TeleportCommand(r.ReadInt64(), ReadV(ref r), ReadQ(ref r))),
        new(5, typeof(SetAppearanceCommand), static (w, c) => { var a = (SetAppearanceCommand)c; w.Write(a.EntityId); WriteAppearance(w, a.Appearance); },
            static (ref CanonicalReader r) => new SetAppearanceCommand(r.ReadInt64(), ReadAppearance(ref r))),
        new(6, typeof(SetTagsCommand), static (w, c) => { var t = (SetTagsCommand)c; w.Write(t.EntityId); WriteStrings(w, t.Tags); },
            static (ref CanonicalReader r) => new SetTagsCommand(r.ReadInt64(), ReadStrings(ref r))),
        new(7, typeof(CreateEntityCommand), static (w, c) => WriteDefinition(w, ((CreateEntityCommand)c).Definition),
            static (ref CanonicalReader r) => new CreateEntityCommand(ReadDefinition(ref r))),
        new(8, typeof(DestroyEntityCommand), static (w, c) => w.Write(((DestroyEntityCommand)c).EntityId),
            static (ref CanonicalReader r) => new DestroyEntityCommand(r.ReadInt64())),
        new(9, typeof(CreateJointCommand), static (w, c) => WriteJointDefinition(w, ((CreateJointCommand)c).Definition),
            static (ref CanonicalReader r) => new CreateJointCommand(ReadJointDefinition(ref r))),
        new(10, typeof(DestroyJointCommand), static (w, c) => w.Write(((DestroyJointCommand)c).JointId),
            static (ref CanonicalReader r) => new DestroyJointCommand(r.ReadInt64())),
    ];

    // Looked up by type (writing) and by kind (reading); never iterated in the step.
    private static readonly Dictionary<Type, Row> ByType = Table.ToDictionary(row => row.Type);
    private static readonly Row?[] ByKind = BuildByKind();

    /// <summary>Writes a command's kind byte and its fields.</summary>
    public static void Write(CanonicalWriter w, WorldCommand command)
    {
        if (command is null || !ByType.TryGetValue(command.GetType(), out Row? row))
            throw new ArgumentException($"Unknown command {command?.GetType().Name ?? "null"}.", nameof(command));
        w.Write(row.Kind);
        row.Write(w, command);
    }

    /// <summary>Reads a command written by <see cref="Write"/> (throws <see cref="InvalidDataException"/> on an unknown kind).</summary>
    public static WorldCommand Read(ref CanonicalReader r)
    {
        byte kind = r.ReadByte();
        Row? row = kind < ByKind.Length ? ByKind[kind] : null;
        if (row is null) throw new InvalidDataException($"Unknown command kind {kind}.");
        return row.Read(ref r);
    }

    private static Row?[] BuildByKind()
    {
        var byKind = new Row?[Table.Max(row => row.Kind) + 1];
        foreach (Row row in Table)
        {
            if (byKind[row.Kind] is not null) throw new InvalidOperationException($"Command kind {row.Kind} is in the table twice.");
            byKind[row.Kind] = row;
        }
        return byKind;
    }
}
