using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Stage.Osc;

/// <summary>
/// A socket could not be opened as configured. The message names who wanted it (a tracking source, the
/// control surface), the address, group and port, the operating system's reason, and the likely fix.
/// </summary>
public sealed class SocketSetupException(string message, SocketException inner) : IOException(message, inner)
{
    /// <summary>The operating system's error, as .NET names it.</summary>
    public SocketError SocketError => inner.SocketErrorCode;
}

/// <summary>
/// Binding and multicast joins that fail with a message an operator can act on. .NET reports several
/// Linux errors of a multicast join (ENODEV: no route, or an interface address that is not this
/// machine's) as "Unknown socket error"; this looks at the machine's addresses and routes to say which.
/// </summary>
public static class SocketSetup
{
    /// <summary>Binds <paramref name="socket"/> to <paramref name="endpoint"/> for <paramref name="owner"/> (e.g. "tracking source 'fd' (freed)").</summary>
    /// <exception cref="SocketSetupException">The bind failed; the message says why and what to do.</exception>
    public static void Bind(Socket socket, IPEndPoint endpoint, string owner, string protocol = "UDP")
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(endpoint);
        try
        {
            socket.Bind(endpoint);
        }
        catch (SocketException e)
        {
            throw new SocketSetupException($"{owner}: cannot listen on {protocol} {endpoint}: {BindReason(e, endpoint, protocol)}", e);
        }
    }

    /// <summary>Joins <paramref name="group"/> on the interface with address <paramref name="interfaceAddress"/> (<see cref="IPAddress.Any"/>: the one the routes choose).</summary>
    /// <exception cref="SocketSetupException">The join failed; the message says why and what to do.</exception>
    public static void JoinGroup(Socket socket, IPAddress group, IPAddress interfaceAddress, int port, string owner)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(interfaceAddress);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, interfaceAddress));
        }
        catch (SocketException e)
        {
            string on = interfaceAddress.Equals(IPAddress.Any) ? "" : $" on interface {interfaceAddress}";
            throw new SocketSetupException($"{owner}: cannot join multicast group {group} (port {port}){on}: " +
                JoinReason(e, group, interfaceAddress, LocalAddresses(), ReadRoutes()), e);
        }
    }

    /// <summary>Why a bind failed, and what to do.</summary>
    public static string BindReason(SocketException e, IPEndPoint endpoint, string protocol = "UDP")
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(endpoint);
        return e.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse =>
                $"address in use: another program already listens on {protocol} port {endpoint.Port} (another 'stage run' or 'stage track monitor' " +
                "of this stage, or a tracker's own software); stop it, or give this one another port",
            SocketError.AddressNotAvailable =>
                $"address not available: {endpoint.Address} is not an address of this machine ({Describe(LocalAddresses())}); use one of them, or 0.0.0.0 for all",
            SocketError.AccessDenied =>
                $"permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE; use a port from 1024 up",
            _ => $"{e.Message} ({e.SocketErrorCode})",
        };
    }

    /// <summary>
    /// Why a join failed, from the error, this machine's IPv4 addresses (name, address) and its routes
    /// (destination, mask); both are parameters so the reasoning can be checked on any machine.
    /// </summary>
    public static string JoinReason(SocketException e, IPAddress group, IPAddress interfaceAddress,
        IReadOnlyList<(string Interface, IPAddress Address)> localAddresses, IReadOnlyList<(IPAddress Destination, IPAddress Mask)>? routes)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(interfaceAddress);
        ArgumentNullException.ThrowIfNull(localAddresses);
        if (!IsMulticast(group)) return $"{group} is not a multicast group (224.0.0.0–239.255.255.255)";
        if (!interfaceAddress.Equals(IPAddress.Any) && !localAddresses.Any(a => a.Address.Equals(interfaceAddress)))
            return $"no such device: {interfaceAddress} is not an address of this machine ({Describe(localAddresses)}); " +
                   "set the source's \"interface\" to the address of the network card on the stage network";
        if (interfaceAddress.Equals(IPAddress.Any) && routes is not null && !routes.Any(r => Covers(r.Destination, r.Mask, group)))
            return "no route for multicast: this machine has no default route and no route for 224.0.0.0/4, so the operating system " +
                   $"cannot choose a network card for the group; set the source's \"interface\" to the stage network card's address ({Describe(localAddresses)}), " +
                   "or add a route (ip route add 224.0.0.0/4 dev <card>)";
        return e.SocketErrorCode switch
        {
            SocketError.NoBufferSpaceAvailable => "no buffer space: the machine has joined as many groups as it allows (net.ipv4.igmp_max_memberships)",
            SocketError.AddressAlreadyInUse => "this socket has already joined the group",
            _ => $"the operating system refused the join ({e.Message}, {e.SocketErrorCode}); check that the stage network card is up and multicast-capable " +
                 $"({Describe(localAddresses)}), or set the source's \"interface\"",
        };
    }

    /// <summary>This machine's IPv4 addresses with their interface names (loopback included).</summary>
    public static IReadOnlyList<(string Interface, IPAddress Address)> LocalAddresses()
    {
        var addresses = new List<(string, IPAddress)>();
        try
        {
            foreach (NetworkInterface card in NetworkInterface.GetAllNetworkInterfaces())
                foreach (UnicastIPAddressInformation address in card.GetIPProperties().UnicastAddresses)
                    if (address.Address.AddressFamily == AddressFamily.InterNetwork) addresses.Add((card.Name, address.Address));
        }
        catch (NetworkInformationException)
        {
            // Without the list the reason is less specific, never wrong.
        }
        return addresses;
    }

    /// <summary>The IPv4 routes of this machine (Linux /proc/net/route), or null where they cannot be read.</summary>
    public static IReadOnlyList<(IPAddress Destination, IPAddress Mask)>? ReadRoutes()
    {
        try
        {
            return File.Exists("/proc/net/route") ? ParseRoutes(File.ReadAllText("/proc/net/route")) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Routes that are up from the text of Linux's /proc/net/route (hex addresses in network byte order).</summary>
    public static IReadOnlyList<(IPAddress Destination, IPAddress Mask)> ParseRoutes(string procNetRoute)
    {
        ArgumentNullException.ThrowIfNull(procNetRoute);
        var routes = new List<(IPAddress, IPAddress)>();
        foreach (string line in procNetRoute.Split('\n').Skip(1))
        {
            string[] f = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 8) continue;
            if (!uint.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint destination)
                || !uint.TryParse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint flags)
                || !uint.TryParse(f[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint mask)) continue;
            const uint RouteUp = 0x1;
            // The file prints the in-memory (network order) word as a host-order number: on little-endian machines the bytes read back as written.
            if ((flags & RouteUp) != 0) routes.Add((new IPAddress(destination), new IPAddress(mask)));
        }
        return routes;
    }

    private static bool Covers(IPAddress destination, IPAddress mask, IPAddress address)
    {
        byte[] d = destination.GetAddressBytes(), m = mask.GetAddressBytes(), a = address.GetAddressBytes();
        for (int i = 0; i < 4; i++) if ((a[i] & m[i]) != (d[i] & m[i])) return false;
        return true;
    }

    private static bool IsMulticast(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xF0) == 0xE0;

    private static string Describe(IReadOnlyList<(string Interface, IPAddress Address)> addresses) =>
        addresses.Count == 0 ? "it has no IPv4 address" : "its addresses: " + string.Join(", ", addresses.Select(a => $"{a.Address} on {a.Interface}"));
}
