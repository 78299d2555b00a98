using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Space;
using Stage.Render.Compose;
using Stage.Render.Gpu;
using Stage.Render.Projection;
using Stage.Render.Scene;
using Stage.Vulkan;
using Silk.NET.Vulkan;

namespace Stage.Render;

/// <summary>Options of the <see cref="StageRenderer"/>.</summary>
public sealed record StageRendererOptions
{
    /// <summary>Where the outer render is seen from (the configuration's <c>render.outerEyeM</c>; default eye height at the stage origin).</summary>
    public Vector3 OuterEyeM { get; init; } = new(0f, 1.7f, 0f);

    /// <summary>Side of each of the outer cube's six faces, pixels (<see cref="FromConfig"/>: <see cref="OuterResolution.Choose"/>).</summary>
    public int OuterFaceSizePx { get; init; } = 256;

    /// <summary>
    /// Samples per pixel of the inner and outer views (1, 2, 4 or 8; default 4), resolved before the compose pass. A count
    /// the device does not offer is lowered to the highest it offers below it (<see cref="StageRenderer.MsaaNote"/> says so).
    /// </summary>
    public int MsaaSamples { get; init; } = 4;

    /// <summary>Soft edge between inner and outer, as a fraction of the inner image.</summary>
    public double SoftEdgeFraction { get; init; } = 0.02;

    /// <summary>Near and far planes of the inner and outer views, metres.</summary>
    public (double NearM, double FarM) DepthRange { get; init; } = (0.05, 1000);

    /// <summary>Key and marker colours.</summary>
    public ComposeStyle Style { get; init; } = new();

    /// <summary>Scene drawing options (shadow map size …).</summary>
    public SceneRendererOptions Scene { get; init; } = new();

    /// <summary>Compose options (inner filter, canvas formats).</summary>
    public CanvasCompositorOptions Compose { get; init; } = new();

    /// <summary>
    /// Frames that may be in flight at once (1–3, default 2): the CPU records frame N+1 while the GPU renders frame N.
    /// Each has its own command buffer, per-item, light, view and compose buffers, timestamps and readback buffers.
    /// </summary>
    public int FramesInFlight { get; init; } = 2;

    /// <summary>
    /// Note when each frame finishes on the GPU, on a thread of its own (<see cref="SubmissionWatch"/>), for
    /// <see cref="FrameCompletion.GpuDoneTicks"/>; off, a frame is "done" when the renderer first sees it done.
    /// </summary>
    public bool WatchCompletion { get; init; }

    /// <summary>
    /// The options a stage configuration asks for: its <c>render</c> section's outer viewpoint, soft edge, frames in flight and
    /// MSAA samples, and the outer resolution <see cref="OuterResolution.Choose"/> picks (the configuration's where it sets one).
    /// </summary>
    public static StageRendererOptions FromConfig(StageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new StageRendererOptions
        {
            OuterEyeM = config.Render.OuterEyeM,
            OuterFaceSizePx = OuterResolution.Choose(config).FaceSizePx,
            MsaaSamples = config.Render.MsaaSamples,
            SoftEdgeFraction = config.Render.SoftEdgePercent / 100.0,
            FramesInFlight = config.Render.FramesInFlight,
        };
    }
}

/// <summary>
/// The in-camera VFX renderer for one stage: per frame the sun's shadow map, each tracked camera's
/// inner frustum (at its configured resolution, from its entrance pupil with overscan), the outer
/// six-face cube, and the compose of every output canvas — on the GPU from start to end.
/// <para>
/// The live path: <see cref="BeginFrame"/> waits only for the frame slot it reuses (frames overlap:
/// <see cref="StageRendererOptions.FramesInFlight"/>), updates the slot's buffers and records the whole frame,
/// the presenters' acquire and copies included (a canvas is composed straight into an acquired swapchain image
/// where it can be); <see cref="Submit"/> then takes the cameras — latched last, written into the slot's
/// small view and compose buffers — submits once and presents. Nothing waits for the GPU and nothing is read
/// back unless asked: a canvas is copied into the slot's readback buffer only in frames that ask for it, and
/// its pixels are handed over (<see cref="CollectReadbacks"/>) once that frame has completed, one or more frames later.
/// </para>
/// <para>
/// <see cref="Render"/> is the synchronous form for files, tests and <c>stage render</c>: one frame, waited
/// for, every canvas read back.
/// </para>
/// </summary>
public sealed class StageRenderer : IDisposable
{
    /// <summary>Views of the scene renderer's per-slot view buffer used by the inner cameras: 1 … 4.</summary>
    private const int FirstCameraView = 1;

    /// <summary>Views used by the outer cube's six faces: 5 … 10.</summary>
    private const int FirstFaceView = FirstCameraView + CanvasCompositor.MaxCameras;

    private readonly GpuDevice _device;
    private readonly StageConfig _config;
    private readonly StageRendererOptions _options;
    private readonly SceneRenderer _scene;
    private readonly CanvasCompositor _compositor;
    private readonly CameraConfig[] _innerCameras;
    private readonly GpuImage[] _innerColor;
    private readonly GpuImage?[] _innerMultisampled;
    private readonly GpuImage[] _innerDepth;
    private readonly GpuImage _outerColor;
    private readonly GpuImage? _outerMultisampled;
    private readonly GpuImage _outerDepth;
    private readonly FrameSlot[] _slots;
    private readonly GpuCommandPool _pool;
    private readonly List<GpuCommandBuffer> _passBuffers = [];
    private readonly List<PassTiming> _timings = [];
    private readonly List<PassTiming> _gpuTimings = [];
    private readonly string[] _innerPassNames;
    private readonly string[] _innerGpuNames;
    private readonly ComposeCamera[] _composeCameras = new ComposeCamera[CanvasCompositor.MaxCameras];
    private readonly CameraView[] _latched;
    private readonly int[] _drawOrder;
    private readonly List<GpuImage> _innerImages = new(CanvasCompositor.MaxCameras);
    private readonly GpuImage?[] _targets;
    private readonly bool[] _composedInto;
    private readonly bool[] _presenting;
    private readonly List<GpuSemaphoreSubmit> _waits = [];
    private readonly List<GpuSemaphoreSubmit> _signals = [];
    private readonly List<ICanvasPresenter> _presenters = [];
    private readonly Stopwatch _clock = new();
    private readonly List<PassTiming> _cpuTimings = [];
    private readonly System.Diagnostics.Process _process = System.Diagnostics.Process.GetCurrentProcess();
    private TimeSpan _cpuAtLap;
    private readonly CanvasPixels[] _syncPixels;
    private readonly List<string> _syncOrder = [];
    private CameraView[] _syncViews = [];
    private readonly Action<long, IReadOnlyList<CanvasPixels>> _syncSink;
    private int _drawCount;
    private readonly Stage.Render.Colour.ColourCounts[] _colourCounts;
    private readonly (long OutOfGamut, long OverPeak)[] _colourFaultFrames;
    private long _framesBegun;
    private FrameSlot? _recording;
    private FrameSlot? _submitted;
    private Action<long, IReadOnlyList<CanvasPixels>>? _readbackSink;
    private readonly SubmissionWatch? _watch;
    private bool _disposed;

    /// <summary>Creates every target and pipeline for <paramref name="config"/>.</summary>
    public StageRenderer(GpuDevice device, StageConfig config, StageRendererOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(config);
        _device = device;
        _config = config;
        _options = options ?? StageRendererOptions.FromConfig(config);
        if (_options.FramesInFlight is < 1 or > 3)
            throw new ArgumentOutOfRangeException(nameof(options), _options.FramesInFlight, "frames in flight must be 1, 2 or 3");
        int slots = _options.FramesInFlight;
        // The scene renders in the configuration's working space, whatever the options say (the compose pass takes it from there).
        // Each configured camera gets sun cascades of its own (layers of the shadow map: allocated for these cameras only).
        _scene = new SceneRenderer(device, _options.Scene with
        {
            WorkingSpace = config.Render.WorkingSpace,
            ShadowCascadeViews = Math.Min(config.Cameras.Count, SceneRenderer.CascadeViews),
        }, slots);
        _compositor = new CanvasCompositor(device, config, _options.Compose, slots);
        _colourCounts = new Stage.Render.Colour.ColourCounts[config.Outputs.Count];
        _colourFaultFrames = new (long, long)[config.Outputs.Count];
        // Canvases at 1/N size each way show the inner frustum at 1/N the pixels: its render shrinks with them.
        int divisor = _options.Compose.CanvasScaleDivisor;
        _innerCameras = config.Cameras.Take(CanvasCompositor.MaxCameras)
            .Select(c => divisor == 1 ? c : c with { InnerWidthPx = Math.Max(16, (c.InnerWidthPx + divisor - 1) / divisor), InnerHeightPx = Math.Max(16, (c.InnerHeightPx + divisor - 1) / divisor) })
            .ToArray();
        (Samples, MsaaNote) = ChooseSamples(device, _options.MsaaSamples);
        SampleCountFlags samples = (SampleCountFlags)Samples;
        const ImageUsageFlags colorUsage = ImageUsageFlags.ColorAttachmentBit | ImageUsageFlags.SampledBit
            | ImageUsageFlags.TransferSrcBit | ImageUsageFlags.TransferDstBit;
        const ImageUsageFlags multisampledUsage = ImageUsageFlags.ColorAttachmentBit | ImageUsageFlags.TransientAttachmentBit;
        const ImageUsageFlags depthUsage = ImageUsageFlags.DepthStencilAttachmentBit;
        // The inner images carry a mip chain, rebuilt each frame, for the compose pass's trilinear filtering.
        bool mips = _options.Compose.InnerMipmaps;
        _innerColor = _innerCameras.Select(c => new GpuImage(device, (uint)c.InnerWidthPx, (uint)c.InnerHeightPx, SceneRenderer.ColorFormat, colorUsage,
            mipLevels: mips ? GpuImage.MipLevelsFor((uint)c.InnerWidthPx, (uint)c.InnerHeightPx) : 1)).ToArray();
        _innerMultisampled = _innerCameras.Select(c => Samples == 1 ? null
            : new GpuImage(device, (uint)c.InnerWidthPx, (uint)c.InnerHeightPx, SceneRenderer.ColorFormat, multisampledUsage, samples: samples)).ToArray();
        _innerDepth = _innerCameras.Select(c => new GpuImage(device, (uint)c.InnerWidthPx, (uint)c.InnerHeightPx, SceneRenderer.DepthFormat, depthUsage, samples: samples)).ToArray();
        _latched = _innerCameras.Select(c => new CameraView(c, Pose.Identity, c.FocalLengthMm)).ToArray();
        _drawOrder = new int[_innerCameras.Length];
        _innerPassNames = _innerCameras.Select(c => "inner " + c.Id).ToArray();
        _innerGpuNames = _innerCameras.Select(c => "gpu inner " + c.Id).ToArray();
        // Canvases at 1/N size each way carry 1/N the LED pixels: the outer view chosen for the wall's density shrinks with them.
        var face = (uint)Math.Max(16, (_options.OuterFaceSizePx + divisor - 1) / divisor);
        _outerColor = new GpuImage(device, face, face, SceneRenderer.ColorFormat, colorUsage, CubeFaces.Count);
        // One multisampled face, reused for the six (each resolved into its layer): 1/6 of the memory of six.
        _outerMultisampled = Samples == 1 ? null : new GpuImage(device, face, face, SceneRenderer.ColorFormat,
            ImageUsageFlags.ColorAttachmentBit | ImageUsageFlags.TransferSrcBit, samples: samples);
        _outerDepth = new GpuImage(device, face, face, SceneRenderer.DepthFormat, depthUsage, samples: samples);
        _pool = new GpuCommandPool(device);
        int canvases = config.Outputs.Count;
        _targets = new GpuImage?[canvases];
        _composedInto = new bool[canvases];
        _presenting = new bool[canvases];
        _syncPixels = new CanvasPixels[canvases];
        _syncSink = KeepSyncPixels;
        _slots = new FrameSlot[slots];
        for (var i = 0; i < slots; i++)
        {
            _slots[i] = new FrameSlot(i, _pool.Allocate(), new GpuTimestampQueries(device, _innerCameras.Length + 5), canvases);
        }
        _watch = _options.WatchCompletion ? new SubmissionWatch(device) : null;
        // Static per frame: the outer cube's faces.
        OuterView outer = Outer;
        for (var i = 0; i < slots; i++)
            for (var f = 0; f < CubeFaces.Count; f++)
                _scene.WriteView(i, FirstFaceView + f, CubeFaces.ViewProjection(f, outer.EyeM, outer.NearM, outer.FarM));
    }

    /// <summary>The stage this renderer draws.</summary>
    public StageConfig Config => _config;

    /// <summary>Samples per pixel the inner and outer views are drawn with (what was asked, or the highest the device offers below it).</summary>
    public int Samples { get; }

    /// <summary>Null when the views are drawn with the samples asked for; otherwise a warning saying what the device offers and what is used.</summary>
    public string? MsaaNote { get; }

    /// <summary>Pixels along each of the outer cube's faces.</summary>
    public int OuterFaceSizePx => (int)_outerColor.Width;

    /// <summary>
    /// The sample count to draw with: <paramref name="asked"/> where the device offers it for the views' colour and depth
    /// formats, else the highest offered count below it (1 always is), with a note saying so — a clamp with a warning rather
    /// than a refusal, so a stage configured for a GPU still runs (less smoothly) on a smaller one.
    /// </summary>
    private static (int Samples, string? Note) ChooseSamples(GpuDevice device, int asked)
    {
        if (asked is not (1 or 2 or 4 or 8)) throw new ArgumentOutOfRangeException(nameof(asked), asked, "MSAA samples must be 1, 2, 4 or 8");
        SampleCountFlags offered = device.AttachmentSampleCounts(SceneRenderer.ColorFormat, SceneRenderer.DepthFormat);
        int used = asked;
        while (used > 1 && (offered & (SampleCountFlags)used) == 0) used /= 2;
        if (used == asked) return (used, null);
        var list = string.Join(", ", new[] { 1, 2, 4, 8, 16, 32, 64 }.Where(n => (offered & (SampleCountFlags)n) != 0));
        return (used, $"render.msaaSamples {asked}: {device.Info.Name} offers {list} samples for the views' RGBA16F colour with D32 depth; drawing with {used}");
    }

    /// <summary>
    /// Called on the render thread for every frame once it has completed on the GPU (from <see cref="BeginFrame"/>
    /// or <see cref="CollectReadbacks"/>), oldest first: when it was submitted, finished and presented.
    /// </summary>
    public Action<FrameCompletion>? Completed { get; set; }

    /// <summary>Frames that may be in flight at once.</summary>
    public int FramesInFlight => _slots.Length;

    /// <summary>The canvases' GPU images, in configuration order (composed in TRANSFER_SRC_OPTIMAL after a frame).</summary>
    public IReadOnlyList<GpuImage> Canvases => _compositor.Canvases;

    /// <summary>
    /// Where canvases are shown on the GPU (windows), each taking part in every frame's submission. Add before the
    /// first frame; a presenter stays until it is removed.
    /// </summary>
    public IList<ICanvasPresenter> Presenters => _presenters;

    /// <summary>
    /// Wall-clock timings of the last frame: "slot wait" (<see cref="BeginFrame"/> waiting for the GPU to finish the frame
    /// that last used the slot: the pacing wait when the GPU is the bottleneck), "record" (CPU), "present" (the presenters'
    /// present calls, a present wait included) and, in <see cref="Render"/>, "gpu" and "readback".
    /// </summary>
    public IReadOnlyList<PassTiming> LastTimings => _timings;

    /// <summary>
    /// GPU time of each pass of the most recent completed frame, from timestamps written at the start of the frame
    /// and after each pass: "gpu shadow", "gpu inner A" (one per camera drawn), "gpu outer", "gpu compose", "gpu copy"
    /// (presentation copies and readback copies), in that order. Empty with <see cref="TimeEachPass"/> or where the
    /// device cannot write timestamps (see <see cref="GpuTimestampsUnsupported"/>).
    /// </summary>
    public IReadOnlyList<PassTiming> LastGpuTimings => _gpuTimings;

    /// <summary>
    /// With <see cref="TimeEachPass"/>: the process's CPU time (every thread) over each pass's submission and wait, the same
    /// names as <see cref="LastTimings"/>. On lavapipe the "GPU" is this process's threads, so this is the pass's work
    /// however many other processes share the cores — steadier than wall time or timestamps on a loaded machine.
    /// </summary>
    public IReadOnlyList<PassTiming> LastCpuTimings => _cpuTimings;

    /// <summary>Null when per-pass GPU times are measured with timestamp queries; otherwise why not.</summary>
    public string? GpuTimestampsUnsupported => _slots[0].Stamps.Unsupported;

    /// <summary>The scene renderer (its counters show whether GPU buffers were rebuilt).</summary>
    public SceneRenderer Scene => _scene;

    /// <summary>Bytes copied from the GPU into host memory so far (readback of canvases; the live window path reads none).</summary>
    public long ReadbackBytes { get; private set; }

    /// <summary>Frames submitted so far.</summary>
    public long FramesSubmitted { get; private set; }

    /// <summary>The compose pass (its encodings, live grades and colour counters).</summary>
    public CanvasCompositor Compositor => _compositor;

    /// <summary>
    /// Per output, the out-of-gamut and over-peak pixels of the latest completed frame (read when its slot completed, with
    /// its other results; all zero where the device cannot count).
    /// </summary>
    public ReadOnlySpan<Stage.Render.Colour.ColourCounts> LastColourCounts => _colourCounts;

    /// <summary>Completed frames whose colour was counted.</summary>
    public long ColourCountedFrames { get; private set; }

    /// <summary>Per output, the counted frames with any out-of-gamut pixel and with any over-peak pixel.</summary>
    public ReadOnlySpan<(long OutOfGamut, long OverPeak)> ColourFaultFrames => _colourFaultFrames;

    /// <summary>Milliseconds the last <see cref="BeginFrame"/> waited for its frame slot (the GPU was still on the frame before the last).</summary>
    public double LastSlotWaitMs { get; private set; }

    /// <summary>Canvases composed straight into a presenter's acquired image (no canvas image, no copy) so far.</summary>
    public long ComposedIntoPresenters { get; private set; }

    /// <summary>
    /// How long the last frame's vkQueueSubmit2 call took, ms. On lavapipe the driver's queue thread often runs the
    /// frame inside it (the "GPU" is the same CPU cores); on a GPU it is microseconds.
    /// </summary>
    public double LastSubmitCallMs { get; private set; }

    /// <summary>The device timeline number of the last submitted frame.</summary>
    public ulong LastSubmission { get; private set; }

    /// <summary>
    /// False (default): the whole frame is recorded into one command buffer and submitted once. True (only in
    /// <see cref="Render"/>): each pass is its own submission, waited for, and <see cref="LastTimings"/> holds each
    /// pass's wall time — a diagnostic: the extra submissions and waits cost time.
    /// </summary>
    public bool TimeEachPass { get; set; }

    private OuterView Outer => new(_options.OuterEyeM, _options.DepthRange.NearM, _options.DepthRange.FarM);

    /// <summary>
    /// Begins a frame: waits for the frame slot it reuses (the GPU is then at most <see cref="FramesInFlight"/> − 1 frames
    /// behind; that slot's read-back pixels are handed to <paramref name="readbackSink"/> first), writes <paramref name="scene"/>
    /// into the slot and records every pass — shadow, each camera's inner view, the outer cube, the compose of every
    /// canvas (straight into a presenter's acquired image where it can), the presenters' copies, and a copy into the
    /// readback buffer of every canvas <paramref name="readback"/> marks. The cameras are drawn in <paramref name="drawOrder"/>
    /// (configuration ids, priority order; null: the configured order), their poses taken by <see cref="Submit"/>.
    /// </summary>
    /// <param name="scene">The scene as it is now.</param>
    /// <param name="tag">A number handed back with this frame's read-back pixels (a frame number).</param>
    /// <param name="readback">Per canvas: read it back this frame (empty: none).</param>
    /// <param name="readbackSink">Gets read-back pixels (this and earlier frames') on this thread; the arrays are reused afterwards.</param>
    /// <param name="drawOrder">The cameras to draw, first wins; null: every configured camera (up to four) in configuration order.</param>
    public void BeginFrame(RenderScene scene, long tag, ReadOnlySpan<bool> readback, Action<long, IReadOnlyList<CanvasPixels>>? readbackSink,
        IReadOnlyList<string>? drawOrder = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ObjectDisposedException.ThrowIf(_disposed, this);
        // A frame recorded but never submitted (a fault between) is dropped: its command buffer is recorded again.
        _recording = null;
        _submitted = null;
        _readbackSink = readbackSink;
        _timings.Clear();
        _clock.Restart();
        FrameSlot slot = _slots[_framesBegun++ % _slots.Length];
        // The pacing wait: the slot's previous frame must be done before its buffers are written again.
        if (slot.Submission != 0 && _device.CompletedSubmission() < slot.Submission)
        {
            long waitStart = Stopwatch.GetTimestamp();
            _device.Wait(slot.Submission);
            LastSlotWaitMs = Stopwatch.GetElapsedTime(waitStart).TotalMilliseconds;
        }
        else LastSlotWaitMs = 0;
        _timings.Add(new PassTiming("slot wait", LastSlotWaitMs));
        Complete(slot);
        _clock.Restart();

        ChooseCameras(drawOrder);
        // Blended surfaces are sorted back to front from each camera's latest latched pose (in Render, this frame's own).
        for (var k = 0; k < _drawCount; k++) _scene.SetSortView(FirstCameraView + k, ViewProjectionOf(_latched[_drawOrder[k]]));
        _compositor.SetSources(slot.Index, _innerImages, _outerColor);
        _scene.Update(scene, slot.Index, _drawCount);
        GpuCommandBuffer cmd = slot.Commands;
        cmd.Begin();
        try
        {
            RecordFrame(slot, cmd, scene, tag, readback);
        }
        catch
        {
            // Leave the buffer executable, so the next frame can record it again.
            cmd.End();
            throw;
        }
        cmd.End();
        _recording = slot;
        Lap("record");
    }

    private void RecordFrame(FrameSlot slot, GpuCommandBuffer cmd, RenderScene scene, long tag, ReadOnlySpan<bool> readback)
    {
        bool stamp = slot.Stamps.IsSupported;
        slot.StampCount = 0;
        if (stamp)
        {
            slot.Stamps.Reset(cmd);
            Stamp(slot, cmd, "");
        }
        _scene.RecordShadowPass(cmd);
        if (stamp) Stamp(slot, cmd, "gpu shadow");
        RecordInnerAndOuter(cmd, scene, each: false, stamp ? slot : null);

        // Presenters: acquire, then compose straight into an acquired image where nothing else needs the canvas.
        Array.Clear(_targets);
        Array.Clear(_composedInto);
        Array.Clear(_presenting);
        _waits.Clear();
        _signals.Clear();
        slot.Presenting.Clear();
        foreach (ICanvasPresenter presenter in _presenters)
        {
            int c = presenter.CanvasIndex;
            if (!presenter.TryAcquire(out GpuImage? target) || target is null) continue;
            _presenting[c] = true;
            slot.Presenting.Add(presenter);
            presenter.AddSemaphores(_waits, _signals);
            bool wanted = c < readback.Length && readback[c];
            if (!wanted && _targets[c] is null && CanComposeInto(_compositor.Canvases[c], target))
            {
                ComposedIntoPresenters++;
                _targets[c] = target;
                _composedInto[c] = true;
            }
        }
        _compositor.Record(cmd, slot.Index, _drawCount, Outer, _options.Style, _targets, _drawOrder.AsSpan(0, _drawCount));
        if (stamp) Stamp(slot, cmd, "gpu compose");
        foreach (ICanvasPresenter presenter in slot.Presenting)
            presenter.Record(cmd, _compositor.Canvases[presenter.CanvasIndex], _composedInto[presenter.CanvasIndex]);
        slot.Tag = tag;
        slot.ReadbackPending = false;
        for (var c = 0; c < _compositor.Canvases.Count; c++)
        {
            slot.Wanted[c] = c < readback.Length && readback[c];
            if (!slot.Wanted[c]) continue;
            GpuImage canvas = _compositor.Canvases[c];
            GpuBuffer buffer = slot.ReadbackBuffer(_device, c, canvas);
            // A presenter's copy may have read it already: the canvas stays in TRANSFER_SRC_OPTIMAL for both.
            GpuTransfers.CopyOut(cmd, canvas, ImageLayout.TransferSrcOptimal, buffer);
            slot.ReadbackPending = true;
        }
        if (stamp) Stamp(slot, cmd, "gpu copy");
    }

    /// <summary>
    /// Latches the cameras — their matrices and toggles written into the recorded frame's slot, as late as possible —
    /// and submits the frame once (waiting on the presenters' acquires, signalling their presents and the device
    /// timeline); <see cref="Present"/> follows. Does not wait for the GPU. Returns the submission's number on the device timeline.
    /// </summary>
    /// <param name="cameras">Every drawn camera's view (matched by configuration id; a camera missing keeps its last pose).</param>
    public ulong Submit(ReadOnlySpan<CameraView> cameras)
    {
        FrameSlot slot = _recording ?? throw new InvalidOperationException("no frame is being recorded: call BeginFrame first");
        WriteCameras(slot.Index, cameras);
        long submitCall = Stopwatch.GetTimestamp();
        ulong submission = _device.Submit([slot.Commands], CollectionsMarshal.AsSpan(_waits), CollectionsMarshal.AsSpan(_signals));
        slot.SubmitTicks = Stopwatch.GetTimestamp();
        LastSubmitCallMs = Stopwatch.GetElapsedTime(submitCall, slot.SubmitTicks).TotalMilliseconds;
        _watch?.Watch(submission);
        _recording = null;
        slot.Submission = submission;
        slot.StampsPending = slot.StampCount > 0;
        slot.CompletionPending = true;
        LastSubmission = submission;
        FramesSubmitted++;
        _submitted = slot;
        return submission;
    }

    /// <summary>
    /// Presents the frame just submitted on every presenter that acquired an image for it (a present wait, where a
    /// presenter paces by it, happens here). Nothing to do without presenters.
    /// </summary>
    public void Present()
    {
        FrameSlot slot = _submitted ?? throw new InvalidOperationException("no frame was submitted since the last present");
        _submitted = null;
        if (slot.Presenting.Count == 0) return;
        long start = Stopwatch.GetTimestamp();
        foreach (ICanvasPresenter presenter in slot.Presenting) presenter.Present(slot.Submission);
        slot.PresentReturnTicks = Stopwatch.GetTimestamp();
        _timings.Add(new PassTiming("present", Stopwatch.GetElapsedTime(start, slot.PresentReturnTicks).TotalMilliseconds));
    }

    /// <summary>
    /// Hands every completed frame's read-back pixels to the sink given to <see cref="BeginFrame"/>, oldest first;
    /// with <paramref name="wait"/>, waits for the frames still in flight first (the end of a run, a file's last frame).
    /// Returns how many frames were handed over. Nothing is read while its frame may still be written.
    /// </summary>
    public int CollectReadbacks(bool wait = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var handed = 0;
        // Oldest first: slots in the order they were begun.
        for (long n = Math.Max(0, _framesBegun - _slots.Length); n < _framesBegun; n++)
        {
            FrameSlot slot = _slots[n % _slots.Length];
            if (slot == _recording || slot.Submission == 0) continue;
            if (_device.CompletedSubmission() < slot.Submission)
            {
                if (!wait) break;
                _device.Wait(slot.Submission);
            }
            if (Complete(slot)) handed++;
        }
        return handed;
    }

    /// <summary>A completed slot: its timestamps into <see cref="LastGpuTimings"/>, its read-back pixels to the sink. True when pixels were handed over.</summary>
    private bool Complete(FrameSlot slot)
    {
        double gpuMs = double.NaN;
        if (slot.StampsPending)
        {
            slot.StampsPending = false;
            _gpuTimings.Clear();
            if (slot.Stamps.Read() == slot.StampCount)
            {
                for (var i = 1; i < slot.StampCount; i++) _gpuTimings.Add(new PassTiming(slot.StampNames[i], slot.Stamps.Milliseconds(i - 1, i)));
                if (slot.StampCount > 1) gpuMs = slot.Stamps.Milliseconds(0, slot.StampCount - 1);
            }
        }
        if (slot.CompletionPending)
        {
            slot.CompletionPending = false;
            if (_compositor.ReadColourCounts(slot.Index, _colourCounts))
            {
                ColourCountedFrames++;
                for (var i = 0; i < _colourCounts.Length; i++)
                {
                    if (_colourCounts[i].OutOfGamutPixels > 0) _colourFaultFrames[i].OutOfGamut++;
                    if (_colourCounts[i].OverPeakPixels > 0) _colourFaultFrames[i].OverPeak++;
                }
            }
            ReportCompletion(slot, gpuMs);
        }
        if (!slot.ReadbackPending) return false;
        slot.ReadbackPending = false;
        for (var c = 0; c < _compositor.Canvases.Count; c++)
        {
            if (!slot.Wanted[c]) continue;
            slot.Readback[c]!.Read(slot.Bytes[c]);
            ReadbackBytes += slot.Bytes[c].Length;
        }
        _readbackSink?.Invoke(slot.Tag, slot.Pixels(_compositor.Canvases, _config.Outputs));
        return true;
    }

    private void ReportCompletion(FrameSlot slot, double gpuMs)
    {
        if (Completed is null) return;
        long done = _watch is not null && _watch.TryGetDoneTicks(slot.Submission, out long watched) ? watched : Stopwatch.GetTimestamp();
        long presented = 0;
        foreach (ICanvasPresenter presenter in slot.Presenting)
        {
            // Shown on the display: a present wait's answer where the presenter has one, else the later of the present call's return and GPU done.
            long shown = presenter.TryGetDisplayedTicks(slot.Submission, out long displayed) ? displayed : Math.Max(slot.PresentReturnTicks, done);
            presented = Math.Max(presented, shown);
        }
        Completed(new FrameCompletion(slot.Tag, slot.SubmitTicks, done, presented, gpuMs));
    }

    /// <summary>
    /// Renders one frame and waits for it: <paramref name="cameras"/> in priority order (the first wins where inner frusta
    /// overlap; cameras beyond the first four configured are not drawn), <paramref name="scene"/> as it is now. Returns every
    /// canvas's pixels, valid until the next call. The synchronous form for files, tests and <c>stage render</c>.
    /// </summary>
    public IReadOnlyList<CanvasPixels> Render(IReadOnlyList<CameraView> cameras, RenderScene scene)
    {
        ArgumentNullException.ThrowIfNull(cameras);
        ArgumentNullException.ThrowIfNull(scene);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (TimeEachPass) return RenderEachPass(cameras, scene);
        FillSyncCameras(cameras);
        // The poses are known before recording here: latched first, so the blended draws sort from this frame's eyes.
        Latch(_syncViews.AsSpan(0, cameras.Count));
        Span<bool> all = stackalloc bool[_compositor.Canvases.Count];
        all.Fill(true);
        BeginFrame(scene, 0, all, _syncSink, _syncOrder);
        long gpuStart = Stopwatch.GetTimestamp();
        Submit(_syncViews.AsSpan(0, cameras.Count));
        Present();
        _device.Wait(LastSubmission);
        _timings.Add(new PassTiming("gpu", Stopwatch.GetElapsedTime(gpuStart).TotalMilliseconds));
        _clock.Restart();
        CollectReadbacks(wait: true);
        Lap("readback");
        return _syncPixels;
    }

    /// <summary>The synchronous form's camera order and views, in arrays kept between frames (nothing allocated per frame).</summary>
    private void FillSyncCameras(IReadOnlyList<CameraView> cameras)
    {
        if (_syncViews.Length < cameras.Count) _syncViews = new CameraView[cameras.Count];
        _syncOrder.Clear();
        for (var i = 0; i < cameras.Count; i++)
        {
            _syncViews[i] = cameras[i];
            _syncOrder.Add(cameras[i].Camera.Id);
        }
    }

    /// <summary>The synchronous form's readback sink: the pixels into <see cref="_syncPixels"/>.</summary>
    private void KeepSyncPixels(long tag, IReadOnlyList<CanvasPixels> pixels)
    {
        for (var i = 0; i < _syncPixels.Length; i++) _syncPixels[i] = pixels[i];
    }

    /// <summary>The diagnostic path: each pass submitted and waited for on its own, timed by wall clock.</summary>
    private IReadOnlyList<CanvasPixels> RenderEachPass(IReadOnlyList<CameraView> cameras, RenderScene scene)
    {
        _device.Wait(LastSubmission);
        _timings.Clear();
        _gpuTimings.Clear();
        _cpuTimings.Clear();
        FillSyncCameras(cameras);
        ChooseCameras(_syncOrder);
        FrameSlot slot = _slots[0];
        _compositor.SetSources(slot.Index, _innerImages, _outerColor);
        WriteCameras(slot.Index, _syncViews.AsSpan(0, cameras.Count));
        var pass = 0;
        _clock.Restart();
        _process.Refresh();
        _cpuAtLap = _process.TotalProcessorTime;
        _scene.Update(scene, slot.Index, _drawCount);
        GpuCommandBuffer cmd = BeginPass(pass++);
        _scene.RecordShadowPass(cmd);
        cmd = NextPass(cmd, "shadow", ref pass);
        cmd = RecordInnerAndOuter(cmd, scene, each: true, null, ref pass);
        _compositor.Record(cmd, slot.Index, _drawCount, Outer, _options.Style, [], _drawOrder.AsSpan(0, _drawCount));
        cmd = NextPass(cmd, "compose", ref pass);
        for (var c = 0; c < _compositor.Canvases.Count; c++)
        {
            GpuImage canvas = _compositor.Canvases[c];
            slot.Wanted[c] = true;
            GpuTransfers.CopyOut(cmd, canvas, ImageLayout.TransferSrcOptimal, slot.ReadbackBuffer(_device, c, canvas));
        }
        cmd.End();
        _device.Wait(_device.Submit(cmd));
        for (var c = 0; c < _compositor.Canvases.Count; c++)
        {
            slot.Readback[c]!.Read(slot.Bytes[c]);
            ReadbackBytes += slot.Bytes[c].Length;
        }
        Lap("readback");
        IReadOnlyList<CanvasPixels> pixels = slot.Pixels(_compositor.Canvases, _config.Outputs);
        for (var i = 0; i < _syncPixels.Length; i++) _syncPixels[i] = pixels[i];
        return _syncPixels;
    }

    /// <summary>
    /// A presenter's image can take the canvas's place in the compose pass: the same size, and either both 8-bit sRGB (the
    /// pass encodes on write either way, so the pixels are the canvas's exactly; BGRA or RGBA order is the format's
    /// business) or a 16-bit code-value canvas and a 10-bit UNORM image (the pass writes code k of a 10-bit output as
    /// k/1023, which the 10-bit attachment stores as k: what the blit from the canvas would give, without the canvas).
    /// </summary>
    private static bool CanComposeInto(GpuImage canvas, GpuImage image) =>
        image.Width == canvas.Width && image.Height == canvas.Height &&
        (canvas.Format is Format.R8G8B8A8Srgb or Format.B8G8R8A8Srgb && image.Format is Format.R8G8B8A8Srgb or Format.B8G8R8A8Srgb ||
         canvas.Format == Format.R16G16B16A16Unorm && image.Format is Format.A2B10G10R10UnormPack32 or Format.A2R10G10B10UnormPack32);

    /// <summary>Which configured cameras are drawn this frame, in priority order (at most four, each once).</summary>
    private void ChooseCameras(IReadOnlyList<string>? drawOrder)
    {
        _drawCount = 0;
        _innerImages.Clear();
        if (drawOrder is null)
        {
            for (var i = 0; i < _innerCameras.Length; i++) _drawOrder[_drawCount++] = i;
        }
        else
        {
            for (var i = 0; i < drawOrder.Count; i++)
            {
                int slot = SlotOf(drawOrder[i]);
                if (slot < 0 || _drawOrder.AsSpan(0, _drawCount).Contains(slot)) continue;
                _drawOrder[_drawCount++] = slot;
            }
        }
        for (var k = 0; k < _drawCount; k++) _innerImages.Add(_innerColor[_drawOrder[k]]);
    }

    private GpuCommandBuffer RecordInnerAndOuter(GpuCommandBuffer cmd, RenderScene scene, bool each, FrameSlot? stamps)
    {
        var pass = 0;
        return RecordInnerAndOuter(cmd, scene, each, stamps, ref pass);
    }

    /// <summary>Records each drawn camera's inner view (view 1 + its place in the draw order) and the outer cube's faces.</summary>
    private GpuCommandBuffer RecordInnerAndOuter(GpuCommandBuffer cmd, RenderScene scene, bool each, FrameSlot? stamps, ref int pass)
    {
        for (var k = 0; k < _drawCount; k++)
        {
            int camera = _drawOrder[k];
            GpuTransfers.ToColorAttachment(cmd, _innerColor[camera]);
            if (_innerMultisampled[camera] is { } multisampled)
                _scene.RecordResolvedView(cmd, multisampled, _innerColor[camera], 0, _innerDepth[camera], FirstCameraView + k, scene.BackgroundLinear);
            else
                _scene.RecordView(cmd, _innerColor[camera], 0, _innerDepth[camera], FirstCameraView + k, scene.BackgroundLinear);
            // The mip chain in the same command buffer, then every level ready for the compose pass.
            MipChain.Generate(cmd, _innerColor[camera]);
            if (each) cmd = NextPass(cmd, _innerPassNames[camera], ref pass);
            if (stamps is not null) Stamp(stamps, cmd, _innerGpuNames[camera]);
        }
        if (_outerMultisampled is { } outerSamples) RecordOuterMultisampled(cmd, outerSamples, scene.BackgroundLinear);
        else
        {
            GpuTransfers.ToColorAttachment(cmd, _outerColor);
            for (var face = 0; face < CubeFaces.Count; face++)
                _scene.RecordView(cmd, _outerColor, (uint)face, _outerDepth, FirstFaceView + face, scene.BackgroundLinear);
            GpuTransfers.ColorToSampled(cmd, _outerColor);
        }
        if (each) cmd = NextPass(cmd, "outer", ref pass);
        if (stamps is not null) Stamp(stamps, cmd, "gpu outer");
        return cmd;
    }

    /// <summary>
    /// The outer cube with MSAA: each face drawn into the one multisampled face image and resolved into its layer with
    /// vkCmdResolveImage. (Not with a dynamic-rendering resolve attachment as the inner views are: on lavapipe — Mesa 22.3 —
    /// resolving through a single-layer view of the six-layer image left faces black, with the validation layer silent;
    /// <c>AntiAliasingTests</c> compares the outer view with 4 samples against 1.)
    /// </summary>
    private void RecordOuterMultisampled(GpuCommandBuffer cmd, GpuImage multisampled, Vector3 backgroundLinear)
    {
        // The previous frame's compose read the faces; their contents are replaced.
        cmd.Barrier(_outerColor, ImageLayout.Undefined, ImageLayout.TransferDstOptimal,
            PipelineStageFlags2.AllCommandsBit, AccessFlags2.None, PipelineStageFlags2.ResolveBit, AccessFlags2.TransferWriteBit);
        for (var face = 0; face < CubeFaces.Count; face++)
        {
            // The previous face's resolve read the multisampled image; its contents are discarded.
            cmd.Barrier(multisampled, ImageLayout.Undefined, ImageLayout.ColorAttachmentOptimal,
                PipelineStageFlags2.ResolveBit | PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.None,
                PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit | AccessFlags2.ColorAttachmentReadBit);
            _scene.RecordView(cmd, multisampled, 0, _outerDepth, FirstFaceView + face, backgroundLinear);
            cmd.Barrier(multisampled, ImageLayout.ColorAttachmentOptimal, ImageLayout.TransferSrcOptimal,
                PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit, PipelineStageFlags2.ResolveBit, AccessFlags2.TransferReadBit);
            cmd.ResolveInto(multisampled, _outerColor, (uint)face);
        }
        cmd.Barrier(_outerColor, ImageLayout.TransferDstOptimal, ImageLayout.ShaderReadOnlyOptimal,
            PipelineStageFlags2.ResolveBit, AccessFlags2.TransferWriteBit, PipelineStageFlags2.FragmentShaderBit, AccessFlags2.ShaderSampledReadBit);
    }

    /// <summary>Keeps each given camera's view as its latest (a camera not given keeps its last).</summary>
    private void Latch(ReadOnlySpan<CameraView> cameras)
    {
        foreach (CameraView view in cameras)
        {
            int slot = SlotOf(view.Camera.Id);
            if (slot >= 0) _latched[slot] = view;
        }
    }

    /// <summary>A camera's inner view: stage → clip through its lens (entrance pupil, sensor, focal length, overscan).</summary>
    private Matrix4x4 ViewProjectionOf(in CameraView camera) =>
        LensProjection.ForCamera(camera.TrackedPose, camera.Camera.EntrancePupilOffsetM, camera.FocalLengthMm, camera.Camera.SensorWidthMm,
            camera.Camera.SensorHeightMm, Overscan.Uniform(camera.Camera.OverscanPercent), _options.DepthRange.NearM, _options.DepthRange.FarM).ViewProjection;

    /// <summary>The late latch: each drawn camera's inner projection into the slot's view buffer and the compose pass's cameras.</summary>
    private void WriteCameras(int slotIndex, ReadOnlySpan<CameraView> cameras)
    {
        Latch(cameras);
        for (var k = 0; k < _drawCount; k++)
        {
            CameraView camera = _latched[_drawOrder[k]];
            Matrix4x4 viewProjection = ViewProjectionOf(camera);
            _scene.WriteView(slotIndex, FirstCameraView + k, viewProjection);
            _composeCameras[k] = new ComposeCamera(viewProjection, _options.SoftEdgeFraction, camera.ChromaKey, camera.Markers);
        }
        _compositor.WriteCameras(slotIndex, _composeCameras.AsSpan(0, _drawCount));
    }

    /// <summary>Records the next timestamp; <paramref name="name"/> names the pass that ends there.</summary>
    private static void Stamp(FrameSlot slot, GpuCommandBuffer cmd, string name)
    {
        slot.StampNames[slot.StampCount] = name;
        slot.Stamps.Write(cmd, slot.StampCount++);
    }

    private int SlotOf(string cameraId)
    {
        for (var i = 0; i < _innerCameras.Length; i++)
        {
            if (_innerCameras[i].Id == cameraId) return i;
        }
        return -1;
    }

    /// <summary>Ends, submits and waits for one pass (per-pass timing), then begins the next command buffer.</summary>
    private GpuCommandBuffer NextPass(GpuCommandBuffer cmd, string name, ref int pass)
    {
        cmd.End();
        _device.Wait(_device.Submit(cmd));
        Lap(name);
        return BeginPass(pass++);
    }

    /// <summary>A command buffer of the synchronous helpers (never one of the frame slots').</summary>
    private GpuCommandBuffer BeginPass(int index)
    {
        while (_passBuffers.Count <= index) _passBuffers.Add(_pool.Allocate());
        GpuCommandBuffer cmd = _passBuffers[index];
        cmd.Begin();
        return cmd;
    }

    /// <summary>
    /// The raw copy floor of the same canvases: clear each canvas image, copy it to its readback
    /// buffer and read it to the CPU, in one submission. Returns the wall time in milliseconds.
    /// The canvases' contents are lost (render again before reading them).
    /// </summary>
    public double MeasureCopyFloorMs()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _device.Wait(LastSubmission);
        FrameSlot slot = _slots[0];
        var clock = Stopwatch.StartNew();
        GpuCommandBuffer cmd = BeginPass(0);
        for (var i = 0; i < _compositor.Canvases.Count; i++)
        {
            GpuImage canvas = _compositor.Canvases[i];
            cmd.Barrier(canvas, ImageLayout.Undefined, ImageLayout.TransferDstOptimal,
                PipelineStageFlags2.AllCommandsBit, AccessFlags2.None,
                PipelineStageFlags2.ClearBit, AccessFlags2.TransferWriteBit);
            cmd.ClearColor(canvas, 0.25f, 0.5f, 0.75f, 1f);
            GpuTransfers.CopyOut(cmd, canvas, ImageLayout.TransferDstOptimal, slot.ReadbackBuffer(_device, i, canvas));
        }
        cmd.End();
        _device.Wait(_device.Submit(cmd));
        for (var i = 0; i < _compositor.Canvases.Count; i++) slot.Readback[i]!.Read(slot.Bytes[i]);
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// Draws one frame of <paramref name="scene"/> from <paramref name="cameras"/> — no readback, no presenter — and waits
    /// for it. A CPU driver (lavapipe's llvmpipe) compiles each shader for the state it is drawn with at its first draw,
    /// and the first frame also uploads the scene's meshes and textures and bakes its environment: seconds that a live
    /// run would otherwise spend as dropped frames at its start. Call before presenters are added. Returns the milliseconds.
    /// </summary>
    public double WarmUp(IReadOnlyList<CameraView> cameras, RenderScene scene)
    {
        ArgumentNullException.ThrowIfNull(cameras);
        ArgumentNullException.ThrowIfNull(scene);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_presenters.Count > 0) throw new InvalidOperationException("warm up before presenters are added: a warm-up frame is shown nowhere");
        long start = Stopwatch.GetTimestamp();
        FillSyncCameras(cameras);
        Latch(_syncViews.AsSpan(0, cameras.Count));
        BeginFrame(scene, -1, [], null, _syncOrder);
        Submit(_syncViews.AsSpan(0, cameras.Count));
        Present();
        _device.Wait(LastSubmission);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>
    /// Creates now every scene pipeline the views can need (<see cref="SceneRenderer.PreparePipelines"/>; the compose
    /// pass's are made with the renderer), so that the first frames of a live run do not compile them. Returns the
    /// pipelines created and the milliseconds it took.
    /// </summary>
    public (int Pipelines, double Ms) PreparePipelines()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long start = Stopwatch.GetTimestamp();
        int created = _scene.PreparePipelines(SceneRenderer.ColorFormat, (SampleCountFlags)Samples);
        return (created, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    /// <summary>
    /// Reads back the inner render of camera <paramref name="cameraId"/> from the last frame as 8-bit
    /// sRGB RGBA (for <c>inner-&lt;camera&gt;.png</c>), or null when it was not drawn. Waits for the frames in flight.
    /// </summary>
    public CanvasPixels? ReadInner(string cameraId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var slot = SlotOf(cameraId);
        if (slot < 0 || !_drawOrder.AsSpan(0, _drawCount).Contains(slot)) return null;
        _device.Wait(LastSubmission);
        GpuImage image = _innerColor[slot];
        var pixelCount = (int)(image.Width * image.Height);
        using var buffer = new GpuBuffer(_device, (ulong)pixelCount * 8, BufferUsageFlags.TransferDstBit, GpuMemoryUse.Readback);
        GpuCommandBuffer cmd = BeginPass(0);
        GpuTransfers.CopyOut(cmd, image, ImageLayout.ShaderReadOnlyOptimal, buffer);
        // Back to sampled, as the compose pass expects.
        cmd.Barrier(image, ImageLayout.TransferSrcOptimal, ImageLayout.ShaderReadOnlyOptimal,
            PipelineStageFlags2.CopyBit, AccessFlags2.None,
            PipelineStageFlags2.FragmentShaderBit, AccessFlags2.ShaderSampledReadBit);
        cmd.End();
        _device.Wait(_device.Submit(cmd));
        var halves = new byte[pixelCount * 8];
        buffer.Read(halves);
        var rgba = new byte[pixelCount * 4];
        for (var i = 0; i < pixelCount * 4; i++)
        {
            var linear = (float)BitConverter.ToHalf(halves, i * 2);
            rgba[i] = (i & 3) == 3 ? (byte)Math.Clamp(MathF.Round(linear * 255), 0, 255) : ColorEncoding.LinearToSrgb8(linear);
        }
        return new CanvasPixels("inner-" + cameraId, (int)image.Width, (int)image.Height, 8, rgba);
    }

    private void Lap(string name)
    {
        _timings.Add(new PassTiming(name, _clock.Elapsed.TotalMilliseconds));
        _clock.Restart();
        // Only on the diagnostic path: reading the process's CPU time allocates, which the live frame must not.
        if (!TimeEachPass) return;
        _process.Refresh();
        TimeSpan cpu = _process.TotalProcessorTime;
        _cpuTimings.Add(new PassTiming(name, (cpu - _cpuAtLap).TotalMilliseconds));
        _cpuAtLap = cpu;
    }

    /// <summary>Waits for the GPU and retires every target, pipeline and buffer.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _device.WaitIdle();
        _watch?.Dispose();
        _process.Dispose();
        foreach (FrameSlot slot in _slots) slot.Dispose();
        _pool.Dispose();
        _outerDepth.Dispose();
        _outerMultisampled?.Dispose();
        _outerColor.Dispose();
        foreach (GpuImage image in _innerColor.Concat(_innerDepth)) image.Dispose();
        foreach (GpuImage? image in _innerMultisampled) image?.Dispose();
        _compositor.Dispose();
        _scene.Dispose();
    }

    /// <summary>One frame in flight: its command buffer, timestamps, readback buffers, and what it carries.</summary>
    private sealed class FrameSlot(int index, GpuCommandBuffer commands, GpuTimestampQueries stamps, int canvases) : IDisposable
    {
        private readonly CanvasPixels[] _pixels = new CanvasPixels[canvases];

        public int Index { get; } = index;
        public GpuCommandBuffer Commands { get; } = commands;
        public GpuTimestampQueries Stamps { get; } = stamps;
        public string[] StampNames { get; } = new string[stamps.Count];
        public int StampCount { get; set; }
        public bool StampsPending { get; set; }
        public ulong Submission { get; set; }
        public long Tag { get; set; }
        public bool ReadbackPending { get; set; }
        public bool CompletionPending { get; set; }
        public long SubmitTicks { get; set; }
        public long PresentReturnTicks { get; set; }
        public bool[] Wanted { get; } = new bool[canvases];
        public GpuBuffer?[] Readback { get; } = new GpuBuffer?[canvases];
        public byte[][] Bytes { get; } = new byte[canvases][];
        public List<ICanvasPresenter> Presenting { get; } = [];

        /// <summary>Canvas <paramref name="index"/>'s readback buffer and CPU array, made the first time a frame of this slot reads it back.</summary>
        public GpuBuffer ReadbackBuffer(GpuDevice device, int index, GpuImage canvas)
        {
            if (Readback[index] is { } buffer) return buffer;
            var bytes = (int)(canvas.Width * canvas.Height) * GpuTransfers.BytesPerPixel(canvas.Format);
            Bytes[index] = new byte[bytes];
            return Readback[index] = new GpuBuffer(device, (ulong)bytes, BufferUsageFlags.TransferDstBit, GpuMemoryUse.Readback);
        }

        /// <summary>The read-back canvases of this slot's frame (empty pixels for those not read back).</summary>
        public IReadOnlyList<CanvasPixels> Pixels(IReadOnlyList<GpuImage> canvases, IReadOnlyList<OutputCanvas> outputs)
        {
            for (var c = 0; c < _pixels.Length; c++)
            {
                GpuImage canvas = canvases[c];
                int bitDepth = GpuTransfers.BytesPerPixel(canvas.Format) == 4 ? 8 : 16;
                _pixels[c] = new CanvasPixels(outputs[c].Id, (int)canvas.Width, (int)canvas.Height, bitDepth,
                    Wanted[c] && Bytes[c] is { } bytes ? bytes : ReadOnlyMemory<byte>.Empty);
            }
            return _pixels;
        }

        public void Dispose()
        {
            Stamps.Dispose();
            foreach (GpuBuffer? buffer in Readback) buffer?.Dispose();
        }
    }
}

/// <summary>Transfer functions for pixels leaving the renderer.</summary>
public static class ColorEncoding
{
    /// <summary>Linear light (0..1, clamped) to an 8-bit sRGB code value (IEC 61966-2-1).</summary>
    public static byte LinearToSrgb8(float linear)
    {
        float c = Math.Clamp(linear, 0f, 1f);
        float encoded = c <= 0.0031308f ? 12.92f * c : 1.055f * MathF.Pow(c, 1 / 2.4f) - 0.055f;
        return (byte)MathF.Round(encoded * 255);
    }
}
