using System.Net;
using Stage.Core.Configuration;
using Stage.Hosting.Operator;

namespace Stage.Hosting.Tests;

public sealed class OperatorAccessTests
{
    [Fact]
    public void Only_the_exact_token_unlocks_the_controls()
    {
        var access = new OperatorAccess(new OperatorWebConfig(), "stage-floor-2024.A");
        Assert.Equal(TokenCheck.Accepted, access.Check("stage-floor-2024.A"));
        Assert.Equal(TokenCheck.Wrong, access.Check("stage-floor-2024.a"));
        Assert.Equal(TokenCheck.Wrong, access.Check("stage-floor-2024.A "));
        Assert.Equal(TokenCheck.Wrong, access.Check("stage-floor-2024"));
        Assert.Equal(TokenCheck.Missing, access.Check(null));
        Assert.Equal(TokenCheck.Missing, access.Check(""));
    }

    [Fact]
    public void Generated_tokens_are_long_random_and_fit_a_header()
    {
        string[] tokens = Enumerable.Range(0, 50).Select(_ => OperatorAccess.GenerateToken()).ToArray();
        Assert.Equal(50, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.Equal(32, t.Length));
        Assert.All(tokens, t => Assert.True(OperatorWebConfig.IsValidToken(t), t));
    }

    [Fact]
    public void Allow_from_admits_its_networks_only_and_an_empty_list_admits_everyone()
    {
        Assert.True(new OperatorAccess(new OperatorWebConfig(), "t0123456789ab").IsAllowed(IPAddress.Parse("203.0.113.9")));
        Ipv4Network.TryParse("192.168.10.0/24", out Ipv4Network lan);
        var access = new OperatorAccess(new OperatorWebConfig { AllowedSenders = [lan] }, "t0123456789ab");
        Assert.True(access.IsAllowed(IPAddress.Parse("192.168.10.44")));
        Assert.True(access.IsAllowed(IPAddress.Parse("::ffff:192.168.10.44")));
        Assert.False(access.IsAllowed(IPAddress.Parse("192.168.11.44")));
        Assert.False(access.IsAllowed(IPAddress.Parse("127.0.0.1")));
        Assert.False(access.IsAllowed(null));
    }
}
