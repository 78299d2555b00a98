using System.Buffers.Binary;
using System.Diagnostics;

namespace Stage.Windowing.Tests;

/// <summary>
/// What the X server shows, read with <c>xwd -root</c> (Debian x11-apps): the peer that proves pixels
/// reached the display, not just a swapchain image. Parses the XWD format (version 7, ZPixmap, 24/32 bpp).
/// </summary>
internal sealed class XwdCapture
{
    private readonly byte[] _data;
    private readonly int _pixelOffset, _bytesPerLine, _bytesPerPixel;
    private readonly bool _msbFirst;
    private readonly uint _redMask, _greenMask, _blueMask;

    private XwdCapture(byte[] data)
    {
        _data = data;
        uint Field(int i) => BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(i * 4));
        int headerSize = (int)Field(0);
        Assert.Equal(7u, Field(1));
        Assert.Equal(2u, Field(2)); // ZPixmap
        Width = (int)Field(4);
        Height = (int)Field(5);
        _msbFirst = Field(7) == 1;
        _bytesPerPixel = (int)Field(11) / 8;
        _bytesPerLine = (int)Field(12);
        _redMask = Field(14);
        _greenMask = Field(15);
        _blueMask = Field(16);
        int colours = (int)Field(19);
        _pixelOffset = headerSize + colours * 12;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Runs xwd on the root window of <paramref name="display"/>.</summary>
    public static XwdCapture Root(string display)
    {
        var start = new ProcessStartInfo("xwd", $"-root -silent -display {display}") { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("xwd did not start (Debian x11-apps)");
        using var memory = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(memory);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"xwd failed: {process.StandardError.ReadToEnd()}");
        return new XwdCapture(memory.ToArray());
    }

    /// <summary>The 8-bit R, G, B of screen pixel (x, y).</summary>
    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            int at = _pixelOffset + y * _bytesPerLine + x * _bytesPerPixel;
            uint pixel = 0;
            for (int i = 0; i < _bytesPerPixel; i++)
                pixel |= (uint)_data[at + i] << (_msbFirst ? 8 * (_bytesPerPixel - 1 - i) : 8 * i);
            return (Channel(pixel, _redMask), Channel(pixel, _greenMask), Channel(pixel, _blueMask));
        }
    }

    private static byte Channel(uint pixel, uint mask) => (byte)((pixel & mask) >> System.Numerics.BitOperations.TrailingZeroCount(mask));
}
