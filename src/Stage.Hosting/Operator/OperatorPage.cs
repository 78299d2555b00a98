using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stage.Core.Configuration;

namespace Stage.Hosting.Operator;

/// <summary>
/// The operator's web page, served by Kestrel on <c>operator.web</c>'s address while <c>stage run</c> runs: the
/// whole stage at a glance (live status pushed with Server-Sent Events, thumbnails, a map from above, the takes
/// of the day) and the buttons an operator presses all day, which go through the engine's command registry.
/// Nothing here runs on the frame thread: the engine publishes a status snapshot a few times a second and the
/// page's own threads take it from there.
/// </summary>
public sealed class OperatorPage : IDisposable
{
    private readonly WebApplication _app;
    private readonly StatusBroadcaster _broadcaster;
    private readonly TakeListing _takes;
    private readonly WorldMapCapture? _map;
    private readonly Stage.Engine.FrameLoop _engine;
    private readonly CancellationTokenSource _stopping;
    private bool _disposed;

    private OperatorPage(WebApplication app, StatusBroadcaster broadcaster, TakeListing takes, WorldMapCapture? map, Stage.Engine.FrameLoop engine,
        CancellationTokenSource stopping, OperatorAccess access, bool tokenGenerated, IReadOnlyList<string> urls, int port)
    {
        _app = app;
        _broadcaster = broadcaster;
        _takes = takes;
        _map = map;
        _engine = engine;
        _stopping = stopping;
        Access = access;
        TokenGenerated = tokenGenerated;
        Urls = urls;
        Port = port;
    }

    /// <summary>Who may reach the page and press its buttons.</summary>
    public OperatorAccess Access { get; }

    /// <summary>True when the token was generated for this run (and so must be printed for the operator).</summary>
    public bool TokenGenerated { get; }

    /// <summary>The page's addresses ("http://127.0.0.1:8080/"; one per interface address when bound to 0.0.0.0).</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>The TCP port listened on (the one chosen when the configuration says 0).</summary>
    public int Port { get; }

    /// <summary>Pages connected to the live status now.</summary>
    public int ConnectedPages => _broadcaster.PageCount;

    /// <summary>
    /// Starts the page for <paramref name="parts"/>: binds the port, starts the status pushes, hooks the world map to
    /// the engine's publications. Call before the engine runs.
    /// </summary>
    /// <exception cref="OperatorPageException">The address or port cannot be listened on (named, with the fix).</exception>
    public static OperatorPage Start(OperatorPageParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        OperatorWebConfig config = parts.Stage.Operator.Web;
        bool generated = config.Token is null;
        var access = new OperatorAccess(config, config.Token ?? OperatorAccess.GenerateToken());
        var stopping = new CancellationTokenSource();
        WorldMapCapture? map = parts.World is null ? null : new WorldMapCapture(parts.World, parts.Watch);
        if (map is not null) parts.Engine.StatusPublished += map.OnStatusPublished;
        var writer = new StatusWriter(parts.Stage, parts.Tracking, parts.Thumbnails, parts.Warnings);
        ILogger log = parts.Logging.CreateLogger("Stage.Operator");
        var broadcaster = new StatusBroadcaster(parts.Engine.StatusBoard, writer, map, parts.Watch, parts.Warnings, log);
        var takes = new TakeListing(parts.TakeLogPath);
        byte[] description = StageDescription.Build(parts.Stage, parts.Engine.Commands, parts.World is not null, parts.Tracking.Options.LossTimeoutMs);
        var endpoints = new OperatorEndpoints(access, broadcaster, new CommandBridge(parts.Engine.Commands, parts.Logging.CreateLogger("Stage.Control")),
            takes, parts.Thumbnails, parts.Watch, description, log, stopping.Token);

        WebApplication app = Build(config, parts.Logging);
        endpoints.Map(app);
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
        {
            if (map is not null) parts.Engine.StatusPublished -= map.OnStatusPublished;
            broadcaster.Dispose();
            takes.Dispose();
            ((IDisposable)app).Dispose();
            stopping.Dispose();
            throw new OperatorPageException(BindFault(config, e), e);
        }
        int port = ListenedPort(app, config.Port);
        return new OperatorPage(app, broadcaster, takes, map, parts.Engine, stopping, access, generated, UrlsOf(config.BindAddress, port), port);
    }

    /// <summary>Stops pushes and the server (open pages see the connection end), and unhooks the world map.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_map is not null) _engine.StatusPublished -= _map.OnStatusPublished;
        _stopping.Cancel();
        _broadcaster.Dispose();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
        {
            try
            {
                _app.StopAsync(timeout.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // Connections that would not close in time are cut by the disposal below.
            }
        }
        ((IDisposable)_app).Dispose();
        _takes.Dispose();
        _stopping.Dispose();
    }

    private static WebApplication Build(OperatorWebConfig config, ILoggerFactory logging)
    {
        // The empty builder: no configuration files, environment variables or console logging of its own.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Stage operator page" });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(logging));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = CommandBridge.MaxBodyBytes;
            options.Limits.MaxConcurrentConnections = 200;
            options.Listen(IPAddress.Parse(config.BindAddress), config.Port);
        });
        return builder.Build();
    }

    private static string BindFault(OperatorWebConfig config, Exception e)
    {
        // Kestrel wraps the socket's fault (IOException → AddressInUseException / SocketException): look down the chain.
        var chain = new List<Exception>();
        for (Exception? x = e; x is not null; x = x.InnerException) chain.Add(x);
        if (chain.Any(x => x is Microsoft.AspNetCore.Connections.AddressInUseException || x is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }))
            return $"operator page: port {config.Port} on {config.BindAddress} is in use (another program, or another stage run); choose another operator.web.port (0: any free port)";
        if (chain.Any(x => x is SocketException { SocketErrorCode: SocketError.AddressNotAvailable }))
            return $"operator page: {config.BindAddress} is not an address of this machine; set operator.web.bind to one of its addresses (127.0.0.1, a stage LAN address, or 0.0.0.0 for every interface)";
        return $"operator page: cannot listen on {config.BindAddress}:{config.Port}: {chain[^1].Message}";
    }

    private static int ListenedPort(WebApplication app, int configured)
    {
        IServerAddressesFeature? addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        foreach (string address in addresses?.Addresses ?? [])
            if (Uri.TryCreate(address, UriKind.Absolute, out Uri? uri)) return uri.Port;
        return configured;
    }

    /// <summary>The URLs a person can open: the bound address, or every IPv4 address of this machine when bound to all.</summary>
    private static IReadOnlyList<string> UrlsOf(string bind, int port)
    {
        if (bind != "0.0.0.0") return [$"http://{bind}:{port}/"];
        var urls = new List<string>();
        foreach (NetworkInterface card in NetworkInterface.GetAllNetworkInterfaces().Where(n => n.OperationalStatus == OperationalStatus.Up))
            foreach (UnicastIPAddressInformation address in card.GetIPProperties().UnicastAddresses)
                if (address.Address.AddressFamily == AddressFamily.InterNetwork) urls.Add($"http://{address.Address}:{port}/");
        return urls.Count == 0 ? [$"http://127.0.0.1:{port}/"] : urls.Distinct().OrderBy(u => u.StartsWith("http://127.", StringComparison.Ordinal)).ThenBy(u => u, StringComparer.Ordinal).ToList();
    }
}
