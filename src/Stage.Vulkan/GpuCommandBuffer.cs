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
        var info = new CommandPoolCreateInfo(flags: CommandPoolCreateFlags.ResetCommandBufferBit, queueFamilyIndex: (uint)device.Info.GraphicsQueueFamily);
        CommandPool pool;
        device.Vk.CreateCommandPool(device.Handle, &info, null, &pool).Check("vkCreateCommandPool");
        Handle = pool;
    }

    internal CommandPool Handle { get; }

    /// <summary>Allocates a primary command buffer.</summary>
    public GpuCommandBuffer Allocate()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var info = new CommandBufferAllocateInfo(commandPool: Handle, level: CommandBufferLevel.Primary, commandBufferCount: 1);
        CommandBuffer buffer;
        _device.Vk.AllocateCommandBuffers(_device.Handle, &info, &buffer).Check("vkAllocateCommandBuffers");
        return new GpuCommandBuffer(_device, buffer);
    }

    /// <summary>Retires the pool (and every command buffer of it) until the GPU is done with them.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var device = _device;
        var pool = Handle;
        device.Retire(() => device.Vk.DestroyCommandPool(device.Handle, pool, null));
    }
}

/// <summary>A primary command buffer with the recording calls Stage uses (dynamic rendering, synchronization2).</summary>
public sealed unsafe class GpuCommandBuffer
{
    private readonly GpuDevice _device;

    internal GpuCommandBuffer(GpuDevice device, CommandBuffer handle)
    {
        _device = device;
        Handle = handle;
    }

    internal CommandBuffer Handle { get; }

    /// <summary>The device submission that last carried this buffer (0: never submitted).</summary>
    public ulong LastSubmission { get; internal set; }

    private Vk Vk => _device.Vk;

    /// <summary>Starts recording a one-time submission (waits for the previous submission of this buffer first).</summary>
    public void Begin()
    {
        if (LastSubmission != 0) _device.Wait(LastSubmission);
        var info = new CommandBufferBeginInfo(flags: CommandBufferUsageFlags.OneTimeSubmitBit);
        Vk.BeginCommandBuffer(Handle, &info).Check("vkBeginCommandBuffer");
    }

    /// <summary>Ends recording.</summary>
    public void End() => Vk.EndCommandBuffer(Handle).Check("vkEndCommandBuffer");

    /// <summary>An image layout transition with a synchronization2 barrier.</summary>
    public void Barrier(GpuImage image, ImageLayout oldLayout, ImageLayout newLayout,
        PipelineStageFlags2 srcStage, AccessFlags2 srcAccess, PipelineStageFlags2 dstStage, AccessFlags2 dstAccess)
    {
        ArgumentNullException.ThrowIfNull(image);
        var barrier = new ImageMemoryBarrier2(srcStageMask: srcStage, srcAccessMask: srcAccess, dstStageMask: dstStage, dstAccessMask: dstAccess, oldLayout: oldLayout, newLayout: newLayout, srcQueueFamilyIndex: Vk.QueueFamilyIgnored, dstQueueFamilyIndex: Vk.QueueFamilyIgnored, image: image.Handle, subresourceRange: image.FullRange);
        var dependency = new DependencyInfo(imageMemoryBarrierCount: 1, pImageMemoryBarriers: &barrier);
        Vk.CmdPipelineBarrier2(Handle, &dependency);
    }

    /// <summary>
    /// An image layout transition of mip levels <paramref name="baseMipLevel"/> … + <paramref name="levelCount"/> − 1
    /// (every layer) with a synchronization2 barrier: for building a mip chain level by level.
    /// </summary>
    public void Barrier(GpuImage image, uint baseMipLevel, uint levelCount, ImageLayout oldLayout, ImageLayout newLayout,
        PipelineStageFlags2 srcStage, AccessFlags2 srcAccess, PipelineStageFlags2 dstStage, AccessFlags2 dstAccess)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (baseMipLevel + levelCount > image.MipLevels) throw new ArgumentOutOfRangeException(nameof(levelCount), $"levels {baseMipLevel} … {baseMipLevel + levelCount - 1} of an image with {image.MipLevels}");
        var range = new ImageSubresourceRange(aspectMask: image.Aspect, baseMipLevel: baseMipLevel, levelCount: levelCount, baseArrayLayer: 0, layerCount: image.Layers);
        var barrier = new ImageMemoryBarrier2(srcStageMask: srcStage, srcAccessMask: srcAccess, dstStageMask: dstStage, dstAccessMask: dstAccess, oldLayout: oldLayout, newLayout: newLayout, srcQueueFamilyIndex: Vk.QueueFamilyIgnored, dstQueueFamilyIndex: Vk.QueueFamilyIgnored, image: image.Handle, subresourceRange: range);
        var dependency = new DependencyInfo(imageMemoryBarrierCount: 1, pImageMemoryBarriers: &barrier);
        Vk.CmdPipelineBarrier2(Handle, &dependency);
    }

    /// <summary>
    /// Filters mip level <paramref name="sourceLevel"/> (TRANSFER_SRC_OPTIMAL) of every layer of <paramref name="image"/>
    /// down onto level <paramref name="destinationLevel"/> (TRANSFER_DST_OPTIMAL) with a blit: one step of a mip chain on the GPU.
    /// </summary>
    public void BlitLevel(GpuImage image, uint sourceLevel, uint destinationLevel, Filter filter = Filter.Linear)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sourceLevel, image.MipLevels);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(destinationLevel, image.MipLevels);
        var region = new ImageBlit(srcSubresource: new ImageSubresourceLayers(aspectMask: image.Aspect, mipLevel: sourceLevel, baseArrayLayer: 0, layerCount: image.Layers), dstSubresource: new ImageSubresourceLayers(aspectMask: image.Aspect, mipLevel: destinationLevel, baseArrayLayer: 0, layerCount: image.Layers));
        region.SrcOffsets[1] = new Offset3D(x: (int)Math.Max(1, image.Width >> (int)sourceLevel), y: (int)Math.Max(1, image.Height >> (int)sourceLevel), z: 1);
        region.DstOffsets[1] = new Offset3D(x: (int)Math.Max(1, image.Width >> (int)destinationLevel), y: (int)Math.Max(1, image.Height >> (int)destinationLevel), z: 1);
        Vk.CmdBlitImage(Handle, image.Handle, ImageLayout.TransferSrcOptimal, image.Handle, ImageLayout.TransferDstOptimal, 1, &region, filter);
    }

    /// <summary>
    /// Averages the samples of the multisampled <paramref name="multisampled"/> (TRANSFER_SRC_OPTIMAL) into level 0 of layer
    /// <paramref name="layer"/> of the single-sample <paramref name="destination"/> (TRANSFER_DST_OPTIMAL) of the same size.
    /// </summary>
    public void ResolveInto(GpuImage multisampled, GpuImage destination, uint layer)
    {
        ArgumentNullException.ThrowIfNull(multisampled);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, destination.Layers);
        var region = new ImageResolve(srcSubresource: new ImageSubresourceLayers(aspectMask: multisampled.Aspect, mipLevel: 0, baseArrayLayer: 0, layerCount: 1),
            dstSubresource: new ImageSubresourceLayers(aspectMask: destination.Aspect, mipLevel: 0, baseArrayLayer: layer, layerCount: 1),
            extent: new Extent3D(width: multisampled.Width, height: multisampled.Height, depth: 1));
        Vk.CmdResolveImage(Handle, multisampled.Handle, ImageLayout.TransferSrcOptimal, destination.Handle, ImageLayout.TransferDstOptimal, 1, &region);
    }

    /// <summary>A global memory barrier (e.g. transfer writes → host reads).</summary>
    public void MemoryBarrier(PipelineStageFlags2 srcStage, AccessFlags2 srcAccess, PipelineStageFlags2 dstStage, AccessFlags2 dstAccess)
    {
        var barrier = new MemoryBarrier2(srcStageMask: srcStage, srcAccessMask: srcAccess, dstStageMask: dstStage, dstAccessMask: dstAccess);
        var dependency = new DependencyInfo(memoryBarrierCount: 1, pMemoryBarriers: &barrier);
        Vk.CmdPipelineBarrier2(Handle, &dependency);
    }

    /// <summary>Clears a colour image in TRANSFER_DST_OPTIMAL layout to a float colour.</summary>
    public void ClearColor(GpuImage image, float r, float g, float b, float a)
    {
        ArgumentNullException.ThrowIfNull(image);
        var colour = new ClearColorValue();
        colour.Float32_0 = r;
        colour.Float32_1 = g;
        colour.Float32_2 = b;
        colour.Float32_3 = a;
        var range = image.FullRange;
        Vk.CmdClearColorImage(Handle, image.Handle, ImageLayout.TransferDstOptimal, &colour, 1, &range);
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
    /// and optionally a depth image cleared to <paramref name="clearDepth"/> (its layer <paramref name="depthLayer"/>: one
    /// cascade of an array shadow map).
    /// </summary>
    public void BeginRendering(GpuImage? color, uint colorLayer, (float R, float G, float B, float A) clearColor, GpuImage? depth, float clearDepth = 1f, uint depthLayer = 0)
    {
        if (color is null && depth is null) throw new ArgumentException("rendering needs a colour or a depth attachment");
        var extentSource = color ?? depth!;
        var colorClear = new ClearValue();
        colorClear.Color.Float32_0 = clearColor.R;
        colorClear.Color.Float32_1 = clearColor.G;
        colorClear.Color.Float32_2 = clearColor.B;
        colorClear.Color.Float32_3 = clearColor.A;
        var colorAttachment = new RenderingAttachmentInfo(imageView: color is null ? default(ImageView) : color.LayerView(colorLayer), imageLayout: ImageLayout.ColorAttachmentOptimal, loadOp: AttachmentLoadOp.Clear, storeOp: AttachmentStoreOp.Store, clearValue: colorClear);
        var depthClear = new ClearValue();
        depthClear.DepthStencil.Depth = clearDepth;
        // The depth is kept when there is no colour: a depth-only pass (a shadow map) is read afterwards.
        var depthAttachment = new RenderingAttachmentInfo(imageView: depth is null ? default(ImageView) : depth.Layers > 1 ? depth.LayerView(depthLayer) : depth.View, imageLayout: ImageLayout.DepthAttachmentOptimal,
            loadOp: AttachmentLoadOp.Clear, storeOp: color is null ? AttachmentStoreOp.Store : AttachmentStoreOp.DontCare, clearValue: depthClear);
        var info = new RenderingInfo(renderArea: new Rect2D(extent: new Extent2D(width: extentSource.Width, height: extentSource.Height)), layerCount: 1, colorAttachmentCount: color is null ? 0U : 1U, pColorAttachments: color is null ? null : &colorAttachment, pDepthAttachment: depth is null ? null : &depthAttachment);
        Vk.CmdBeginRendering(Handle, &info);
    }

    /// <summary>
    /// Begins dynamic rendering into a multisampled colour image <paramref name="color"/> cleared to a colour, with a
    /// multisampled <paramref name="depth"/> (the same sample count) cleared to <paramref name="clearDepth"/>; at the end
    /// of rendering the samples are averaged into level 0 of layer <paramref name="resolveLayer"/> of the single-sample
    /// <paramref name="resolve"/> (COLOR_ATTACHMENT_OPTIMAL). Neither multisampled image is stored: only the resolve is kept.
    /// </summary>
    public void BeginRenderingResolved(GpuImage color, GpuImage resolve, uint resolveLayer, (float R, float G, float B, float A) clearColor, GpuImage depth, float clearDepth = 1f)
    {
        ArgumentNullException.ThrowIfNull(color);
        ArgumentNullException.ThrowIfNull(resolve);
        ArgumentNullException.ThrowIfNull(depth);
        if (color.Samples == SampleCountFlags.Count1Bit || resolve.Samples != SampleCountFlags.Count1Bit || depth.Samples != color.Samples)
            throw new ArgumentException("a resolved pass draws into multisampled colour and depth of one sample count and resolves into a single-sample image");
        var colorClear = new ClearValue();
        colorClear.Color.Float32_0 = clearColor.R;
        colorClear.Color.Float32_1 = clearColor.G;
        colorClear.Color.Float32_2 = clearColor.B;
        colorClear.Color.Float32_3 = clearColor.A;
        var colorAttachment = new RenderingAttachmentInfo(imageView: color.LayerView(0), imageLayout: ImageLayout.ColorAttachmentOptimal,
            resolveMode: ResolveModeFlags.AverageBit, resolveImageView: resolve.LayerView(resolveLayer), resolveImageLayout: ImageLayout.ColorAttachmentOptimal,
            loadOp: AttachmentLoadOp.Clear, storeOp: AttachmentStoreOp.DontCare, clearValue: colorClear);
        var depthClear = new ClearValue();
        depthClear.DepthStencil.Depth = clearDepth;
        var depthAttachment = new RenderingAttachmentInfo(imageView: depth.View, imageLayout: ImageLayout.DepthAttachmentOptimal,
            loadOp: AttachmentLoadOp.Clear, storeOp: AttachmentStoreOp.DontCare, clearValue: depthClear);
        var info = new RenderingInfo(renderArea: new Rect2D(extent: new Extent2D(width: color.Width, height: color.Height)), layerCount: 1, colorAttachmentCount: 1, pColorAttachments: &colorAttachment, pDepthAttachment: &depthAttachment);
        Vk.CmdBeginRendering(Handle, &info);
    }

    /// <summary>
    /// Begins dynamic rendering into a colour image (COLOR_ATTACHMENT_OPTIMAL) keeping what it holds: for
    /// drawing over a picture already there (a status overlay over a presented canvas).
    /// </summary>
    public void BeginRenderingOver(GpuImage color)
    {
        ArgumentNullException.ThrowIfNull(color);
        var colorAttachment = new RenderingAttachmentInfo(imageView: color.LayerView(0), imageLayout: ImageLayout.ColorAttachmentOptimal, loadOp: AttachmentLoadOp.Load, storeOp: AttachmentStoreOp.Store);
        var info = new RenderingInfo(renderArea: new Rect2D(extent: new Extent2D(width: color.Width, height: color.Height)), layerCount: 1, colorAttachmentCount: 1, pColorAttachments: &colorAttachment);
        Vk.CmdBeginRendering(Handle, &info);
    }

    /// <summary>
    /// Copies all of <paramref name="source"/> (TRANSFER_SRC_OPTIMAL) onto all of <paramref name="destination"/>
    /// (TRANSFER_DST_OPTIMAL), scaling and converting formats (an sRGB source is decoded and an sRGB
    /// destination encoded, so values keep their meaning; RGBA into BGRA is swizzled).
    /// </summary>
    public void Blit(GpuImage source, GpuImage destination, Filter filter = Filter.Linear)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var region = new ImageBlit(srcSubresource: new ImageSubresourceLayers(aspectMask: source.Aspect, mipLevel: 0, baseArrayLayer: 0, layerCount: 1), dstSubresource: new ImageSubresourceLayers(aspectMask: destination.Aspect, mipLevel: 0, baseArrayLayer: 0, layerCount: 1));
        region.SrcOffsets[1] = new Offset3D(x: (int)source.Width, y: (int)source.Height, z: 1);
        region.DstOffsets[1] = new Offset3D(x: (int)destination.Width, y: (int)destination.Height, z: 1);
        Vk.CmdBlitImage(Handle, source.Handle, ImageLayout.TransferSrcOptimal,
            destination.Handle, ImageLayout.TransferDstOptimal, 1, &region, filter);
    }

    /// <summary>Ends dynamic rendering.</summary>
    public void EndRendering() => Vk.CmdEndRendering(Handle);

    /// <summary>Binds a graphics pipeline and sets viewport and scissor to the whole target.</summary>
    public void BindPipeline(GpuGraphicsPipeline pipeline, uint width, uint height)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        Vk.CmdBindPipeline(Handle, PipelineBindPoint.Graphics, pipeline.Handle);
        var viewport = new Viewport(x: 0, y: 0, width: width, height: height, minDepth: 0, maxDepth: 1);
        var scissor = new Rect2D(extent: new Extent2D(width: width, height: height));
        Vk.CmdSetViewport(Handle, 0, 1, &viewport);
        Vk.CmdSetScissor(Handle, 0, 1, &scissor);
    }

    /// <summary>Pushes constants to the vertex and fragment stages.</summary>
    public void PushConstants<T>(GpuGraphicsPipeline pipeline, in T value) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        fixed (T* p = &value)
        {
            Vk.CmdPushConstants(Handle, pipeline.Layout, ShaderStageFlags.VertexBit | ShaderStageFlags.FragmentBit,
                0, (uint)sizeof(T), p);
        }
    }

    /// <summary>Draws vertices generated by the vertex shader from gl_VertexIndex (or read from the bound vertex buffer).</summary>
    public void Draw(uint vertexCount, uint instanceCount = 1, uint firstVertex = 0, uint firstInstance = 0) =>
        Vk.CmdDraw(Handle, vertexCount, instanceCount, firstVertex, firstInstance);

    /// <summary>Draws indexed vertices; <paramref name="firstInstance"/> is the shader's first gl_InstanceIndex.</summary>
    public void DrawIndexed(uint indexCount, uint instanceCount = 1, uint firstIndex = 0, int vertexOffset = 0, uint firstInstance = 0) =>
        Vk.CmdDrawIndexed(Handle, indexCount, instanceCount, firstIndex, vertexOffset, firstInstance);

    /// <summary>Sets viewport and scissor to a rectangle of the target (pixels, origin top-left).</summary>
    public void SetViewport(float x, float y, float width, float height)
    {
        var viewport = new Viewport(x: x, y: y, width: width, height: height, minDepth: 0, maxDepth: 1);
        var scissor = new Rect2D(offset: new Offset2D(x: (int)MathF.Floor(x), y: (int)MathF.Floor(y)), extent: new Extent2D(width: (uint)MathF.Ceiling(width), height: (uint)MathF.Ceiling(height)));
        Vk.CmdSetViewport(Handle, 0, 1, &viewport);
        Vk.CmdSetScissor(Handle, 0, 1, &scissor);
    }

    /// <summary>Binds a buffer as vertex buffer 0.</summary>
    public void BindVertexBuffer(GpuBuffer buffer, ulong offsetBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var handle = buffer.Handle;
        Vk.CmdBindVertexBuffers(Handle, 0, 1, &handle, &offsetBytes);
    }

    /// <summary>Binds a buffer of 32-bit indices.</summary>
    public void BindIndexBuffer(GpuBuffer buffer, ulong offsetBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Vk.CmdBindIndexBuffer(Handle, buffer.Handle, offsetBytes, IndexType.Uint32);
    }

    /// <summary>Binds descriptor sets to a graphics pipeline's layout, starting at set <paramref name="firstSet"/>.</summary>
    public void BindDescriptorSets(GpuGraphicsPipeline pipeline, uint firstSet, params ReadOnlySpan<GpuDescriptorSet> sets)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var handles = stackalloc DescriptorSet[Math.Max(1, sets.Length)];
        for (var i = 0; i < sets.Length; i++) handles[i] = sets[i].Handle;
        Vk.CmdBindDescriptorSets(Handle, PipelineBindPoint.Graphics, pipeline.Layout, firstSet, (uint)sets.Length, handles, 0, null);
    }

    /// <summary>Fills a range of a buffer (a multiple of 4 bytes) with a 32-bit value.</summary>
    public void FillBuffer(GpuBuffer buffer, uint value, ulong sizeBytes = Vk.WholeSize, ulong offsetBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Vk.CmdFillBuffer(Handle, buffer.Handle, offsetBytes, sizeBytes, value);
    }

    /// <summary>Copies bytes between buffers.</summary>
    public void CopyBuffer(GpuBuffer source, GpuBuffer destination, ulong sizeBytes, ulong sourceOffsetBytes = 0, ulong destinationOffsetBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var region = new BufferCopy(srcOffset: sourceOffsetBytes, dstOffset: destinationOffsetBytes, size: sizeBytes);
        Vk.CmdCopyBuffer(Handle, source.Handle, destination.Handle, 1, &region);
    }

    /// <summary>Copies tightly packed pixels from a buffer into one layer (and mip level) of an image (TRANSFER_DST_OPTIMAL).</summary>
    public void CopyBufferToImage(GpuBuffer buffer, GpuImage image, uint layer = 0, ulong bufferOffsetBytes = 0, uint mipLevel = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(mipLevel, image.MipLevels);
        var extent = new Extent3D(width: Math.Max(1, image.Width >> (int)mipLevel), height: Math.Max(1, image.Height >> (int)mipLevel), depth: Math.Max(1, image.Depth >> (int)mipLevel));
        var region = new BufferImageCopy(bufferOffset: bufferOffsetBytes, imageSubresource: new ImageSubresourceLayers(aspectMask: image.Aspect, mipLevel: mipLevel, baseArrayLayer: layer, layerCount: 1), imageExtent: extent);
        Vk.CmdCopyBufferToImage(Handle, buffer.Handle, image.Handle, ImageLayout.TransferDstOptimal, 1, &region);
    }

    /// <summary>
    /// Fills mip levels 1… of a colour image from level 0 by successive linear blits (vkCmdBlitImage), each level half
    /// the previous. Expects every level in TRANSFER_DST_OPTIMAL with level 0's copy done (transfer writes); leaves every
    /// level in SHADER_READ_ONLY_OPTIMAL, visible to fragment shaders. The format must support linear blits.
    /// </summary>
    public void GenerateMipmaps(GpuImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        int w = (int)image.Width, h = (int)image.Height;
        for (uint level = 1; level <= image.MipLevels; level++)
        {
            // The level just written becomes a blit source (or, for the last one, goes straight to the shaders).
            LevelBarrier(image, level - 1, ImageLayout.TransferDstOptimal, ImageLayout.TransferSrcOptimal,
                PipelineStageFlags2.AllTransferBit, AccessFlags2.TransferWriteBit, PipelineStageFlags2.AllTransferBit, AccessFlags2.TransferReadBit);
            if (level == image.MipLevels) break;
            int nw = Math.Max(1, w / 2), nh = Math.Max(1, h / 2);
            var region = new ImageBlit(srcSubresource: new ImageSubresourceLayers(aspectMask: image.Aspect, mipLevel: level - 1, baseArrayLayer: 0, layerCount: image.Layers),
                dstSubresource: new ImageSubresourceLayers(aspectMask: image.Aspect, mipLevel: level, baseArrayLayer: 0, layerCount: image.Layers));
            region.SrcOffsets[1] = new Offset3D(x: w, y: h, z: 1);
            region.DstOffsets[1] = new Offset3D(x: nw, y: nh, z: 1);
            Vk.CmdBlitImage(Handle, image.Handle, ImageLayout.TransferSrcOptimal, image.Handle, ImageLayout.TransferDstOptimal, 1, &region, Filter.Linear);
            (w, h) = (nw, nh);
        }
        var barrier = new ImageMemoryBarrier2(srcStageMask: PipelineStageFlags2.AllTransferBit, srcAccessMask: AccessFlags2.TransferReadBit | AccessFlags2.TransferWriteBit,
            dstStageMask: PipelineStageFlags2.FragmentShaderBit, dstAccessMask: AccessFlags2.ShaderSampledReadBit,
            oldLayout: ImageLayout.TransferSrcOptimal, newLayout: ImageLayout.ShaderReadOnlyOptimal, srcQueueFamilyIndex: Vk.QueueFamilyIgnored, dstQueueFamilyIndex: Vk.QueueFamilyIgnored,
            image: image.Handle, subresourceRange: image.FullRange);
        var dependency = new DependencyInfo(imageMemoryBarrierCount: 1, pImageMemoryBarriers: &barrier);
        Vk.CmdPipelineBarrier2(Handle, &dependency);
    }

    private void LevelBarrier(GpuImage image, uint level, ImageLayout oldLayout, ImageLayout newLayout,
        PipelineStageFlags2 srcStage, AccessFlags2 srcAccess, PipelineStageFlags2 dstStage, AccessFlags2 dstAccess)
    {
        var barrier = new ImageMemoryBarrier2(srcStageMask: srcStage, srcAccessMask: srcAccess, dstStageMask: dstStage, dstAccessMask: dstAccess, oldLayout: oldLayout, newLayout: newLayout,
            srcQueueFamilyIndex: Vk.QueueFamilyIgnored, dstQueueFamilyIndex: Vk.QueueFamilyIgnored, image: image.Handle,
            subresourceRange: new ImageSubresourceRange(aspectMask: image.Aspect, baseMipLevel: level, levelCount: 1, baseArrayLayer: 0, layerCount: image.Layers));
        var dependency = new DependencyInfo(imageMemoryBarrierCount: 1, pImageMemoryBarriers: &barrier);
        Vk.CmdPipelineBarrier2(Handle, &dependency);
    }

    /// <summary>Copies one layer of an image (TRANSFER_SRC_OPTIMAL) into a buffer at an offset, tightly packed.</summary>
    public void CopyImageToBuffer(GpuImage image, GpuBuffer buffer, uint layer = 0, ulong bufferOffsetBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(buffer);
        var region = new BufferImageCopy(bufferOffset: bufferOffsetBytes, imageSubresource: new ImageSubresourceLayers(aspectMask: image.Aspect, mipLevel: 0, baseArrayLayer: layer, layerCount: 1), imageExtent: new Extent3D(width: image.Width, height: image.Height, depth: 1));
        Vk.CmdCopyImageToBuffer(Handle, image.Handle, ImageLayout.TransferSrcOptimal, buffer.Handle, 1, &region);
    }
}
