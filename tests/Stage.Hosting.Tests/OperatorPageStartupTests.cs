using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Stage.Hosting.Operator;

namespace Stage.Hosting.Tests;

/// <summary>Starting the page: where it listens, what it prints, and what happens when it cannot.</summary>
public sealed class OperatorPageStartupTests
{
    [Fact]
    public async Task A_page_on_a_free_port_prints_its_url_and_the_generated_token_and_serves_itself()
    {
        using var run = new InProcessPage(new JsonObject { ["port"] = 0 });
        var output = new StringWriter();
        using OperatorPage page = OperatorPageStartup.TryStart(run.Parts(), output, new StringWriter())!;
        Assert.NotNull(page);
        Assert.True(page.TokenGenerated);
        Assert.Equal($"http://127.0.0.1:{page.Port}/", Assert.Single(page.Urls));
        Assert.Contains($"operator page: http://127.0.0.1:{page.Port}/", output.ToString());
        Assert.Contains($"operator token (generated for this run): {page.Access.Token} — or open http://127.0.0.1:{page.Port}/#token={page.Access.Token}", output.ToString());

        using var http = new HttpClient { BaseAddress = new Uri(page.Urls[0]) };
        using HttpResponseMessage index = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType!.MediaType);
        Assert.Contains("default-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("<script src=\"/app.js\"", await index.Content.ReadAsStringAsync());
        foreach (string asset in new[] { "/app.js", "/app.css", "/favicon.svg" })
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(asset)).StatusCode);
        string stage = await http.GetStringAsync("/api/stage");
        Assert.Contains("\"name\":\"Test rig\"", stage);
        Assert.Contains("\"/stage/takes/ng\"", stage);
    }

    [Fact]
    public void A_configured_token_is_used_and_not_printed()
    {
        using var run = new InProcessPage(new JsonObject { ["port"] = 0, ["token"] = "floor-token-0001" });
        var output = new StringWriter();
        using OperatorPage page = OperatorPageStartup.TryStart(run.Parts(), output, new StringWriter())!;
        Assert.False(page.TokenGenerated);
        Assert.Equal("floor-token-0001", page.Access.Token);
        Assert.DoesNotContain("floor-token-0001", output.ToString());
        Assert.Contains("operator token: the one in operator.web.token", output.ToString());
    }

    [Fact]
    public void A_port_in_use_is_named_with_the_fix_and_the_run_goes_on_without_the_page()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;
        using var run = new InProcessPage(new JsonObject { ["port"] = port });
        var error = new StringWriter();
        Assert.Null(OperatorPageStartup.TryStart(run.Parts(), new StringWriter(), error));
        Assert.Contains($"warning: operator page: port {port} on 127.0.0.1 is in use", error.ToString());
        Assert.Contains("choose another operator.web.port (0: any free port); the stage runs without its operator page", error.ToString());
        // The engine is untouched: it still runs its frames.
        run.Engine.Run(CancellationToken.None);
        Assert.Equal(48, run.Engine.Statistics.Frames);
    }

    [Fact]
    public void An_address_that_is_not_this_machines_is_named()
    {
        using var run = new InProcessPage(new JsonObject { ["port"] = 0, ["bind"] = "192.0.2.77" });
        var error = new StringWriter();
        Assert.Null(OperatorPageStartup.TryStart(run.Parts(), new StringWriter(), error));
        Assert.Contains("operator page: 192.0.2.77 is not an address of this machine", error.ToString());
    }

    [Fact]
    public void A_page_switched_off_is_not_served_and_says_so()
    {
        using var run = new InProcessPage(new JsonObject { ["enabled"] = false });
        var output = new StringWriter();
        Assert.Null(OperatorPageStartup.TryStart(run.Parts(), output, new StringWriter()));
        Assert.Contains("operator page: off", output.ToString());
    }

    [Fact]
    public async Task A_sender_outside_allow_from_is_refused_everything_with_the_reason()
    {
        using var run = new InProcessPage(new JsonObject { ["port"] = 0, ["allowFrom"] = new JsonArray("10.0.0.0/8") });
        using OperatorPage page = OperatorPageStartup.TryStart(run.Parts(), new StringWriter(), new StringWriter())!;
        using var http = new HttpClient { BaseAddress = new Uri(page.Urls[0]) };
        foreach (string path in new[] { "/", "/api/stage", "/api/events", "/api/takes" })
        {
            using HttpResponseMessage response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("127.0.0.1 may not reach this stage's operator page (operator.web.allowFrom)", await response.Content.ReadAsStringAsync());
        }
    }
}
