using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Render.Compose;
using Stage.Render.Imaging;
using Stage.Render.Scene;
using Stage.Render.Tests.Gpu;
using Stage.Tests.Shared;
using Xunit.Abstractions;
using Stage.Core.Frames;

namespace Stage.Render.Tests.Golden;

/// <summary>
/// Golden images of the test rig (stage-configs/test-rig.json): a few fixed frames through the whole
/// <see cref="StageRenderer"/>, every output canvas and the inner image compared with PNGs committed
/// under Golden/images. These catch any change in what the walls show — shading, shadow, compose,
/// key, markers, soft edge, curved wall, ceiling, 16-bit canvases — that the alignment and compose
/// proofs do not pin down. Set STAGE_UPDATE_GOLDEN=1 to rewrite them on purpose (docs/renderer.md).
/// </summary>
public sealed class GoldenImageTests(ITestOutputHelper output)
{
    /// <summary>8-bit sRGB: two code values, for rounding differences between Mesa versions.</summary>
    private const int Tolerance8BitLevels = 2;

    /// <summary>
    /// 16-bit linear: 64 of 65535 (0.1 %). The darkest 8-bit sRGB step is about 20 such levels and a
    /// step near white about 560, so this is as strict as the 8-bit tolerance in the shadows and
    /// stricter elsewhere; the inner and outer renders are half floats (11-bit mantissa) before
    /// compose, so a rounding flip there moves a bright pixel by up to ~32 levels.
    /// </summary>
    private const int Tolerance16BitLevels = 64;

    /// <summary>
    /// Pixels allowed beyond tolerance: 0.5 % (40 of a 128 × 64 canvas, 15 of the 64 × 48 inner image),
    /// for edge pixels whose coverage a different rasteriser rounds the other way. Reported when used.
    /// </summary>
    private const double AllowedDifferingFraction = 0.005;

    private const string UpdateVariable = "STAGE_UPDATE_GOLDEN";

    private static readonly string ImagesFolder = RepositoryPaths.Of("tests", "Stage.Render.Tests", "Golden", "images");

    /// <summary>Where a failing comparison leaves the render and the diff (ignored by git, beside dotnet test's own results).</summary>
    private static readonly string FailureFolder = RepositoryPaths.Of("tests", "Stage.Render.Tests", "TestResults", "golden");

    /// <summary>Camera A on the front wall: 1.6 m from it at 35 mm, so the outer render shows on both sides of the inner frustum.</summary>
    private static readonly Pose FrontPose = Pose.FromPanTiltRoll(new Vector3(0.1f, 0.6f, -0.4f), new PanTiltRoll(5, 0, 0));

    /// <summary>Camera A turned right toward the curved wall's left end: the orange sphere behind it in the inner frustum, sky over the wall's top rows.</summary>
    private static readonly Pose CurvePose = Pose.FromPanTiltRoll(new Vector3(0.0f, 0.7f, -0.5f), new PanTiltRoll(60, 5, 0));

    /// <summary>Camera A looking up at the ceiling, through which the top of a tall tower behind the front wall shows.</summary>
    private static readonly Pose CeilingPose = Pose.FromPanTiltRoll(new Vector3(0.0f, 0.8f, 0.0f), new PanTiltRoll(0, 40, 0));

    /// <summary>One fixed frame: the camera, its toggles, and whether the canvases are 16-bit.</summary>
    private sealed record GoldenFrame(string Name, Pose Pose, double FocalLengthMm, bool ChromaKey, bool Markers, bool Deep);

    private static readonly GoldenFrame[] AllFrames =
    [
        new("plain", FrontPose, 35, ChromaKey: false, Markers: false, Deep: false),
        new("key", FrontPose, 35, ChromaKey: true, Markers: false, Deep: false),
        new("key-markers", FrontPose, 35, ChromaKey: true, Markers: true, Deep: false),
        new("curve", CurvePose, 24, ChromaKey: false, Markers: false, Deep: false),
        new("ceiling", CeilingPose, 24, ChromaKey: false, Markers: false, Deep: false),
        // The curve frame with both canvases 16-bit (R16G16B16A16_UNORM, linear): the deep output path.
        new("curve-16bit", CurvePose, 24, ChromaKey: false, Markers: false, Deep: true),
    ];

    /// <summary>The frame names, for the theory.</summary>
    public static TheoryData<string> Frames => new(AllFrames.Select(f => f.Name));

    /// <summary>
    /// Fixed here so the goldens do not follow the options' defaults. A small outer cube keeps lavapipe
    /// fast; the shadow map stays at 1024: at 256 the sunlit faces of this scene show shadow acne (the
    /// casters span ~5 m, so a texel is ~2 cm against the fixed 1 cm normal offset), which a golden
    /// should not enshrine and which would flip with any rounding change.
    /// </summary>
    private static readonly StageRendererOptions Options = new()
    {
        OuterEyeM = new Vector3(0f, 1.7f, 0f),
        OuterFaceSizePx = 64,
        SoftEdgeFraction = 0.05,
        DepthRange = (0.05, 1000),
        // Markers every 8 wall pixels so several land inside the frustum on these 32-pixel-high walls.
        Style = new ComposeStyle { MarkerSpacingPx = 8, MarkerSizePx = 2 },
        Scene = new SceneRendererOptions { ShadowMapSize = 1024, ShadowDepthBias = 0.002f, ShadowNormalOffsetM = 0.01f },
    };

    /// <summary>
    /// A grey floor; behind the front wall a red box, a blue sphere, a yellow cylinder and a tall white
    /// tower; behind the curved wall an orange sphere and a purple box; sun from above left. Lighting
    /// is fixed here, not the defaults. No green: it would hide against the chroma key.
    /// </summary>
    private static RenderScene Scene()
    {
        var scene = new RenderScene
        {
            SunDirection = Vector3.Normalize(new Vector3(-0.4f, -1f, -0.3f)),
            SunColorLinear = new Vector3(1f, 0.95f, 0.9f),
            AmbientLinear = new Vector3(0.15f, 0.17f, 0.2f),
            BackgroundLinear = new Vector3(0.3f, 0.45f, 0.7f),
        };
        // 20 m across so the curve pose's low horizon lands on floor, not past its edge.
        scene.Add(new DrawItem(DrawKind.Plane, Matrix4x4.CreateScale(20, 1, 20), new Vector3(0.4f, 0.4f, 0.4f)));
        // Behind the front wall, as a virtual set usually is.
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(0.4f) * Matrix4x4.CreateRotationY(0.5f) * Matrix4x4.CreateTranslation(0.35f, 0.2f, -2.6f), new Vector3(0.8f, 0.1f, 0.05f)));
        scene.Add(new DrawItem(DrawKind.Sphere, Matrix4x4.CreateScale(0.4f) * Matrix4x4.CreateTranslation(-0.35f, 0.35f, -2.8f), new Vector3(0.1f, 0.2f, 0.9f)));
        scene.Add(new DrawItem(DrawKind.Cylinder, Matrix4x4.CreateScale(0.2f, 0.6f, 0.2f) * Matrix4x4.CreateTranslation(0.8f, 0.3f, -3.2f), new Vector3(0.9f, 0.8f, 0.1f)));
        scene.Add(new DrawItem(DrawKind.Cylinder, Matrix4x4.CreateScale(0.35f, 4f, 0.35f) * Matrix4x4.CreateTranslation(-0.1f, 2f, -3.6f), new Vector3(0.85f, 0.85f, 0.9f)));
        // Behind the curved wall.
        scene.Add(new DrawItem(DrawKind.Sphere, Matrix4x4.CreateScale(0.6f) * Matrix4x4.CreateTranslation(2.4f, 0.6f, -1.2f), new Vector3(0.95f, 0.45f, 0.1f)));
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(0.5f) * Matrix4x4.CreateRotationY(0.3f) * Matrix4x4.CreateTranslation(2.3f, 0.25f, 0.3f), new Vector3(0.7f, 0.1f, 0.6f)));
        return scene;
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Every_canvas_and_the_inner_image_of_a_fixed_test_rig_frame_match_their_golden_images(string frameName)
    {
        GoldenFrame frame = AllFrames.Single(f => f.Name == frameName);
        StageConfig config = RenderGpuTest.TestRig();
        if (frame.Deep) config = config with { Outputs = config.Outputs.Select(o => o with { BitDepth = 16, Colour = Stage.Core.Colour.OutputColour.DefaultFor(16) }).ToArray() };
        bool update = Environment.GetEnvironmentVariable(UpdateVariable) == "1";

        var images = new List<(string File, PngImage Image)>();
        RenderGpuTest.Run(device =>
        {
            using var renderer = new StageRenderer(device, config, Options);
            IReadOnlyList<CanvasPixels> canvases = renderer.Render(
                [new CameraView(config.Cameras[0], frame.Pose, frame.FocalLengthMm, frame.ChromaKey, frame.Markers)], Scene());
            // Copied out now: the renderer reuses the canvas arrays next frame.
            foreach (CanvasPixels canvas in canvases) images.Add(($"{frame.Name}-{canvas.OutputId}.png", ToPng(canvas)));
            CanvasPixels inner = renderer.ReadInner(config.Cameras[0].Id) ?? throw new InvalidOperationException("camera A's inner image was not drawn");
            images.Add(($"{frame.Name}-{inner.OutputId}.png", ToPng(inner)));
        });
        Assert.Equal(config.Outputs.Count + 1, images.Count);

        if (update)
        {
            Directory.CreateDirectory(ImagesFolder);
            foreach (var (file, image) in images)
            {
                // Smallest size: these are committed.
                File.WriteAllBytes(Path.Combine(ImagesFolder, file), PngCodec.Encode(image, CompressionLevel.SmallestSize));
                output.WriteLine($"wrote {Path.Combine(ImagesFolder, file)}");
            }
            Assert.Fail($"goldens rewritten; review and commit them ({UpdateVariable}=1 never passes, so a run with it set cannot pass silently in CI)");
        }

        var failures = new StringBuilder();
        foreach (var (file, actual) in images)
        {
            string goldenPath = Path.Combine(ImagesFolder, file);
            if (!File.Exists(goldenPath))
            {
                failures.AppendLine($"{file}: no golden image at {goldenPath}; render them with {UpdateVariable}=1, look at them, commit them");
                continue;
            }
            PngImage expected = PngCodec.Read(goldenPath);
            int tolerance = actual.BitDepth == 8 ? Tolerance8BitLevels : Tolerance16BitLevels;
            if ((expected.Width, expected.Height, expected.Channels, expected.BitDepth) != (actual.Width, actual.Height, actual.Channels, actual.BitDepth))
            {
                failures.AppendLine($"{file}: golden is {expected.Width} × {expected.Height} × {expected.Channels} at {expected.BitDepth} bits, "
                    + $"render is {actual.Width} × {actual.Height} × {actual.Channels} at {actual.BitDepth} bits; {WriteFailure(file, actual, diff: null)}");
                continue;
            }
            var comparison = GoldenComparison.Of(expected, actual, tolerance);
            var allowed = (int)Math.Floor(comparison.PixelCount * AllowedDifferingFraction);
            string summary = $"{file}: {comparison.DifferingPixels} of {comparison.PixelCount} pixels ({100 * comparison.DifferingFraction:F2} %) differ by more than "
                + $"{tolerance} levels (allowed {allowed}), {comparison.PixelsWithinTolerance} more within it; worst {comparison.Worst?.ToString() ?? "none"}";
            output.WriteLine(summary);
            if (comparison.DifferingPixels > allowed)
            {
                failures.AppendLine($"{summary}; {WriteFailure(file, actual, GoldenComparison.DiffImage(expected, actual, tolerance))}");
            }
        }
        Assert.True(failures.Length == 0, "images differ from their goldens:\n" + failures);
    }

    /// <summary>A canvas as PNG samples: 8-bit sRGB as is, 16-bit linear from little-endian pairs.</summary>
    private static PngImage ToPng(CanvasPixels pixels)
    {
        if (pixels.BitDepth == 8) return PngImage.FromRgba8(pixels.Width, pixels.Height, pixels.Rgba.Span);
        var samples = new ushort[pixels.Rgba.Length / 2];
        for (var i = 0; i < samples.Length; i++) samples[i] = BinaryPrimitives.ReadUInt16LittleEndian(pixels.Rgba.Span[(i * 2)..]);
        return PngImage.FromRgba16(pixels.Width, pixels.Height, samples);
    }

    /// <summary>Writes the render (and the diff when there is one) under TestResults/golden; says where, for the failure message.</summary>
    private static string WriteFailure(string file, PngImage actual, PngImage? diff)
    {
        Directory.CreateDirectory(FailureFolder);
        string actualPath = Path.Combine(FailureFolder, Path.ChangeExtension(file, ".actual.png"));
        PngCodec.Write(actualPath, actual);
        if (diff is null) return $"render written to {actualPath}";
        string diffPath = Path.Combine(FailureFolder, Path.ChangeExtension(file, ".diff.png"));
        PngCodec.Write(diffPath, diff);
        return $"render written to {actualPath}, diff (magenta: beyond tolerance, dark yellow: within) to {diffPath}";
    }
}
