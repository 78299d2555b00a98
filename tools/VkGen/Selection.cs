namespace VkGen;

/// <summary>
/// What Stage asks for (the list file) and everything that follows from it: the closure of types
/// reachable from the requested commands and types.
/// </summary>
internal sealed class Selection
{
    /// <summary>Requested commands, by the name Stage calls them (may be an alias).</summary>
    public SortedSet<string> Commands { get; } = new(StringComparer.Ordinal);

    /// <summary>Requested extensions (their name and spec-version constants are emitted).</summary>
    public SortedSet<string> Extensions { get; } = new(StringComparer.Ordinal);

    /// <summary>Every defining type name in the closure (aliases resolved).</summary>
    public SortedSet<string> Types { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads the list: one entry per line, <c>command NAME</c>, <c>type NAME</c> or <c>extension NAME</c>;
    /// <c>#</c> starts a comment. An extension brings every command and type it requires.
    /// </summary>
    public static Selection Read(string listPath, Registry registry)
    {
        var selection = new Selection();
        var requestedTypes = new List<string>();
        var lineNumber = 0;
        foreach (var rawLine in File.ReadLines(listPath))
        {
            lineNumber++;
            var line = rawLine.Split('#')[0].Trim();
            if (line.Length == 0) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2) throw new InvalidDataException($"{listPath}:{lineNumber}: expected '<kind> <name>'");
            var (kind, name) = (parts[0], parts[1]);
            switch (kind)
            {
                case "command":
                    if (!registry.Commands.ContainsKey(registry.Resolve(name)))
                        throw new InvalidDataException($"{listPath}:{lineNumber}: no Vulkan command {name} in the registry");
                    selection.Commands.Add(name);
                    break;
                case "type":
                    if (!registry.Types.ContainsKey(registry.Resolve(name)))
                        throw new InvalidDataException($"{listPath}:{lineNumber}: no Vulkan type {name} in the registry");
                    requestedTypes.Add(name);
                    break;
                case "extension":
                    if (!registry.Extensions.TryGetValue(name, out var ext))
                        throw new InvalidDataException($"{listPath}:{lineNumber}: no Vulkan extension {name} in the registry");
                    selection.Extensions.Add(name);
                    foreach (var require in ext.Elements("require").Where(Registry.ForVulkan))
                    {
                        foreach (var c in require.Elements("command")) selection.Commands.Add((string)c.Attribute("name")!);
                        foreach (var t in require.Elements("type")) requestedTypes.Add((string)t.Attribute("name")!);
                    }
                    break;
                default:
                    throw new InvalidDataException($"{listPath}:{lineNumber}: unknown kind '{kind}' (command, type or extension)");
            }
        }
        selection.Close(registry, requestedTypes);
        return selection;
    }

    private void Close(Registry registry, List<string> requestedTypes)
    {
        var work = new Stack<string>();
        void Need(string type)
        {
            var name = registry.Resolve(type);
            if (registry.Types.ContainsKey(name) && Types.Add(name)) work.Push(name);
        }
        foreach (var t in requestedTypes) Need(t);
        foreach (var c in Commands)
        {
            var def = registry.Commands[registry.Resolve(c)];
            Need(def.Return.Type);
            foreach (var p in def.Parameters) Need(p.Type);
        }
        while (work.Count > 0)
        {
            var name = work.Pop();
            var e = registry.Types[name];
            switch ((string?)e.Attribute("category"))
            {
                case "struct":
                case "union":
                    foreach (var m in registry.Struct(name).Members) Need(m.Type);
                    break;
                case "funcpointer":
                    var f = registry.FuncPointer(name);
                    Need(f.Return.Type);
                    foreach (var p in f.Parameters) Need(p.Type);
                    break;
                case "bitmask":
                    if (((string?)e.Attribute("requires") ?? (string?)e.Attribute("bitvalues")) is { } bits) Need(bits);
                    Need(e.Element("type")!.Value);
                    break;
            }
        }
    }
}
