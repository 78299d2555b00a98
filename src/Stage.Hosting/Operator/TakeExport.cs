namespace Stage.Hosting.Operator;

/// <summary>An export file the page downloads.</summary>
/// <param name="FileName">Its name, as <c>stage takes export</c> names the same file.</param>
/// <param name="ContentType">Its media type.</param>
/// <param name="Content">Its text.</param>
public sealed record TakeExport(string FileName, string ContentType, string Content);
