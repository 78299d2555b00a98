using Stage.Engine.Control;
using Stage.Osc;

namespace Stage.Engine.Tests.Control;

public class CommandRegistryTests
{
    private readonly CommandRegistry _registry = new();
    private readonly List<string> _calls = [];

    public CommandRegistryTests()
    {
        _registry.Register(new ControlCommand
        {
            Address = "/stage/take/start",
            Description = "Start a take.",
            Parameters = [new ControlParameter("slate", ControlParameterKind.Text, Optional: true)],
            Handler = call => { _calls.Add($"start {call.Text("slate") ?? "-"}"); return ControlReply.Success("take 1"); },
        });
        _registry.Register(new ControlCommand
        {
            Address = "/stage/take/stop",
            Description = "Stop the take.",
            Handler = _ => { _calls.Add("stop"); return ControlReply.Success(); },
        });
        _registry.Register(new ControlCommand
        {
            Address = "/stage/camera/chromakey",
            Description = "Chroma key on or off.",
            Parameters = [new ControlParameter("camera", ControlParameterKind.Text), new ControlParameter("on", ControlParameterKind.Switch)],
            Handler = call => { _calls.Add($"key {call.Text("camera")} {call.Switch("on")}"); return ControlReply.Success(); },
        });
        _registry.Register(new ControlCommand
        {
            Address = "/stage/world/rule",
            Description = "Set a world rule.",
            Parameters = [new ControlParameter("name", ControlParameterKind.Text), new ControlParameter("value", ControlParameterKind.Number)],
            Handler = call => call.Number("value") < 0 ? throw new InvalidOperationException("negative gravity scale") : ControlReply.Success(ControlCommand.Format(call.Number("value"))),
        });
    }

    private IReadOnlyList<(string Address, ControlReply Reply)> Send(string address, params OscValue[] args) =>
        _registry.Execute(new OscMessageData(address, args), "test");

    [Fact]
    public void A_command_runs_and_answers_ok()
    {
        var reply = Assert.Single(Send("/stage/take/start", OscValue.FromString("12A")));
        Assert.Equal(("/stage/take/start", true, "take 1"), (reply.Address, reply.Reply.Ok, reply.Reply.Text));
        Assert.Equal(["start 12A"], _calls);
    }

    [Fact]
    public void Unknown_addresses_get_an_error_never_silence()
    {
        var reply = Assert.Single(Send("/stage/take/begin"));
        Assert.False(reply.Reply.Ok);
        Assert.Contains("unknown command /stage/take/begin", reply.Reply.Text);
    }

    [Fact]
    public void Wrong_arguments_get_an_error_naming_the_signature()
    {
        var reply = Assert.Single(Send("/stage/camera/chromakey", OscValue.FromString("A"), OscValue.FromInt32(7)));
        Assert.False(reply.Reply.Ok);
        Assert.Contains("on must be 0 or 1", reply.Reply.Text);
        Assert.Contains("/stage/camera/chromakey camera on:switch", reply.Reply.Text);
        Assert.Contains("missing camera", Assert.Single(Send("/stage/camera/chromakey")).Reply.Text);
        Assert.Contains("3 arguments given", Assert.Single(Send("/stage/take/stop", OscValue.FromInt32(1), OscValue.FromInt32(1), OscValue.FromInt32(1))).Reply.Text);
        Assert.Empty(_calls);
    }

    [Fact]
    public void Ints_and_floats_are_interchangeable_for_numbers_and_switches()
    {
        Assert.True(Assert.Single(Send("/stage/world/rule", OscValue.FromString("gravityScale"), OscValue.FromInt32(2))).Reply.Ok);
        Assert.Equal("0.5", Assert.Single(Send("/stage/world/rule", OscValue.FromString("gravityScale"), OscValue.FromFloat32(0.5f))).Reply.Text);
        Send("/stage/camera/chromakey", OscValue.FromString("A"), OscValue.FromFloat32(1f));
        Send("/stage/camera/chromakey", OscValue.FromString("B"), OscValue.FromString("off"));
        Assert.Equal(["key A True", "key B False"], _calls);
    }

    [Fact]
    public void Buttons_act_on_press_and_ignore_release()
    {
        Assert.True(Assert.Single(Send("/stage/take/stop", OscValue.FromFloat32(1f))).Reply.Ok);
        var release = Assert.Single(Send("/stage/take/stop", OscValue.FromFloat32(0f)));
        Assert.True(release.Reply.Ok);
        Assert.Contains("release ignored", release.Reply.Text);
        Send("/stage/take/start", OscValue.FromInt32(1));
        Assert.Equal(["stop", "start -"], _calls);
    }

    [Fact]
    public void A_pattern_reaches_every_matching_command_in_address_order()
    {
        var replies = Send("/stage/take/{start,stop}");
        Assert.Equal(["/stage/take/start", "/stage/take/stop"], replies.Select(r => r.Address));
        Assert.Equal(["start -", "stop"], _calls);
    }

    [Fact]
    public void A_failing_command_answers_error_and_the_next_still_runs()
    {
        var reply = Assert.Single(Send("/stage/world/rule", OscValue.FromString("gravityScale"), OscValue.FromInt32(-1)));
        Assert.False(reply.Reply.Ok);
        Assert.Contains("negative gravity scale", reply.Reply.Text);
        Assert.True(Assert.Single(Send("/stage/ping")).Reply.Ok);
    }

    [Fact]
    public void Help_lists_every_command()
    {
        string help = Assert.Single(Send("/stage/help")).Reply.Text;
        Assert.Contains("/stage/take/start [slate] — Start a take.", help);
        Assert.Contains("/stage/ping", help);
    }

    [Fact]
    public void Registration_refuses_bad_addresses_and_duplicates()
    {
        Assert.Throws<ArgumentException>(() => _registry.Register(new ControlCommand { Address = "/other/x", Description = "", Handler = _ => default }));
        Assert.Throws<ArgumentException>(() => _registry.Register(new ControlCommand { Address = "/stage/take/*", Description = "", Handler = _ => default }));
        Assert.Throws<ArgumentException>(() => _registry.Register(new ControlCommand { Address = "/stage/take/stop", Description = "", Handler = _ => default }));
    }
}
