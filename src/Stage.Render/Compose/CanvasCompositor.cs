using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Stage.Core.Colour;
using Stage.Core.Configuration;
using Stage.Render.Colour;
using Stage.Render.Gpu;
using Stage.Vulkan;
using Silk.NET.Vulkan;

namespace Stage.Render.Compose;

/// <summary>One camera's part in the compose pass.</summary>
/// <param name="ViewProjection">Stage → clip of the camera's inner frustum (what its inner image was rendered with).</param>
/// <param name="SoftEdgeFraction">Width of the blend from outer to inner at the image border, as a fraction of the image (0: hard edge).</param>
/// <param name="ChromaKey">Fill the inner frustum with the key colour instead of the inner render.</param>
/// <param name="Markers">Draw tracking markers on the key fill.</param>
public readonly record struct ComposeCamera(Matrix4x4 ViewProjection, double SoftEdgeFraction, bool ChromaKey, bool Markers);

/// <summary>The outer render's viewpoint and depth range (its six faces are projected by <see cref="CubeFaces"/>).</summary>
/// <param name="EyeM">Stage-space viewpoint.</param>
/// <param name="NearM">Near plane, metres.</param>
/// <param name="FarM">Far plane, metres.</param>
public readonly record struct OuterView(Vector3 EyeM, double NearM, double FarM);

/// <summary>Colours and marker grid of the compose pass (linear light, Rec.709 primaries; converted to the working space).</summary>
public sealed record ComposeStyle
{
    /// <summary>The chroma-key fill, linear RGB (a saturated green by default).</summary>
    public Vector3 KeyColorLinear { get; init; } = new(0f, 0.6f, 0.05f);

    /// <summary>The tracking-marker colour, linear RGB.</summary>
    public Vector3 MarkerColorLinear { get; init; } = new(0.02f, 0.25f, 0.02f);

    /// <summary>Marker grid spacing in wall pixels.</summary>
    public int MarkerSpacingPx { get; init; } = 32;

    /// <summary>Marker square size in wall pixels.</summary>
    public int MarkerSizePx { get; init; } = 3;

    /// <summary>What the walls show where there is no outer render and no inner frustum.</summary>
    public Vector3 OuterFallbackLinear { get; init; } = Vector3.Zero;
}

/// <summary>Options of a <see cref="CanvasCompositor"/>.</summary>
public sealed record CanvasCompositorOptions
{
    /// <summary>How inner images are filtered (linear for the stage; nearest makes texel checks exact).</summary>
    public Filter InnerFilter { get; init; } = Filter.Linear;

    /// <summary>
    /// Sample inner images trilinearly through their mip chains (on by default; <see cref="StageRenderer"/> then gives its
    /// inner images a chain rebuilt each frame): the level follows the screen-space derivatives of the image coordinates,
    /// so where a wall pixel covers several inner texels it shows their average instead of one of them (no moiré, no shimmer).
    /// Off: level 0 only, as before.
    /// </summary>
    public bool InnerMipmaps { get; init; } = true;

    /// <summary>
    /// The canvas image format; by default 8-bit canvases are R8G8B8A8_SRGB and deeper ones R16G16B16A16_UNORM, both
    /// holding the output's code values (shaders/colour.glsl encodes; an sRGB attachment's own encoding is used where it fits).
    /// </summary>
    public Func<OutputCanvas, Format> CanvasFormat { get; init; } = DefaultCanvasFormat;

    /// <summary>
    /// Renders every canvas at 1/N of its size each way (1: full size, for the wall). For previews and
    /// rehearsal on a slow GPU: the mapping is unchanged, each image pixel covers N × N canvas pixels.
    /// </summary>
    public int CanvasScaleDivisor { get; init; } = 1;

    /// <summary>
    /// Whether the compose pass counts out-of-gamut and over-peak pixels (atomic counters in a storage buffer, copied to
    /// the host with the frame and read when the frame's slot is reused): on by default where the device has fragment atomics.
    /// </summary>
    public bool CountColourFaults { get; init; } = true;

    /// <summary>
    /// No colour work at all: the composed light goes to the canvas as it is (no primaries, grade, transfer, calibration or
    /// count). Only for measuring what colour costs (<c>stage bench render --colour</c>); the walls would get undefined values.
    /// </summary>
    public bool ColourPassThrough { get; init; }

    /// <summary>The default canvas format for a bit depth.</summary>
    public static Format DefaultCanvasFormat(OutputCanvas canvas) =>
        canvas.BitDepth <= 8 ? Format.R8G8B8A8Srgb : Format.R16G16B16A16Unorm;
}

/// <summary>
/// The compose pass: for every output canvas, rasterises its regions' wall meshes in canvas pixel
/// space and, per pixel, projects the stage position through each camera (perspective divide per
/// fragment) to pick the inner render, the outer cube or the key fill. Frames overlap: each frame slot
/// has its own uniforms; the cameras' part of them (<see cref="WriteCameras"/>) may be written after the pass
/// is recorded, right before the slot is submitted, so the poses are as fresh as they can be.
/// </summary>
public sealed class CanvasCompositor : IDisposable
{
    /// <summary>Cameras one compose pass takes (the shader's array size).</summary>
    public const int MaxCameras = 4;

    /// <summary>Walls whose outer grades the compose pass holds (shaders/colour.glsl's MaxWalls).</summary>
    public const int MaxWalls = 32;

    // Colour (shaders/colour.glsl): per output its encoding (set 1); per slot the live grades and the counters.
    private readonly GpuDescriptorSetLayout _outputLayout;
    private readonly GpuDescriptorPool _outputPool;
    private readonly OutputEncoding[] _encodings;
    private readonly Stage.Render.Scene.InputColour _input;
    private readonly GpuBuffer[] _grades;
    private readonly GpuBuffer[] _counts;
    private readonly GpuBuffer[] _countsHost;
    private readonly bool[] _countsRecorded;
    private readonly uint[] _countsRead;
    private readonly AscCdl[] _cameraGrades;
    private readonly AscCdl[] _wallGrades;
    private readonly int[] _identityOrder = [0, 1, 2, 3];
    // Per output, per region: the region's first vertex, its vertex count and its wall's index.
    private readonly (uint First, uint Count, int Wall)[][] _regions;
    private readonly bool _count;
    private readonly bool _passThrough;
    private readonly GpuDevice _device;
    private readonly GpuBuffer _vertices;
    private readonly (ulong OffsetBytes, uint Count)[] _ranges;
    private readonly GpuBuffer[] _uniforms;
    private readonly GpuDescriptorSetLayout _layout;
    private readonly GpuDescriptorPool _pool;
    private readonly GpuDescriptorSet[] _sets;
    // What each slot's set points at now (the inner images, then the outer), so unchanged descriptors are not rewritten.
    private readonly GpuImage?[][] _bound;
    private readonly GpuSampler _innerSampler;
    private readonly GpuSampler _outerSampler;
    private readonly GpuImage _blankInner;
    private readonly GpuImage _blankOuter;
    // One pipeline per canvas format, camera count and output (shaders/compose0..4.frag: straight-line code per count;
    // the output's transfer and LUT are specialization constants).
    // An identity grade costs nothing: each output has an ungraded variant too, chosen per frame while every grade it uses is
    // the identity (both made up front for the canvas format, so a live grade never waits for a pipeline build).
    private readonly List<(Format Format, int Cameras, int Output, bool Graded, GpuGraphicsPipeline Pipeline)> _pipelines = [];
    private readonly GpuImage[] _canvases;
    private bool _disposed;

    /// <summary>Builds the meshes, canvas images and pipelines for every output of <paramref name="config"/>, and <paramref name="frameSlots"/> frames' uniforms.</summary>
    public CanvasCompositor(GpuDevice device, StageConfig config, CanvasCompositorOptions? options = null, int frameSlots = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameSlots, 1);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(config);
        options ??= new CanvasCompositorOptions();
        if (options.CanvasScaleDivisor < 1) throw new ArgumentOutOfRangeException(nameof(options), options.CanvasScaleDivisor, "The canvas scale divisor must be at least 1.");
        _device = device;
        Outputs = config.Outputs;

        var meshes = config.Outputs.Select(o => ComposeMesh.Build(config, o)).ToArray();
        Meshes = meshes;
        var total = meshes.Sum(m => m.Length);
        _vertices = new GpuBuffer(device, (ulong)Math.Max(1, total) * ComposeVertex.SizeBytes, BufferUsageFlags.VertexBufferBit, GpuMemoryUse.Upload);
        _ranges = new (ulong, uint)[meshes.Length];
        ulong offset = 0;
        for (var i = 0; i < meshes.Length; i++)
        {
            _vertices.Write(MemoryMarshal.AsBytes(meshes[i].AsSpan()), offset);
            _ranges[i] = (offset, (uint)meshes[i].Length);
            offset += (ulong)meshes[i].Length * ComposeVertex.SizeBytes;
        }

        if (config.Walls.Count > MaxWalls) throw new ArgumentException($"the compose pass grades at most {MaxWalls} walls; the stage has {config.Walls.Count}", nameof(config));
        _regions = new (uint, uint, int)[config.Outputs.Count][];
        for (var i = 0; i < config.Outputs.Count; i++)
        {
            OutputCanvas o = config.Outputs[i];
            _regions[i] = new (uint, uint, int)[o.Regions.Count];
            uint first = 0;
            for (var r = 0; r < o.Regions.Count; r++)
            {
                // The mesh is built region after region: each region's own mesh is its run of vertices.
                uint count = (uint)ComposeMesh.Build(config, o with { Regions = [o.Regions[r]] }).Length;
                int wall = config.Walls.ToList().FindIndex(w => w.Id == o.Regions[r].WallId);
                _regions[i][r] = (first, count, Math.Max(0, wall));
                first += count;
            }
        }
        _passThrough = options.ColourPassThrough;
        _count = options.CountColourFaults && device.FragmentStoresAndAtomics && !_passThrough;
        _cameraGrades = config.Cameras.Select(c => c.Cdl).ToArray();
        _wallGrades = config.Walls.Select(w => w.Cdl).ToArray();
        _outputLayout = OutputEncoding.CreateLayout(device);
        _outputPool = new GpuDescriptorPool(device, (uint)Math.Max(1, config.Outputs.Count), _outputLayout);
        _input = new Stage.Render.Scene.InputColour(config.Render.WorkingSpace);
        _encodings = config.Outputs.Select((o, i) => new OutputEncoding(device, config.Render.WorkingSpace, o.Colour, o.BitDepth, i, _outputLayout, _outputPool)).ToArray();
        ulong countBytes = (ulong)Math.Max(1, config.Outputs.Count) * 2 * sizeof(uint);
        _grades = new GpuBuffer[frameSlots];
        _counts = new GpuBuffer[frameSlots];
        _countsHost = new GpuBuffer[frameSlots];
        _countsRecorded = new bool[frameSlots];
        _countsRead = new uint[Math.Max(1, config.Outputs.Count) * 2];
        for (var i = 0; i < frameSlots; i++)
        {
            _grades[i] = new GpuBuffer(device, (ulong)Unsafe.SizeOf<GradeUniforms>(), BufferUsageFlags.UniformBufferBit, GpuMemoryUse.Upload);
            _counts[i] = new GpuBuffer(device, countBytes, BufferUsageFlags.StorageBufferBit | BufferUsageFlags.TransferSrcBit | BufferUsageFlags.TransferDstBit, GpuMemoryUse.GpuOnly);
            _countsHost[i] = new GpuBuffer(device, countBytes, BufferUsageFlags.TransferDstBit, GpuMemoryUse.Readback);
        }

        _uniforms = new GpuBuffer[frameSlots];
        for (var i = 0; i < frameSlots; i++)
            _uniforms[i] = new GpuBuffer(device, (ulong)Unsafe.SizeOf<ComposeUniforms>(), BufferUsageFlags.UniformBufferBit, GpuMemoryUse.Upload);
        _layout = new GpuDescriptorSetLayout(device,
            new GpuDescriptorBinding(0, DescriptorType.UniformBuffer, ShaderStageFlags.VertexBit | ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(1, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit, MaxCameras),
            new GpuDescriptorBinding(2, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(3, DescriptorType.UniformBuffer, ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(4, DescriptorType.StorageBuffer, ShaderStageFlags.FragmentBit));
        _pool = new GpuDescriptorPool(device, (uint)frameSlots, _layout);
        _sets = new GpuDescriptorSet[frameSlots];
        _bound = new GpuImage?[frameSlots][];
        for (var i = 0; i < frameSlots; i++)
        {
            _sets[i] = _pool.Allocate(_layout);
            _bound[i] = new GpuImage?[MaxCameras + 1];
        }
        _innerSampler = new GpuSampler(device, new GpuSamplerDesc { Filter = options.InnerFilter, Mipmaps = options.InnerMipmaps });
        _outerSampler = new GpuSampler(device, new GpuSamplerDesc { Filter = Filter.Linear });
        // Every descriptor must be valid even when fewer cameras (or no outer render) are in use.
        const ImageUsageFlags sampled = ImageUsageFlags.SampledBit | ImageUsageFlags.TransferDstBit;
        _blankInner = new GpuImage(device, 1, 1, Format.R8G8B8A8Unorm, sampled);
        _blankOuter = new GpuImage(device, 1, 1, Format.R8G8B8A8Unorm, sampled, CubeFaces.Count);
        GpuTransfers.UploadImage(device, _blankInner, new byte[4]);
        GpuTransfers.UploadImage(device, _blankOuter, new byte[4 * CubeFaces.Count]);
        for (var i = 0; i < frameSlots; i++)
        {
            _sets[i].WriteBuffer(0, DescriptorType.UniformBuffer, _uniforms[i]);
            _sets[i].WriteBuffer(3, DescriptorType.UniformBuffer, _grades[i]);
            _sets[i].WriteBuffer(4, DescriptorType.StorageBuffer, _counts[i]);
        }
        SetSources([], null);

        _canvases = new GpuImage[config.Outputs.Count];
        for (var i = 0; i < _canvases.Length; i++)
        {
            OutputCanvas canvas = config.Outputs[i];
            Format format = options.CanvasFormat(canvas);
            int divisor = options.CanvasScaleDivisor;
            _canvases[i] = new GpuImage(device, (uint)((canvas.PixelWidth + divisor - 1) / divisor), (uint)((canvas.PixelHeight + divisor - 1) / divisor), format,
                ImageUsageFlags.ColorAttachmentBit | ImageUsageFlags.TransferSrcBit | ImageUsageFlags.TransferDstBit | ImageUsageFlags.SampledBit);
        }
        for (var i = 0; i < _canvases.Length; i++)
        {
            int cameras = Math.Min(config.Cameras.Count, MaxCameras);
            PipelineFor(_canvases[i].Format, cameras, i, graded: false);
            PipelineFor(_canvases[i].Format, cameras, i, graded: true);
        }
    }

    /// <summary>The outputs, in configuration order (the order of <see cref="Canvases"/>).</summary>
    public IReadOnlyList<OutputCanvas> Outputs { get; }

    /// <summary>Each output's canvas image; after a recorded compose it is in TRANSFER_SRC_OPTIMAL (unless a presenter's image took its place).</summary>
    public IReadOnlyList<GpuImage> Canvases => _canvases;

    /// <summary>Each output's compose mesh (what the GPU rasterises).</summary>
    public IReadOnlyList<ComposeVertex[]> Meshes { get; }

    /// <summary>Each output's encoding (what its canvas holds: code values), in configuration order.</summary>
    public IReadOnlyList<OutputEncoding> Encodings => _encodings;

    /// <summary>Whether the pass counts out-of-gamut and over-peak pixels (<see cref="ReadColourCounts"/>).</summary>
    public bool CountsColourFaults => _count;

    /// <summary>Sets camera <paramref name="cameraIndex"/>'s (configuration order) inner grade from the next recorded frame on.</summary>
    public void SetCameraGrade(int cameraIndex, AscCdl cdl) => _cameraGrades[cameraIndex] = cdl;

    /// <summary>Sets wall <paramref name="wallIndex"/>'s (configuration order) outer grade from the next recorded frame on.</summary>
    public void SetWallGrade(int wallIndex, AscCdl cdl) => _wallGrades[wallIndex] = cdl;

    /// <summary>Camera <paramref name="cameraIndex"/>'s grade now.</summary>
    public AscCdl CameraGrade(int cameraIndex) => _cameraGrades[cameraIndex];

    /// <summary>Wall <paramref name="wallIndex"/>'s grade now.</summary>
    public AscCdl WallGrade(int wallIndex) => _wallGrades[wallIndex];

    /// <summary>
    /// The out-of-gamut and over-peak counts of the frame slot <paramref name="slot"/> last recorded, one per output into
    /// <paramref name="counts"/>; call only once that frame has completed (the slot's wait). False when the slot has none
    /// (nothing recorded, or counting off). Reads a few bytes the frame copied to the host itself: nothing waits.
    /// </summary>
    public bool ReadColourCounts(int slot, Span<ColourCounts> counts)
    {
        if (!_count || !_countsRecorded[slot]) return false;
        _countsHost[slot].Read(MemoryMarshal.AsBytes(_countsRead.AsSpan()));
        for (var i = 0; i < Math.Min(counts.Length, _encodings.Length); i++) counts[i] = new ColourCounts(_countsRead[2 * i], _countsRead[2 * i + 1]);
        return true;
    }

    /// <summary>The pipeline for a canvas format, camera count and output, created the first time it is needed.</summary>
    private GpuGraphicsPipeline PipelineFor(Format format, int cameras, int output, bool graded)
    {
        foreach (var (f, n, o, g, p) in _pipelines)
        {
            if (f == format && n == cameras && o == output && g == graded) return p;
        }
        GpuGraphicsPipeline pipeline = CreatePipeline(format, cameras, output, graded);
        _pipelines.Add((format, cameras, output, graded, pipeline));
        return pipeline;
    }

    // Whether output i's pixels take any grade that is not the identity this frame.
    private bool IsGraded(int output, ReadOnlySpan<int> cameraOrder, int cameraCount)
    {
        for (var k = 0; k < cameraCount; k++)
        {
            if (k < cameraOrder.Length && cameraOrder[k] < _cameraGrades.Length && !_cameraGrades[cameraOrder[k]].IsIdentity) return true;
        }
        foreach (var (_, _, wall) in _regions[output])
        {
            if (wall < _wallGrades.Length && !_wallGrades[wall].IsIdentity) return true;
        }
        return false;
    }

    private GpuGraphicsPipeline CreatePipeline(Format format, int cameras, int output, bool graded) => new(_device, new GpuGraphicsPipelineDesc
    {
        VertexSpirv = GpuShaders.Load("compose.vert"),
        FragmentSpirv = GpuShaders.Load($"compose{cameras}.frag"),
        ColorFormat = format,
        FragmentConstants = _encodings[output].Constants(format, _count, _passThrough, graded),
        PushConstantBytes = 16,
        VertexStrideBytes = ComposeVertex.SizeBytes,
        VertexAttributes =
        [
            new(0, Format.R32G32Sfloat, 0),
            new(1, Format.R32G32B32Sfloat, 8),
            new(2, Format.R32G32Sfloat, 20),
        ],
        DescriptorSetLayouts = [_layout, _outputLayout],
    });

    /// <summary>
    /// Points every frame slot's pass at the inner images (camera order; each in SHADER_READ_ONLY_OPTIMAL when
    /// recorded) and the outer six-layer image (or none). Call only while no frame is in flight.
    /// </summary>
    public void SetSources(IReadOnlyList<GpuImage> innerImages, GpuImage? outerFaces)
    {
        for (var slot = 0; slot < _sets.Length; slot++) SetSources(slot, innerImages, outerFaces);
    }

    /// <summary>
    /// Points frame slot <paramref name="slot"/>'s pass at the inner images and the outer image, rewriting its
    /// descriptors only where they change; call once the slot's previous frame has completed (its set is not in use).
    /// </summary>
    public void SetSources(int slot, IReadOnlyList<GpuImage> innerImages, GpuImage? outerFaces)
    {
        ArgumentNullException.ThrowIfNull(innerImages);
        if (innerImages.Count > MaxCameras) throw new ArgumentException($"the compose pass takes at most {MaxCameras} cameras", nameof(innerImages));
        if (outerFaces is not null && outerFaces.Layers != CubeFaces.Count) throw new ArgumentException("the outer image must have six layers", nameof(outerFaces));
        GpuDescriptorSet set = _sets[slot];
        GpuImage?[] bound = _bound[slot];
        for (var i = 0; i < MaxCameras; i++)
        {
            GpuImage image = i < innerImages.Count ? innerImages[i] : _blankInner;
            if (ReferenceEquals(bound[i], image)) continue;
            set.WriteImage(1, image, _innerSampler, (uint)i);
            bound[i] = image;
        }
        GpuImage outer = outerFaces ?? _blankOuter;
        if (ReferenceEquals(bound[MaxCameras], outer)) return;
        set.WriteImage(2, outer, _outerSampler);
        bound[MaxCameras] = outer;
    }

    /// <summary>
    /// Records the compose of every canvas with <paramref name="cameras"/> in priority order (the first wins),
    /// matching the inner images given to <see cref="SetSources(IReadOnlyList{GpuImage}, GpuImage?)"/> — and writes their uniforms: the synchronous
    /// form of <see cref="Record(GpuCommandBuffer, int, int, OuterView?, ComposeStyle, ReadOnlySpan{GpuImage?})"/> + <see cref="WriteCameras"/>
    /// on frame slot 0. Leaves every canvas in TRANSFER_SRC_OPTIMAL.
    /// </summary>
    public void Record(GpuCommandBuffer cmd, ReadOnlySpan<ComposeCamera> cameras, OuterView? outer, ComposeStyle style)
    {
        Record(cmd, 0, cameras.Length, outer, style, []);
        WriteCameras(0, cameras);
    }

    /// <summary>
    /// Records frame slot <paramref name="slot"/>'s compose of every canvas for <paramref name="cameraCount"/> cameras
    /// (their matrices and toggles come from <see cref="WriteCameras"/>, written before the slot is submitted) and writes
    /// the rest of the slot's uniforms (outer view, style); <paramref name="outer"/> null uses the style's fallback colour.
    /// Canvas <c>i</c> is composed into <paramref name="targets"/>[i] where one is given (an acquired swapchain image of the
    /// canvas's size, in any layout; left in COLOR_ATTACHMENT_OPTIMAL), else into its own canvas image (left in TRANSFER_SRC_OPTIMAL).
    /// </summary>
    public void Record(GpuCommandBuffer cmd, int slot, int cameraCount, OuterView? outer, ComposeStyle style, ReadOnlySpan<GpuImage?> targets) =>
        Record(cmd, slot, cameraCount, outer, style, targets, _identityOrder.AsSpan(0, cameraCount));

    /// <summary>
    /// <see cref="Record(GpuCommandBuffer, int, int, OuterView?, ComposeStyle, ReadOnlySpan{GpuImage?})"/> where composed camera
    /// k is configuration camera <paramref name="cameraOrder"/>[k] (whose grade it takes).
    /// </summary>
    public void Record(GpuCommandBuffer cmd, int slot, int cameraCount, OuterView? outer, ComposeStyle style, ReadOnlySpan<GpuImage?> targets, ReadOnlySpan<int> cameraOrder)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        ArgumentNullException.ThrowIfNull(style);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cameraCount is < 0 or > MaxCameras) throw new ArgumentOutOfRangeException(nameof(cameraCount), cameraCount, $"the compose pass takes 0 … {MaxCameras} cameras");
        var uniforms = new ComposeUniforms();
        if (outer is { } o)
        {
            for (var face = 0; face < CubeFaces.Count; face++) uniforms.FaceViewProj[face] = CubeFaces.ViewProjection(face, o.EyeM, o.NearM, o.FarM);
            uniforms.OuterEyeM = new Vector4(o.EyeM, 1);
        }
        // Rec.709-referred like every colour the renderer is given; the pass works in the working space.
        uniforms.OuterFallback = new Vector4(_input.Apply(style.OuterFallbackLinear), 1);
        uniforms.KeyColor = new Vector4(_input.Apply(style.KeyColorLinear), 1);
        uniforms.MarkerColor = new Vector4(_input.Apply(style.MarkerColorLinear), 1);
        uniforms.MarkerGrid = new Vector4(style.MarkerSpacingPx, style.MarkerSizePx, 0, 0);
        uniforms.CameraCount = cameraCount;
        // Everything after the cameras' part; that part is WriteCameras's.
        int camerasBytes = CameraBytes;
        _uniforms[slot].Write(MemoryMarshal.AsBytes(new ReadOnlySpan<ComposeUniforms>(ref uniforms))[camerasBytes..], (ulong)camerasBytes);
        var grades = new GradeUniforms();
        for (var k = 0; k < cameraCount; k++)
            grades.Camera[k] = GradeUniform.From(k < cameraOrder.Length && cameraOrder[k] < _cameraGrades.Length ? _cameraGrades[cameraOrder[k]] : AscCdl.Identity);
        for (var w = 0; w < _wallGrades.Length; w++) grades.Wall[w] = GradeUniform.From(_wallGrades[w]);
        _grades[slot].Write(MemoryMarshal.AsBytes(new ReadOnlySpan<GradeUniforms>(ref grades)));
        if (_count)
        {
            cmd.FillBuffer(_counts[slot], 0);
            cmd.MemoryBarrier(PipelineStageFlags2.AllTransferBit, AccessFlags2.TransferWriteBit,
                PipelineStageFlags2.FragmentShaderBit, AccessFlags2.ShaderStorageReadBit | AccessFlags2.ShaderStorageWriteBit);
        }

        for (var i = 0; i < _canvases.Length; i++)
        {
            GpuImage? target = i < targets.Length ? targets[i] : null;
            GpuImage image = target ?? _canvases[i];
            GpuGraphicsPipeline pipeline = PipelineFor(image.Format, cameraCount, i, IsGraded(i, cameraOrder, cameraCount));
            GpuTransfers.ToColorAttachment(cmd, image);
            cmd.BeginRendering(image, (0f, 0f, 0f, 1f));
            if (_ranges[i].Count > 0)
            {
                cmd.BindPipeline(pipeline, image.Width, image.Height);
                cmd.BindDescriptorSets(pipeline, 0, _sets[slot], _encodings[i].Set);
                cmd.BindVertexBuffer(_vertices, _ranges[i].OffsetBytes);
                // One draw per region: each takes its wall's outer grade (push constant).
                foreach (var (first, count, wall) in _regions[i])
                {
                    // The canvas's own size: the mesh is in canvas pixels whatever size the image is rendered at.
                    cmd.PushConstants(pipeline, new ComposePush(new Vector2(Outputs[i].PixelWidth, Outputs[i].PixelHeight), wall));
                    cmd.Draw(count, 1, first);
                }
            }
            cmd.EndRendering();
            if (target is not null) continue;
            cmd.Barrier(image, ImageLayout.ColorAttachmentOptimal, ImageLayout.TransferSrcOptimal,
                PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit,
                PipelineStageFlags2.CopyBit | PipelineStageFlags2.BlitBit, AccessFlags2.TransferReadBit);
        }
        RecordCountsCopy(cmd, slot);
    }

    /// <summary>Records the copy of the slot's counters to the host (after every canvas of the frame was composed).</summary>
    private void RecordCountsCopy(GpuCommandBuffer cmd, int slot)
    {
        _countsRecorded[slot] = _count;
        if (!_count) return;
        cmd.MemoryBarrier(PipelineStageFlags2.FragmentShaderBit, AccessFlags2.ShaderStorageWriteBit, PipelineStageFlags2.CopyBit, AccessFlags2.TransferReadBit);
        cmd.CopyBuffer(_counts[slot], _countsHost[slot], _counts[slot].SizeBytes);
        cmd.MemoryBarrier(PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit, PipelineStageFlags2.HostBit, AccessFlags2.HostReadBit);
    }

    /// <summary>
    /// Writes the cameras' part of frame slot <paramref name="slot"/>'s uniforms — each camera's stage → clip matrix and
    /// its soft edge, chroma key and markers, in the order of the inner images — after the pass was recorded and before
    /// the slot is submitted: the late latch of the poses. Allocates nothing.
    /// </summary>
    public void WriteCameras(int slot, ReadOnlySpan<ComposeCamera> cameras)
    {
        if (cameras.Length > MaxCameras) throw new ArgumentException($"the compose pass takes at most {MaxCameras} cameras", nameof(cameras));
        var part = new CameraUniforms();
        for (var i = 0; i < cameras.Length; i++)
        {
            part.ViewProj[i] = cameras[i].ViewProjection;
            part.Params[i] = new Vector4((float)cameras[i].SoftEdgeFraction, cameras[i].ChromaKey ? 1 : 0, cameras[i].Markers ? 1 : 0, 0);
        }
        _uniforms[slot].Write(MemoryMarshal.AsBytes(new ReadOnlySpan<CameraUniforms>(ref part)));
    }

    private static readonly int CameraBytes = Unsafe.SizeOf<CameraUniforms>();

    /// <summary>Retires every GPU object of the pass.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var (_, _, _, _, pipeline) in _pipelines) pipeline.Dispose();
        foreach (OutputEncoding encoding in _encodings) encoding.Dispose();
        _outputPool.Dispose();
        _outputLayout.Dispose();
        foreach (GpuBuffer b in _grades) b.Dispose();
        foreach (GpuBuffer b in _counts) b.Dispose();
        foreach (GpuBuffer b in _countsHost) b.Dispose();
        foreach (GpuImage canvas in _canvases) canvas.Dispose();
        _blankInner.Dispose();
        _blankOuter.Dispose();
        _innerSampler.Dispose();
        _outerSampler.Dispose();
        _pool.Dispose();
        _layout.Dispose();
        foreach (GpuBuffer uniforms in _uniforms) uniforms.Dispose();
        _vertices.Dispose();
    }
}

/// <summary>The compose shader's uniform block (std140, 800 bytes; see shaders/compose.glsl).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ComposeUniforms
{
    public Matrix4Array4 CameraViewProj;
    public Vector4Array4 CameraParams;
    public Matrix4Array6 FaceViewProj;
    public Vector4 OuterEyeM;
    public Vector4 OuterFallback;
    public Vector4 KeyColor;
    public Vector4 MarkerColor;
    public Vector4 MarkerGrid;
    public int CameraCount;
    private readonly int _pad0, _pad1, _pad2;
}

/// <summary>The compose pass's push constants: the canvas size (compose.vert) and the region's wall (compose.glsl).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct ComposePush(Vector2 CanvasSizePx, int WallIndex)
{
    private readonly int _pad = 0;
}

/// <summary>colour.glsl's Grades block: four cameras' and <see cref="CanvasCompositor.MaxWalls"/> walls' grades.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GradeUniforms
{
    public GradeArray4 Camera;
    public GradeArray32 Wall;
}

/// <summary>Four grades in a row.</summary>
[InlineArray(4)]
internal struct GradeArray4
{
    private GradeUniform _element;
}

/// <summary>Thirty-two grades in a row.</summary>
[InlineArray(32)]
internal struct GradeArray32
{
    private GradeUniform _element;
}

/// <summary>The cameras' part at the start of <see cref="ComposeUniforms"/> (the late-latched part).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CameraUniforms
{
    public Matrix4Array4 ViewProj;
    public Vector4Array4 Params;
}

/// <summary>Four matrices in a row (a GLSL <c>mat4[4]</c>).</summary>
[InlineArray(4)]
internal struct Matrix4Array4
{
    private Matrix4x4 _element;
}

/// <summary>Six matrices in a row.</summary>
[InlineArray(6)]
internal struct Matrix4Array6
{
    private Matrix4x4 _element;
}

/// <summary>Four vec4 in a row.</summary>
[InlineArray(4)]
internal struct Vector4Array4
{
    private Vector4 _element;
}
