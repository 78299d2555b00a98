using Stage.Render.Meshes;
using Stage.Vulkan;
using Silk.NET.Vulkan;
using StbImageSharp;

namespace Stage.Render.Scene;

/// <summary>
/// Material textures on the GPU, uploaded once and shared: keyed by the asset file, the image's index in it and
/// whether it is read as colour (R8G8B8A8_SRGB: the sampler decodes to linear) or as data (R8G8B8A8_UNORM: normal,
/// metallic-roughness, occlusion). PNG and JPEG are decoded by StbImageSharp; the full mip chain is generated on the
/// GPU (vkCmdBlitImage, linear — in the sRGB format the blit filters linear light). Samplers are shared per glTF
/// sampler, trilinear, with anisotropy where the device offers it (<see cref="MaxAnisotropy"/>).
/// A bad image (missing bytes, undecodable, not PNG or JPEG) is one logged fault and the neutral texture —
/// white, or the flat normal (0.5, 0.5, 1) for a normal map — so the material's factors alone apply; the frame goes on.
/// </summary>
public sealed class TextureCache : IDisposable
{
    /// <summary>The anisotropy asked of every material sampler (clamped to the device's limit; off where not offered).</summary>
    public const float MaxAnisotropy = 16;

    private readonly GpuDevice _device;
    private readonly Action<string>? _log;
    private readonly Dictionary<(string Source, int Image, bool Srgb), GpuImage> _images = [];
    private readonly Dictionary<TextureSampling, GpuSampler> _samplers = [];
    private readonly List<string> _faults = [];
    private bool _disposed;

    /// <summary>Creates the cache and its neutral textures.</summary>
    public TextureCache(GpuDevice device, Action<string>? log)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        _log = log;
        White = Upload([255, 255, 255, 255], 1, 1, srgb: false);
        FlatNormal = Upload([128, 128, 255, 255], 1, 1, srgb: false);
        DefaultSampler = SamplerFor(TextureSampling.Default);
        Uploads = 0; // the neutral textures are not counted
        UploadedBytes = 0;
    }

    /// <summary>1 × 1 white (linear): where a material has no texture, or its texture is bad.</summary>
    public GpuImage White { get; }

    /// <summary>1 × 1 (0.5, 0.5, 1): the flat tangent-space normal.</summary>
    public GpuImage FlatNormal { get; }

    /// <summary>glTF's default sampler (repeat, trilinear).</summary>
    public GpuSampler DefaultSampler { get; }

    /// <summary>Images decoded and uploaded so far (each file and image once per colour space, however many materials use it).</summary>
    public int Uploads { get; private set; }

    /// <summary>Bytes of texture memory those uploads hold, mip chains included (before the allocator's alignment).</summary>
    public long UploadedBytes { get; private set; }

    /// <summary>One line per image that could not be used (named with its file and place, and why).</summary>
    public IReadOnlyList<string> Faults => _faults;

    /// <summary>The GPU image of <paramref name="texture"/>, decoding and uploading it the first time; the neutral texture when it is bad.</summary>
    public GpuImage ImageFor(MaterialTexture texture, bool srgb, bool normalMap)
    {
        ArgumentNullException.ThrowIfNull(texture);
        ObjectDisposedException.ThrowIf(_disposed, this);
        TextureImage image = texture.Image;
        var key = (image.SourceName, image.ImageIndex, srgb);
        if (_images.TryGetValue(key, out GpuImage? known)) return known;
        GpuImage result;
        try
        {
            if (image.Encoded.IsEmpty) throw new InvalidDataException("the asset holds no bytes for it");
            ImageResult decoded = ImageResult.FromMemory(image.Encoded.ToArray(), ColorComponents.RedGreenBlueAlpha);
            if (decoded.Width <= 0 || decoded.Height <= 0 || decoded.Data is null || decoded.Data.Length < decoded.Width * decoded.Height * 4)
                throw new InvalidDataException($"decoded to {decoded.Width} × {decoded.Height} without pixels");
            result = Upload(decoded.Data, decoded.Width, decoded.Height, srgb);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or VulkanException or ObjectDisposedException))
        {
            string line = $"{image.Place}: the texture is not used ({ex.Message}); drawn with a neutral texture";
            _faults.Add(line);
            _log?.Invoke(line);
            result = normalMap ? FlatNormal : White;
        }
        _images.Add(key, result);
        return result;
    }

    /// <summary>The shared sampler for a glTF sampler.</summary>
    public GpuSampler SamplerFor(TextureSampling sampling)
    {
        if (_samplers.TryGetValue(sampling, out GpuSampler? sampler)) return sampler;
        static SamplerAddressMode Mode(TextureWrap wrap) => wrap switch
        {
            TextureWrap.ClampToEdge => SamplerAddressMode.ClampToEdge,
            TextureWrap.MirroredRepeat => SamplerAddressMode.MirroredRepeat,
            _ => SamplerAddressMode.Repeat,
        };
        sampler = new GpuSampler(_device, new GpuSamplerDesc
        {
            Filter = sampling.Linear ? Filter.Linear : Filter.Nearest,
            AddressMode = Mode(sampling.WrapU),
            AddressModeV = Mode(sampling.WrapV),
            MipmapMode = SamplerMipmapMode.Linear,
            MaxLod = sampling.Mipmapped ? Vk.LodClampNone : 0,
            MaxAnisotropy = sampling.Mipmapped && sampling.Linear ? MaxAnisotropy : 0,
        });
        _samplers.Add(sampling, sampler);
        return sampler;
    }

    private GpuImage Upload(byte[] rgba, int width, int height, bool srgb)
    {
        uint w = (uint)width, h = (uint)height;
        uint levels = GpuImage.FullMipChain(w, h);
        var image = new GpuImage(_device, w, h, srgb ? Format.R8G8B8A8Srgb : Format.R8G8B8A8Unorm,
            ImageUsageFlags.SampledBit | ImageUsageFlags.TransferDstBit | ImageUsageFlags.TransferSrcBit, mipLevels: levels);
        using var staging = new GpuBuffer(_device, (ulong)(width * height * 4), BufferUsageFlags.TransferSrcBit, GpuMemoryUse.Upload);
        staging.Write(rgba.AsSpan(0, width * height * 4));
        using var pool = new GpuCommandPool(_device);
        GpuCommandBuffer cmd = pool.Allocate();
        cmd.Begin();
        cmd.Barrier(image, ImageLayout.Undefined, ImageLayout.TransferDstOptimal, PipelineStageFlags2.None, AccessFlags2.None,
            PipelineStageFlags2.AllTransferBit, AccessFlags2.TransferWriteBit);
        cmd.CopyBufferToImage(staging, image);
        cmd.GenerateMipmaps(image);
        cmd.End();
        _device.Wait(_device.Submit(cmd));
        Uploads++;
        long bytes = 0;
        for (uint l = 0; l < levels; l++) bytes += (long)Math.Max(1, w >> (int)l) * Math.Max(1, h >> (int)l) * 4;
        UploadedBytes += bytes;
        return image;
    }

    /// <summary>Retires every image and sampler.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var seen = new HashSet<GpuImage>(ReferenceEqualityComparer.Instance) { White, FlatNormal };
        foreach (GpuImage image in _images.Values) if (seen.Add(image)) image.Dispose();
        White.Dispose();
        FlatNormal.Dispose();
        foreach (GpuSampler sampler in _samplers.Values) sampler.Dispose();
    }
}
