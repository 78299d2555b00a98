namespace Stage.Core.Configuration;

/// <summary>
/// The operator's web page (<c>operator.web</c>): where <c>stage run</c> serves it, the token its controls
/// need, and the networks that may reach it. Defaults: on, 127.0.0.1:8080, a token generated at each start,
/// every sender allowed.
/// </summary>
public sealed record OperatorWebConfig
{
    /// <summary>The port when the configuration gives none.</summary>
    public const int DefaultPort = 8080;

    /// <summary>The fewest characters a configured token may have (it is the only thing between a browser and the controls).</summary>
    public const int MinimumTokenLength = 12;

    /// <summary>False: <c>stage run</c> serves no page.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The IPv4 address to listen on: 127.0.0.1 (this machine only, the default), a stage LAN address, or 0.0.0.0 for every interface.</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 lets the system choose a free one (the URL printed at start names it).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The operator token the controls need (sent in the X-Stage-Token header); null: one is generated at each start and printed.</summary>
    public string? Token { get; init; }

    /// <summary>Networks allowed to reach the page at all (IPv4 networks); empty allows everyone.</summary>
    public IReadOnlyList<Ipv4Network> AllowedSenders { get; init; } = [];

    /// <summary>True when <paramref name="token"/> may be a configured token: long enough and safe in an HTTP header.</summary>
    public static bool IsValidToken(string token) =>
        token.Length >= MinimumTokenLength && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~');
}
