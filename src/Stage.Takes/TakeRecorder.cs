using Stage.Core.Time;

namespace Stage.Takes;

/// <summary>
/// Records one take's frames. Frames are buffered and committed to the log once a second of frames
/// has gathered (and at <see cref="Stop"/>), so a crash loses at most the last second; adding a
/// frame allocates nothing.
/// </summary>
public sealed class TakeRecorder
{
    private readonly TakeLog _log;
    private readonly TrackFrame[] _pending;
    private readonly int _flushEveryFrames;
    private int _pendingCount;
    private long _frameCount;
    private long _droppedFrames;
    private long _flushedThrough;

    internal TakeRecorder(TakeLog log, long takeId, IReadOnlyList<TakeCamera> cameras, Timecode start)
    {
        _log = log;
        TakeId = takeId;
        Cameras = cameras;
        Start = start;
        _flushEveryFrames = Math.Max(1, start.Rate.TimecodeBase);
        _pending = new TrackFrame[_flushEveryFrames * cameras.Count];
    }

    /// <summary>The take's id in the log.</summary>
    public long TakeId { get; }

    /// <summary>Cameras in index order (<see cref="TrackFrame.CameraIndex"/>).</summary>
    public IReadOnlyList<TakeCamera> Cameras { get; }

    /// <summary>Timecode of the take's first frame.</summary>
    public Timecode Start { get; }

    /// <summary>The take's length so far in timecode frames (the last recorded frame's index + 1).</summary>
    public long FrameCount => _frameCount;

    /// <summary>True until <see cref="Stop"/>.</summary>
    public bool IsRecording { get; private set; } = true;

    /// <summary>
    /// Records one frame: one <see cref="TrackFrame"/> per camera, all with the same frame index. Frame
    /// indices count timecode frames from the take's start and only go up; a frame the engine dropped is
    /// a gap, so the take's timecode out stays true to the clock.
    /// </summary>
    /// <param name="frames">This frame's samples, one per camera.</param>
    /// <param name="droppedFramesSoFar">The engine's dropped-frame count for the take so far.</param>
    public void AddFrame(ReadOnlySpan<TrackFrame> frames, long droppedFramesSoFar)
    {
        if (!IsRecording) throw new InvalidOperationException($"take {TakeId} has stopped");
        if (frames.IsEmpty) throw new ArgumentException("a frame needs a sample per camera", nameof(frames));
        long index = frames[0].Frame;
        if (index < _frameCount) throw new ArgumentException($"frame {index} given after frame {_frameCount - 1}: frames only go forward", nameof(frames));
        foreach (TrackFrame frame in frames)
        {
            if (frame.Frame != index) throw new ArgumentException($"frame {frame.Frame} given with frame {index}: one frame per call", nameof(frames));
            if ((uint)frame.CameraIndex >= (uint)Cameras.Count) throw new ArgumentException($"camera index {frame.CameraIndex} is not one of the take's {Cameras.Count} cameras", nameof(frames));
            if (_pendingCount == _pending.Length) Flush();
            _pending[_pendingCount++] = frame;
        }
        _frameCount = index + 1;
        _droppedFrames = droppedFramesSoFar;
        // A second of timecode, not of recorded frames: a slow stage records few frames a second.
        if (_frameCount - _flushedThrough >= _flushEveryFrames) Flush();
    }

    /// <summary>Commits the buffered frames now.</summary>
    public void Flush()
    {
        _log.AppendFrames(TakeId, _pending.AsSpan(0, _pendingCount), _frameCount, _droppedFrames);
        _pendingCount = 0;
        _flushedThrough = _frameCount;
    }

    /// <summary>
    /// Records a world rule change made by command before the steps of take frame
    /// <paramref name="frame"/>, which is where a replay makes it again. Written at once (rare).
    /// </summary>
    public void AddWorldCommand(long frame, string name, double value)
    {
        if (!IsRecording) throw new InvalidOperationException($"take {TakeId} has stopped");
        if (frame < _frameCount) throw new ArgumentException($"a rule change at frame {frame} comes after frame {_frameCount - 1} was recorded", nameof(frame));
        _log.AppendWorldCommand(TakeId, frame, name, value);
    }

    /// <summary>
    /// Records a grade in force from take frame <paramref name="frame"/> on (each target's grade at frame 0 when the take
    /// starts, then each change where it takes effect). Written at once (rare).
    /// </summary>
    public void AddGrade(long frame, GradeTarget target, string id, Stage.Core.Colour.AscCdl cdl)
    {
        if (!IsRecording) throw new InvalidOperationException($"take {TakeId} has stopped");
        if (frame < _frameCount) throw new ArgumentException($"a grade at frame {frame} comes after frame {_frameCount - 1} was recorded", nameof(frame));
        _log.AppendGrade(TakeId, frame, target, id, cdl);
    }

    /// <summary>Ends the take: commits what is buffered and records the world's state hash at the end.</summary>
    public TakeInfo Stop(ulong endStateHash)
    {
        if (IsRecording)
        {
            Flush();
            _log.FinishTake(TakeId, endStateHash);
            IsRecording = false;
        }
        return _log.Take(TakeId);
    }
}
