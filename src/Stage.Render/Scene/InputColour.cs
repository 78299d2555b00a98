using System.Numerics;
using Stage.Core.Colour;

namespace Stage.Render.Scene;

/// <summary>
/// What the world gives the renderer — glTF base colour and emissive factors and textures, vertex colours and tints,
/// the sun's colour, the uniform ambient and background, Radiance environment images and the physical sky — is
/// Rec.709-referred light (glTF's, sRGB's and the sky model's primaries). The renderer works in the configuration's
/// working space (<c>render.workingSpace</c>), so under another one (ACEScg) every input is converted on the way in:
/// colours on the CPU when a frame's uniforms are written, the environment when it is baked, and the material colours
/// in the scene shader (one 3 × 3 multiply of the base colour and one of the emission, left out by a specialisation
/// constant under Rec.709). Lighting is then computed in the working space's primaries, which is what rendering in
/// ACEScg means.
/// </summary>
public readonly struct InputColour
{
    private readonly ColourMatrix _toWorking;

    /// <summary>The conversion from Rec.709-referred inputs to <paramref name="workingSpace"/>.</summary>
    public InputColour(Primaries workingSpace)
    {
        WorkingSpace = workingSpace;
        _toWorking = ColourSpaces.Conversion(Primaries.Rec709, workingSpace);
    }

    /// <summary>The primaries the renderer works in.</summary>
    public Primaries WorkingSpace { get; }

    /// <summary>True when the working space is Rec.709 (the default): inputs pass unchanged.</summary>
    public bool IsIdentity => WorkingSpace == Primaries.Rec709;

    /// <summary>Rec.709 → working space, row major (the identity for the default struct and for Rec.709).</summary>
    public ColourMatrix ToWorking => IsIdentity ? ColourMatrix.Identity : _toWorking;

    /// <summary>A Rec.709-referred linear colour in the working space.</summary>
    public Vector3 Apply(Vector3 rec709)
    {
        if (IsIdentity) return rec709;
        var (r, g, b) = _toWorking.Apply(rec709.X, rec709.Y, rec709.Z);
        return new Vector3((float)r, (float)g, (float)b);
    }

    /// <summary>
    /// The scene shader's specialisation constants 1 … 10 (scene.frag): 1 when the inputs are converted, then the
    /// matrix row major, each float as its bits.
    /// </summary>
    public int[] FragmentConstants()
    {
        ColourMatrix m = ToWorking;
        var constants = new int[10];
        constants[0] = IsIdentity ? 0 : 1;
        for (var i = 0; i < 9; i++) constants[1 + i] = BitConverter.SingleToInt32Bits((float)m[i / 3, i % 3]);
        return constants;
    }
}
