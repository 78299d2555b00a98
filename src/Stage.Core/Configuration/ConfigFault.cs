namespace Stage.Core.Configuration;

/// <summary>One fault in a stage configuration: where (a JSON path such as <c>walls[1].panel.pixels</c>) and why.</summary>
/// <param name="Path">JSON path of the faulty value, or "" for the document as a whole.</param>
/// <param name="Message">Plain reason, e.g. "must be two positive integers".</param>
public sealed record ConfigFault(string Path, string Message)
{
    /// <summary>"path: message", as the CLI prints it.</summary>
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
