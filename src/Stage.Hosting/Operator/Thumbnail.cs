namespace Stage.Hosting.Operator;

/// <summary>A small picture of one output canvas (or, once the asynchronous readback feeds them, a camera's inner frustum) as the page shows it.</summary>
/// <param name="Id">The image's id: the output canvas's id ("out-front"), or "inner-A" for camera A's inner frustum.</param>
/// <param name="Version">The thumbnail round it came from (goes up about once a second while a page watches).</param>
/// <param name="Frame">The engine frame it shows.</param>
/// <param name="Timecode">That frame's timecode.</param>
/// <param name="SourceWidth">The full image's width, pixels.</param>
/// <param name="SourceHeight">The full image's height, pixels.</param>
/// <param name="Width">The thumbnail's width, pixels.</param>
/// <param name="Height">The thumbnail's height, pixels.</param>
/// <param name="Png">The thumbnail as an 8-bit sRGB PNG.</param>
public sealed record Thumbnail(string Id, long Version, long Frame, string Timecode, int SourceWidth, int SourceHeight, int Width, int Height, byte[] Png);
