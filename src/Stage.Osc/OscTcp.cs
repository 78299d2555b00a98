using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stage.Osc;

/// <summary>
/// One TCP connection carrying framed OSC packets in both directions: what <see cref="OscTcpServer"/>
/// hands out per client and what <see cref="OscTcpClient"/> wraps. Received packets are decoded on
/// the connection's own thread; malformed ones are counted and never stop the loop.
/// </summary>
public sealed class OscTcpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly OscFrameReader _reader;
    private readonly OscPacketHandler? _handler;
    private readonly OscMalformedPacketHandler? _malformed;
    private readonly OscFrameHandler _onFrame;
    private readonly OscFrameErrorHandler _onFrameError;
    private readonly OscStreamFraming _sendFraming;
    private readonly Lock _sendGate = new();
    private readonly Action<OscTcpConnection>? _closed;
    private Thread? _thread;
    private volatile bool _disposed;
    private long _packetCount;
    private long _malformedCount;
    private long _handlerExceptionCount;

    internal OscTcpConnection(Socket socket, OscStreamFraming framing, int maxFrameBytes, OscPacketHandler? handler, OscMalformedPacketHandler? malformed, Action<OscTcpConnection>? closed)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _reader = new OscFrameReader(framing, maxFrameBytes);
        _sendFraming = framing;
        _handler = handler;
        _malformed = malformed;
        _closed = closed;
        _onFrame = OnFrame;
        _onFrameError = OnFrameError;
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        RemoteEndPoint = remote;
        RemoteAddress = remote.Serialize();
    }

    /// <summary>The peer.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>The peer as a socket address.</summary>
    public SocketAddress RemoteAddress { get; }

    /// <summary>Framing of received data (decided by the first byte when the server is set to Auto).</summary>
    public OscStreamFraming ReceiveFraming => _reader.Framing;

    /// <summary>Packets received (well formed or not).</summary>
    public long PacketCount => Interlocked.Read(ref _packetCount);

    /// <summary>Frames that failed to decode or to deframe.</summary>
    public long MalformedPacketCount => Interlocked.Read(ref _malformedCount);

    /// <summary>Callbacks that threw.</summary>
    public long HandlerExceptionCount => Interlocked.Read(ref _handlerExceptionCount);

    /// <summary>True once the peer closed, the stream broke, or <see cref="Dispose"/> was called.</summary>
    public bool IsClosed => _disposed;

    internal void Start()
    {
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = $"OSC TCP {RemoteEndPoint}" };
        _thread.Start();
    }

    /// <summary>
    /// Sends one packet, framed as this connection frames: SLIP, or length-prefixed when the peer
    /// spoke length-prefixed first (so replies reach liblo-style peers). Thread-safe.
    /// </summary>
    public void Send(ReadOnlySpan<byte> packet)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var framing = _sendFraming == OscStreamFraming.Auto ? _reader.Framing : _sendFraming;
        if (framing == OscStreamFraming.Auto) framing = OscStreamFraming.Slip;
        var size = framing == OscStreamFraming.Slip ? OscSlip.GetEncodedLength(packet) : packet.Length + 4;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            if (framing == OscStreamFraming.Slip)
            {
                OscSlip.Encode(packet, buffer);
            }
            else
            {
                BinaryPrimitives.WriteInt32BigEndian(buffer, packet.Length);
                packet.CopyTo(buffer.AsSpan(4));
            }
            lock (_sendGate)
            {
                var sent = 0;
                while (sent < size) sent += _socket.Send(buffer.AsSpan(sent, size - sent), SocketFlags.None);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Encodes and sends a managed packet.</summary>
    public void Send(OscPacketData packet) => Send(OscEncoder.ToArray(packet));

    private void ReceiveLoop()
    {
        var buffer = new byte[16384];
        try
        {
            while (!_disposed)
            {
                int length;
                try
                {
                    length = _socket.Receive(buffer, SocketFlags.None);
                }
                catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
                {
                    break;
                }
                if (length == 0) break;
                _reader.Feed(buffer.AsSpan(0, length), _onFrame, _onFrameError);
                if (_reader.IsBroken) break;
            }
        }
        finally
        {
            Close();
        }
    }

    private void OnFrame(ReadOnlySpan<byte> frame)
    {
        var info = new OscReceiveInfo(OscTransport.Tcp, Stopwatch.GetTimestamp(), null, this);
        Interlocked.Increment(ref _packetCount);
        try
        {
            if (OscPacket.TryDecode(frame, out var packet, out var error))
            {
                _handler?.Invoke(packet, info);
                return;
            }
            Interlocked.Increment(ref _malformedCount);
            _malformed?.Invoke(frame, error, info);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _handlerExceptionCount);
        }
    }

    private void OnFrameError(OscError error)
    {
        Interlocked.Increment(ref _packetCount);
        Interlocked.Increment(ref _malformedCount);
        try
        {
            _malformed?.Invoke([], error, new OscReceiveInfo(OscTransport.Tcp, Stopwatch.GetTimestamp(), null, this));
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _handlerExceptionCount);
        }
    }

    private void Close()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The peer may already be gone; closing is all that is left to do.
        }
        _socket.Dispose();
        _closed?.Invoke(this);
    }

    /// <summary>Closes the connection and waits for its receive thread. Idempotent.</summary>
    public void Dispose()
    {
        Close();
        if (_thread is not null && _thread != Thread.CurrentThread) _thread.Join(TimeSpan.FromSeconds(5));
    }
}

/// <summary>Settings for <see cref="OscTcpServer"/>.</summary>
public sealed class OscTcpServerOptions
{
    /// <summary>Local IPv4 address to listen on; loopback by default (a control port is not for the whole network unless asked).</summary>
    public IPAddress LocalAddress { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Who listens, as an error names it ("control surface", "osc dump").</summary>
    public string Owner { get; init; } = "OSC server";

    /// <summary>Framing; <see cref="OscStreamFraming.Auto"/> accepts SLIP (OSC 1.1) and length-prefixed (OSC 1.0, liblo) clients.</summary>
    public OscStreamFraming Framing { get; init; } = OscStreamFraming.Auto;

    /// <summary>Largest packet accepted.</summary>
    public int MaxFrameBytes { get; init; } = 65536;
}

/// <summary>
/// An OSC server over TCP: accepts clients (each on its own thread), deframes SLIP or
/// length-prefixed packets, decodes them and calls the handler with the connection in the receive
/// information, so a handler can reply on <see cref="OscReceiveInfo.Connection"/>.
/// </summary>
public sealed class OscTcpServer : IDisposable
{
    private readonly Socket _listener;
    private readonly OscTcpServerOptions _options;
    private readonly OscPacketHandler _handler;
    private readonly OscMalformedPacketHandler? _malformed;
    private readonly Lock _gate = new();
    private readonly List<OscTcpConnection> _connections = [];
    private Thread? _acceptThread;
    private volatile bool _disposed;
    private long _closedPackets;
    private long _closedMalformed;

    /// <summary>Binds and listens; call <see cref="Start"/> to accept clients.</summary>
    /// <exception cref="SocketSetupException">The port cannot be bound (the message says why and what to do).</exception>
    public OscTcpServer(OscTcpServerOptions options, OscPacketHandler handler, OscMalformedPacketHandler? malformed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        _options = options;
        _handler = handler;
        _malformed = malformed;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            SocketSetup.Bind(_listener, new IPEndPoint(options.LocalAddress, options.Port), options.Owner, "TCP");
            _listener.Listen(16);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }
        LocalPort = ((IPEndPoint)_listener.LocalEndPoint!).Port;
    }

    /// <summary>The listening port.</summary>
    public int LocalPort { get; }

    /// <summary>Open connections.</summary>
    public int ConnectionCount
    {
        get { lock (_gate) return _connections.Count; }
    }

    /// <summary>Packets received over all connections, past and present.</summary>
    public long PacketCount
    {
        get
        {
            lock (_gate) return _closedPackets + _connections.Sum(c => c.PacketCount);
        }
    }

    /// <summary>Malformed packets or frames over all connections, past and present.</summary>
    public long MalformedPacketCount
    {
        get
        {
            lock (_gate) return _closedMalformed + _connections.Sum(c => c.MalformedPacketCount);
        }
    }

    /// <summary>Starts accepting clients (once).</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_acceptThread is not null) throw new InvalidOperationException("server already started");
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = $"OSC TCP accept :{LocalPort}" };
        _acceptThread.Start();
    }

    /// <summary>Sends <paramref name="packet"/> to every connected client.</summary>
    public void SendToAll(ReadOnlySpan<byte> packet)
    {
        OscTcpConnection[] connections;
        lock (_gate) connections = [.. _connections];
        foreach (var connection in connections)
        {
            try
            {
                connection.Send(packet);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                connection.Dispose();
            }
        }
    }

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                if (_disposed) break;
                continue;
            }
            var connection = new OscTcpConnection(client, _options.Framing, _options.MaxFrameBytes, _handler, _malformed, OnClosed);
            lock (_gate)
            {
                if (_disposed)
                {
                    connection.Dispose();
                    break;
                }
                _connections.Add(connection);
            }
            connection.Start();
        }
    }

    private void OnClosed(OscTcpConnection connection)
    {
        lock (_gate)
        {
            if (!_connections.Remove(connection)) return;
            _closedPackets += connection.PacketCount;
            _closedMalformed += connection.MalformedPacketCount;
        }
    }

    /// <summary>Stops listening and closes every connection. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _listener.Dispose();
        _acceptThread?.Join(TimeSpan.FromSeconds(5));
        OscTcpConnection[] connections;
        lock (_gate) connections = [.. _connections];
        foreach (var connection in connections) connection.Dispose();
    }
}

/// <summary>
/// An OSC client over TCP: connects, sends framed packets (SLIP by default, as OSC 1.1 and
/// Companion/QLab expect) and optionally receives the server's packets on its own thread.
/// </summary>
public sealed class OscTcpClient : IDisposable
{
    private OscTcpClient(OscTcpConnection connection) => Connection = connection;

    /// <summary>The underlying connection.</summary>
    public OscTcpConnection Connection { get; }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/>.</summary>
    /// <param name="host">Host name or IPv4 address.</param>
    /// <param name="port">TCP port.</param>
    /// <param name="framing">How packets are framed in both directions (not <see cref="OscStreamFraming.Auto"/>).</param>
    /// <param name="handler">Receives the server's packets; null to ignore them.</param>
    /// <param name="malformed">Receives malformed packets from the server.</param>
    /// <param name="maxFrameBytes">Largest packet accepted from the server.</param>
    public static OscTcpClient Connect(string host, int port, OscStreamFraming framing = OscStreamFraming.Slip,
        OscPacketHandler? handler = null, OscMalformedPacketHandler? malformed = null, int maxFrameBytes = 65536)
    {
        if (framing == OscStreamFraming.Auto) throw new ArgumentException("a client must choose its framing", nameof(framing));
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(new IPEndPoint(OscUdpSender.ResolveIPv4(host), port));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var connection = new OscTcpConnection(socket, framing, maxFrameBytes, handler, malformed, null);
        connection.Start();
        return new OscTcpClient(connection);
    }

    /// <summary>Sends one encoded packet.</summary>
    public void Send(ReadOnlySpan<byte> packet) => Connection.Send(packet);

    /// <summary>Encodes and sends a managed packet.</summary>
    public void Send(OscPacketData packet) => Connection.Send(packet);

    /// <summary>Closes the connection. Idempotent.</summary>
    public void Dispose() => Connection.Dispose();
}
