using System.Globalization;

namespace Stage.Core.Configuration;

/// <summary>What an operator's shortcut does.</summary>
public enum OperatorAction
{
    /// <summary>Start recording a take (/stage/take/start).</summary>
    TakeStart,
    /// <summary>Stop the take (/stage/take/stop).</summary>
    TakeStop,
    /// <summary>Circle the last take (/stage/take/circle).</summary>
    TakeCircle,
    /// <summary>Put the world back to the start of the last take (/stage/world/reset).</summary>
    WorldReset,
    /// <summary>Toggle the operator camera's chroma key (/stage/camera/chromakey).</summary>
    ChromaKeyToggle,
    /// <summary>Toggle the operator camera's tracking markers (/stage/camera/markers).</summary>
    MarkersToggle,
    /// <summary>Show or hide the status overlay on windows that have one.</summary>
    OverlayToggle,
}

/// <summary>Keyboard modifiers of a shortcut (the values are GLFW's modifier bits).</summary>
[Flags]
public enum KeyModifiers
{
    /// <summary>No modifier.</summary>
    None = 0,
    /// <summary>Either Shift key.</summary>
    Shift = 1,
    /// <summary>Either Control key.</summary>
    Ctrl = 2,
    /// <summary>Either Alt key.</summary>
    Alt = 4,
}

/// <summary>
/// A key with modifiers, written "F5", "Ctrl+R", "Shift+Space". Key codes are GLFW 3's key tokens (the
/// US-layout key position, e.g. 65 for A), so the window layer passes what GLFW reports straight through.
/// </summary>
/// <param name="KeyCode">GLFW key token.</param>
/// <param name="Modifiers">Modifiers that must be held (exactly these).</param>
public readonly record struct KeyChord(int KeyCode, KeyModifiers Modifiers)
{
    private static readonly Dictionary<string, int> ByName = BuildNames();
    private static readonly Dictionary<int, string> ByCode = ByName.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.First().Key);

    /// <summary>Every key name a shortcut may use, for error messages and docs.</summary>
    public static IEnumerable<string> KeyNames => ByName.Keys.Order(StringComparer.Ordinal);

    /// <summary>Parses "F5", "ctrl+r", "Shift+Alt+Home" (case-insensitive).</summary>
    public static bool TryParse(string text, out KeyChord chord, out string error)
    {
        chord = default;
        string[] parts = text.Split('+', StringSplitOptions.TrimEntries);
        var modifiers = KeyModifiers.None;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            KeyModifiers modifier = parts[i].ToUpperInvariant() switch
            {
                "CTRL" or "CONTROL" => KeyModifiers.Ctrl,
                "SHIFT" => KeyModifiers.Shift,
                "ALT" => KeyModifiers.Alt,
                _ => KeyModifiers.None,
            };
            if (modifier == KeyModifiers.None)
            {
                error = $"'{parts[i]}' in \"{text}\" is not a modifier (Ctrl, Shift, Alt)";
                return false;
            }
            modifiers |= modifier;
        }
        if (!ByName.TryGetValue(parts[^1].ToUpperInvariant(), out int code))
        {
            error = $"'{parts[^1]}' in \"{text}\" is not a key name (letters, digits, F1–F12, Space, Enter, Escape, Tab, Backspace, Insert, Delete, Home, End, PageUp, PageDown, Up, Down, Left, Right, Keypad0–Keypad9, Minus, Equal)";
            return false;
        }
        chord = new KeyChord(code, modifiers);
        error = "";
        return true;
    }

    /// <summary>The GLFW token of a key name ("W" → 87), for code that binds keys by name.</summary>
    public static int Code(string keyName) => ByName[keyName.ToUpperInvariant()];

    /// <summary>"Ctrl+R".</summary>
    public override string ToString()
    {
        string key = ByCode.TryGetValue(KeyCode, out string? name) ? name : KeyCode.ToString(CultureInfo.InvariantCulture);
        key = key.Length == 1 ? key : char.ToUpperInvariant(key[0]) + key[1..].ToLowerInvariant();
        return (Modifiers.HasFlag(KeyModifiers.Ctrl) ? "Ctrl+" : "") + (Modifiers.HasFlag(KeyModifiers.Alt) ? "Alt+" : "") +
            (Modifiers.HasFlag(KeyModifiers.Shift) ? "Shift+" : "") + key;
    }

    private static Dictionary<string, int> BuildNames()
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (char c = 'A'; c <= 'Z'; c++) names[c.ToString()] = c;
        for (char c = '0'; c <= '9'; c++) names[c.ToString()] = c;
        for (int f = 1; f <= 12; f++) names[$"F{f}"] = 289 + f;
        for (int k = 0; k <= 9; k++) names[$"KEYPAD{k}"] = 320 + k;
        (string, int)[] named =
        [
            ("SPACE", 32), ("MINUS", 45), ("EQUAL", 61), ("ESCAPE", 256), ("ENTER", 257), ("TAB", 258), ("BACKSPACE", 259),
            ("INSERT", 260), ("DELETE", 261), ("RIGHT", 262), ("LEFT", 263), ("DOWN", 264), ("UP", 265), ("PAGEUP", 266),
            ("PAGEDOWN", 267), ("HOME", 268), ("END", 269),
        ];
        foreach ((string name, int code) in named) names[name] = code;
        return names;
    }
}

/// <summary>
/// The operator's keyboard shortcuts, read from the configuration's <c>"operator"</c> section. Absent
/// shortcuts keep their defaults (F-keys, so they never collide with the virtual camera's flying keys).
/// </summary>
public sealed record OperatorConfig
{
    /// <summary>The defaults: F5 start, F6 stop, F7 circle, Ctrl+R reset world, F9 chroma key, F10 markers, F1 overlay.</summary>
    public static IReadOnlyDictionary<OperatorAction, KeyChord> DefaultShortcuts { get; } = new Dictionary<OperatorAction, KeyChord>
    {
        [OperatorAction.TakeStart] = new(294, KeyModifiers.None),
        [OperatorAction.TakeStop] = new(295, KeyModifiers.None),
        [OperatorAction.TakeCircle] = new(296, KeyModifiers.None),
        [OperatorAction.WorldReset] = new('R', KeyModifiers.Ctrl),
        [OperatorAction.ChromaKeyToggle] = new(298, KeyModifiers.None),
        [OperatorAction.MarkersToggle] = new(299, KeyModifiers.None),
        [OperatorAction.OverlayToggle] = new(290, KeyModifiers.None),
    };

    /// <summary>The configuration name of each action ("takeStart" …).</summary>
    public static string NameOf(OperatorAction action) => char.ToLowerInvariant(action.ToString()[0]) + action.ToString()[1..];

    /// <summary>Every action's shortcut.</summary>
    public IReadOnlyDictionary<OperatorAction, KeyChord> Shortcuts { get; init; } = DefaultShortcuts;

    /// <summary>The camera that chroma key and markers shortcuts act on (null: the first camera).</summary>
    public string? CameraId { get; init; }

    /// <summary>The operator's web page (<c>operator.web</c>; defaults when absent).</summary>
    public OperatorWebConfig Web { get; init; } = new();
}
