using System.Runtime.InteropServices;
using Stage.Vulkan;
using Silk.NET.Vulkan;

namespace Stage.Windowing.Outputs;

/// <summary>
/// The overlay's text: <see cref="Lines"/> lines of <see cref="Columns"/> characters, written in place
/// each frame (no strings needed: spans and <c>TryFormat</c> write straight into the lines).
/// </summary>
public sealed class OverlayText
{
    /// <summary>Characters per line.</summary>
    public const int Columns = 72;

    /// <summary>Lines.</summary>
    public const int Lines = 4;

    private readonly char[] _chars = new char[Columns * Lines];

    /// <summary>Line <paramref name="index"/>, to write into (padded with spaces by <see cref="SetLine"/>).</summary>
    public Span<char> Line(int index) => _chars.AsSpan(index * Columns, Columns);

    /// <summary>Every character, line after line.</summary>
    public ReadOnlySpan<char> All => _chars;

    /// <summary>Writes <paramref name="text"/> into line <paramref name="index"/> (cut at the width, padded with spaces).</summary>
    public void SetLine(int index, ReadOnlySpan<char> text)
    {
        Span<char> line = Line(index);
        int n = Math.Min(text.Length, Columns);
        text[..n].CopyTo(line);
        line[n..].Fill(' ');
    }
}

/// <summary>
/// Draws <see cref="OverlayText"/> over a swapchain image on the GPU (shaders/overlay.*): a translucent
/// box at the top-left with the text in a 3 × 5 pixel font scaled to the image. Host-visible text buffers
/// in turn (more than frames in flight), so writing a frame's text never races the GPU reading an earlier one.
/// </summary>
public sealed class StatusOverlay : ISwapchainOverlay, IDisposable
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Push
    {
        public float TargetWidthPx, TargetHeightPx, OriginXPx, OriginYPx, ScalePx;
        public uint Columns, Lines, Padding;
    }

    private readonly GpuDescriptorSetLayout _layout;
    private readonly GpuDescriptorPool _pool;
    private readonly GpuGraphicsPipeline _pipeline;
    /// <summary>Text buffers in turn: more than frames in flight, so a frame's text is never rewritten while the GPU may read it.</summary>
    private const int Slots = 4;

    private readonly GpuBuffer[] _text = new GpuBuffer[Slots];
    private readonly GpuDescriptorSet[] _sets = new GpuDescriptorSet[Slots];
    private readonly byte[] _upload = new byte[OverlayText.Columns * OverlayText.Lines * 4];

    /// <summary>Builds the pipeline for images of <paramref name="targetFormat"/>.</summary>
    public StatusOverlay(GpuDevice device, Format targetFormat)
    {
        ArgumentNullException.ThrowIfNull(device);
        _layout = new GpuDescriptorSetLayout(device, new GpuDescriptorBinding(0, DescriptorType.StorageBuffer, ShaderStageFlags.FragmentBit));
        _pool = new GpuDescriptorPool(device, Slots, _layout);
        _pipeline = new GpuGraphicsPipeline(device, new GpuGraphicsPipelineDesc
        {
            VertexSpirv = GpuShaders.Load("overlay.vert"),
            FragmentSpirv = GpuShaders.Load("overlay.frag"),
            ColorFormat = targetFormat,
            PushConstantBytes = (uint)Marshal.SizeOf<Push>(),
            DescriptorSetLayouts = [_layout],
            AlphaBlend = true,
        });
        for (int i = 0; i < Slots; i++)
        {
            _text[i] = new GpuBuffer(device, (ulong)_upload.Length, BufferUsageFlags.StorageBufferBit, GpuMemoryUse.Upload);
            _sets[i] = _pool.Allocate(_layout);
            _sets[i].WriteBuffer(0, DescriptorType.StorageBuffer, _text[i]);
        }
    }

    /// <summary>Screen pixels per font pixel for a target: 2 up to 1280 wide, then one more per 640 pixels.</summary>
    public static int ScaleFor(uint targetWidthPx) => Math.Max(1, 2 + (int)(Math.Max(0, (int)targetWidthPx - 1280) / 640));

    /// <inheritdoc/>
    public void Record(GpuCommandBuffer commands, GpuImage target, int slot, object state)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(target);
        if (state is not OverlayText text) return;
        ReadOnlySpan<char> chars = text.All;
        for (int i = 0; i < chars.Length; i++)
        {
            char c = char.ToUpperInvariant(chars[i]);
            BitConverter.TryWriteBytes(_upload.AsSpan(i * 4), (uint)(c is >= ' ' and < '`' ? c : '?'));
        }
        // The slot's previous frame has completed (frames in flight are fewer than the slots), so its buffer is free.
        _text[slot].Write(_upload);
        commands.BeginRenderingOver(target);
        commands.BindPipeline(_pipeline, target.Width, target.Height);
        commands.BindDescriptorSets(_pipeline, 0, _sets[slot]);
        int scale = ScaleFor(target.Width);
        commands.PushConstants(_pipeline, new Push
        {
            TargetWidthPx = target.Width,
            TargetHeightPx = target.Height,
            OriginXPx = scale * 2,
            OriginYPx = scale * 2,
            ScalePx = scale,
            Columns = OverlayText.Columns,
            Lines = OverlayText.Lines,
        });
        commands.Draw(6);
        commands.EndRendering();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (GpuBuffer buffer in _text) buffer?.Dispose();
        _pipeline.Dispose();
        _pool.Dispose();
        _layout.Dispose();
    }
}
