using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Frames;
using Stage.Core.Space;
using Stage.Render.Compose;
using Stage.Render.Gpu;
using Stage.Render.Projection;
using Stage.Render.Scene;
using Stage.Render.Tests.Gpu;
using Stage.Vulkan;
using Silk.NET.Vulkan;
using Xunit.Abstractions;

namespace Stage.Render.Tests;

/// <summary>
/// Multisample anti-aliasing of the inner and outer views (resolved before the compose pass) and the inner image's mip
/// chain, sampled trilinearly by the compose pass where the wall is coarser than the inner render. Lavapipe, validation on.
/// </summary>
public sealed class AntiAliasingTests(ITestOutputHelper output)
{
    private static StageRendererOptions Options(int samples) => new()
    {
        OuterFaceSizePx = 32,
        MsaaSamples = samples,
        Scene = new SceneRendererOptions { ShadowMapSize = 256 },
    };

    /// <summary>A black world lit by ambient light only, so a surface's colour is exactly its item colour.</summary>
    private static RenderScene FlatLit() => new() { AmbientLinear = Vector3.One, SunColorLinear = Vector3.Zero, BackgroundLinear = Vector3.Zero };

    private static readonly Pose LookingAlongMinusZ = Pose.FromPanTiltRoll(new Vector3(0, 0.5f, 0), new PanTiltRoll(0, 0, 0));

    private static CanvasPixels RenderInner(GpuDevice device, StageConfig config, RenderScene scene, int samples, out int used)
    {
        using var renderer = new StageRenderer(device, config, Options(samples));
        used = renderer.Samples;
        renderer.Render([new CameraView(config.Cameras[0], LookingAlongMinusZ, 24)], scene);
        return renderer.ReadInner("A")!.Value;
    }

    [Fact]
    public void An_edge_drawn_with_4_samples_has_intermediate_coverage_along_it_where_1_sample_has_only_two_values()
    {
        StageConfig config = RenderGpuTest.TestRig();
        RenderScene scene = FlatLit();
        // A white box turned 20° about the view axis: slanted edges across the 64 × 48 inner image.
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(0.5f) * Matrix4x4.CreateRotationZ(20 * MathF.PI / 180) * Matrix4x4.CreateTranslation(0, 0.5f, -1.5f), Vector3.One));
        RenderGpuTest.Run(device =>
        {
            CanvasPixels one = RenderInner(device, config, scene, 1, out int oneUsed);
            CanvasPixels four = RenderInner(device, config, scene, 4, out int fourUsed);
            Assert.Equal(1, oneUsed);
            Assert.Equal(4, fourUsed); // lavapipe offers 1 and 4 samples for RGBA16F + D32
            var oneValues = Reds(one).Distinct().Order().ToArray();
            var fourIntermediate = Reds(four).Where(v => v is > 0 and < 255).ToArray();
            output.WriteLine($"1 sample: values {string.Join(", ", oneValues)}; 4 samples: {fourIntermediate.Length} edge pixels with partial coverage, values {string.Join(", ", fourIntermediate.Distinct().Order())}");
            Assert.Equal([0, 255], oneValues);
            // Four samples give coverage 1/4, 2/4, 3/4 along the edges (in sRGB: 137, 188, 225).
            Assert.True(fourIntermediate.Length >= 20, $"only {fourIntermediate.Length} pixels with partial coverage");
            Assert.Contains(ColorEncoding.LinearToSrgb8(0.5f), fourIntermediate);
            Assert.All(fourIntermediate, v => Assert.Contains(v, new[] { 0.25f, 0.5f, 0.75f }.Select(ColorEncoding.LinearToSrgb8)));
            // The same box: as many white-ish pixels either way (area is kept, only the edge is shared out).
            double AreaOf(CanvasPixels p) => Reds(p).Sum(v => SrgbToLinear(v));
            Assert.Equal(AreaOf(one), AreaOf(four), 0.03 * AreaOf(one));
        });
    }

    [Fact]
    public void A_flat_colour_resolves_to_itself_in_every_pixel()
    {
        StageConfig config = RenderGpuTest.TestRig();
        RenderScene scene = FlatLit();
        var colour = new Vector3(0.2f, 0.5f, 0.8f);
        // A box 10 m wide whose near face (1 m ahead) fills the whole view.
        scene.Add(new DrawItem(DrawKind.Box, Matrix4x4.CreateScale(10) * Matrix4x4.CreateTranslation(0, 0.5f, -6), colour));
        RenderGpuTest.Run(device =>
        {
            // The surface's own shade (PBR: a rough dielectric in a uniform environment is its albedo plus a little
            // specular) drawn with one sample is the reference; four samples resolve to the same in every pixel.
            CanvasPixels one = RenderInner(device, config, scene, 1, out _);
            CanvasPixels four = RenderInner(device, config, scene, 4, out int used);
            Assert.Equal(4, used);
            ReadOnlySpan<byte> reference = one.Rgba.Span;
            ReadOnlySpan<byte> rgba = four.Rgba.Span;
            for (var i = 0; i < rgba.Length; i += 4)
                for (var c = 0; c < 4; c++)
                    Assert.True(Math.Abs(rgba[i + c] - reference[i + c]) <= 1, $"pixel {i / 4} channel {c}: {rgba[i + c]}, with one sample {reference[i + c]}");
            // And it is the colour asked for, to within the specular a rough dielectric adds (a few levels).
            Assert.InRange(rgba[0], ColorEncoding.LinearToSrgb8(colour.X), ColorEncoding.LinearToSrgb8(colour.X) + 6);
        });
    }

    [Fact]
    public void A_sample_count_the_device_lacks_is_lowered_to_one_it_offers_with_a_note()
    {
        StageConfig config = RenderGpuTest.TestRig();
        RenderGpuTest.Run(device =>
        {
            SampleCountFlags offered = device.AttachmentSampleCounts(SceneRenderer.ColorFormat, SceneRenderer.DepthFormat);
            foreach (int asked in new[] { 1, 2, 4, 8 })
            {
                using var renderer = new StageRenderer(device, config, Options(asked));
                int expected = asked;
                while ((offered & (SampleCountFlags)expected) == 0) expected /= 2;
                output.WriteLine($"asked {asked}: drawn with {renderer.Samples}; {renderer.MsaaNote ?? "as asked"}");
                Assert.Equal(expected, renderer.Samples);
                Assert.Equal(expected != asked, renderer.MsaaNote is not null);
                if (renderer.MsaaNote is { } note) Assert.Contains($"render.msaaSamples {asked}", note, StringComparison.Ordinal);
                // Each count draws a whole frame without a validation message.
                renderer.Render([new CameraView(config.Cameras[0], LookingAlongMinusZ, 24)], FlatLit());
            }
        });
    }

    [Fact]
    public void The_outer_cube_drawn_with_4_samples_shows_every_face_as_with_1_sample()
    {
        StageConfig config = RenderGpuTest.TestRig();
        // Sky and a floor, no camera: every mapped pixel of both canvases is the outer view, through several faces.
        var scene = new RenderScene();
        scene.Add(new DrawItem(DrawKind.Plane, Matrix4x4.CreateScale(6, 1, 6), new Vector3(0.5f, 0.5f, 0.5f)));
        RenderGpuTest.Run(device =>
        {
            byte[][] Canvases(int samples)
            {
                using var renderer = new StageRenderer(device, config, Options(samples));
                return renderer.Render([], scene).Select(c => c.Rgba.ToArray()).ToArray();
            }
            byte[][] one = Canvases(1), four = Canvases(4);
            for (var c = 0; c < one.Length; c++)
            {
                OutputCanvas canvas = config.Outputs[c];
                int mapped = 0, same = 0;
                for (var y = 0; y < canvas.PixelHeight; y++)
                for (var x = 0; x < canvas.PixelWidth; x++)
                {
                    if (CanvasMapping.StagePositionM(config, canvas, x, y) is null) continue;
                    int i = (y * canvas.PixelWidth + x) * 4;
                    mapped++;
                    if (Enumerable.Range(0, 3).All(k => Math.Abs(one[c][i + k] - four[c][i + k]) <= 2)) same++;
                }
                output.WriteLine($"{canvas.Id}: {same} of {mapped} mapped pixels within 2 levels with 4 samples as with 1");
                // Only pixels along the floor's horizon may differ (coverage shared with the sky).
                Assert.True(same >= mapped * 0.95, $"{canvas.Id}: only {same} of {mapped} pixels agree");
            }
        });
    }

    private const int CheckerW = 512, CheckerH = 384;

    /// <summary>A checker of one-texel squares, black and white (linear 0 and 1), with or without a mip chain built by <see cref="MipChain"/>.</summary>
    private static GpuImage Checker(GpuDevice device, bool mips)
    {
        var rgba = new byte[CheckerW * CheckerH * 4];
        for (var y = 0; y < CheckerH; y++)
        for (var x = 0; x < CheckerW; x++)
        {
            byte v = ((x + y) & 1) == 0 ? (byte)255 : (byte)0;
            int i = (y * CheckerW + x) * 4;
            (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (v, v, v, 255);
        }
        var image = new GpuImage(device, CheckerW, CheckerH, Format.R8G8B8A8Unorm,
            ImageUsageFlags.SampledBit | ImageUsageFlags.TransferDstBit | ImageUsageFlags.TransferSrcBit | ImageUsageFlags.ColorAttachmentBit,
            mipLevels: mips ? GpuImage.MipLevelsFor(CheckerW, CheckerH) : 1);
        GpuTransfers.UploadImage(device, image, rgba);
        // As the renderer leaves an inner image before the chain is built: level 0 drawn, in COLOR_ATTACHMENT_OPTIMAL.
        using var pool = new GpuCommandPool(device);
        GpuCommandBuffer cmd = pool.Allocate();
        cmd.Begin();
        cmd.Barrier(image, ImageLayout.ShaderReadOnlyOptimal, ImageLayout.ColorAttachmentOptimal,
            PipelineStageFlags2.FragmentShaderBit, AccessFlags2.None, PipelineStageFlags2.ColorAttachmentOutputBit, AccessFlags2.ColorAttachmentWriteBit);
        MipChain.Generate(cmd, image);
        cmd.End();
        device.Wait(device.Submit(cmd));
        return image;
    }

    /// <summary>The front wall's canvas composed with one camera showing <paramref name="inner"/> (8-bit linear canvas).</summary>
    private static byte[] ComposeFront(GpuDevice device, StageConfig config, GpuImage inner, LensProjection lens, bool mips)
    {
        using var compositor = new CanvasCompositor(device, config, new CanvasCompositorOptions { CanvasFormat = _ => Format.R8G8B8A8Unorm, InnerMipmaps = mips });
        compositor.SetSources([inner], null);
        GpuImage canvas = compositor.Canvases[0];
        using var readback = new GpuBuffer(device, (ulong)canvas.Width * canvas.Height * 4, BufferUsageFlags.TransferDstBit, GpuMemoryUse.Readback);
        using var pool = new GpuCommandPool(device);
        GpuCommandBuffer cmd = pool.Allocate();
        cmd.Begin();
        compositor.Record(cmd, [new ComposeCamera(lens.ViewProjection, 0, false, false)], null, new ComposeStyle());
        GpuTransfers.CopyOut(cmd, canvas, ImageLayout.TransferSrcOptimal, readback);
        cmd.End();
        device.Wait(device.Submit(cmd));
        var bytes = new byte[canvas.Width * canvas.Height * 4];
        readback.Read(bytes);
        return bytes;
    }

    [Fact]
    public void A_one_texel_checker_composed_onto_a_coarse_wall_is_its_average_grey_with_the_mip_chain_and_aliases_without()
    {
        StageConfig config = RenderGpuTest.TestRig();
        OutputCanvas front = config.Outputs[0];
        // 2 m from the 2 m wide, 64 px front wall: the 512-texel image spreads over about 70 wall pixels, ~7 texels each.
        LensProjection lens = LensProjection.ForCamera(config.Cameras[0], LookingAlongMinusZ, 24);
        RenderGpuTest.Run(device =>
        {
            using GpuImage withChain = Checker(device, mips: true);
            using GpuImage withoutChain = Checker(device, mips: false);
            byte[] mipped = ComposeFront(device, config, withChain, lens, mips: true);
            byte[] plain = ComposeFront(device, config, withoutChain, lens, mips: false);
            var (mippedCount, mippedWorst, mippedOff) = Grey(config, front, lens, mipped);
            var (plainCount, plainWorst, plainOff) = Grey(config, front, lens, plain);
            output.WriteLine($"{mippedCount} wall pixels inside the frustum; with the mip chain worst |v − {AverageGreyCode}| = {mippedWorst:0.0}, {mippedOff} beyond ±{Tolerance}; " +
                             $"level 0 only: worst {plainWorst:0.0}, {plainOff} beyond");
            Assert.True(mippedCount > 1000, $"only {mippedCount} wall pixels inside the frustum");
            Assert.True(mippedWorst <= Tolerance, $"with the mip chain a wall pixel is {mippedWorst:0.0} levels off the average grey");
            // Without it, bilinear taps of single texels alias: a large share of the pixels is far from grey.
            Assert.True(plainOff > plainCount / 4, $"level 0 only: {plainOff} of {plainCount} pixels beyond ±{Tolerance}");
            Assert.True(plainWorst > 60, $"level 0 only: worst {plainWorst:0.0}");
        });
    }

    /// <summary>Levels (of 255, linear) a wall pixel may be off the checker's average 0.5.</summary>
    private const double Tolerance = 6;

    /// <summary>
    /// The checker's average, linear 0.5, as the canvas holds it: the compose pass encodes to the output's code values
    /// (sRGB for an 8-bit output, docs/colour.md), so the 8-bit linear canvas holds sRGB's code for 0.5.
    /// </summary>
    private static readonly double AverageGreyCode = ColorEncoding.LinearToSrgb8(0.5f);

    /// <summary>Over the canvas pixels well inside the camera's image: how many, the worst distance from the average grey's code, and how many beyond the tolerance.</summary>
    private static (int Count, double Worst, int Off) Grey(StageConfig config, OutputCanvas canvas, LensProjection lens, byte[] rgba)
    {
        int count = 0, off = 0;
        double worst = 0;
        for (var y = 0; y < canvas.PixelHeight; y++)
        for (var x = 0; x < canvas.PixelWidth; x++)
        {
            if (CanvasMapping.StagePositionM(config, canvas, x, y) is not { } stage) continue;
            Vector3 ndc = ClipSpace.Project(stage, lens.ViewProjection);
            if (!(MathF.Abs(ndc.X) < 0.95f && MathF.Abs(ndc.Y) < 0.95f)) continue;
            double distance = Math.Abs(rgba[(y * canvas.PixelWidth + x) * 4] - AverageGreyCode);
            count++;
            worst = Math.Max(worst, distance);
            if (distance > Tolerance) off++;
        }
        return (count, worst, off);
    }

    private static IEnumerable<byte> Reds(CanvasPixels pixels)
    {
        byte[] rgba = pixels.Rgba.ToArray();
        for (var i = 0; i < rgba.Length; i += 4) yield return rgba[i];
    }

    private static double SrgbToLinear(byte code)
    {
        double c = code / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}
