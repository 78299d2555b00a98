using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stage.Tracking;

/// <summary>Handles one received datagram; <paramref name="receiveTicks"/> was taken right as it left the socket.</summary>
internal delegate void DatagramHandler(ReadOnlySpan<byte> datagram, long receiveTicks);

/// <summary>
/// A UDP socket and its receive thread. The loop reuses one 64 KiB buffer, so steady-state receiving
/// allocates nothing; it wakes at least every idle-poll interval to let the owner update loss status, and
/// nothing a handler throws ends it.
/// </summary>
internal sealed class UdpDatagramReceiver : IDisposable
{
    private readonly string _threadName;
    private readonly string _owner;
    private readonly IPEndPoint _bind;
    private readonly IPAddress? _multicastGroup;
    private readonly IPAddress _multicastInterface;
    private readonly int _idlePollMicros;
    private readonly DatagramHandler _onDatagram;
    private readonly Action<long> _onIdle;
    private readonly Action<Exception> _onFault;
    private Socket? _socket;
    private Thread? _thread;
    private volatile bool _running;

    /// <param name="threadName">The receive thread's name.</param>
    /// <param name="owner">Who listens, as an error message names it ("tracking source 'fd' (freed)").</param>
    /// <param name="bind">Local address and port.</param>
    /// <param name="multicastGroup">A group to join, or null.</param>
    /// <param name="multicastInterface">The local address of the card to join on (<see cref="IPAddress.Any"/>: the routes choose).</param>
    /// <param name="idlePollMs">Longest wait without traffic before <paramref name="onIdle"/>.</param>
    /// <param name="onDatagram">Each datagram.</param>
    /// <param name="onIdle">Called after each wait.</param>
    /// <param name="onFault">An exception from a handler or the socket (receiving goes on).</param>
    public UdpDatagramReceiver(string threadName, string owner, IPEndPoint bind, IPAddress? multicastGroup, IPAddress multicastInterface, int idlePollMs,
        DatagramHandler onDatagram, Action<long> onIdle, Action<Exception> onFault)
    {
        _threadName = threadName;
        _owner = owner;
        _bind = bind;
        _multicastGroup = multicastGroup;
        _multicastInterface = multicastInterface;
        _idlePollMicros = idlePollMs * 1000;
        _onDatagram = onDatagram;
        _onIdle = onIdle;
        _onFault = onFault;
    }

    public bool IsRunning => _running;

    public IPEndPoint? LocalEndPoint { get; private set; }

    public void Start()
    {
        if (_running) throw new InvalidOperationException("already running");
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = 1 << 20;
            if (_multicastGroup is not null)
            {
                // Several sources may share a port on different groups. On Linux a socket bound to the
                // wildcard address would receive every group joined on the host, so bind the group itself there.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                IPAddress local = OperatingSystem.IsLinux() ? _multicastGroup : _bind.Address;
                Stage.Osc.SocketSetup.Bind(socket, new IPEndPoint(local, _bind.Port), _owner);
                Stage.Osc.SocketSetup.JoinGroup(socket, _multicastGroup, _multicastInterface, _bind.Port, _owner);
            }
            else
            {
                Stage.Osc.SocketSetup.Bind(socket, _bind, _owner);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        LocalEndPoint = (IPEndPoint?)socket.LocalEndPoint;
        _running = true;
        _thread = new Thread(Loop) { IsBackground = true, Name = _threadName, Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public void Stop()
    {
        if (!_running && _thread is null) return;
        _running = false;
        _thread?.Join();
        _thread = null;
        _socket?.Dispose();
        _socket = null;
        LocalEndPoint = null;
    }

    public void Dispose() => Stop();

    private void Loop()
    {
        Socket socket = _socket!;
        byte[] buffer = new byte[65536];
        while (_running)
        {
            try
            {
                if (socket.Poll(_idlePollMicros, SelectMode.SelectRead))
                {
                    int length = socket.Receive(buffer, SocketFlags.None);
                    long receiveTicks = Stopwatch.GetTimestamp();
                    _onDatagram(buffer.AsSpan(0, length), receiveTicks);
                }
                _onIdle(Stopwatch.GetTimestamp());
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (Exception ex)
            {
                // A reset from an ICMP error, or a bug in a handler: report it and keep receiving.
                _onFault(ex);
            }
        }
    }
}
