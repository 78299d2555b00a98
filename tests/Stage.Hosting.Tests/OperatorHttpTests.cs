using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Stage.Hosting.Tests;

/// <summary>The page's HTTP surface against a real <c>stage run</c>: the live stream, the commands' refusals, the exports.</summary>
[Collection(StageRunCollection.Name)]
public sealed class OperatorHttpTests(StageRun stage, ITestOutputHelper log)
{
    [Fact]
    public async Task The_live_status_is_pushed_as_server_sent_events_several_times_a_second()
    {
        using HttpResponseMessage response = await stage.Http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var clock = Stopwatch.StartNew();
        var events = new List<JsonElement>();
        var latencyMs = new List<double>();
        long lastSequence = -1;
        // The push rate is counted from the first event (connecting is not pushing: on a loaded machine it takes a while).
        Stopwatch? pushing = null;
        while ((pushing?.Elapsed ?? TimeSpan.Zero) < TimeSpan.FromSeconds(3) && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            string? line = await reader.ReadLineAsync();
            if (line is null) break;
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            long received = Stopwatch.GetTimestamp();
            JsonElement status = JsonDocument.Parse(line["data: ".Length..]).RootElement;
            events.Add(status);
            pushing ??= Stopwatch.StartNew();
            // Only pushes of a snapshot not seen before: the first event is the one already written (handed over on
            // connecting), and between the engine's publications the last snapshot is pushed again with fresh trackers.
            long sequence = status.GetProperty("engine").GetProperty("sequence").GetInt64();
            if (events.Count == 1 || sequence == lastSequence) { lastSequence = sequence; continue; }
            lastSequence = sequence;
            // Stopwatch is the machine's monotonic clock, the same in both processes.
            long published = status.GetProperty("engine").GetProperty("publishedTimestamp").GetInt64();
            latencyMs.Add((received - published) * 1000.0 / Stopwatch.Frequency);
        }
        double perSecond = (events.Count - 1) / pushing!.Elapsed.TotalSeconds;
        latencyMs.Sort();
        log.WriteLine($"{events.Count} events in {pushing.Elapsed.TotalSeconds:0.0} s after the first ({perSecond:0.0}/s); engine publish → received p50 {latencyMs[latencyMs.Count / 2]:0.0} ms, max {latencyMs[^1]:0.0} ms");
        Assert.True(perSecond >= 4, $"{perSecond:0.0} events a second");
        JsonElement last = events[^1];
        Assert.True(last.GetProperty("engine").GetProperty("started").GetBoolean());
        Assert.Equal("A", last.GetProperty("cameras")[0].GetProperty("id").GetString());
        Assert.True(last.GetProperty("world").GetProperty("present").GetBoolean());
        // Frames move on between events.
        Assert.True(last.GetProperty("engine").GetProperty("frame").GetInt64() > events[0].GetProperty("engine").GetProperty("frame").GetInt64());
    }

    [Fact]
    public async Task Malformed_and_unknown_requests_get_a_status_and_a_sentence_naming_the_fault()
    {
        async Task<(HttpStatusCode, string)> Post(string body, string type = "application/json")
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/command") { Content = new StringContent(body, Encoding.UTF8, type) };
            request.Headers.Add("X-Stage-Token", stage.Token);
            // Wait for the server's go-ahead before sending the body: a refusal (413) then arrives instead of a connection
            // the server closed while the body was still on its way.
            request.Headers.ExpectContinue = true;
            using HttpResponseMessage response = await stage.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        (HttpStatusCode status, string text) = await Post("""{"address": "/stage/take/start", "args": [""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("it is not JSON", text);
        (status, text) = await Post("address=/stage/take/start", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("Content-Type: application/json", text);
        (status, text) = await Post(new string('x', 20_000));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        (status, text) = await Post("""{"address": "/stage/camera/chromakey", "args": ["Z", 1]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"ok\":false", text);
        Assert.Contains("no camera 'Z' (cameras: A)", text);
        (status, text) = await Post("""{"address": "/stage/camera/chromakey", "args": ["A"]}""");
        Assert.Contains("missing on; expected /stage/camera/chromakey camera on:switch", text);

        using HttpResponseMessage missing = await stage.Http.GetAsync("/api/nothing");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no page or API at GET /api/nothing", await missing.Content.ReadAsStringAsync());
        using HttpResponseMessage badDay = await stage.Http.GetAsync("/api/takes?day=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badDay.StatusCode);
        Assert.Contains("day 'yesterday' is not a date written YYYY-MM-DD", await badDay.Content.ReadAsStringAsync());
        using HttpResponseMessage noPicture = await stage.Http.GetAsync("/api/thumbnails/out-nowhere");
        Assert.Equal(HttpStatusCode.NotFound, noPicture.StatusCode);
        using HttpResponseMessage notATake = await stage.Http.GetAsync("/api/takes/x1/export?format=json");
        Assert.Equal(HttpStatusCode.BadRequest, notATake.StatusCode);
        using HttpResponseMessage noTake = await stage.Http.GetAsync("/api/takes/99999/export?format=json");
        Assert.Equal(HttpStatusCode.NotFound, noTake.StatusCode);
        Assert.Contains("take 99999 does not exist", await noTake.Content.ReadAsStringAsync());
        // The run is unharmed.
        Assert.Equal("pong", await stage.Ok("/stage/ping"));
    }

    [Fact]
    public async Task A_take_shot_through_the_page_downloads_as_ALE_CSV_chan_and_JSON()
    {
        string slate = "EX" + Random.Shared.Next(100, 999);
        Assert.StartsWith($"recording {slate}/1", await stage.Ok("/stage/take/start", slate));
        // Frames, not seconds (a loaded machine draws fewer and drops more): record until the take holds the twelve
        // frames drawn (frames less dropped) that the ten .chan rows below need.
        var recording = System.Diagnostics.Stopwatch.StartNew();
        while (recording.Elapsed < TimeSpan.FromSeconds(60))
        {
            JsonElement? shooting = (await stage.Takes()).Cast<JsonElement?>().SingleOrDefault(t => t!.Value.GetProperty("scene").GetString() == slate);
            if (shooting is { } t && t.GetProperty("frames").GetInt64() - t.GetProperty("dropped").GetInt64() >= 12) break;
            await Task.Delay(250);
        }
        Assert.StartsWith($"stopped {slate}/1", await stage.Ok("/stage/take/stop"));
        Assert.Equal($"marked NG {slate}/1", await stage.Ok("/stage/take/ng"));
        JsonElement take = (await stage.Takes()).Single(t => t.GetProperty("scene").GetString() == slate);
        long id = take.GetProperty("id").GetInt64();
        Assert.True(take.GetProperty("noGood").GetBoolean());
        string day = JsonDocument.Parse(await stage.Http.GetStringAsync("/api/takes")).RootElement.GetProperty("day").GetString()!;

        async Task<(string Name, string Text)> Download(string path)
        {
            using HttpResponseMessage response = await stage.Http.GetAsync(path);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{path}: {body}");
            return (response.Content.Headers.ContentDisposition!.FileName!.Trim('"'), body);
        }
        (string name, string text) = await Download($"/api/takes/export?format=ale&day={day}");
        Assert.Equal($"{day}.ale", name);
        Assert.StartsWith("Heading", text);
        Assert.Contains($"A_S{slate}_T001\t", text);
        (name, text) = await Download($"/api/takes/export?format=csv&day={day}");
        Assert.Equal($"{day}.csv", name);
        Assert.Contains(slate, text);
        (name, text) = await Download($"/api/takes/{id}/export?format=chan&camera=A");
        Assert.Equal($"{day}_A_S{slate}_T001_A.chan", name);
        Assert.True(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 10, text);
        (name, text) = await Download($"/api/takes/{id}/export?format=json");
        Assert.Equal($"{day}_A_S{slate}_T001.json", name);
        Assert.Contains("\"transforms\"", text);

        using HttpResponseMessage noCamera = await stage.Http.GetAsync($"/api/takes/{id}/export?format=chan&camera=Z");
        Assert.Equal(HttpStatusCode.NotFound, noCamera.StatusCode);
        Assert.Contains("has no track of camera 'Z' (cameras: A)", await noCamera.Content.ReadAsStringAsync());
        using HttpResponseMessage badFormat = await stage.Http.GetAsync($"/api/takes/{id}/export?format=edl");
        Assert.Contains("'edl' is not a take's export: chan or json", await badFormat.Content.ReadAsStringAsync());
    }
}
