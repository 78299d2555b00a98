using System.Numerics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Core.Time;
using Stage.Engine.Control;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Osc;
using Stage.Takes;
using Stage.Tests.Shared;
using Stage.Tracking;
using Stage.Core.Frames;

namespace Stage.Engine.Tests;

public sealed class EngineTests : IDisposable
{

    /// <summary>A stand-in world whose state is its step count, hashed.</summary>
    private sealed class CountingWorld : IWorldHost
    {
        public int StepRateHz => 120;
        public long StepCount { get; private set; }
        public long WorldStep => StepCount;
        public double GravityScale { get; private set; } = 1;
        public long FailAtStep { get; set; } = -1;
        public int AdvanceToStep(long step)
        {
            if (step == FailAtStep) throw new InvalidOperationException("solver blew up (test)");
            int ran = (int)Math.Max(0, step - StepCount);
            StepCount = Math.Max(StepCount, step);
            return ran;
        }
        public ulong StateHash => (ulong)StepCount * 0x9E3779B97F4A7C15UL;
        public byte[] Snapshot() => BitConverter.GetBytes(StepCount);
        public void SaveSnapshot(string path) => File.WriteAllBytes(path, Snapshot());
        public void Restore(ReadOnlySpan<byte> snapshot) => StepCount = BitConverter.ToInt64(snapshot);
        public bool TrySetRule(string name, double value, out string error)
        {
            error = name == "gravityScale" ? "" : $"unknown rule '{name}'";
            if (name == "gravityScale") GravityScale = value;
            return error.Length == 0;
        }
    }

    /// <summary>What the fake renderer was asked to draw: the frame and the cameras it latched.</summary>
    private sealed record RenderedFrame(FrameTick Tick, CameraView[] Cameras);

    /// <summary>
    /// Records what it is asked to render, latching the cameras as the real renderer does (last, then "submitted"), and
    /// hands back a small canvas for frames that asked for pixels one frame later, as a GPU in flight would; fails on request.
    /// </summary>
    private sealed class RecordingRenderer : IFrameRenderer
    {
        private readonly List<FrameTick> _inFlight = [];
        public List<RenderedFrame> Frames { get; } = [];
        public long FailOnFrame { get; set; } = -1;
        /// <summary>Runs after each frame is submitted (a test's way to make a frame take long).</summary>
        public Action<long>? AfterFrame { get; set; }
        public IReadOnlyList<PassTiming> LastPassTimings { get; } = [];
        public long ReadbackBytes { get; private set; }
        public void Render(in FrameRequest request, ICameraLatch latch, IFrameSink sink)
        {
            Collect(sink, wait: false);
            if (request.Tick.Frame == FailOnFrame) throw new InvalidOperationException("device lost (test)");
            Frames.Add(new RenderedFrame(request.Tick, latch.Latch().ToArray()));
            latch.Submitted(double.NaN);
            AfterFrame?.Invoke(request.Tick.Frame);
            if (request.ReadBack) _inFlight.Add(request.Tick);
        }
        public void Collect(IFrameSink sink, bool wait)
        {
            foreach (FrameTick tick in _inFlight)
            {
                ReadbackBytes += 16;
                sink.Pixels(tick, [new CanvasPixels("out-front", 2, 2, 8, new byte[16])]);
            }
            _inFlight.Clear();
        }
        public void Dispose()
        {
        }
    }

    private readonly string _folder = Directory.CreateTempSubdirectory("stage-engine-").FullName;
    private readonly StageConfig _config = Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "test-rig.json")).Config!;
    private readonly JumpClock _clock = new();
    private readonly CountingWorld _world = new();
    private readonly RecordingRenderer _renderer = new();
    private readonly TakeLog _takes;
    private readonly TrackingSystem _tracking;

    public EngineTests()
    {
        _takes = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"));
        _tracking = TrackingSystem.Create(_config);
    }

    public void Dispose()
    {
        _tracking.Dispose();
        _takes.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private FrameLoop Build(long frames, IFrameOutput? output = null) =>
        new(_config, _tracking, _world, _renderer, output ?? new HeadlessOutput(), _takes, NullLogger.Instance,
            new EngineOptions { MaxFrames = frames, CommandTimeout = TimeSpan.FromSeconds(60) }, _clock, Timecode.Parse("01:00:00:00", _config.FrameRate));

    [Fact]
    public void Each_frame_advances_the_world_by_whole_steps_to_its_time()
    {
        FrameLoop engine = Build(48);
        engine.Run(CancellationToken.None);
        // 24 fps at 120 Hz: five steps a frame; frame 47 lands on step 235.
        Assert.Equal(235, _world.StepCount);
        Assert.Equal(48, engine.Statistics.Frames);
        Assert.Equal(235, engine.Statistics.WorldSteps);
        Assert.Equal(Enumerable.Range(0, 48).Select(i => (long)i), _renderer.Frames.Select(f => f.Tick.Frame));
    }

    [Fact]
    public void A_stall_over_the_last_frames_counts_them_dropped_and_no_more()
    {
        FrameLoop engine = Build(10);
        // Frame 7 takes four frame periods: frames 8, 9 (and 10, past the run's end) are skipped.
        _renderer.AfterFrame = frame => { if (frame == 7) _clock.NowTicks += 4 * _clock.Frequency / 24; };
        engine.Run(CancellationToken.None);
        Assert.Equal(8, engine.Statistics.Frames);
        Assert.Equal(2, engine.Statistics.DroppedFrames);
    }

    [Fact]
    public void The_freshest_pose_is_latched_and_the_configured_lens_used_until_the_tracker_sends_one()
    {
        FrameLoop engine = Build(1);
        var pose = Pose.FromPanTiltRoll(new Vector3(0.5f, 1.6f, 2), new PanTiltRoll(10, -2, 0));
        // An older sample at the same place: the buffer extrapolates from the newest two, so keep them still.
        _tracking.Cameras[0].Write(CameraSample.Create("A", pose.PositionM, pose.Orientation, _clock.NowTicks - _clock.Frequency / 200, 1));
        _tracking.Cameras[0].Write(CameraSample.Create("A", pose.PositionM, pose.Orientation, _clock.NowTicks - _clock.Frequency / 1000, 2));
        engine.Run(CancellationToken.None);
        CameraView view = Assert.Single(Assert.Single(_renderer.Frames).Cameras);
        Assert.True(Vector3.Distance(pose.PositionM, view.TrackedPose.PositionM) < 1e-6f);
        Assert.Equal(24, view.FocalLengthMm);
        Assert.InRange(engine.Statistics.PoseAgeMs.Summarise().P50, 0.9, 1.1);
    }

    [Fact]
    public void Frames_can_carry_the_trackers_timecode_and_fall_back_to_the_clocks()
    {
        var engine = new FrameLoop(_config, _tracking, _world, _renderer, new HeadlessOutput(), _takes, NullLogger.Instance,
            new EngineOptions { MaxFrames = 2, TimecodeFromTracking = true }, _clock, Timecode.Parse("01:00:00:00", _config.FrameRate));
        Timecode tracker = Timecode.Parse("14:22:10:05", _config.FrameRate);
        // Received three frames (at 24 fps) before the first frame starts: the frame is three frames on.
        long received = _clock.NowTicks - 3 * _clock.Frequency / 24 - _clock.Frequency / 1000;
        _tracking.Cameras[0].Write(CameraSample.Create("A", new Vector3(0, 1.6f, 2), Quaternion.Identity, received, 1) with { SourceTimecode = tracker });
        engine.Run(CancellationToken.None);
        Assert.Equal("14:22:10:08", _renderer.Frames[0].Tick.Timecode.ToString());
        Assert.Equal("tracking", engine.TimecodeSource);

        // A tracker at another rate is not followed.
        using TrackingSystem other = TrackingSystem.Create(_config);
        var free = new FrameLoop(_config, other, _world, _renderer, new HeadlessOutput(), _takes, NullLogger.Instance,
            new EngineOptions { MaxFrames = 1, TimecodeFromTracking = true }, _clock, Timecode.Parse("01:00:00:00", _config.FrameRate));
        other.Cameras[0].Write(CameraSample.Create("A", new Vector3(0, 1.6f, 2), Quaternion.Identity, _clock.NowTicks, 1) with { SourceTimecode = Timecode.Parse("10:00:00:00", FrameRate.Parse("25")) });
        free.Run(CancellationToken.None);
        Assert.Equal("01:00:00:00", _renderer.Frames[^1].Tick.Timecode.ToString());
        Assert.Equal("free", free.TimecodeSource);
    }

    [Fact]
    public async Task The_markers_command_toggles_a_cameras_markers_for_the_next_frame()
    {
        FrameLoop engine = Build(1);
        Task<ControlReply> on = EngineCommands.Queue(engine, "/stage/camera/markers", OscValue.FromString("A"), OscValue.FromInt32(1));
        Task<ControlReply> bad = EngineCommands.Queue(engine, "/stage/camera/markers", OscValue.FromString("Q"), OscValue.FromInt32(1));
        engine.Run(CancellationToken.None);
        Assert.StartsWith("camera A markers on", (await on).Text);
        Assert.False((await bad).Ok);
        Assert.Contains("no camera 'Q'", (await bad).Text);
        Assert.True(Assert.Single(Assert.Single(_renderer.Frames).Cameras).Markers);
    }

    [Fact]
    public void A_world_fault_is_counted_and_the_next_frame_still_comes()
    {
        _world.FailAtStep = 15;
        FrameLoop engine = Build(6);
        engine.Run(CancellationToken.None);
        Assert.Equal(1, engine.Statistics.FaultedFrames);
        Assert.Equal([0L, 1, 2, 3, 4, 5], _renderer.Frames.Select(f => f.Tick.Frame));
        Assert.Equal(25, _world.StepCount);
    }

    [Fact]
    public void A_render_fault_is_counted_and_the_next_frame_still_comes()
    {
        _renderer.FailOnFrame = 3;
        FrameLoop engine = Build(6);
        engine.Run(CancellationToken.None);
        Assert.Equal(1, engine.Statistics.FaultedFrames);
        Assert.Equal([0L, 1, 2, 4, 5], _renderer.Frames.Select(f => f.Tick.Frame));
    }

    /// <summary>A window output that loses the frames it is told to (a surface lost), rebuilds, and shows the next.</summary>
    private sealed class LosingWindow(params long[] lostFrames) : IFrameOutput
    {
        public string Name => "window";
        public long FaultedFrames { get; private set; }
        public void BeginFrame(FrameTick tick)
        {
        }
        public bool WantsPixels(FrameTick tick)
        {
            if (lostFrames.Contains(tick.Frame)) FaultedFrames++;
            return false;
        }
        public void Present(FrameTick tick, IReadOnlyList<CanvasPixels> canvases)
        {
        }
        public void Dispose()
        {
        }
    }

    [Fact]
    public void Frames_a_window_lost_are_counted_as_faulted_and_the_frames_go_on()
    {
        FrameLoop engine = Build(8, new LosingWindow(2, 5));
        engine.Run(CancellationToken.None);
        Assert.Equal(2, engine.Statistics.FaultedFrames);
        Assert.Equal(8, engine.Statistics.Frames);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), _renderer.Frames.Select(f => f.Tick.Frame));
    }


    [Fact]
    public async Task Takes_record_frames_and_reset_brings_the_world_back_to_their_start()
    {
        Build(100).Run(CancellationToken.None);
        // 100 frames at 24 fps and 120 Hz: the last frame (99) lands on step 495.
        long stepAtStart = 99 * 5;
        FrameLoop engine = Build(10);
        Task<ControlReply> start = EngineCommands.Queue(engine, "/stage/take/start", OscValue.FromString("9"));
        engine.Run(CancellationToken.None);
        ControlReply started = await start;
        Assert.True(started.Ok, started.Text);
        Assert.Equal(stepAtStart + 9 * 5, _world.StepCount);
        engine.Takes.Stop();
        TakeInfo take = _takes.Take(engine.Takes.LastTake!.Id);
        Assert.Equal(10, take.FrameCount);
        Assert.Equal(TakeLog.HashText((ulong)stepAtStart * 0x9E3779B97F4A7C15UL), take.StartStateHash);
        Assert.Equal(10, _takes.Track(take.Id).Count);

        engine = Build(3);
        Task<ControlReply> reset = EngineCommands.Queue(engine, "/stage/world/reset");
        engine.Run(CancellationToken.None);
        ControlReply done = await reset;
        Assert.True(done.Ok, done.Text);
        // Reset at the first frame of this run, then two more frames of five steps each.
        Assert.Equal(stepAtStart + 10, _world.StepCount);
    }

    [Fact]
    public async Task Camera_and_world_commands_answer_and_take_effect_on_the_next_frame()
    {
        FrameLoop engine = Build(2);
        Task<ControlReply> key = EngineCommands.Queue(engine, "/stage/camera/chromakey", OscValue.FromString("A"), OscValue.FromInt32(1));
        Task<ControlReply> rule = EngineCommands.Queue(engine, "/stage/world/rule", OscValue.FromString("gravityScale"), OscValue.FromFloat32(0.25f));
        Task<ControlReply> bad = EngineCommands.Queue(engine, "/stage/camera/chromakey", OscValue.FromString("Z"), OscValue.FromInt32(1));
        engine.Run(CancellationToken.None);
        Assert.Equal("camera A chroma key on", (await key).Text);
        Assert.True((await rule).Ok);
        Assert.Equal(0.25, _world.GravityScale);
        Assert.Contains("no camera 'Z'", (await bad).Text);
        Assert.All(_renderer.Frames, f => Assert.True(f.Cameras[0].ChromaKey));
    }

    private static OscValue[] Cdl(params float[] values) => values.Select(OscValue.FromFloat32).ToArray();

    [Fact]
    public async Task A_camera_grade_over_osc_is_replied_set_and_recorded_in_the_running_take()
    {
        FrameLoop engine = Build(4);
        Task<ControlReply> start = EngineCommands.Queue(engine, "/stage/take/start", OscValue.FromString("12"));
        Task<ControlReply> grade = EngineCommands.Queue(engine, "/stage/camera/A/cdl", Cdl(1.2f, 1, 0.8f, 0.01f, 0, 0, 1, 1.1f, 1, 0.9f));
        Task<ControlReply> shortOne = EngineCommands.Queue(engine, "/stage/camera/A/cdl", Cdl(1, 1, 1, 0, 0, 0, 1, 1, 1));
        Task<ControlReply> badPower = EngineCommands.Queue(engine, "/stage/camera/A/cdl", Cdl(1, 1, 1, 0, 0, 0, 0, 1, 1, 1));
        engine.Run(CancellationToken.None);
        Assert.True((await start).Ok);
        ControlReply set = await grade;
        Assert.True(set.Ok, set.Text);
        Assert.StartsWith("camera A grade SOP (1.200000 1.000000 0.800000)", set.Text);
        Assert.False((await shortOne).Ok);
        Assert.Contains("powers must be greater than 0", (await badPower).Text);
        Assert.Equal(new Stage.Core.Colour.AscCdl(1.2f, 1, 0.8f, 0.01f, 0, 0, 1, 1.1f, 1, 0.9f), engine.Grades.Camera(0));
        engine.Takes.Stop();
        IReadOnlyList<RecordedGrade> grades = _takes.Grades(engine.Takes.LastTake!.Id);
        // Frame 0: every camera's and wall's grade in force at the start; then the change, at the frame it took effect.
        Assert.Contains(grades, g => g is { Frame: 0, Target: GradeTarget.Camera, Id: "A" } && g.Cdl.IsIdentity);
        RecordedGrade change = grades[^1];
        Assert.Equal((GradeTarget.Camera, "A"), (change.Target, change.Id));
        Assert.Equal(engine.Grades.Camera(0), change.Cdl);
        Assert.Equal(change.Cdl, _takes.Take(engine.Takes.LastTake!.Id).CameraCdl);
    }

    [Fact]
    public void The_status_line_shows_timecode_cameras_and_take()
    {
        FrameLoop engine = Build(25);
        var lines = new List<string>();
        engine.Run(CancellationToken.None, lines.Add);
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("frame 24 01:00:01:00 | 24.0 of 24 fps |", lines[1]);
        Assert.Contains("A:NO DATA", lines[1]);
        Assert.EndsWith("| idle", lines[1]);
    }
}
