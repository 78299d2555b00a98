using System.Globalization;
using Stage.Engine.Statistics;

namespace Stage.Engine;

/// <summary>What a run measures, frame by frame, and its summary.</summary>
public sealed class EngineStatistics
{
    /// <summary>Frames run.</summary>
    public long Frames { get; internal set; }

    /// <summary>Frames the clock skipped because their time had passed.</summary>
    public long DroppedFrames { get; internal set; }

    /// <summary>Frames that started after the next one was already due.</summary>
    public long LateFrames { get; internal set; }

    /// <summary>Frames whose world step or render failed (logged; the next frame still came).</summary>
    public long FaultedFrames { get; internal set; }

    /// <summary>World steps run.</summary>
    public long WorldSteps { get; internal set; }

    /// <summary>Frame work time, ms (latch to hand-off).</summary>
    public RollingPercentiles FrameMs { get; } = new(4096);

    /// <summary>Render time, ms.</summary>
    public RollingPercentiles RenderMs { get; } = new(4096);

    /// <summary>Age of the pose used: its receive time to the frame's submit, ms (tracking-to-frame latency).</summary>
    public RollingPercentiles PoseAgeMs { get; } = new(4096);

    /// <summary>From a pose's receipt to the frame that used it being handed to the output (every camera with a pose), ms.</summary>
    public RollingPercentiles PoseToPresentMs { get; } = new(4096);

    /// <summary>Frames whose canvases the output took without a fault.</summary>
    public long PresentedFrames { get; internal set; }

    /// <summary>Engine overhead between latching the pose and handing the frame to the renderer, ms.</summary>
    public RollingPercentiles LatchToSubmitMs { get; } = new(4096);

    /// <summary>A few lines for the end of a run.</summary>
    public IReadOnlyList<string> Summary()
    {
        PercentileSummary frame = FrameMs.Summarise(), render = RenderMs.Summarise(), age = PoseAgeMs.Summarise(), latch = LatchToSubmitMs.Summarise();
        return
        [
            Inv($"frames {Frames}, dropped {DroppedFrames}, late {LateFrames}, faulted {FaultedFrames}, world steps {WorldSteps}"),
            Inv($"frame time p50 {frame.P50:0.00} ms, p99 {frame.P99:0.00} ms, max {frame.Max:0.00} ms"),
            Inv($"render time p50 {render.P50:0.00} ms, p99 {render.P99:0.00} ms"),
            age.Count == 0 ? "pose age: no tracked pose arrived" : Inv($"pose age (receive → submit) p50 {age.P50:0.00} ms, p99 {age.P99:0.00} ms, max {age.Max:0.00} ms"),
            Inv($"engine overhead (latch → submit) p50 {latch.P50:0.000} ms, p99 {latch.P99:0.000} ms"),
        ];
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
