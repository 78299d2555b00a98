using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Stage.Core.Configuration;
using Stage.Tracking.Simulation;

namespace Stage.Tracking.OpenTrackIO;

/// <summary>OpenTrackIO JSON samples over UDP multicast: a source number or group, a port, and the card to join on.</summary>
internal sealed class OpenTrackIOProtocol : ITrackingProtocol
{
    public string Name => "OpenTrackIO";

    public string Kind => "opentrackio";

    public TrackingSourceConfig? Read(JsonElement element, string path, List<ConfigFault> faults)
    {
        var reader = JsonObjectReader.Open(element, path, faults, "id", "kind", "multicastGroup", "sourceNumber", "port", "delayMs", "interface");
        string? id = reader.String("id", required: true);
        int? sourceNumber = reader.Integer("sourceNumber", required: false, 1, 200);
        string? group = reader.String("multicastGroup", required: false);
        if (group is not null && !IsMulticast(group))
        {
            reader.Fault("multicastGroup", $"'{group}' is not an IPv4 multicast group (224.0.0.0–239.255.255.255)");
            group = null;
        }
        else if (group is null && !reader.Has("multicastGroup"))
        {
            group = $"235.135.1.{sourceNumber ?? 1}";
        }
        int? port = CommonFields.Port(reader, defaultPort: 55555);
        double delay = CommonFields.DelayMs(reader);
        string? networkInterface = reader.String("interface", required: false);
        if (networkInterface is not null && (!IPAddress.TryParse(networkInterface, out IPAddress? local) || local.AddressFamily != AddressFamily.InterNetwork
            || IsMulticast(networkInterface) || local.Equals(IPAddress.Any)))
        {
            reader.Fault("interface", $"'{networkInterface}' is not the IPv4 address of a network card (e.g. \"10.0.10.5\"; leave it out to let the routes choose)");
            return null;
        }
        if (id is null || group is null || port is null) return null;
        return new OpenTrackIOSourceConfig { Id = id, MulticastGroup = group, Port = port.Value, DelayMs = delay, InterfaceAddress = networkInterface };
    }

    private static bool IsMulticast(string text) =>
        IPAddress.TryParse(text, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xF0) == 0xE0;

    public string Describe(TrackingSourceConfig source)
    {
        var otio = (OpenTrackIOSourceConfig)source;
        return otio.InterfaceAddress is null ? "multicast" : $"multicast, joined on {otio.InterfaceAddress}";
    }

    public ITrackingSource CreateSource(TrackingSourceConfig source, IReadOnlyList<BoundCamera> cameras, TrackingOptions options) =>
        new OpenTrackIOSource((OpenTrackIOSourceConfig)source, cameras, options);

    public ITrackingSender CreateSender(CameraConfig camera, TrackingSourceConfig source) => new OpenTrackIOSender(camera, source as OpenTrackIOSourceConfig);
}
