using System.Diagnostics;
using System.Numerics;
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

    /// <summary>Side of each of the outer cube's six faces, pixels.</summary>
    public int OuterFaceSizePx { get; init; } = 256;

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

    /// <summary>The options a stage configuration asks for: its <c>render</c> section's outer viewpoint, outer resolution and soft edge.</summary>
    public static StageRendererOptions FromConfig(StageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new StageRendererOptions
        {
            OuterEyeM = config.Render.OuterEyeM,
            OuterFaceSizePx = config.Render.OuterFaceSizePx,
            SoftEdgeFraction = config.Render.SoftEdgePercent / 100.0,
        };
    }
}

/// <summary>
/// The in-camera VFX renderer for one stage: per frame the sun's shadow map, each tracked camera's
/// inner frustum (at its configured resolution, from its entrance pupil with overscan), the outer
/// six-face cube, the compose of every output canvas, and the readback of the canvases.
/// </summary>
public sealed class StageRenderer : IDisposable
{
    private readonly GpuDevice _device;
    private readonly StageConfig _config;
    private readonly StageRendererOptions _options;
    private readonly SceneRenderer _scene;
    private readonly CanvasCompositor _compositor;
    private readonly CameraConfig[] _innerCameras;
    private readonly GpuImage[] _innerColor;
    private readonly GpuImage[] _innerDepth;
    private readonly GpuImage _outerColor;
    private readonly GpuImage _outerDepth;
    private readonly GpuBuffer[] _readback;
    private readonly CanvasPixels[] _pixels;
    private readonly byte[][] _pixelBytes;
    private readonly GpuCommandPool _pool;
    private readonly List<GpuCommandBuffer> _commandBuffers = [];
    private readonly List<PassTiming> _timings = [];
    private readonly bool[] _innerDrawn;
    private readonly string[] _innerPassNames;
    private readonly ComposeCamera[] _composeCameras = new ComposeCamera[CanvasCompositor.MaxCameras];
    private readonly List<GpuImage> _innerImages = new(CanvasCompositor.MaxCameras);
    private readonly Stopwatch _clock = new();
    private readonly GpuTimestampQueries _stamps;
    private readonly string[] _stampNames;
    private readonly string[] _innerGpuNames;
    private readonly List<PassTiming> _gpuTimings = [];
    private int _stampCount;
    private bool _disposed;

    /// <summary>Creates every target and pipeline for <paramref name="config"/>.</summary>
    public StageRenderer(GpuDevice device, StageConfig config, StageRendererOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(config);
        _device = device;
        _config = config;
        _options = options ?? StageRendererOptions.FromConfig(config);
        _scene = new SceneRenderer(device, _options.Scene);
        _compositor = new CanvasCompositor(device, config, _options.Compose);
        _innerCameras = config.Cameras.Take(CanvasCompositor.MaxCameras).ToArray();
        const ImageUsageFlags colorUsage = ImageUsageFlags.ColorAttachmentBit | ImageUsageFlags.SampledBit
            | ImageUsageFlags.TransferSrcBit;
        const ImageUsageFlags depthUsage = ImageUsageFlags.DepthStencilAttachmentBit;
        _innerColor = _innerCameras.Select(c => new GpuImage(device, (uint)c.InnerWidthPx, (uint)c.InnerHeightPx, SceneRenderer.ColorFormat, colorUsage)).ToArray();
        _innerDepth = _innerCameras.Select(c => new GpuImage(device, (uint)c.InnerWidthPx, (uint)c.InnerHeightPx, SceneRenderer.DepthFormat, depthUsage)).ToArray();
        _innerDrawn = new bool[_innerCameras.Length];
        _innerPassNames = _innerCameras.Select(c => "inner " + c.Id).ToArray();
        _innerGpuNames = _innerCameras.Select(c => "gpu inner " + c.Id).ToArray();
        // Start, shadow, each inner camera, outer, compose, canvas copy.
        _stampNames = new string[_innerCameras.Length + 5];
        _stamps = new GpuTimestampQueries(device, _stampNames.Length);
        var face = (uint)_options.OuterFaceSizePx;
        _outerColor = new GpuImage(device, face, face, SceneRenderer.ColorFormat, colorUsage, CubeFaces.Count);
        _outerDepth = new GpuImage(device, face, face, SceneRenderer.DepthFormat, depthUsage);
        _readback = new GpuBuffer[config.Outputs.Count];
        _pixels = new CanvasPixels[config.Outputs.Count];
        _pixelBytes = new byte[config.Outputs.Count][];
        for (var i = 0; i < _readback.Length; i++)
        {
            GpuImage canvas = _compositor.Canvases[i];
            var bytes = (int)(canvas.Width * canvas.Height) * GpuTransfers.BytesPerPixel(canvas.Format);
            _readback[i] = new GpuBuffer(device, (ulong)bytes, BufferUsageFlags.TransferDstBit, GpuMemoryUse.Readback);
            OutputCanvas output = config.Outputs[i];
            _pixelBytes[i] = new byte[bytes];
            _pixels[i] = new CanvasPixels(output.Id, (int)canvas.Width, (int)canvas.Height, GpuTransfers.BytesPerPixel(canvas.Format) == 4 ? 8 : 16, _pixelBytes[i]);
        }
        _pool = new GpuCommandPool(device);
    }

    /// <summary>The stage this renderer draws.</summary>
    public StageConfig Config => _config;

    /// <summary>Per-pass timings of the last <see cref="Render"/>.</summary>
    public IReadOnlyList<PassTiming> LastTimings => _timings;

    /// <summary>
    /// GPU time of each pass of the last <see cref="Render"/> in one submission, from timestamps written at the
    /// start of the frame and after each pass: "gpu shadow", "gpu inner A" (one per camera drawn), "gpu outer",
    /// "gpu compose", "gpu copy" (the canvases into their readback buffers), in that order. Empty with
    /// <see cref="TimeEachPass"/> or where the device cannot write timestamps (see <see cref="GpuTimestampsUnsupported"/>).
    /// </summary>
    public IReadOnlyList<PassTiming> LastGpuTimings => _gpuTimings;

    /// <summary>Null when per-pass GPU times are measured with timestamp queries; otherwise why not.</summary>
    public string? GpuTimestampsUnsupported => _stamps.Unsupported;

    /// <summary>The scene renderer (its counters show whether GPU buffers were rebuilt).</summary>
    public SceneRenderer Scene => _scene;

    /// <summary>
    /// False (default): the whole frame — shadow, inner views, outer cube, compose, canvas copies — is
    /// recorded into one command buffer, submitted once and waited for once; <see cref="LastTimings"/> holds
    /// "record" (CPU: scene update and recording), "gpu" (submit to fence: the GPU's work, all passes) and
    /// "readback" (copying the canvases to the CPU arrays). True: each pass is its own submission, waited
    /// for, and <see cref="LastTimings"/> holds each pass's wall time (record + submit + GPU + wait) —
    /// a diagnostic: the extra submissions and waits cost time. Per-pass GPU time of the one-submission frame is in
    /// <see cref="LastGpuTimings"/> (timestamp queries), which stays empty while this is true.
    /// </summary>
    public bool TimeEachPass { get; set; }

    /// <summary>
    /// Renders one frame: <paramref name="cameras"/> in priority order (the first wins where inner frusta
    /// overlap; cameras beyond the first four configured are not drawn), <paramref name="scene"/> as it is now.
    /// Returns every canvas's pixels, valid until the next call. Blocks until the frame is read back.
    /// </summary>
    public IReadOnlyList<CanvasPixels> Render(IReadOnlyList<CameraView> cameras, RenderScene scene)
    {
        ArgumentNullException.ThrowIfNull(cameras);
        ArgumentNullException.ThrowIfNull(scene);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _timings.Clear();
        _gpuTimings.Clear();
        Array.Clear(_innerDrawn);
        _innerImages.Clear();
        bool each = TimeEachPass;
        var pass = 0;
        _clock.Restart();
        _scene.Update(scene);

        GpuCommandBuffer cmd = BeginPass(pass++);
        _stampCount = 0;
        bool stamp = !each && _stamps.IsSupported;
        if (stamp)
        {
            _stamps.Reset(cmd);
            Stamp(cmd, "");
        }
        _scene.RecordShadowPass(cmd);
        if (each) cmd = NextPass(cmd, "shadow", ref pass);
        if (stamp) Stamp(cmd, "gpu shadow");

        var composed = 0;
        for (var i = 0; i < cameras.Count; i++)
        {
            CameraView camera = cameras[i];
            var slot = SlotOf(camera.Camera.Id);
            if (slot < 0 || _innerDrawn[slot]) continue;
            LensProjection lens = LensProjection.ForCamera(camera.TrackedPose, camera.Camera.EntrancePupilOffsetM, camera.FocalLengthMm, camera.Camera.SensorWidthMm, camera.Camera.SensorHeightMm,
                Overscan.Uniform(camera.Camera.OverscanPercent), _options.DepthRange.NearM, _options.DepthRange.FarM);
            Matrix4x4 viewProjection = lens.ViewProjection;
            _innerDrawn[slot] = true;
            GpuTransfers.ToColorAttachment(cmd, _innerColor[slot]);
            _scene.RecordView(cmd, _innerColor[slot], 0, _innerDepth[slot], viewProjection, scene.BackgroundLinear);
            GpuTransfers.ColorToSampled(cmd, _innerColor[slot]);
            if (each) cmd = NextPass(cmd, _innerPassNames[slot], ref pass);
            if (stamp) Stamp(cmd, _innerGpuNames[slot]);
            _composeCameras[composed++] = new ComposeCamera(viewProjection, _options.SoftEdgeFraction, camera.ChromaKey, camera.Markers);
            _innerImages.Add(_innerColor[slot]);
        }

        var outer = new OuterView(_options.OuterEyeM, _options.DepthRange.NearM, _options.DepthRange.FarM);
        GpuTransfers.ToColorAttachment(cmd, _outerColor);
        for (var face = 0; face < CubeFaces.Count; face++)
        {
            _scene.RecordView(cmd, _outerColor, (uint)face, _outerDepth, CubeFaces.ViewProjection(face, outer.EyeM, outer.NearM, outer.FarM), scene.BackgroundLinear);
        }
        GpuTransfers.ColorToSampled(cmd, _outerColor);
        if (each) cmd = NextPass(cmd, "outer", ref pass);
        if (stamp) Stamp(cmd, "gpu outer");

        _compositor.SetSources(_innerImages, _outerColor);
        _compositor.Record(cmd, _composeCameras.AsSpan(0, composed), outer, _options.Style);
        if (each) cmd = NextPass(cmd, "compose", ref pass);
        if (stamp) Stamp(cmd, "gpu compose");

        for (var i = 0; i < _readback.Length; i++)
        {
            GpuTransfers.CopyOut(cmd, _compositor.Canvases[i], ImageLayout.TransferSrcOptimal, _readback[i]);
        }
        if (stamp) Stamp(cmd, "gpu copy");
        cmd.End();
        if (!each) Lap("record");
        _device.Wait(_device.Submit(cmd));
        if (!each) Lap("gpu");
        if (stamp && _stamps.Read() == _stampCount)
        {
            for (var i = 1; i < _stampCount; i++) _gpuTimings.Add(new PassTiming(_stampNames[i], _stamps.Milliseconds(i - 1, i)));
        }
        for (var i = 0; i < _readback.Length; i++) _readback[i].Read(_pixelBytes[i]);
        Lap("readback");
        return _pixels;
    }

    /// <summary>Records the next timestamp; <paramref name="name"/> names the pass that ends there.</summary>
    private void Stamp(GpuCommandBuffer cmd, string name)
    {
        _stampNames[_stampCount] = name;
        _stamps.Write(cmd, _stampCount++);
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

    /// <summary>
    /// The raw copy floor of the same canvases: clear each canvas image, copy it to its readback
    /// buffer and read it to the CPU, in one submission. Returns the wall time in milliseconds.
    /// The canvases' contents are lost (render again before reading them).
    /// </summary>
    public double MeasureCopyFloorMs()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var clock = Stopwatch.StartNew();
        GpuCommandBuffer cmd = BeginPass(0);
        for (var i = 0; i < _readback.Length; i++)
        {
            GpuImage canvas = _compositor.Canvases[i];
            cmd.Barrier(canvas, ImageLayout.Undefined, ImageLayout.TransferDstOptimal,
                PipelineStageFlags2.AllCommandsBit, AccessFlags2.None,
                PipelineStageFlags2.ClearBit, AccessFlags2.TransferWriteBit);
            cmd.ClearColor(canvas, 0.25f, 0.5f, 0.75f, 1f);
            GpuTransfers.CopyOut(cmd, canvas, ImageLayout.TransferDstOptimal, _readback[i]);
        }
        cmd.End();
        _device.Wait(_device.Submit(cmd));
        for (var i = 0; i < _readback.Length; i++) _readback[i].Read(_pixelBytes[i]);
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// Reads back the inner render of camera <paramref name="cameraId"/> from the last frame as 8-bit
    /// sRGB RGBA (for <c>inner-&lt;camera&gt;.png</c>), or null when it was not drawn.
    /// </summary>
    public CanvasPixels? ReadInner(string cameraId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var slot = Array.FindIndex(_innerCameras, c => c.Id == cameraId);
        if (slot < 0 || !_innerDrawn[slot]) return null;
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

    private GpuCommandBuffer BeginPass(int index)
    {
        while (_commandBuffers.Count <= index) _commandBuffers.Add(_pool.Allocate());
        GpuCommandBuffer cmd = _commandBuffers[index];
        cmd.Begin();
        return cmd;
    }

    private void Lap(string name)
    {
        _timings.Add(new PassTiming(name, _clock.Elapsed.TotalMilliseconds));
        _clock.Restart();
    }

    /// <summary>Waits for the GPU and retires every target, pipeline and buffer.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _device.WaitIdle();
        _pool.Dispose();
        _stamps.Dispose();
        foreach (GpuBuffer buffer in _readback) buffer.Dispose();
        _outerDepth.Dispose();
        _outerColor.Dispose();
        foreach (GpuImage image in _innerColor.Concat(_innerDepth)) image.Dispose();
        _compositor.Dispose();
        _scene.Dispose();
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
