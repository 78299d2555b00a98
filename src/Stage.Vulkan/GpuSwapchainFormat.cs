namespace Stage.Vulkan;

/// <summary>What a window's canvas holds, so that its swapchain can show it without changing a code value.</summary>
public sealed record GpuSwapchainFormatRequest
{
    /// <summary>
    /// True when the canvas holds the output's code values in a UNORM image (10 bits and deeper, any transfer): the swapchain
    /// must be UNORM too (an *_SRGB one would sRGB-encode them a second time). False: an 8-bit sRGB canvas, shown through an
    /// *_SRGB swapchain (the blit decodes and encodes again, keeping every value).
    /// </summary>
    public bool CodeValues { get; init; }

    /// <summary>The output's bit depth: 10 or more asks for a 10-bit swapchain where the surface offers one.</summary>
    public int BitDepth { get; init; } = 8;

    /// <summary>The output's transfer is PQ (SMPTE ST 2084): the HDR10 colour space is asked for where offered.</summary>
    public bool Pq { get; init; }

    /// <summary>The instance has VK_EXT_swapchain_colorspace enabled (without it only SRGB_NONLINEAR exists).</summary>
    public bool ColourSpaceExtension { get; init; }

    /// <summary>What an 8-bit sRGB canvas asks for (the default before output colour was declared).</summary>
    public static GpuSwapchainFormatRequest Srgb8 { get; } = new();
}

/// <summary>The format and colour space chosen for a swapchain, and why (the run's start lines and summary print it).</summary>
/// <param name="Format">The images' format.</param>
/// <param name="ColorSpace">The colour space the display is told the images are in.</param>
/// <param name="Reason">Why, in words ("PQ code values in a plain 10-bit swapchain: the display offers no HDR10").</param>
/// <param name="Warning">True when the choice loses something the output asked for (fewer bits than the canvas holds).</param>
public sealed record GpuSwapchainFormat(Format Format, ColorSpaceKHR ColorSpace, string Reason, bool Warning)
{
    /// <summary>"A2B10G10R10_UNORM, HDR10_ST2084: …" — the format and colour space in Vulkan's own words, and the reason.</summary>
    public override string ToString() => $"{FormatName(Format)}, {ColorSpaceName(ColorSpace)}: {Reason}";

    /// <summary>The 10-bit UNORM formats a swapchain may have, in preference order.</summary>
    private static readonly Format[] TenBit = [Format.A2B10G10R10UnormPack32, Format.A2R10G10B10UnormPack32];

    /// <summary>The 8-bit UNORM formats, in preference order.</summary>
    private static readonly Format[] EightBitUnorm = [Format.B8G8R8A8Unorm, Format.R8G8B8A8Unorm, Format.A8B8G8R8UnormPack32];

    /// <summary>The 8-bit sRGB formats, in preference order.</summary>
    private static readonly Format[] EightBitSrgb = [Format.B8G8R8A8Srgb, Format.R8G8B8A8Srgb, Format.A8B8G8R8SrgbPack32];

    /// <summary>
    /// Chooses from what the surface <paramref name="offered"/> (vkGetPhysicalDeviceSurfaceFormatsKHR's list) for
    /// <paramref name="request"/>: a pure function, so that every case is tested without a display.
    /// <list type="bullet">
    /// <item>PQ, with VK_EXT_swapchain_colorspace and a 10-bit format offered in HDR10_ST2084: HDR10 (the display decodes PQ).</item>
    /// <item>Code values at 10 bits or more: a 10-bit UNORM format in SRGB_NONLINEAR (the codes pass untouched, as an LED
    /// processor set to HDR over HDMI / DisplayPort / SDI receives them); else 8-bit UNORM, with a warning.</item>
    /// <item>An 8-bit sRGB canvas: an *_SRGB format in SRGB_NONLINEAR.</item>
    /// </list>
    /// </summary>
    /// <exception cref="GpuUnavailableException">Nothing offered can show the canvas without changing its values.</exception>
    /// <param name="offered">The surface's formats and colour spaces.</param>
    /// <param name="request">What the canvas holds.</param>
    /// <param name="reachable">Whether the canvas can reach an image of a format: the device can blit into it
    /// (<c>vkCmdBlitImage</c>) or draw into it (a colour attachment: the compose pass or the window's copy pass); a
    /// format it can do neither with is passed over. Null: every format can.</param>
    public static GpuSwapchainFormat Choose(IReadOnlyList<SurfaceFormatKHR> offered, GpuSwapchainFormatRequest request, Func<Format, bool>? reachable = null)
    {
        ArgumentNullException.ThrowIfNull(offered);
        ArgumentNullException.ThrowIfNull(request);
        if (offered.Count == 0) throw new GpuUnavailableException("the surface offers no format");
        var usable = reachable is null ? offered : offered.Where(f => reachable(f.Format)).ToList();
        if (usable.Count == 0)
            throw new GpuUnavailableException($"the device can neither blit nor draw into any format the surface offers ({List(offered)}): no swapchain can show the canvas");
        offered = usable;
        const ColorSpaceKHR srgb = ColorSpaceKHR.SpaceSrgbNonlinearKhr;
        if (!request.CodeValues)
        {
            if (Find(offered, EightBitSrgb, srgb) is { } s) return new(s, srgb, "8-bit sRGB canvas", false);
            throw new GpuUnavailableException($"the surface offers no 8-bit sRGB format (that the device can blit or draw into) for an 8-bit canvas (offered: {List(offered)})");
        }
        string noHdr = !request.ColourSpaceExtension
            ? "the Vulkan loader offers no VK_EXT_swapchain_colorspace"
            : "the display offers no HDR10 (ST 2084) colour space";
        if (request.Pq && request.ColourSpaceExtension && Find(offered, TenBit, ColorSpaceKHR.SpaceHdr10ST2084Ext) is { } hdr)
            return new(hdr, ColorSpaceKHR.SpaceHdr10ST2084Ext, "HDR10: the display decodes the PQ code values (Rec.2020 primaries as BT.2100 defines)", false);
        string what = request.Pq ? "PQ code values" : "code values";
        if (request.BitDepth >= 10 && Find(offered, TenBit, srgb) is { } ten)
            return new(ten, srgb, request.Pq ? $"{what} in a plain 10-bit swapchain: {noHdr}" : $"{request.BitDepth}-bit {what} in a 10-bit UNORM swapchain", false);
        if (Find(offered, EightBitUnorm, srgb) is { } eight)
        {
            if (request.BitDepth >= 10)
                return new(eight, srgb, $"{what} cut to 8 bits: the surface offers no 10-bit format{(request.Pq ? $", and {noHdr}" : "")}", true);
            return new(eight, srgb, $"8-bit {what} in a UNORM swapchain", false);
        }
        throw new GpuUnavailableException($"the surface offers no UNORM format (that the device can blit or draw into) to show code values untouched (an sRGB format would encode them again; offered: {List(offered)})");
    }

    /// <summary>"B8G8R8A8_SRGB / SRGB_NONLINEAR, …": a surface's offer as Vulkan names it (<c>stage gpu info</c>).</summary>
    public static string List(IEnumerable<SurfaceFormatKHR> offered) =>
        string.Join(", ", offered.Select(f => $"{FormatName(f.Format)} / {ColorSpaceName(f.ColorSpace)}"));

    /// <summary>A format as the Vulkan specification spells it without VK_FORMAT_ ("A2B10G10R10_UNORM_PACK32").</summary>
    public static string FormatName(Format format) => format switch
    {
        Format.A2B10G10R10UnormPack32 => "A2B10G10R10_UNORM_PACK32",
        Format.A2R10G10B10UnormPack32 => "A2R10G10B10_UNORM_PACK32",
        Format.B8G8R8A8Unorm => "B8G8R8A8_UNORM",
        Format.B8G8R8A8Srgb => "B8G8R8A8_SRGB",
        Format.R8G8B8A8Unorm => "R8G8B8A8_UNORM",
        Format.R8G8B8A8Srgb => "R8G8B8A8_SRGB",
        Format.A8B8G8R8UnormPack32 => "A8B8G8R8_UNORM_PACK32",
        Format.A8B8G8R8SrgbPack32 => "A8B8G8R8_SRGB_PACK32",
        Format.R16G16B16A16Sfloat => "R16G16B16A16_SFLOAT",
        Format.R16G16B16A16Unorm => "R16G16B16A16_UNORM",
        Format.R5G6B5UnormPack16 => "R5G6B5_UNORM_PACK16",
        _ => format.ToString(),
    };

    /// <summary>A colour space as the Vulkan specification spells it without VK_COLOR_SPACE_ ("HDR10_ST2084_EXT").</summary>
    public static string ColorSpaceName(ColorSpaceKHR space) => space switch
    {
        ColorSpaceKHR.SpaceSrgbNonlinearKhr => "SRGB_NONLINEAR",
        ColorSpaceKHR.SpaceHdr10ST2084Ext => "HDR10_ST2084",
        ColorSpaceKHR.SpaceHdr10HlgExt => "HDR10_HLG",
        ColorSpaceKHR.SpaceExtendedSrgbLinearExt => "EXTENDED_SRGB_LINEAR",
        ColorSpaceKHR.SpaceDisplayP3NonlinearExt => "DISPLAY_P3_NONLINEAR",
        ColorSpaceKHR.SpaceBT2020LinearExt => "BT2020_LINEAR",
        ColorSpaceKHR.SpacePassThroughExt => "PASS_THROUGH",
        _ => space.ToString(),
    };

    private static Format? Find(IReadOnlyList<SurfaceFormatKHR> offered, Format[] wanted, ColorSpaceKHR space)
    {
        foreach (Format format in wanted)
            foreach (SurfaceFormatKHR f in offered)
                if (f.Format == format && f.ColorSpace == space) return format;
        return null;
    }
}
