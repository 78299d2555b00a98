using System.Numerics;

namespace Stage.Hosting.DemoWorld;

/// <summary>A glTF metallic-roughness material of the demo world; textures are PNG bytes (null: none, the factors alone).</summary>
internal sealed record DemoMaterial(string Name)
{
    /// <summary>Linear RGBA base colour factor.</summary>
    public Vector4 BaseColor { get; init; } = Vector4.One;

    /// <summary>Metallic factor.</summary>
    public float Metallic { get; init; }

    /// <summary>Roughness factor.</summary>
    public float Roughness { get; init; } = 1;

    /// <summary>Linear emissive factor (cd/m² in the working space's units).</summary>
    public Vector3 Emissive { get; init; }

    /// <summary>sRGB base colour (RGB) and alpha (A) texture.</summary>
    public byte[]? BaseColorPng { get; init; }

    /// <summary>Metallic (B) and roughness (G) texture, linear.</summary>
    public byte[]? MetallicRoughnessPng { get; init; }

    /// <summary>Tangent-space normal map, linear.</summary>
    public byte[]? NormalPng { get; init; }

    /// <summary>sRGB emissive texture (multiplied by <see cref="Emissive"/>).</summary>
    public byte[]? EmissivePng { get; init; }

    /// <summary>Alpha mask: fragments whose alpha is below <see cref="AlphaCutoff"/> are discarded.</summary>
    public bool Mask { get; init; }

    /// <summary>Alpha blend (translucent glass).</summary>
    public bool Blend { get; init; }

    /// <summary>The mask's cutoff.</summary>
    public float AlphaCutoff { get; init; } = 0.5f;

    /// <summary>Both faces drawn and lit.</summary>
    public bool DoubleSided { get; init; }
}
