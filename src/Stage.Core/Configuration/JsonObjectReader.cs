using System.Globalization;
using System.Text.Json;

namespace Stage.Core.Configuration;

/// <summary>
/// Reads one JSON object of the configuration, recording every fault (wrong type, missing or unknown
/// member, out-of-range value) with its path instead of stopping at the first. Why not a serializer:
/// a crew must see every fault of a broken file in one pass, each named by its place.
/// </summary>
public sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly List<ConfigFault> _faults;

    /// <summary>The JSON path of this object.</summary>
    public string Path { get; }

    /// <summary>False when the element was not an object (a fault has been recorded).</summary>
    public bool IsValid { get; }

    private JsonObjectReader(JsonElement element, string path, List<ConfigFault> faults, bool isValid)
    {
        _element = element;
        Path = path;
        _faults = faults;
        IsValid = isValid;
    }

    /// <summary>Opens an object; records a fault for a non-object and for every member not in <paramref name="allowed"/>.</summary>
    public static JsonObjectReader Open(JsonElement element, string path, List<ConfigFault> faults, params string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            faults.Add(new ConfigFault(path, $"must be an object, not {Describe(element)}"));
            return new JsonObjectReader(element, path, faults, false);
        }
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (System.Array.IndexOf(allowed, property.Name) < 0)
            {
                string known = allowed.Length == 0 ? "none" : string.Join(", ", allowed);
                faults.Add(new ConfigFault(Join(path, property.Name), $"unknown field (known here: {known})"));
            }
        }
        return new JsonObjectReader(element, path, faults, true);
    }

    /// <summary>Path of a member of this object.</summary>
    public string PathOf(string name) => Join(Path, name);

    /// <summary>Records a fault at a member of this object.</summary>
    public void Fault(string name, string message) => _faults.Add(new ConfigFault(PathOf(name), message));

    /// <summary>True when the member is present (and not null).</summary>
    public bool Has(string name) => IsValid && _element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The member's raw element, or null (recording a fault if required).</summary>
    public JsonElement? Element(string name, bool required)
    {
        if (!IsValid) return null;
        if (_element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null) return value;
        if (required) Fault(name, "is required");
        return null;
    }

    /// <summary>A string member.</summary>
    public string? String(string name, bool required, bool allowEmpty = false)
    {
        JsonElement? value = Element(name, required);
        if (value is null) return null;
        if (value.Value.ValueKind != JsonValueKind.String)
        {
            Fault(name, $"must be a string, not {Describe(value.Value)}");
            return null;
        }
        string text = value.Value.GetString()!;
        if (!allowEmpty && text.Trim().Length == 0)
        {
            Fault(name, "must not be empty");
            return null;
        }
        return text;
    }

    /// <summary>A number member within [min, max] (inclusive unless <paramref name="minExclusive"/>).</summary>
    public double? Number(string name, bool required, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool minExclusive = false)
    {
        JsonElement? value = Element(name, required);
        if (value is null) return null;
        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetDouble(out double number) || !double.IsFinite(number))
        {
            Fault(name, $"must be a number, not {Describe(value.Value)}");
            return null;
        }
        if (minExclusive ? number <= min : number < min)
        {
            Fault(name, min == 0 && minExclusive ? "must be positive" : $"must be {(minExclusive ? "greater than" : "at least")} {Format(min)}, not {Format(number)}");
            return null;
        }
        if (number > max)
        {
            Fault(name, $"must be at most {Format(max)}, not {Format(number)}");
            return null;
        }
        return number;
    }

    /// <summary>An integer member within [min, max].</summary>
    public int? Integer(string name, bool required, int min = int.MinValue, int max = int.MaxValue)
    {
        JsonElement? value = Element(name, required);
        if (value is null) return null;
        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetInt32(out int number))
        {
            Fault(name, $"must be an integer, not {Describe(value.Value)}");
            return null;
        }
        if (number < min || number > max)
        {
            Fault(name, max == int.MaxValue ? $"must be at least {min}, not {number}" : $"must be between {min} and {max}, not {number}");
            return null;
        }
        return number;
    }

    /// <summary>A boolean member.</summary>
    public bool? Boolean(string name, bool required)
    {
        JsonElement? value = Element(name, required);
        if (value is null) return null;
        if (value.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Fault(name, $"must be true or false, not {Describe(value.Value)}");
            return null;
        }
        return value.Value.GetBoolean();
    }

    /// <summary>An array of exactly <paramref name="count"/> numbers, each satisfying <paramref name="positive"/> if set.</summary>
    public double[]? Numbers(string name, bool required, int count, bool positive = false)
    {
        JsonElement? value = Element(name, required);
        if (value is null) return null;
        string expected = $"must be {CountWord(count)} {(positive ? "positive " : "")}numbers";
        if (value.Value.ValueKind != JsonValueKind.Array || value.Value.GetArrayLength() != count)
        {
            Fault(name, expected);
            return null;
        }
        var result = new double[count];
        int i = 0;
        foreach (JsonElement item in value.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out double number) || !double.IsFinite(number) || (positive && number <= 0))
            {
                Fault(name, expected);
                return null;
            }
            result[i++] = number;
        }
        return result;
    }

    /// <summary>An array of exactly <paramref name="count"/> integers of at least <paramref name="min"/>.</summary>
    public int[]? Integers(string name, bool required, int count, int min)
    {
        JsonElement? value = Element(name, required);
        if (value is null) return null;
        string expected = min == 1 ? $"must be {CountWord(count)} positive integers" : $"must be {CountWord(count)} integers of at least {min}";
        if (value.Value.ValueKind != JsonValueKind.Array || value.Value.GetArrayLength() != count)
        {
            Fault(name, expected);
            return null;
        }
        var result = new int[count];
        int i = 0;
        foreach (JsonElement item in value.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int number) || number < min)
            {
                Fault(name, expected);
                return null;
            }
            result[i++] = number;
        }
        return result;
    }

    /// <summary>The items of an array member, each with its path; empty (and a fault if required) when absent or not an array.</summary>
    public IEnumerable<(JsonElement Item, string Path)> Array(string name, bool required)
    {
        JsonElement? value = Element(name, required);
        if (value is null) yield break;
        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            Fault(name, $"must be an array, not {Describe(value.Value)}");
            yield break;
        }
        int i = 0;
        foreach (JsonElement item in value.Value.EnumerateArray())
            yield return (item, $"{PathOf(name)}[{i++}]");
    }

    /// <summary>A string member that must be one of <paramref name="choices"/> (compared case-insensitively).</summary>
    public string? Choice(string name, bool required, params string[] choices)
    {
        string? text = String(name, required);
        if (text is null) return null;
        foreach (string choice in choices)
        {
            if (string.Equals(choice, text, StringComparison.OrdinalIgnoreCase)) return choice;
        }
        Fault(name, $"must be one of {string.Join(", ", choices)}, not '{text}'");
        return null;
    }

    /// <summary>Describes a JSON value's kind for a fault message.</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Truncate(element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => "null",
    };

    /// <summary>Joins a path and a member name: <c>walls[0]</c> + <c>panel</c> → <c>walls[0].panel</c>.</summary>
    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string CountWord(int count) => count switch { 2 => "two", 3 => "three", 4 => "four", _ => count.ToString(CultureInfo.InvariantCulture) };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
