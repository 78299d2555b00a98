using System.Buffers.Binary;
using System.Diagnostics;

namespace Stage.Windowing.Tests;

/// <summary>
/// What the X server shows, read with <c>xwd -root</c> (Debian x11-apps): the peer that proves pixels
/// reached the display, not just a swapchain image. Parses the XWD format (version 7, ZPixmap, 24/32 bpp; depth 24 or 30).
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

    /// <summary>Runs xwd on the root window of <paramref name="display"/> (windows of another depth are converted to 8 bits a channel).</summary>
    public static XwdCapture Root(string display) => Run($"-root -silent -display {display}");

    /// <summary>Runs xwd on one window (its own pixels at its own depth: 10 bits a channel in a depth-30 window).</summary>
    public static XwdCapture Window(string display, ulong windowId) => Run($"-id {windowId} -nobdrs -silent -display {display}");

    private static XwdCapture Run(string arguments)
    {
        var start = new ProcessStartInfo("xwd", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("xwd did not start (Debian x11-apps)");
        using var memory = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(memory);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"xwd failed: {process.StandardError.ReadToEnd()}");
        return new XwdCapture(memory.ToArray());
    }

    /// <summary>The capture's pixel layout, for test logs.</summary>
    public override string ToString() => $"{Width} × {Height}, {_bytesPerPixel * 8} bits a pixel, masks {_redMask:x} {_greenMask:x} {_blueMask:x}";

    /// <summary>Bits per channel of the screen (8 at depth 24, 10 at depth 30).</summary>
    public int BitsPerChannel => System.Numerics.BitOperations.PopCount(_greenMask);

    /// <summary>The 8-bit R, G, B of screen pixel (x, y) (the top 8 bits at a deeper screen).</summary>
    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            (int r, int g, int b) = Codes(x, y);
            int shift = BitsPerChannel - 8;
            return ((byte)(r >> shift), (byte)(g >> shift), (byte)(b >> shift));
        }
    }

    /// <summary>The R, G, B code values of screen pixel (x, y) at the screen's own depth (<see cref="BitsPerChannel"/>).</summary>
    public (int R, int G, int B) Codes(int x, int y)
    {
        int at = _pixelOffset + y * _bytesPerLine + x * _bytesPerPixel;
        uint pixel = 0;
        for (int i = 0; i < _bytesPerPixel; i++)
            pixel |= (uint)_data[at + i] << (_msbFirst ? 8 * (_bytesPerPixel - 1 - i) : 8 * i);
        return (Channel(pixel, _redMask), Channel(pixel, _greenMask), Channel(pixel, _blueMask));
    }

    private static int Channel(uint pixel, uint mask) => (int)((pixel & mask) >> System.Numerics.BitOperations.TrailingZeroCount(mask));
}
