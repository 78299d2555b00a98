using System.Diagnostics;
using System.Text.Json;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// Operator pages as the server sees them, for <c>stage bench run --pages N</c>: each holds the live status stream
/// open (Server-Sent Events), fetches each thumbnail whose version changes and the take list when its revision
/// changes — what the page's script does — and times every push of a new engine snapshot from the engine's
/// publication (Stopwatch, the machine's monotonic clock) to its arrival here. The browser's own drawing is left
/// out on purpose: on a stage it runs on a tablet, not on the engine's machine.
/// </summary>
internal sealed class PageClients : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pages = [];
    private readonly List<double> _pushMs = [];
    private readonly Lock _gate = new();
    private long _events;
    private long _thumbnails;

    private PageClients(Uri url) => _http = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Opens <paramref name="count"/> pages on <paramref name="url"/>.</summary>
    public static PageClients Open(Uri url, int count)
    {
        var clients = new PageClients(url);
        for (int i = 0; i < count; i++) clients._pages.Add(Task.Run(clients.Page));
        return clients;
    }

    /// <summary>Status events received by all pages.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Thumbnails fetched by all pages.</summary>
    public long Thumbnails => Interlocked.Read(ref _thumbnails);

    /// <summary>Publication → arrival of every new engine snapshot at every page, ms.</summary>
    public double[] PushMs()
    {
        lock (_gate) return [.. _pushMs];
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        foreach (Task page in _pages)
        {
            try
            {
                await page;
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
            {
                // The stream was cut as the bench stopped the page.
            }
        }
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task Page()
    {
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        long takesRevision = -1, sequence = -1;
        bool first = true;
        using HttpResponseMessage response = await _http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
        while (!_stop.IsCancellationRequested)
        {
            string? line = await reader.ReadLineAsync(_stop.Token);
            if (line is null) return;
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            long received = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _events);
            using JsonDocument document = JsonDocument.Parse(line.AsMemory(6));
            JsonElement status = document.RootElement;
            JsonElement engine = status.GetProperty("engine");
            if (engine.GetProperty("started").GetBoolean())
            {
                long now = engine.GetProperty("sequence").GetInt64();
                // The event handed over on connecting and re-sent snapshots are not pushes of a new one.
                if (!first && now != sequence)
                {
                    double ms = (received - engine.GetProperty("publishedTimestamp").GetInt64()) * 1000.0 / Stopwatch.Frequency;
                    lock (_gate) _pushMs.Add(ms);
                }
                sequence = now;
            }
            first = false;
            foreach (JsonElement output in status.GetProperty("outputs").EnumerateArray())
            {
                if (output.GetProperty("thumbnail").ValueKind != JsonValueKind.Object) continue;
                string id = output.GetProperty("id").GetString()!;
                long version = output.GetProperty("thumbnail").GetProperty("version").GetInt64();
                if (versions.GetValueOrDefault(id) == version) continue;
                versions[id] = version;
                await _http.GetByteArrayAsync($"/api/thumbnails/{id}?v={version}", _stop.Token);
                Interlocked.Increment(ref _thumbnails);
            }
            long revision = status.GetProperty("take").GetProperty("revision").GetInt64();
            if (revision != takesRevision)
            {
                takesRevision = revision;
                await _http.GetStringAsync("/api/takes", _stop.Token);
            }
        }
    }
}
