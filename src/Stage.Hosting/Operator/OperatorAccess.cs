using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Stage.Core.Configuration;

namespace Stage.Hosting.Operator;

/// <summary>What a request's token amounts to.</summary>
public enum TokenCheck
{
    /// <summary>The request carries the operator token.</summary>
    Accepted,
    /// <summary>The request carries no token: read-only.</summary>
    Missing,
    /// <summary>The request carries a token that is not the operator's.</summary>
    Wrong,
}

/// <summary>
/// Who may reach the page and who may press its buttons. Reading needs only an address inside
/// <c>operator.web.allowFrom</c> (everyone when it is empty); controls need the operator token too, sent in the
/// <see cref="TokenHeader"/> header. A header, not a cookie: a browser never adds it to a request another site
/// makes, so a page elsewhere cannot press Stage's buttons with the operator's browser.
/// </summary>
public sealed class OperatorAccess
{
    /// <summary>The request header that carries the operator token.</summary>
    public const string TokenHeader = "X-Stage-Token";

    private readonly byte[] _token;
    private readonly IReadOnlyList<Ipv4Network> _allowed;

    /// <summary>Access for <paramref name="config"/> with <paramref name="token"/> (the configured one, or one from <see cref="GenerateToken"/>).</summary>
    public OperatorAccess(OperatorWebConfig config, string token)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(token);
        _token = Encoding.UTF8.GetBytes(token);
        _allowed = config.AllowedSenders;
        Token = token;
    }

    /// <summary>The operator token.</summary>
    public string Token { get; }

    /// <summary>A fresh random token: 24 bytes from the system's secure generator, base64url (32 characters).</summary>
    public static string GenerateToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

    /// <summary>True when <paramref name="remote"/> may reach the page (inside <c>allowFrom</c>, or no list).</summary>
    public bool IsAllowed(IPAddress? remote) => _allowed.Count == 0 || remote is not null && _allowed.Any(n => n.Contains(remote));

    /// <summary>Checks a request's token header value (null: none sent) in constant time.</summary>
    public TokenCheck Check(string? header)
    {
        if (string.IsNullOrEmpty(header)) return TokenCheck.Missing;
        byte[] given = Encoding.UTF8.GetBytes(header);
        return CryptographicOperations.FixedTimeEquals(given, _token) ? TokenCheck.Accepted : TokenCheck.Wrong;
    }
}
