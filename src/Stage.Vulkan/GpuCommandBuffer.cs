using Stage.Vulkan.Native;

namespace Stage.Vulkan;

/// <summary>A command pool for one thread; command buffers are allocated from it.</summary>
public sealed unsafe class GpuCommandPool : IDisposable
{
    private readonly GpuDevice _device;
    private bool _disposed;

    /// <summary>Creates a pool on the device's queue family whose buffers can be reset one by one.</summary>
    public GpuCommandPool(GpuDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        var info = new VkCommandPoolCreateInfo
        {
            flags = VkCommandPoolCreateFlags.VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
            queueFamilyIndex = (uint)device.Info.GraphicsQueueFamily,
        };
        VkCommandPool pool;
        device.Commands.vkCreateCommandPool(device.Handle, &info, null, &pool).Check("vkCreateCommandPool");
        Handle = pool;
    }

    internal VkCommandPool Handle { get; }

    /// <summary>Allocates a primary command buffer.</summary>
    public GpuCommandBuffer Allocate()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var info = new VkCommandBufferAllocateInfo { commandPool = Handle, level = VkCommandBufferLevel.VK_COMMAND_BUFFER_LEVEL_PRIMARY, commandBufferCount = 1 };
        VkCommandBuffer buffer;
        _device.Commands.vkAllocateCommandBuffers(_device.Handle, &info, &buffer).Check("vkAllocateCommandBuffers");
        return new GpuCommandBuffer(_device, buffer);
    }

    /// <summary>Retires the pool (and every command buffer of it) until the GPU is done with them.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var pool = Handle;
        device.Retire(() => device.Commands.vkDestroyCommandPool(device.Handle, pool, null));
    }
}

/// <summary>A primary command buffer with the recording calls Stage uses (dynamic rendering, synchronization2).</summary>
public sealed unsafe class GpuCommandBuffer
{
    private readonly GpuDevice _device;

    internal GpuCommandBuffer(GpuDevice device, VkCommandBuffer handle)
    {
        _device = device;
        Handle = handle;
    }

    internal VkCommandBuffer Handle { get; }

    /// <summary>The device submission that last carried this buffer (0: never submitted).</summary>
    public ulong LastSubmission { get; internal set; }

    private VkDeviceCommands Vk => _device.Commands;

    /// <summary>Starts recording a one-time submission (waits for the previous submission of this buffer first).</summary>
    public void Begin()
    {
        if (LastSubmission != 0) _device.Wait(LastSubmission);
        var info = new VkCommandBufferBeginInfo { flags = VkCommandBufferUsageFlags.VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT };
        Vk.vkBeginCommandBuffer(Handle, &info).Check("vkBeginCommandBuffer");
    }

    /// <summary>Ends recording.</summary>
    public void End() => Vk.vkEndCommandBuffer(Handle).Check("vkEndCommandBuffer");

    /// <summary>An image layout transition with a synchronization2 barrier.</summary>
    public void Barrier(GpuImage image, VkImageLayout oldLayout, VkImageLayout newLayout,
        VkPipelineStageFlags2 srcStage, VkAccessFlags2 srcAccess, VkPipelineStageFlags2 dstStage, VkAccessFlags2 dstAccess)
    {
        ArgumentNullException.ThrowIfNull(image);
        var barrier = new VkImageMemoryBarrier2
        {
            srcStageMask = srcStage,
            srcAccessMask = srcAccess,
            dstStageMask = dstStage,
            dstAccessMask = dstAccess,
            oldLayout = oldLayout,
            newLayout = newLayout,
            srcQueueFamilyIndex = Native.Vk.VK_QUEUE_FAMILY_IGNORED,
            dstQueueFamilyIndex = Native.Vk.VK_QUEUE_FAMILY_IGNORED,
            image = image.Handle,
            subresourceRange = image.FullRange,
        };
        var dependency = new VkDependencyInfo { imageMemoryBarrierCount = 1, pImageMemoryBarriers = &barrier };
        Vk.vkCmdPipelineBarrier2(Handle, &dependency);
    }

    /// <summary>A global memory barrier (e.g. transfer writes → host reads).</summary>
    public void MemoryBarrier(VkPipelineStageFlags2 srcStage, VkAccessFlags2 srcAccess, VkPipelineStageFlags2 dstStage, VkAccessFlags2 dstAccess)
    {
        var barrier = new VkMemoryBarrier2 { srcStageMask = srcStage, srcAccessMask = srcAccess, dstStageMask = dstStage, dstAccessMask = dstAccess };
        var dependency = new VkDependencyInfo { memoryBarrierCount = 1, pMemoryBarriers = &barrier };
        Vk.vkCmdPipelineBarrier2(Handle, &dependency);
    }

    /// <summary>Clears a colour image in TRANSFER_DST_OPTIMAL layout to a float colour.</summary>
    public void ClearColor(GpuImage image, float r, float g, float b, float a)
    {
        ArgumentNullException.ThrowIfNull(image);
        var colour = new VkClearColorValue();
        colour.float32[0] = r;
        colour.float32[1] = g;
        colour.float32[2] = b;
        colour.float32[3] = a;
        var range = image.FullRange;
        Vk.vkCmdClearColorImage(Handle, image.Handle, VkImageLayout.VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &colour, 1, &range);
    }

    /// <summary>
    /// Begins dynamic rendering into a colour image (COLOR_ATTACHMENT_OPTIMAL) cleared to a colour, and
    /// optionally a depth image (DEPTH_ATTACHMENT_OPTIMAL) cleared to <paramref name="clearDepth"/>.
    /// </summary>
    public void BeginRendering(GpuImage color, (float R, float G, float B, float A) clearColor, GpuImage? depth = null, float clearDepth = 1f)
    {
        ArgumentNullException.ThrowIfNull(color);
        BeginRendering(color, 0, clearColor, depth, clearDepth);
    }

    /// <summary>
    /// Begins dynamic rendering into one layer of a colour image (null: depth only) cleared to a colour,
    /// and optionally a single-layer depth image cleared to <paramref name="clearDepth"/>.
    /// </summary>
    public void BeginRendering(GpuImage? color, uint colorLayer, (float R, float G, float B, float A) clearColor, GpuImage? depth, float clearDepth = 1f)
    {
        if (color is null && depth is null) throw new ArgumentException("rendering needs a colour or a depth attachment");
        var extentSource = color ?? depth!;
        var colorClear = new VkClearValue();
        colorClear.color.float32[0] = clearColor.R;
        colorClear.color.float32[1] = clearColor.G;
        colorClear.color.float32[2] = clearColor.B;
        colorClear.color.float32[3] = clearColor.A;
        var colorAttachment = new VkRenderingAttachmentInfo
        {
            imageView = color is null ? VkImageView.Null : color.LayerView(colorLayer),
            imageLayout = VkImageLayout.VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
            loadOp = VkAttachmentLoadOp.VK_ATTACHMENT_LOAD_OP_CLEAR,
            storeOp = VkAttachmentStoreOp.VK_ATTACHMENT_STORE_OP_STORE,
            clearValue = colorClear,
        };
        var depthClear = new VkClearValue();
        depthClear.depthStencil.depth = clearDepth;
        var depthAttachment = new VkRenderingAttachmentInfo
        {
            imageView = depth?.View ?? VkImageView.Null,
            imageLayout = VkImageLayout.VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
            loadOp = VkAttachmentLoadOp.VK_ATTACHMENT_LOAD_OP_CLEAR,
            // Kept when there is no colour: a depth-only pass (a shadow map) is read afterwards.
            storeOp = color is null ? VkAttachmentStoreOp.VK_ATTACHMENT_STORE_OP_STORE : VkAttachmentStoreOp.VK_ATTACHMENT_STORE_OP_DONT_CARE,
            clearValue = depthClear,
        };
        var info = new VkRenderingInfo
        {
            renderArea = new VkRect2D { extent = new VkExtent2D { width = extentSource.Width, height = extentSource.Height } },
            layerCount = 1,
            colorAttachmentCount = color is null ? 0U : 1U,
            pColorAttachments = color is null ? null : &colorAttachment,
            pDepthAttachment = depth is null ? null : &depthAttachment,
        };
        Vk.vkCmdBeginRendering(Handle, &info);
    }

    /// <summary>
    /// Begins dynamic rendering into a colour image (COLOR_ATTACHMENT_OPTIMAL) keeping what it holds: for
    /// drawing over a picture already there (a status overlay over a presented canvas).
    /// </summary>
    public void BeginRenderingOver(GpuImage color)
    {
        ArgumentNullException.ThrowIfNull(color);
        var colorAttachment = new VkRenderingAttachmentInfo
        {
            imageView = color.LayerView(0),
            imageLayout = VkImageLayout.VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
            loadOp = VkAttachmentLoadOp.VK_ATTACHMENT_LOAD_OP_LOAD,
            storeOp = VkAttachmentStoreOp.VK_ATTACHMENT_STORE_OP_STORE,
        };
        var info = new VkRenderingInfo
        {
            renderArea = new VkRect2D { extent = new VkExtent2D { width = color.Width, height = color.Height } },
            layerCount = 1,
            colorAttachmentCount = 1,
            pColorAttachments = &colorAttachment,
        };
        Vk.vkCmdBeginRendering(Handle, &info);
    }

    /// <summary>
    /// Copies all of <paramref name="source"/> (TRANSFER_SRC_OPTIMAL) onto all of <paramref name="destination"/>
    /// (TRANSFER_DST_OPTIMAL), scaling and converting formats (an sRGB source is decoded and an sRGB
    /// destination encoded, so values keep their meaning; RGBA into BGRA is swizzled).
    /// </summary>
    public void Blit(GpuImage source, GpuImage destination, VkFilter filter = VkFilter.VK_FILTER_LINEAR)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var region = new VkImageBlit
        {
            srcSubresource = new VkImageSubresourceLayers { aspectMask = source.Aspect, mipLevel = 0, baseArrayLayer = 0, layerCount = 1 },
            dstSubresource = new VkImageSubresourceLayers { aspectMask = destination.Aspect, mipLevel = 0, baseArrayLayer = 0, layerCount = 1 },
        };
        region.srcOffsets[1] = new VkOffset3D { x = (int)source.Width, y = (int)source.Height, z = 1 };
        region.dstOffsets[1] = new VkOffset3D { x = (int)destination.Width, y = (int)destination.Height, z = 1 };
        Vk.vkCmdBlitImage(Handle, source.Handle, VkImageLayout.VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
            destination.Handle, VkImageLayout.VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region, filter);
    }

    /// <summary>Ends dynamic rendering.</summary>
    public void EndRendering() => Vk.vkCmdEndRendering(Handle);

    /// <summary>Binds a graphics pipeline and sets viewport and scissor to the whole target.</summary>
    public void BindPipeline(GpuGraphicsPipeline pipeline, uint width, uint height)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        Vk.vkCmdBindPipeline(Handle, VkPipelineBindPoint.VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline.Handle);
        var viewport = new VkViewport { x = 0, y = 0, width = width, height = height, minDepth = 0, maxDepth = 1 };
        var scissor = new VkRect2D { extent = new VkExtent2D { width = width, height = height } };
        Vk.vkCmdSetViewport(Handle, 0, 1, &viewport);
        Vk.vkCmdSetScissor(Handle, 0, 1, &scissor);
    }

    /// <summary>Pushes constants to the vertex and fragment stages.</summary>
    public void PushConstants<T>(GpuGraphicsPipeline pipeline, in T value) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        fixed (T* p = &value)
        {
            Vk.vkCmdPushConstants(Handle, pipeline.Layout, VkShaderStageFlags.VK_SHADER_STAGE_VERTEX_BIT | VkShaderStageFlags.VK_SHADER_STAGE_FRAGMENT_BIT,
                0, (uint)sizeof(T), p);
        }
    }

    /// <summary>Draws vertices generated by the vertex shader from gl_VertexIndex (or read from the bound vertex buffer).</summary>
    public void Draw(uint vertexCount, uint instanceCount = 1, uint firstVertex = 0, uint firstInstance = 0) =>
        Vk.vkCmdDraw(Handle, vertexCount, instanceCount, firstVertex, firstInstance);

    /// <summary>Draws indexed vertices; <paramref name="firstInstance"/> is the shader's first gl_InstanceIndex.</summary>
    public void DrawIndexed(uint indexCount, uint instanceCount = 1, uint firstIndex = 0, int vertexOffset = 0, uint firstInstance = 0) =>
        Vk.vkCmdDrawIndexed(Handle, indexCount, instanceCount, firstIndex, vertexOffset, firstInstance);

    /// <summary>Sets viewport and scissor to a rectangle of the target (pixels, origin top-left).</summary>
    public void SetViewport(float x, float y, float width, float height)
    {
        var viewport = new VkViewport { x = x, y = y, width = width, height = height, minDepth = 0, maxDepth = 1 };
        var scissor = new VkRect2D
        {
            offset = new VkOffset2D { x = (int)MathF.Floor(x), y = (int)MathF.Floor(y) },
            extent = new VkExtent2D { width = (uint)MathF.Ceiling(width), height = (uint)MathF.Ceiling(height) },
        };
        Vk.vkCmdSetViewport(Handle, 0, 1, &viewport);
        Vk.vkCmdSetScissor(Handle, 0, 1, &scissor);
    }

    /// <summary>Binds a buffer as vertex buffer 0.</summary>
    public void BindVertexBuffer(GpuBuffer buffer, ulong offsetBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var handle = buffer.Handle;
        Vk.vkCmdBindVertexBuffers(Handle, 0, 1, &handle, &offsetBytes);
    }

    /// <summary>Binds a buffer of 32-bit indices.</summary>
    public void BindIndexBuffer(GpuBuffer buffer, ulong offsetBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Vk.vkCmdBindIndexBuffer(Handle, buffer.Handle, offsetBytes, VkIndexType.VK_INDEX_TYPE_UINT32);
    }

    /// <summary>Binds descriptor sets to a graphics pipeline's layout, starting at set <paramref name="firstSet"/>.</summary>
    public void BindDescriptorSets(GpuGraphicsPipeline pipeline, uint firstSet, params ReadOnlySpan<GpuDescriptorSet> sets)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var handles = stackalloc VkDescriptorSet[Math.Max(1, sets.Length)];
        for (var i = 0; i < sets.Length; i++) handles[i] = sets[i].Handle;
        Vk.vkCmdBindDescriptorSets(Handle, VkPipelineBindPoint.VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline.Layout, firstSet, (uint)sets.Length, handles, 0, null);
    }

    /// <summary>Copies bytes between buffers.</summary>
    public void CopyBuffer(GpuBuffer source, GpuBuffer destination, ulong sizeBytes, ulong sourceOffsetBytes = 0, ulong destinationOffsetBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var region = new VkBufferCopy { srcOffset = sourceOffsetBytes, dstOffset = destinationOffsetBytes, size = sizeBytes };
        Vk.vkCmdCopyBuffer(Handle, source.Handle, destination.Handle, 1, &region);
    }

    /// <summary>Copies tightly packed pixels from a buffer into one layer of an image (TRANSFER_DST_OPTIMAL).</summary>
    public void CopyBufferToImage(GpuBuffer buffer, GpuImage image, uint layer = 0, ulong bufferOffsetBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(buffer);
        var region = new VkBufferImageCopy
        {
            bufferOffset = bufferOffsetBytes,
            imageSubresource = new VkImageSubresourceLayers { aspectMask = image.Aspect, mipLevel = 0, baseArrayLayer = layer, layerCount = 1 },
            imageExtent = new VkExtent3D { width = image.Width, height = image.Height, depth = 1 },
        };
        Vk.vkCmdCopyBufferToImage(Handle, buffer.Handle, image.Handle, VkImageLayout.VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
    }

    /// <summary>Copies one layer of an image (TRANSFER_SRC_OPTIMAL) into a buffer at an offset, tightly packed.</summary>
    public void CopyImageToBuffer(GpuImage image, GpuBuffer buffer, uint layer = 0, ulong bufferOffsetBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(buffer);
        var region = new VkBufferImageCopy
        {
            bufferOffset = bufferOffsetBytes,
            imageSubresource = new VkImageSubresourceLayers { aspectMask = image.Aspect, mipLevel = 0, baseArrayLayer = layer, layerCount = 1 },
            imageExtent = new VkExtent3D { width = image.Width, height = image.Height, depth = 1 },
        };
        Vk.vkCmdCopyImageToBuffer(Handle, image.Handle, VkImageLayout.VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, buffer.Handle, 1, &region);
    }
}
