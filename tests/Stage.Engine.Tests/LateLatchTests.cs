using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Data.Sqlite;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Space;
using Stage.Core.Time;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Takes;
using Stage.Tests.Shared;
using Stage.Tracking;
using Stage.Tracking.Simulation;

namespace Stage.Engine.Tests;

/// <summary>
/// The late latch against a real tracker: a simulated tracker sends OSC over loopback UDP at 1 kHz while the frame
/// loop runs, and every frame's cameras are the freshest pose received before the renderer latched them.
/// </summary>
public sealed class LateLatchTests : IDisposable
{
    /// <summary>Straight along x at 1 m/s: a pose's x is its send time, so freshness is a comparison of x.</summary>
    private sealed class LinearPath : CameraPath
    {
        public override PathPoint At(double seconds) => new(new Pose(new Vector3((float)seconds, 1.6f, 2), Quaternion.Identity), 24);
    }

    /// <summary>A renderer that, at its latch, notes the newest x received just before and the x it was given.</summary>
    private sealed class LatchProbe(Stage.Tracking.Buffers.PoseBuffer buffer) : IFrameRenderer
    {
        public List<(double NewestBeforeM, double LatchedM, double NewestAfterM)> Latches { get; } = [];
        public IReadOnlyList<PassTiming> LastPassTimings { get; } = [];
        public long ReadbackBytes => 0;
        public void Render(in FrameRequest request, ICameraLatch latch, IFrameSink sink)
        {
            // Work before the latch, as a renderer records the frame: the pose must still be the freshest afterwards.
            Thread.Sleep(3);
            double before = buffer.TryGetLatest(out CameraSample newest) ? newest.PositionM.X : double.NaN;
            ReadOnlySpan<CameraView> views = latch.Latch();
            double after = buffer.TryGetLatest(out CameraSample later) ? later.PositionM.X : double.NaN;
            latch.Submitted(double.NaN);
            Latches.Add((before, views[0].TrackedPose.PositionM.X, after));
        }
        public void Collect(IFrameSink sink, bool wait)
        {
        }
        public void Dispose()
        {
        }
    }

    private readonly string _folder = Directory.CreateTempSubdirectory("stage-late-latch-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Every_frame_latches_the_newest_pose_received_before_the_latch()
    {
        int port = PortProbe.FreeUdpPort();
        StageConfig config = StageConfigFile.LoadText(File.ReadAllText(RepositoryPaths.Of("stage-configs", "test-rig.json")).Replace("19000", port.ToString(System.Globalization.CultureInfo.InvariantCulture)), "late-latch.json").Config!;
        using TakeLog takes = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"));
        using TrackingSystem tracking = TrackingSystem.Create(config);
        tracking.Start();
        TrackingSourceConfig source = config.FindSource(config.Cameras[0].SourceId)!;
        ITrackingSender sender = TrackingProtocols.Find(source.Kind)!.CreateSender(config.Cameras[0], source)!;
        using var stop = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            using var tracker = new SimulatedTracker(sender, new LinearPath(), SimulatedTracker.DefaultTarget(source, null));
            tracker.Run(1000, null, stop.Token);
        }) { IsBackground = true };
        thread.Start();
        try
        {
            // Wait for the tracker's first poses.
            for (int i = 0; i < 200 && tracking.Cameras[0].WrittenCount < 20; i++) Thread.Sleep(10);
            Assert.True(tracking.Cameras[0].WrittenCount >= 20, "no poses arrived from the simulated tracker");
            var probe = new LatchProbe(tracking.Cameras[0]);
            double horizonM = tracking.Cameras[0].Options.ExtrapolationHorizonMs / 1000.0;
            var loop = new FrameLoop(config, tracking, null, probe, new HeadlessOutput(), takes, NullLogger.Instance,
                new EngineOptions { MaxFrames = 24 }, new StopwatchClock(), Timecode.FromFrameCount(0, config.FrameRate));
            loop.Run(CancellationToken.None);
            Assert.True(probe.Latches.Count >= 10, $"only {probe.Latches.Count} frames ran");
            foreach ((double before, double latched, double after) in probe.Latches)
            {
                // At least as fresh as the newest pose received before the latch began. Ahead of the newest at its end only
                // by the buffer's extrapolation (at most its horizon, at the velocity measured from arrivals: a tracker
                // stalled on a loaded machine and catching up inflates that velocity, so the bound is a sanity bound).
                Assert.True(latched >= before - 1e-6, $"latched x {latched:0.0000} m is older than the newest pose before the latch, {before:0.0000} m");
                Assert.True(latched <= after + 5 * horizonM, $"latched x {latched:0.0000} m is far ahead of the newest pose after the latch, {after:0.0000} m");
            }
            // And the loop measured it: pose age at the latch under a frame period (a few tracker intervals on a quiet
            // machine; a loaded 2-core one starves the 1 kHz sender thread for tens of milliseconds).
            Assert.InRange(loop.Statistics.PoseAgeMs.Summarise().P50, 0, 1000.0 / 24);
        }
        finally
        {
            stop.Cancel();
            thread.Join();
            tracking.Stop();
        }
    }
}
