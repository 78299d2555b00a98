using System.Numerics;

namespace Stage.Render.Meshes;

/// <summary>How a material's alpha is used (glTF <c>alphaMode</c>).</summary>
public enum MaterialAlphaMode
{
    /// <summary>Alpha ignored; the surface is fully opaque.</summary>
    Opaque,
    /// <summary>Alpha below <see cref="MeshMaterial.AlphaCutoff"/> discards the fragment; the rest is opaque.</summary>
    Mask,
    /// <summary>Alpha blended over what is behind it; such submeshes are drawn after the opaque ones, farthest first.</summary>
    Blend,
}

/// <summary>
/// The encoded bytes of one image of a glTF asset (PNG or JPEG), identified by the file and the image's index
/// so that the renderer decodes and uploads it once however many materials, meshes or items use it.
/// </summary>
/// <param name="SourceName">The asset file it belongs to (full path when loaded from disk).</param>
/// <param name="ImageIndex">Index in the asset's <c>images</c> array.</param>
/// <param name="Name">The image's name or URI, for messages.</param>
/// <param name="Encoded">The PNG or JPEG file bytes (empty when the asset's image could not be read; the renderer logs it and draws a neutral texture).</param>
public sealed record TextureImage(string SourceName, int ImageIndex, string Name, ReadOnlyMemory<byte> Encoded)
{
    /// <summary>Where the image is, for messages: <c>file: images[3] (name)</c>.</summary>
    public string Place => $"{SourceName}: images[{ImageIndex}] ({Name})";
}

/// <summary>glTF sampler wrap mode of one axis.</summary>
public enum TextureWrap
{
    /// <summary>REPEAT (10497), glTF's default.</summary>
    Repeat,
    /// <summary>CLAMP_TO_EDGE (33071).</summary>
    ClampToEdge,
    /// <summary>MIRRORED_REPEAT (33648).</summary>
    MirroredRepeat,
}

/// <summary>How a texture is filtered and wrapped (a glTF sampler). Mipmaps are always generated; <paramref name="Mipmapped"/> false samples level 0 only.</summary>
/// <param name="WrapU">Wrap along u (glTF wrapS).</param>
/// <param name="WrapV">Wrap along v (glTF wrapT).</param>
/// <param name="Linear">Linear magnification and minification (false: nearest).</param>
/// <param name="Mipmapped">Minification uses the mip chain (glTF min filters *_MIPMAP_* or unset).</param>
public readonly record struct TextureSampling(TextureWrap WrapU, TextureWrap WrapV, bool Linear, bool Mipmapped)
{
    /// <summary>glTF's defaults: repeat, linear, trilinear mipmaps.</summary>
    public static TextureSampling Default => new(TextureWrap.Repeat, TextureWrap.Repeat, true, true);
}

/// <summary>
/// A texture as a material uses it: the image, which UV set (0 or 1), the sampler, and the
/// <c>KHR_texture_transform</c> applied to the UVs (uv' = M · (u, v, 1), identity when absent).
/// </summary>
/// <param name="Image">The image.</param>
/// <param name="TexCoord">UV set: 0 (TEXCOORD_0) or 1 (TEXCOORD_1).</param>
/// <param name="Sampling">Wrap and filter.</param>
/// <param name="UvTransform">glTF KHR_texture_transform as a 3 × 2 matrix, System.Numerics row-vector form: uv' = (u, v) · M + M.Translation.</param>
public sealed record MaterialTexture(TextureImage Image, int TexCoord, TextureSampling Sampling, Matrix3x2 UvTransform);

/// <summary>
/// A glTF 2.0 metallic-roughness material: factors, textures, alpha mode. Every texture is optional;
/// without it the factor alone applies (glTF's rule: texture × factor).
/// </summary>
public sealed record MeshMaterial
{
    /// <summary>White, dielectric, fully rough, opaque: what glTF draws for a primitive without a material.</summary>
    public static MeshMaterial Default { get; } = new();

    /// <summary>The material's name, if any.</summary>
    public string? Name { get; init; }

    /// <summary>Base colour factor, linear RGBA.</summary>
    public Vector4 BaseColorFactor { get; init; } = Vector4.One;

    /// <summary>Metalness 0..1.</summary>
    public float MetallicFactor { get; init; } = 1;

    /// <summary>Perceptual roughness 0..1.</summary>
    public float RoughnessFactor { get; init; } = 1;

    /// <summary>Emissive colour, linear RGB, times <see cref="EmissiveStrength"/> (KHR_materials_emissive_strength; 1 without it).</summary>
    public Vector3 EmissiveFactor { get; init; }

    /// <summary>Multiplier of the emissive colour (KHR_materials_emissive_strength).</summary>
    public float EmissiveStrength { get; init; } = 1;

    /// <summary>Scale of the normal map's x and y (normalTexture.scale).</summary>
    public float NormalScale { get; init; } = 1;

    /// <summary>How much the occlusion texture darkens indirect light (occlusionTexture.strength).</summary>
    public float OcclusionStrength { get; init; } = 1;

    /// <summary>Alpha mode.</summary>
    public MaterialAlphaMode AlphaMode { get; init; } = MaterialAlphaMode.Opaque;

    /// <summary>Alpha below which a <see cref="MaterialAlphaMode.Mask"/> fragment is discarded.</summary>
    public float AlphaCutoff { get; init; } = 0.5f;

    /// <summary>Both sides lit (the back face's normal flipped); the scene pipelines never cull.</summary>
    public bool DoubleSided { get; init; }

    /// <summary>Base colour texture (sRGB).</summary>
    public MaterialTexture? BaseColorTexture { get; init; }

    /// <summary>Metallic (B) and roughness (G) texture (linear).</summary>
    public MaterialTexture? MetallicRoughnessTexture { get; init; }

    /// <summary>Tangent-space normal map (linear).</summary>
    public MaterialTexture? NormalTexture { get; init; }

    /// <summary>Ambient occlusion (R, linear).</summary>
    public MaterialTexture? OcclusionTexture { get; init; }

    /// <summary>Emissive texture (sRGB).</summary>
    public MaterialTexture? EmissiveTexture { get; init; }

    /// <summary>Every texture the material uses, with whether it holds colour (sRGB) or data (linear).</summary>
    public IEnumerable<(MaterialTexture Texture, bool Srgb)> Textures()
    {
        if (BaseColorTexture is not null) yield return (BaseColorTexture, true);
        if (MetallicRoughnessTexture is not null) yield return (MetallicRoughnessTexture, false);
        if (NormalTexture is not null) yield return (NormalTexture, false);
        if (OcclusionTexture is not null) yield return (OcclusionTexture, false);
        if (EmissiveTexture is not null) yield return (EmissiveTexture, true);
    }
}
