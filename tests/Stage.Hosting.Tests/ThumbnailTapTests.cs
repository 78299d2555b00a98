using Stage.Core.Colour;
using Stage.Core.Frames;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Core.Time;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Hosting.Operator;
using Stage.Render;
using Stage.Render.Imaging;

namespace Stage.Hosting.Tests;

public sealed class ThumbnailTapTests
{
    /// <summary>Counts the frames it is handed, as the run's real output would take them; asks for pixels when <see cref="Wants"/>.</summary>
    private sealed class CountingOutput : IFrameOutput
    {
        public int Frames { get; private set; }
        public bool Wants { get; init; } = true;
        public string Name => "counting";
        public void BeginFrame(FrameTick tick)
        {
        }
        public bool WantsPixels(FrameTick tick) => Wants;
        public void Present(FrameTick tick, IReadOnlyList<CanvasPixels> canvases) => Frames++;
        public void Dispose()
        {
        }
    }

    /// <summary>A frame as the engine runs it: asked, then (here at once, in the engine a frame or more later) its pixels if asked.</summary>
    private static bool Frame(ThumbnailTap tap, FrameTick tick, IReadOnlyList<CanvasPixels> canvases)
    {
        if (!tap.WantsPixels(tick)) return false;
        tap.Present(tick, canvases);
        return true;
    }

    [Fact]
    public void With_no_page_watching_nothing_is_read_back_beyond_what_the_output_asks()
    {
        var watch = new PageWatch();
        var window = new CountingOutput { Wants = false };
        using var tap = new ThumbnailTap(window, everyFrames: 24, watch, NullLogger.Instance, maxWidthPx: 8);
        for (long f = 0; f < 48; f++) Assert.False(tap.WantsPixels(Tick(f)));
        watch.Touch();
        int asked = 0;
        for (long f = 48; f < 96; f++)
        {
            if (!Frame(tap, Tick(f), [Gradient()])) continue;
            asked++;
            WaitFor(tap, "out-front", asked - 1);
        }
        // While a page watches, one frame a round (one image each): the output itself never gets them.
        Assert.Equal(2, asked);
        Assert.Equal(0, window.Frames);
        Assert.Equal(2, tap.RoundsTaken);
    }

    [Fact]
    public void With_frames_in_flight_a_round_reads_back_one_frame_per_image_and_no_more()
    {
        var watch = new PageWatch();
        watch.Touch();
        using var tap = new ThumbnailTap(new CountingOutput { Wants = false }, everyFrames: 24, watch, NullLogger.Instance, maxWidthPx: 8);
        CanvasPixels[] canvases = [Gradient("left"), Gradient("right")];
        var inFlight = new Queue<(FrameTick Tick, bool Asked)>();
        int asked = 0;
        for (long f = 0; f < 96; f++)
        {
            // As the engine runs them: frame f asked and submitted, frame f − 2's pixels come back.
            bool wants = tap.WantsPixels(Tick(f));
            if (wants) asked++;
            inFlight.Enqueue((Tick(f), wants));
            if (inFlight.Count <= 2) continue;
            (FrameTick done, bool doneAsked) = inFlight.Dequeue();
            if (!doneAsked) continue;
            long rounds = tap.RoundsTaken;
            tap.Present(done, canvases);
            if (tap.RoundsTaken > rounds) WaitFor(tap, "right", rounds);
        }
        // Rounds due at frames 0, 24, 48 and 72, each reading back two frames (one per image).
        Assert.Equal(4, tap.RoundsTaken);
        Assert.Equal(8, asked);
    }

    private static FrameTick Tick(long frame) => new(frame, Timecode.FromFrameCount(86400 + frame, FrameRate.Fps24), 0, 0, 0);

    /// <summary>A 32 × 8 canvas: red = 8·x, green = 30·y, blue 100.</summary>
    private static CanvasPixels Gradient(string id = "out-front")
    {
        var rgba = new byte[32 * 8 * 4];
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 32; x++)
            {
                int i = (y * 32 + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = ((byte)(8 * x), (byte)(30 * y), 100, 0);
            }
        return new CanvasPixels(id, 32, 8, 8, rgba);
    }

    private static Thumbnail WaitFor(ThumbnailTap tap, string id, long newerThan = 0)
    {
        for (int i = 0; i < 500; i++)
        {
            if (tap.Find(id) is Thumbnail t && t.Version > newerThan) return t;
            Thread.Sleep(10);
        }
        throw new TimeoutException($"no thumbnail of {id}");
    }

    [Fact]
    public void A_thumbnail_box_filters_along_rows_and_samples_the_middle_row_of_each_band()
    {
        var watch = new PageWatch();
        watch.Touch();
        var output = new CountingOutput();
        using var tap = new ThumbnailTap(output, everyFrames: 24, watch, NullLogger.Instance, maxWidthPx: 8);
        Frame(tap, Tick(100), [Gradient()]);
        Assert.Equal(1, output.Frames);
        Thumbnail t = WaitFor(tap, "out-front");
        Assert.Equal((8, 2, 32, 8, 100L), (t.Width, t.Height, t.SourceWidth, t.SourceHeight, t.Frame));
        Assert.Equal("01:00:04:04", t.Timecode);
        PngImage image = PngCodec.Decode(t.Png);
        for (int ty = 0; ty < 2; ty++)
            for (int tx = 0; tx < 8; tx++)
            {
                // Columns 4tx … 4tx+3 averaged (8·(4tx+1.5)); row 4ty+2, the middle of its band of four.
                Assert.Equal(32 * tx + 12, image[tx, ty, 0]);
                Assert.Equal(30 * (4 * ty + 2), image[tx, ty, 1]);
                Assert.Equal(100, image[tx, ty, 2]);
                Assert.Equal(255, image[tx, ty, 3]);
            }
    }

    [Fact]
    public void Sixteen_bit_linear_canvases_show_as_srgb_through_their_view_transform()
    {
        var watch = new PageWatch();
        watch.Touch();
        var outputs = new Dictionary<string, OutputColour> { ["out-16"] = new OutputColour { Transfer = Transfer.Linear, PeakNits = 100, ReferenceWhiteNits = 100 } };
        using var tap = new ThumbnailTap(new CountingOutput(), 1, watch, NullLogger.Instance, maxWidthPx: 8, view: ViewMode.Srgb, outputs: outputs);
        var rgba = new byte[8 * 2 * 8];
        for (int i = 0; i < rgba.Length; i += 2) BitConverter.TryWriteBytes(rgba.AsSpan(i, 2), (ushort)32768);
        tap.Offer(Tick(0), [new CanvasPixels("out-16", 8, 2, 16, rgba)]);
        PngImage image = PngCodec.Decode(WaitFor(tap, "out-16").Png);
        Assert.Equal(8, image.BitDepth);
        Assert.InRange(image[3, 1, 0], ColorEncoding.LinearToSrgb8(32768 / 65535f) - 1, ColorEncoding.LinearToSrgb8(32768 / 65535f) + 1);
        Assert.InRange(image[3, 1, 0], 186, 190);
    }

    [Theory]
    [InlineData(ViewMode.Srgb, 202)]
    [InlineData(ViewMode.None, 148)]
    public void A_pq_canvas_at_reference_white_shows_white_ish_with_a_view_and_its_code_values_without(ViewMode view, int expected)
    {
        var watch = new PageWatch();
        watch.Touch();
        var outputs = new Dictionary<string, OutputColour> { ["pq"] = new OutputColour { Transfer = Transfer.Pq, Primaries = Primaries.Rec2020, PeakNits = 1000, ReferenceWhiteNits = 203 } };
        using var tap = new ThumbnailTap(new CountingOutput(), 1, watch, NullLogger.Instance, maxWidthPx: 8, view: view, outputs: outputs);
        // 203 nits is PQ 0.58069: 10-bit code 594, stored as 594 / 1023 in 16 bits.
        ushort sample = (ushort)Math.Round(594 / 1023.0 * 65535);
        var rgba = new byte[8 * 2 * 8];
        for (int i = 0; i < rgba.Length; i += 2) BitConverter.TryWriteBytes(rgba.AsSpan(i, 2), sample);
        tap.Offer(Tick(0), [new CanvasPixels("pq", 8, 2, 16, rgba)]);
        PngImage image = PngCodec.Decode(WaitFor(tap, "pq").Png);
        Assert.Equal(expected, image[3, 1, 0]);
        Assert.Equal(expected, image[3, 1, 2]);
    }

    [Fact]
    public void Nothing_is_taken_while_no_page_watches_and_at_most_once_every_n_frames_while_one_does()
    {
        var watch = new PageWatch();
        var output = new CountingOutput();
        using var tap = new ThumbnailTap(output, everyFrames: 24, watch, NullLogger.Instance, maxWidthPx: 8);
        for (long f = 0; f < 48; f++) Frame(tap, Tick(f), [Gradient()]);
        Assert.Equal(48, output.Frames);
        Assert.Equal(0, tap.RoundsTaken);
        Assert.Null(tap.Find("out-front"));

        watch.Touch();
        long taken = 0;
        for (long f = 48; f < 48 + 72; f++)
        {
            Frame(tap, Tick(f), [Gradient()]);
            if (tap.RoundsTaken > taken)
            {
                taken = tap.RoundsTaken;
                WaitFor(tap, "out-front", taken - 1);
            }
        }
        // Frames 48, 72 and 96: one round every 24 frames.
        Assert.Equal(3, tap.RoundsTaken);
        Assert.Equal(96, tap.Find("out-front")!.Frame);
    }

    [Fact]
    public void A_round_takes_one_image_a_frame_and_allocates_nothing_on_the_frame_thread_once_settled()
    {
        var watch = new PageWatch();
        watch.Touch();
        using var tap = new ThumbnailTap(new CountingOutput(), everyFrames: 1, watch, NullLogger.Instance, maxWidthPx: 8);
        CanvasPixels[] canvases = [Gradient(), Gradient() with { OutputId = "out-side" }];
        long frame = 10;
        // A frame copies one image: the round of two ends on the second frame, each thumbnail telling its own frame.
        tap.Offer(Tick(frame++), canvases);
        Assert.Equal(0, tap.RoundsTaken);
        tap.Offer(Tick(frame++), canvases);
        Assert.Equal(1, tap.RoundsTaken);
        Assert.Equal(10, WaitFor(tap, "out-front").Frame);
        Assert.Equal(11, WaitFor(tap, "out-side").Frame);
        for (int warm = 0; warm < 5; warm++)
        {
            tap.Offer(Tick(frame++), canvases);
            tap.Offer(Tick(frame++), canvases);
            WaitFor(tap, "out-side", tap.RoundsTaken - 1);
        }
        long roundsBefore = tap.RoundsTaken;
        long before = GC.GetAllocatedBytesForCurrentThread();
        tap.Offer(Tick(frame++), canvases);
        tap.Offer(Tick(frame), canvases);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(roundsBefore + 1, tap.RoundsTaken);
        Assert.Equal(0, allocated);
    }
}
