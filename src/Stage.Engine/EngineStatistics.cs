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

    /// <summary>Render node of a cluster: frames whose world was advanced but not drawn because later inputs were already waiting (catching up after a join).</summary>
    public long CaughtUpFrames { get; internal set; }

    /// <summary>World steps run.</summary>
    public long WorldSteps { get; internal set; }

    /// <summary>Frame work time, ms (latch to hand-off).</summary>
    public RollingPercentiles FrameMs { get; } = new(4096);

    /// <summary>Render time, ms.</summary>
    public RollingPercentiles RenderMs { get; } = new(4096);

    /// <summary>Age of the pose used when it was latched: its UDP receive to the latch, ms, every camera.</summary>
    public RollingPercentiles PoseAgeMs { get; } = new(4096);

    /// <summary>
    /// From a pose's receipt to the frame made with it being done: shown on a display (presented), or for an output
    /// without one the GPU finishing it; every camera with a pose, ms.
    /// </summary>
    public RollingPercentiles PoseToPresentMs { get; } = new(4096);

    /// <summary>Frames completed on the GPU (and shown, where a display shows them) without a fault.</summary>
    public long PresentedFrames { get; internal set; }

    /// <summary>The latch (the last thing recorded) to the frame's submission returning, ms.</summary>
    public RollingPercentiles LatchToSubmitMs { get; } = new(4096);

    /// <summary>Of <see cref="LatchToSubmitMs"/>, the driver's submit call itself (vkQueueSubmit2), ms.</summary>
    public RollingPercentiles SubmitCallMs { get; } = new(4096);

    /// <summary>The submission to the GPU finishing the frame, ms.</summary>
    public RollingPercentiles SubmitToGpuDoneMs { get; } = new(4096);

    /// <summary>The GPU finishing the frame to its being shown (present wait where offered, else the present call's return), ms; display outputs only.</summary>
    public RollingPercentiles GpuDoneToPresentedMs { get; } = new(4096);

    /// <summary>The hero camera's pose: UDP receive to the picture made with it being shown, ms; display outputs only.</summary>
    public RollingPercentiles ReceiveToPresentedMs { get; } = new(4096);

    /// <summary>At the time the picture was shown: how much older the pose used was than the newest the hero camera had received, ms.</summary>
    public RollingPercentiles StalenessAtPresentMs { get; } = new(4096);

    /// <summary>GPU time of each frame from its timestamps, ms (where the device writes them).</summary>
    public RollingPercentiles GpuFrameMs { get; } = new(4096);

    /// <summary>Bytes copied from the GPU into host memory over the run (files and previews read back; a window output reads none).</summary>
    public long ReadbackBytes { get; internal set; }

    /// <summary>"0 B", "512 KB", "66.4 MB": a byte count for a person.</summary>
    public static string BytesText(double bytes) => bytes switch
    {
        < 1024 => Inv($"{bytes:0} B"),
        < 1024 * 1024 => Inv($"{bytes / 1024:0.#} KB"),
        _ => Inv($"{bytes / (1024 * 1024):0.#} MB"),
    };

    /// <summary>A few lines for the end of a run.</summary>
    public IReadOnlyList<string> Summary()
    {
        PercentileSummary frame = FrameMs.Summarise(), render = RenderMs.Summarise(), age = PoseAgeMs.Summarise(), latch = LatchToSubmitMs.Summarise();
        return
        [
            Inv($"frames {Frames}, dropped {DroppedFrames}, late {LateFrames}, faulted {FaultedFrames}, world steps {WorldSteps}{(CaughtUpFrames == 0 ? "" : $", {CaughtUpFrames} more frames caught up without drawing")}"),
            Inv($"frame time p50 {frame.P50:0.00} ms, p99 {frame.P99:0.00} ms, max {frame.Max:0.00} ms"),
            Inv($"render time p50 {render.P50:0.00} ms, p99 {render.P99:0.00} ms"),
            age.Count == 0 ? "pose age: no tracked pose arrived" : Inv($"pose age (receive → latch) p50 {age.P50:0.00} ms, p99 {age.P99:0.00} ms, max {age.Max:0.00} ms"),
            Inv($"engine overhead (latch → submit) p50 {latch.P50:0.000} ms, p99 {latch.P99:0.000} ms"),
            Inv($"host readback {BytesText(Frames == 0 ? 0 : ReadbackBytes / (double)Frames)} per frame ({BytesText(ReadbackBytes)} in all)"),
        ];
    }

    /// <summary>
    /// The latency chain, a line per link with p50, p99 and max in ms and in frames of <paramref name="framePeriodMs"/>:
    /// UDP receive → latch, latch → submit, submit → GPU done, GPU done → presented, pose receive → presented, the pose's
    /// staleness at present and the GPU frame time. Links with no samples are left out.
    /// </summary>
    public IReadOnlyList<string> LatencyLines(double framePeriodMs)
    {
        var lines = new List<string>();
        void Add(string name, RollingPercentiles values)
        {
            PercentileSummary s = values.Summarise();
            if (s.Count == 0) return;
            lines.Add(Inv($"{name,-28} p50 {s.P50,7:0.000} ms  p99 {s.P99,7:0.000} ms  max {s.Max,7:0.000} ms  (p99 {s.P99 / framePeriodMs:0.00} frames)"));
        }
        Add("UDP receive → latch", PoseAgeMs);
        Add("latch → submit", LatchToSubmitMs);
        Add("  of which the submit call", SubmitCallMs);
        Add("submit → GPU done", SubmitToGpuDoneMs);
        Add("GPU done → presented", GpuDoneToPresentedMs);
        Add("pose receive → presented", ReceiveToPresentedMs);
        Add("pose staleness at present", StalenessAtPresentMs);
        Add("GPU frame (timestamps)", GpuFrameMs);
        return lines;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
