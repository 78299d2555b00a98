using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Stage.Render.Gpu;
using Stage.Vulkan;
using Stage.Vulkan.Native;

namespace Stage.Render.Scene;

/// <summary>Options of the scene renderer.</summary>
public sealed record SceneRendererOptions
{
    /// <summary>Shadow map side in texels (0 turns shadows off).</summary>
    public int ShadowMapSize { get; init; } = 1024;

    /// <summary>Shadow depth bias in the sun's depth units (0..1 over the scene's depth).</summary>
    public float ShadowDepthBias { get; init; } = 0.002f;

    /// <summary>Shadow normal offset, metres.</summary>
    public float ShadowNormalOffsetM { get; init; } = 0.01f;

    /// <summary>Segments around curved primitives.</summary>
    public int Segments { get; init; } = 24;
}

/// <summary>
/// Draws a <see cref="RenderScene"/>: primitives instanced per kind with per-item transform and colour
/// from a storage buffer, lit by ambient + a directional sun with a shadow map. Call <see cref="Update"/>
/// once per frame (rewrites the per-item buffer in place; it only grows when the scene does), then
/// record the shadow pass and any number of views. One frame in flight, as for the compose pass.
/// </summary>
public sealed class SceneRenderer : IDisposable
{
    /// <summary>The colour format of scene views (linear light, values above 1 kept).</summary>
    public const VkFormat ColorFormat = VkFormat.VK_FORMAT_R16G16B16A16_SFLOAT;

    /// <summary>The depth format of scene views and the shadow map.</summary>
    public const VkFormat DepthFormat = VkFormat.VK_FORMAT_D32_SFLOAT;

    private readonly GpuDevice _device;
    private readonly SceneRendererOptions _options;
    private readonly PrimitiveMeshes _meshes;
    private readonly GpuBuffer _vertexBuffer;
    private readonly GpuBuffer _indexBuffer;
    private readonly GpuBuffer _frameUniforms;
    private readonly GpuDescriptorSetLayout _layout;
    private readonly GpuDescriptorPool _pool;
    private readonly GpuDescriptorSet _set;
    private readonly GpuSampler _shadowSampler;
    private readonly GpuImage _shadowMap;
    private readonly GpuGraphicsPipeline _shadowPipeline;
    private readonly List<(VkFormat Format, GpuGraphicsPipeline Pipeline)> _pipelines = [];
    private readonly (uint FirstInstance, uint Count)[] _runs = new (uint, uint)[Enum.GetValues<PrimitiveKind>().Length];
    private GpuBuffer _instances;
    private int _instanceCapacity;
    private InstanceData[] _staging = [];
    private Matrix4x4 _lightViewProj;
    private bool _disposed;

    /// <summary>Uploads the primitive meshes and creates the pipelines and the shadow map.</summary>
    public SceneRenderer(GpuDevice device, SceneRendererOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        _options = options ?? new SceneRendererOptions();
        _meshes = PrimitiveMeshes.Build(_options.Segments);
        _vertexBuffer = UploadBuffer(MemoryMarshal.AsBytes(_meshes.Vertices.AsSpan()), VkBufferUsageFlags.VK_BUFFER_USAGE_VERTEX_BUFFER_BIT);
        _indexBuffer = UploadBuffer(MemoryMarshal.AsBytes(_meshes.Indices.AsSpan()), VkBufferUsageFlags.VK_BUFFER_USAGE_INDEX_BUFFER_BIT);
        _frameUniforms = new GpuBuffer(device, (ulong)Unsafe.SizeOf<FrameUniforms>(), VkBufferUsageFlags.VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT, GpuMemoryUse.Upload);
        _layout = new GpuDescriptorSetLayout(device,
            new GpuDescriptorBinding(0, VkDescriptorType.VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, VkShaderStageFlags.VK_SHADER_STAGE_FRAGMENT_BIT),
            new GpuDescriptorBinding(1, VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, VkShaderStageFlags.VK_SHADER_STAGE_VERTEX_BIT),
            new GpuDescriptorBinding(2, VkDescriptorType.VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, VkShaderStageFlags.VK_SHADER_STAGE_FRAGMENT_BIT));
        _pool = new GpuDescriptorPool(device, 1, _layout);
        _set = _pool.Allocate(_layout);
        _shadowSampler = new GpuSampler(device, new GpuSamplerDesc { Filter = VkFilter.VK_FILTER_NEAREST, Compare = VkCompareOp.VK_COMPARE_OP_LESS_OR_EQUAL });
        var shadowSize = (uint)Math.Max(1, _options.ShadowMapSize);
        _shadowMap = new GpuImage(device, shadowSize, shadowSize, DepthFormat,
            VkImageUsageFlags.VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VkImageUsageFlags.VK_IMAGE_USAGE_SAMPLED_BIT);
        _shadowPipeline = new GpuGraphicsPipeline(device, new GpuGraphicsPipelineDesc
        {
            VertexSpirv = GpuShaders.Load("shadow.vert"),
            FragmentSpirv = GpuShaders.Load("shadow.frag"),
            ColorFormat = VkFormat.VK_FORMAT_UNDEFINED,
            DepthFormat = DepthFormat,
            PushConstantBytes = 64,
            VertexStrideBytes = MeshVertex.SizeBytes,
            VertexAttributes = [new(0, VkFormat.VK_FORMAT_R32G32B32_SFLOAT, 0)],
            DescriptorSetLayouts = [_layout],
        });
        _instanceCapacity = 64;
        _instances = NewInstanceBuffer(_instanceCapacity);
        _set.WriteBuffer(0, VkDescriptorType.VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, _frameUniforms);
        _set.WriteBuffer(1, VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, _instances);
        _set.WriteImage(2, _shadowMap, _shadowSampler);
    }

    /// <summary>Items drawn by the last <see cref="Update"/>.</summary>
    public int ItemCount { get; private set; }

    /// <summary>Times the per-item buffer was replaced by a larger one (it is rewritten in place otherwise).</summary>
    public int InstanceBufferGrowths { get; private set; }

    private GpuBuffer NewInstanceBuffer(int capacity) =>
        new(_device, (ulong)(capacity * Unsafe.SizeOf<InstanceData>()), VkBufferUsageFlags.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, GpuMemoryUse.Upload);

    private GpuBuffer UploadBuffer(ReadOnlySpan<byte> bytes, VkBufferUsageFlags usage)
    {
        using var staging = new GpuBuffer(_device, (ulong)bytes.Length, VkBufferUsageFlags.VK_BUFFER_USAGE_TRANSFER_SRC_BIT, GpuMemoryUse.Upload);
        staging.Write(bytes);
        var buffer = new GpuBuffer(_device, (ulong)bytes.Length, usage | VkBufferUsageFlags.VK_BUFFER_USAGE_TRANSFER_DST_BIT, GpuMemoryUse.GpuOnly);
        using var pool = new GpuCommandPool(_device);
        GpuCommandBuffer cmd = pool.Allocate();
        cmd.Begin();
        cmd.CopyBuffer(staging, buffer, (ulong)bytes.Length);
        cmd.MemoryBarrier(VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_COPY_BIT, VkAccessFlags2.VK_ACCESS_2_TRANSFER_WRITE_BIT,
            VkPipelineStageFlags2.VK_PIPELINE_STAGE_2_VERTEX_INPUT_BIT, VkAccessFlags2.VK_ACCESS_2_VERTEX_ATTRIBUTE_READ_BIT | VkAccessFlags2.VK_ACCESS_2_INDEX_READ_BIT);
        cmd.End();
        _device.Wait(_device.Submit(cmd));
        return buffer;
    }

    private GpuGraphicsPipeline PipelineFor(VkFormat format)
    {
        foreach (var (f, p) in _pipelines) if (f == format) return p;
        var pipeline = new GpuGraphicsPipeline(_device, new GpuGraphicsPipelineDesc
        {
            VertexSpirv = GpuShaders.Load("scene.vert"),
            FragmentSpirv = GpuShaders.Load("scene.frag"),
            ColorFormat = format,
            DepthFormat = DepthFormat,
            PushConstantBytes = 64,
            VertexStrideBytes = MeshVertex.SizeBytes,
            VertexAttributes = [new(0, VkFormat.VK_FORMAT_R32G32B32_SFLOAT, 0), new(1, VkFormat.VK_FORMAT_R32G32B32_SFLOAT, 12)],
            DescriptorSetLayouts = [_layout],
        });
        _pipelines.Add((format, pipeline));
        return pipeline;
    }

    /// <summary>
    /// Writes this frame's items (grouped by kind, in list order within a kind) and light into the GPU
    /// buffers. Call while no frame is in flight.
    /// </summary>
    public void Update(RenderScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ObjectDisposedException.ThrowIf(_disposed, this);
        IReadOnlyList<DrawItem> items = scene.Items;
        if (items.Count > _instanceCapacity)
        {
            // Growth only: the old buffer is retired until the GPU is done with it.
            while (_instanceCapacity < items.Count) _instanceCapacity *= 2;
            _instances.Dispose();
            _instances = NewInstanceBuffer(_instanceCapacity);
            _set.WriteBuffer(1, VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, _instances);
            InstanceBufferGrowths++;
        }
        if (_staging.Length < _instanceCapacity) _staging = new InstanceData[_instanceCapacity];
        var n = 0;
        foreach (PrimitiveKind kind in Enum.GetValues<PrimitiveKind>())
        {
            var first = n;
            for (var i = 0; i < items.Count; i++)
            {
                DrawItem item = items[i];
                if (item.Kind != kind) continue;
                Matrix4x4.Invert(item.Transform, out Matrix4x4 inverse);
                _staging[n++] = new InstanceData
                {
                    Model = item.Transform,
                    NormalMatrix = Matrix4x4.Transpose(inverse),
                    Color = new Vector4(item.ColorLinear, 1),
                };
            }
            _runs[(int)kind] = ((uint)first, (uint)(n - first));
        }
        ItemCount = n;
        if (n > 0) _instances.Write(MemoryMarshal.AsBytes(_staging.AsSpan(0, n)));

        Vector3 toSun = -Vector3.Normalize(scene.SunDirection);
        _lightViewProj = SunShadow.ViewProjection(scene.SunDirection, items);
        var frame = new FrameUniforms
        {
            LightViewProj = _lightViewProj,
            ToSun = new Vector4(toSun, 0),
            SunColor = new Vector4(scene.SunColorLinear, 0),
            Ambient = new Vector4(scene.AmbientLinear, 0),
            Shadow = new Vector4(_options.ShadowDepthBias, _options.ShadowNormalOffsetM, _options.ShadowMapSize > 0 ? 1 : 0, 0),
        };
        _frameUniforms.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<FrameUniforms>(ref frame)));
    }

    /// <summary>Records the sun's shadow map and leaves it ready for the views' fragment shaders.</summary>
    public void RecordShadowPass(GpuCommandBuffer cmd)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        GpuTransfers.ToDepthAttachment(cmd, _shadowMap);
        cmd.BeginRendering(null, 0, default, _shadowMap, 1f);
        if (_options.ShadowMapSize > 0) DrawItems(cmd, _shadowPipeline, _shadowMap.Width, _shadowMap.Height, _lightViewProj);
        cmd.EndRendering();
        GpuTransfers.DepthToSampled(cmd, _shadowMap);
    }

    /// <summary>
    /// Records one view of the scene into layer <paramref name="colorLayer"/> of <paramref name="color"/>
    /// (cleared to the background) with <paramref name="depth"/>, and leaves the colour image's layer
    /// in COLOR_ATTACHMENT_OPTIMAL. The colour image must be in COLOR_ATTACHMENT_OPTIMAL already.
    /// </summary>
    public void RecordView(GpuCommandBuffer cmd, GpuImage color, uint colorLayer, GpuImage depth, Matrix4x4 viewProjection, Vector3 backgroundLinear)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        ArgumentNullException.ThrowIfNull(color);
        ArgumentNullException.ThrowIfNull(depth);
        GpuTransfers.ToDepthAttachment(cmd, depth);
        cmd.BeginRendering(color, colorLayer, (backgroundLinear.X, backgroundLinear.Y, backgroundLinear.Z, 1f), depth, 1f);
        DrawItems(cmd, PipelineFor(color.Format), color.Width, color.Height, viewProjection);
        cmd.EndRendering();
    }

    private void DrawItems(GpuCommandBuffer cmd, GpuGraphicsPipeline pipeline, uint width, uint height, Matrix4x4 viewProjection)
    {
        if (ItemCount == 0) return;
        cmd.BindPipeline(pipeline, width, height);
        cmd.BindDescriptorSets(pipeline, 0, _set);
        cmd.PushConstants(pipeline, viewProjection);
        cmd.BindVertexBuffer(_vertexBuffer);
        cmd.BindIndexBuffer(_indexBuffer);
        foreach (PrimitiveKind kind in Enum.GetValues<PrimitiveKind>())
        {
            var (first, count) = _runs[(int)kind];
            if (count == 0) continue;
            MeshRange mesh = _meshes[kind];
            cmd.DrawIndexed(mesh.IndexCount, count, mesh.FirstIndex, mesh.VertexOffset, first);
        }
    }

    /// <summary>Retires every GPU object.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var (_, pipeline) in _pipelines) pipeline.Dispose();
        _shadowPipeline.Dispose();
        _shadowMap.Dispose();
        _shadowSampler.Dispose();
        _pool.Dispose();
        _layout.Dispose();
        _instances.Dispose();
        _frameUniforms.Dispose();
        _indexBuffer.Dispose();
        _vertexBuffer.Dispose();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct InstanceData
    {
        public Matrix4x4 Model;
        public Matrix4x4 NormalMatrix;
        public Vector4 Color;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct FrameUniforms
    {
        public Matrix4x4 LightViewProj;
        public Vector4 ToSun;
        public Vector4 SunColor;
        public Vector4 Ambient;
        public Vector4 Shadow;
    }
}

/// <summary>The sun's orthographic view for the shadow map, fitted around the scene.</summary>
public static class SunShadow
{
    /// <summary>
    /// Stage → sun clip: an orthographic box along <paramref name="sunDirection"/> holding a sphere around
    /// every item (centre of the items' origins, radius reaching each item's farthest unit-cube corner).
    /// x, y map to −1..1 and depth to 0..1 (nearest to the sun 0), as Vulkan clips.
    /// </summary>
    public static Matrix4x4 ViewProjection(Vector3 sunDirection, IReadOnlyList<DrawItem> items)
    {
        Vector3 d = Vector3.Normalize(sunDirection);
        var centre = Vector3.Zero;
        foreach (DrawItem item in items) centre += item.Transform.Translation;
        if (items.Count > 0) centre /= items.Count;
        var radius = 1f;
        foreach (DrawItem item in items)
        {
            // The unit primitives fit in a cube of side 2 (the capsule is 2 tall): its corners bound them.
            for (var corner = 0; corner < 8; corner++)
            {
                var local = new Vector3((corner & 1) == 0 ? -1 : 1, (corner & 2) == 0 ? -1 : 1, (corner & 4) == 0 ? -1 : 1);
                radius = MathF.Max(radius, Vector3.Distance(centre, Vector3.Transform(local, item.Transform)));
            }
        }
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
}
