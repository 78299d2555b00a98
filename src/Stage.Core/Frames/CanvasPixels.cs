namespace Stage.Core.Frames;

/// <summary>
/// One output canvas's pixels for one frame, as read back from the GPU: tightly packed RGBA, 8 bits per
/// channel (sRGB) or 16 (linear, little-endian). The buffer belongs to whoever read it back and is reused
/// for a later frame; an output copies what it keeps.
/// </summary>
/// <param name="OutputId">The output canvas's id.</param>
/// <param name="Width">Pixels across.</param>
/// <param name="Height">Pixels down.</param>
/// <param name="BitDepth">8 or 16.</param>
/// <param name="Rgba">Width × height × 4 samples of <paramref name="BitDepth"/> bits.</param>
public readonly record struct CanvasPixels(string OutputId, int Width, int Height, int BitDepth, ReadOnlyMemory<byte> Rgba);
