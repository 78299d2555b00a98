using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Core.Time;
using Stage.Engine.Cluster;
using Stage.Engine.Control;
using Stage.Engine.Outputs;
using Stage.Engine.Statistics;
using Stage.Engine.Status;
using Stage.Engine.Takes;
using Stage.Engine.Timing;
using Stage.Takes;
using Stage.Tracking;
using Stage.Tracking.Buffers;
using Stage.Tracking.Statistics;
using Stage.Core.Frames;

namespace Stage.Engine;

/// <summary>
/// The frame loop. Per frame, in this order: wait for the frame's start (the software clock, or the display's
/// refresh less a learned margin when a display shows the frames); run queued control commands; let the output do
/// its per-frame work (a window's events and keys); advance the world in whole fixed steps to the frame's time;
/// have the renderer record the frame, latch every camera's pose last, right before the single submission, and
/// present; hand earlier frames' read-back pixels to the output; record the take. Nothing waits for the GPU but
/// the renderer's frame slot. A fault in the world or the renderer is logged and the next frame still comes;
/// tracking loss holds the last pose and shows LOST in the status.
/// </summary>
public sealed partial class FrameLoop : ITakeContext, ICameraLatch, IFrameSink
{
    /// <summary>Frames whose times are kept until they complete on the GPU (more than frames in flight).</summary>
    private const int FrameRecords = 8;

    private readonly StageConfig _config;
    private readonly TrackingSystem _tracking;
    private readonly IWorldHost? _world;
    private readonly IFrameRenderer _renderer;
    private readonly IFrameOutput _output;
    private readonly TakeLog _takeLog;
    private readonly ILogger _log;
    private readonly EngineOptions _options;
    private readonly IMonotonicClock _clock;
    private readonly IFramePacer _frames;
    private readonly double _periodMs;
    private readonly FrameRecord[] _records = new FrameRecord[FrameRecords];
    private FrameTick _latching;
    private bool _latched;
    private readonly CameraView[] _views;
    private readonly bool[] _chromaKey;
    private readonly bool[] _markers;
    private readonly TrackFrame[] _trackFrames;
    private readonly TakeController _takes;
    private readonly TrackingFaultWarnings _trackingFaults;
    private long _worldBaseStep;
    private long _worldBaseFrame;
    private FrameTick _current;
    private long _nextStatusFrame;
    private long _rateFrames;
    private long _rateTicks = long.MinValue;
    private long _rateReadbackBytes;
    private long _nextSnapshotTicks = long.MinValue;
    private double _renderedFps = double.NaN;
    private ulong _statusHash;
    private long _statusHashStep = -1;
    private bool _observerFaultLogged;
    // Outputs build their name on each call (files, preview): read once, so a publication allocates nothing.
    private readonly string _outputName;
    // Cluster hooks (docs/cluster.md): null on a stage of one machine.
    private readonly IFrameLink? _link;
    private readonly FrameInput? _input;
    private readonly List<WorldRuleCommand> _pendingCommands = [];
    private FrameInput? _received;

    /// <summary>Builds the loop; nothing runs until <see cref="Run"/>.</summary>
    public FrameLoop(StageConfig config, TrackingSystem tracking, IWorldHost? world, IFrameRenderer renderer, IFrameOutput output,
        TakeLog takeLog, ILogger log, EngineOptions options, IMonotonicClock clock, Timecode startTimecode)
    {
        _config = config;
        _tracking = tracking;
        _world = world;
        _renderer = renderer;
        _output = output;
        _takeLog = takeLog;
        _log = log;
        _options = options;
        _clock = clock;
        // A display shows the frames: it sets the pace. Headless: the software clock.
        _frames = output is IDisplayTiming { PacesFrames: true } display
            ? new DisplayPacer(config.FrameRate, startTimecode, clock, display)
            : new FrameClock(config.FrameRate, startTimecode, clock);
        _periodMs = 1000.0 * config.FrameRate.Denominator / config.FrameRate.Numerator;
        _views = new CameraView[config.Cameras.Count];
        _chromaKey = new bool[config.Cameras.Count];
        _markers = new bool[config.Cameras.Count];
        _trackFrames = new TrackFrame[config.Cameras.Count];
        for (int i = 0; i < FrameRecords; i++) _records[i].ReceivedStamps = new long[config.Cameras.Count];
        _outputName = output.Name;
        StatusBoard = new EngineStatusBoard(config.Cameras.Count, 4096);
        for (int i = 0; i < _views.Length; i++)
            _views[i] = new CameraView(config.Cameras[i], Pose.Identity, config.Cameras[i].FocalLengthMm, false);
        _worldBaseStep = world?.StepCount ?? 0;
        _link = options.Cluster;
        if (_link is not null) _input = new FrameInput(config.Cameras.Count);
        Commands = new CommandRegistry();
        Queue = new EngineCommandQueue();
        _trackingFaults = new TrackingFaultWarnings(tracking.Sources);
        _takes = new TakeController(takeLog, this) { Cluster = _link is { Follows: false } ? _link : null };
        _takes.Register(Commands, Queue, options.CommandTimeout);
        Grades = new Stage.Core.Colour.GradeBoard(config);
        GradeCommands.Register(Commands, Queue, options.CommandTimeout, Grades, _takes, () => _current.Frame, log);
        RegisterCommands();
    }

    /// <summary>The control commands this engine answers (served by a <see cref="ControlSurface"/>).</summary>
    public CommandRegistry Commands { get; }

    /// <summary>Commands waiting for the engine thread.</summary>
    public EngineCommandQueue Queue { get; }

    /// <summary>The run's measurements.</summary>
    public EngineStatistics Statistics { get; } = new();

    /// <summary>What paces the frames (<see cref="DisplayPacer"/> with a display output, else <see cref="FrameClock"/>).</summary>
    public IFramePacer Pacer => _frames;

    /// <summary>The structured status, published by the engine thread a few times a second (<see cref="EngineOptions.StatusSnapshotsPerSecond"/>) for one reader on another thread.</summary>
    public EngineStatusBoard StatusBoard { get; }

    /// <summary>
    /// Raised on the engine thread right after each status snapshot is published, between frames: where a
    /// composition copies other engine-owned state (the world's entities) for another thread. Handlers must be
    /// quick and must not allocate per call.
    /// </summary>
    public event Action? StatusPublished;

    /// <summary>The take controller (status, last take).</summary>
    public TakeController Takes => _takes;

    /// <summary>The grades in force (cameras' inner, walls' outer), set from the configuration and live over OSC; the renderer reads them each frame.</summary>
    public Stage.Core.Colour.GradeBoard Grades { get; }

    FrameTick ITakeContext.CurrentFrame => _current;

    IReadOnlyList<TakeCamera> ITakeContext.Cameras =>
        _views.Select(v => new TakeCamera(v.Camera.Id, v.FocalLengthMm, v.Camera.SensorWidthMm, v.Camera.SensorHeightMm)).ToList();

    (byte[] Snapshot, ulong StateHash) ITakeContext.CaptureWorld() => _world is null ? ([], 0UL) : (_world.Snapshot(), _world.StateHash);

    DateTime ITakeContext.LocalNow => DateTime.Now;

    long ITakeContext.DroppedFrames => _frames.DroppedFrames;

    string? ITakeContext.StageConfigPath => string.IsNullOrEmpty(_config.SourcePath) ? null : Path.GetFullPath(_config.SourcePath);

    /// <summary>
    /// Runs frames until cancelled or <see cref="EngineOptions.MaxFrames"/>; <paramref name="status"/> gets a
    /// one-line status about once a second. Returns the statistics.
    /// </summary>
    public EngineStatistics Run(CancellationToken cancellation, Action<string>? status = null)
    {
        while (!cancellation.IsCancellationRequested && (_options.MaxFrames is null || _frames.NextFrame < _options.MaxFrames))
        {
            FrameTick tick;
            if (_link is { Follows: true })
            {
                if (!TryFollow(cancellation, out tick)) break;
            }
            else tick = _frames.WaitForNextFrame(cancellation);
            if (cancellation.IsCancellationRequested) break;
            if (tick.Frame >= _options.MaxFrames)
            {
                // A stall over the run's last frames skipped them: dropped, but not the ones past its end.
                Statistics.DroppedFrames = Math.Max(Statistics.DroppedFrames, _frames.DroppedFrames - (tick.Frame - _options.MaxFrames.Value));
                break;
            }
            if (_options.TimecodeFromTracking) tick = tick with { Timecode = TrackingTimecode(tick) };
            _current = tick;
            // Shown on a display, a frame is late when it missed its refresh (counted when it completes); headless, when it started after the next was due.
            if (_frames is FrameClock && tick.StartedTicks > tick.DeadlineTicks) Statistics.LateFrames++;
            if (_options.RecordTakeSlate is string slate && Statistics.Frames == 0)
            {
                ControlReply started = _takes.Start(slate);
                status?.Invoke(started.Text);
            }
            RunFrame(tick);
            Statistics.DroppedFrames = _frames.DroppedFrames;
            // Due by frame number, not frame % N: a slow stage drops frames, and frame numbers then skip the multiples.
            if (tick.Frame >= _nextStatusFrame)
            {
                // Source counters run on the Stopwatch (receive ticks), whatever clock paces the frames.
                foreach (string warning in _trackingFaults.Due(Stopwatch.GetTimestamp())) _log.LogWarning("{TrackingFault}", warning);
                status?.Invoke(StatusLine(tick));
                long rateNow = _clock.NowTicks;
                if (_rateTicks != long.MinValue && rateNow > _rateTicks) _renderedFps = (Statistics.Frames - _rateFrames) * (double)_clock.Frequency / (rateNow - _rateTicks);
                // The hash once a second for the operator page: free while a take records (hashed every frame), cheap otherwise.
                if (_world is not null) (_statusHash, _statusHashStep) = (_world.StateHash, _world.WorldStep);
                _nextStatusFrame = tick.Frame + _options.StatusEveryFrames;
                (_rateFrames, _rateTicks, _rateReadbackBytes) = (Statistics.Frames, _clock.NowTicks, Statistics.ReadbackBytes);
            }
            if (_clock.NowTicks >= _nextSnapshotTicks) PublishStatus(tick);
        }
        if (_link is { Follows: false }) PublishEndOfRun();
        // The frames still in flight: their pixels to the output (a file sequence's last frames), their times to the statistics.
        try
        {
            _renderer.Collect(this, wait: true);
        }
        catch (Exception e)
        {
            _log.LogError(e, "The last frames in flight could not be collected");
        }
        _takes.Close();
        return Statistics;
    }

    private void RunFrame(in FrameTick tick)
    {
        long startStamp = Stopwatch.GetTimestamp();
        Queue.Drain();
        bool faulted = false;
        long outputFaults = _output.FaultedFrames;
        try
        {
            _output.BeginFrame(tick);
        }
        catch (Exception e)
        {
            faulted = true;
            _log.LogError(e, "Output fault at frame {Frame} ({Timecode}); the next frame goes on", tick.Frame, tick.Timecode.ToString());
        }

        if (_link is { Follows: true }) ApplyReceivedCommands();
        if (_world is not null)
        {
            try
            {
                Statistics.WorldSteps += _world.AdvanceToStep(_link is { Follows: true } ? _received!.WorldStep : WorldStepFor(tick.Frame));
            }
            catch (Exception e)
            {
                faulted = true;
                _log.LogError(e, "World fault at frame {Frame} ({Timecode}); the next frame goes on", tick.Frame, tick.Timecode.ToString());
            }
        }

        if (_link is { Follows: true, Behind: true })
        {
            // Catching up (docs/cluster.md): the world follows every input, the picture only the newest.
            ClusterWorldAdvanced();
            Statistics.CaughtUpFrames++;
            return;
        }

        ref FrameRecord record = ref _records[tick.Frame & (FrameRecords - 1)];
        (record.Frame, record.StartStamp, record.LatchStamp, record.SubmitStamp, record.UsedReceiveStamp) = (tick.Frame, startStamp, 0, 0, 0);
        Array.Fill(record.ReceivedStamps, long.MinValue);
        _latching = tick;
        _latched = false;
        if (_link is not null) ClusterWorldAdvanced();
        long renderStart = _clock.NowTicks;
        try
        {
            bool wants = _output.WantsPixels(tick);
            _renderer.Render(new FrameRequest(tick, wants), this, this);
            if (_link is not null)
            {
                // A renderer that never reached its submission still takes part in the barrier (else the others time out on it).
                ClusterReady();
                ClusterPresented(tick.Frame);
            }
            Statistics.RenderMs.Record((_clock.NowTicks - renderStart) * 1000.0 / _clock.Frequency);
            _renderer.Collect(this, wait: false);
        }
        catch (RendererUnavailableException)
        {
            faulted = true;
        }
        catch (Exception e)
        {
            faulted = true;
            _log.LogError(e, "Render fault at frame {Frame} ({Timecode}); the next frame goes on", tick.Frame, tick.Timecode.ToString());
        }
        // A frame that failed before its latch still records the cameras (held) in the take, and a primary still publishes its input (the nodes follow every frame).
        if (!_latched)
        {
            if (_link is null) LatchCameras();
            else ClusterLatch();
        }
        if (_link is not null) ClusterReady();
        Statistics.ReadbackBytes = _renderer.ReadbackBytes;

        if (_takes.Recording is not null)
        {
            ulong hash = _world?.StateHash ?? 0;
            long worldStep = _world?.WorldStep ?? 0;
            long takeFrame = _takes.TakeFrameOf(tick.Frame);
            for (int i = 0; i < _trackFrames.Length; i++) _trackFrames[i] = _trackFrames[i] with { Frame = takeFrame, StateHash = hash, WorldStep = worldStep };
            _takes.RecordFrame(_trackFrames, _frames.DroppedFrames);
        }
        // A window that lost this frame (its surface, its swapchain) rebuilt itself; the frame counts as faulted.
        if (_output.FaultedFrames != outputFaults) faulted = true;
        if (faulted) Statistics.FaultedFrames++;
        Statistics.Frames++;
        Statistics.FrameMs.Record(Stopwatch.GetElapsedTime(startStamp).TotalMilliseconds);
    }

    /// <summary>The renderer's latch: every camera's pose for the frame's display time, as late as the renderer can ask.</summary>
    ReadOnlySpan<CameraView> ICameraLatch.Latch()
    {
        // In a cluster the primary latches here too (not earlier: the pose is as fresh as on one machine) and publishes the input; a render node draws the input's poses.
        if (_link is null) LatchCameras();
        else ClusterLatch();
        return _views;
    }

    void ICameraLatch.Submitted(double submitCallMs)
    {
        if (double.IsFinite(submitCallMs)) Statistics.SubmitCallMs.Record(submitCallMs);
        ref FrameRecord record = ref _records[_latching.Frame & (FrameRecords - 1)];
        record.SubmitStamp = Stopwatch.GetTimestamp();
        Statistics.LatchToSubmitMs.Record(Stopwatch.GetElapsedTime(record.LatchStamp, record.SubmitStamp).TotalMilliseconds);
        // The frame lock sits between submit and present: every node has its frame on the GPU before any presents it.
        if (_link is not null) ClusterReady();
    }

    void IFrameSink.Pixels(FrameTick tick, IReadOnlyList<CanvasPixels> canvases)
    {
        try
        {
            _output.Present(tick, canvases);
        }
        catch (Exception e)
        {
            _log.LogError(e, "Output fault with the pixels of frame {Frame} ({Timecode})", tick.Frame, tick.Timecode.ToString());
        }
    }

    void IFrameSink.Completed(in FrameCompletionTimes times)
    {
        ref FrameRecord record = ref _records[times.Tick.Frame & (FrameRecords - 1)];
        if (record.Frame != times.Tick.Frame || record.LatchStamp == 0) return;
        double ms = 1000.0 / Stopwatch.Frequency;
        Statistics.SubmitToGpuDoneMs.Record((times.GpuDoneTicks - times.SubmitTicks) * ms);
        if (double.IsFinite(times.GpuMs)) Statistics.GpuFrameMs.Record(times.GpuMs);
        _frames.Observe((times.GpuDoneTicks - record.StartStamp) * ms, times.Tick, times.PresentedTicks);
        // Done: shown on a display, or without one, finished by the GPU.
        long done = times.PresentedTicks != 0 ? times.PresentedTicks : times.GpuDoneTicks;
        Statistics.PresentedFrames++;
        foreach (long received in record.ReceivedStamps)
            if (received != long.MinValue) Statistics.PoseToPresentMs.Record((done - received) * ms);
        if (times.PresentedTicks == 0) return;
        Statistics.GpuDoneToPresentedMs.Record(Math.Max(0, times.PresentedTicks - times.GpuDoneTicks) * ms);
        // A missed refresh: shown more than half a period after the frame was due on the display.
        if (_frames is DisplayPacer && (times.PresentedTicks - times.Tick.DeadlineTicks) * ms > _periodMs / 2) Statistics.LateFrames++;
        if (record.UsedReceiveStamp == 0) return;
        Statistics.ReceiveToPresentedMs.Record((times.PresentedTicks - record.UsedReceiveStamp) * ms);
        // The pose used against the freshest one the hero camera had received by the time the picture was shown.
        if (_tracking.Cameras.Count > 0 && _tracking.Cameras[0].TryGetNewestReceivedBy(times.PresentedTicks, out CameraSample newest))
            Statistics.StalenessAtPresentMs.Record(Math.Max(0, newest.ReceiveTicks - record.UsedReceiveStamp) * ms);
    }

    private void LatchCameras()
    {
        _latched = true;
        long latchTicks = _clock.NowTicks;
        long latchStamp = Stopwatch.GetTimestamp();
        long displayTicks = latchTicks + (long)(_options.DisplayLatencyMs * _clock.Frequency / 1000.0);
        ref FrameRecord record = ref _records[_latching.Frame & (FrameRecords - 1)];
        record.LatchStamp = latchStamp;
        for (int i = 0; i < _views.Length; i++)
        {
            PoseBuffer buffer = _tracking.Cameras[i];
            if (buffer.TrySample(displayTicks, out PoseQuery query))
            {
                CameraSample sample = query.Sample;
                _views[i] = _views[i] with
                {
                    TrackedPose = sample.Pose,
                    FocalLengthMm = sample.HasFocalLength ? sample.FocalLengthMm : _views[i].Camera.FocalLengthMm,
                    ChromaKey = _chromaKey[i],
                    Markers = _markers[i],
                };
                // A pose that arrived while the latch ran (after its clock read) is as fresh as it gets: age 0, not negative.
                long ageTicks = Math.Max(0, latchTicks - sample.ReceiveTicks);
                Statistics.PoseAgeMs.Record(ageTicks * 1000.0 / _clock.Frequency);
                if (i == 0) record.UsedReceiveStamp = sample.ReceiveTicks;
                record.ReceivedStamps[i] = sample.ReceiveTicks;
                _trackFrames[i] = new TrackFrame(0, i, sample.PositionM, sample.Orientation, _views[i].FocalLengthMm,
                    sample.HasFocusDistance ? sample.FocusDistanceM : double.NaN, ageTicks * 1e6 / _clock.Frequency, 0);
            }
            else
            {
                _views[i] = _views[i] with { ChromaKey = _chromaKey[i], Markers = _markers[i] };
                record.ReceivedStamps[i] = long.MinValue;
                _trackFrames[i] = new TrackFrame(0, i, _views[i].TrackedPose.PositionM, _views[i].TrackedPose.Orientation, _views[i].FocalLengthMm, double.NaN, double.NaN, 0, HasPose: false);
            }
        }
    }

    /// <summary>A frame's times (Stopwatch ticks) from its start until it completes on the GPU.</summary>
    private struct FrameRecord
    {
        public long Frame;
        public long StartStamp;
        public long LatchStamp;
        public long SubmitStamp;
        public long UsedReceiveStamp;
        // Per camera, the receive time of the pose latched (long.MinValue: none); made once, reused.
        public long[] ReceivedStamps;
    }

    /// <summary>
    /// The hero camera's timecode now: its newest sample's timecode plus the whole frames since it was
    /// received. The clock's own timecode when the tracker sends none, or at another rate.
    /// </summary>
    private Timecode TrackingTimecode(in FrameTick tick)
    {
        if (_tracking.Cameras.Count == 0) return tick.Timecode;
        long now = _clock.NowTicks;
        if (!_tracking.Cameras[0].TrySample(now, out PoseQuery query) || query.Sample.SourceTimecode is not Timecode source || source.Rate != _config.FrameRate)
        {
            TimecodeSource = "free";
            return tick.Timecode;
        }
        long since = (long)((Int128)Math.Max(0, now - query.Sample.ReceiveTicks) * _config.FrameRate.Numerator / ((Int128)_config.FrameRate.Denominator * _clock.Frequency));
        TimecodeSource = "tracking";
        return source + since;
    }

    /// <summary>Where frame timecode comes from now: "free" (the clock) or "tracking" (the hero camera's tracker).</summary>
    public string TimecodeSource { get; private set; } = "free";

    /// <summary>The world step a frame's time falls on: exact rational arithmetic from the last reset.</summary>
    private long WorldStepFor(long frame)
    {
        Int128 elapsedFrames = frame - _worldBaseFrame;
        Int128 steps = elapsedFrames * _config.FrameRate.Denominator * _world!.StepRateHz / _config.FrameRate.Numerator;
        return _worldBaseStep + (long)steps;
    }

    /// <summary>The one-line status: frame, timecode, fps, latency, world step, cameras, tracking sources (packets in, samples applied, faults by kind), take.</summary>
    public string StatusLine(FrameTick tick)
    {
        PercentileSummary age = Statistics.PoseAgeMs.Summarise(), frame = Statistics.FrameMs.Summarise();
        // Frames rendered per second since the last status line: what the stage really does, against its rate.
        long now = _clock.NowTicks;
        string rate = _rateTicks == long.MinValue || now <= _rateTicks
            ? $"{_config.FrameRate} fps"
            : string.Create(CultureInfo.InvariantCulture, $"{(Statistics.Frames - _rateFrames) * (double)_clock.Frequency / (now - _rateTicks):0.0} of {_config.FrameRate} fps");
        string cameras = string.Join(" ", _tracking.Cameras.Select(b => $"{b.CameraId}:{StatusWord(b.Status)}"));
        long framesSince = Statistics.Frames - _rateFrames;
        string readback = "readback " + EngineStatistics.BytesText(framesSince <= 0 ? 0 : (Statistics.ReadbackBytes - _rateReadbackBytes) / (double)framesSince) + "/frame";
        if (_renderer.ColourStatus is string colour) readback += " | " + colour;
        long receiveNow = Stopwatch.GetTimestamp();
        string sources = _tracking.Sources.Count == 0 ? "" : " " + string.Join(", ", _tracking.Sources.Select(s => TrackingReport.Compact(s, receiveNow))) + " |";
        return string.Create(CultureInfo.InvariantCulture,
            $"frame {tick.Frame} {tick.Timecode}{(_options.TimecodeFromTracking ? $" (TC {TimecodeSource})" : "")} | {rate} | frame p99 {frame.P99:0.0} ms | {(age.Count == 0 ? "pose age –" : $"pose age p50 {age.P50:0.0} ms p99 {age.P99:0.0} ms")} | dropped {_frames.DroppedFrames} | {readback} |{(_world is null ? "" : $" world step {_world.WorldStep} |")} {cameras} |{sources} {_takes.Status}");
    }

    /// <summary>Fills the status board's snapshot from this frame and publishes it. Engine thread; copies into preallocated buffers only.</summary>
    private void PublishStatus(in FrameTick tick)
    {
        long period = (long)(_clock.Frequency / Math.Max(0.1, _options.StatusSnapshotsPerSecond));
        long now = _clock.NowTicks;
        _nextSnapshotTicks = _nextSnapshotTicks == long.MinValue || now - _nextSnapshotTicks > period ? now + period : _nextSnapshotTicks + period;
        EngineStatusSnapshot s = StatusBoard.Back;
        s.PublishedTimestamp = Stopwatch.GetTimestamp();
        s.Frame = tick.Frame;
        s.Timecode = tick.Timecode;
        s.TimecodeSource = TimecodeSource;
        s.RenderedFps = _renderedFps;
        s.Frames = Statistics.Frames;
        s.PresentedFrames = Statistics.PresentedFrames;
        s.DroppedFrames = _frames.DroppedFrames;
        s.LateFrames = Statistics.LateFrames;
        s.FaultedFrames = Statistics.FaultedFrames;
        s.OutputName = _outputName;
        s.FrameMs.CopyFrom(Statistics.FrameMs);
        s.RenderMs.CopyFrom(Statistics.RenderMs);
        s.PoseAgeMs.CopyFrom(Statistics.PoseAgeMs);
        s.PoseToPresentMs.CopyFrom(Statistics.PoseToPresentMs);
        for (int i = 0; i < _views.Length; i++)
        {
            s.ChromaKey[i] = _chromaKey[i];
            s.Markers[i] = _markers[i];
            s.FocalLengthMm[i] = _views[i].FocalLengthMm;
        }
        s.Recording = _takes.Recording is not null;
        s.LastTake = _takes.LastTake;
        s.TakeFrames = _takes.Recording?.FrameCount ?? 0;
        s.TakesRevision = _takes.Revision;
        s.HasWorld = _world is not null;
        s.WorldStep = _world?.WorldStep ?? 0;
        s.StepRateHz = _world?.StepRateHz ?? 0;
        s.StateHash = _statusHash;
        s.StateHashStep = _statusHashStep;
        StatusBoard.Publish();
        try
        {
            StatusPublished?.Invoke();
        }
        catch (Exception e)
        {
            // An observer's fault (the operator page's map) must not stop the frames; said once, not ten times a second.
            if (!_observerFaultLogged) _log.LogError(e, "A status observer failed at frame {Frame}; the frames go on (reported once)", tick.Frame);
            _observerFaultLogged = true;
        }
    }

    private static string StatusWord(TrackingStatus status) => status switch
    {
        TrackingStatus.Tracking => "OK",
        TrackingStatus.Lost => "LOST",
        _ => "NO DATA",
    };

    private void RegisterCommands()
    {
        TimeSpan timeout = _options.CommandTimeout;
        Commands.Register(new ControlCommand
        {
            Address = "/stage/status",
            Description = "Replies with the status line: frame, timecode, latency, cameras, take.",
            Handler = _ => Queue.Invoke(() => ControlReply.Success(StatusLine(_current)), timeout),
        });
        Commands.Register(new ControlCommand
        {
            Address = "/stage/camera/chromakey",
            Description = "Fill a camera's inner frustum with the key colour (1) or show the world (0).",
            Parameters = [new ControlParameter("camera", ControlParameterKind.Text), new ControlParameter("on", ControlParameterKind.Switch)],
            Handler = call => Queue.Invoke(() =>
            {
                int index = Array.FindIndex(_views, v => v.Camera.Id == call.Text("camera"));
                if (index < 0) return ControlReply.Failure($"no camera '{call.Text("camera")}' (cameras: {string.Join(", ", _views.Select(v => v.Camera.Id))})");
                _chromaKey[index] = call.Switch("on");
                return ControlReply.Success($"camera {call.Text("camera")} chroma key {(_chromaKey[index] ? "on" : "off")}");
            }, timeout),
        });
        Commands.Register(new ControlCommand
        {
            Address = "/stage/camera/markers",
            Description = "Draw tracking markers on a camera's chroma-key fill (1) or not (0).",
            Parameters = [new ControlParameter("camera", ControlParameterKind.Text), new ControlParameter("on", ControlParameterKind.Switch)],
            Handler = call => Queue.Invoke(() =>
            {
                int index = Array.FindIndex(_views, v => v.Camera.Id == call.Text("camera"));
                if (index < 0) return ControlReply.Failure($"no camera '{call.Text("camera")}' (cameras: {string.Join(", ", _views.Select(v => v.Camera.Id))})");
                _markers[index] = call.Switch("on");
                return ControlReply.Success($"camera {call.Text("camera")} markers {(_markers[index] ? "on" : "off")}{(_chromaKey[index] || !_markers[index] ? "" : " (shown when its chroma key is on)")}");
            }, timeout),
        });
        Commands.Register(new ControlCommand
        {
            Address = "/stage/world/rule",
            Description = "Change a world rule (gravityScale, timeScale, linearDamping …) from the next step.",
            Parameters = [new ControlParameter("name", ControlParameterKind.Text), new ControlParameter("value", ControlParameterKind.Number)],
            Handler = call => Queue.Invoke(() =>
            {
                if (_world is null) return ControlReply.Failure("this stage has no world");
                string name = call.Text("name")!;
                double value = call.Number("value");
                if (!_world.TrySetRule(name, value, out string message)) return ControlReply.Failure(message);
                if (_link is not null) _pendingCommands.Add(new WorldRuleCommand(name, value));
                // A take records its rule changes so that a replay makes the same ones at the same frame.
                _takes.Recording?.AddWorldCommand(_takes.TakeFrameOf(_current.Frame), name, value);
                _log.LogInformation("World rule {Rule} at world step {Step}", message, _world.WorldStep);
                return ControlReply.Success(message);
            }, timeout),
        });
        Commands.Register(new ControlCommand
        {
            Address = "/stage/world/reset",
            Description = "Put the world back to the start of a take (its id; default the last take).",
            Parameters = [new ControlParameter("take", ControlParameterKind.Number, Optional: true)],
            Handler = call => Queue.Invoke(() => ResetWorld(call.Has("take") ? (long)call.Number("take") : null), timeout),
        });
        Commands.Register(new ControlCommand
        {
            Address = "/stage/world/snapshot",
            Description = "Write the world's snapshot now, beside the take log.",
            Handler = _ => Queue.Invoke(SnapshotWorld, timeout),
        });
    }

    private ControlReply ResetWorld(long? takeId)
    {
        if (_world is null) return ControlReply.Failure("this stage has no world");
        if (_link is not null) return ControlReply.Failure("a render cluster's world is not reset by command: its render nodes would not follow (docs/cluster.md)");
        // The take would record a jump back in time that its replay cannot follow.
        if (_takes.Recording is not null) return ControlReply.Failure($"take {_takes.LastTake!.Scene}/{_takes.LastTake.TakeNumber} is recording; stop it before resetting the world");
        TakeInfo? take;
        try
        {
            take = takeId is long id ? _takeLog.Take(id) : _takes.LastTake ?? _takeLog.LastTake();
        }
        catch (TakeLogException e)
        {
            return ControlReply.Failure(e.Message);
        }
        if (take is null) return ControlReply.Failure("no take to reset to yet");
        byte[] snapshot = _takeLog.StartSnapshot(take.Id);
        if (snapshot.Length == 0) return ControlReply.Failure($"take {take.Scene}/{take.TakeNumber} was recorded without a world");
        try
        {
            _world.Restore(snapshot);
        }
        catch (Exception e)
        {
            _log.LogError(e, "World reset to take {Take} failed; the world is unchanged", take.Id);
            return ControlReply.Failure($"the snapshot of take {take.Scene}/{take.TakeNumber} cannot be restored: {e.Message}");
        }
        _worldBaseStep = _world.StepCount;
        _worldBaseFrame = _current.Frame;
        if (LogHash(_world.StateHash) != take.StartStateHash)
            return ControlReply.Failure($"world restored to take {take.Scene}/{take.TakeNumber}, but its state hash {LogHash(_world.StateHash)} differs from the recorded {take.StartStateHash}");
        _log.LogInformation("World reset to the start of take {Scene}/{Take} at frame {Frame}", take.Scene, take.TakeNumber, _current.Frame);
        return ControlReply.Success($"world reset to the start of {take.Scene}/{take.TakeNumber} (step {_world.StepCount}, hash {take.StartStateHash})");
    }

    private ControlReply SnapshotWorld()
    {
        if (_world is null) return ControlReply.Failure("this stage has no world");
        string folder = Path.Combine(Path.GetDirectoryName(_takeLog.Path)!, "snapshots");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $"step-{_world.StepCount:D10}.snapshot");
        try
        {
            _world.SaveSnapshot(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ControlReply.Failure($"cannot write {path}: {e.Message}");
        }
        return ControlReply.Success(path);
    }

    private static string LogHash(ulong hash) => TakeLog.HashText(hash);

}
