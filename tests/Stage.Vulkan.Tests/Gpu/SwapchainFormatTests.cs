using Silk.NET.Vulkan;
using Stage.Vulkan;

namespace Stage.Vulkan.Tests.Gpu;

/// <summary>
/// The swapchain's format and colour space from what a surface offers (GpuSwapchainFormat.Choose, a pure function):
/// code values never pass through an sRGB format, 10 bits where offered, HDR10 for PQ where the display and the loader allow.
/// </summary>
public sealed class SwapchainFormatTests
{
    private const ColorSpaceKHR Srgb = ColorSpaceKHR.SpaceSrgbNonlinearKhr;
    private const ColorSpaceKHR Hdr10 = ColorSpaceKHR.SpaceHdr10ST2084Ext;

    private static SurfaceFormatKHR F(Format format, ColorSpaceKHR space = Srgb) => new(format, space);

    // What lavapipe's X11 surface offers at depth 24, and what an HDR10 monitor's driver typically adds.
    private static readonly SurfaceFormatKHR[] EightBitOnly = [F(Format.B8G8R8A8Srgb), F(Format.B8G8R8A8Unorm)];
    private static readonly SurfaceFormatKHR[] TenBit = [F(Format.B8G8R8A8Srgb), F(Format.B8G8R8A8Unorm), F(Format.A2R10G10B10UnormPack32), F(Format.A2B10G10R10UnormPack32)];
    private static readonly SurfaceFormatKHR[] Hdr10Display = [.. TenBit, F(Format.A2B10G10R10UnormPack32, Hdr10), F(Format.R16G16B16A16Sfloat, ColorSpaceKHR.SpaceExtendedSrgbLinearExt)];

    private static readonly GpuSwapchainFormatRequest Pq10 = new() { CodeValues = true, BitDepth = 10, Pq = true, ColourSpaceExtension = true };

    [Fact]
    public void An_8_bit_srgb_canvas_gets_an_srgb_format()
    {
        GpuSwapchainFormat chosen = GpuSwapchainFormat.Choose(Hdr10Display, GpuSwapchainFormatRequest.Srgb8);
        Assert.Equal((Format.B8G8R8A8Srgb, Srgb, false), (chosen.Format, chosen.ColorSpace, chosen.Warning));
        Assert.Equal(Format.R8G8B8A8Srgb, GpuSwapchainFormat.Choose([F(Format.R8G8B8A8Unorm), F(Format.R8G8B8A8Srgb)], GpuSwapchainFormatRequest.Srgb8).Format);
    }

    [Fact]
    public void Pq_on_an_hdr10_display_is_hdr10()
    {
        GpuSwapchainFormat chosen = GpuSwapchainFormat.Choose(Hdr10Display, Pq10);
        Assert.Equal((Format.A2B10G10R10UnormPack32, Hdr10, false), (chosen.Format, chosen.ColorSpace, chosen.Warning));
        Assert.Equal("A2B10G10R10_UNORM_PACK32, HDR10_ST2084: HDR10: the display decodes the PQ code values (Rec.2020 primaries as BT.2100 defines)", chosen.ToString());
    }

    [Fact]
    public void Pq_without_the_loader_extension_is_plain_10_bit_even_on_an_hdr10_display()
    {
        GpuSwapchainFormat chosen = GpuSwapchainFormat.Choose(Hdr10Display, Pq10 with { ColourSpaceExtension = false });
        Assert.Equal((Format.A2B10G10R10UnormPack32, Srgb), (chosen.Format, chosen.ColorSpace));
        Assert.Contains("VK_EXT_swapchain_colorspace", chosen.Reason);
    }

    [Fact]
    public void Pq_on_a_10_bit_display_without_hdr10_is_code_values_in_a_plain_10_bit_swapchain()
    {
        GpuSwapchainFormat chosen = GpuSwapchainFormat.Choose(TenBit, Pq10);
        Assert.Equal((Format.A2B10G10R10UnormPack32, Srgb, false), (chosen.Format, chosen.ColorSpace, chosen.Warning));
        Assert.Equal("A2B10G10R10_UNORM_PACK32, SRGB_NONLINEAR: PQ code values in a plain 10-bit swapchain: the display offers no HDR10 (ST 2084) colour space", chosen.ToString());
        // Only the other 10-bit order offered: that one.
        Assert.Equal(Format.A2R10G10B10UnormPack32, GpuSwapchainFormat.Choose([F(Format.B8G8R8A8Srgb), F(Format.A2R10G10B10UnormPack32)], Pq10).Format);
    }

    [Fact]
    public void Pq_on_an_8_bit_display_is_8_bit_unorm_with_a_warning_never_srgb()
    {
        GpuSwapchainFormat chosen = GpuSwapchainFormat.Choose(EightBitOnly, Pq10);
        Assert.Equal((Format.B8G8R8A8Unorm, Srgb, true), (chosen.Format, chosen.ColorSpace, chosen.Warning));
        Assert.Contains("cut to 8 bits", chosen.Reason);
    }

    [Fact]
    public void Deep_non_pq_code_values_take_10_bits_and_never_hdr10()
    {
        var linear12 = new GpuSwapchainFormatRequest { CodeValues = true, BitDepth = 12, ColourSpaceExtension = true };
        GpuSwapchainFormat chosen = GpuSwapchainFormat.Choose(Hdr10Display, linear12);
        Assert.Equal((Format.A2B10G10R10UnormPack32, Srgb, false), (chosen.Format, chosen.ColorSpace, chosen.Warning));
        // 8-bit code values (e.g. BT.1886 at 8 bits in a UNORM canvas) stay 8-bit UNORM with no warning.
        GpuSwapchainFormat eight = GpuSwapchainFormat.Choose(TenBit, new GpuSwapchainFormatRequest { CodeValues = true, BitDepth = 8 });
        Assert.Equal((Format.B8G8R8A8Unorm, false), (eight.Format, eight.Warning));
    }

    [Fact]
    public void Nothing_that_keeps_the_values_is_refused_naming_what_was_offered()
    {
        var e = Assert.Throws<GpuUnavailableException>(() => GpuSwapchainFormat.Choose([F(Format.B8G8R8A8Srgb)], Pq10));
        Assert.Contains("no UNORM format", e.Message);
        Assert.Contains("B8G8R8A8_SRGB / SRGB_NONLINEAR", e.Message);
        Assert.Throws<GpuUnavailableException>(() => GpuSwapchainFormat.Choose([F(Format.B8G8R8A8Unorm)], GpuSwapchainFormatRequest.Srgb8));
        Assert.Throws<GpuUnavailableException>(() => GpuSwapchainFormat.Choose([], Pq10));
    }

    [Fact]
    public void Formats_the_canvas_cannot_reach_are_passed_over()
    {
        // A format the device can neither blit nor draw into (the predicate says no).
        SurfaceFormatKHR[] offered = [F(Format.A2R10G10B10UnormPack32), F(Format.B8G8R8A8Unorm), F(Format.B8G8R8A8Srgb)];
        GpuSwapchainFormat chosen = GpuSwapchainFormat.Choose(offered, Pq10, f => f != Format.A2R10G10B10UnormPack32);
        Assert.Equal((Format.B8G8R8A8Unorm, true), (chosen.Format, chosen.Warning));
        var e = Assert.Throws<GpuUnavailableException>(() => GpuSwapchainFormat.Choose([F(Format.A2R10G10B10UnormPack32)], Pq10, f => f != Format.A2R10G10B10UnormPack32));
        Assert.Contains("can neither blit nor draw into any format the surface offers (A2R10G10B10_UNORM_PACK32 / SRGB_NONLINEAR)", e.Message);
    }
}
