using System.Reflection;

namespace Stage.Vulkan;

/// <summary>SPIR-V compiled from shaders/ at build time and embedded in this assembly.</summary>
public static class GpuShaders
{
    /// <summary>The SPIR-V of <paramref name="fileName"/> (e.g. <c>flat.vert</c>).</summary>
    /// <exception cref="FileNotFoundException">No such shader was compiled into the assembly.</exception>
    public static byte[] Load(string fileName)
    {
        var name = "Stage.Vulkan.Shaders." + fileName + ".spv";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new FileNotFoundException($"shader {fileName} is not embedded (is it in shaders/?)", name);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}

/// <summary>What a <see cref="GpuGraphicsPipeline"/> draws with and into.</summary>
public sealed record GpuGraphicsPipelineDesc
{
    /// <summary>Vertex shader SPIR-V (entry point main).</summary>
    public required byte[] VertexSpirv { get; init; }

    /// <summary>Fragment shader SPIR-V (entry point main).</summary>
    public required byte[] FragmentSpirv { get; init; }

    /// <summary>The colour attachment format, or VK_FORMAT_UNDEFINED for a depth-only pipeline (e.g. a shadow map).</summary>
    public required Format ColorFormat { get; init; }

    /// <summary>The depth attachment format, or VK_FORMAT_UNDEFINED for none.</summary>
    public Format DepthFormat { get; init; } = Format.Undefined;

    /// <summary>Bytes of push constants visible to both stages.</summary>
    public uint PushConstantBytes { get; init; }

    /// <summary>Bytes per vertex of the one per-vertex buffer at binding 0, or 0 for no vertex buffer.</summary>
    public uint VertexStrideBytes { get; init; }

    /// <summary>The vertex attributes read from binding 0.</summary>
    public IReadOnlyList<GpuVertexAttribute> VertexAttributes { get; init; } = [];

    /// <summary>The descriptor set layouts, set 0 first.</summary>
    public IReadOnlyList<GpuDescriptorSetLayout> DescriptorSetLayouts { get; init; } = [];

    /// <summary>
    /// Depth test LESS_OR_EQUAL without depth writes (a background drawn at the far plane, depth 1, after the opaque
    /// geometry: it shows only where nothing was drawn); the default is LESS with writes.
    /// </summary>
    public bool DepthTestOnlyLessOrEqual { get; init; }

    /// <summary>Alpha blending (src·α + dst·(1−α)) on the colour attachment.</summary>
    public bool AlphaBlend { get; init; }

    /// <summary>Samples per pixel of the attachments drawn into (multisample anti-aliasing); one by default.</summary>
    public SampleCountFlags Samples { get; init; } = SampleCountFlags.Count1Bit;

    /// <summary>
    /// The fragment shader's specialization constants: element i is <c>layout(constant_id = i) const int</c> (32 bits).
    /// The driver folds them at pipeline creation, so a branch on one costs nothing per pixel.
    /// </summary>
    public IReadOnlyList<int> FragmentConstants { get; init; } = [];
}

/// <summary>One vertex attribute: <c>layout(location = Location)</c>, its format and byte offset in the vertex.</summary>
/// <param name="Location">Shader input location.</param>
/// <param name="Format">E.g. VK_FORMAT_R32G32B32_SFLOAT for a vec3.</param>
/// <param name="OffsetBytes">Offset in the vertex.</param>
public readonly record struct GpuVertexAttribute(uint Location, Format Format, uint OffsetBytes);

/// <summary>
/// A graphics pipeline for dynamic rendering: triangle list, optionally one per-vertex buffer (else
/// vertices come from gl_VertexIndex and push constants), descriptor sets, no culling, dynamic viewport
/// and scissor, depth test LESS when a depth format is given, colour optional (depth-only pipelines).
/// </summary>
public sealed unsafe class GpuGraphicsPipeline : IDisposable
{
    private readonly GpuDevice _device;
    private bool _disposed;

    /// <summary>Builds the pipeline (shader modules are destroyed once it exists).</summary>
    public GpuGraphicsPipeline(GpuDevice device, GpuGraphicsPipelineDesc desc)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(desc);
        _device = device;
        var vk = device.Vk;
        var range = new PushConstantRange(stageFlags: ShaderStageFlags.VertexBit | ShaderStageFlags.FragmentBit, offset: 0, size: desc.PushConstantBytes);
        var setLayouts = stackalloc DescriptorSetLayout[Math.Max(1, desc.DescriptorSetLayouts.Count)];
        for (var i = 0; i < desc.DescriptorSetLayouts.Count; i++) setLayouts[i] = desc.DescriptorSetLayouts[i].Handle;
        var layoutInfo = new PipelineLayoutCreateInfo(setLayoutCount: (uint)desc.DescriptorSetLayouts.Count, pSetLayouts: setLayouts, pushConstantRangeCount: desc.PushConstantBytes > 0 ? 1U : 0U, pPushConstantRanges: desc.PushConstantBytes > 0 ? &range : null);
        PipelineLayout layout;
        vk.CreatePipelineLayout(device.Handle, &layoutInfo, null, &layout).Check("vkCreatePipelineLayout");
        Layout = layout;
        var vertex = default(ShaderModule);
        var fragment = default(ShaderModule);
        try
        {
            vertex = CreateModule(desc.VertexSpirv);
            fragment = CreateModule(desc.FragmentSpirv);
            Handle = CreatePipeline(desc, vertex, fragment);
        }
        catch
        {
            vk.DestroyPipelineLayout(device.Handle, layout, null);
            throw;
        }
        finally
        {
            if (vertex.Handle != 0) vk.DestroyShaderModule(device.Handle, vertex, null);
            if (fragment.Handle != 0) vk.DestroyShaderModule(device.Handle, fragment, null);
        }
    }

    internal Pipeline Handle { get; }

    internal PipelineLayout Layout { get; }

    private ShaderModule CreateModule(byte[] spirv)
    {
        if (spirv.Length == 0 || spirv.Length % 4 != 0) throw new ArgumentException("SPIR-V must be a non-empty multiple of 4 bytes", nameof(spirv));
        fixed (byte* code = spirv)
        {
            var info = new ShaderModuleCreateInfo(codeSize: (nuint)spirv.Length, pCode: (uint*)code);
            ShaderModule module;
            _device.Vk.CreateShaderModule(_device.Handle, &info, null, &module).Check("vkCreateShaderModule");
            return module;
        }
    }

    private Pipeline CreatePipeline(GpuGraphicsPipelineDesc desc, ShaderModule vertex, ShaderModule fragment)
    {
        var entry = "main\0"u8;
        fixed (byte* main = entry)
        {
            var stages = stackalloc PipelineShaderStageCreateInfo[2];
            stages[0] = new PipelineShaderStageCreateInfo(stage: ShaderStageFlags.VertexBit, module: vertex, pName: main);
            int constantCount = desc.FragmentConstants.Count;
            var constantEntries = stackalloc SpecializationMapEntry[Math.Max(1, constantCount)];
            var constantData = stackalloc int[Math.Max(1, constantCount)];
            for (var i = 0; i < constantCount; i++)
            {
                constantEntries[i] = new SpecializationMapEntry(constantID: (uint)i, offset: (uint)(i * sizeof(int)), size: sizeof(int));
                constantData[i] = desc.FragmentConstants[i];
            }
            var specialization = new SpecializationInfo(mapEntryCount: (uint)constantCount, pMapEntries: constantEntries, dataSize: (nuint)(constantCount * sizeof(int)), pData: constantData);
            stages[1] = new PipelineShaderStageCreateInfo(stage: ShaderStageFlags.FragmentBit, module: fragment, pName: main, pSpecializationInfo: constantCount > 0 ? &specialization : null);
            var vertexBinding = new VertexInputBindingDescription(binding: 0, stride: desc.VertexStrideBytes, inputRate: VertexInputRate.Vertex);
            var attributes = stackalloc VertexInputAttributeDescription[Math.Max(1, desc.VertexAttributes.Count)];
            for (var i = 0; i < desc.VertexAttributes.Count; i++)
            {
                var a = desc.VertexAttributes[i];
                attributes[i] = new VertexInputAttributeDescription(location: a.Location, binding: 0, format: a.Format, offset: a.OffsetBytes);
            }
            var hasVertices = desc.VertexStrideBytes > 0;
            var vertexInput = new PipelineVertexInputStateCreateInfo(vertexBindingDescriptionCount: hasVertices ? 1U : 0U, pVertexBindingDescriptions: hasVertices ? &vertexBinding : null, vertexAttributeDescriptionCount: hasVertices ? (uint)desc.VertexAttributes.Count : 0U, pVertexAttributeDescriptions: hasVertices ? attributes : null);
            var inputAssembly = new PipelineInputAssemblyStateCreateInfo(topology: PrimitiveTopology.TriangleList);
            var viewport = new PipelineViewportStateCreateInfo(viewportCount: 1, scissorCount: 1);
            var raster = new PipelineRasterizationStateCreateInfo(polygonMode: PolygonMode.Fill, cullMode: CullModeFlags.None, frontFace: FrontFace.CounterClockwise, lineWidth: 1f);
            var multisample = new PipelineMultisampleStateCreateInfo(rasterizationSamples: desc.Samples);
            var hasDepth = desc.DepthFormat != Format.Undefined;
            var depth = new PipelineDepthStencilStateCreateInfo(depthTestEnable: hasDepth, depthWriteEnable: hasDepth && !desc.DepthTestOnlyLessOrEqual, depthCompareOp: desc.DepthTestOnlyLessOrEqual ? CompareOp.LessOrEqual : CompareOp.Less);
            var blendAttachment = new PipelineColorBlendAttachmentState(colorWriteMask: ColorComponentFlags.RBit | ColorComponentFlags.GBit
                    | ColorComponentFlags.BBit | ColorComponentFlags.ABit, blendEnable: desc.AlphaBlend, srcColorBlendFactor: BlendFactor.SrcAlpha, dstColorBlendFactor: BlendFactor.OneMinusSrcAlpha, colorBlendOp: BlendOp.Add, srcAlphaBlendFactor: BlendFactor.One, dstAlphaBlendFactor: BlendFactor.OneMinusSrcAlpha, alphaBlendOp: BlendOp.Add);
            var hasColor = desc.ColorFormat != Format.Undefined;
            var blend = new PipelineColorBlendStateCreateInfo(attachmentCount: hasColor ? 1U : 0U, pAttachments: hasColor ? &blendAttachment : null);
            var dynamicStates = stackalloc DynamicState[] { DynamicState.Viewport, DynamicState.Scissor };
            var dynamic = new PipelineDynamicStateCreateInfo(dynamicStateCount: 2, pDynamicStates: dynamicStates);
            var colorFormat = desc.ColorFormat;
            var rendering = new PipelineRenderingCreateInfo(colorAttachmentCount: hasColor ? 1U : 0U, pColorAttachmentFormats: hasColor ? &colorFormat : null, depthAttachmentFormat: desc.DepthFormat);
            var info = new GraphicsPipelineCreateInfo(pNext: &rendering, stageCount: 2, pStages: stages, pVertexInputState: &vertexInput, pInputAssemblyState: &inputAssembly, pViewportState: &viewport, pRasterizationState: &raster, pMultisampleState: &multisample, pDepthStencilState: hasDepth ? &depth : null, pColorBlendState: &blend, pDynamicState: &dynamic, layout: Layout, basePipelineIndex: -1);
            Pipeline pipeline;
            _device.Vk.CreateGraphicsPipelines(_device.Handle, default(PipelineCache), 1, &info, null, &pipeline).Check("vkCreateGraphicsPipelines");
            return pipeline;
        }
    }

    /// <summary>Retires the pipeline and its layout until the GPU is done with them.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var (pipeline, layout) = (Handle, Layout);
        device.Retire(() =>
        {
            device.Vk.DestroyPipeline(device.Handle, pipeline, null);
            device.Vk.DestroyPipelineLayout(device.Handle, layout, null);
        });
    }
}
