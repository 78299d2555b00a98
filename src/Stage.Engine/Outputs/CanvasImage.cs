namespace Stage.Engine.Outputs;

/// <summary>
/// One output canvas's pixels for one frame, as the renderer read them back: tightly packed RGBA,
/// 8 bits per channel (sRGB) or 16 (linear half floats converted to 16-bit integers by the renderer).
/// The buffer is reused frame after frame; an output copies what it keeps.
/// </summary>
/// <param name="OutputId">The output canvas's id.</param>
/// <param name="Width">Pixels across.</param>
/// <param name="Height">Pixels down.</param>
/// <param name="BitDepth">8 or 16.</param>
/// <param name="Rgba">Width × height × 4 samples of <paramref name="BitDepth"/> bits (16-bit ones little-endian).</param>
public readonly record struct CanvasImage(string OutputId, int Width, int Height, int BitDepth, ReadOnlyMemory<byte> Rgba);
