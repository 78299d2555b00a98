namespace Stage.Core.Colour;

/// <summary>A <c>.cube</c> file that cannot be used; the message names the file and line ("lut.cube:12: …").</summary>
public sealed class CubeLutException : Exception
{
    /// <summary>A fault at <paramref name="line"/> (1-based; 0 for the file as a whole) of <paramref name="path"/>.</summary>
    public CubeLutException(string path, int line, string reason)
        : base(line > 0 ? $"{path}:{line}: {reason}" : $"{path}: {reason}")
    {
        FilePath = path;
        Line = line;
        Reason = reason;
    }

    /// <summary>Creates an exception with a plain message.</summary>
    public CubeLutException() : this("", 0, "bad .cube file") { }

    /// <summary>Creates an exception with a plain message.</summary>
    public CubeLutException(string message) : this("", 0, message) { }

    /// <summary>Creates an exception with a plain message and a cause.</summary>
    public CubeLutException(string message, Exception inner) : base(message, inner)
    {
        FilePath = "";
        Reason = message;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; } = "";

    /// <summary>The line, 1-based (0: the file as a whole).</summary>
    public int Line { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; } = "";
}
