using Microsoft.Extensions.Logging;
using Stage.Core.Colour;
using Stage.Core.Frames;
using Stage.Engine.Outputs;
using Stage.Engine.Timing;
using Stage.Render;
using Stage.Render.Imaging;

namespace Stage.Hosting.Operator;

/// <summary>
/// Thumbnails for the operator page. It wraps the run's output: while a page watches and a round is due or under way,
/// it asks for the frame's pixels too (<see cref="WantsPixels"/>: the renderer reads them back asynchronously, a frame or
/// more later); <see cref="Present"/> hands the wrapped output the frames it asked for, then <see cref="Offer"/> keeps a
/// thumbnail's worth. With no page open, nothing more is read back than the wrapped output asks for (a window: none).
/// <para>
/// On the frame thread, a round at most every <c>everyFrames</c> frames and only while a page watches and the
/// worker is idle: per frame, a copy of one row in N of <b>one</b> image (N = the image's width ÷ the thumbnail's)
/// into a buffer kept between rounds, the next image on the next frame, so a frame never pays for more than one
/// canvas; nothing else, no allocation after the first round. Off the frame thread, on the tap's own worker: the
/// box filter along each row (on code values), the output's view transform to 8-bit sRGB (<see cref="ViewTransform"/>;
/// with <see cref="ViewMode.None"/> the code values' top 8 bits), the PNG.
/// </para>
/// </summary>
public sealed class ThumbnailTap : IFrameOutput, IDisplayTiming
{
    /// <summary>Frames whose wrapped output's wish is remembered until their pixels come (more than frames in flight).</summary>
    private const int AskedFrames = 8;

    private readonly (long Frame, bool Asked)[] _innerAsked = new (long, bool)[AskedFrames];
    private readonly IFrameOutput _inner;
    private readonly int _everyFrames;
    private readonly int _maxWidthPx;
    private readonly PageWatch _watch;
    private readonly ILogger _log;
    private readonly List<Slot> _slots = [];
    private readonly SemaphoreSlim _work = new(0);
    private readonly Thread _worker;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Thumbnail> _published = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ViewTransform> _views = new(StringComparer.Ordinal);
    private volatile bool _stopping;
    private int _busy;
    private int _slotCount;
    private int _nextImage = -1;
    private long _nextFrame;
    private long _version;
    // The images the last frame handed over (a round takes one a frame), and the last frame asked for a round: with
    // frames in flight the pixels come a frame or more after the ask, so a round asks for exactly its frames up front.
    private int _imagesPerRound = 1;
    private long _askedTo = long.MinValue / 2;

    /// <summary>
    /// Wraps <paramref name="inner"/> (which stays the caller's to dispose); takes thumbnails at most
    /// <paramref name="maxWidthPx"/> wide every <paramref name="everyFrames"/> frames while <paramref name="watch"/> says a page looks.
    /// </summary>
    /// <remarks>
    /// <paramref name="view"/> <see cref="ViewMode.Srgb"/>: each image of an output in <paramref name="outputs"/> is shown
    /// through its view transform; others (and <see cref="ViewMode.None"/>) show their code values.
    /// </remarks>
    public ThumbnailTap(IFrameOutput inner, int everyFrames, PageWatch watch, ILogger log, int maxWidthPx = 320,
        ViewMode view = ViewMode.None, IReadOnlyDictionary<string, OutputColour>? outputs = null)
    {
        if (view == ViewMode.Srgb)
            foreach ((string id, OutputColour colour) in outputs ?? new Dictionary<string, OutputColour>()) _views[id] = new ViewTransform(colour);
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(watch);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentOutOfRangeException.ThrowIfLessThan(everyFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWidthPx, 8);
        _inner = inner;
        _everyFrames = everyFrames;
        _maxWidthPx = maxWidthPx;
        _watch = watch;
        _log = log;
        _worker = new Thread(Work) { IsBackground = true, Name = "operator page thumbnails", Priority = ThreadPriority.BelowNormal };
        _worker.Start();
    }

    /// <summary>The wrapped output's name: the tap is not an output of its own.</summary>
    public string Name => _inner.Name;

    /// <summary>Rounds taken (every image copied, one a frame, and handed to the worker).</summary>
    public long RoundsTaken { get; private set; }

    /// <summary>Rounds skipped because the worker was still busy with the last one.</summary>
    public long RoundsSkipped { get; private set; }

    /// <summary>True when the wrapped output paces by a display (the engine follows it then).</summary>
    public bool PacesFrames => _inner is IDisplayTiming { PacesFrames: true };

    /// <inheritdoc/>
    public bool ReportsDisplayTimes => _inner is IDisplayTiming { ReportsDisplayTimes: true };

    /// <inheritdoc/>
    public long FaultedFrames => _inner.FaultedFrames;

    /// <inheritdoc/>
    public void BeginFrame(FrameTick tick) => _inner.BeginFrame(tick);

    /// <summary>The wrapped output's wish, or this frame's pixels for a round due or under way while a page watches.</summary>
    public bool WantsPixels(FrameTick tick)
    {
        bool inner = _inner.WantsPixels(tick);
        _innerAsked[tick.Frame & (AskedFrames - 1)] = (tick.Frame, inner);
        return AskForRound(tick.Frame) || inner;
    }

    /// <summary>
    /// True for the frames a round needs: one per image, asked once when the round is due (a page watches, the worker is
    /// idle), and asked again only if they never came (frames that failed on the GPU).
    /// </summary>
    private bool AskForRound(long frame)
    {
        if (frame <= _askedTo) return true;
        bool stalled = frame > _askedTo + AskedFrames;
        bool start = _nextImage < 0 && frame >= _nextFrame && (_askedTo < _nextFrame || stalled)
            && _watch.IsWatched && Volatile.Read(ref _busy) == 0;
        bool resume = _nextImage >= 0 && stalled;
        if (!start && !resume) return false;
        _askedTo = frame + Math.Max(1, start ? _imagesPerRound : _imagesPerRound - _nextImage) - 1;
        return true;
    }

    /// <summary>Hands the wrapped output the frames it asked for, then keeps a thumbnail's worth (<see cref="Offer"/>).</summary>
    public void Present(FrameTick tick, IReadOnlyList<CanvasPixels> canvases)
    {
        (long frame, bool asked) = _innerAsked[tick.Frame & (AskedFrames - 1)];
        if (frame == tick.Frame && asked) _inner.Present(tick, canvases);
        Offer(tick, canvases);
    }

    /// <summary>
    /// Keeps a thumbnail's worth of <paramref name="images"/> when one is due, a page watches and the worker is
    /// free; otherwise returns at once. The images are not kept past the call. One thread at a time (the frame thread).
    /// </summary>
    public void Offer(FrameTick tick, IReadOnlyList<CanvasPixels> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count > 0) _imagesPerRound = images.Count;
        if (_nextImage < 0)
        {
            if (tick.Frame < _nextFrame || images.Count == 0 || !_watch.IsWatched) return;
            if (Volatile.Read(ref _busy) != 0)
            {
                RoundsSkipped++;
                return;
            }
            // By due frame, not frame % N: a slow stage drops frames, and frame numbers then skip the multiples.
            _nextFrame = tick.Frame + _everyFrames;
            _nextImage = 0;
            while (_slots.Count < images.Count) _slots.Add(new Slot());
        }
        // The images a frame hands over may change in number (they do not on a stage): the round ends with the fewer.
        if (_nextImage < images.Count && _nextImage < _slots.Count)
        {
            _slots[_nextImage].Take(images[_nextImage], _maxWidthPx, tick);
            _nextImage++;
        }
        if (_nextImage < Math.Min(images.Count, _slots.Count)) return;
        _slotCount = _nextImage;
        _nextImage = -1;
        RoundsTaken++;
        Volatile.Write(ref _busy, 1);
        _work.Release();
    }

    /// <summary>The newest thumbnail of image <paramref name="id"/>, or null before the first.</summary>
    public Thumbnail? Find(string id)
    {
        lock (_gate) return _published.GetValueOrDefault(id);
    }

    /// <summary>The newest thumbnail of every image, in id order.</summary>
    public IReadOnlyList<Thumbnail> Latest()
    {
        lock (_gate) return _published.Values.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Stops the worker. The wrapped output is the caller's and stays open.</summary>
    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        _work.Release();
        _worker.Join(TimeSpan.FromSeconds(5));
        _work.Dispose();
    }

    private void Work()
    {
        while (true)
        {
            _work.Wait();
            if (_stopping) return;
            long version = Interlocked.Increment(ref _version);
            for (int i = 0; i < _slotCount; i++)
            {
                Slot slot = _slots[i];
                try
                {
                    Thumbnail thumbnail = slot.Encode(version, _views.GetValueOrDefault(slot.Id));
                    lock (_gate) _published[thumbnail.Id] = thumbnail;
                }
                catch (Exception e)
                {
                    // Any fault stays on this thread: an exception escaping it would end the process, and the run with it.
                    _log.LogWarning("Operator page: the thumbnail of {Image} failed: {Reason}", slot.Id, e.Message);
                }
            }
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>One image's sampled rows between the frame thread (which fills them) and the worker (which encodes them).</summary>
    private sealed class Slot
    {
        private byte[] _rows = [];
        private int _width, _height, _bitDepth, _factor, _rowCount;
        private FrameTick _tick;

        public string Id { get; private set; } = "";

        /// <summary>Frame thread: copies one row in <c>factor</c>; reallocates only when the image's size changes.</summary>
        public void Take(CanvasPixels image, int maxWidthPx, FrameTick tick)
        {
            _tick = tick;
            int bytesPerPixel = image.BitDepth == 16 ? 8 : 4;
            int factor = Math.Max(1, (image.Width + maxWidthPx - 1) / maxWidthPx);
            int rowCount = Math.Max(1, image.Height / factor);
            int rowBytes = image.Width * bytesPerPixel;
            if (_rows.Length != rowCount * rowBytes) _rows = new byte[rowCount * rowBytes];
            (Id, _width, _height, _bitDepth, _factor, _rowCount) = (image.OutputId, image.Width, image.Height, image.BitDepth, factor, rowCount);
            ReadOnlySpan<byte> source = image.Rgba.Span;
            for (int r = 0; r < rowCount; r++)
            {
                // The middle row of each band of `factor` rows: the box filter runs along rows only.
                int sourceRow = Math.Min(image.Height - 1, r * factor + factor / 2);
                source.Slice(sourceRow * rowBytes, rowBytes).CopyTo(_rows.AsSpan(r * rowBytes, rowBytes));
            }
        }

        /// <summary>Worker: box-filters each kept row by <c>factor</c>, through <paramref name="view"/> (null: code values) to 8-bit sRGB, opaque, as a PNG.</summary>
        public Thumbnail Encode(long version, ViewTransform? view)
        {
            Span<double> mean = stackalloc double[3];
            int width = Math.Max(1, _width / _factor);
            var rgba = new byte[width * _rowCount * 4];
            int bytesPerPixel = _bitDepth == 16 ? 8 : 4;
            int rowBytes = _width * bytesPerPixel;
            for (int y = 0; y < _rowCount; y++)
            {
                ReadOnlySpan<byte> row = _rows.AsSpan(y * rowBytes, rowBytes);
                for (int x = 0; x < width; x++)
                {
                    int target = (y * width + x) * 4;
                    for (int c = 0; c < 3; c++)
                    {
                        double sum = 0;
                        for (int dx = 0; dx < _factor; dx++)
                        {
                            int pixel = x * _factor + dx;
                            sum += _bitDepth == 16
                                ? BitConverter.ToUInt16(row.Slice(pixel * 8 + c * 2, 2)) / 65535.0
                                : row[pixel * 4 + c] / 255.0;
                        }
                        mean[c] = sum / _factor;
                    }
                    if (view is not null)
                        (rgba[target], rgba[target + 1], rgba[target + 2]) = view.View8(mean[0], mean[1], mean[2]);
                    else
                        for (int c = 0; c < 3; c++) rgba[target + c] = (byte)Math.Round(mean[c] * 255);
                    rgba[target + 3] = 255;
                }
            }
            byte[] png = PngCodec.Encode(PngImage.FromRgba8(width, _rowCount, rgba));
            return new Thumbnail(Id, version, _tick.Frame, _tick.Timecode.ToString(), _width, _height, width, _rowCount, png);
        }
    }
}
