using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Stage.Osc;

namespace Stage.Cli;

/// <summary>
/// <c>stage osc dump</c> and <c>stage osc send</c>: a stage crew's first tools when a tracker or a
/// control surface "doesn't work" — see exactly what arrives, and send exactly one message.
/// </summary>
public static class OscCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var osc = new Command("osc", "See and send OSC messages.");
        osc.Subcommands.Add(Dump(output, error));
        osc.Subcommands.Add(Send(output, error));
        return osc;
    }

    private static Command Dump(TextWriter output, TextWriter error)
    {
        var port = new Option<int>("--port", "-p") { Description = "UDP (or TCP) port to listen on.", Required = true };
        var bind = new Option<string>("--bind") { Description = "Local IPv4 address to bind.", DefaultValueFactory = _ => "0.0.0.0" };
        var group = new Option<string?>("--group") { Description = "Join this IPv4 multicast group." };
        var tcp = new Option<bool>("--tcp") { Description = "Listen for TCP connections (SLIP or length-prefixed framing) instead of UDP." };
        var count = new Option<int?>("--count") { Description = "Stop after this many packets." };
        var seconds = new Option<double?>("--seconds") { Description = "Stop after this many seconds." };
        var command = new Command("dump",
            "Print every OSC message received, one line each: time, sender, address, type tags, arguments (bundles show their time tag, " +
            "malformed packets the fault and its byte offset). Ctrl+C stops; a count of packets and faults is printed at the end.")
        { port, bind, group, tcp, count, seconds };
        command.SetAction((result, cancellation) => Task.Run(() =>
        {
            if (!IPAddress.TryParse(result.GetValue(bind), out IPAddress? bindAddress)) return Fail(error, $"--bind '{result.GetValue(bind)}' is not an IPv4 address");
            IPAddress? groupAddress = null;
            if (result.GetValue(group) is string g && !IPAddress.TryParse(g, out groupAddress)) return Fail(error, $"--group '{g}' is not an IPv4 address");
            int? stopAfter = result.GetValue(count);
            double? stopSeconds = result.GetValue(seconds);
            long packets = 0, malformed = 0;
            var printGate = new Lock();
            using var done = new ManualResetEventSlim();
            void Counted()
            {
                if (stopAfter is int n && Interlocked.Read(ref packets) + Interlocked.Read(ref malformed) >= n) done.Set();
            }
            void OnPacket(OscPacket packet, in OscReceiveInfo info)
            {
                string prefix = $"{DateTime.Now:HH:mm:ss.fff} {info.GetRemoteEndPoint()}";
                lock (printGate)
                {
                    Print(output, prefix, packet.ToData(), "");
                    output.Flush();
                }
                Interlocked.Increment(ref packets);
                Counted();
            }
            void OnMalformed(ReadOnlySpan<byte> bytes, OscError fault, in OscReceiveInfo info)
            {
                lock (printGate)
                {
                    output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {info.GetRemoteEndPoint()} malformed ({bytes.Length} bytes): {fault}");
                    output.Flush();
                }
                Interlocked.Increment(ref malformed);
                Counted();
            }
            IDisposable listener;
            try
            {
                if (result.GetValue(tcp))
                {
                    var server = new OscTcpServer(new OscTcpServerOptions { LocalAddress = bindAddress, Port = result.GetValue(port), Owner = "osc dump" }, OnPacket, OnMalformed);
                    server.Start();
                    listener = server;
                }
                else
                {
                    var receiver = new OscUdpReceiver(new OscUdpReceiverOptions { LocalAddress = bindAddress, Port = result.GetValue(port), MulticastGroup = groupAddress, Owner = "osc dump" }, OnPacket, OnMalformed);
                    receiver.Start();
                    listener = receiver;
                }
            }
            catch (SocketSetupException e)
            {
                return Fail(error, e.Message);
            }
            using (listener)
            {
                error.WriteLine($"listening for OSC on {(result.GetValue(tcp) ? "tcp" : "udp")} {bindAddress}:{result.GetValue(port)}{(groupAddress is null ? "" : $" group {groupAddress}")}; Ctrl+C stops");
                var waits = new List<WaitHandle> { done.WaitHandle, cancellation.WaitHandle };
                int timeoutMs = stopSeconds is double s ? (int)Math.Max(0, s * 1000) : Timeout.Infinite;
                WaitHandle.WaitAny([.. waits], timeoutMs);
            }
            error.WriteLine($"{packets} packets, {malformed} malformed");
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }

    private static void Print(TextWriter output, string prefix, OscPacketData packet, string indent)
    {
        if (packet is OscMessageData message)
        {
            output.WriteLine($"{prefix} {indent}{message}");
            return;
        }
        var bundle = (OscBundleData)packet;
        output.WriteLine($"{prefix} {indent}#bundle {bundle.TimeTag}");
        foreach (OscPacketData element in bundle.Elements) Print(output, prefix, element, indent + "  ");
    }

    private static Command Send(TextWriter output, TextWriter error)
    {
        var target = new Argument<string>("target") { Description = "HOST:PORT to send to." };
        var address = new Argument<string>("address") { Description = "OSC address, e.g. /stage/take/start." };
        var values = new Argument<string[]>("arguments")
        {
            Description = "Type tags then one value per tag, as liblo's oscsend takes them: i int, f float, d double, h int64, s string, S symbol, " +
                          "c char, T true, F false, N nil, I infinitum, t time tag (a number), b blob (hex). Example: sf 12A 1.5",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var tcp = new Option<bool>("--tcp") { Description = "Send over TCP with SLIP framing (OSC 1.1) instead of UDP." };
        var reply = new Option<bool>("--reply") { Description = "Wait for one reply (a Stage control surface answers /stage/reply …), print it; exit 1 if it says error or none comes." };
        var timeout = new Option<int>("--timeout-ms") { Description = "How long --reply waits.", DefaultValueFactory = _ => 2000 };
        var command = new Command("send", "Send one OSC message (like liblo's oscsend), and with --reply print the answer.") { target, address, values, tcp, reply, timeout };
        command.SetAction(result =>
        {
            string targetText = result.GetValue(target)!;
            int colon = targetText.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(targetText.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
                return Fail(error, $"target '{targetText}' must be HOST:PORT");
            string host = targetText[..colon];
            OscMessageData message;
            try
            {
                message = new OscMessageData(result.GetValue(address)!, ParseValues(result.GetValue(values) ?? []));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                return Fail(error, e.Message);
            }
            try
            {
                return result.GetValue(tcp)
                    ? SendTcp(output, error, host, port, message, result.GetValue(reply), result.GetValue(timeout))
                    : SendUdp(output, error, host, port, message, result.GetValue(reply), result.GetValue(timeout));
            }
            catch (SocketException e)
            {
                return Fail(error, $"cannot send to {host}:{port}: {e.Message}");
            }
        });
        return command;
    }

    private static int SendUdp(TextWriter output, TextWriter error, string host, int port, OscMessageData message, bool waitReply, int timeoutMs)
    {
        IPAddress address = Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new SocketException((int)SocketError.HostNotFound);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        socket.SendTo(message.ToArray(), new IPEndPoint(address, port));
        if (!waitReply) return ExitCodes.Ok;
        socket.ReceiveTimeout = timeoutMs;
        var buffer = new byte[65536];
        try
        {
            int length = socket.Receive(buffer);
            return PrintReply(output, error, buffer.AsSpan(0, length));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.ConnectionReset)
        {
            return Fail(error, $"no reply from {host}:{port} within {timeoutMs} ms");
        }
    }

    private static int SendTcp(TextWriter output, TextWriter error, string host, int port, OscMessageData message, bool waitReply, int timeoutMs)
    {
        byte[]? replyBytes = null;
        using var received = new ManualResetEventSlim();
        using OscTcpClient client = OscTcpClient.Connect(host, port, OscStreamFraming.Slip, (OscPacket packet, in OscReceiveInfo _) =>
        {
            replyBytes ??= OscEncoder.ToArray(packet.ToData());
            received.Set();
        });
        client.Send(message);
        if (!waitReply)
        {
            // Give the kernel a moment to put the bytes on the wire before the connection closes.
            Thread.Sleep(50);
            return ExitCodes.Ok;
        }
        if (!received.Wait(timeoutMs)) return Fail(error, $"no reply from {host}:{port} within {timeoutMs} ms");
        return PrintReply(output, error, replyBytes);
    }

    private static int PrintReply(TextWriter output, TextWriter error, ReadOnlySpan<byte> bytes)
    {
        if (!OscPacket.TryDecode(bytes, out OscPacket packet, out OscError fault)) return Fail(error, $"the reply is not OSC: {fault}");
        OscPacketData data = packet.ToData();
        output.WriteLine(data.ToString());
        bool isError = data is OscMessageData { Address: "/stage/reply" } m && m.Arguments.Count >= 2 && m.Arguments[1].String == "error";
        return isError ? ExitCodes.Fault : ExitCodes.Ok;
    }

    /// <summary>Turns oscsend-style "TYPES VALUE…" into OSC values.</summary>
    /// <exception cref="FormatException">A tag is unknown or a value does not parse.</exception>
    public static OscValue[] ParseValues(IReadOnlyList<string> words)
    {
        if (words.Count == 0) return [];
        string tags = words[0];
        var values = new List<OscValue>();
        int next = 1;
        string Take(char tag)
        {
            if (next >= words.Count) throw new FormatException($"type '{tag}' has no value (types '{tags}' need one value each for i f d h s S c t b)");
            return words[next++];
        }
        foreach (char tag in tags)
        {
            values.Add(tag switch
            {
                'i' => OscValue.FromInt32(int.Parse(Take(tag), NumberStyles.Integer, CultureInfo.InvariantCulture)),
                'f' => OscValue.FromFloat32(float.Parse(Take(tag), NumberStyles.Float, CultureInfo.InvariantCulture)),
                'd' => OscValue.FromFloat64(double.Parse(Take(tag), NumberStyles.Float, CultureInfo.InvariantCulture)),
                'h' => OscValue.FromInt64(long.Parse(Take(tag), NumberStyles.Integer, CultureInfo.InvariantCulture)),
                's' => OscValue.FromString(Take(tag)),
                'S' => OscValue.FromSymbol(Take(tag)),
                'c' => OscValue.FromChar(Take(tag) is { Length: 1 } c ? c[0] : throw new FormatException("type 'c' takes one character")),
                't' => OscValue.FromTimeTag(new OscTimeTag(ulong.Parse(Take(tag), NumberStyles.Integer, CultureInfo.InvariantCulture))),
                'b' => OscValue.FromBlob(Convert.FromHexString(Take(tag))),
                'T' => OscValue.True,
                'F' => OscValue.False,
                'N' => OscValue.Nil,
                'I' => OscValue.Infinitum,
                _ => throw new FormatException($"unknown type tag '{tag}' in '{tags}'"),
            });
        }
        if (next != words.Count) throw new FormatException($"{words.Count - next} values left over after types '{tags}'");
        return [.. values];
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"stage: {message}");
        return ExitCodes.Fault;
    }
}
