using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace VkGen;

/// <summary>A C declaration as vk.xml spells it: a member, a parameter or a return type.</summary>
/// <param name="Name">The declared name (empty for a return type).</param>
/// <param name="Type">The base C type name, e.g. <c>uint32_t</c> or <c>VkImageCreateInfo</c>.</param>
/// <param name="Pointers">How many <c>*</c> follow the type.</param>
/// <param name="Dimensions">Fixed array dimensions, resolved to numbers (empty when not an array).</param>
/// <param name="StructureType">The <c>values</c> attribute of an <c>sType</c> member, if any.</param>
internal sealed record CDecl(string Name, string Type, int Pointers, int[] Dimensions, string? StructureType);

/// <summary>A struct or union of vk.xml.</summary>
internal sealed record StructDef(string Name, bool IsUnion, IReadOnlyList<CDecl> Members);

/// <summary>A command or function-pointer type: its return declaration and parameters.</summary>
internal sealed record FunctionDef(string Name, CDecl Return, IReadOnlyList<CDecl> Parameters);

/// <summary>One value of an enum or bitmask, already reduced to a C# constant expression.</summary>
internal sealed record EnumValue(string Name, string Expression);

/// <summary>The subset of vk.xml the generator understands, restricted to <c>api="vulkan"</c>.</summary>
internal sealed class Registry
{
    private const string Api = "vulkan";

    /// <summary>Type name → its <c>&lt;type&gt;</c> element (non-alias definitions only).</summary>
    public Dictionary<string, XElement> Types { get; } = new(StringComparer.Ordinal);

    /// <summary>Alias name → aliased name, for types and commands.</summary>
    public Dictionary<string, string> Aliases { get; } = new(StringComparer.Ordinal);

    /// <summary>Command name → definition (aliases resolved through <see cref="Aliases"/>).</summary>
    public Dictionary<string, FunctionDef> Commands { get; } = new(StringComparer.Ordinal);

    /// <summary>Integer API constants (VK_MAX_*, VK_UUID_SIZE…) by name, with their C type and C# expression.</summary>
    public Dictionary<string, (string CType, string Expression)> Constants { get; } = new(StringComparer.Ordinal);

    /// <summary>Enum name → its values in registry order (core first, then versions and extensions).</summary>
    public Dictionary<string, List<EnumValue>> EnumValues { get; } = new(StringComparer.Ordinal);

    /// <summary>Enum name → bit width (32 or 64) for bitmask enums.</summary>
    public Dictionary<string, int> BitmaskWidths { get; } = new(StringComparer.Ordinal);

    /// <summary>Extension name → its element (only extensions supported for Vulkan).</summary>
    public Dictionary<string, XElement> Extensions { get; } = new(StringComparer.Ordinal);

    private readonly Dictionary<string, HashSet<string>> _enumValueNames = new(StringComparer.Ordinal);

    /// <summary>Reads vk.xml.</summary>
    public static Registry Load(string path)
    {
        var doc = XDocument.Load(path, LoadOptions.None);
        var root = doc.Root ?? throw new InvalidDataException($"{path}: empty document");
        var registry = new Registry();
        registry.ReadTypes(root);
        registry.ReadConstants(root);
        registry.ReadEnums(root);
        registry.ReadCommands(root);
        registry.ReadFeaturesAndExtensions(root);
        return registry;
    }

    /// <summary>True when an element's <c>api</c> attribute is absent or names Vulkan.</summary>
    public static bool ForVulkan(XElement e)
    {
        var api = (string?)e.Attribute("api");
        return api is null || api.Split(',').Contains(Api, StringComparer.Ordinal);
    }

    /// <summary>Follows type or command aliases to the defining name.</summary>
    public string Resolve(string name)
    {
        var seen = 0;
        while (Aliases.TryGetValue(name, out var target))
        {
            name = target;
            if (++seen > 16) throw new InvalidDataException($"alias cycle at {name}");
        }
        return name;
    }

    /// <summary>The category attribute of a type, or null for C scalars and unknown names.</summary>
    public string? Category(string type) =>
        Types.TryGetValue(Resolve(type), out var e) ? (string?)e.Attribute("category") : null;

    private void ReadTypes(XElement root)
    {
        foreach (var t in root.Elements("types").Elements("type"))
        {
            if (!ForVulkan(t)) continue;
            var name = (string?)t.Attribute("name") ?? t.Element("name")?.Value;
            if (name is null) continue;
            var alias = (string?)t.Attribute("alias");
            if (alias is not null) { Aliases[name] = alias; continue; }
            Types.TryAdd(name, t);
        }
    }

    private void ReadConstants(XElement root)
    {
        var block = root.Elements("enums").First(e => (string?)e.Attribute("name") == "API Constants");
        foreach (var e in block.Elements("enum"))
        {
            var name = (string)e.Attribute("name")!;
            var alias = (string?)e.Attribute("alias");
            if (alias is not null) { Constants[name] = Constants[alias]; continue; }
            var ctype = (string?)e.Attribute("type") ?? "uint32_t";
            Constants[name] = (ctype, ConstantExpression((string)e.Attribute("value")!));
        }
    }

    /// <summary>Turns a C constant (<c>(~0U)</c>, <c>1000.0F</c>, <c>256</c>) into C#.</summary>
    private static string ConstantExpression(string c)
    {
        var v = c.Trim();
        if (v.StartsWith('(') && v.EndsWith(')')) v = v[1..^1];
        if (v.EndsWith("ULL", StringComparison.Ordinal)) return v[..^3] + "UL";
        if (v.EndsWith('U')) return v[..^1] + "U";
        if (v.EndsWith('F')) return v[..^1] + "F";
        return v;
    }

    private void ReadEnums(XElement root)
    {
        foreach (var block in root.Elements("enums"))
        {
            var name = (string?)block.Attribute("name");
            var kind = (string?)block.Attribute("type");
            if (name is null || (kind != "enum" && kind != "bitmask")) continue;
            if (kind == "bitmask") BitmaskWidths[name] = (int?)block.Attribute("bitwidth") ?? 32;
            foreach (var e in block.Elements("enum"))
            {
                if (!ForVulkan(e)) continue;
                AddEnumValue(name, e, extensionNumber: null);
            }
        }
    }

    private void AddEnumValue(string enumName, XElement e, int? extensionNumber)
    {
        var valueName = (string)e.Attribute("name")!;
        if (!_enumValueNames.TryGetValue(enumName, out var names))
        {
            _enumValueNames[enumName] = names = new HashSet<string>(StringComparer.Ordinal);
            EnumValues[enumName] = [];
        }
        if (!names.Add(valueName)) return;
        var is64 = BitmaskWidths.TryGetValue(enumName, out var width) && width == 64;
        string expression;
        if ((string?)e.Attribute("alias") is { } alias) expression = alias;
        else if ((string?)e.Attribute("bitpos") is { } bitpos) expression = (is64 ? "1UL << " : "1U << ") + bitpos;
        else if ((string?)e.Attribute("offset") is { } offset)
        {
            // The registry's rule for extension enum values (see the spec's "Assigning Extension Token Values").
            var number = (int?)e.Attribute("extnumber") ?? extensionNumber
                ?? throw new InvalidDataException($"{valueName}: offset without extension number");
            var value = 1_000_000_000L + (number - 1) * 1000L + long.Parse(offset, CultureInfo.InvariantCulture);
            if ((string?)e.Attribute("dir") == "-") value = -value;
            expression = value.ToString(CultureInfo.InvariantCulture);
        }
        else if ((string?)e.Attribute("value") is { } value) expression = value;
        else throw new InvalidDataException($"{valueName}: enum value without value, bitpos, offset or alias");
        EnumValues[enumName].Add(new EnumValue(valueName, expression));
    }

    private void ReadCommands(XElement root)
    {
        foreach (var c in root.Elements("commands").Elements("command"))
        {
            if (!ForVulkan(c)) continue;
            var alias = (string?)c.Attribute("alias");
            if (alias is not null) { Aliases[(string)c.Attribute("name")!] = alias; continue; }
            var proto = c.Element("proto")!;
            var name = proto.Element("name")!.Value;
            var ret = ParseDecl(proto, isMember: false) with { Name = "" };
            var parameters = c.Elements("param").Where(ForVulkan).Select(p => ParseDecl(p, isMember: false)).ToList();
            Commands.TryAdd(name, new FunctionDef(name, ret, parameters));
        }
    }

    private void ReadFeaturesAndExtensions(XElement root)
    {
        foreach (var feature in root.Elements("feature"))
        {
            if (!ForVulkan(feature)) continue;
            foreach (var e in feature.Elements("require").Where(ForVulkan).Elements("enum"))
            {
                if (ForVulkan(e) && (string?)e.Attribute("extends") is { } target) AddEnumValue(target, e, null);
            }
        }
        foreach (var ext in root.Elements("extensions").Elements("extension"))
        {
            var supported = ((string?)ext.Attribute("supported") ?? "").Split(',');
            if (!supported.Contains(Api, StringComparer.Ordinal)) continue;
            Extensions[(string)ext.Attribute("name")!] = ext;
            var number = (int)ext.Attribute("number")!;
            foreach (var e in ext.Elements("require").Where(ForVulkan).Elements("enum"))
            {
                if (ForVulkan(e) && (string?)e.Attribute("extends") is { } target) AddEnumValue(target, e, number);
            }
        }
    }

    /// <summary>Parses a struct member, command parameter or proto.</summary>
    public CDecl ParseDecl(XElement e, bool isMember)
    {
        var type = e.Element("type")?.Value ?? throw new InvalidDataException($"no <type> in {e}");
        var name = e.Element("name")?.Value ?? "";
        // Text between the type and the name holds the pointer stars; text after the name holds [N] or :bits.
        var afterType = string.Concat(e.Element("type")!.NodesAfterSelf().TakeWhile(n => n is not XElement { Name.LocalName: "name" })
            .Select(n => n is XText t ? t.Value : ""));
        var pointers = afterType.Count(ch => ch == '*');
        var nameElement = e.Element("name");
        var tail = nameElement is null ? "" : string.Concat(nameElement.NodesAfterSelf()
            .Where(n => n is not XElement { Name.LocalName: "comment" })
            .Select(n => n is XText t ? t.Value : ((XElement)n).Value));
        if (tail.Contains(':')) throw new NotSupportedException($"bit-field member {name} is not supported");
        var dims = Regex.Matches(tail, @"\[\s*([A-Za-z0-9_]+)\s*\]")
            .Select(m => ResolveDimension(m.Groups[1].Value)).ToArray();
        if (!isMember && dims.Length > 0)
        {
            // An array parameter decays to a pointer in C.
            pointers += dims.Length;
            dims = [];
        }
        return new CDecl(name, type, pointers, dims, (string?)e.Attribute("values"));
    }

    private int ResolveDimension(string token)
    {
        if (int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
        if (Constants.TryGetValue(token, out var c)) return int.Parse(c.Expression.TrimEnd('U'), CultureInfo.InvariantCulture);
        throw new InvalidDataException($"unknown array dimension {token}");
    }

    /// <summary>The members of a struct or union type (vulkan members only).</summary>
    public StructDef Struct(string name)
    {
        var t = Types[name];
        var members = t.Elements("member").Where(ForVulkan).Select(m => ParseDecl(m, isMember: true)).ToList();
        return new StructDef(name, (string?)t.Attribute("category") == "union", members);
    }

    /// <summary>The signature of a funcpointer type, parsed from its C text.</summary>
    public FunctionDef FuncPointer(string name)
    {
        var t = Types[name];
        var text = t.Value;
        var ret = Regex.Match(text, @"typedef\s+(\w+)\s*(\**)\s*\(").Groups;
        var returnDecl = new CDecl("", ret[1].Value, ret[2].Value.Length, [], null);
        var open = text.IndexOf(")(", StringComparison.Ordinal);
        var args = text[(open + 2)..text.LastIndexOf(')')];
        var parameters = new List<CDecl>();
        if (args.Trim() != "void")
        {
            foreach (var raw in args.Split(','))
            {
                var m = Regex.Match(raw.Trim(), @"^(?:const\s+)?(\w+)\s*((?:\*\s*(?:const\s*)?)*)\s*(\w+)$");
                if (!m.Success) throw new InvalidDataException($"{name}: cannot parse parameter '{raw.Trim()}'");
                parameters.Add(new CDecl(m.Groups[3].Value, m.Groups[1].Value, m.Groups[2].Value.Count(ch => ch == '*'), [], null));
            }
        }
        return new FunctionDef(name, returnDecl, parameters);
    }
}
