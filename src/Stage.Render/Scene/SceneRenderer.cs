using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Stage.Render.Sky;
using Stage.Render.Gpu;
using Stage.Render.Meshes;
using Stage.Vulkan;
using Silk.NET.Vulkan;

namespace Stage.Render.Scene;

/// <summary>Options of the scene renderer.</summary>
public sealed record SceneRendererOptions
{
    /// <summary>Shadow map side in texels (0 turns shadows off).</summary>
    public int ShadowMapSize { get; init; } = 1024;

    /// <summary>
    /// Shadow cascades fitted to the cascade view's frustum (0–3; 0 leaves every view on the one map fitted around every
    /// caster). Each is a <see cref="ShadowMapSize"/>² layer of the shadow map.
    /// </summary>
    public int ShadowCascades { get; init; } = 3;

    /// <summary>
    /// Inner views that get cascades of their own (0–4): views 1 … N, the inner cameras in draw order; the outer cube
    /// uses the caster-fitted map. Each costs <see cref="ShadowCascades"/> layers of the map (<see cref="StageRenderer"/>
    /// sets it to the configuration's camera count).
    /// </summary>
    public int ShadowCascadeViews { get; init; } = 1;

    /// <summary>
    /// Where a cascade blends into the next coarser one: the outer fraction of its box's half-width (0 turns blending
    /// off: the finest cascade holding a point is used alone, and its edge shows as a step).
    /// </summary>
    public float ShadowCascadeBlend { get; init; } = 0.1f;

    /// <summary>View depth the cascades reach, metres (beyond: the caster-fitted map).</summary>
    public float ShadowCascadeFarM { get; init; } = 60;

    /// <summary>
    /// Radius added to each cascade's box, metres: the cascades are fitted to the pose known when the frame is recorded
    /// (the previous latch in the live path), and the camera may move this far before the final latch and stay covered.
    /// </summary>
    public float ShadowCascadeMarginM { get; init; } = 0.5f;

    /// <summary>Shadow depth bias in the sun's depth units (0..1 over the scene's depth).</summary>
    public float ShadowDepthBias { get; init; } = 0.002f;

    /// <summary>Shadow normal offset, metres.</summary>
    public float ShadowNormalOffsetM { get; init; } = 0.01f;

    /// <summary>Segments around curved primitives.</summary>
    public int Segments { get; init; } = 24;

    /// <summary>
    /// Draw materials without textures (primitives, terrain, factor-only glTF materials) with the untextured pipeline,
    /// which reads no texture (on by default; off draws every material through the textured pipeline, for comparison).
    /// </summary>
    public bool UntexturedFastPath { get; init; } = true;

    /// <summary>
    /// The primaries the scene renders in (<c>render.workingSpace</c>; Rec.709 by default). The world's colours are
    /// Rec.709-referred and are converted to it on the way in (<see cref="InputColour"/>).
    /// </summary>
    public Stage.Core.Colour.Primaries WorkingSpace { get; init; } = Stage.Core.Colour.Primaries.Rec709;

    /// <summary>Told one line per mesh that is not drawn (bad content), once per mesh; null says nothing (the faults are still in <see cref="SceneRenderer.MeshFaults"/>).</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>
/// Draws a <see cref="RenderScene"/>: primitives instanced per kind and meshes instanced per
/// <see cref="SceneMesh"/>, with per-item transform and colour from a storage buffer, lit by the environment
/// (<see cref="RenderScene.Environment"/>: SH irradiance + prefiltered radiance, its sky drawn where nothing is; or a
/// uniform ambient) + a directional sun with a shadow map. Frames overlap: every GPU-read buffer the CPU writes per frame (items,
/// light, view matrices) exists once per frame slot, so the CPU fills slot N+1 while the GPU reads slot N.
/// Per frame: <see cref="Update"/> the slot (rewrites its per-item buffer in place; it only grows when the
/// scene does; a mesh is uploaded the first frame it is used and kept), record the shadow pass and the views,
/// and write the views' matrices (<see cref="WriteView"/>) any time before the slot's submission — the
/// draws read them from the slot's view buffer, so a camera's pose can be latched after everything is recorded.
/// </summary>
public sealed class SceneRenderer : IDisposable
{
    /// <summary>The colour format of scene views (linear light, values above 1 kept).</summary>
    public const Format ColorFormat = Format.R16G16B16A16Sfloat;

    /// <summary>The depth format of scene views and the shadow map.</summary>
    public const Format DepthFormat = Format.D32Sfloat;

    private readonly GpuDevice _device;
    private readonly SceneRendererOptions _options;
    private readonly PrimitiveMeshes _meshes;
    private readonly GpuBuffer _vertexBuffer;
    private readonly GpuBuffer _indexBuffer;
    private readonly Slot[] _slots;
    private readonly GpuDescriptorSetLayout _layout;
    private readonly GpuDescriptorPool _pool;
    private readonly GpuDescriptorSetLayout _materialLayout;
    private readonly List<GpuDescriptorPool> _materialPools = [];
    private int _materialSetsLeft;
    private readonly Dictionary<MeshMaterial, GpuMaterial> _materials = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Vector4, GpuMaterial> _plainMaterials = [];
    private readonly GpuMaterial _defaultMaterial;
    private readonly TextureCache _textures;
    private readonly GpuImage _brdfLut;
    private readonly GpuSampler _lutSampler;
    private readonly GpuSampler _shadowSampler;
    private readonly GpuImage _shadowMap;
    private readonly GpuGraphicsPipeline _shadowPipeline;
    private readonly GpuGraphicsPipeline _shadowMaskPipeline;
    private readonly List<(Format Format, SampleCountFlags Samples, bool Blend, bool Textured, GpuGraphicsPipeline Pipeline)> _pipelines = [];
    private readonly List<(Format Format, SampleCountFlags Samples, GpuGraphicsPipeline Pipeline)> _skyPipelines = [];
    private readonly EnvironmentLight _environment;
    private readonly InputColour _input;
    private readonly int[] _sceneConstants;
    // Blended submesh instances of this frame (filled by Update) and the per-view sort's keys and order.
    private BlendDraw[] _blendDraws = [];
    private float[] _blendKeys = [];
    private int[] _blendOrder = [];
    private int _blendCount;
    private readonly Vector3[] _sortEyeM = new Vector3[ViewCount];
    private float _exposureScale = 1;
    private readonly (uint FirstInstance, uint Count)[] _runs = new (uint, uint)[PrimitiveMeshes.Kinds.Length];
    // Meshes uploaded so far by identity (null: rejected, never drawn), and the ones used this frame in first-use order.
    private readonly Dictionary<SceneMesh, GpuMesh?> _gpuMeshes = new(ReferenceEqualityComparer.Instance);
    private readonly List<GpuMesh> _meshRuns = [];
    private readonly List<string> _meshFaults = [];
    private long _frame;
    private InstanceData[] _staging = [];
    private Matrix4x4 _lightViewProj;
    // Each view's latest known stage → clip (WriteView, SetSortView): what the cascades are fitted to.
    private readonly Matrix4x4[] _knownViewProj = new Matrix4x4[ViewCount];
    private readonly bool[] _knownView = new bool[ViewCount];
    // Per cascaded inner view k (view 1 + k), its cascades at k × CascadeCount + c.
    private readonly Matrix4x4[] _cascadeViewProj = new Matrix4x4[CascadeViews * CascadeCount];
    private readonly float[] _cascadeTexelM = new float[CascadeViews * CascadeCount];
    private readonly float[] _cascadeSplitsM = new float[CascadeViews * CascadeCount];
    private readonly int[] _cascadesFitted = new int[CascadeViews];
    private int _current;
    private bool _disposed;

    /// <summary>View matrices each frame slot holds: the sun's, one per inner camera, the six outer cube faces, the sun's cascades of each inner camera.</summary>
    public const int ViewCount = 1 + CascadeViews + 6 + CascadeViews * CascadeCount;

    /// <summary>The most shadow cascades per inner view.</summary>
    public const int CascadeCount = 3;

    /// <summary>The most inner views with cascades of their own (views 1 … 4: the inner cameras).</summary>
    public const int CascadeViews = 4;

    /// <summary>
    /// The view index of the first cascade's sun view (written by <see cref="Update"/>): inner view 1 + k's cascade c is
    /// view <c>FirstCascadeView + k × CascadeCount + c</c>.
    /// </summary>
    public const int FirstCascadeView = 1 + CascadeViews + 6;

    /// <summary>Cascades fitted by the last <see cref="Update"/> for the first inner view (0 before its pose is known).</summary>
    public int CascadesFitted => _cascadesFitted[0];

    /// <summary>Cascades fitted by the last <see cref="Update"/> for inner view 1 + <paramref name="innerView"/> (0 before its pose is known, or not drawn).</summary>
    public int CascadesFittedFor(int innerView) => _cascadesFitted[innerView];

    /// <summary>The far view depth of each cascade fitted by the last <see cref="Update"/> for the first inner view, metres.</summary>
    public ReadOnlySpan<float> CascadeSplitsM => CascadeSplitsFor(0);

    /// <summary>The far view depth of each cascade fitted by the last <see cref="Update"/> for inner view 1 + <paramref name="innerView"/>, metres.</summary>
    public ReadOnlySpan<float> CascadeSplitsFor(int innerView) => _cascadeSplitsM.AsSpan(innerView * CascadeCount, _cascadesFitted[innerView]);

    /// <summary>The texel size of each cascade fitted by the last <see cref="Update"/> for the first inner view, metres.</summary>
    public ReadOnlySpan<float> CascadeTexelsM => CascadeTexelsFor(0);

    /// <summary>The texel size of each cascade fitted by the last <see cref="Update"/> for inner view 1 + <paramref name="innerView"/>, metres.</summary>
    public ReadOnlySpan<float> CascadeTexelsFor(int innerView) => _cascadeTexelM.AsSpan(innerView * CascadeCount, _cascadesFitted[innerView]);

    /// <summary>The view index of the sun's shadow map (written by <see cref="Update"/>).</summary>
    public const int SunView = 0;

    /// <summary>Uploads the primitive meshes and creates the pipelines, the shadow map and <paramref name="frameSlots"/> frames' buffers.</summary>
    public SceneRenderer(GpuDevice device, SceneRendererOptions? options = null, int frameSlots = 1)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameSlots, 1);
        _device = device;
        _options = options ?? new SceneRendererOptions();
        _meshes = PrimitiveMeshes.Build(_options.Segments);
        _vertexBuffer = UploadBuffer(MemoryMarshal.AsBytes(Interleave(_meshes.Vertices).AsSpan()), BufferUsageFlags.VertexBufferBit);
        _indexBuffer = UploadBuffer(MemoryMarshal.AsBytes(_meshes.Indices.AsSpan()), BufferUsageFlags.IndexBufferBit);
        _layout = new GpuDescriptorSetLayout(device,
            new GpuDescriptorBinding(0, DescriptorType.UniformBuffer, ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(1, DescriptorType.StorageBuffer, ShaderStageFlags.VertexBit),
            new GpuDescriptorBinding(2, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(3, DescriptorType.UniformBuffer, ShaderStageFlags.VertexBit | ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(4, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(5, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit));
        _input = new InputColour(_options.WorkingSpace);
        _sceneConstants = _input.FragmentConstants();
        _environment = new EnvironmentLight(device, _input);
        _materialLayout = new GpuDescriptorSetLayout(device,
            new GpuDescriptorBinding(0, DescriptorType.UniformBuffer, ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(1, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(2, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(3, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(4, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit),
            new GpuDescriptorBinding(5, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit));
        _textures = new TextureCache(device, _options.Log);
        _lutSampler = new GpuSampler(device, new GpuSamplerDesc { Filter = Filter.Linear });
        _brdfLut = new GpuImage(device, BrdfLut.Size, BrdfLut.Size, Format.R32G32Sfloat, ImageUsageFlags.SampledBit | ImageUsageFlags.TransferDstBit);
        GpuTransfers.UploadImage(device, _brdfLut, MemoryMarshal.AsBytes(BrdfLut.Compute().AsSpan()));
        _defaultMaterial = PlainMaterial(Vector4.One);
        _pool = new GpuDescriptorPool(device, (uint)frameSlots, _layout);
        _shadowSampler = new GpuSampler(device, new GpuSamplerDesc { Filter = Filter.Nearest, Compare = CompareOp.LessOrEqual });
        var shadowSize = (uint)Math.Max(1, _options.ShadowMapSize);
        if (_options.ShadowCascades is < 0 or > CascadeCount) throw new ArgumentOutOfRangeException(nameof(options), _options.ShadowCascades, $"shadow cascades are 0 … {CascadeCount}");
        if (_options.ShadowCascadeViews is < 0 or > CascadeViews) throw new ArgumentOutOfRangeException(nameof(options), _options.ShadowCascadeViews, $"cascaded inner views are 0 … {CascadeViews}");
        if (!(_options.ShadowCascadeBlend is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(options), _options.ShadowCascadeBlend, "the cascade blend band is a fraction 0 … <1 of the box");
        // Layer 0: the map fitted around every caster; then each cascaded inner view's cascades (at least one layer
        // more, so the view is an array).
        _shadowMap = new GpuImage(device, shadowSize, shadowSize, DepthFormat,
            ImageUsageFlags.DepthStencilAttachmentBit | ImageUsageFlags.SampledBit,
            layers: (uint)(1 + Math.Max(1, _options.ShadowCascades * _options.ShadowCascadeViews)));
        _shadowPipeline = new GpuGraphicsPipeline(device, new GpuGraphicsPipelineDesc
        {
            VertexSpirv = GpuShaders.Load("shadow.vert"),
            FragmentSpirv = GpuShaders.Load("shadow.frag"),
            ColorFormat = Format.Undefined,
            DepthFormat = DepthFormat,
            PushConstantBytes = (uint)Unsafe.SizeOf<DrawConstants>(),
            VertexStrideBytes = VertexStrideBytes,
            VertexAttributes = [new(0, Format.R32G32B32Sfloat, 0)],
            DescriptorSetLayouts = [_layout],
        });
        _shadowMaskPipeline = new GpuGraphicsPipeline(device, new GpuGraphicsPipelineDesc
        {
            VertexSpirv = GpuShaders.Load("shadow_mask.vert"),
            FragmentSpirv = GpuShaders.Load("shadow_mask.frag"),
            ColorFormat = Format.Undefined,
            DepthFormat = DepthFormat,
            PushConstantBytes = (uint)Unsafe.SizeOf<DrawConstants>(),
            VertexStrideBytes = VertexStrideBytes,
            VertexAttributes = [new(0, Format.R32G32B32Sfloat, 0), new(2, Format.R32G32Sfloat, 24), new(3, Format.R32G32Sfloat, 32)],
            DescriptorSetLayouts = [_layout, _materialLayout],
        });
        _slots = new Slot[frameSlots];
        for (var i = 0; i < frameSlots; i++)
        {
            var slot = new Slot
            {
                Set = _pool.Allocate(_layout),
                FrameUniforms = new GpuBuffer(device, (ulong)Unsafe.SizeOf<FrameUniforms>(), BufferUsageFlags.UniformBufferBit, GpuMemoryUse.Upload),
                Views = new GpuBuffer(device, (ulong)(ViewCount * (Unsafe.SizeOf<Matrix4x4>() + Unsafe.SizeOf<Vector4>())), BufferUsageFlags.UniformBufferBit, GpuMemoryUse.Upload),
                InstanceCapacity = 64,
            };
            slot.Instances = NewInstanceBuffer(slot.InstanceCapacity);
            slot.Set.WriteBuffer(0, DescriptorType.UniformBuffer, slot.FrameUniforms);
            slot.Set.WriteBuffer(1, DescriptorType.StorageBuffer, slot.Instances);
            slot.Set.WriteImage(2, _shadowMap, _shadowSampler);
            slot.Set.WriteBuffer(3, DescriptorType.UniformBuffer, slot.Views);
            slot.Set.WriteImage(4, _brdfLut, _lutSampler);
            slot.Set.WriteImage(5, _environment.Image, _environment.Sampler);
            slot.EnvironmentVersion = _environment.Version;
            _slots[i] = slot;
        }
    }

    /// <summary>Frame slots (frames that may be in flight at once).</summary>
    public int FrameSlots => _slots.Length;

    /// <summary>Items drawn by the last <see cref="Update"/>.</summary>
    public int ItemCount { get; private set; }

    /// <summary>Times the per-item buffer was replaced by a larger one (it is rewritten in place otherwise).</summary>
    public int InstanceBufferGrowths { get; private set; }

    /// <summary>Meshes uploaded to the GPU so far (each <see cref="SceneMesh"/> once, however many items or frames use it).</summary>
    public int MeshUploads { get; private set; }

    /// <summary>Material images decoded and uploaded so far (each file and image once per colour space; <see cref="TextureCache"/>).</summary>
    public int TextureUploads => _textures.Uploads;

    /// <summary>Bytes of material texture memory uploaded (mip chains included).</summary>
    public long TextureBytes => _textures.UploadedBytes;

    /// <summary>One line per material image that could not be used (drawn with a neutral texture instead).</summary>
    public IReadOnlyList<string> TextureFaults => _textures.Faults;

    /// <summary>Environment bakes so far (an image once; the physical sky again each time the sun turns more than <see cref="EnvironmentLight.RebakeAngleDeg"/>°).</summary>
    public int EnvironmentBakes => _environment.Bakes;

    /// <summary>Scene and sky pipelines created so far (each the first time a view needs it, or by <see cref="PreparePipelines"/>).</summary>
    public int PipelineCount => _pipelines.Count + _skyPipelines.Count;

    /// <summary>CPU time of the last environment bake, ms (on a worker thread for a physical sky's re-bake).</summary>
    public double EnvironmentBakeMs => _environment.LastBakeMs;

    /// <summary>Time the frame's own path last spent bringing in a new environment, ms: a first bake, or only the upload of a worker's re-bake.</summary>
    public double EnvironmentLivePathMs => _environment.LastLivePathMs;

    /// <summary>Waits for a physical sky's re-bake in progress and takes it (for offline renders and tests that want this sun's sky exactly).</summary>
    public void WaitForEnvironment(RenderScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        _environment.WaitForBake(scene);
    }

    /// <summary>One line per mesh that is not drawn because its content is bad (named, with the faults).</summary>
    public IReadOnlyList<string> MeshFaults => _meshFaults;

    private GpuBuffer NewInstanceBuffer(int capacity) =>
        new(_device, (ulong)(capacity * Unsafe.SizeOf<InstanceData>()), BufferUsageFlags.StorageBufferBit, GpuMemoryUse.Upload);

    private GpuBuffer UploadBuffer(ReadOnlySpan<byte> bytes, BufferUsageFlags usage)
    {
        using var staging = new GpuBuffer(_device, (ulong)bytes.Length, BufferUsageFlags.TransferSrcBit, GpuMemoryUse.Upload);
        staging.Write(bytes);
        var buffer = new GpuBuffer(_device, (ulong)bytes.Length, usage | BufferUsageFlags.TransferDstBit, GpuMemoryUse.GpuOnly);
        using var pool = new GpuCommandPool(_device);
        GpuCommandBuffer cmd = pool.Allocate();
        cmd.Begin();
        cmd.CopyBuffer(staging, buffer, (ulong)bytes.Length);
        cmd.MemoryBarrier(PipelineStageFlags2.CopyBit, AccessFlags2.TransferWriteBit,
            PipelineStageFlags2.VertexInputBit, AccessFlags2.VertexAttributeReadBit | AccessFlags2.IndexReadBit);
        cmd.End();
        _device.Wait(_device.Submit(cmd));
        return buffer;
    }

    /// <summary>
    /// The scene pipeline for a target format and sample count, blended or not, and textured or the untextured fast
    /// path (specialisation constant 0 of scene.frag: a material without textures reads none).
    /// </summary>
    private GpuGraphicsPipeline PipelineFor(Format format, SampleCountFlags samples, bool blend, bool textured)
    {
        foreach (var (f, n, b, t, p) in _pipelines) if (f == format && n == samples && b == blend && t == textured) return p;
        var pipeline = new GpuGraphicsPipeline(_device, new GpuGraphicsPipelineDesc
        {
            VertexSpirv = GpuShaders.Load("scene.vert"),
            FragmentSpirv = GpuShaders.Load("scene.frag"),
            ColorFormat = format,
            DepthFormat = DepthFormat,
            PushConstantBytes = (uint)Unsafe.SizeOf<DrawConstants>(),
            VertexStrideBytes = VertexStrideBytes,
            VertexAttributes = [new(0, Format.R32G32B32Sfloat, 0), new(1, Format.R32G32B32Sfloat, 12), new(2, Format.R32G32Sfloat, 24),
                new(3, Format.R32G32Sfloat, 32), new(4, Format.R32G32B32A32Sfloat, 40)],
            DescriptorSetLayouts = [_layout, _materialLayout],
            AlphaBlend = blend,
            Samples = samples,
            FragmentConstants = [textured ? 1 : 0, .. _sceneConstants],
        });
        _pipelines.Add((format, samples, blend, textured, pipeline));
        return pipeline;
    }

    /// <summary>
    /// Writes this frame's items (primitives grouped by kind, then meshes grouped by mesh in order of
    /// first use, list order within a group) and light into the GPU buffers of frame slot <paramref name="slotIndex"/>,
    /// uploading any mesh not seen before. A mesh with bad content is not drawn (logged once, listed in
    /// <see cref="MeshFaults"/>); the frame goes on. Call while the slot's previous frame is not in flight.
    /// The first <paramref name="innerViews"/> inner views (views 1 …, the cameras drawn this frame; at most
    /// <see cref="SceneRendererOptions.ShadowCascadeViews"/>) get sun cascades fitted to their latest known pose.
    /// </summary>
    public void Update(RenderScene scene, int slotIndex = 0, int innerViews = CascadeViews)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Slot slot = _slots[slotIndex];
        _current = slotIndex;
        IReadOnlyList<DrawItem> items = scene.Items;
        _frame++;
        _meshRuns.Clear();
        var needed = 0;
        for (var i = 0; i < items.Count; i++)
        {
            DrawItem item = items[i];
            if (item.Kind != DrawKind.Mesh)
            {
                needed++;
                continue;
            }
            if (item.Mesh is null || Resolve(item.Mesh) is not { } mesh) continue;
            if (mesh.Frame != _frame)
            {
                mesh.Frame = _frame;
                mesh.InstanceCount = 0;
                _meshRuns.Add(mesh);
            }
            mesh.InstanceCount++;
            needed++;
        }
        if (needed > slot.InstanceCapacity)
        {
            // Growth only: the old buffer is retired until the GPU is done with it.
            while (slot.InstanceCapacity < needed) slot.InstanceCapacity *= 2;
            slot.Instances.Dispose();
            slot.Instances = NewInstanceBuffer(slot.InstanceCapacity);
            slot.Set.WriteBuffer(1, DescriptorType.StorageBuffer, slot.Instances);
            InstanceBufferGrowths++;
        }
        if (_staging.Length < slot.InstanceCapacity) _staging = new InstanceData[slot.InstanceCapacity];
        var n = 0;
        foreach (DrawKind kind in PrimitiveMeshes.Kinds)
        {
            var first = n;
            for (var i = 0; i < items.Count; i++)
            {
                DrawItem item = items[i];
                if (item.Kind == kind) _staging[n++] = Instance(item);
            }
            _runs[(int)kind] = ((uint)first, (uint)(n - first));
        }
        foreach (GpuMesh mesh in _meshRuns)
        {
            mesh.FirstInstance = n;
            mesh.Filled = 0;
            n += mesh.InstanceCount;
        }
        for (var i = 0; i < items.Count; i++)
        {
            DrawItem item = items[i];
            if (item.Kind != DrawKind.Mesh || item.Mesh is null || !_gpuMeshes.TryGetValue(item.Mesh, out GpuMesh? mesh) || mesh is null) continue;
            _staging[mesh.FirstInstance + mesh.Filled++] = Instance(item);
        }
        ItemCount = n;
        if (n > 0) slot.Instances.Write(MemoryMarshal.AsBytes(_staging.AsSpan(0, n)));
        CollectBlended();

        _environment.Update(scene);
        if (slot.EnvironmentVersion != _environment.Version)
        {
            // This slot's previous frame is done (the caller's contract), so its set may point at the new map now.
            slot.Set.WriteImage(5, _environment.Image, _environment.Sampler);
            slot.EnvironmentVersion = _environment.Version;
        }
        Vector3 toSun = -Vector3.Normalize(scene.SunDirection);
        _exposureScale = RenderScene.ExposureScale(scene.ExposureEv);
        (Vector3 casterCentreM, float casterRadiusM) = SunShadow.CasterSphere(items);
        _lightViewProj = SunShadow.ViewProjection(scene.SunDirection, casterCentreM, casterRadiusM);
        // Every layer's lookup is an affine map of one sun frame (the layers share the sun's rotation and depth range).
        Matrix4x4 sunFrame = SunCascades.SunFrame(scene.SunDirection, casterCentreM, casterRadiusM);
        if (!Matrix4x4.Invert(sunFrame, out Matrix4x4 fromSunFrame)) fromSunFrame = Matrix4x4.Identity;
        int cascaded = Math.Clamp(innerViews, 0, _options.ShadowCascadeViews);
        var frame = new FrameUniforms
        {
            LightViewProj = _lightViewProj,
            ToSun = new Vector4(toSun, 0),
            SunColor = new Vector4(_input.Apply(scene.SunColorLinear) * scene.SunIlluminanceLux, 0),
            Ambient = new Vector4(_input.Apply(scene.AmbientLinear), 0),
            Shadow = new Vector4(_options.ShadowDepthBias, ShadowNormalOffsetM(_lightViewProj), _options.ShadowMapSize > 0 ? 1 : 0, 0),
            Exposure = new Vector4(_exposureScale, 0, 0, 0),
            Environment = new Vector4(_environment.Active ? 1 : 0, _environment.RotationTurns, EnvironmentBake.Levels - 1, _environment.StoredScale),
            SunFrame = sunFrame,
            Layer0 = InSunFrame(fromSunFrame, _lightViewProj, ShadowNormalOffsetM(_lightViewProj)),
            Cascades = new Vector4(_options.ShadowCascades, _options.ShadowCascadeBlend, 0, 0),
        };
        for (var k = 0; k < CascadeViews; k++)
        {
            int first = k * CascadeCount, view = 1 + k;
            _cascadesFitted[k] = k < cascaded && _options.ShadowMapSize > 0 && _knownView[view]
                ? SunCascades.Fit(scene.SunDirection, casterCentreM, casterRadiusM, _knownViewProj[view], _options.ShadowCascadeFarM,
                    _options.ShadowCascadeMarginM, _options.ShadowMapSize, _cascadeViewProj.AsSpan(first, _options.ShadowCascades),
                    _cascadeTexelM.AsSpan(first, CascadeCount), _cascadeSplitsM.AsSpan(first, CascadeCount))
                : 0;
            frame.CascadeCount[k] = _cascadesFitted[k];
            for (var c = 0; c < _cascadesFitted[k]; c++)
            {
                float offsetM = MathF.Max(_options.ShadowNormalOffsetM, 2 * _cascadeTexelM[first + c]);
                frame.Cascade[first + c] = InSunFrame(fromSunFrame, _cascadeViewProj[first + c], offsetM);
            }
        }
        if (_environment.Active)
        {
            for (var i = 0; i < SphericalHarmonics.Count; i++) frame.Sh[i] = new Vector4(_environment.Irradiance[i], 0);
        }
        slot.FrameUniforms.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<FrameUniforms>(ref frame)));
        WriteView(slotIndex, SunView, _lightViewProj);
        for (var k = 0; k < CascadeViews; k++)
        {
            for (var c = 0; c < _cascadesFitted[k]; c++) WriteView(slotIndex, FirstCascadeView + k * CascadeCount + c, _cascadeViewProj[k * CascadeCount + c]);
        }
    }

    /// <summary>
    /// A shadow layer's lookup in the sun frame: sun clip x, y = sun-frame x, y × scale + bias (the layer's matrix is the
    /// sun frame's followed by that scale and offset; depth is the frame's own), and the layer's normal offset in metres.
    /// </summary>
    private static Vector4 InSunFrame(in Matrix4x4 fromSunFrame, in Matrix4x4 layerViewProj, float normalOffsetM)
    {
        Matrix4x4 inFrame = fromSunFrame * layerViewProj;
        return new Vector4(inFrame.M11, inFrame.M41, inFrame.M42, normalOffsetM);
    }

    /// <summary>
    /// The normal offset of the shadow lookup: the configured one, or two of the map's texels where they are larger (a
    /// street-sized fit spreads a 1024² map to ~25 cm texels, and a low sun then draws acne stripes across lit ground
    /// with a centimetre's offset). The sun's orthographic matrix scales stage metres by 1/radius across the map.
    /// </summary>
    private float ShadowNormalOffsetM(in Matrix4x4 lightViewProj)
    {
        float scale = new Vector3(lightViewProj.M11, lightViewProj.M21, lightViewProj.M31).Length();
        float texelM = scale > 0 ? 2 / (scale * Math.Max(1, _options.ShadowMapSize)) : 0;
        return MathF.Max(_options.ShadowNormalOffsetM, 2 * texelM);
    }

    /// <summary>
    /// Writes view <paramref name="view"/>'s stage → clip matrix into frame slot <paramref name="slotIndex"/>: what the
    /// draws recorded for that view use when the GPU runs them (so it may come after the recording, before the submission).
    /// </summary>
    public void WriteView(int slotIndex, int view, in Matrix4x4 viewProjection)
    {
        if ((uint)view >= ViewCount) throw new ArgumentOutOfRangeException(nameof(view), view, $"views are 0 … {ViewCount - 1}");
        _slots[slotIndex].Views.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<Matrix4x4>(in viewProjection)), (ulong)(view * Unsafe.SizeOf<Matrix4x4>()));
        // The eye: the point the projection sends to clip (0, 0, z, 0), i.e. (0, 0, 1, 0) · VP⁻¹ (an orthographic view has none: w 0).
        Vector4 eye = Matrix4x4.Invert(viewProjection, out Matrix4x4 inverse) ? Vector4.Transform(new Vector4(0, 0, 1, 0), inverse) : Vector4.Zero;
        eye = MathF.Abs(eye.W) > 1e-12f ? eye / eye.W : eye;
        _slots[slotIndex].Views.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<Vector4>(in eye)), (ulong)(ViewCount * Unsafe.SizeOf<Matrix4x4>() + view * Unsafe.SizeOf<Vector4>()));
        if (eye.W != 0) _sortEyeM[view] = new Vector3(eye.X, eye.Y, eye.Z);
        _knownViewProj[view] = viewProjection;
        _knownView[view] = true;
    }

    /// <summary>
    /// Sets the eye that view <paramref name="view"/>'s blended surfaces are sorted from when the view is next recorded
    /// (<see cref="WriteView"/> sets it too): the view's latest known pose, since its final pose is latched after recording.
    /// </summary>
    public void SetSortView(int view, in Matrix4x4 viewProjection)
    {
        if ((uint)view >= ViewCount) throw new ArgumentOutOfRangeException(nameof(view), view, $"views are 0 … {ViewCount - 1}");
        _knownViewProj[view] = viewProjection;
        _knownView[view] = true;
        if (Matrix4x4.Invert(viewProjection, out Matrix4x4 inverse))
        {
            Vector4 eye = Vector4.Transform(new Vector4(0, 0, 1, 0), inverse);
            if (MathF.Abs(eye.W) > 1e-12f) _sortEyeM[view] = new Vector3(eye.X, eye.Y, eye.Z) / eye.W;
        }
    }

    /// <summary>This frame's blended submesh instances with their centres in stage space (what the sort measures), in draw-list order.</summary>
    private void CollectBlended()
    {
        _blendCount = 0;
        for (var r = 0; r < _meshRuns.Count; r++)
        {
            GpuMesh mesh = _meshRuns[r];
            for (var s = 0; s < mesh.Submeshes.Length; s++)
            {
                if (!mesh.Materials[s].Blend) continue;
                for (var i = 0; i < mesh.InstanceCount; i++)
                {
                    if (_blendCount == _blendDraws.Length)
                    {
                        // Growth only (doubling): steady state allocates nothing.
                        int size = Math.Max(16, _blendDraws.Length * 2);
                        Array.Resize(ref _blendDraws, size);
                        Array.Resize(ref _blendKeys, size);
                        Array.Resize(ref _blendOrder, size);
                    }
                    int instance = mesh.FirstInstance + i;
                    _blendDraws[_blendCount++] = new BlendDraw(r, s, instance, Vector3.Transform(mesh.SubmeshCentresM[s], _staging[instance].Model));
                }
            }
        }
    }
    private static InstanceData Instance(in DrawItem item)
    {
        Matrix4x4.Invert(item.Transform, out Matrix4x4 inverse);
        return new InstanceData
        {
            Model = item.Transform,
            NormalMatrix = Matrix4x4.Transpose(inverse),
            Color = new Vector4(item.ColorLinear, 1),
            Material = new Vector4(item.Metallic ?? -1, item.Roughness ?? -1, 0, 0),
        };
    }

    /// <summary>The GPU copy of <paramref name="mesh"/>, uploading it the first time; null when its content is bad.</summary>
    private GpuMesh? Resolve(SceneMesh mesh)
    {
        if (_gpuMeshes.TryGetValue(mesh, out GpuMesh? gpu)) return gpu;
        MeshData data = mesh.Data;
        IReadOnlyList<string> faults = data.TriangleCount == 0 ? ["it has no triangles"] : data.FindFaults();
        if (faults.Count > 0)
        {
            string line = $"mesh {mesh.Name} is not drawn: {string.Join("; ", faults)}";
            _meshFaults.Add(line);
            _options.Log?.Invoke(line);
            _gpuMeshes.Add(mesh, null);
            return null;
        }
        // MikkTSpace tangents where the asset gave none: vertices split where the tangent spaces differ.
        data = data.WithGeneratedTangents();
        float[] vertices = data.ToInterleavedVertices();
        GpuBuffer vertexBuffer = UploadBuffer(MemoryMarshal.AsBytes(vertices.AsSpan()), BufferUsageFlags.VertexBufferBit);
        GpuBuffer indexBuffer = UploadBuffer(MemoryMarshal.AsBytes(data.Indices), BufferUsageFlags.IndexBufferBit);
        var submeshes = new MeshSubmesh[data.Submeshes.Count];
        var materials = new GpuMaterial[submeshes.Length];
        var centres = new Vector3[submeshes.Length];
        for (var i = 0; i < submeshes.Length; i++)
        {
            submeshes[i] = data.Submeshes[i];
            materials[i] = submeshes[i].Material is { } material ? MaterialFor(material) : PlainMaterial(submeshes[i].BaseColorLinear);
            centres[i] = BoundsCentre(data, submeshes[i]);
        }
        gpu = new GpuMesh(vertexBuffer, indexBuffer, submeshes, materials, centres);
        _gpuMeshes.Add(mesh, gpu);
        MeshUploads++;
        return gpu;
    }

    /// <summary>The centre of a submesh's bounding box (local space): where the back-to-front sort measures it from.</summary>
    private static Vector3 BoundsCentre(MeshData data, MeshSubmesh sub)
    {
        ReadOnlySpan<uint> indices = data.Indices;
        ReadOnlySpan<Vector3> positions = data.PositionsM;
        Vector3 min = new(float.MaxValue), max = new(float.MinValue);
        for (int i = sub.FirstIndex; i < sub.FirstIndex + sub.IndexCount; i++)
        {
            Vector3 p = positions[(int)indices[i]];
            min = Vector3.Min(min, p);
            max = Vector3.Max(max, p);
        }
        return sub.IndexCount == 0 ? Vector3.Zero : (min + max) / 2;
    }

    /// <summary>
    /// Records the sun's shadow map (layer 0, fitted around every caster) and the cascades fitted by <see cref="Update"/>
    /// (layers 1…), and leaves them ready for the views' fragment shaders.
    /// </summary>
    public void RecordShadowPass(GpuCommandBuffer cmd)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        GpuTransfers.ToDepthAttachment(cmd, _shadowMap);
        RecordShadowLayer(cmd, 0, SunView);
        for (var k = 0; k < CascadeViews; k++)
        {
            for (var c = 0; c < _cascadesFitted[k]; c++)
                RecordShadowLayer(cmd, 1 + k * _options.ShadowCascades + c, FirstCascadeView + k * CascadeCount + c);
        }
        GpuTransfers.DepthToSampled(cmd, _shadowMap);
    }

    /// <summary>Records layer <paramref name="layer"/> of the shadow map seen through sun view <paramref name="view"/>.</summary>
    private void RecordShadowLayer(GpuCommandBuffer cmd, int layer, int view)
    {
        cmd.BeginRendering(null, 0, default, _shadowMap, 1f, (uint)layer);
        if (_options.ShadowMapSize > 0)
        {
            DrawItems(cmd, _shadowPipeline, _shadowMap.Width, _shadowMap.Height, view);
            DrawMaskedShadows(cmd, view);
        }
        cmd.EndRendering();
    }

    /// <summary>
    /// Records one view of the scene into layer <paramref name="colorLayer"/> of <paramref name="color"/>
    /// (cleared to the background) with <paramref name="depth"/>, seen through the current slot's view
    /// <paramref name="view"/> (its matrix written with <see cref="WriteView"/> before submission), and leaves the
    /// colour image's layer in COLOR_ATTACHMENT_OPTIMAL. The colour image must be in COLOR_ATTACHMENT_OPTIMAL already.
    /// A multisampled colour image (with a depth of the same sample count) is drawn multisampled and kept as it is (resolve it afterwards).
    /// </summary>
    public void RecordView(GpuCommandBuffer cmd, GpuImage color, uint colorLayer, GpuImage depth, int view, Vector3 backgroundLinear)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        ArgumentNullException.ThrowIfNull(color);
        ArgumentNullException.ThrowIfNull(depth);
        GpuTransfers.ToDepthAttachment(cmd, depth);
        Vector3 background = _input.Apply(backgroundLinear) * _exposureScale;
        cmd.BeginRendering(color, colorLayer, (background.X, background.Y, background.Z, 1f), depth, 1f);
        DrawItems(cmd, PipelineFor(color.Format, color.Samples, blend: false, textured: !_options.UntexturedFastPath), color.Width, color.Height, view);
        DrawSky(cmd, color.Format, color.Samples, color.Width, color.Height, view);
        DrawBlended(cmd, color.Format, color.Samples, color.Width, color.Height, view);
        cmd.EndRendering();
    }

    /// <summary>
    /// Records one view of the scene with multisample anti-aliasing: drawn into the multisampled <paramref name="multisampled"/>
    /// with the multisampled <paramref name="depth"/> (both discarded afterwards; their previous contents too) and resolved
    /// (samples averaged) into level 0 of layer <paramref name="resolveLayer"/> of <paramref name="resolve"/>, which must be
    /// in COLOR_ATTACHMENT_OPTIMAL and stays there. Otherwise as <see cref="RecordView"/>.
    /// </summary>
    public void RecordResolvedView(GpuCommandBuffer cmd, GpuImage multisampled, GpuImage resolve, uint resolveLayer, GpuImage depth, int view, Vector3 backgroundLinear)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        ArgumentNullException.ThrowIfNull(multisampled);
        ArgumentNullException.ThrowIfNull(resolve);
        ArgumentNullException.ThrowIfNull(depth);
        // The multisampled image is reused view after view (the outer cube's faces): the last view's writes and resolve
        // reads come before its contents are discarded.
        cmd.Barrier(multisampled, ImageLayout.Undefined, ImageLayout.ColorAttachmentOptimal,
            PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit,
            PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit | AccessFlags2.ColorAttachmentReadBit);
        GpuTransfers.ToDepthAttachment(cmd, depth);
        Vector3 background = _input.Apply(backgroundLinear) * _exposureScale;
        cmd.BeginRenderingResolved(multisampled, resolve, resolveLayer, (background.X, background.Y, background.Z, 1f), depth, 1f);
        DrawItems(cmd, PipelineFor(resolve.Format, multisampled.Samples, blend: false, textured: !_options.UntexturedFastPath), multisampled.Width, multisampled.Height, view);
        DrawSky(cmd, resolve.Format, multisampled.Samples, multisampled.Width, multisampled.Height, view);
        DrawBlended(cmd, resolve.Format, multisampled.Samples, multisampled.Width, multisampled.Height, view);
        cmd.EndRendering();
    }

    /// <summary>The sky pipeline for a target format and sample count, created the first time it is needed.</summary>
    private GpuGraphicsPipeline SkyPipelineFor(Format format, SampleCountFlags samples)
    {
        foreach (var (f, n, p) in _skyPipelines) if (f == format && n == samples) return p;
        var pipeline = new GpuGraphicsPipeline(_device, new GpuGraphicsPipelineDesc
        {
            VertexSpirv = GpuShaders.Load("sky.vert"),
            FragmentSpirv = GpuShaders.Load("sky.frag"),
            ColorFormat = format,
            DepthFormat = DepthFormat,
            DepthTestOnlyLessOrEqual = true,
            PushConstantBytes = (uint)Unsafe.SizeOf<DrawConstants>(),
            DescriptorSetLayouts = [_layout],
            Samples = samples,
        });
        _skyPipelines.Add((format, samples, pipeline));
        return pipeline;
    }

    /// <summary>
    /// Creates now every pipeline a view of <paramref name="format"/> and <paramref name="samples"/> can need — opaque
    /// and blended, textured and untextured, the sky — which are otherwise created the first time a frame draws with
    /// them: compiling a pipeline takes a GPU driver milliseconds and a CPU driver (lavapipe) hundreds of them, and in
    /// a live run that is a stall of the first frames (dropped frames before the take has begun). Returns how many
    /// pipelines it created (0 when they existed).
    /// </summary>
    public int PreparePipelines(Format format, SampleCountFlags samples)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int before = _pipelines.Count + _skyPipelines.Count;
        foreach (bool blend in (ReadOnlySpan<bool>)[false, true])
        {
            PipelineFor(format, samples, blend, textured: true);
            if (_options.UntexturedFastPath) PipelineFor(format, samples, blend, textured: false);
        }
        SkyPipelineFor(format, samples);
        return _pipelines.Count + _skyPipelines.Count - before;
    }

    /// <summary>
    /// With an environment, its sky where nothing opaque was drawn: one triangle at the far plane (depth test
    /// LESS_OR_EQUAL against the cleared 1, no writes), before the blended surfaces so they blend over it.
    /// </summary>
    private void DrawSky(GpuCommandBuffer cmd, Format format, SampleCountFlags samples, uint width, uint height, int view)
    {
        if (!_environment.Active) return;
        GpuGraphicsPipeline pipeline = SkyPipelineFor(format, samples);
        cmd.BindPipeline(pipeline, width, height);
        cmd.BindDescriptorSets(pipeline, 0, _slots[_current].Set);
        cmd.PushConstants(pipeline, new DrawConstants { View = view, Tint = Vector4.One });
        cmd.Draw(3);
    }

    /// <summary>
    /// The opaque and masked draws of a view (<paramref name="pipeline"/> the untextured scene pipeline; textured
    /// materials switch to its textured twin) or, with the shadow pipeline, every caster except masked submeshes
    /// (<see cref="DrawMaskedShadows"/> draws those).
    /// </summary>
    private void DrawItems(GpuCommandBuffer cmd, GpuGraphicsPipeline pipeline, uint width, uint height, int view)
    {
        if (ItemCount == 0) return;
        bool shaded = pipeline != _shadowPipeline;
        GpuGraphicsPipeline? textured = null;
        GpuGraphicsPipeline bound = pipeline;
        cmd.BindPipeline(pipeline, width, height);
        cmd.BindDescriptorSets(pipeline, 0, _slots[_current].Set);
        if (shaded) cmd.BindDescriptorSets(pipeline, 1, _defaultMaterial.Set);
        cmd.PushConstants(pipeline, new DrawConstants { View = view, Tint = Vector4.One });
        cmd.BindVertexBuffer(_vertexBuffer);
        cmd.BindIndexBuffer(_indexBuffer);
        foreach (DrawKind kind in PrimitiveMeshes.Kinds)
        {
            var (first, count) = _runs[(int)kind];
            if (count == 0) continue;
            MeshRange mesh = _meshes[kind];
            cmd.DrawIndexed(mesh.IndexCount, count, mesh.FirstIndex, mesh.VertexOffset, first);
        }
        foreach (GpuMesh mesh in _meshRuns)
        {
            cmd.BindVertexBuffer(mesh.Vertices);
            cmd.BindIndexBuffer(mesh.Indices);
            for (var s = 0; s < mesh.Submeshes.Length; s++)
            {
                MeshSubmesh sub = mesh.Submeshes[s];
                GpuMaterial material = mesh.Materials[s];
                // Blended submeshes come after every opaque one (DrawBlended); the shadow pass takes them, masked ones aside.
                if (shaded ? material.Blend : material.Mask) continue;
                if (shaded)
                {
                    // The untextured fast path or its textured twin (same layout: the bound sets and push constants stay).
                    GpuGraphicsPipeline wanted = material.Textured ? textured ??= TexturedTwin(pipeline) : pipeline;
                    if (wanted != bound)
                    {
                        cmd.BindPipeline(wanted, width, height);
                        bound = wanted;
                    }
                    // The material (set 1) carries the base colour; the instance colour tints it (the entity's colour).
                    cmd.BindDescriptorSets(bound, 1, material.Set);
                }
                cmd.DrawIndexed((uint)sub.IndexCount, (uint)mesh.InstanceCount, (uint)sub.FirstIndex, 0, (uint)mesh.FirstInstance);
            }
        }
    }

    /// <summary>The textured pipeline matching an untextured one (same format, samples and blending).</summary>
    private GpuGraphicsPipeline TexturedTwin(GpuGraphicsPipeline untextured)
    {
        foreach (var (f, n, b, _, p) in _pipelines)
        {
            // PipelineFor may add to the list: leave the loop before calling it.
            if (p == untextured) return TexturedOf(f, n, b);
        }
        throw new InvalidOperationException("not a scene pipeline");
    }

    private GpuGraphicsPipeline TexturedOf(Format format, SampleCountFlags samples, bool blend) => PipelineFor(format, samples, blend, textured: true);

    /// <summary>
    /// The shadow of alpha-masked submeshes: drawn with their material (set 1) through shadow_mask.frag, which discards
    /// below the cutoff as the scene pass does, so a leaf card casts the shadow of its leaves.
    /// </summary>
    private void DrawMaskedShadows(GpuCommandBuffer cmd, int view)
    {
        GpuGraphicsPipeline? pipeline = null;
        foreach (GpuMesh mesh in _meshRuns)
        {
            for (var s = 0; s < mesh.Submeshes.Length; s++)
            {
                if (!mesh.Materials[s].Mask) continue;
                if (pipeline is null)
                {
                    pipeline = _shadowMaskPipeline;
                    cmd.BindPipeline(pipeline, _shadowMap.Width, _shadowMap.Height);
                    cmd.BindDescriptorSets(pipeline, 0, _slots[_current].Set);
                    cmd.PushConstants(pipeline, new DrawConstants { View = view, Tint = Vector4.One });
                }
                cmd.BindVertexBuffer(mesh.Vertices);
                cmd.BindIndexBuffer(mesh.Indices);
                cmd.BindDescriptorSets(pipeline, 1, mesh.Materials[s].Set);
                MeshSubmesh sub = mesh.Submeshes[s];
                cmd.DrawIndexed((uint)sub.IndexCount, (uint)mesh.InstanceCount, (uint)sub.FirstIndex, 0, (uint)mesh.FirstInstance);
            }
        }
    }

    /// <summary>
    /// Alpha-blended submeshes after the opaque ones, with blending on, sorted back to front: each instance of each
    /// blended submesh is one draw, ordered by the distance of its bounding-box centre from the view's eye as last
    /// known (<see cref="SetSortView"/>, <see cref="WriteView"/>; the final pose is latched after recording, so a live
    /// view sorts by its previous latch: an order can be one frame late where two translucent surfaces swap depth).
    /// Nothing is allocated (the arrays grow with the scene only).
    /// </summary>
    private void DrawBlended(GpuCommandBuffer cmd, Format format, SampleCountFlags samples, uint width, uint height, int view)
    {
        if (_blendCount == 0) return;
        Vector3 eye = _sortEyeM[view];
        for (var i = 0; i < _blendCount; i++)
        {
            // Farthest first: ascending keys of negative squared distance.
            _blendKeys[i] = -Vector3.DistanceSquared(_blendDraws[i].CentreM, eye);
            _blendOrder[i] = i;
        }
        Array.Sort(_blendKeys, _blendOrder, 0, _blendCount);
        GpuGraphicsPipeline? bound = null;
        GpuMesh? boundMesh = null;
        for (var k = 0; k < _blendCount; k++)
        {
            BlendDraw draw = _blendDraws[_blendOrder[k]];
            GpuMesh mesh = _meshRuns[draw.Run];
            GpuMaterial material = mesh.Materials[draw.Submesh];
            GpuGraphicsPipeline pipeline = PipelineFor(format, samples, blend: true, material.Textured || !_options.UntexturedFastPath);
            if (pipeline != bound)
            {
                cmd.BindPipeline(pipeline, width, height);
                cmd.BindDescriptorSets(pipeline, 0, _slots[_current].Set);
                cmd.PushConstants(pipeline, new DrawConstants { View = view, Tint = Vector4.One });
                bound = pipeline;
            }
            if (mesh != boundMesh)
            {
                cmd.BindVertexBuffer(mesh.Vertices);
                cmd.BindIndexBuffer(mesh.Indices);
                boundMesh = mesh;
            }
            cmd.BindDescriptorSets(pipeline, 1, material.Set);
            MeshSubmesh sub = mesh.Submeshes[draw.Submesh];
            cmd.DrawIndexed((uint)sub.IndexCount, 1, (uint)sub.FirstIndex, 0, (uint)draw.Instance);
        }
    }

    /// <summary>Bytes per vertex of the scene pipelines: <see cref="MeshData.InterleavedFloats"/> floats.</summary>
    private const uint VertexStrideBytes = MeshData.InterleavedFloats * sizeof(float);

    /// <summary>The primitives' vertices in the scene pipelines' layout (no UVs; a tangent perpendicular to the normal).</summary>
    private static float[] Interleave(MeshVertex[] vertices)
    {
        var positions = new Vector3[vertices.Length];
        var normals = new Vector3[vertices.Length];
        for (var i = 0; i < vertices.Length; i++) (positions[i], normals[i]) = (vertices[i].PositionM, vertices[i].Normal);
        return new MeshData(positions, normals, []).ToInterleavedVertices();
    }

    private GpuDescriptorSet AllocateMaterialSet()
    {
        if (_materialSetsLeft == 0)
        {
            _materialPools.Add(new GpuDescriptorPool(_device, 64, _materialLayout));
            _materialSetsLeft = 64;
        }
        _materialSetsLeft--;
        return _materialPools[^1].Allocate(_materialLayout);
    }

    /// <summary>The GPU material of a submesh without a glTF material: a dielectric, fully rough surface of that colour.</summary>
    private GpuMaterial PlainMaterial(Vector4 baseColor)
    {
        if (_plainMaterials.TryGetValue(baseColor, out GpuMaterial? known)) return known;
        GpuMaterial material = MaterialFor(new MeshMaterial { BaseColorFactor = baseColor, MetallicFactor = 0, RoughnessFactor = 1 });
        _plainMaterials.Add(baseColor, material);
        return material;
    }

    /// <summary>The GPU material of <paramref name="material"/>: its uniforms and textures (uploaded once each, shared), made once.</summary>
    private GpuMaterial MaterialFor(MeshMaterial material)
    {
        if (_materials.TryGetValue(material, out GpuMaterial? known)) return known;
        static Vector4 A(MaterialTexture? t) => t is null ? new Vector4(1, 0, 0, 1) : new Vector4(t.UvTransform.M11, t.UvTransform.M12, t.UvTransform.M21, t.UvTransform.M22);
        static Vector4 B(MaterialTexture? t) => t is null ? Vector4.Zero : new Vector4(t.UvTransform.M31, t.UvTransform.M32, 0, 0);
        static float Set(MaterialTexture? t) => t?.TexCoord ?? 0;
        var uniforms = new MaterialUniforms
        {
            BaseColor = material.BaseColorFactor,
            Emissive = new Vector4(material.EmissiveFactor * material.EmissiveStrength, material.AlphaCutoff),
            Params = new Vector4(material.MetallicFactor, material.RoughnessFactor, material.NormalScale, material.OcclusionStrength),
            Modes = new Vector4((int)material.AlphaMode, material.DoubleSided ? 1 : 0, material.NormalTexture is null ? 0 : 1, 0),
            UvSet = new Vector4(Set(material.BaseColorTexture), Set(material.MetallicRoughnessTexture), Set(material.NormalTexture), Set(material.OcclusionTexture)),
            UvSetEmissive = new Vector4(Set(material.EmissiveTexture), 0, 0, 0),
        };
        MaterialTexture?[] textures = [material.BaseColorTexture, material.MetallicRoughnessTexture, material.NormalTexture, material.OcclusionTexture, material.EmissiveTexture];
        for (var i = 0; i < textures.Length; i++)
        {
            uniforms.UvA[i] = A(textures[i]);
            uniforms.UvB[i] = B(textures[i]);
        }
        var buffer = new GpuBuffer(_device, (ulong)Unsafe.SizeOf<MaterialUniforms>(), BufferUsageFlags.UniformBufferBit, GpuMemoryUse.Upload);
        buffer.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<MaterialUniforms>(ref uniforms)));
        GpuDescriptorSet set = AllocateMaterialSet();
        set.WriteBuffer(0, DescriptorType.UniformBuffer, buffer);
        bool[] srgb = [true, false, false, false, true];
        for (var i = 0; i < textures.Length; i++)
        {
            MaterialTexture? texture = textures[i];
            if (texture is null)
            {
                set.WriteImage((uint)(i + 1), i == 2 ? _textures.FlatNormal : _textures.White, _textures.DefaultSampler);
                continue;
            }
            set.WriteImage((uint)(i + 1), _textures.ImageFor(texture, srgb[i], normalMap: i == 2), _textures.SamplerFor(texture.Sampling));
        }
        bool anyTexture = Array.Exists(textures, t => t is not null);
        var gpu = new GpuMaterial(buffer, set, material.AlphaMode == MaterialAlphaMode.Blend, material.AlphaMode == MaterialAlphaMode.Mask, anyTexture);
        _materials.Add(material, gpu);
        return gpu;
    }

    /// <summary>Retires every GPU object.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var (_, _, _, _, pipeline) in _pipelines) pipeline.Dispose();
        foreach (var (_, _, pipeline) in _skyPipelines) pipeline.Dispose();
        _environment.Dispose();
        foreach (GpuMaterial material in _materials.Values) material.Uniforms.Dispose();
        foreach (GpuDescriptorPool pool in _materialPools) pool.Dispose();
        _materialLayout.Dispose();
        _textures.Dispose();
        _brdfLut.Dispose();
        _lutSampler.Dispose();
        _shadowPipeline.Dispose();
        _shadowMaskPipeline.Dispose();
        _shadowMap.Dispose();
        _shadowSampler.Dispose();
        _pool.Dispose();
        _layout.Dispose();
        foreach (Slot slot in _slots)
        {
            slot.Instances.Dispose();
            slot.FrameUniforms.Dispose();
            slot.Views.Dispose();
        }
        foreach (GpuMesh? mesh in _gpuMeshes.Values) mesh?.Dispose();
        _indexBuffer.Dispose();
        _vertexBuffer.Dispose();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct InstanceData
    {
        public Matrix4x4 Model;
        public Matrix4x4 NormalMatrix;
        public Vector4 Color;
        public Vector4 Material;
    }

    /// <summary>
    /// A material's uniforms (std140, 256 bytes) and descriptor set (set 1); blended, masked, and whether it has any
    /// texture (without: the untextured fast path).
    /// </summary>
    private sealed record GpuMaterial(GpuBuffer Uniforms, GpuDescriptorSet Set, bool Blend, bool Mask, bool Textured);

    /// <summary>One instance of one blended submesh: the mesh's index in this frame's runs, the submesh, the instance's index in the per-item buffer, its centre.</summary>
    private readonly record struct BlendDraw(int Run, int Submesh, int Instance, Vector3 CentreM);

    [StructLayout(LayoutKind.Sequential)]
    private struct MaterialUniforms
    {
        public Vector4 BaseColor;
        public Vector4 Emissive;
        public Vector4 Params;
        public Vector4 Modes;
        public Vector4 UvSet;
        public Vector4 UvSetEmissive;
        public Vec4x5 UvA;
        public Vec4x5 UvB;
    }

    [InlineArray(5)]
    private struct Vec4x5
    {
        private Vector4 _element;
    }

    /// <summary>Push constants of every scene and shadow draw (32 bytes): which of the slot's views, and the tint.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct DrawConstants
    {
        public int View;
        private readonly int _pad0, _pad1, _pad2;
        public Vector4 Tint;
    }

    /// <summary>One frame slot's GPU-read buffers and the descriptor set pointing at them.</summary>
    private sealed class Slot
    {
        public required GpuDescriptorSet Set { get; init; }
        public required GpuBuffer FrameUniforms { get; init; }
        public required GpuBuffer Views { get; init; }
        public GpuBuffer Instances { get; set; } = null!;
        public int InstanceCapacity { get; set; }
        public int EnvironmentVersion { get; set; }
    }

    /// <summary>A mesh on the GPU and where its instances lie in this frame's per-item buffer.</summary>
    private sealed class GpuMesh(GpuBuffer vertices, GpuBuffer indices, MeshSubmesh[] submeshes, GpuMaterial[] materials, Vector3[] submeshCentresM) : IDisposable
    {
        public Vector3[] SubmeshCentresM { get; } = submeshCentresM;
        public GpuMaterial[] Materials { get; } = materials;
        public GpuBuffer Vertices { get; } = vertices;
        public GpuBuffer Indices { get; } = indices;
        public MeshSubmesh[] Submeshes { get; } = submeshes;
        public long Frame { get; set; }
        public int InstanceCount { get; set; }
        public int FirstInstance { get; set; }
        public int Filled { get; set; }

        public void Dispose()
        {
            Vertices.Dispose();
            Indices.Dispose();
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct FrameUniforms
    {
        public Matrix4x4 LightViewProj;
        public Vector4 ToSun;
        public Vector4 SunColor;
        public Vector4 Ambient;
        public Vector4 Shadow;
        public Vector4 Exposure;
        public Vector4 Environment;
        public Vec4x9 Sh;
        public Matrix4x4 SunFrame;
        public Vector4 Layer0;
        public Vector4 Cascades;
        public Vector4 CascadeCount;
        public Vec4x12 Cascade;
    }

    [InlineArray(CascadeViews * CascadeCount)]
    private struct Vec4x12
    {
        private Vector4 _element;
    }

    [InlineArray(SphericalHarmonics.Count)]
    private struct Vec4x9
    {
        private Vector4 _element;
    }
}

/// <summary>The sun's orthographic view for the shadow map, fitted around the scene.</summary>
public static class SunShadow
{
    /// <summary>
    /// Stage → sun clip: an orthographic box along <paramref name="sunDirection"/> holding a sphere around
    /// every shadow caster (centre of the casters' origins, radius reaching each one's farthest bounding-box
    /// corner: the unit primitives' cube of side 2, a mesh's own bounds). Planes are left out: they are
    /// the ground things cast shadows on, and fitting a 60 m floor would spread the map's texels over it
    /// (a fragment outside the map counts as lit). x, y map to −1..1 and depth to 0..1 (nearest to the sun 0), as Vulkan clips.
    /// </summary>
    public static Matrix4x4 ViewProjection(Vector3 sunDirection, IReadOnlyList<DrawItem> items)
    {
        (Vector3 centre, float radius) = CasterSphere(items);
        return ViewProjection(sunDirection, centre, radius);
    }

    /// <summary>The sphere <see cref="ViewProjection(Vector3, IReadOnlyList{DrawItem})"/> holds: around every caster's bounds (at least 1 m).</summary>
    public static (Vector3 CentreM, float RadiusM) CasterSphere(IReadOnlyList<DrawItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var centre = Vector3.Zero;
        var casters = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (!IsCaster(items[i])) continue;
            centre += items[i].Transform.Translation;
            casters++;
        }
        if (casters > 0) centre /= casters;
        var radius = 1f;
        for (var i = 0; i < items.Count; i++)
        {
            DrawItem item = items[i];
            if (!IsCaster(item)) continue;
            // The unit primitives fit in a cube of side 2 (the capsule is 2 tall): its corners bound them.
            Vector3 min = -Vector3.One, max = Vector3.One;
            if (item.Kind == DrawKind.Mesh)
            {
                AxisAlignedBox bounds = item.Mesh!.Data.BoundsM;
                if (bounds.IsEmpty) continue;
                (min, max) = (bounds.MinM, bounds.MaxM);
            }
            for (var corner = 0; corner < 8; corner++)
            {
                var local = new Vector3((corner & 1) == 0 ? min.X : max.X, (corner & 2) == 0 ? min.Y : max.Y, (corner & 4) == 0 ? min.Z : max.Z);
                radius = MathF.Max(radius, Vector3.Distance(centre, Vector3.Transform(local, item.Transform)));
            }
        }
        return (centre, radius);
    }

    /// <summary>Stage → sun clip: the orthographic box along <paramref name="sunDirection"/> holding the sphere of <paramref name="centre"/> and <paramref name="radius"/>.</summary>
    public static Matrix4x4 ViewProjection(Vector3 sunDirection, Vector3 centre, float radius)
    {
        Vector3 d = Vector3.Normalize(sunDirection);
        Vector3 up = MathF.Abs(d.Y) > 0.99f ? Vector3.UnitZ : Vector3.UnitY;
        Vector3 eye = centre - d * (2 * radius);
        Matrix4x4 view = Matrix4x4.CreateLookAt(eye, centre, up);
        // Orthographic: view-space x, y in ±radius → ±1; depth −z from radius to 3·radius → 0..1.
        var ortho = new Matrix4x4
        {
            M11 = 1 / radius,
            M22 = 1 / radius,
            M33 = -1 / (2 * radius),
            M43 = -0.5f,
            M44 = 1,
        };
        return view * ortho;
    }

    private static bool IsCaster(in DrawItem item) => item.Kind switch
    {
        DrawKind.Plane => false,
        DrawKind.Mesh => item.Mesh is not null,
        _ => true,
    };
}
