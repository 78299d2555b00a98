using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace Stage.Render.Imaging;

/// <summary>
/// PNG (ISO/IEC 15948) writer and reader for 8- and 16-bit grey, grey+alpha, RGB and RGBA images,
/// compressed with the framework's zlib. The writer chooses a filter per row (the smallest sum of
/// absolute differences, the usual heuristic); the reader handles every filter, checks every CRC,
/// and refuses palette, low-bit-depth and interlaced files with a clear message.
/// </summary>
public static class PngCodec
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes an image as PNG bytes.</summary>
    public static byte[] Encode(PngImage image, CompressionLevel level = CompressionLevel.Fastest)
    {
        int bytesPerSample = image.BitDepth / 8;
        int bytesPerPixel = image.Channels * bytesPerSample;
        int stride = image.Width * bytesPerPixel;
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            byte[] previous = new byte[stride], current = new byte[stride], filtered = new byte[stride + 1], best = new byte[stride + 1];
            for (int y = 0; y < image.Height; y++)
            {
                int offset = y * image.Width * image.Channels;
                for (int i = 0; i < image.Width * image.Channels; i++)
                {
                    ushort sample = image.Samples[offset + i];
                    if (bytesPerSample == 1) current[i] = (byte)sample;
                    else BinaryPrimitives.WriteUInt16BigEndian(current.AsSpan(i * 2), sample);
                }
                long bestScore = long.MaxValue;
                for (byte filter = 0; filter <= 4; filter++)
                {
                    filtered[0] = filter;
                    long score = 0;
                    for (int i = 0; i < stride; i++)
                    {
                        int left = i >= bytesPerPixel ? current[i - bytesPerPixel] : 0;
                        int up = previous[i];
                        int upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                        byte value = (byte)(current[i] - Predict(filter, left, up, upLeft));
                        filtered[i + 1] = value;
                        score += value < 128 ? value : 256 - value;
                    }
                    if (score < bestScore)
                    {
                        bestScore = score;
                        filtered.CopyTo(best, 0);
                    }
                }
                zlib.Write(best);
                (previous, current) = (current, previous);
            }
        }

        using var file = new MemoryStream();
        file.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = (byte)image.BitDepth;
        header[9] = ColourType(image.Channels);
        header[10] = 0; header[11] = 0; header[12] = 0;
        WriteChunk(file, "IHDR", header);
        WriteChunk(file, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>Writes an image to a PNG file, atomically (a temporary file renamed into place).</summary>
    public static void Write(string path, PngImage image)
    {
        string temporary = path + ".partial";
        File.WriteAllBytes(temporary, Encode(image));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a PNG file.</summary>
    /// <exception cref="PngException">The file is not a PNG this reader supports; the message names the fault and its place.</exception>
    public static PngImage Read(string path)
    {
        try
        {
            return Decode(File.ReadAllBytes(path));
        }
        catch (PngException e)
        {
            throw new PngException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Decodes PNG bytes.</summary>
    /// <exception cref="PngException">The bytes are not a PNG this reader supports.</exception>
    public static PngImage Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < Signature.Length || !data[..Signature.Length].SequenceEqual(Signature)) throw new PngException("not a PNG file (bad signature at byte 0)");
        int position = Signature.Length;
        int width = 0, height = 0, bitDepth = 0, channels = 0;
        bool sawHeader = false, sawEnd = false;
        using var idat = new MemoryStream();
        while (position < data.Length)
        {
            if (data.Length - position < 12) throw new PngException($"truncated chunk header at byte {position}");
            int length = BinaryPrimitives.ReadInt32BigEndian(data[position..]);
            if (length < 0 || length > data.Length - position - 12) throw new PngException($"chunk at byte {position} claims {length} bytes, past the end of the file");
            string type = Encoding.ASCII.GetString(data.Slice(position + 4, 4));
            ReadOnlySpan<byte> body = data.Slice(position + 8, length);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(data[(position + 8 + length)..]);
            if (Crc32.HashToUInt32(data.Slice(position + 4, 4 + length)) != storedCrc) throw new PngException($"CRC mismatch in chunk {type} at byte {position}");
            switch (type)
            {
                case "IHDR":
                    if (length != 13) throw new PngException($"IHDR at byte {position} is {length} bytes, not 13");
                    width = BinaryPrimitives.ReadInt32BigEndian(body);
                    height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                    bitDepth = body[8];
                    if (width < 1 || height < 1) throw new PngException($"IHDR: image size {width} × {height} is not positive");
                    if ((long)width * height > 1L << 28) throw new PngException($"IHDR: image size {width} × {height} is too large");
                    channels = body[9] switch
                    {
                        0 => 1,
                        4 => 2,
                        2 => 3,
                        6 => 4,
                        3 => throw new PngException("IHDR: palette images (colour type 3) are not supported"),
                        _ => throw new PngException($"IHDR: colour type {body[9]} is not valid"),
                    };
                    if (bitDepth is not (8 or 16)) throw new PngException($"IHDR: bit depth {bitDepth} is not supported (8 or 16)");
                    if (body[10] != 0 || body[11] != 0) throw new PngException("IHDR: unknown compression or filter method");
                    if (body[12] != 0) throw new PngException("IHDR: interlaced (Adam7) images are not supported");
                    sawHeader = true;
                    break;
                case "IDAT":
                    if (!sawHeader) throw new PngException($"IDAT at byte {position} before IHDR");
                    idat.Write(body);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
                default:
                    // Ancillary chunks (lower-case first letter) may be skipped; an unknown critical one may not.
                    if (char.IsUpper(type[0])) throw new PngException($"unknown critical chunk {type} at byte {position}");
                    break;
            }
            position += 12 + length;
            if (sawEnd) break;
        }
        if (!sawHeader) throw new PngException("no IHDR chunk");
        if (!sawEnd) throw new PngException($"no IEND chunk (file ends at byte {data.Length})");

        int bytesPerPixel = channels * bitDepth / 8;
        int stride = width * bytesPerPixel;
        byte[] raw = new byte[(long)(stride + 1) * height];
        idat.Position = 0;
        try
        {
            using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
            zlib.ReadExactly(raw);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new PngException($"image data is damaged or short: {e.Message}", e);
        }
        var samples = new ushort[(long)width * height * channels];
        byte[] previous = new byte[stride], current = new byte[stride];
        for (int y = 0; y < height; y++)
        {
            int rowStart = y * (stride + 1);
            byte filter = raw[rowStart];
            if (filter > 4) throw new PngException($"row {y} has filter type {filter}, not 0–4");
            for (int i = 0; i < stride; i++)
            {
                int left = i >= bytesPerPixel ? current[i - bytesPerPixel] : 0;
                int upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                current[i] = (byte)(raw[rowStart + 1 + i] + Predict(filter, left, previous[i], upLeft));
            }
            int offset = y * width * channels;
            for (int i = 0; i < width * channels; i++)
                samples[offset + i] = bitDepth == 8 ? current[i] : BinaryPrimitives.ReadUInt16BigEndian(current.AsSpan(i * 2));
            (previous, current) = (current, previous);
        }
        return new PngImage(width, height, channels, bitDepth, samples);
    }

    private static int Predict(byte filter, int left, int up, int upLeft) => filter switch
    {
        0 => 0,
        1 => left,
        2 => up,
        3 => (left + up) >> 1,
        _ => Paeth(left, up, upLeft),
    };

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte ColourType(int channels) => channels switch { 1 => 0, 2 => 4, 3 => 2, _ => 6 };

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> body)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, body.Length);
        stream.Write(word);
        byte[] typeAndBody = new byte[4 + body.Length];
        Encoding.ASCII.GetBytes(type, typeAndBody);
        body.CopyTo(typeAndBody.AsSpan(4));
        stream.Write(typeAndBody);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.HashToUInt32(typeAndBody));
        stream.Write(word);
    }
}
