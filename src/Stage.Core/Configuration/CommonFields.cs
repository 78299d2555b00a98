using System.Net;

namespace Stage.Core.Configuration;

/// <summary>Fields several sections share, read the same way everywhere (tracking sources, the control surface).</summary>
public static class CommonFields
{
    /// <summary>The optional <c>bind</c>: an IPv4 address, default "0.0.0.0" (every interface); null after a fault.</summary>
    public static string? Bind(JsonObjectReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? bind = reader.String("bind", required: false);
        if (bind is null) return reader.Has("bind") ? null : "0.0.0.0";
        if (!IPAddress.TryParse(bind, out IPAddress? address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            reader.Fault("bind", $"'{bind}' is not an IPv4 address (use 0.0.0.0 for every interface)");
            return null;
        }
        return bind;
    }

    /// <summary>The <c>port</c> (1–65535): required when <paramref name="defaultPort"/> is null; null after a fault.</summary>
    public static int? Port(JsonObjectReader reader, int? defaultPort)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (defaultPort is null) return reader.Integer("port", required: true, 1, 65535);
        return reader.Integer("port", required: false, 1, 65535) ?? (reader.Has("port") ? null : defaultPort);
    }

    /// <summary>A tracking source's optional <c>delayMs</c>, −1000 to 1000, default 0.</summary>
    public static double DelayMs(JsonObjectReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.Number("delayMs", required: false, -1000, 1000) ?? 0;
    }
}
