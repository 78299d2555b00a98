using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Stage.Tests.Shared;

namespace Stage.Hosting.Tests;

/// <summary>
/// A real <c>stage run</c> of the test rig (a copy on free ports, its take log in a folder of its own, the breakout
/// world) in a child process, with camera A fed by an <see cref="OscTracker"/>: what the operator page is tested
/// against. Shared by the tests of one collection; they change takes and toggles, so each checks what it changed.
/// </summary>
public sealed partial class StageRun : IAsyncLifetime
{
    private StageProcess? _stage;

    /// <summary>The run's folder (configuration, take log, log files).</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("stage-operator-").FullName;

    /// <summary>The operator page, "http://127.0.0.1:PORT/".</summary>
    public Uri PageUrl { get; private set; } = null!;

    /// <summary>The token the run generated and printed.</summary>
    public string Token { get; private set; } = "";

    /// <summary>Camera A's tracker.</summary>
    internal OscTracker Tracker { get; private set; } = null!;

    /// <summary>An HTTP client on the page.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>What the run printed so far.</summary>
    public string Output => _stage?.Output ?? "";

    /// <summary>What the run printed on standard error so far.</summary>
    public string Error => _stage?.Error ?? "";

    public async Task InitializeAsync()
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("stage-configs", "test-rig.json")), documentOptions: new() { CommentHandling = JsonCommentHandling.Skip })!;
        int controlPort = FreeUdpPort(), trackingPort = FreeUdpPort();
        config["control"] = new JsonObject { ["bind"] = "127.0.0.1", ["port"] = controlPort };
        config["tracking"]![0]!["port"] = trackingPort;
        config["takes"] = new JsonObject { ["database"] = "takes.sqlite" };
        config["world"] = new JsonObject { ["scene"] = RepositoryPaths.Of("stage-configs", "worlds", "breakout.json") };
        // Port 0: the system picks a free one and the run prints it.
        config["operator"] = new JsonObject { ["web"] = new JsonObject { ["port"] = 0 } };
        string path = Path.Combine(Folder, "stage.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());

        Tracker = new OscTracker(trackingPort);
        _stage = StageProcess.Start("run", path, "--output", "headless", "--log-dir", Folder);
        // The token's own line: the page line before it also says "operator token", and may be all that is printed yet.
        if (!await _stage.WaitForOutputAsync("operator token (generated for this run)", TimeSpan.FromSeconds(90)))
            throw new InvalidOperationException($"stage run did not start its page.\nstdout:\n{_stage.Output}\nstderr:\n{_stage.Error}");
        PageUrl = new Uri(PageLine().Match(_stage.Output).Groups[1].Value);
        Token = TokenLine().Match(_stage.Output).Groups[1].Value;
        Http = new HttpClient { BaseAddress = PageUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        Tracker?.Dispose();
        if (_stage is not null)
        {
            _stage.Signal("INT");
            await _stage.WaitForExitAsync(TimeSpan.FromSeconds(60));
            _stage.Dispose();
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Posts a command as the page does; <paramref name="token"/> null sends none.</summary>
    public Task<HttpResponseMessage> Command(string? token, string address, params object[] args)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/command")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { address, args }), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (token is not null) request.Headers.Add("X-Stage-Token", token);
        return Http.SendAsync(request);
    }

    /// <summary>The newest frame the run's status lines have shown (once a second); −1 before the first.</summary>
    public long LatestStatusFrame => _stage!.LatestStatusFrame;

    /// <summary>Posts a command with the run's token and returns its first reply's text; fails the test on an error reply.</summary>
    public async Task<string> Ok(string address, params object[] args)
    {
        using HttpResponseMessage response = await Command(Token, address, args);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        JsonElement reply = JsonDocument.Parse(body).RootElement.GetProperty("replies")[0];
        Assert.True(reply.GetProperty("ok").GetBoolean(), body);
        return reply.GetProperty("text").GetString()!;
    }

    /// <summary>The takes of the day, as the page lists them.</summary>
    public async Task<JsonElement[]> Takes()
    {
        string body = await Http.GetStringAsync("/api/takes");
        return JsonDocument.Parse(body).RootElement.GetProperty("takes").EnumerateArray().ToArray();
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    [GeneratedRegex(@"operator page: (http://\S+)")]
    private static partial Regex PageLine();

    [GeneratedRegex(@"operator token \(generated for this run\): (\S+)")]
    private static partial Regex TokenLine();
}

/// <summary>The tests that share one <see cref="StageRun"/> (run one after another: they change its takes).</summary>
[CollectionDefinition(Name)]
public sealed class StageRunCollection : ICollectionFixture<StageRun>, ICollectionFixture<Browser>
{
    public const string Name = "a stage run with its operator page";
}
