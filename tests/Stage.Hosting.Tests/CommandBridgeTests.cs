using Microsoft.Extensions.Logging;
using Stage.Engine.Control;
using Stage.Hosting.Operator;
using Stage.Osc;

namespace Stage.Hosting.Tests;

public sealed class CommandBridgeTests
{
    private static OscMessageData Parse(string json)
    {
        Assert.True(CommandBridge.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out OscMessageData? message, out string error), error);
        return message!;
    }

    private static string Fault(string json)
    {
        Assert.False(CommandBridge.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out _, out string error));
        return error;
    }

    [Fact]
    public void A_body_becomes_the_message_a_control_surface_would_send()
    {
        OscMessageData start = Parse("""{"address": "/stage/take/start", "args": ["12A"]}""");
        Assert.Equal("/stage/take/start", start.Address);
        Assert.Equal(OscValue.FromString("12A"), Assert.Single(start.Arguments));

        OscMessageData rule = Parse("""{"address": "/stage/world/rule", "args": ["gravityScale", 0.5]}""");
        Assert.Equal(OscValue.FromFloat64(0.5), rule.Arguments[1]);
        OscMessageData key = Parse("""{"address": "/stage/camera/chromakey", "args": ["A", 1]}""");
        Assert.Equal(OscValue.FromInt32(1), key.Arguments[1]);
        Assert.Equal(OscValue.True, Parse("""{"address": "/stage/camera/markers", "args": ["A", true]}""").Arguments[1]);
        Assert.Empty(Parse("""{"address": "/stage/take/stop"}""").Arguments);
    }

    [Fact]
    public void Malformed_bodies_are_refused_naming_the_fault()
    {
        Assert.Contains("it is not JSON", Fault("""{"address": """));
        Assert.Contains("\"address\" is missing", Fault("""{"args": []}"""));
        Assert.Contains("\"address\" is missing or not a string", Fault("""{"address": 5}"""));
        Assert.Contains("'/osc/other' is not an address under /stage/", Fault("""{"address": "/osc/other"}"""));
        Assert.Contains("\"args\" must be an array", Fault("""{"address": "/stage/ping", "args": "x"}"""));
        Assert.Contains("args[1] is object", Fault("""{"address": "/stage/ping", "args": [1, {}]}"""));
        Assert.Contains("\"verb\" is not a field", Fault("""{"address": "/stage/ping", "verb": "post"}"""));
        Assert.Contains("it is not JSON", Fault("[1, 2"));
        Assert.Contains("\"address\" is missing", Fault("[1, 2]"));
    }

    [Fact]
    public void Commands_run_through_the_registry_and_each_reply_is_logged_with_its_sender()
    {
        var registry = new CommandRegistry();
        var log = new ListLogger();
        var bridge = new CommandBridge(registry, log);
        (string address, ControlReply reply) = Assert.Single(bridge.Run(new OscMessageData("/stage/ping"), "web 10.0.0.7:51234"));
        Assert.Equal("/stage/ping", address);
        Assert.Equal(ControlReply.Success("pong"), reply);
        ControlReply unknown = Assert.Single(bridge.Run(new OscMessageData("/stage/nothing"), "web 10.0.0.7:51234")).Reply;
        Assert.False(unknown.Ok);
        Assert.Contains("unknown command /stage/nothing", unknown.Text);
        Assert.Equal(["Information Control /stage/ping from web 10.0.0.7:51234: ok pong",
                      "Warning Control /stage/nothing from web 10.0.0.7:51234: error unknown command /stage/nothing; send /stage/help for the list"], log.Lines);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{logLevel} {formatter(state, exception)}");
    }
}
