using Stage.Core.Time;
using Stage.Engine.Statistics;
using Stage.Takes;

namespace Stage.Engine.Status;

/// <summary>
/// The engine's state a few times a second, for a reader on another thread (the operator's web page): the
/// frame and its timecode, the run's counters, the recent windows of frame, render and latency times, each
/// camera's operator toggles, the take and the world. The engine fills it in place (no allocation) and hands
/// it over through an <see cref="EngineStatusBoard"/>; the reader owns it until it takes the next one.
/// </summary>
public sealed class EngineStatusSnapshot
{
    internal EngineStatusSnapshot(int cameras, int windowCapacity)
    {
        ChromaKey = new bool[cameras];
        Markers = new bool[cameras];
        FocalLengthMm = new double[cameras];
        FrameMs = new MeasurementWindow(windowCapacity);
        RenderMs = new MeasurementWindow(windowCapacity);
        PoseAgeMs = new MeasurementWindow(windowCapacity);
        PoseToPresentMs = new MeasurementWindow(windowCapacity);
    }

    /// <summary>Publications so far, from 1.</summary>
    public long Sequence { get; internal set; }

    /// <summary>When the engine published it (Stopwatch ticks), to measure how long it took to reach a reader.</summary>
    public long PublishedTimestamp { get; internal set; }

    /// <summary>The frame the engine was on.</summary>
    public long Frame { get; internal set; }

    /// <summary>That frame's timecode.</summary>
    public Timecode Timecode { get; internal set; }

    /// <summary>"free" or "tracking": where the timecode comes from.</summary>
    public string TimecodeSource { get; internal set; } = "free";

    /// <summary>Frames rendered per second over the last status interval (about a second); NaN until measured.</summary>
    public double RenderedFps { get; internal set; } = double.NaN;

    /// <summary>Frames run.</summary>
    public long Frames { get; internal set; }

    /// <summary>Frames whose canvases the output took without a fault.</summary>
    public long PresentedFrames { get; internal set; }

    /// <summary>Frames the clock skipped.</summary>
    public long DroppedFrames { get; internal set; }

    /// <summary>Frames that started after the next one was due.</summary>
    public long LateFrames { get; internal set; }

    /// <summary>Frames with a world or render fault.</summary>
    public long FaultedFrames { get; internal set; }

    /// <summary>The output's name ("headless", "preview (…)", "window (…)").</summary>
    public string OutputName { get; internal set; } = "";

    /// <summary>Recent frame times (latch to hand-off), ms.</summary>
    public MeasurementWindow FrameMs { get; }

    /// <summary>Recent render times, ms.</summary>
    public MeasurementWindow RenderMs { get; }

    /// <summary>Recent pose ages at latch (tracker receive → latch), ms.</summary>
    public MeasurementWindow PoseAgeMs { get; }

    /// <summary>Recent latencies from a pose's receipt to the frame that used it being handed to the output, ms.</summary>
    public MeasurementWindow PoseToPresentMs { get; }

    /// <summary>Per camera (configuration order): its inner frustum filled with the key colour.</summary>
    public bool[] ChromaKey { get; }

    /// <summary>Per camera: tracking markers drawn on the key fill.</summary>
    public bool[] Markers { get; }

    /// <summary>Per camera: the focal length latched for the frame, mm.</summary>
    public double[] FocalLengthMm { get; }

    /// <summary>True while a take records.</summary>
    public bool Recording { get; internal set; }

    /// <summary>The last take started (the one recording, if any); an immutable record, safe to keep.</summary>
    public TakeInfo? LastTake { get; internal set; }

    /// <summary>Frames recorded in the running take.</summary>
    public long TakeFrames { get; internal set; }

    /// <summary>Goes up whenever a take starts, stops, or is circled, marked NG or noted: the take list is worth reading again.</summary>
    public long TakesRevision { get; internal set; }

    /// <summary>True when the run has a world.</summary>
    public bool HasWorld { get; internal set; }

    /// <summary>World steps run so far (its simulation time is this ÷ <see cref="StepRateHz"/>).</summary>
    public long WorldStep { get; internal set; }

    /// <summary>The world's fixed steps per second.</summary>
    public int StepRateHz { get; internal set; }

    /// <summary>The world's state hash at <see cref="StateHashStep"/> (taken at the status line, about once a second).</summary>
    public ulong StateHash { get; internal set; }

    /// <summary>The world step <see cref="StateHash"/> belongs to; −1 before the first.</summary>
    public long StateHashStep { get; internal set; } = -1;
}

/// <summary>A copy of a <see cref="RollingPercentiles"/> window, taken without allocation; percentiles are worked out by the reader.</summary>
public sealed class MeasurementWindow
{
    private readonly double[] _values;
    private double[]? _sorted;

    internal MeasurementWindow(int capacity) => _values = new double[capacity];

    /// <summary>Values held.</summary>
    public int Count { get; private set; }

    internal void CopyFrom(RollingPercentiles source) => Count = source.CopyWindow(_values);

    /// <summary>p50, p99 and max of the values held (NaN when none). Sorts a copy: call it on the reader's thread.</summary>
    public PercentileSummary Summarise()
    {
        if (Count == 0) return new PercentileSummary(double.NaN, double.NaN, double.NaN, 0);
        _sorted ??= new double[_values.Length];
        Array.Copy(_values, _sorted, Count);
        Array.Sort(_sorted, 0, Count);
        return new PercentileSummary(At(0.50), At(0.99), _sorted[Count - 1], Count);
    }

    private double At(double quantile) => _sorted![Math.Min(Count - 1, (int)Math.Ceiling(quantile * Count) - 1)];
}
