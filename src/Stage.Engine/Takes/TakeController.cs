using Stage.Engine.Control;
using Stage.Engine.Timing;
using Stage.Takes;

namespace Stage.Engine.Takes;

/// <summary>What the take controller needs from the running engine.</summary>
public interface ITakeContext
{
    /// <summary>The frame the engine is on.</summary>
    FrameTick CurrentFrame { get; }

    /// <summary>The cameras a take records, hero first, with their current lens.</summary>
    IReadOnlyList<TakeCamera> Cameras { get; }

    /// <summary>The world's snapshot and state hash now (empty and 0 without a world).</summary>
    (byte[] Snapshot, ulong StateHash) CaptureWorld();

    /// <summary>Local wall-clock time, for the shoot day only (never used by the simulation).</summary>
    DateTime LocalNow { get; }

    /// <summary>Frames the engine has dropped since it started.</summary>
    long DroppedFrames { get; }

    /// <summary>The stage configuration file the engine runs (recorded so a replay renders the same stage), or null.</summary>
    string? StageConfigPath => null;
}

/// <summary>
/// Starts, stops, circles and annotates takes in the take log, and records each frame of the take
/// running. Runs on the engine thread; its control commands are queued to it.
/// </summary>
public sealed class TakeController
{
    private readonly TakeLog _log;
    private readonly ITakeContext _context;
    private TakeRecorder? _recording;
    private long _droppedAtStart;
    private long _startFrame;

    /// <summary>Controls takes in <paramref name="log"/>.</summary>
    public TakeController(TakeLog log, ITakeContext context)
    {
        _log = log;
        _context = context;
    }

    /// <summary>The render cluster this engine is the primary of (null: one machine): a take records which nodes drew it and whether they agreed.</summary>
    public Stage.Engine.Cluster.IFrameLink? Cluster { get; set; }

    /// <summary>The take being recorded, or null.</summary>
    public TakeRecorder? Recording => _recording;

    /// <summary>The last take started (running or not), or null.</summary>
    public TakeInfo? LastTake { get; private set; }

    /// <summary>Goes up with every change this controller makes to the log (start, stop, circle, NG, note), so a reader knows when to list the takes again.</summary>
    public long Revision { get; private set; }

    /// <summary>"REC 12A/3 240 frames" or "idle (last 12A/3)".</summary>
    public string Status => _recording is null
        ? LastTake is null ? "idle" : $"idle (last {LastTake.Scene}/{LastTake.TakeNumber}{(LastTake.Circled ? " ●" : "")})"
        : $"REC {LastTake!.Scene}/{LastTake.TakeNumber} {_recording.FrameCount} frames";

    /// <summary>Starts a take of <paramref name="slate"/> (default: the last take's scene, else "1") at the current frame.</summary>
    public ControlReply Start(string? slate)
    {
        if (_recording is not null) return ControlReply.Failure($"take {LastTake!.Scene}/{LastTake.TakeNumber} is still recording; stop it first");
        string scene = string.IsNullOrWhiteSpace(slate) ? LastTake?.Scene ?? "1" : slate.Trim();
        FrameTick tick = _context.CurrentFrame;
        (byte[] snapshot, ulong hash) = _context.CaptureWorld();
        _recording = _log.StartTake(scene, _context.Cameras, tick.Timecode.Rate, tick.Timecode, snapshot, hash, _context.LocalNow, _context.StageConfigPath);
        _droppedAtStart = _context.DroppedFrames;
        _startFrame = tick.Frame;
        Cluster?.TakeStarted(tick.Frame);
        LastTake = _log.Take(_recording.TakeId);
        Started?.Invoke(_recording);
        Revision++;
        return ControlReply.Success($"recording {scene}/{LastTake.TakeNumber} from {tick.Timecode}");
    }

    /// <summary>Called on the engine thread when a take has started (before its first frame): what the take must hold from frame 0.</summary>
    public event Action<TakeRecorder>? Started;

    /// <summary>Records one frame of the running take (no-op when idle). Engine thread, once per frame.</summary>
    public void RecordFrame(ReadOnlySpan<TrackFrame> frames, long engineDroppedFrames)
    {
        if (_recording is null) return;
        _recording.AddFrame(frames, engineDroppedFrames - _droppedAtStart);
    }

    /// <summary>The frame index within the running take of engine frame <paramref name="engineFrame"/> (timecode frames since its start).</summary>
    public long TakeFrameOf(long engineFrame) => engineFrame - _startFrame;

    /// <summary>Stops the running take, recording the world's state hash at the end.</summary>
    public ControlReply Stop()
    {
        if (_recording is null) return ControlReply.Failure("no take is recording");
        TakeInfo take = _recording.Stop(_context.CaptureWorld().StateHash);
        _recording = null;
        if (Cluster is { } cluster)
        {
            // Frames as the take counts them (from 0); what the nodes' hashes said by the time the take stopped.
            IReadOnlyList<TakeNode> nodes = cluster.TakeStopped(_context.CurrentFrame.Frame);
            _log.SetNodes(take.Id, [.. nodes.Select(n => n.FirstDivergentFrame < 0 ? n : n with { FirstDivergentFrame = n.FirstDivergentFrame - _startFrame })]);
            take = _log.Take(take.Id);
        }
        LastTake = take;
        Revision++;
        return ControlReply.Success($"stopped {take.Scene}/{take.TakeNumber}: {take.FrameCount} frames, {take.Start}–{take.LastFrame}");
    }

    /// <summary>Circles the last take.</summary>
    public ControlReply Circle()
    {
        if (LastTake is null) return ControlReply.Failure("no take to circle yet");
        _log.SetCircled(LastTake.Id, true);
        LastTake = _log.Take(LastTake.Id);
        Revision++;
        return ControlReply.Success($"circled {LastTake.Scene}/{LastTake.TakeNumber}");
    }

    /// <summary>Marks the last take no-good.</summary>
    public ControlReply NoGood()
    {
        if (LastTake is null) return ControlReply.Failure("no take to mark NG yet");
        return SetFlag(LastTake.Id, noGood: true, on: true);
    }

    /// <summary>Circles (or un-circles) take <paramref name="takeId"/>, or marks (or clears) it no-good.</summary>
    public ControlReply SetFlag(long takeId, bool noGood, bool on)
    {
        TakeInfo take;
        try
        {
            if (noGood) _log.SetNoGood(takeId, on);
            else _log.SetCircled(takeId, on);
            take = _log.Take(takeId);
        }
        catch (TakeLogException e)
        {
            return ControlReply.Failure(e.Message);
        }
        if (LastTake?.Id == takeId) LastTake = take;
        Revision++;
        string what = noGood ? on ? "marked NG" : "NG cleared on" : on ? "circled" : "un-circled";
        return ControlReply.Success($"{what} {take.Scene}/{take.TakeNumber}");
    }

    /// <summary>Adds a note to take <paramref name="takeId"/>.</summary>
    public ControlReply Note(long takeId, string text)
    {
        TakeInfo take;
        try
        {
            _log.AddNote(takeId, text);
            take = _log.Take(takeId);
        }
        catch (TakeLogException e)
        {
            return ControlReply.Failure(e.Message);
        }
        if (LastTake?.Id == takeId) LastTake = take;
        Revision++;
        return ControlReply.Success($"noted on {take.Scene}/{take.TakeNumber}");
    }

    /// <summary>Adds a note to the running take, else to the last one.</summary>
    public ControlReply Note(string text)
    {
        if (LastTake is null) return ControlReply.Failure("no take to note yet");
        _log.AddNote(LastTake.Id, text);
        Revision++;
        return ControlReply.Success($"noted on {LastTake.Scene}/{LastTake.TakeNumber}");
    }

    /// <summary>Ends a running take when the engine stops (recorded as complete, with what it has).</summary>
    public void Close()
    {
        if (_recording is not null) Stop();
    }

    private static long TakeId(ControlCall call)
    {
        double id = call.Number("take");
        // A take id is a whole positive number; anything else names no take (the log's own message says which).
        return id >= 1 && id == Math.Floor(id) && id <= long.MaxValue ? (long)id : 0;
    }

    /// <summary>Registers /stage/take/start|stop|circle|note|ng and /stage/takes/circle|ng|note (any take by id), run on the engine thread through <paramref name="queue"/>.</summary>
    public void Register(CommandRegistry registry, EngineCommandQueue queue, TimeSpan timeout)
    {
        registry.Register(new ControlCommand
        {
            Address = "/stage/take/start",
            Description = "Start recording a take of the slate (default: the last scene).",
            Parameters = [new ControlParameter("slate", ControlParameterKind.Text, Optional: true)],
            Handler = call => queue.Invoke(() => Start(call.Text("slate")), timeout),
        });
        registry.Register(new ControlCommand
        {
            Address = "/stage/take/stop",
            Description = "Stop the take being recorded.",
            Handler = _ => queue.Invoke(Stop, timeout),
        });
        registry.Register(new ControlCommand
        {
            Address = "/stage/take/circle",
            Description = "Circle the last take.",
            Handler = _ => queue.Invoke(Circle, timeout),
        });
        registry.Register(new ControlCommand
        {
            Address = "/stage/take/note",
            Description = "Add a note to the running (or last) take.",
            Parameters = [new ControlParameter("text", ControlParameterKind.Text)],
            Handler = call => queue.Invoke(() => Note(call.Text("text")!), timeout),
        });
        registry.Register(new ControlCommand
        {
            Address = "/stage/take/ng",
            Description = "Mark the last take no-good.",
            Handler = _ => queue.Invoke(NoGood, timeout),
        });
        // Any take of the log by id (the operator page's take list): explicit on/off, never a toggle, so a repeated message does no harm.
        registry.Register(new ControlCommand
        {
            Address = "/stage/takes/circle",
            Description = "Circle (1) or un-circle (0) a take of the log, by id.",
            Parameters = [new ControlParameter("take", ControlParameterKind.Number), new ControlParameter("on", ControlParameterKind.Switch)],
            Handler = call => queue.Invoke(() => SetFlag(TakeId(call), noGood: false, call.Switch("on")), timeout),
        });
        registry.Register(new ControlCommand
        {
            Address = "/stage/takes/ng",
            Description = "Mark (1) or clear (0) a take of the log no-good, by id.",
            Parameters = [new ControlParameter("take", ControlParameterKind.Number), new ControlParameter("on", ControlParameterKind.Switch)],
            Handler = call => queue.Invoke(() => SetFlag(TakeId(call), noGood: true, call.Switch("on")), timeout),
        });
        registry.Register(new ControlCommand
        {
            Address = "/stage/takes/note",
            Description = "Add a note to a take of the log, by id.",
            Parameters = [new ControlParameter("take", ControlParameterKind.Number), new ControlParameter("text", ControlParameterKind.Text)],
            Handler = call => queue.Invoke(() => Note(TakeId(call), call.Text("text")!), timeout),
        });
    }
}
