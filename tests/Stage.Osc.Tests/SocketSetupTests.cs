using System.Net;
using System.Net.Sockets;

namespace Stage.Osc.Tests;

/// <summary>Socket faults said in an operator's words, with the fix: a port in use, an interface that is not here, no route for multicast.</summary>
public class SocketSetupTests
{
    private static readonly (string, IPAddress)[] Addresses = [("lo", IPAddress.Loopback), ("eth0", IPAddress.Parse("10.0.10.5"))];

    // What .NET throws for Linux's ENODEV on IP_ADD_MEMBERSHIP: no error code it knows.
    private static readonly SocketException Unknown = new((int)SocketError.SocketError);

    [Fact]
    public void Linux_routes_are_read_in_network_byte_order_and_only_when_up()
    {
        const string table = """
            Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
            eth0	00000000	010200C0	0003	0	0	0	00000000	0	0	0
            eth0	000200C0	00000000	0001	0	0	0	00FFFFFF	0	0	0
            eth1	000000E0	00000000	0000	0	0	0	000000F0	0	0	0
            """;
        IReadOnlyList<(IPAddress Destination, IPAddress Mask)> routes = SocketSetup.ParseRoutes(table.Replace("\r", ""));
        Assert.Equal([(IPAddress.Any, IPAddress.Any), (IPAddress.Parse("192.0.2.0"), IPAddress.Parse("255.255.255.0"))], routes);
    }

    [Fact]
    public void A_join_with_no_route_for_the_group_says_so_and_how_to_fix_it()
    {
        (IPAddress, IPAddress)[] onlyTheLan = [(IPAddress.Parse("10.0.10.0"), IPAddress.Parse("255.255.255.0"))];
        string reason = SocketSetup.JoinReason(Unknown, IPAddress.Parse("235.135.1.1"), IPAddress.Any, Addresses, onlyTheLan);
        Assert.StartsWith("no route for multicast", reason);
        Assert.Contains("set the source's \"interface\" to the stage network card's address (its addresses: 127.0.0.1 on lo, 10.0.10.5 on eth0)", reason);
        Assert.Contains("ip route add 224.0.0.0/4 dev <card>", reason);

        // A multicast route, or a default route, is a route for the group.
        (IPAddress, IPAddress)[] multicastRoute = [.. onlyTheLan, (IPAddress.Parse("224.0.0.0"), IPAddress.Parse("240.0.0.0"))];
        Assert.DoesNotContain("no route", SocketSetup.JoinReason(Unknown, IPAddress.Parse("235.135.1.1"), IPAddress.Any, Addresses, multicastRoute));
        Assert.DoesNotContain("no route", SocketSetup.JoinReason(Unknown, IPAddress.Parse("235.135.1.1"), IPAddress.Any, Addresses, [(IPAddress.Any, IPAddress.Any)]));
    }

    [Fact]
    public void A_join_on_an_interface_that_is_not_this_machines_names_its_addresses()
    {
        string reason = SocketSetup.JoinReason(Unknown, IPAddress.Parse("235.135.1.1"), IPAddress.Parse("10.0.99.1"), Addresses, null);
        Assert.Equal("no such device: 10.0.99.1 is not an address of this machine (its addresses: 127.0.0.1 on lo, 10.0.10.5 on eth0); " +
                     "set the source's \"interface\" to the address of the network card on the stage network", reason);
    }

    [Fact]
    public void A_real_join_on_a_foreign_interface_fails_with_the_owner_group_and_reason_never_unknown_socket_error()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        SocketSetupException e = Assert.Throws<SocketSetupException>(() =>
            SocketSetup.JoinGroup(socket, IPAddress.Parse("235.135.1.9"), IPAddress.Parse("198.51.100.77"), 55555, "tracking source 'otio' (opentrackio)"));
        Assert.StartsWith("tracking source 'otio' (opentrackio): cannot join multicast group 235.135.1.9 (port 55555) on interface 198.51.100.77: no such device", e.Message);
        Assert.DoesNotContain("Unknown socket error", e.Message);
    }

    [Fact]
    public void A_port_in_use_names_the_owner_and_the_port()
    {
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        first.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var taken = (IPEndPoint)first.LocalEndPoint!;
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        SocketSetupException e = Assert.Throws<SocketSetupException>(() => SocketSetup.Bind(second, taken, "control surface"));
        Assert.Equal(SocketError.AddressAlreadyInUse, e.SocketError);
        Assert.StartsWith($"control surface: cannot listen on UDP {taken}: address in use: another program already listens on UDP port {taken.Port}", e.Message);
    }
}
