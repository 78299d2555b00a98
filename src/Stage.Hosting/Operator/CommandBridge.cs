using System.Text.Json;
using Microsoft.Extensions.Logging;
using Stage.Engine.Control;
using Stage.Osc;

namespace Stage.Hosting.Operator;

/// <summary>
/// The page's buttons reach the engine here, through the very <see cref="CommandRegistry"/> the OSC control
/// surface serves: a request body <c>{"address": "/stage/take/start", "args": ["12A"]}</c> becomes the OSC message
/// a control surface would send, runs with the same checks, reaches the engine thread through the same
/// <see cref="EngineCommandQueue"/>, and gets the same replies — each logged with who sent it, as the control
/// surface logs its own.
/// </summary>
public sealed class CommandBridge
{
    /// <summary>The largest request body read, bytes.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private readonly CommandRegistry _registry;
    private readonly ILogger _log;

    /// <summary>Runs commands of <paramref name="registry"/>, logging to <paramref name="log"/>.</summary>
    public CommandBridge(CommandRegistry registry, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(log);
        _registry = registry;
        _log = log;
    }

    /// <summary>
    /// Reads a request body into the message a control surface would send: false with the fault named in
    /// <paramref name="error"/> when it is not JSON of that shape.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out OscMessageData? message, out string error)
    {
        message = null;
        const string Shape = "the body must be JSON {\"address\": \"/stage/…\", \"args\": [strings, numbers or true/false]}";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            error = $"{Shape}; it is not JSON ({e.Message})";
            return false;
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("address", out JsonElement address) || address.ValueKind != JsonValueKind.String)
            {
                error = $"{Shape}; \"address\" is missing or not a string";
                return false;
            }
            string text = address.GetString()!;
            if (!text.StartsWith("/stage/", StringComparison.Ordinal) || text.Contains('\0', StringComparison.Ordinal))
            {
                error = $"{Shape}; '{text}' is not an address under /stage/";
                return false;
            }
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (property.Name is not ("address" or "args"))
                {
                    error = $"{Shape}; \"{property.Name}\" is not a field of a command";
                    return false;
                }
            }
            var arguments = new List<OscValue>();
            if (root.TryGetProperty("args", out JsonElement args))
            {
                if (args.ValueKind != JsonValueKind.Array)
                {
                    error = $"{Shape}; \"args\" must be an array";
                    return false;
                }
                int index = 0;
                foreach (JsonElement arg in args.EnumerateArray())
                {
                    if (!TryConvert(arg, out OscValue value))
                    {
                        error = $"{Shape}; args[{index}] is {arg.ValueKind.ToString().ToLowerInvariant()}";
                        return false;
                    }
                    arguments.Add(value);
                    index++;
                }
            }
            message = new OscMessageData(text, arguments);
            error = "";
            return true;
        }
    }

    /// <summary>Runs <paramref name="message"/> as sent by <paramref name="sender"/> ("web 10.0.0.7:51234") and logs each reply.</summary>
    public IReadOnlyList<(string Address, ControlReply Reply)> Run(OscMessageData message, string sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        IReadOnlyList<(string Address, ControlReply Reply)> replies = _registry.Execute(message, sender);
        foreach ((string address, ControlReply reply) in replies)
            _log.Log(reply.Ok ? LogLevel.Information : LogLevel.Warning, "Control {Address} from {Sender}: {Outcome} {Text}",
                address, sender, reply.Ok ? "ok" : "error", reply.Text);
        return replies;
    }

    private static bool TryConvert(JsonElement arg, out OscValue value)
    {
        switch (arg.ValueKind)
        {
            case JsonValueKind.String when !arg.GetString()!.Contains('\0', StringComparison.Ordinal):
                value = OscValue.FromString(arg.GetString()!);
                return true;
            case JsonValueKind.Number when arg.TryGetInt32(out int whole):
                value = OscValue.FromInt32(whole);
                return true;
            case JsonValueKind.Number:
                value = OscValue.FromFloat64(arg.GetDouble());
                return true;
            case JsonValueKind.True or JsonValueKind.False:
                value = OscValue.FromBoolean(arg.GetBoolean());
                return true;
            default:
                value = default;
                return false;
        }
    }
}
