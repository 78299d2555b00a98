using Stage.Core.Frames;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Core.Configuration;
using Stage.Core.Time;
using Stage.Engine.Control;
using Stage.Engine.Outputs;
using Stage.Engine.Statistics;
using Stage.Engine.Status;
using Stage.Osc;
using Stage.Takes;
using Stage.Tests.Shared;
using Stage.Tracking;

namespace Stage.Engine.Tests.Status;

public sealed class StatusBoardTests : IDisposable
{
    private sealed class Slot
    {
        public long[] Values { get; } = new long[64];
    }

    /// <summary>Latches the cameras, hands back no pixels and allocates nothing.</summary>
    private sealed class StillRenderer : IFrameRenderer
    {
        public IReadOnlyList<PassTiming> LastPassTimings { get; } = [];
        public long ReadbackBytes => 0;
        public void Render(in FrameRequest request, ICameraLatch latch, IFrameSink sink)
        {
            latch.Latch();
            latch.Submitted(double.NaN);
            // Done at once, as a GPU that keeps up: the frame counts as presented (finished, no display).
            long now = System.Diagnostics.Stopwatch.GetTimestamp();
            sink.Completed(new FrameCompletionTimes(request.Tick, now, now, 0, double.NaN));
        }
        public void Collect(IFrameSink sink, bool wait)
        {
        }
        public void Dispose()
        {
        }
    }

    private readonly string _folder = Directory.CreateTempSubdirectory("stage-status-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void A_reader_always_gets_a_whole_newer_buffer_while_the_writer_keeps_publishing()
    {
        var buffer = new TripleBuffer<Slot>(() => new Slot());
        Assert.False(buffer.TryTake(out Slot? none));
        Assert.Null(none);
        // The writer publishes until the reader has taken enough times, so a loaded machine cannot let it finish first.
        const int Takes = 2_000;
        long published = 0;
        bool stop = false;
        var writer = new Thread(() =>
        {
            for (long n = 1; !Volatile.Read(ref stop); n++)
            {
                Array.Fill(buffer.Back.Values, n);
                buffer.Publish();
                Volatile.Write(ref published, n);
            }
        });
        writer.Start();
        long last = 0;
        for (int taken = 0; taken < Takes;)
        {
            if (!buffer.TryTake(out Slot? slot)) continue;
            long first = slot!.Values[0];
            // Torn: the writer was still filling it. Stale: older than one already taken.
            Assert.All(slot.Values, v => Assert.Equal(first, v));
            Assert.True(first > last, $"took {first} after {last}");
            last = first;
            taken++;
        }
        Volatile.Write(ref stop, true);
        writer.Join();
        long final = Volatile.Read(ref published);
        if (last < final)
        {
            Assert.True(buffer.TryTake(out Slot? newest));
            Assert.Equal(final, newest!.Values[0]);
        }
        // Nothing new since the last take: the same buffer again, and false.
        Assert.False(buffer.TryTake(out Slot? again));
        Assert.Equal(final, again!.Values[0]);
    }

    [Fact]
    public void Publishing_a_snapshot_allocates_nothing()
    {
        var board = new EngineStatusBoard(cameras: 2, windowCapacity: 4096);
        var frames = new RollingPercentiles(4096);
        for (int i = 0; i < 5000; i++) frames.Record(i);
        long allocated = SteadyState.AllocatedBytes(() =>
        {
            EngineStatusSnapshot back = board.Back;
            back.Frame++;
            back.FrameMs.CopyFrom(frames);
            back.ChromaKey[1] = true;
            board.Publish();
        });
        Assert.Equal(0, allocated);
        Assert.True(board.WaitAndTake(TimeSpan.Zero, out EngineStatusSnapshot? snapshot));
        Assert.Equal(4096, snapshot!.FrameMs.Count);
        // The window holds the last 4,096 of 5,000 values: 904 … 4999.
        Assert.Equal(new PercentileSummary(2951, 4959, 4999, 4096), snapshot.FrameMs.Summarise());
    }

    [Fact]
    public async Task The_engine_publishes_its_frame_take_and_camera_toggles_a_few_times_a_second_of_its_clock()
    {
        StageConfig config = Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "test-rig.json")).Config!;
        using var takes = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"));
        using TrackingSystem tracking = TrackingSystem.Create(config);
        var clock = new JumpClock();
        var engine = new FrameLoop(config, tracking, null, new StillRenderer(), new HeadlessOutput(), takes, NullLogger.Instance,
            new EngineOptions { MaxFrames = 48, CommandTimeout = TimeSpan.FromSeconds(60), StatusSnapshotsPerSecond = 4 }, clock, Timecode.Parse("01:00:00:00", config.FrameRate));
        int published = 0;
        engine.StatusPublished += () => published++;
        Task<ControlReply> start = EngineCommands.Queue(engine, "/stage/take/start", OscValue.FromString("3C"));
        Task<ControlReply> key = EngineCommands.Queue(engine, "/stage/camera/chromakey", OscValue.FromString("A"), OscValue.FromInt32(1));
        engine.Run(CancellationToken.None);
        Assert.True((await start).Ok);
        Assert.True((await key).Ok);

        // Two seconds of frames at 4 a second: 8 (the first frame publishes, then every 250 ms of the clock).
        Assert.Equal(8, published);
        Assert.Equal(8, engine.StatusBoard.Sequence);
        Assert.True(engine.StatusBoard.WaitAndTake(TimeSpan.Zero, out EngineStatusSnapshot? s));
        Assert.Equal(8, s!.Sequence);
        Assert.Equal(42, s.Frame);
        Assert.Equal("01:00:01:18", s.Timecode.ToString());
        Assert.Equal(43, s.Frames);
        Assert.Equal(43, s.PresentedFrames);
        Assert.True(s.Recording);
        Assert.Equal("3C", s.LastTake!.Scene);
        Assert.Equal(43, s.TakeFrames);
        Assert.True(s.ChromaKey[0]);
        Assert.False(s.Markers[0]);
        Assert.Equal(24, s.FocalLengthMm[0]);
        Assert.Equal(43, s.FrameMs.Count);
        Assert.False(s.HasWorld);
        Assert.Equal("headless", s.OutputName);
    }

    [Fact]
    public void A_failing_status_observer_is_logged_once_and_the_frames_go_on()
    {
        StageConfig config = Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "test-rig.json")).Config!;
        using var takes = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"));
        using TrackingSystem tracking = TrackingSystem.Create(config);
        var engine = new FrameLoop(config, tracking, null, new StillRenderer(), new HeadlessOutput(), takes, NullLogger.Instance,
            new EngineOptions { MaxFrames = 24 }, new JumpClock(), Timecode.Parse("01:00:00:00", config.FrameRate));
        engine.StatusPublished += () => throw new InvalidOperationException("observer broke (test)");
        engine.Run(CancellationToken.None);
        Assert.Equal(24, engine.Statistics.Frames);
        Assert.Equal(0, engine.Statistics.FaultedFrames);
    }
}
