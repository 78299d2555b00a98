using System.Buffers.Binary;
using Stage.Engine.Timing;
using Stage.Render.Imaging;

using Stage.Engine.Outputs;
using Stage.Core.Frames;

namespace Stage.Hosting.Outputs;

/// <summary>How <see cref="FilesOutput"/> writes frames.</summary>
public enum FileFormat
{
    /// <summary>A PNG per canvas per frame (8 or 16 bits as rendered).</summary>
    Png,
    /// <summary>The raw RGBA bytes per canvas per frame, as read back (fastest; for checks and ingest tools).</summary>
    Raw,
}

/// <summary>
/// Writes every frame of every canvas into <c>DIR/&lt;output id&gt;/&lt;frame&gt;.png</c> (or <c>.rgba</c>), numbered
/// by frame with the frame's timecode in a sidecar index. A write that fails (full disk) is counted and
/// reported, and the engine keeps running: losing a debug frame must not stop a shoot.
/// </summary>
public sealed class FilesOutput : IFrameOutput
{
    private readonly string _folder;
    private readonly FileFormat _format;
    private readonly Dictionary<string, StreamWriter> _indexes = new(StringComparer.Ordinal);

    /// <summary>Writes into <paramref name="folder"/> (created when missing).</summary>
    public FilesOutput(string folder, FileFormat format)
    {
        _folder = Path.GetFullPath(folder);
        _format = format;
        Directory.CreateDirectory(_folder);
    }

    /// <inheritdoc/>
    public string Name => $"files ({_format.ToString().ToLowerInvariant()}, {_folder})";

    /// <summary>Files written.</summary>
    public long FilesWritten { get; private set; }

    /// <summary>Writes that failed.</summary>
    public long WriteFailures { get; private set; }

    /// <summary>The most recent write failure, for the status line.</summary>
    public string? LastFailure { get; private set; }

    /// <inheritdoc/>
    public void BeginFrame(FrameTick tick)
    {
    }

    /// <summary>Every frame: a file sequence keeps them all.</summary>
    public bool WantsPixels(FrameTick tick) => true;

    /// <inheritdoc/>
    public void Present(FrameTick tick, IReadOnlyList<CanvasPixels> canvases)
    {
        foreach (CanvasPixels canvas in canvases)
        {
            try
            {
                string folder = Path.Combine(_folder, canvas.OutputId);
                if (!_indexes.TryGetValue(canvas.OutputId, out StreamWriter? index))
                {
                    Directory.CreateDirectory(folder);
                    index = new StreamWriter(Path.Combine(folder, "frames.tsv"), append: false);
                    index.WriteLine("frame\ttimecode\tfile\twidth\theight\tbit_depth");
                    _indexes[canvas.OutputId] = index;
                }
                string name = $"{tick.Frame:000000}.{(_format == FileFormat.Png ? "png" : "rgba")}";
                string path = Path.Combine(folder, name);
                if (_format == FileFormat.Png) PngCodec.Write(path, ToPng(canvas));
                else File.WriteAllBytes(path, canvas.Rgba.ToArray());
                index.WriteLine($"{tick.Frame}\t{tick.Timecode}\t{name}\t{canvas.Width}\t{canvas.Height}\t{canvas.BitDepth}");
                index.Flush();
                FilesWritten++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteFailures++;
                LastFailure = $"{canvas.OutputId} frame {tick.Frame}: {e.Message}";
            }
        }
    }

    /// <summary>A canvas as a PNG image (16-bit samples are little-endian in the canvas buffer).</summary>
    public static PngImage ToPng(CanvasPixels canvas)
    {
        ReadOnlySpan<byte> bytes = canvas.Rgba.Span;
        if (canvas.BitDepth == 8) return PngImage.FromRgba8(canvas.Width, canvas.Height, bytes);
        var samples = new ushort[bytes.Length / 2];
        for (int i = 0; i < samples.Length; i++) samples[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]);
        return new PngImage(canvas.Width, canvas.Height, 4, 16, samples);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (StreamWriter index in _indexes.Values) index.Dispose();
        _indexes.Clear();
    }
}
