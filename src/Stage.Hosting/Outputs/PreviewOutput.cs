using Stage.Engine.Timing;
using Stage.Render.Imaging;

using Stage.Engine.Outputs;
using Stage.Core.Frames;

namespace Stage.Hosting.Outputs;

/// <summary>
/// A scaled-down PNG per canvas, refreshed about once a second (by frame count, not wall clock) in
/// <c>DIR/&lt;output id&gt;.png</c> — for a status display or a browser on the operator's desk. Each file
/// is replaced atomically, so a viewer never reads half an image.
/// </summary>
public sealed class PreviewOutput : IFrameOutput
{
    private readonly string _folder;
    private readonly int _everyFrames;
    private readonly int _maxWidthPx;
    private long _nextFrame;

    /// <summary>Writes previews at most <paramref name="maxWidthPx"/> wide every <paramref name="everyFrames"/> frames.</summary>
    public PreviewOutput(string folder, int everyFrames, int maxWidthPx = 640)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(everyFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWidthPx, 16);
        _folder = Path.GetFullPath(folder);
        _everyFrames = everyFrames;
        _maxWidthPx = maxWidthPx;
        Directory.CreateDirectory(_folder);
    }

    /// <inheritdoc/>
    public string Name => $"preview ({_folder})";

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
                PngCodec.Write(Path.Combine(_folder, canvas.OutputId + ".png"), Downscale(FilesOutput.ToPng(canvas), _maxWidthPx));
                PreviewsWritten++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteFailures++;
            }
        }
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
