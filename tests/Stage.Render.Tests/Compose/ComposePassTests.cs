using System.Numerics;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Render.Compose;
using Stage.Render.Gpu;
using Stage.Render.Projection;
using Stage.Render.Tests.Gpu;
using Stage.Vulkan;
using Silk.NET.Vulkan;
using Xunit.Abstractions;

namespace Stage.Render.Tests.Compose;

/// <summary>
/// The compose pass on lavapipe against the CPU mapping: synthetic inner images whose every texel
/// names itself, an outer cube whose every face names itself, and per canvas pixel the texel that
/// LensProjection + ClipSpace + CanvasMapping predict.
/// </summary>
public sealed class ComposePassTests(ITestOutputHelper output)
{
    private const int InnerW = 64, InnerH = 48;
    private static readonly Vector3 OuterEye = new(0f, 1f, 0f);

    private static readonly ImageUsageFlags Sampled = ImageUsageFlags.SampledBit | ImageUsageFlags.TransferDstBit;

    private static (LensProjection A, LensProjection B) Cameras(StageConfig config)
    {
        CameraConfig camera = config.Cameras[0];
        // A looks right of centre at the front wall and the curve; B looks at the front wall from the left.
        var a = LensProjection.ForCamera(camera, Pose.FromPanTiltRoll(new Vector3(0.3f, 0.5f, 0.2f), new PanTiltRoll(35, 5, 0)), 24);
        var b = LensProjection.ForCamera(camera, Pose.FromPanTiltRoll(new Vector3(-0.4f, 0.6f, -0.2f), new PanTiltRoll(20, 0, 3)), 35);
        return (a, b);
    }

    /// <summary>Texel (x, y) of camera <paramref name="tag"/>'s image is (x, y, tag).</summary>
    private static GpuImage SelfNamingInner(GpuDevice device, byte tag)
    {
        var rgba = new byte[InnerW * InnerH * 4];
        for (var y = 0; y < InnerH; y++)
        for (var x = 0; x < InnerW; x++)
        {
            var i = (y * InnerW + x) * 4;
            (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = ((byte)x, (byte)y, tag, 255);
        }
        var image = new GpuImage(device, InnerW, InnerH, Format.R8G8B8A8Unorm, Sampled);
        GpuTransfers.UploadImage(device, image, rgba);
        return image;
    }

    private static (byte, byte, byte, byte) FaceColor(int face) => ((byte)(10 + 40 * face), 255, 50, 255);

    private static GpuImage SelfNamingOuter(GpuDevice device)
    {
        var rgba = new byte[4 * CubeFaces.Count];
        for (var face = 0; face < CubeFaces.Count; face++) (rgba[face * 4], rgba[face * 4 + 1], rgba[face * 4 + 2], rgba[face * 4 + 3]) = FaceColor(face);
        var image = new GpuImage(device, 1, 1, Format.R8G8B8A8Unorm, Sampled, CubeFaces.Count);
        GpuTransfers.UploadImage(device, image, rgba);
        return image;
    }

    private static byte[][] ComposeAndRead(GpuDevice device, CanvasCompositor compositor, ReadOnlySpan<ComposeCamera> cameras, ComposeStyle style)
    {
        var sizes = compositor.Canvases.Select(c => (ulong)c.Width * c.Height * 4).ToArray();
        using var readback = new GpuBuffer(device, (ulong)sizes.Sum(s => (long)s), BufferUsageFlags.TransferDstBit, GpuMemoryUse.Readback);
        using var pool = new GpuCommandPool(device);
        GpuCommandBuffer cmd = pool.Allocate();
        cmd.Begin();
        compositor.Record(cmd, cameras, new OuterView(OuterEye, 0.05, 100), style);
        ulong offset = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            GpuTransfers.CopyOut(cmd, compositor.Canvases[i], ImageLayout.TransferSrcOptimal, readback, offset);
            offset += sizes[i];
        }
        cmd.End();
        device.Wait(device.Submit(cmd));
        var result = new byte[sizes.Length][];
        offset = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            result[i] = new byte[sizes[i]];
            readback.Read(result[i], offset);
            offset += sizes[i];
        }
        return result;
    }

    private static (byte, byte, byte, byte) Pixel(byte[] rgba, int width, int x, int y)
    {
        var i = (y * width + x) * 4;
        return (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]);
    }

    /// <summary>Where a stage point lands in a camera's image, or null behind it.</summary>
    private static Vector2? Uv(Vector3 stageM, LensProjection lens)
    {
        Vector3 ndc = ClipSpace.Project(stageM, lens.ViewProjection);
        return float.IsNaN(ndc.X) ? null : ClipSpace.NdcToUv(ndc);
    }

    private static bool NearInteger(float value, float margin) => MathF.Abs(value - MathF.Round(value)) < margin;

    [Fact]
    public void Every_canvas_pixel_shows_the_inner_texel_cpu_projection_predicts_the_first_camera_wins_overlaps_and_elsewhere_the_outer_face()
    {
        // Linear outputs: the UNORM canvases hold the composed light itself, so texels compare exactly.
        StageConfig config = RenderGpuTest.LinearOutputs(RenderGpuTest.TestRig());
        var (lensA, lensB) = Cameras(config);
        RenderGpuTest.Run(device =>
        {
            using var innerA = SelfNamingInner(device, 200);
            using var innerB = SelfNamingInner(device, 150);
            using var outer = SelfNamingOuter(device);
            using var compositor = new CanvasCompositor(device, config, new CanvasCompositorOptions
            {
                InnerFilter = Filter.Nearest,
                CanvasFormat = _ => Format.R8G8B8A8Unorm,
            });
            compositor.SetSources([innerA, innerB], outer);
            var canvases = ComposeAndRead(device, compositor,
                [new ComposeCamera(lensA.ViewProjection, 0, false, false), new ComposeCamera(lensB.ViewProjection, 0, false, false)], new ComposeStyle());

            int checkedA = 0, checkedB = 0, checkedOuter = 0, checkedEmpty = 0, skipped = 0, overlap = 0;
            for (var o = 0; o < config.Outputs.Count; o++)
            {
                OutputCanvas canvas = config.Outputs[o];
                for (var y = 0; y < canvas.PixelHeight; y++)
                for (var x = 0; x < canvas.PixelWidth; x++)
                {
                    var actual = Pixel(canvases[o], canvas.PixelWidth, x, y);
                    if (CanvasMapping.StagePositionM(config, canvas, x, y) is not { } stage)
                    {
                        Assert.Equal(((byte)0, (byte)0, (byte)0, (byte)255), actual);
                        checkedEmpty++;
                        continue;
                    }
                    (byte, byte, byte, byte)? expected = null;
                    var ambiguous = false;
                    foreach (var (lens, tag) in new[] { (lensA, (byte)200), (lensB, (byte)150) })
                    {
                        if (Uv(stage, lens) is not { } uv) continue;
                        // Too close to the image border or to a texel edge for float rounding to agree: skip.
                        if (NearInteger(uv.X, 1e-3f) || NearInteger(uv.Y, 1e-3f) || NearInteger(uv.X * InnerW, 0.02f) || NearInteger(uv.Y * InnerH, 0.02f))
                        {
                            ambiguous = true;
                            break;
                        }
                        if (uv.X is < 0 or > 1 || uv.Y is < 0 or > 1) continue;
                        expected = ((byte)(int)(uv.X * InnerW), (byte)(int)(uv.Y * InnerH), tag, 255);
                        break;
                    }
                    Vector3 d = stage - OuterEye;
                    Vector3 ad = Vector3.Abs(d);
                    if (expected is null && (MathF.Abs(ad.X - ad.Y) < 1e-3f || MathF.Abs(ad.Y - ad.Z) < 1e-3f || MathF.Abs(ad.X - ad.Z) < 1e-3f)) ambiguous = true;
                    if (ambiguous)
                    {
                        skipped++;
                        continue;
                    }
                    expected ??= FaceColor(CubeFaces.FaceFor(d));
                    Assert.True(expected == actual, $"{canvas.Id} ({x}, {y}) stage {stage}: expected {expected}, got {actual}");
                    if (expected.Value.Item3 == 200 && Uv(stage, lensB) is { X: > 0 and < 1, Y: > 0 and < 1 }) overlap++;
                    switch (expected.Value.Item3)
                    {
                        case 200: checkedA++; break;
                        case 150: checkedB++; break;
                        default: checkedOuter++; break;
                    }
                }
            }
            output.WriteLine($"checked: inner A {checkedA}, inner B {checkedB}, outer {checkedOuter}, unmapped {checkedEmpty}; A over B {overlap}; skipped near edges {skipped}");
            Assert.True(checkedA > 1000 && checkedB > 300 && checkedOuter > 1000 && checkedEmpty > 1000 && overlap > 100, "the poses must exercise every case");
        });
    }

    [Fact]
    public void The_chroma_key_with_markers_fills_exactly_the_inner_frustum_and_a_soft_edge_blends_only_inside_the_border_band()
    {
        // Linear outputs: the UNORM canvases hold the composed light itself, so texels compare exactly.
        StageConfig config = RenderGpuTest.LinearOutputs(RenderGpuTest.TestRig());
        var (lensA, _) = Cameras(config);
        var style = new ComposeStyle();
        RenderGpuTest.Run(device =>
        {
            using var innerA = SelfNamingInner(device, 200);
            using var outer = SelfNamingOuter(device);
            using var compositor = new CanvasCompositor(device, config, new CanvasCompositorOptions
            {
                InnerFilter = Filter.Nearest,
                CanvasFormat = _ => Format.R8G8B8A8Unorm,
            });
            compositor.SetSources([innerA], outer);
            var keyed = ComposeAndRead(device, compositor, [new ComposeCamera(lensA.ViewProjection, 0, true, true)], style);
            const double soft = 0.1;
            var blended = ComposeAndRead(device, compositor, [new ComposeCamera(lensA.ViewProjection, soft, false, false)], style);

            static byte Unorm(float v) => (byte)MathF.Round(v * 255);
            var key = (Unorm(style.KeyColorLinear.X), Unorm(style.KeyColorLinear.Y), Unorm(style.KeyColorLinear.Z), (byte)255);
            var marker = (Unorm(style.MarkerColorLinear.X), Unorm(style.MarkerColorLinear.Y), Unorm(style.MarkerColorLinear.Z), (byte)255);
            int keyPixels = 0, markerPixels = 0, outside = 0, band = 0, core = 0;
            for (var o = 0; o < config.Outputs.Count; o++)
            {
                OutputCanvas canvas = config.Outputs[o];
                for (var y = 0; y < canvas.PixelHeight; y++)
                for (var x = 0; x < canvas.PixelWidth; x++)
                {
                    if (!canvas.TryMapCanvasPixel(x, y, out _, out int column, out int row)) continue;
                    Vector3 stage = CanvasMapping.StagePositionM(config, canvas, x, y)!.Value;
                    if (Uv(stage, lensA) is not { } uv || NearInteger(uv.X, 1e-3f) || NearInteger(uv.Y, 1e-3f)) continue;
                    bool inside = uv.X is > 0 and < 1 && uv.Y is > 0 and < 1;
                    var k = Pixel(keyed[o], canvas.PixelWidth, x, y);
                    var b = Pixel(blended[o], canvas.PixelWidth, x, y);
                    if (!inside)
                    {
                        Assert.NotEqual(key, k);
                        Assert.NotEqual(marker, k);
                        Assert.Equal(k, b);
                        outside++;
                        continue;
                    }
                    bool onMarker = column % style.MarkerSpacingPx < style.MarkerSizePx && row % style.MarkerSpacingPx < style.MarkerSizePx;
                    Assert.True((onMarker ? marker : key) == k, $"{canvas.Id} ({x}, {y}): {k}");
                    if (onMarker) markerPixels++;
                    else keyPixels++;
                    float edge = MathF.Min(MathF.Min(uv.X, 1 - uv.X), MathF.Min(uv.Y, 1 - uv.Y));
                    if (edge > soft + 0.005)
                    {
                        if (NearInteger(uv.X * InnerW, 0.02f) || NearInteger(uv.Y * InnerH, 0.02f)) continue;
                        Assert.Equal(((byte)(int)(uv.X * InnerW), (byte)(int)(uv.Y * InnerH), (byte)200, (byte)255), b);
                        core++;
                    }
                    else if (edge is > 0.02f and < (float)soft - 0.02f)
                    {
                        // Between the outer face's blue (50) and the inner image's (200): a blend.
                        Assert.InRange(b.Item3, (byte)51, (byte)199);
                        band++;
                    }
                }
            }
            output.WriteLine($"key {keyPixels}, markers {markerPixels}, outside {outside}; soft edge: core {core}, band {band}");
            Assert.True(keyPixels > 500 && markerPixels > 0 && outside > 1000 && core > 300 && band > 100, "the pose must exercise every case");
        });
    }
}
