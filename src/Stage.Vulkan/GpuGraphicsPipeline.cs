using System.Reflection;
using Stage.Vulkan.Native;

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
    public required VkFormat ColorFormat { get; init; }

    /// <summary>The depth attachment format, or VK_FORMAT_UNDEFINED for none.</summary>
    public VkFormat DepthFormat { get; init; } = VkFormat.VK_FORMAT_UNDEFINED;

    /// <summary>Bytes of push constants visible to both stages.</summary>
    public uint PushConstantBytes { get; init; }

    /// <summary>Bytes per vertex of the one per-vertex buffer at binding 0, or 0 for no vertex buffer.</summary>
    public uint VertexStrideBytes { get; init; }

    /// <summary>The vertex attributes read from binding 0.</summary>
    public IReadOnlyList<GpuVertexAttribute> VertexAttributes { get; init; } = [];

    /// <summary>The descriptor set layouts, set 0 first.</summary>
    public IReadOnlyList<GpuDescriptorSetLayout> DescriptorSetLayouts { get; init; } = [];

    /// <summary>Alpha blending (src·α + dst·(1−α)) on the colour attachment.</summary>
    public bool AlphaBlend { get; init; }
}

/// <summary>One vertex attribute: <c>layout(location = Location)</c>, its format and byte offset in the vertex.</summary>
/// <param name="Location">Shader input location.</param>
/// <param name="Format">E.g. VK_FORMAT_R32G32B32_SFLOAT for a vec3.</param>
/// <param name="OffsetBytes">Offset in the vertex.</param>
public readonly record struct GpuVertexAttribute(uint Location, VkFormat Format, uint OffsetBytes);

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
        var vk = device.Commands;
        var range = new VkPushConstantRange
        {
            stageFlags = VkShaderStageFlags.VK_SHADER_STAGE_VERTEX_BIT | VkShaderStageFlags.VK_SHADER_STAGE_FRAGMENT_BIT,
            offset = 0,
            size = desc.PushConstantBytes,
        };
        var setLayouts = stackalloc VkDescriptorSetLayout[Math.Max(1, desc.DescriptorSetLayouts.Count)];
        for (var i = 0; i < desc.DescriptorSetLayouts.Count; i++) setLayouts[i] = desc.DescriptorSetLayouts[i].Handle;
        var layoutInfo = new VkPipelineLayoutCreateInfo
        {
            setLayoutCount = (uint)desc.DescriptorSetLayouts.Count,
            pSetLayouts = setLayouts,
            pushConstantRangeCount = desc.PushConstantBytes > 0 ? 1U : 0U,
            pPushConstantRanges = desc.PushConstantBytes > 0 ? &range : null,
        };
        VkPipelineLayout layout;
        vk.vkCreatePipelineLayout(device.Handle, &layoutInfo, null, &layout).Check("vkCreatePipelineLayout");
        Layout = layout;
        var vertex = VkShaderModule.Null;
        var fragment = VkShaderModule.Null;
        try
        {
            vertex = CreateModule(desc.VertexSpirv);
            fragment = CreateModule(desc.FragmentSpirv);
            Handle = CreatePipeline(desc, vertex, fragment);
        }
        catch
        {
            vk.vkDestroyPipelineLayout(device.Handle, layout, null);
            throw;
        }
        finally
        {
            if (!vertex.IsNull) vk.vkDestroyShaderModule(device.Handle, vertex, null);
            if (!fragment.IsNull) vk.vkDestroyShaderModule(device.Handle, fragment, null);
        }
    }

    internal VkPipeline Handle { get; }

    internal VkPipelineLayout Layout { get; }

    private VkShaderModule CreateModule(byte[] spirv)
    {
        if (spirv.Length == 0 || spirv.Length % 4 != 0) throw new ArgumentException("SPIR-V must be a non-empty multiple of 4 bytes", nameof(spirv));
        fixed (byte* code = spirv)
        {
            var info = new VkShaderModuleCreateInfo { codeSize = (nuint)spirv.Length, pCode = (uint*)code };
            VkShaderModule module;
            _device.Commands.vkCreateShaderModule(_device.Handle, &info, null, &module).Check("vkCreateShaderModule");
            return module;
        }
    }

    private VkPipeline CreatePipeline(GpuGraphicsPipelineDesc desc, VkShaderModule vertex, VkShaderModule fragment)
    {
        var entry = "main\0"u8;
        fixed (byte* main = entry)
        {
            var stages = stackalloc VkPipelineShaderStageCreateInfo[2];
            stages[0] = new VkPipelineShaderStageCreateInfo { stage = VkShaderStageFlags.VK_SHADER_STAGE_VERTEX_BIT, module = vertex, pName = main };
            stages[1] = new VkPipelineShaderStageCreateInfo { stage = VkShaderStageFlags.VK_SHADER_STAGE_FRAGMENT_BIT, module = fragment, pName = main };
            var vertexBinding = new VkVertexInputBindingDescription { binding = 0, stride = desc.VertexStrideBytes, inputRate = VkVertexInputRate.VK_VERTEX_INPUT_RATE_VERTEX };
            var attributes = stackalloc VkVertexInputAttributeDescription[Math.Max(1, desc.VertexAttributes.Count)];
            for (var i = 0; i < desc.VertexAttributes.Count; i++)
            {
                var a = desc.VertexAttributes[i];
                attributes[i] = new VkVertexInputAttributeDescription { location = a.Location, binding = 0, format = a.Format, offset = a.OffsetBytes };
            }
            var hasVertices = desc.VertexStrideBytes > 0;
            var vertexInput = new VkPipelineVertexInputStateCreateInfo
            {
                vertexBindingDescriptionCount = hasVertices ? 1U : 0U,
                pVertexBindingDescriptions = hasVertices ? &vertexBinding : null,
                vertexAttributeDescriptionCount = hasVertices ? (uint)desc.VertexAttributes.Count : 0U,
                pVertexAttributeDescriptions = hasVertices ? attributes : null,
            };
            var inputAssembly = new VkPipelineInputAssemblyStateCreateInfo { topology = VkPrimitiveTopology.VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST };
            var viewport = new VkPipelineViewportStateCreateInfo { viewportCount = 1, scissorCount = 1 };
            var raster = new VkPipelineRasterizationStateCreateInfo
            {
                polygonMode = VkPolygonMode.VK_POLYGON_MODE_FILL,
                cullMode = VkCullModeFlags.VK_CULL_MODE_NONE,
                frontFace = VkFrontFace.VK_FRONT_FACE_COUNTER_CLOCKWISE,
                lineWidth = 1f,
            };
            var multisample = new VkPipelineMultisampleStateCreateInfo { rasterizationSamples = VkSampleCountFlags.VK_SAMPLE_COUNT_1_BIT };
            var hasDepth = desc.DepthFormat != VkFormat.VK_FORMAT_UNDEFINED;
            var depth = new VkPipelineDepthStencilStateCreateInfo
            {
                depthTestEnable = hasDepth,
                depthWriteEnable = hasDepth,
                depthCompareOp = VkCompareOp.VK_COMPARE_OP_LESS,
            };
            var blendAttachment = new VkPipelineColorBlendAttachmentState
            {
                colorWriteMask = VkColorComponentFlags.VK_COLOR_COMPONENT_R_BIT | VkColorComponentFlags.VK_COLOR_COMPONENT_G_BIT
                    | VkColorComponentFlags.VK_COLOR_COMPONENT_B_BIT | VkColorComponentFlags.VK_COLOR_COMPONENT_A_BIT,
                blendEnable = desc.AlphaBlend,
                srcColorBlendFactor = VkBlendFactor.VK_BLEND_FACTOR_SRC_ALPHA,
                dstColorBlendFactor = VkBlendFactor.VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA,
                colorBlendOp = VkBlendOp.VK_BLEND_OP_ADD,
                srcAlphaBlendFactor = VkBlendFactor.VK_BLEND_FACTOR_ONE,
                dstAlphaBlendFactor = VkBlendFactor.VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA,
                alphaBlendOp = VkBlendOp.VK_BLEND_OP_ADD,
            };
            var hasColor = desc.ColorFormat != VkFormat.VK_FORMAT_UNDEFINED;
            var blend = new VkPipelineColorBlendStateCreateInfo { attachmentCount = hasColor ? 1U : 0U, pAttachments = hasColor ? &blendAttachment : null };
            var dynamicStates = stackalloc VkDynamicState[] { VkDynamicState.VK_DYNAMIC_STATE_VIEWPORT, VkDynamicState.VK_DYNAMIC_STATE_SCISSOR };
            var dynamic = new VkPipelineDynamicStateCreateInfo { dynamicStateCount = 2, pDynamicStates = dynamicStates };
            var colorFormat = desc.ColorFormat;
            var rendering = new VkPipelineRenderingCreateInfo
            {
                colorAttachmentCount = hasColor ? 1U : 0U,
                pColorAttachmentFormats = hasColor ? &colorFormat : null,
                depthAttachmentFormat = desc.DepthFormat,
            };
            var info = new VkGraphicsPipelineCreateInfo
            {
                pNext = &rendering,
                stageCount = 2,
                pStages = stages,
                pVertexInputState = &vertexInput,
                pInputAssemblyState = &inputAssembly,
                pViewportState = &viewport,
                pRasterizationState = &raster,
                pMultisampleState = &multisample,
                pDepthStencilState = hasDepth ? &depth : null,
                pColorBlendState = &blend,
                pDynamicState = &dynamic,
                layout = Layout,
                basePipelineIndex = -1,
            };
            VkPipeline pipeline;
            _device.Commands.vkCreateGraphicsPipelines(_device.Handle, VkPipelineCache.Null, 1, &info, null, &pipeline).Check("vkCreateGraphicsPipelines");
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
            device.Commands.vkDestroyPipeline(device.Handle, pipeline, null);
            device.Commands.vkDestroyPipelineLayout(device.Handle, layout, null);
        });
    }
}
