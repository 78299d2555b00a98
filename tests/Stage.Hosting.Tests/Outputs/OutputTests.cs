using Stage.Core.Colour;
using Stage.Core.Time;
using Stage.Engine.Outputs;
using Stage.Engine.Statistics;
using Stage.Engine.Timing;
using Stage.Render.Imaging;
using Stage.Tests.Shared;
using Stage.Core.Frames;
using Stage.Hosting.Outputs;

namespace Stage.Hosting.Tests.Outputs;

public sealed class OutputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-outputs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static FrameTick Tick(long frame) => new(frame, Timecode.FromFrameCount(frame, FrameRate.Fps25), 0, 0, 0);

    private static CanvasPixels Canvas(string id, int width, int height, byte shade)
    {
        var rgba = new byte[width * height * 4];
        for (int i = 0; i < rgba.Length; i += 4) { rgba[i] = shade; rgba[i + 1] = (byte)(i / 4 % 256); rgba[i + 2] = 7; rgba[i + 3] = 255; }
        return new CanvasPixels(id, width, height, 8, rgba);
    }

    [Fact]
    public void Files_output_writes_a_png_per_canvas_per_frame_with_an_index()
    {
        using var files = new FilesOutput(_folder, FileFormat.Png);
        files.Present(Tick(0), [Canvas("out-a", 8, 4, 10), Canvas("out-b", 4, 4, 20)]);
        files.Present(Tick(1), [Canvas("out-a", 8, 4, 30), Canvas("out-b", 4, 4, 40)]);
        files.Dispose();
        PngImage frame1 = PngCodec.Read(Path.Combine(_folder, "out-a", "000001.png"));
        Assert.Equal((8, 4, 30), (frame1.Width, frame1.Height, (int)frame1[0, 0, 0]));
        string[] index = File.ReadAllLines(Path.Combine(_folder, "out-b", "frames.tsv"));
        Assert.Equal(["frame\ttimecode\tfile\twidth\theight\tbit_depth", "0\t00:00:00:00\t000000.png\t4\t4\t8", "1\t00:00:00:01\t000001.png\t4\t4\t8"], index);
        Assert.Equal(4, files.FilesWritten);
    }

    [Fact]
    public void A_failing_write_is_counted_and_the_next_frame_still_goes_out()
    {
        using var files = new FilesOutput(_folder, FileFormat.Raw);
        File.WriteAllText(Path.Combine(_folder, "blocked"), "a file where the canvas folder should be");
        files.Present(Tick(0), [Canvas("blocked", 2, 2, 1), Canvas("fine", 2, 2, 1)]);
        Assert.Equal(1, files.WriteFailures);
        Assert.Contains("blocked frame 0", files.LastFailure);
        Assert.Equal(16, new FileInfo(Path.Combine(_folder, "fine", "000000.rgba")).Length);
    }

    [Fact]
    public void Preview_asks_for_pixels_every_n_frames_and_writes_a_scaled_png_of_each()
    {
        using var preview = new PreviewOutput(_folder, everyFrames: 25, maxWidthPx: 16);
        var asked = new List<long>();
        for (long f = 0; f < 60; f++)
        {
            if (!preview.WantsPixels(Tick(f))) continue;
            asked.Add(f);
            preview.Present(Tick(f), [Canvas("wall", 64, 32, (byte)f)]);
        }
        Assert.Equal([0L, 25L, 50L], asked);
        Assert.Equal(3, preview.PreviewsWritten);
        PngImage image = PngCodec.Read(Path.Combine(_folder, "wall.png"));
        Assert.Equal((16, 8), (image.Width, image.Height));
        Assert.Equal(50, image[0, 0, 0]);
        // Box filter: green is the pixel index (64 per row), so the first 4 × 4 box holds 0–3, 64–67, 128–131,
        // 192–195 and averages 97.5, rounded to 98.
        Assert.Equal(98, image[0, 0, 1]);
    }

    [Theory]
    [InlineData(ViewMode.Srgb)]
    [InlineData(ViewMode.None)]
    public void A_pq_preview_is_viewed_as_srgb_or_left_as_code_values(ViewMode view)
    {
        var outputs = new Dictionary<string, OutputColour> { ["pq"] = new OutputColour { Transfer = Transfer.Pq, Primaries = Primaries.Rec2020, PeakNits = 1000, ReferenceWhiteNits = 203 } };
        using var preview = new PreviewOutput(_folder, everyFrames: 1, maxWidthPx: 16, view: view, outputs: outputs);
        // Reference white, 203 nits: PQ 10-bit code 594, stored as 594 / 1023 in 16 bits.
        ushort sample = (ushort)Math.Round(594 / 1023.0 * 65535);
        var rgba = new byte[4 * 4 * 8];
        for (int i = 0; i < rgba.Length; i += 2) BitConverter.TryWriteBytes(rgba.AsSpan(i, 2), sample);
        Assert.True(preview.WantsPixels(Tick(0)));
        preview.Present(Tick(0), [new CanvasPixels("pq", 4, 4, 16, rgba)]);
        PngImage image = PngCodec.Read(Path.Combine(_folder, "pq.png"));
        if (view == ViewMode.Srgb)
        {
            Assert.Equal(8, image.BitDepth);
            Assert.Equal(202, image[1, 1, 0]);
        }
        else
        {
            Assert.Equal(16, image.BitDepth);
            Assert.Equal(sample, image[1, 1, 0]);
        }
    }

    [Fact]
    public void Percentiles_use_the_last_window_without_allocating_per_value()
    {
        var stats = new RollingPercentiles(100);
        for (int i = 1; i <= 1000; i++) stats.Record(i);
        PercentileSummary summary = stats.Summarise();
        Assert.Equal((950.0, 999.0, 1000.0, 100), (summary.P50, summary.P99, summary.Max, summary.Count));
        Assert.Equal(1000, stats.MaxEver);
        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            for (int i = 0; i < 10_000; i++) stats.Record(i);
        }));
        Assert.True(double.IsNaN(new RollingPercentiles(4).Summarise().P50));
    }
}
