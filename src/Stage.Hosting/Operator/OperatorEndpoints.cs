using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Stage.Engine.Control;
using Stage.Osc;
using Stage.Takes;

namespace Stage.Hosting.Operator;

/// <summary>
/// The page's HTTP surface. Reading (the page, its files, <c>/api/stage</c>, <c>/api/events</c>, thumbnails,
/// takes and their exports) needs only an address in <c>allowFrom</c>; <c>POST /api/command</c> needs the operator
/// token in the <see cref="OperatorAccess.TokenHeader"/> header as well, and is refused with 403 otherwise. Every
/// refusal and every malformed request gets a status and a sentence naming the fault.
/// </summary>
internal sealed class OperatorEndpoints(OperatorAccess access, StatusBroadcaster broadcaster, CommandBridge commands, TakeListing takes,
    ThumbnailTap? thumbnails, PageWatch watch, byte[] description, ILogger log, CancellationToken stopping)
{
    private static readonly byte[] StreamStart = Encoding.UTF8.GetBytes("retry: 1000\n\n");

    public void Map(WebApplication app)
    {
        app.Use(Guard);
        foreach (string name in PageAssets.Names)
        {
            string path = name == "index.html" ? "/" : "/" + name;
            app.MapGet(path, (HttpContext context) => Asset(context, name));
        }
        app.MapGet("/api/stage", (HttpContext context) => Bytes(context, description, "application/json; charset=utf-8"));
        app.MapGet("/api/events", Events);
        app.MapGet("/api/thumbnails/{id}", (HttpContext context, string id) => ThumbnailImage(context, id));
        app.MapGet("/api/takes", Takes);
        app.MapGet("/api/takes/export", DayExport);
        app.MapGet("/api/takes/{id}/export", (HttpContext context, string id) => TakeExportFile(context, id));
        app.MapPost("/api/command", Command);
        app.MapFallback((HttpContext context) => Error(context, StatusCodes.Status404NotFound, $"no page or API at {context.Request.Method} {context.Request.Path}"));
    }

    /// <summary>Who sent a request, as the log names it: "web 10.0.0.7:51234".</summary>
    public static string Sender(HttpContext context) => $"web {context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";

    /// <summary>Every request: inside allowFrom, with headers that keep the page to itself.</summary>
    private async Task Guard(HttpContext context, RequestDelegate next)
    {
        IPAddress? remote = context.Connection.RemoteIpAddress;
        if (!access.IsAllowed(remote))
        {
            log.LogWarning("Operator page request {Method} {Path} from {Sender} refused: sender not in operator.web.allowFrom", context.Request.Method, context.Request.Path.Value, Sender(context));
            await Error(context, StatusCodes.Status403Forbidden, $"{remote} may not reach this stage's operator page (operator.web.allowFrom)");
            return;
        }
        IHeaderDictionary headers = context.Response.Headers;
        // Everything the page uses comes from Stage itself; nothing may frame it or run script from elsewhere.
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        await next(context);
    }

    private static Task Asset(HttpContext context, string name)
    {
        PageAssets.TryGet(name, out byte[] bytes, out string type);
        return Bytes(context, bytes, type);
    }

    /// <summary>The live status: an SSE stream, one event per push, until the page goes or the run ends.</summary>
    private async Task Events(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        ChannelReader<byte[]> events = broadcaster.Connect();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await context.Response.Body.WriteAsync(StreamStart, done.Token);
            await context.Response.Body.FlushAsync(done.Token);
            await foreach (byte[] message in events.ReadAllAsync(done.Token))
            {
                await context.Response.Body.WriteAsync(message, done.Token);
                await context.Response.Body.FlushAsync(done.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The page went away, or the run is ending: nothing to report.
        }
        finally
        {
            broadcaster.Disconnect(events);
        }
    }

    private Task ThumbnailImage(HttpContext context, string id)
    {
        watch.Touch();
        if (thumbnails?.Find(id) is not Thumbnail thumbnail)
            return Error(context, StatusCodes.Status404NotFound, $"no thumbnail of '{id}' yet (thumbnails are taken about once a second while a page is open)");
        context.Response.Headers["X-Stage-Frame"] = thumbnail.Frame.ToString(CultureInfo.InvariantCulture);
        return Bytes(context, thumbnail.Png, "image/png");
    }

    private async Task Takes(HttpContext context)
    {
        if (!TryDay(context, out DateOnly? day, out string fault))
        {
            await Error(context, StatusCodes.Status400BadRequest, fault);
            return;
        }
        (IReadOnlyList<DateOnly> days, DateOnly chosen, IReadOnlyList<TakeInfo> list) listing;
        try
        {
            listing = await Task.Run(() => takes.List(day));
        }
        catch (TakeLogException e)
        {
            await Error(context, StatusCodes.Status404NotFound, e.Message);
            return;
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOutput.Options))
        {
            json.WriteStartObject();
            json.WriteString("day", Day(listing.chosen));
            json.WriteStartArray("days");
            foreach (DateOnly d in listing.days) json.WriteStringValue(Day(d));
            json.WriteEndArray();
            json.WriteStartArray("takes");
            foreach (TakeInfo t in listing.list)
            {
                json.WriteStartObject();
                json.WriteNumber("id", t.Id);
                json.WriteString("scene", t.Scene);
                json.WriteNumber("take", t.TakeNumber);
                json.WriteString("clip", t.ClipName);
                json.WriteString("camera", t.Camera);
                json.WriteNumber("focalLengthMm", t.FocalLengthMm);
                json.WriteString("frameRate", t.FrameRate.ToString());
                json.WriteString("start", t.Start.ToString());
                json.WriteString("end", t.End.ToString());
                json.WriteNumber("frames", t.FrameCount);
                json.WriteNumber("dropped", t.DroppedFrames);
                json.WriteBoolean("circled", t.Circled);
                json.WriteBoolean("noGood", t.NoGood);
                json.WriteString("status", t.Status.ToString().ToLowerInvariant());
                json.WriteBoolean("hasWorld", t.StartStateHash.Length > 0);
                json.WriteStartArray("notes");
                foreach (string note in t.Notes) json.WriteStringValue(note);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        await Bytes(context, buffer.ToArray(), "application/json; charset=utf-8");
    }

    private async Task DayExport(HttpContext context)
    {
        if (!TryDay(context, out DateOnly? day, out string fault))
        {
            await Error(context, StatusCodes.Status400BadRequest, fault);
            return;
        }
        string format = context.Request.Query["format"].ToString();
        if (day is null)
        {
            await Error(context, StatusCodes.Status400BadRequest, "say which shoot day: ?day=YYYY-MM-DD");
            return;
        }
        await Export(context, () => takes.ExportDay(format, day.Value));
    }

    private async Task TakeExportFile(HttpContext context, string id)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long takeId))
        {
            await Error(context, StatusCodes.Status400BadRequest, $"'{id}' is not a take id (a whole number, as the take list shows)");
            return;
        }
        string format = context.Request.Query["format"].ToString();
        string? camera = context.Request.Query["camera"].Count > 0 ? context.Request.Query["camera"].ToString() : null;
        await Export(context, () => takes.ExportTake(takeId, format, camera));
    }

    private static async Task Export(HttpContext context, Func<TakeExport> export)
    {
        TakeExport file;
        try
        {
            file = await Task.Run(export);
        }
        catch (TakeLogException e)
        {
            await Error(context, StatusCodes.Status404NotFound, e.Message);
            return;
        }
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{file.FileName}\"";
        await Bytes(context, Encoding.UTF8.GetBytes(file.Content), file.ContentType);
    }

    /// <summary>A button pressed: the operator token, then the command, through the registry, on the engine thread.</summary>
    private async Task Command(HttpContext context)
    {
        string sender = Sender(context);
        TokenCheck check = access.Check(context.Request.Headers[OperatorAccess.TokenHeader].ToString());
        if (check != TokenCheck.Accepted)
        {
            string reason = check == TokenCheck.Missing
                ? $"controls need the operator token in the {OperatorAccess.TokenHeader} header (without it the page is read-only)"
                : "the operator token is wrong";
            log.LogWarning("Operator page command from {Sender} refused: {Reason}", sender, reason);
            await Error(context, StatusCodes.Status403Forbidden, reason);
            return;
        }
        if (context.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await Error(context, StatusCodes.Status415UnsupportedMediaType, "send the command as Content-Type: application/json");
            return;
        }
        byte[]? body = await ReadBody(context);
        if (body is null) return;
        if (!CommandBridge.TryParse(body, out OscMessageData? message, out string fault))
        {
            log.LogWarning("Operator page command from {Sender} malformed: {Fault}", sender, fault);
            await Error(context, StatusCodes.Status400BadRequest, fault);
            return;
        }
        // The registry's engine commands wait for the engine thread (at most the command timeout): off the request's thread.
        IReadOnlyList<(string Address, ControlReply Reply)> replies = await Task.Run(() => commands.Run(message!, sender));
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOutput.Options))
        {
            json.WriteStartObject();
            json.WriteStartArray("replies");
            foreach ((string address, ControlReply reply) in replies)
            {
                json.WriteStartObject();
                json.WriteString("address", address);
                json.WriteBoolean("ok", reply.Ok);
                json.WriteString("text", reply.Text);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        await Bytes(context, buffer.ToArray(), "application/json; charset=utf-8");
    }

    /// <summary>The request body, at most <see cref="CommandBridge.MaxBodyBytes"/>; null after answering 413 or 400.</summary>
    private static async Task<byte[]?> ReadBody(HttpContext context)
    {
        if (context.Request.ContentLength > CommandBridge.MaxBodyBytes)
        {
            await Error(context, StatusCodes.Status413PayloadTooLarge, $"a command is at most {CommandBridge.MaxBodyBytes} bytes");
            return null;
        }
        using var body = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException)
        {
            await Error(context, StatusCodes.Status400BadRequest, $"the request body could not be read: {e.Message}");
            return null;
        }
        return body.ToArray();
    }

    /// <summary>The <c>day</c> query (null when absent); false with the fault when it is not YYYY-MM-DD.</summary>
    private static bool TryDay(HttpContext context, out DateOnly? day, out string fault)
    {
        (day, fault) = (null, "");
        string text = context.Request.Query["day"].ToString();
        if (text.Length == 0) return true;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly parsed))
        {
            day = parsed;
            return true;
        }
        fault = $"day '{text}' is not a date written YYYY-MM-DD";
        return false;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Task Bytes(HttpContext context, byte[] bytes, string contentType)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    /// <summary>An error as the page shows it: the status and <c>{"error": "…"}</c> naming the fault.</summary>
    private static Task Error(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOutput.Options))
        {
            json.WriteStartObject();
            json.WriteString("error", text);
            json.WriteEndObject();
        }
        return Bytes(context, buffer.ToArray(), "application/json; charset=utf-8");
    }
}
