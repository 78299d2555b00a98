using System.Net;
using System.Text.Json.Nodes;
using Stage.Core.Configuration;

namespace Stage.Core.Tests.Configuration;

/// <summary>The "operator.web" section: the operator page's address, token and allowed networks; defaults when absent, every fault with its path.</summary>
public sealed class OperatorWebConfigTests
{
    [Fact]
    public void Without_the_section_the_page_is_on_at_localhost_8080_with_a_generated_token_for_everyone()
    {
        OperatorWebConfig web = ConfigFixture.Load(ConfigFixture.Valid()).Config!.Operator.Web;
        Assert.True(web.Enabled);
        Assert.Equal("127.0.0.1", web.BindAddress);
        Assert.Equal(8080, web.Port);
        Assert.Null(web.Token);
        Assert.Empty(web.AllowedSenders);
    }

    [Fact]
    public void The_section_sets_the_address_the_token_and_the_networks()
    {
        JsonObject root = ConfigFixture.Valid();
        root["operator"] = JsonNode.Parse("""{ "web": { "bind": "0.0.0.0", "port": 0, "token": "stage-floor-2024.A", "allowFrom": ["10.0.0.0/8", "192.168.1.7"] } }""");
        OperatorWebConfig web = ConfigFixture.Load(root).Config!.Operator.Web;
        Assert.Equal("0.0.0.0", web.BindAddress);
        Assert.Equal(0, web.Port);
        Assert.Equal("stage-floor-2024.A", web.Token);
        Assert.True(web.AllowedSenders[0].Contains(IPAddress.Parse("10.1.2.3")));
        Assert.True(web.AllowedSenders[1].Contains(IPAddress.Parse("192.168.1.7")));
        Assert.DoesNotContain(web.AllowedSenders, n => n.Contains(IPAddress.Parse("192.168.1.8")));

        root["operator"] = JsonNode.Parse("""{ "web": { "enabled": false } }""");
        Assert.False(ConfigFixture.Load(root).Config!.Operator.Web.Enabled);
    }

    [Fact]
    public void Web_faults_are_named_with_their_path()
    {
        JsonObject root = ConfigFixture.Valid();
        root["operator"] = JsonNode.Parse("""{ "web": { "bind": "stage.local", "port": 70000, "token": "short", "allowFrom": ["10.0.0.0/33", 5], "https": true, "enabled": "yes" } }""");
        IReadOnlyList<ConfigFault> faults = ConfigFixture.Faults(root);
        ConfigFixture.AssertFault(faults, "operator.web.bind", "is not an IPv4 address");
        ConfigFixture.AssertFault(faults, "operator.web.port", "must be between 0 and 65535");
        ConfigFixture.AssertFault(faults, "operator.web.token", "must be at least 12 characters");
        ConfigFixture.AssertFault(faults, "operator.web.allowFrom[0]", "must be an IPv4 address or network");
        ConfigFixture.AssertFault(faults, "operator.web.allowFrom[1]", "must be an IPv4 address or network");
        ConfigFixture.AssertFault(faults, "operator.web.https", "unknown field");
        ConfigFixture.AssertFault(faults, "operator.web.enabled", "must be true or false");
    }

    [Fact]
    public void A_token_that_cannot_travel_in_a_header_is_refused()
    {
        JsonObject root = ConfigFixture.Valid();
        root["operator"] = JsonNode.Parse("""{ "web": { "token": "a long token with spaces" } }""");
        ConfigFixture.AssertFault(ConfigFixture.Faults(root), "operator.web.token", "letters, digits");
    }

    [Fact]
    public void The_page_cannot_share_the_control_port_which_listens_on_tcp_too()
    {
        JsonObject root = ConfigFixture.Valid();
        root["operator"] = JsonNode.Parse("""{ "web": { "port": 8000 } }""");
        ConfigFixture.AssertFault(ConfigFixture.Faults(root), "operator.web.port", "already used by control");
    }
}
