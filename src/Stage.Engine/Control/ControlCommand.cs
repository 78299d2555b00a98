using System.Globalization;

namespace Stage.Engine.Control;

/// <summary>What a command parameter accepts.</summary>
public enum ControlParameterKind
{
    /// <summary>A string (OSC 's' or 'S').</summary>
    Text,
    /// <summary>Any number: OSC 'i', 'f', 'h' or 'd' (control surfaces send either).</summary>
    Number,
    /// <summary>0 or 1 from a number, 'T'/'F', or the strings "on"/"off".</summary>
    Switch,
}

/// <summary>One parameter of a command.</summary>
/// <param name="Name">Name, as help shows it.</param>
/// <param name="Kind">What it accepts.</param>
/// <param name="Optional">True when it may be left out (only trailing parameters may be).</param>
public sealed record ControlParameter(string Name, ControlParameterKind Kind, bool Optional = false)
{
    /// <summary>"slate", "[slate]", "value:number".</summary>
    public override string ToString()
    {
        string text = Kind == ControlParameterKind.Text ? Name : $"{Name}:{Kind.ToString().ToLowerInvariant()}";
        return Optional ? $"[{text}]" : text;
    }
}

/// <summary>What a command answers: ok or error, with a line of text for the operator.</summary>
/// <param name="Ok">True when the command was carried out.</param>
/// <param name="Text">What happened, or why not.</param>
public readonly record struct ControlReply(bool Ok, string Text)
{
    /// <summary>Carried out.</summary>
    public static ControlReply Success(string text = "") => new(true, text);

    /// <summary>Refused or failed.</summary>
    public static ControlReply Failure(string text) => new(false, text);
}

/// <summary>A call of a command with its arguments checked and converted.</summary>
public sealed class ControlCall
{
    private readonly Dictionary<string, object> _values;

    internal ControlCall(string address, string sender, Dictionary<string, object> values)
    {
        Address = address;
        Sender = sender;
        _values = values;
    }

    /// <summary>The command's address.</summary>
    public string Address { get; }

    /// <summary>Who sent it ("udp 10.0.0.5:9000", "tcp …", "cli").</summary>
    public string Sender { get; }

    /// <summary>True when the parameter was given.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>A text parameter, or null when an optional one was left out.</summary>
    public string? Text(string name) => _values.TryGetValue(name, out object? value) ? (string)value : null;

    /// <summary>A number parameter.</summary>
    public double Number(string name) => _values.TryGetValue(name, out object? value) ? (double)value : double.NaN;

    /// <summary>A switch parameter.</summary>
    public bool Switch(string name) => _values.TryGetValue(name, out object? value) && (bool)value;
}

/// <summary>
/// A command of the control surface: an OSC address under <c>/stage/</c>, its parameters, and what it
/// does. Commands with no required parameter are <b>buttons</b>: a control surface that sends 1 on
/// press and 0 on release (TouchOSC) triggers them once, on press.
/// </summary>
public sealed record ControlCommand
{
    /// <summary>The OSC address, e.g. "/stage/take/start".</summary>
    public required string Address { get; init; }

    /// <summary>One line saying what it does.</summary>
    public required string Description { get; init; }

    /// <summary>Parameters in order.</summary>
    public IReadOnlyList<ControlParameter> Parameters { get; init; } = [];

    /// <summary>Carries the command out; may be called from several threads at once (see <see cref="EngineCommandQueue"/>).</summary>
    public required Func<ControlCall, ControlReply> Handler { get; init; }

    /// <summary>True when no parameter is required, so a press value alone may trigger it.</summary>
    public bool IsButton => Parameters.All(p => p.Optional);

    /// <summary>"/stage/take/start [slate]".</summary>
    public string Signature => Parameters.Count == 0 ? Address : $"{Address} {string.Join(' ', Parameters)}";

    internal static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
