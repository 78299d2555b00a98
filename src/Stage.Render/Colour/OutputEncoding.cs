using System.Numerics;
using System.Runtime.InteropServices;
using Silk.NET.Vulkan;
using Stage.Core.Colour;
using Stage.Render.Gpu;
using Stage.Vulkan;

namespace Stage.Render.Colour;

/// <summary>
/// The GPU side of one output's colour (shaders/colour.glsl, descriptor set 1): its uniform block (primaries and exposure
/// matrix, calibration, transfer parameters) and its calibration LUT as a 3D texture (one trilinear fetch), plus the specialization
/// constants its pipelines are built with. Fixed for the run; the grades, which change live, are per frame slot.
/// </summary>
public sealed class OutputEncoding : IDisposable
{
    private readonly GpuBuffer _uniforms;
    private readonly GpuImage _lut;
    private readonly GpuSampler _sampler;
    private bool _disposed;

    /// <summary>Set 1's layout: binding 0 the output's uniform block, binding 1 its LUT.</summary>
    public static GpuDescriptorSetLayout CreateLayout(GpuDevice device) => new(device,
        new GpuDescriptorBinding(0, DescriptorType.UniformBuffer, ShaderStageFlags.FragmentBit),
        new GpuDescriptorBinding(1, DescriptorType.CombinedImageSampler, ShaderStageFlags.FragmentBit));

    /// <summary>Uploads output <paramref name="outputIndex"/>'s colour into a set from <paramref name="pool"/>.</summary>
    public OutputEncoding(GpuDevice device, Primaries workingSpace, OutputColour colour, int bitDepth, int outputIndex,
        GpuDescriptorSetLayout layout, GpuDescriptorPool pool)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(colour);
        ArgumentNullException.ThrowIfNull(pool);
        Colour = colour;
        Reference = new ColourEncoder(workingSpace, colour, bitDepth);
        var block = new OutputColourUniforms
        {
            ToOutput = ToGlsl(Reference.ToOutput),
            Calibration = ToGlsl(ColourMatrix.Diagonal(colour.Calibration.GainR, colour.Calibration.GainG, colour.Calibration.GainB) * colour.Calibration.Matrix),
            Luma = new Vector4((float)Reference.LumaR, (float)Reference.LumaG, (float)Reference.LumaB, (float)Reference.HlgGamma),
            Params = new Vector4((float)colour.PeakNits, bitDepth >= 16 ? 65535f : (1 << bitDepth) - 1, 0, outputIndex),
            LutMin = Vector4.Zero,
            LutScale = Vector4.One,
        };
        _sampler = new GpuSampler(device, new GpuSamplerDesc { Filter = Filter.Linear });
        if (colour.Calibration.Lut is { } lut)
        {
            float[] lattice = lut.ToLattice(out int n);
            var texels = new ushort[n * n * n * 4];
            for (int i = 0; i < n * n * n; i++)
            {
                for (int c = 0; c < 3; c++) texels[i * 4 + c] = (ushort)Math.Round(Math.Clamp(lattice[i * 3 + c], 0f, 1f) * 65535);
                texels[i * 4 + 3] = 65535;
            }
            // Red across, green down, blue deep: the lattice's order (red fastest), so it uploads as it is.
            _lut = GpuImage.Create3D(device, (uint)n, (uint)n, (uint)n, Format.R16G16B16A16Unorm, ImageUsageFlags.SampledBit | ImageUsageFlags.TransferDstBit);
            GpuTransfers.UploadImage(device, _lut, MemoryMarshal.AsBytes(texels.AsSpan()));
            block.Params.Z = n;
            block.LutMin = new Vector4((float)lut.DomainMin.R, (float)lut.DomainMin.G, (float)lut.DomainMin.B, 0);
            block.LutScale = new Vector4((float)(1 / (lut.DomainMax.R - lut.DomainMin.R)), (float)(1 / (lut.DomainMax.G - lut.DomainMin.G)), (float)(1 / (lut.DomainMax.B - lut.DomainMin.B)), 0);
        }
        else
        {
            // A 1³ texel: the view must be 3D, as the shader declares, even where the LUT is never sampled.
            _lut = GpuImage.Create3D(device, 1, 1, 1, Format.R16G16B16A16Unorm, ImageUsageFlags.SampledBit | ImageUsageFlags.TransferDstBit);
            GpuTransfers.UploadImage(device, _lut, new byte[16]);
        }
        _uniforms = new GpuBuffer(device, (ulong)Marshal.SizeOf<OutputColourUniforms>(), BufferUsageFlags.UniformBufferBit, GpuMemoryUse.Upload);
        _uniforms.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<OutputColourUniforms>(ref block)));
        Set = pool.Allocate(layout);
        Set.WriteBuffer(0, DescriptorType.UniformBuffer, _uniforms);
        Set.WriteImage(1, _lut, _sampler);
    }

    /// <summary>The output's colour.</summary>
    public OutputColour Colour { get; }

    /// <summary>The CPU reference of this output's encoding.</summary>
    public ColourEncoder Reference { get; }

    /// <summary>The descriptor set (set 1 of the compose and encode pipelines).</summary>
    public GpuDescriptorSet Set { get; }

    /// <summary>Whether the output has a calibration LUT.</summary>
    public bool HasLut => Colour.Calibration.Lut is not null;

    /// <summary>
    /// The specialization constants of colour.glsl for a target of <paramref name="format"/>: transfer, LUT, counting, sRGB
    /// target, <paramref name="passThrough"/> (no colour work: the bench's baseline), <paramref name="graded"/> (false: every
    /// grade is the identity, and the grade's work is left out) and calibration (identity: the multiply is left out).
    /// </summary>
    public int[] Constants(Format format, bool count, bool passThrough = false, bool graded = true) =>
        [TransferCode(Colour.Transfer), HasLut ? 1 : 0, count ? 1 : 0, IsSrgb(format) ? 1 : 0, passThrough ? 1 : 0, graded ? 1 : 0, IsCalibrated ? 1 : 0];

    /// <summary>Whether the calibration matrix × gains is other than the identity (else colour.glsl leaves the multiply out).</summary>
    public bool IsCalibrated => Colour.Calibration.Matrix != ColourMatrix.Identity
        || Colour.Calibration.GainR != 1 || Colour.Calibration.GainG != 1 || Colour.Calibration.GainB != 1;

    /// <summary>Whether a format encodes to sRGB on write.</summary>
    public static bool IsSrgb(Format format) => format is Format.R8G8B8A8Srgb or Format.B8G8R8A8Srgb or Format.A8B8G8R8SrgbPack32;

    // colour.glsl's TRANSFER codes.
    private static int TransferCode(Transfer t) => t switch
    {
        Transfer.Linear => 0, Transfer.Srgb => 1, Transfer.Bt1886 => 2, Transfer.Pq => 3, Transfer.Hlg => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>A 3 × 3 colour matrix as the upper-left of a GLSL mat4 (std140 stores columns; System.Numerics rows).</summary>
    internal static Matrix4x4 ToGlsl(ColourMatrix m) => new(
        (float)m.M00, (float)m.M10, (float)m.M20, 0,
        (float)m.M01, (float)m.M11, (float)m.M21, 0,
        (float)m.M02, (float)m.M12, (float)m.M22, 0,
        0, 0, 0, 1);

    /// <summary>Retires the GPU objects (the set goes with its pool).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _uniforms.Dispose();
        _lut.Dispose();
        _sampler.Dispose();
    }
}

/// <summary>colour.glsl's OutputColour block (std140, 192 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OutputColourUniforms
{
    public Matrix4x4 ToOutput;
    public Matrix4x4 Calibration;
    public Vector4 Luma;
    public Vector4 Params;
    public Vector4 LutMin;
    public Vector4 LutScale;
}

/// <summary>One grade as colour.glsl reads it: slope.rgb + saturation, offset.rgb, power.rgb.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct GradeUniform
{
    /// <summary>Slope, saturation in w.</summary>
    public Vector4 SlopeSat;

    /// <summary>Offset.</summary>
    public Vector4 Offset;

    /// <summary>Power.</summary>
    public Vector4 Power;

    /// <summary>The block of a grade.</summary>
    public static GradeUniform From(AscCdl cdl) => new()
    {
        SlopeSat = new Vector4((float)cdl.SlopeR, (float)cdl.SlopeG, (float)cdl.SlopeB, (float)cdl.Saturation),
        Offset = new Vector4((float)cdl.OffsetR, (float)cdl.OffsetG, (float)cdl.OffsetB, 0),
        Power = new Vector4((float)cdl.PowerR, (float)cdl.PowerG, (float)cdl.PowerB, 0),
    };
}

/// <summary>Pixels of one output in one frame whose light fell outside its primaries or above its peak (before the grade's clamps).</summary>
/// <param name="OutOfGamutPixels">Pixels with a negative channel in the output's primaries.</param>
/// <param name="OverPeakPixels">Pixels with a channel above the output's peak (clipped).</param>
public readonly record struct ColourCounts(long OutOfGamutPixels, long OverPeakPixels);
