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

    /// <summary>Frames recorded so far.</summary>
    public long FrameCount => _frameCount;

    /// <summary>True until <see cref="Stop"/>.</summary>
    public bool IsRecording { get; private set; } = true;

    /// <summary>Records one frame: one <see cref="TrackFrame"/> per camera, all with the same frame index (the next one).</summary>
    /// <param name="frames">This frame's samples, one per camera.</param>
    /// <param name="droppedFramesSoFar">The engine's dropped-frame count for the take so far.</param>
    public void AddFrame(ReadOnlySpan<TrackFrame> frames, long droppedFramesSoFar)
    {
        if (!IsRecording) throw new InvalidOperationException($"take {TakeId} has stopped");
        foreach (TrackFrame frame in frames)
        {
            if (frame.Frame != _frameCount) throw new ArgumentException($"frame {frame.Frame} given where frame {_frameCount} was expected", nameof(frames));
            if ((uint)frame.CameraIndex >= (uint)Cameras.Count) throw new ArgumentException($"camera index {frame.CameraIndex} is not one of the take's {Cameras.Count} cameras", nameof(frames));
            if (_pendingCount == _pending.Length) Flush();
            _pending[_pendingCount++] = frame;
        }
        _frameCount++;
        _droppedFrames = droppedFramesSoFar;
        if (_frameCount % _flushEveryFrames == 0) Flush();
    }

    /// <summary>
    /// Records a world rule change made by command now: it takes effect before the steps of the frame
    /// <see cref="AddFrame"/> records next, which is where a replay applies it. Written at once (rare).
    /// </summary>
    public void AddWorldCommand(string name, double value)
    {
        if (!IsRecording) throw new InvalidOperationException($"take {TakeId} has stopped");
        _log.AppendWorldCommand(TakeId, _frameCount, name, value);
    }

    /// <summary>Commits the buffered frames now.</summary>
    public void Flush()
    {
        _log.AppendFrames(TakeId, _pending.AsSpan(0, _pendingCount), _frameCount, _droppedFrames);
        _pendingCount = 0;
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
