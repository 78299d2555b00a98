using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stage.Tests.Shared;

/// <summary>Waits for a listener to bind its port, instead of sleeping and hoping it did (flaky on a loaded machine).</summary>
internal static class PortProbe
{
    /// <summary>A UDP port free on loopback now (the system's choice of an ephemeral port).</summary>
    public static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    /// <summary>
    /// True once something listens on UDP <paramref name="port"/> (a bind of loopback:port is refused as in use);
    /// false after <paramref name="timeout"/>.
    /// </summary>
    public static bool WaitUntilUdpBound(int port, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return true;
            }
            probe.Close();
            Thread.Sleep(10);
        }
        return false;
    }
}
