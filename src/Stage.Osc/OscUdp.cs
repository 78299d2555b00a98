using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stage.Osc;

/// <summary>Receives one decoded packet (a view, valid only during the call).</summary>
public delegate void OscPacketHandler(OscPacket packet, in OscReceiveInfo receiveInfo);

/// <summary>Receives a packet that failed to decode, with the error.</summary>
public delegate void OscMalformedPacketHandler(ReadOnlySpan<byte> bytes, OscError error, in OscReceiveInfo receiveInfo);

/// <summary>Settings for <see cref="OscUdpReceiver"/>.</summary>
public sealed class OscUdpReceiverOptions
{
    /// <summary>Local IPv4 address to bind; <see cref="IPAddress.Any"/> by default.</summary>
    public IPAddress LocalAddress { get; init; } = IPAddress.Any;

    /// <summary>UDP port; 0 picks a free one (see <see cref="OscUdpReceiver.LocalPort"/>).</summary>
    public int Port { get; init; }

    /// <summary>An IPv4 multicast group to join (e.g. 239.1.2.3); null for unicast only.</summary>
    public IPAddress? MulticastGroup { get; init; }

    /// <summary>Local interface address for the multicast membership; <see cref="IPAddress.Any"/> lets the OS choose.</summary>
    public IPAddress MulticastInterface { get; init; } = IPAddress.Any;

    /// <summary>Who listens, as an error names it ("control surface", "osc dump").</summary>
    public string Owner { get; init; } = "OSC receiver";

    /// <summary>Kernel receive buffer size in bytes (large enough to absorb bursts of poses).</summary>
    public int ReceiveBufferBytes { get; init; } = 1 << 20;

    /// <summary>Allow other sockets to bind the same port (needed when several listeners share a multicast group).</summary>
    public bool ReuseAddress { get; init; }
}

/// <summary>
/// Receives OSC over UDP (IPv4, unicast or multicast) on its own thread. Each datagram is stamped
/// with a monotonic receive time (Stopwatch ticks) as soon as the socket returns it, decoded without
/// allocation and handed to the callback. Malformed datagrams are counted and reported; neither they
/// nor an exception in a callback ever stop the loop.
/// </summary>
public sealed class OscUdpReceiver : IDisposable
{
    private readonly Socket _socket;
    private readonly OscPacketHandler _handler;
    private readonly OscMalformedPacketHandler? _malformed;
    private readonly Lock _errorGate = new();
    private Thread? _thread;
    private volatile bool _disposed;
    private long _packetCount;
    private long _malformedCount;
    private long _handlerExceptionCount;
    private long _socketErrorCount;
    private OscError _lastError;

    /// <summary>Binds the socket (and joins the multicast group); call <see cref="Start"/> to begin receiving.</summary>
    /// <exception cref="SocketSetupException">The port cannot be bound or the group joined (the message says why and what to do).</exception>
    public OscUdpReceiver(OscUdpReceiverOptions options, OscPacketHandler handler, OscMalformedPacketHandler? malformed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
        _malformed = malformed;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.ReceiveBufferSize = options.ReceiveBufferBytes;
            if (options.ReuseAddress || options.MulticastGroup is not null)
                _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            SocketSetup.Bind(_socket, new IPEndPoint(options.MulticastGroup is null ? options.LocalAddress : IPAddress.Any, options.Port), options.Owner);
            if (options.MulticastGroup is { } group)
                SocketSetup.JoinGroup(_socket, group, options.MulticastInterface, options.Port, options.Owner);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        LocalPort = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    /// <summary>Receives on <paramref name="port"/> of every local IPv4 address.</summary>
    public OscUdpReceiver(int port, OscPacketHandler handler, OscMalformedPacketHandler? malformed = null)
        : this(new OscUdpReceiverOptions { Port = port }, handler, malformed)
    {
    }

    /// <summary>A receiver that feeds every packet to <paramref name="dispatcher"/>.</summary>
    public static OscUdpReceiver ForDispatcher(OscUdpReceiverOptions options, OscDispatcher dispatcher, OscMalformedPacketHandler? malformed = null)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        return new OscUdpReceiver(options, (OscPacket packet, in OscReceiveInfo info) => dispatcher.Dispatch(packet, info), malformed);
    }

    /// <summary>The bound UDP port.</summary>
    public int LocalPort { get; }

    /// <summary>Datagrams received (well formed or not).</summary>
    public long PacketCount => Interlocked.Read(ref _packetCount);

    /// <summary>Datagrams that failed to decode.</summary>
    public long MalformedPacketCount => Interlocked.Read(ref _malformedCount);

    /// <summary>Callbacks that threw (the exception is swallowed so receiving goes on).</summary>
    public long HandlerExceptionCount => Interlocked.Read(ref _handlerExceptionCount);

    /// <summary>Socket errors other than shutdown (e.g. ICMP port unreachable echoes); receiving goes on.</summary>
    public long SocketErrorCount => Interlocked.Read(ref _socketErrorCount);

    /// <summary>The error of the most recent malformed datagram; <see cref="OscError.None"/> if none yet.</summary>
    public OscError LastError
    {
        get { lock (_errorGate) return _lastError; }
    }

    /// <summary>The most recent exception thrown by a callback.</summary>
    public Exception? LastHandlerException { get; private set; }

    /// <summary>
    /// Sends <paramref name="packet"/> from this receiver's own socket (its bound port) to <paramref name="remote"/>:
    /// how a server replies to the sender of a datagram. Never throws for network errors; returns false instead.
    /// </summary>
    public bool SendTo(ReadOnlySpan<byte> packet, SocketAddress remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        try
        {
            _socket.SendTo(packet, SocketFlags.None, remote);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Interlocked.Increment(ref _socketErrorCount);
            return false;
        }
    }

    /// <summary>Starts the receive thread (once).</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_thread is not null) throw new InvalidOperationException("receiver already started");
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = $"OSC UDP :{LocalPort}" };
        _thread.Start();
    }

    private void ReceiveLoop()
    {
        var buffer = new byte[65536];
        var remote = new SocketAddress(AddressFamily.InterNetwork);
        while (!_disposed)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, SocketFlags.None, remote);
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                if (_disposed) break;
                Interlocked.Increment(ref _socketErrorCount);
                continue;
            }
            var receivedTicks = Stopwatch.GetTimestamp();
            Process(buffer.AsSpan(0, length), new OscReceiveInfo(OscTransport.Udp, receivedTicks, remote, null));
        }
    }

    private void Process(ReadOnlySpan<byte> datagram, in OscReceiveInfo info)
    {
        Interlocked.Increment(ref _packetCount);
        try
        {
            if (OscPacket.TryDecode(datagram, out var packet, out var error))
            {
                _handler(packet, info);
                return;
            }
            Interlocked.Increment(ref _malformedCount);
            lock (_errorGate) _lastError = error;
            _malformed?.Invoke(datagram, error, info);
        }
        catch (Exception exception)
        {
            LastHandlerException = exception;
            Interlocked.Increment(ref _handlerExceptionCount);
        }
    }

    /// <summary>Closes the socket and waits for the receive thread to end. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _socket.Dispose();
        if (_thread is not null && _thread != Thread.CurrentThread) _thread.Join(TimeSpan.FromSeconds(5));
    }
}

/// <summary>Settings for <see cref="OscUdpSender"/>.</summary>
public sealed class OscUdpSenderOptions
{
    /// <summary>Hops a multicast datagram may travel (IP TTL); 1 keeps it on the local network.</summary>
    public int MulticastTimeToLive { get; init; } = 1;

    /// <summary>Whether multicast datagrams are also delivered to listeners on this host.</summary>
    public bool MulticastLoopback { get; init; } = true;

    /// <summary>Local interface address multicast leaves from; null lets the OS choose.</summary>
    public IPAddress? MulticastInterface { get; init; }

    /// <summary>Allow sending to a broadcast address.</summary>
    public bool EnableBroadcast { get; init; }
}

/// <summary>
/// Sends OSC packets over UDP (IPv4 unicast, multicast or broadcast) to one destination.
/// <see cref="Send(ReadOnlySpan{byte})"/> sends bytes the caller encoded (with <see cref="OscWriter"/>
/// into its own span) and allocates nothing; the managed overloads encode into a buffer the sender
/// owns. Thread-safe.
/// </summary>
public sealed class OscUdpSender : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[OscLimits.MaxUdpPacketBytes];
    private readonly Lock _gate = new();
    private long _sentCount;
    private bool _disposed;

    /// <summary>Creates a sender to <paramref name="destination"/>.</summary>
    public OscUdpSender(IPEndPoint destination, OscUdpSenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.AddressFamily != AddressFamily.InterNetwork) throw new ArgumentException("Stage.Osc speaks IPv4", nameof(destination));
        options ??= new OscUdpSenderOptions();
        Destination = destination;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (options.EnableBroadcast) _socket.EnableBroadcast = true;
            var bytes = destination.Address.GetAddressBytes();
            if (bytes[0] is >= 224 and <= 239)
            {
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, options.MulticastTimeToLive);
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, options.MulticastLoopback);
                if (options.MulticastInterface is { } local)
                    _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, local.GetAddressBytes());
            }
            _socket.Connect(destination);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Creates a sender to <paramref name="host"/>:<paramref name="port"/> (resolved once, IPv4).</summary>
    public OscUdpSender(string host, int port, OscUdpSenderOptions? options = null)
        : this(new IPEndPoint(ResolveIPv4(host), port), options)
    {
    }

    /// <summary>Where datagrams go.</summary>
    public IPEndPoint Destination { get; }

    /// <summary>Local port datagrams leave from (a reply's destination).</summary>
    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Datagrams sent.</summary>
    public long SentPacketCount => Interlocked.Read(ref _sentCount);

    /// <summary>Sends one encoded packet as one datagram (no allocation).</summary>
    public void Send(ReadOnlySpan<byte> packet)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _socket.Send(packet, SocketFlags.None);
        Interlocked.Increment(ref _sentCount);
    }

    /// <summary>Encodes and sends a managed packet.</summary>
    public void Send(OscPacketData packet)
    {
        lock (_gate)
        {
            var length = OscEncoder.Encode(packet, _buffer);
            Send(_buffer.AsSpan(0, length));
        }
    }

    /// <summary>Sends a message of float32 arguments (e.g. a pose) without allocating.</summary>
    public void SendMessage(ReadOnlySpan<char> address, ReadOnlySpan<float> values)
    {
        lock (_gate)
        {
            var writer = new OscWriter(_buffer);
            writer.WriteMessage(address, values);
            Send(writer.WrittenSpan);
        }
    }

    /// <summary>Closes the socket. Idempotent.</summary>
    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
    }

    internal static IPAddress ResolveIPv4(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (IPAddress.TryParse(host, out var address)) return address;
        foreach (var candidate in Dns.GetHostAddresses(host))
        {
            if (candidate.AddressFamily == AddressFamily.InterNetwork) return candidate;
        }
        throw new ArgumentException($"no IPv4 address for host '{host}'", nameof(host));
    }
}
