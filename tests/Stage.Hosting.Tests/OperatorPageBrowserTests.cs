using System.Diagnostics;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Stage.Render.Imaging;
using Stage.Tests.Shared;
using Xunit.Abstractions;

namespace Stage.Hosting.Tests;

/// <summary>The operator page in a real browser (Debian's chromium through Playwright) against a real <c>stage run</c>.</summary>
[Collection(StageRunCollection.Name)]
public sealed class OperatorPageBrowserTests(StageRun stage, Browser browser, ITestOutputHelper log)
{
    /// <summary>Where the screenshots go (test artefacts; one copy of each is committed under docs/).</summary>
    private static readonly string Artefacts = RepositoryPaths.Of("tests", "Stage.Hosting.Tests", "TestResults", "operator-page");

    private static async Task<int> StatusCount(IPage page) => int.Parse(await page.EvaluateAsync<string>("() => document.body.dataset.statusCount || '0'"), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task WaitForStatus(IPage page) =>
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.statusCount || 0) >= 1", null, new PageWaitForFunctionOptions { Timeout = 30_000 });

    [Fact]
    public async Task The_page_loads_from_stage_alone_and_status_arrives_at_least_four_times_a_second()
    {
        var requested = new List<string>();
        IBrowserContext context = await browser.Chromium.NewContextAsync();
        IPage page = await context.NewPageAsync();
        page.Request += (_, request) => { lock (requested) requested.Add(request.Url); };
        await page.GotoAsync(stage.PageUrl.ToString());
        await WaitForStatus(page);
        int before = await StatusCount(page);
        var clock = Stopwatch.StartNew();
        await Task.Delay(3000);
        int after = await StatusCount(page);
        double perSecond = (after - before) / clock.Elapsed.TotalSeconds;
        log.WriteLine($"status events: {perSecond:0.0} per second");
        Assert.True(perSecond >= 4, $"{perSecond:0.0} status updates a second");

        Assert.Equal("Test rig", await page.TextContentAsync("#stage-name"));
        Assert.Equal("Running", await page.TextContentAsync("#engine-state-text"));
        Assert.Equal(3, await page.Locator("#map-walls polyline, #map-walls polygon").CountAsync());
        Assert.Contains("of 24 fps", await page.TextContentAsync("#fps"));
        // Every file the page needs comes from Stage: nothing from the internet.
        lock (requested) Assert.All(requested, url => Assert.StartsWith(stage.PageUrl.GetLeftPart(UriPartial.Authority), url));
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_tracker_going_silent_shows_LOST_within_its_timeout_and_OK_when_it_comes_back()
    {
        IPage page = await browser.OpenAsync(stage.PageUrl);
        ILocator status = page.Locator("tr[data-camera='A'] .status");
        await Assertions.Expect(status).ToHaveTextAsync("● OK", new() { Timeout = 30_000 });
        stage.Tracker.Sending = false;
        await Task.Delay(50);
        DateTime last = stage.Tracker.LastSentUtc;
        // Watched every 10 ms in the page itself, so the figure is the page's, not the test's polling.
        await page.WaitForFunctionAsync("() => document.querySelector(\"tr[data-camera='A'] .status\").dataset.state === 'LOST'", null,
            new PageWaitForFunctionOptions { Timeout = 5_000, PollingInterval = 10 });
        double shownAfterMs = (DateTime.UtcNow - last).TotalMilliseconds;
        await Assertions.Expect(status).ToHaveTextAsync("✕ LOST");
        log.WriteLine($"LOST shown {shownAfterMs:0} ms after the last packet (loss timeout 100 ms)");
        // The loss timeout (100 ms), the next push (100 ms apart while the engine publishes) and the browser's work; generous for a loaded machine.
        Assert.True(shownAfterMs < 1500, $"LOST shown {shownAfterMs:0} ms after the last packet");
        Assert.Equal("LOST", await page.GetAttributeAsync("#map-cameras .camera", "data-state"));
        stage.Tracker.Sending = true;
        await Assertions.Expect(status).ToHaveTextAsync("● OK", new() { Timeout = 5_000 });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Starting_a_take_on_the_page_shows_REC_and_the_new_take_in_the_list()
    {
        IPage page = await browser.OpenAsync(stage.PageUrl);
        await WaitForStatus(page);
        await Unlock(page);
        string slate = "PW" + Random.Shared.Next(100, 999);
        await page.FillAsync("#slate", slate);
        await page.ClickAsync("#take-start-button");
        await Assertions.Expect(page.Locator("#rec-text")).ToHaveTextAsync($"REC {slate}/1", new() { Timeout = 10_000 });
        Assert.Equal("rec", await page.GetAttributeAsync("#rec", "data-state"));
        await Assertions.Expect(page.Locator("#reply")).ToContainTextAsync($"OK: /stage/take/start — recording {slate}/1");
        ILocator row = page.Locator("#takes tbody tr", new() { HasText = $"{slate}/1" });
        await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Assertions.Expect(row).ToContainTextAsync("● REC");

        await page.ClickAsync("#take-stop");
        await Assertions.Expect(page.Locator("#rec-text")).ToContainTextAsync("STANDBY", new() { Timeout = 10_000 });
        await Assertions.Expect(row).ToContainTextAsync("complete", new() { Timeout = 10_000 });
        // Circled from the take list, through /stage/takes/circle.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Circle {slate}/1" }).ClickAsync();
        await Assertions.Expect(page.Locator("#takes tbody tr", new() { HasText = $"{slate}/1" })).ToContainTextAsync("◎ circled", new() { Timeout = 10_000 });
        JsonElement take = (await stage.Takes()).Single(t => t.GetProperty("scene").GetString() == slate);
        Assert.True(take.GetProperty("circled").GetBoolean());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_control_without_the_token_is_refused_with_403_and_changes_nothing()
    {
        int takesBefore = (await stage.Takes()).Length;
        using (HttpResponseMessage none = await stage.Command(null, "/stage/take/start", "NOPE"))
        {
            Assert.Equal(403, (int)none.StatusCode);
            Assert.Contains("controls need the operator token in the X-Stage-Token header", await none.Content.ReadAsStringAsync());
        }
        using (HttpResponseMessage wrong = await stage.Command(stage.Token + "x", "/stage/camera/chromakey", "A", 1))
        {
            Assert.Equal(403, (int)wrong.StatusCode);
            Assert.Contains("the operator token is wrong", await wrong.Content.ReadAsStringAsync());
        }

        // The page without the token: it shows the controls, and the server refuses them.
        IPage page = await browser.OpenAsync(stage.PageUrl);
        await WaitForStatus(page);
        Assert.Equal("Read-only", await page.TextContentAsync("#lock-text"));
        string recBefore = (await page.TextContentAsync("#rec-text"))!;
        await page.FillAsync("#slate", "NOPE");
        await page.ClickAsync("#take-start-button");
        await Assertions.Expect(page.Locator("#reply")).ToContainTextAsync("Refused (403)", new() { Timeout = 10_000 });
        await page.ClickAsync("tr[data-camera='A'] button[data-field='chromaKey']");
        await Assertions.Expect(page.Locator("#reply")).ToContainTextAsync("Refused (403)");
        await Task.Delay(500);
        Assert.Equal(recBefore, await page.TextContentAsync("#rec-text"));
        Assert.Equal("false", await page.GetAttributeAsync("tr[data-camera='A'] button[data-field='chromaKey']", "aria-pressed"));
        Assert.Equal(takesBefore, (await stage.Takes()).Length);
        Assert.DoesNotContain(await stage.Takes(), t => t.GetProperty("scene").GetString() == "NOPE");
        // Every refusal is in the run's log with who sent it.
        string logText = string.Join("\n", Directory.GetFiles(stage.Folder, "stage-*.log").Select(File.ReadAllText));
        Assert.Contains("refused: controls need the operator token", logText);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_thumbnails_change_when_the_camera_moves_and_hold_while_it_is_still()
    {
        IPage page = await browser.OpenAsync(stage.PageUrl);
        await WaitForStatus(page);
        // The key fill marks the inner frustum on the walls, whatever the world does: where it lies says where the camera looks.
        await stage.Ok("/stage/camera/chromakey", "A", 1);
        try
        {
            stage.Tracker.MoveTo(0, 0.5f, 0, -20);
            (double leftX, int leftCount, string leftVersion) = await KeyOnFrontWall(page);
            stage.Tracker.MoveTo(0, 0.5f, 0, 20);
            (double rightX, int rightCount, string rightVersion) = await KeyOnFrontWall(page);
            (double stillX, _, _) = await KeyOnFrontWall(page);
            log.WriteLine($"key centroid on the front wall: pan -20° x {leftX:0.0} px ({leftCount} px), pan +20° x {rightX:0.0} px ({rightCount} px), still {stillX:0.0} px");
            Assert.True(leftCount > 50 && rightCount > 50, $"key pixels {leftCount}, {rightCount}");
            // Panning right moves the inner frustum right on the front wall (about 20 px of its 64 at this distance).
            Assert.True(rightX - leftX > 8, $"centroid moved {rightX - leftX:0.0} px");
            Assert.True(Math.Abs(stillX - rightX) < 1.5, $"centroid moved {stillX - rightX:0.0} px with the camera still");
            // The page follows the thumbnails' versions as they are pushed.
            Assert.NotEqual(leftVersion, rightVersion);
            await Assertions.Expect(page.Locator("#thumb-out-front")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex(@"/api/thumbnails/out-front\?v=\d+"));
        }
        finally
        {
            await stage.Ok("/stage/camera/chromakey", "A", 0);
            stage.Tracker.MoveTo(0, 1.6f, 2, 0);
            await page.Context.CloseAsync();
        }
    }

    /// <summary>
    /// Waits two thumbnail rounds (so the pose just sent is in the picture), then the key-green pixels of the front
    /// wall's region of out-front (its top-left 64 × 32): their mean x, their count, and the page's thumbnail version.
    /// </summary>
    private async Task<(double X, int Count, string Version)> KeyOnFrontWall(IPage page)
    {
        long Frame(HttpResponseMessage r) => long.Parse(r.Headers.GetValues("X-Stage-Frame").Single(), System.Globalization.CultureInfo.InvariantCulture);
        // Count from the engine's frame now (its last status line, up to a second old: a second's frames more), or from the
        // newest thumbnail if that is later: a thumbnail can lag the engine by rounds on a loaded machine.
        long start = stage.LatestStatusFrame + 24;
        using (HttpResponseMessage first = await stage.Http.GetAsync("/api/thumbnails/out-front"))
            if (first.IsSuccessStatusCode) start = Math.Max(start, Frame(first));
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            using HttpResponseMessage response = await stage.Http.GetAsync("/api/thumbnails/out-front");
            if (response.IsSuccessStatusCode && Frame(response) >= start + 48)
            {
                PngImage image = PngCodec.Decode(await response.Content.ReadAsByteArrayAsync());
                double sum = 0;
                int count = 0;
                for (int y = 0; y < Math.Min(32, image.Height); y++)
                    for (int x = 0; x < Math.Min(64, image.Width); x++)
                    {
                        int r = image[x, y, 0], g = image[x, y, 1], b = image[x, y, 2];
                        if (r < 40 && g > 150 && g > 2 * b) { sum += x; count++; }
                    }
                string version = await page.GetAttributeAsync("#thumb-out-front", "data-version") ?? "";
                return (count == 0 ? double.NaN : sum / count, count, version);
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("no new thumbnail of out-front within 30 s");
    }

    [Fact]
    public async Task The_page_is_reachable_by_keyboard_passes_an_accessibility_scan_and_fits_a_tablet()
    {
        Directory.CreateDirectory(Artefacts);
        await stage.Ok("/stage/take/start", "SHOT");
        await Task.Delay(1500);
        await stage.Ok("/stage/take/stop");
        await stage.Ok("/stage/take/note", "clean; boom clear");
        foreach ((string name, int width, int height) in new[] { ("desk", 1440, 900), ("tablet", 768, 1024) })
        {
            IPage page = await browser.OpenAsync(stage.PageUrl, width, height);
            await WaitForStatus(page);
            await Unlock(page);
            // Pictures, the map's entities and the take list, as an operator sees the page after a second or two.
            await page.WaitForFunctionAsync("() => document.querySelector('#thumb-out-front').dataset.version && document.querySelectorAll('#map-entities circle').length > 0 && document.querySelectorAll('#takes tbody tr').length > 0",
                null, new PageWaitForFunctionOptions { Timeout = 30_000 });

            AxeResult scan = await page.RunAxe();
            string[] serious = scan.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Select(n => n.Html))}").ToArray();
            log.WriteLine($"{name}: {scan.Violations.Length} axe violations ({string.Join(", ", scan.Violations.Select(v => $"{v.Id} {v.Impact}"))}), {scan.Passes.Length} rules passed");
            Assert.True(serious.Length == 0, $"{name}: serious accessibility violations:\n{string.Join("\n", serious)}");

            // Nothing wider than the screen: a tablet scrolls down, never sideways.
            int scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= width, $"{name}: the page is {scrollWidth} px wide on a {width} px screen");

            string path = Path.Combine(Artefacts, $"{name}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            Assert.True(new FileInfo(path).Length > 10_000);
            log.WriteLine($"screenshot {path}");
            await page.Context.CloseAsync();
        }

        // Every control by keyboard alone: Tab visits each of them.
        IPage keys = await browser.OpenAsync(stage.PageUrl);
        await WaitForStatus(keys);
        await keys.WaitForSelectorAsync("#takes tbody tr");
        var visited = new HashSet<string>();
        for (int i = 0; i < 80; i++)
        {
            await keys.Keyboard.PressAsync("Tab");
            visited.Add(await keys.EvaluateAsync<string>("() => document.activeElement.id || document.activeElement.textContent.trim()"));
        }
        foreach (string control in new[] { "token", "unlock", "slate", "take-start-button", "take-stop", "take-circle", "take-ng", "note", "Chroma key A: off", "Markers A: off", "rule-name", "rule-value", "rule-set", "reset-take", "reset", "day", "download-ale", "download-csv" })
            Assert.Contains(control, visited);
        await keys.Context.CloseAsync();
    }

    private async Task Unlock(IPage page)
    {
        await page.FillAsync("#token", stage.Token);
        await page.ClickAsync("#unlock");
        await Assertions.Expect(page.Locator("#lock-text")).ToHaveTextAsync("Controls unlocked", new() { Timeout = 10_000 });
    }
}
