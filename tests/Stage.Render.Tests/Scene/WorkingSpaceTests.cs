using System.Numerics;
using Stage.Core.Colour;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Space;
using Stage.Render.Scene;
using Stage.Render.Sky;
using Stage.Render.Tests.Gpu;
using Xunit.Abstractions;

namespace Stage.Render.Tests.Scene;

/// <summary>
/// Rendering in ACEScg (render.workingSpace acescg) on lavapipe, validation on: the world's Rec.709-referred colours —
/// material colours, the background, an environment image — are converted to AP1 on the way in. Under grey light
/// every pixel of a dielectric scene is linear in the material colour, so the ACEScg render must equal the Rec.709
/// render converted to AP1, pixel for pixel; before the conversion existed both renders were the same numbers.
/// </summary>
public sealed class WorkingSpaceTests(ITestOutputHelper output)
{
    private static readonly StageRendererOptions Options = new()
    {
        OuterFaceSizePx = 16,
        Scene = new SceneRendererOptions { ShadowMapSize = 256 },
    };

    private static readonly InputColour ToAp1 = new(Primaries.AcesCg);

    private static float Linear(byte code) => RenderGpuTest.Linear(code);

    private static Vector3 Pixel(CanvasPixels image, int x, int y) => RenderGpuTest.Pixel(image, x, y);

    private static CanvasPixels RenderInner(RenderScene scene, Primaries workingSpace)
    {
        StageConfig config = RenderGpuTest.TestRig();
        return RenderGpuTest.RenderInner(config with { Render = config.Render with { WorkingSpace = workingSpace } }, Options, scene);
    }

    /// <summary>
    /// Every pixel of <paramref name="ap1"/> against <paramref name="rec709"/> converted to AP1: the worst difference
    /// as a fraction of the expected value (plus an 8-bit sRGB step near black); and how far the two renders' raw
    /// numbers differ (they must, or the check proves nothing).
    /// </summary>
    private (float Worst, float RawDifference) Compare(CanvasPixels rec709, CanvasPixels ap1)
    {
        float worst = 0, raw = 0;
        for (int y = 0; y < rec709.Height; y++)
        for (int x = 0; x < rec709.Width; x++)
        {
            Vector3 a = Pixel(rec709, x, y), b = Pixel(ap1, x, y);
            Vector3 expected = ToAp1.Apply(a);
            Vector3 error = Vector3.Abs(b - expected) / (Vector3.Abs(expected) + new Vector3(0.01f));
            worst = MathF.Max(worst, MathF.Max(error.X, MathF.Max(error.Y, error.Z)));
            Vector3 d = Vector3.Abs(b - a);
            raw = MathF.Max(raw, MathF.Max(d.X, MathF.Max(d.Y, d.Z)));
        }
        output.WriteLine($"worst {worst:P2} of the expected AP1 value; the renders' numbers differ by up to {raw:0.000}");
        return (worst, raw);
    }

    [Fact]
    public void Material_colours_and_the_background_are_converted_to_ap1()
    {
        RenderScene Scene()
        {
            var scene = new RenderScene
            {
                SunColorLinear = Vector3.One,   // grey light: the result is linear in the material colour
                SunIlluminanceLux = 2,
                AmbientLinear = new Vector3(0.2f),
                BackgroundLinear = new Vector3(0.05f, 0.3f, 0.6f),
            };
            scene.Add(new DrawItem(DrawKind.Sphere, Matrix4x4.CreateScale(0.6f) * Matrix4x4.CreateTranslation(0, 1, -1), new Vector3(0.7f, 0.08f, 0.05f)) { Metallic = 0, Roughness = 0.6f });
            return scene;
        }
        (float worst, float raw) = Compare(RenderInner(Scene(), Primaries.Rec709), RenderInner(Scene(), Primaries.AcesCg));
        Assert.True(raw > 0.05f, "the ACEScg render holds other numbers than the Rec.709 one");
        Assert.True(worst < 0.04f, $"worst {worst:P2}");
    }

    [Fact]
    public void An_environment_image_lights_and_fills_the_background_in_ap1()
    {
        var map = new EquirectMap(64, 32);
        for (int y = 0; y < map.Height; y++)
        for (int x = 0; x < map.Width; x++)
        {
            Vector3 d = map.TexelDirection(x, y);
            map[x, y] = d.Y > 0 ? new Vector3(0.1f, 0.25f, 0.6f) : new Vector3(0.4f, 0.2f, 0.05f);
        }
        RenderScene Scene()
        {
            var scene = new RenderScene { Environment = new SceneEnvironment { Image = map }, SunColorLinear = Vector3.Zero };
            // A grey sphere: its light is the (coloured) environment times a grey, linear in the environment.
            scene.Add(new DrawItem(DrawKind.Sphere, Matrix4x4.CreateScale(0.6f) * Matrix4x4.CreateTranslation(0, 1, -1), new Vector3(0.8f)) { Metallic = 0, Roughness = 0.5f });
            return scene;
        }
        (float worst, float raw) = Compare(RenderInner(Scene(), Primaries.Rec709), RenderInner(Scene(), Primaries.AcesCg));
        Assert.True(raw > 0.05f, "the ACEScg render holds other numbers than the Rec.709 one");
        Assert.True(worst < 0.04f, $"worst {worst:P2}");
    }

    [Fact]
    public void Rec709_inputs_convert_to_the_aces_ap1_matrix_and_grey_stays_grey()
    {
        // ACES' published Rec.709 (D65) → AP1 (ACES white, Bradford) matrix, first row 0.6131 0.3395 0.0474.
        Vector3 red = ToAp1.Apply(Vector3.UnitX);
        Assert.Equal(0.6131f, red.X, 0.002f);
        Assert.Equal(0.0702f, red.Y, 0.002f);
        Assert.Equal(0.0206f, red.Z, 0.002f);
        Vector3 grey = ToAp1.Apply(new Vector3(0.18f));
        Assert.Equal(0.18f, grey.X, 0.0005f);
        Assert.Equal(0.18f, grey.Y, 0.0005f);
        Assert.Equal(0.18f, grey.Z, 0.0005f);
        Assert.True(new InputColour(Primaries.Rec709).IsIdentity);
        Assert.Equal(0, new InputColour(Primaries.Rec709).FragmentConstants()[0]);
        Assert.Equal(1, ToAp1.FragmentConstants()[0]);
    }
}
