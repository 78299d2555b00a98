using Stage.Core.Frames;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Core.Configuration;
using Stage.Core.Time;
using Stage.Engine;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Hosting.Operator;
using Stage.Takes;
using Stage.Tests.Shared;
using Stage.Tracking;

namespace Stage.Hosting.Tests;

/// <summary>
/// The parts of a run without a GPU: the test rig (with <paramref name="web"/> as its operator.web section), its take log,
/// its tracking (not started) and an engine that renders a blank canvas; the engine runs only when a test says so.
/// </summary>
internal sealed class InProcessPage : IDisposable
{
    private sealed class BlankRenderer : IFrameRenderer
    {
        private readonly CanvasPixels[] _canvas = [new CanvasPixels("out-front", 128, 64, 8, new byte[128 * 64 * 4])];
        public IReadOnlyList<PassTiming> LastPassTimings { get; } = [];
        public long ReadbackBytes { get; private set; }
        public void Render(in FrameRequest request, ICameraLatch latch, IFrameSink sink)
        {
            latch.Latch();
            latch.Submitted(double.NaN);
            if (!request.ReadBack) return;
            ReadbackBytes += _canvas[0].Rgba.Length;
            sink.Pixels(request.Tick, _canvas);
        }
        public void Collect(IFrameSink sink, bool wait)
        {
        }
        public void Dispose()
        {
        }
    }

    private sealed class JumpClock : IMonotonicClock
    {
        public long Frequency => System.Diagnostics.Stopwatch.Frequency;
        public long NowTicks { get; private set; } = System.Diagnostics.Stopwatch.GetTimestamp();
        public void WaitUntil(long ticks, CancellationToken cancellation) => NowTicks = Math.Max(NowTicks, ticks);
    }

    private readonly string _folder = Directory.CreateTempSubdirectory("stage-page-").FullName;

    public InProcessPage(JsonObject web)
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("stage-configs", "test-rig.json")), documentOptions: new() { CommentHandling = JsonCommentHandling.Skip })!;
        config["operator"] = new JsonObject { ["web"] = web };
        ConfigLoadResult loaded = StageConfigFile.LoadText(config.ToJsonString(), Path.Combine(_folder, "stage.json"));
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Faults));
        Stage = loaded.Config!;
        Takes = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"));
        Tracking = TrackingSystem.Create(Stage);
        Engine = new Stage.Engine.FrameLoop(Stage, Tracking, null, new BlankRenderer(), new HeadlessOutput(), Takes, NullLogger.Instance,
            new EngineOptions { MaxFrames = 48 }, new JumpClock(), Timecode.Parse("01:00:00:00", Stage.FrameRate));
    }

    public StageConfig Stage { get; }
    public TakeLog Takes { get; }
    public TrackingSystem Tracking { get; }
    public Stage.Engine.FrameLoop Engine { get; }
    public RecentWarnings Warnings { get; } = new();

    public OperatorPageParts Parts(ILoggerFactory? logging = null) => new()
    {
        Stage = Stage, Engine = Engine, Tracking = Tracking, TakeLogPath = Takes.Path, Watch = new PageWatch(), Warnings = Warnings,
        Logging = logging ?? NullLoggerFactory.Instance,
    };

    public void Dispose()
    {
        Tracking.Dispose();
        Takes.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
