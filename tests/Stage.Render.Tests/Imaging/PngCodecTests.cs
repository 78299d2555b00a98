using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Stage.Render.Imaging;

namespace Stage.Render.Tests.Imaging;

public sealed class PngCodecTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-png-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PngImage Gradient(int width, int height, int channels, int bitDepth)
    {
        var samples = new ushort[width * height * channels];
        int max = bitDepth == 8 ? 255 : 65535;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    samples[(y * width + x) * channels + c] = (ushort)((x * 37 + y * 101 + c * 53) * 997 % (max + 1));
        return new PngImage(width, height, channels, bitDepth, samples);
    }

    private static (int Exit, string Output) RunTool(string file, string arguments, string? stdoutFile = null)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        string output;
        if (stdoutFile is not null)
        {
            using FileStream target = File.Create(stdoutFile);
            process.StandardOutput.BaseStream.CopyTo(target);
            output = process.StandardError.ReadToEnd();
        }
        else
        {
            output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        }
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    [Fact]
    public void Every_layout_round_trips_exactly()
    {
        Gen<(int W, int H, int C, int D)> shapes =
            from w in Gen.Choose(1, 40) from h in Gen.Choose(1, 20) from c in Gen.Choose(1, 4) from d in Gen.Elements(8, 16) select (w, h, c, d);
        Prop.ForAll(shapes.ToArbitrary(), s =>
        {
            PngImage image = Gradient(s.W, s.H, s.C, s.D);
            PngImage back = PngCodec.Decode(PngCodec.Encode(image));
            return back.Width == s.W && back.Height == s.H && back.Channels == s.C && back.BitDepth == s.D && back.Samples.SequenceEqual(image.Samples);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(4, 8)]
    [InlineData(3, 16)]
    [InlineData(4, 16)]
    [InlineData(1, 8)]
    public void Pngcheck_accepts_what_stage_writes(int channels, int bitDepth)
    {
        string path = Path.Combine(_folder, $"image-{channels}-{bitDepth}.png");
        PngCodec.Write(path, Gradient(64, 48, channels, bitDepth));
        (int exit, string output) = RunTool("pngcheck", $"-v \"{path}\"");
        Assert.True(exit == 0, output);
        Assert.Contains("No errors detected", output);
        // pngcheck names bits per pixel: 32-bit RGB+alpha, 48-bit RGB, 8-bit grayscale …
        Assert.Contains($"64 x 48 image, {channels * bitDepth}-bit", output);
    }

    [Fact]
    public void Netpbm_reads_what_stage_writes_and_stage_reads_what_netpbm_writes()
    {
        // Stage → PNG → netpbm's pngtopnm → PPM: the pixels must survive.
        PngImage rgb = Gradient(16, 8, 3, 8);
        string png = Path.Combine(_folder, "rgb.png"), ppm = Path.Combine(_folder, "rgb.ppm");
        PngCodec.Write(png, rgb);
        (int exit, string error) = RunTool("pngtopnm", $"\"{png}\"", ppm);
        Assert.True(exit == 0, error);
        byte[] netpbm = File.ReadAllBytes(ppm);
        byte[] header = Encoding.ASCII.GetBytes("P6\n16 8\n255\n");
        Assert.Equal(header, netpbm[..header.Length]);
        Assert.Equal(rgb.Samples.Select(s => (byte)s).ToArray(), netpbm[header.Length..]);

        // netpbm → PNG (16-bit) → Stage.
        string ppm16 = Path.Combine(_folder, "deep.ppm"), png16 = Path.Combine(_folder, "deep.png");
        var body = new List<byte>(Encoding.ASCII.GetBytes("P6\n3 2\n65535\n"));
        ushort[] values = [0, 1, 65535, 256, 4660, 43981, 65534, 2, 3, 7, 8, 9, 100, 200, 300, 400, 500, 600];
        foreach (ushort v in values) { body.Add((byte)(v >> 8)); body.Add((byte)v); }
        File.WriteAllBytes(ppm16, [.. body]);
        (exit, error) = RunTool("pnmtopng", $"\"{ppm16}\"", png16);
        Assert.True(exit == 0, error);
        PngImage read = PngCodec.Read(png16);
        Assert.Equal((3, 2, 3, 16), (read.Width, read.Height, read.Channels, read.BitDepth));
        Assert.Equal(values, read.Samples);
    }

    [Fact]
    public void Damage_is_named_with_its_place()
    {
        byte[] good = PngCodec.Encode(Gradient(8, 8, 4, 8));
        Assert.Contains("signature", Assert.Throws<PngException>(() => PngCodec.Decode(good.AsSpan(1))).Message);
        byte[] flipped = (byte[])good.Clone();
        flipped[40] ^= 0x55;
        Assert.Contains("CRC mismatch in chunk", Assert.Throws<PngException>(() => PngCodec.Decode(flipped)).Message);
        Assert.Contains("past the end", Assert.Throws<PngException>(() => PngCodec.Decode(good.AsSpan(0, 60))).Message);
        string missing = Path.Combine(_folder, "truncated.png");
        File.WriteAllBytes(missing, good[..(good.Length - 12)]);
        Assert.Contains($"{missing}: no IEND", Assert.Throws<PngException>(() => PngCodec.Read(missing)).Message);
    }

    [Fact]
    public void Random_damage_only_ever_raises_png_exceptions()
    {
        byte[] good = PngCodec.Encode(Gradient(12, 9, 3, 16));
        Prop.ForAll(Gen.Choose(0, good.Length - 1).Two().ToArbitrary(), d =>
        {
            byte[] bad = (byte[])good.Clone();
            bad[d.Item1] ^= (byte)(1 + d.Item2 % 255);
            try
            {
                PngCodec.Decode(bad.AsSpan(0, Math.Max(8, bad.Length - d.Item2 % 7)));
                return true;
            }
            catch (PngException)
            {
                return true;
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_iend_chunk_carries_the_crc_every_png_has()
    {
        byte[] png = PngCodec.Encode(Gradient(1, 1, 4, 8));
        Assert.Equal(new byte[] { 0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82 }, png[^12..]);
    }

    /// <summary>The chunk CRC and the bytes of an encoded image, pinned before the CRC moved to System.IO.Hashing.</summary>
    [Fact]
    public void Chunk_crc_and_encoded_bytes_are_pinned()
    {
        Assert.Equal(0xCBF43926u, Crc32.HashToUInt32("123456789"u8));
        byte[] data = new byte[4099];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 31 + (i >> 5));
        Assert.Equal(0xe9b85eb4u, Crc32.HashToUInt32(data));
        Assert.Equal("239a1923b197ad65432796e6c4ee4c4cd563c337d6592b9b872f0e146defe9fc", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(PngCodec.Encode(Gradient(37, 11, 3, 16)))));
    }
}
