using System.Text.Json;

namespace Stage.Core.Configuration;

// operator.web: the operator's web page (bind, port, token, allowFrom, enabled).
internal sealed partial class StageConfigReader
{
    private OperatorWebConfig ReadOperatorWeb(JsonObjectReader operatorReader)
    {
        JsonElement? element = operatorReader.Element("web", required: false);
        if (element is null) return new OperatorWebConfig();
        var reader = JsonObjectReader.Open(element.Value, "operator.web", faults, "enabled", "bind", "port", "token", "allowFrom");
        if (!reader.IsValid) return new OperatorWebConfig();
        bool enabled = reader.Boolean("enabled", required: false) ?? true;
        string bind = reader.Has("bind") ? CommonFields.Bind(reader) ?? "127.0.0.1" : "127.0.0.1";
        // 0 is allowed here (unlike the control port): the system picks a free port and the run prints it.
        int port = reader.Integer("port", required: false, 0, 65535) ?? OperatorWebConfig.DefaultPort;
        string? token = reader.String("token", required: false);
        if (token is not null && !OperatorWebConfig.IsValidToken(token))
        {
            reader.Fault("token", $"must be at least {OperatorWebConfig.MinimumTokenLength} characters of letters, digits, '-', '_', '.' or '~' (it is sent in a header); " +
                                  "leave it out to have a token generated and printed at each start");
            token = null;
        }
        var allowed = new List<Ipv4Network>();
        foreach ((JsonElement item, string itemPath) in reader.Array("allowFrom", required: false))
        {
            if (item.ValueKind == JsonValueKind.String && Ipv4Network.TryParse(item.GetString()!, out Ipv4Network network))
                allowed.Add(network);
            else
                faults.Add(new ConfigFault(itemPath, $"must be an IPv4 address or network such as \"10.0.0.5\" or \"192.168.1.0/24\", not {JsonObjectReader.Describe(item)}"));
        }
        return new OperatorWebConfig { Enabled = enabled, BindAddress = bind, Port = port, Token = token, AllowedSenders = allowed };
    }

    /// <summary>The control surface listens on TCP too, on its own port: the page cannot share it.</summary>
    private void CrossCheckWebPort(OperatorWebConfig web, ControlConfig control)
    {
        if (web.Enabled && web.Port != 0 && web.Port == control.Port)
            faults.Add(new ConfigFault("operator.web.port", $"port {web.Port} is already used by control (its TCP listener); give the operator page another port"));
    }
}
