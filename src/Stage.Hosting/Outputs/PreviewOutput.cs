using Stage.Engine.Timing;
using Stage.Render.Imaging;

using Stage.Engine.Outputs;
using Stage.Core.Colour;
using Stage.Core.Frames;

namespace Stage.Hosting.Outputs;

/// <summary>
/// A scaled-down PNG per canvas, refreshed about once a second (by frame count, not wall clock) in
/// <c>DIR/&lt;output id&gt;.png</c> — for a status display or a browser on the operator's desk. Each file
/// is replaced atomically, so a viewer never reads half an image. With a view (<see cref="ViewMode.Srgb"/>, the default)
/// each preview is the output's code values through its <see cref="ViewTransform"/>, as 8-bit sRGB, so a person sees a
/// sensible picture of a PQ or HLG wall; <see cref="ViewMode.None"/> writes the code values as they are (16-bit PNGs for
/// deeper canvases), for measuring. The transform runs on the CPU here, on pixels already read back asynchronously.
/// </summary>
public sealed class PreviewOutput : IFrameOutput
{
    private readonly string _folder;
    private readonly int _everyFrames;
    private readonly int _maxWidthPx;
    private readonly Dictionary<string, ViewTransform> _views = new(StringComparer.Ordinal);
    private long _nextFrame;

    /// <summary>
    /// Writes previews at most <paramref name="maxWidthPx"/> wide every <paramref name="everyFrames"/> frames; with
    /// <paramref name="view"/> <see cref="ViewMode.Srgb"/>, through each output's view transform (<paramref name="outputs"/>
    /// by id; an output not given is shown as sRGB code values).
    /// </summary>
    public PreviewOutput(string folder, int everyFrames, int maxWidthPx = 640, ViewMode view = ViewMode.None, IReadOnlyDictionary<string, OutputColour>? outputs = null)
    {
        View = view;
        if (view == ViewMode.Srgb)
            foreach ((string id, OutputColour colour) in outputs ?? new Dictionary<string, OutputColour>()) _views[id] = new ViewTransform(colour);
        ArgumentOutOfRangeException.ThrowIfLessThan(everyFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWidthPx, 16);
        _folder = Path.GetFullPath(folder);
        _everyFrames = everyFrames;
        _maxWidthPx = maxWidthPx;
        Directory.CreateDirectory(_folder);
    }

    /// <inheritdoc/>
    public string Name => $"preview ({_folder}, view {(View == ViewMode.Srgb ? "srgb" : "none")})";

    /// <summary>Whether previews go through the view transform.</summary>
    public ViewMode View { get; }

    /// <summary>Previews written.</summary>
    public long PreviewsWritten { get; private set; }

    /// <summary>Writes that failed (full disk …); the engine keeps running.</summary>
    public long WriteFailures { get; private set; }

    /// <inheritdoc/>
    public void BeginFrame(FrameTick tick)
    {
    }

    /// <summary>A frame about once a second: by due frame, not frame % N (a slow stage drops frames, and frame numbers then skip the multiples).</summary>
    public bool WantsPixels(FrameTick tick)
    {
        if (tick.Frame < _nextFrame) return false;
        _nextFrame = tick.Frame + _everyFrames;
        return true;
    }

    /// <inheritdoc/>
    public void Present(FrameTick tick, IReadOnlyList<CanvasPixels> canvases)
    {
        foreach (CanvasPixels canvas in canvases)
        {
            try
            {
                PngImage scaled = Downscale(FilesOutput.ToPng(canvas), _maxWidthPx);
                // Box-filtered code values first (fewer pixels to view), then the view: a picture, not a measurement.
                if (_views.TryGetValue(canvas.OutputId, out ViewTransform? view)) scaled = Viewed(scaled, view);
                PngCodec.Write(Path.Combine(_folder, canvas.OutputId + ".png"), scaled);
                PreviewsWritten++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteFailures++;
            }
        }
    }

    /// <summary>An image of code values (8 or 16 bits, RGBA) through <paramref name="view"/>: 8-bit sRGB RGBA.</summary>
    public static PngImage Viewed(PngImage image, ViewTransform view)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(view);
        var rgba = new byte[image.Width * image.Height * 4];
        double scale = image.BitDepth == 16 ? 65535.0 : 255.0;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                (byte r, byte g, byte b) = view.View8(image[x, y, 0] / scale, image[x, y, 1] / scale, image[x, y, 2] / scale);
                int i = (y * image.Width + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (r, g, b, 255);
            }
        return PngImage.FromRgba8(image.Width, image.Height, rgba);
    }

    /// <summary>A box-filtered copy at most <paramref name="maxWidthPx"/> wide (whole-number factor), same bit depth.</summary>
    public static PngImage Downscale(PngImage image, int maxWidthPx)
    {
        int factor = Math.Max(1, (image.Width + maxWidthPx - 1) / maxWidthPx);
        if (factor == 1) return image;
        int width = image.Width / factor, height = Math.Max(1, image.Height / factor);
        var samples = new ushort[width * height * image.Channels];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < image.Channels; c++)
                {
                    long sum = 0;
                    for (int dy = 0; dy < factor; dy++)
                        for (int dx = 0; dx < factor; dx++)
                            sum += image[x * factor + dx, Math.Min(image.Height - 1, y * factor + dy), c];
                    samples[(y * width + x) * image.Channels + c] = (ushort)((sum + factor * factor / 2) / (factor * factor));
                }
        return new PngImage(width, height, image.Channels, image.BitDepth, samples);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
