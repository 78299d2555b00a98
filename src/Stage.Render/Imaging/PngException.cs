namespace Stage.Render.Imaging;

/// <summary>A PNG file cannot be read: the message says what is wrong and at which byte or chunk.</summary>
public sealed class PngException(string message, Exception? inner = null) : Exception(message, inner);
