using System.Text;

namespace Stage.Osc;

/// <summary>Handles one message routed by an <see cref="OscDispatcher"/>.</summary>
/// <param name="message">The message (a view, valid only during the call).</param>
/// <param name="context">Time tag of the enclosing bundle and where the packet came from.</param>
public delegate void OscMessageHandler(OscMessage message, in OscMessageContext context);

/// <summary>Everything a handler may want to know besides the message itself.</summary>
public readonly struct OscMessageContext
{
    /// <summary>Creates a context.</summary>
    public OscMessageContext(OscTimeTag timeTag, int bundleDepth, in OscReceiveInfo receiveInfo)
    {
        TimeTag = timeTag;
        BundleDepth = bundleDepth;
        ReceiveInfo = receiveInfo;
    }

    /// <summary>Time tag of the innermost enclosing bundle; <see cref="OscTimeTag.Immediately"/> for a bare message.</summary>
    public OscTimeTag TimeTag { get; }

    /// <summary>0 for a bare message, 1 inside a bundle, 2 inside a nested bundle, and so on.</summary>
    public int BundleDepth { get; }

    /// <summary>Transport, monotonic receive time and sender.</summary>
    public OscReceiveInfo ReceiveInfo { get; }
}

/// <summary>
/// Routes messages to handlers by address. A message's address pattern is matched against each
/// registered address (OSC semantics: the sender's pattern may use wildcards). A registration may
/// itself be a pattern, e.g. "/camera/*/pose"; it is then matched against the incoming address.
/// Handlers run in registration order; a bundle's messages are dispatched in order, depth first.
/// </summary>
/// <remarks>
/// Time tags are not waited for: every message is dispatched as soon as it arrives and the handler
/// sees the bundle's time tag in its context (a stage wants the freshest pose now, not later).
/// Registration is thread-safe; dispatch reads an immutable snapshot and allocates nothing.
/// A handler that throws is counted (<see cref="HandlerExceptionCount"/>) and does not stop dispatch.
/// </remarks>
public sealed class OscDispatcher
{
    private sealed record Route(byte[] AddressUtf8, bool IsPattern, OscMessageHandler Handler);

    private readonly Lock _gate = new();
    private Route[] _routes = [];
    private long _unmatchedCount;
    private long _handlerExceptionCount;

    /// <summary>Called for messages no route matched (optional).</summary>
    public OscMessageHandler? Unmatched { get; set; }

    /// <summary>Messages that matched no route since creation.</summary>
    public long UnmatchedMessageCount => Interlocked.Read(ref _unmatchedCount);

    /// <summary>Handler calls that threw since creation.</summary>
    public long HandlerExceptionCount => Interlocked.Read(ref _handlerExceptionCount);

    /// <summary>The most recent exception thrown by a handler, for diagnostics.</summary>
    public Exception? LastHandlerException { get; private set; }

    /// <summary>Registers <paramref name="handler"/> for <paramref name="address"/> (an address or a pattern).</summary>
    /// <returns>A registration; dispose it to remove the route.</returns>
    public IDisposable Register(string address, OscMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(handler);
        if (!address.StartsWith('/')) throw new ArgumentException("OSC address must begin with '/'", nameof(address));
        var bytes = Encoding.UTF8.GetBytes(address);
        var route = new Route(bytes, OscAddressPattern.HasWildcards(bytes), handler);
        lock (_gate) _routes = [.. _routes, route];
        return new Registration(this, route);
    }

    private void Remove(Route route)
    {
        lock (_gate) _routes = Array.FindAll(_routes, r => !ReferenceEquals(r, route));
    }

    /// <summary>Decodes <paramref name="packet"/> and dispatches it; malformed input returns false and the error.</summary>
    public bool TryDispatch(ReadOnlySpan<byte> packet, in OscReceiveInfo receiveInfo, out OscError error)
    {
        if (!OscPacket.TryDecode(packet, out var decoded, out error)) return false;
        Dispatch(decoded, receiveInfo);
        return true;
    }

    /// <summary>Dispatches a decoded packet; returns how many handler calls were made.</summary>
    public int Dispatch(OscPacket packet, in OscReceiveInfo receiveInfo) =>
        Dispatch(packet, OscTimeTag.Immediately, 0, receiveInfo);

    private int Dispatch(OscPacket packet, OscTimeTag timeTag, int depth, in OscReceiveInfo receiveInfo)
    {
        if (packet.IsMessage) return DispatchMessage(packet.Message, new OscMessageContext(timeTag, depth, receiveInfo));
        var bundle = packet.Bundle;
        var calls = 0;
        foreach (var element in bundle) calls += Dispatch(element, bundle.TimeTag, depth + 1, receiveInfo);
        return calls;
    }

    /// <summary>Dispatches one message; returns how many handlers it reached.</summary>
    public int DispatchMessage(OscMessage message, in OscMessageContext context)
    {
        var routes = Volatile.Read(ref _routes);
        var address = message.AddressUtf8;
        var calls = 0;
        foreach (var route in routes)
        {
            var match = route.IsPattern
                ? OscAddressPattern.IsMatch(route.AddressUtf8, address)
                : OscAddressPattern.IsMatch(address, route.AddressUtf8);
            if (!match) continue;
            calls++;
            Invoke(route.Handler, message, context);
        }
        if (calls == 0)
        {
            Interlocked.Increment(ref _unmatchedCount);
            if (Unmatched is { } unmatched) Invoke(unmatched, message, context);
        }
        return calls;
    }

    private void Invoke(OscMessageHandler handler, OscMessage message, in OscMessageContext context)
    {
        try
        {
            handler(message, context);
        }
        catch (Exception exception)
        {
            // A handler's bug must not stop the receive loop or the other handlers.
            LastHandlerException = exception;
            Interlocked.Increment(ref _handlerExceptionCount);
        }
    }

    private sealed class Registration(OscDispatcher owner, Route route) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Remove(route);
        }
    }
}
