using System.Net;
using System.Net.Sockets;

namespace Stage.Osc;

/// <summary>Which transport a packet arrived on.</summary>
public enum OscTransport
{
    /// <summary>A UDP datagram.</summary>
    Udp,
    /// <summary>A frame of a TCP stream (SLIP or length-prefixed).</summary>
    Tcp,
    /// <summary>Bytes handed to a dispatcher directly (tests, files, replays).</summary>
    Local,
}

/// <summary>
/// Where and when a packet was received. A value type passed by reference to callbacks, so
/// receiving allocates nothing; the sender's endpoint is only materialised when asked for.
/// </summary>
public readonly struct OscReceiveInfo
{
    private readonly SocketAddress? _remoteAddress;

    /// <summary>Creates receive information.</summary>
    public OscReceiveInfo(OscTransport transport, long receiveTimestampTicks, SocketAddress? remoteAddress, OscTcpConnection? connection)
    {
        Transport = transport;
        ReceiveTimestampTicks = receiveTimestampTicks;
        _remoteAddress = remoteAddress;
        Connection = connection;
    }

    /// <summary>Information for bytes handed over locally, stamped now.</summary>
    public static OscReceiveInfo LocalNow => new(OscTransport.Local, System.Diagnostics.Stopwatch.GetTimestamp(), null, null);

    /// <summary>The transport the packet came on.</summary>
    public OscTransport Transport { get; }

    /// <summary>
    /// Monotonic receive time in <see cref="System.Diagnostics.Stopwatch"/> ticks, taken right after
    /// the socket returned the datagram (or the stream frame was completed).
    /// </summary>
    public long ReceiveTimestampTicks { get; }

    /// <summary>The TCP connection the frame came on; null for UDP.</summary>
    public OscTcpConnection? Connection { get; }

    /// <summary>
    /// The sender's socket address (UDP: reused by the receiver, valid only during the callback;
    /// TCP: the peer). Null for local input.
    /// </summary>
    public SocketAddress? RemoteAddress => _remoteAddress ?? Connection?.RemoteAddress;

    /// <summary>The sender as an IP endpoint (allocates a new object on each call).</summary>
    public IPEndPoint? GetRemoteEndPoint()
    {
        var address = RemoteAddress;
        if (address is null) return null;
        return (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(address);
    }
}
