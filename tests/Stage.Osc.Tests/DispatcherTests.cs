using Stage.Osc;

namespace Stage.Osc.Tests;

/// <summary>Routing decoded messages to handlers by address and pattern.</summary>
public class DispatcherTests
{
    private static byte[] Message(string address, params OscValue[] values) => new OscMessageData(address, values).ToArray();

    [Fact]
    public void Wildcard_message_reaches_every_matching_method_in_registration_order()
    {
        var dispatcher = new OscDispatcher();
        var calls = new List<string>();
        foreach (var address in new[] { "/second/1", "/second/2", "/second/3", "/third/a" })
            dispatcher.Register(address, (OscMessage m, in OscMessageContext c) => calls.Add(address));
        Assert.True(dispatcher.TryDispatch(Message("/second/[1-2]"), OscReceiveInfo.LocalNow, out _));
        Assert.Equal(["/second/1", "/second/2"], calls);
    }

    [Fact]
    public void Pattern_registration_matches_literal_incoming_addresses()
    {
        var dispatcher = new OscDispatcher();
        var cameras = new List<(string, float)>();
        dispatcher.Register("/camera/*/pose", (OscMessage m, in OscMessageContext c) =>
        {
            Assert.True(m.TryGetNumber(0, out float x));
            cameras.Add((m.GetAddress(), x));
        });
        dispatcher.TryDispatch(Message("/camera/A/pose", OscValue.FromFloat32(1.5f)), OscReceiveInfo.LocalNow, out _);
        dispatcher.TryDispatch(Message("/camera/B/pose", OscValue.FromInt32(2)), OscReceiveInfo.LocalNow, out _);
        dispatcher.TryDispatch(Message("/camera/B/lens", OscValue.FromInt32(3)), OscReceiveInfo.LocalNow, out _);
        Assert.Equal([("/camera/A/pose", 1.5f), ("/camera/B/pose", 2f)], cameras);
        Assert.Equal(1, dispatcher.UnmatchedMessageCount);
    }

    [Fact]
    public void Bundle_messages_are_dispatched_in_order_with_the_bundle_time_tag()
    {
        var dispatcher = new OscDispatcher();
        var seen = new List<(string, ulong, int)>();
        dispatcher.Register("//x", (OscMessage m, in OscMessageContext c) => seen.Add((m.GetAddress(), c.TimeTag.Raw, c.BundleDepth)));
        var bundle = new OscBundleData(new OscTimeTag(42),
            new OscMessageData("/a/x"),
            new OscBundleData(new OscTimeTag(43), new OscMessageData("/b/x")),
            new OscMessageData("/c/x"));
        Assert.True(dispatcher.TryDispatch(bundle.ToArray(), OscReceiveInfo.LocalNow, out _));
        Assert.Equal([("/a/x", 42UL, 1), ("/b/x", 43UL, 2), ("/c/x", 42UL, 1)], seen);
    }

    [Fact]
    public void Bare_message_gets_the_immediate_time_tag()
    {
        var dispatcher = new OscDispatcher();
        OscTimeTag seen = default;
        dispatcher.Register("/a", (OscMessage m, in OscMessageContext c) => seen = c.TimeTag);
        dispatcher.TryDispatch(Message("/a"), OscReceiveInfo.LocalNow, out _);
        Assert.True(seen.IsImmediately);
    }

    [Fact]
    public void A_throwing_handler_is_counted_and_does_not_stop_the_others()
    {
        var dispatcher = new OscDispatcher();
        var reached = false;
        dispatcher.Register("/a", (OscMessage m, in OscMessageContext c) => throw new InvalidOperationException("handler bug"));
        dispatcher.Register("/a", (OscMessage m, in OscMessageContext c) => reached = true);
        dispatcher.TryDispatch(Message("/a"), OscReceiveInfo.LocalNow, out _);
        Assert.True(reached);
        Assert.Equal(1, dispatcher.HandlerExceptionCount);
        Assert.Equal("handler bug", dispatcher.LastHandlerException?.Message);
    }

    [Fact]
    public void Disposing_a_registration_removes_the_route()
    {
        var dispatcher = new OscDispatcher();
        var count = 0;
        var registration = dispatcher.Register("/a", (OscMessage m, in OscMessageContext c) => count++);
        dispatcher.TryDispatch(Message("/a"), OscReceiveInfo.LocalNow, out _);
        registration.Dispose();
        dispatcher.TryDispatch(Message("/a"), OscReceiveInfo.LocalNow, out _);
        Assert.Equal(1, count);
    }

    [Fact]
    public void Unmatched_handler_sees_unknown_addresses()
    {
        var dispatcher = new OscDispatcher();
        string? unmatched = null;
        dispatcher.Unmatched = (OscMessage m, in OscMessageContext c) => unmatched = m.GetAddress();
        dispatcher.Register("/known", (OscMessage m, in OscMessageContext c) => { });
        dispatcher.TryDispatch(Message("/unknown"), OscReceiveInfo.LocalNow, out _);
        Assert.Equal("/unknown", unmatched);
    }

    [Fact]
    public void Malformed_bytes_are_reported_not_dispatched()
    {
        var dispatcher = new OscDispatcher();
        Assert.False(dispatcher.TryDispatch("/a\0\0,x\0\0"u8, OscReceiveInfo.LocalNow, out var error));
        Assert.Equal(new OscError(OscErrorKind.UnknownTypeTag, 5), error);
    }
}
