using Stage.Core.Configuration;
using Stage.Tracking.Buffers;

namespace Stage.Tracking;

/// <summary>Builds a source for a configuration kind this assembly has no adapter for.</summary>
/// <param name="config">The source's configuration.</param>
/// <param name="cameras">The cameras bound to it, in configuration order.</param>
/// <param name="options">The tracking options.</param>
/// <returns>The source, or null to leave the kind unhandled.</returns>
public delegate ITrackingSource? TrackingSourceFactory(TrackingSourceConfig config, IReadOnlyList<BoundCamera> cameras, TrackingOptions options);

/// <summary>
/// Every camera's pose buffer and every tracking source of a stage configuration. Each source is built by its
/// protocol (<see cref="TrackingProtocols"/>); kinds whose protocol receives nothing itself (a virtual camera) through
/// the optional factory, else listed in <see cref="UnhandledSources"/>
/// (their cameras keep a buffer that stays <see cref="TrackingStatus.NoData"/>).
/// </summary>
public sealed class TrackingSystem : IDisposable
{
    private readonly Dictionary<string, PoseBuffer> _byCameraId;

    private TrackingSystem(IReadOnlyList<PoseBuffer> cameras, IReadOnlyList<ITrackingSource> sources, IReadOnlyList<TrackingSourceConfig> unhandled, TrackingOptions options)
    {
        Cameras = cameras;
        Sources = sources;
        UnhandledSources = unhandled;
        Options = options;
        _byCameraId = cameras.ToDictionary(c => c.CameraId, StringComparer.Ordinal);
    }

    /// <summary>Pose buffers, one per camera, in configuration (priority) order.</summary>
    public IReadOnlyList<PoseBuffer> Cameras { get; }

    /// <summary>The sources built, in configuration order.</summary>
    public IReadOnlyList<ITrackingSource> Sources { get; }

    /// <summary>Configured sources of kinds nothing was built for.</summary>
    public IReadOnlyList<TrackingSourceConfig> UnhandledSources { get; }

    /// <summary>The options in force.</summary>
    public TrackingOptions Options { get; }

    /// <summary>Builds buffers and sources (not started) for <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">A source's address or calibration is invalid.</exception>
    public static TrackingSystem Create(StageConfig config, TrackingOptions? options = null, TrackingSourceFactory? otherSources = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= new TrackingOptions();
        options.Validate();
        var buffers = new List<PoseBuffer>();
        var bound = new Dictionary<string, List<BoundCamera>>(StringComparer.Ordinal);
        foreach (CameraConfig camera in config.Cameras)
        {
            TrackingSourceConfig? source = config.FindSource(camera.SourceId);
            var buffer = new PoseBuffer(camera.Id, source?.DelayMs ?? 0, options);
            buffers.Add(buffer);
            if (!bound.TryGetValue(camera.SourceId, out List<BoundCamera>? list)) bound[camera.SourceId] = list = [];
            list.Add(new BoundCamera(buffer, camera.TrackedId));
        }
        var sources = new List<ITrackingSource>();
        var unhandled = new List<TrackingSourceConfig>();
        try
        {
            foreach (TrackingSourceConfig source in config.TrackingSources)
            {
                IReadOnlyList<BoundCamera> cameras = bound.TryGetValue(source.Id, out List<BoundCamera>? list) ? list : [];
                ITrackingSource? built = TrackingProtocols.Find(source.Kind)?.CreateSource(source, cameras, options)
                    ?? otherSources?.Invoke(source, cameras, options);
                if (built is null) unhandled.Add(source); else sources.Add(built);
            }
        }
        catch
        {
            foreach (ITrackingSource s in sources) s.Dispose();
            throw;
        }
        return new TrackingSystem(buffers, sources, unhandled, options);
    }

    /// <summary>The buffer of camera <paramref name="cameraId"/>, or null.</summary>
    public PoseBuffer? FindCamera(string cameraId) => _byCameraId.GetValueOrDefault(cameraId);

    /// <summary>Starts every source; on a failure the ones already started are stopped and the error rethrown.</summary>
    public void Start()
    {
        var started = new List<ITrackingSource>();
        try
        {
            foreach (ITrackingSource source in Sources)
            {
                source.Start();
                started.Add(source);
            }
        }
        catch
        {
            foreach (ITrackingSource source in started) source.Stop();
            throw;
        }
    }

    /// <summary>Stops every source.</summary>
    public void Stop()
    {
        foreach (ITrackingSource source in Sources) source.Stop();
    }

    /// <summary>Stops and disposes every source.</summary>
    public void Dispose()
    {
        foreach (ITrackingSource source in Sources) source.Dispose();
    }
}
