using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Stage.Core.Configuration;
using Stage.Osc;

namespace Stage.Engine.Control;

/// <summary>
/// The OSC control surface: listens on the configured port over UDP and over TCP (SLIP or
/// length-prefixed framing) and runs the registry's commands. Every message gets a reply to its
/// sender, <c>/stage/reply ,sss address ok|error text</c>; a sender outside <c>control.allowFrom</c>
/// is refused with an error reply and a warning in the log.
/// </summary>
public sealed class ControlSurface : IDisposable
{
    /// <summary>The address of every reply.</summary>
    public const string ReplyAddress = "/stage/reply";

    private readonly CommandRegistry _registry;
    private readonly ControlConfig _config;
    private readonly ILogger _log;
    private readonly OscUdpReceiver _udp;
    private readonly OscTcpServer _tcp;
    private long _commandCount;
    private long _errorCount;
    private long _refusedCount;
    private bool _disposed;

    /// <summary>Binds the UDP and TCP sockets on <paramref name="config"/>'s address and port; call <see cref="Start"/> to listen.</summary>
    /// <exception cref="SocketSetupException">The port is in use (the message names the control port and says what to do).</exception>
    public ControlSurface(ControlConfig config, CommandRegistry registry, ILogger logger)
    {
        _config = config;
        _registry = registry;
        _log = logger;
        IPAddress bind = IPAddress.Parse(config.BindAddress);
        const string Owner = "control surface (the configuration's control.port)";
        _udp = new OscUdpReceiver(new OscUdpReceiverOptions { LocalAddress = bind, Port = config.Port, Owner = Owner }, OnPacket, OnMalformed);
        try
        {
            _tcp = new OscTcpServer(new OscTcpServerOptions { LocalAddress = bind, Port = _udp.LocalPort, Owner = Owner }, OnPacket, OnMalformed);
        }
        catch
        {
            _udp.Dispose();
            throw;
        }
    }

    /// <summary>The UDP port (and TCP port) listened on.</summary>
    public int Port => _udp.LocalPort;

    /// <summary>Commands run (each reply counts once).</summary>
    public long CommandCount => Interlocked.Read(ref _commandCount);

    /// <summary>Error replies sent (unknown address, wrong arguments, failed commands, refused senders, malformed packets).</summary>
    public long ErrorCount => Interlocked.Read(ref _errorCount);

    /// <summary>Messages refused because the sender is not in <c>control.allowFrom</c>.</summary>
    public long RefusedCount => Interlocked.Read(ref _refusedCount);

    /// <summary>Starts listening.</summary>
    public void Start()
    {
        _udp.Start();
        _tcp.Start();
        _log.LogInformation("Control surface listening on {Bind}:{Port} (UDP and TCP)", _config.BindAddress, Port);
    }

    /// <summary>The reply message for a command's outcome.</summary>
    public static OscMessageData ReplyMessage(string address, ControlReply reply) =>
        new(ReplyAddress, OscValue.FromString(address), OscValue.FromString(reply.Ok ? "ok" : "error"), OscValue.FromString(reply.Text));

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _tcp.Dispose();
        _udp.Dispose();
    }

    private void OnPacket(OscPacket packet, in OscReceiveInfo info)
    {
        OscPacketData data = packet.ToData();
        IPEndPoint? remote = info.GetRemoteEndPoint();
        string sender = $"{info.Transport.ToString().ToLowerInvariant()} {remote}";
        foreach (OscMessageData message in Flatten(data))
        {
            IReadOnlyList<(string Address, ControlReply Reply)> replies;
            if (_config.AllowedSenders.Count > 0 && (remote is null || !_config.AllowedSenders.Any(n => n.Contains(remote.Address))))
            {
                Interlocked.Increment(ref _refusedCount);
                _log.LogWarning("Control command {Address} from {Sender} refused: sender not in control.allowFrom", message.Address, sender);
                replies = [(message.Address, ControlReply.Failure($"{remote?.Address} may not control this stage (control.allowFrom)"))];
            }
            else
            {
                replies = _registry.Execute(message, sender);
            }
            foreach ((string address, ControlReply reply) in replies)
            {
                Interlocked.Increment(ref _commandCount);
                if (!reply.Ok) Interlocked.Increment(ref _errorCount);
                _log.Log(reply.Ok ? LogLevel.Information : LogLevel.Warning, "Control {Address} from {Sender}: {Outcome} {Text}",
                    address, sender, reply.Ok ? "ok" : "error", reply.Text);
                Reply(ReplyMessage(address, reply), info);
            }
        }
    }

    private void OnMalformed(ReadOnlySpan<byte> bytes, OscError error, in OscReceiveInfo info)
    {
        Interlocked.Increment(ref _errorCount);
        _log.LogWarning("Malformed control packet from {Sender}: {Error}", info.GetRemoteEndPoint(), error.ToString());
        Reply(ReplyMessage("", ControlReply.Failure($"malformed OSC packet: {error}")), info);
    }

    private void Reply(OscMessageData message, in OscReceiveInfo info)
    {
        byte[] bytes = message.ToArray();
        if (info.Connection is { } connection)
        {
            try
            {
                connection.Send(bytes);
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
                _log.LogWarning("Control reply to {Sender} failed: {Reason}", connection.RemoteEndPoint, e.Message);
            }
        }
        else if (info.RemoteAddress is { } remote && !_udp.SendTo(bytes, remote))
        {
            _log.LogWarning("Control reply to {Sender} failed", info.GetRemoteEndPoint());
        }
    }

    private static IEnumerable<OscMessageData> Flatten(OscPacketData packet)
    {
        if (packet is OscMessageData message)
        {
            yield return message;
            yield break;
        }
        foreach (OscPacketData element in ((OscBundleData)packet).Elements)
            foreach (OscMessageData inner in Flatten(element))
                yield return inner;
    }
}
