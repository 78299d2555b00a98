using System.Text;
using Stage.Osc;

namespace Stage.Engine.Control;

/// <summary>
/// The commands the control surface knows, filled by the engine. Incoming OSC addresses are matched
/// as OSC patterns against the registered addresses (so "/stage/take/*" reaches every take command),
/// and every call gets a reply: unknown addresses and wrong arguments get an error naming what was
/// expected. Handlers may be called from several receive threads at once: the engine's own commands
/// hand their work to the engine thread (<see cref="EngineCommandQueue"/>), which runs them one at a time.
/// </summary>
public sealed class CommandRegistry
{
    private readonly List<ControlCommand> _commands = [];
    private readonly Lock _gate = new();

    /// <summary>Creates a registry with the built-in <c>/stage/ping</c> and <c>/stage/help</c>.</summary>
    public CommandRegistry()
    {
        Register(new ControlCommand
        {
            Address = "/stage/ping",
            Description = "Answers ok pong: checks that Stage hears you and can reply.",
            Handler = _ => ControlReply.Success("pong"),
        });
        Register(new ControlCommand
        {
            Address = "/stage/help",
            Description = "Lists every command with its parameters.",
            Handler = _ => ControlReply.Success(string.Join("\n", Commands.Select(c => $"{c.Signature} — {c.Description}"))),
        });
    }

    /// <summary>The commands, in address order.</summary>
    public IReadOnlyList<ControlCommand> Commands
    {
        get { lock (_gate) return _commands.OrderBy(c => c.Address, StringComparer.Ordinal).ToList(); }
    }

    /// <summary>Adds a command.</summary>
    /// <exception cref="ArgumentException">The address is not a plain OSC address under /stage/, or is taken.</exception>
    public void Register(ControlCommand command)
    {
        if (!command.Address.StartsWith("/stage/", StringComparison.Ordinal) || command.Address.IndexOfAny(['*', '?', '[', ']', '{', '}', ' ', '#', ',']) >= 0)
            throw new ArgumentException($"'{command.Address}' is not a plain OSC address under /stage/", nameof(command));
        bool optionalSeen = false;
        foreach (ControlParameter p in command.Parameters)
        {
            if (optionalSeen && !p.Optional) throw new ArgumentException($"{command.Address}: required parameter '{p.Name}' follows an optional one", nameof(command));
            optionalSeen |= p.Optional;
        }
        lock (_gate)
        {
            if (_commands.Any(c => c.Address == command.Address)) throw new ArgumentException($"{command.Address} is already registered", nameof(command));
            _commands.Add(command);
        }
    }

    /// <summary>
    /// Runs what an incoming message asks for and returns one reply per command it reached (one error
    /// reply when it reached none). <paramref name="sender"/> says who sent it, for the log.
    /// </summary>
    public IReadOnlyList<(string Address, ControlReply Reply)> Execute(OscMessageData message, string sender)
    {
        List<ControlCommand> matched;
        lock (_gate)
        {
            byte[] pattern = Encoding.UTF8.GetBytes(message.Address);
            matched = _commands.Where(c => OscAddressPattern.IsMatch(pattern, Encoding.UTF8.GetBytes(c.Address)))
                .OrderBy(c => c.Address, StringComparer.Ordinal).ToList();
        }
        if (matched.Count == 0)
            return [(message.Address, ControlReply.Failure($"unknown command {message.Address}; send /stage/help for the list"))];
        var replies = new List<(string, ControlReply)>(matched.Count);
        foreach (ControlCommand command in matched)
            replies.Add((command.Address, Run(command, message.Arguments, sender)));
        return replies;
    }

    private ControlReply Run(ControlCommand command, IReadOnlyList<OscValue> arguments, string sender)
    {
        // A button pressed on a control surface: one number (or T/F) and no required parameter.
        if (command.IsButton && arguments.Count == 1 && TryPress(arguments[0], out bool pressed) &&
            (command.Parameters.Count == 0 || command.Parameters[0].Kind != ControlParameterKind.Switch && command.Parameters[0].Kind != ControlParameterKind.Number))
        {
            if (!pressed) return ControlReply.Success("release ignored (buttons act on press)");
            arguments = [];
        }
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        string expected = $"expected {command.Signature}";
        if (arguments.Count > command.Parameters.Count)
            return ControlReply.Failure($"{arguments.Count} arguments given, {expected}");
        for (int i = 0; i < command.Parameters.Count; i++)
        {
            ControlParameter parameter = command.Parameters[i];
            if (i >= arguments.Count)
            {
                if (parameter.Optional) break;
                return ControlReply.Failure($"missing {parameter.Name}; {expected}");
            }
            if (!TryConvert(arguments[i], parameter.Kind, out object? value))
                return ControlReply.Failure($"{parameter.Name} must be {Describe(parameter.Kind)}, not {arguments[i]}; {expected}");
            values[parameter.Name] = value;
        }
        try
        {
            return command.Handler(new ControlCall(command.Address, sender, values));
        }
        catch (Exception e)
        {
            // A fault in one command must never take the control surface down during a shoot.
            return ControlReply.Failure($"{command.Address} failed: {e.Message}");
        }
    }

    private static bool TryPress(OscValue value, out bool pressed)
    {
        pressed = false;
        if (TryNumber(value, out double number)) { pressed = number != 0; return true; }
        if (value.TypeTag == OscTypeTag.True) { pressed = true; return true; }
        if (value.TypeTag == OscTypeTag.False) return true;
        return false;
    }

    private static bool TryConvert(OscValue value, ControlParameterKind kind, out object result)
    {
        result = null!;
        switch (kind)
        {
            case ControlParameterKind.Text when value.TypeTag is OscTypeTag.String or OscTypeTag.Symbol:
                result = value.String;
                return true;
            case ControlParameterKind.Number when TryNumber(value, out double number):
                result = number;
                return true;
            case ControlParameterKind.Switch:
                if (TryNumber(value, out double flag) && (flag == 0 || flag == 1)) { result = flag == 1; return true; }
                if (value.TypeTag == OscTypeTag.True || value.TypeTag == OscTypeTag.False) { result = value.TypeTag == OscTypeTag.True; return true; }
                if (value.TypeTag is OscTypeTag.String or OscTypeTag.Symbol && value.String is "on" or "off") { result = value.String == "on"; return true; }
                return false;
            default:
                return false;
        }
    }

    private static bool TryNumber(OscValue value, out double number)
    {
        number = value.TypeTag switch
        {
            OscTypeTag.Int32 => value.Int32,
            OscTypeTag.Float32 => value.Float32,
            OscTypeTag.Int64 => value.Int64,
            OscTypeTag.Float64 => value.Float64,
            _ => double.NaN,
        };
        return !double.IsNaN(number);
    }

    private static string Describe(ControlParameterKind kind) => kind switch
    {
        ControlParameterKind.Text => "a string",
        ControlParameterKind.Number => "a number",
        _ => "0 or 1 (or T/F, on/off)",
    };
}
