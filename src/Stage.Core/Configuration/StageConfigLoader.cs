using System.Text.Json;

namespace Stage.Core.Configuration;

/// <summary>The outcome of reading a stage configuration: the stage, or every fault found.</summary>
/// <param name="Config">The valid stage, or null when there are faults.</param>
/// <param name="Faults">Every fault, each with its JSON path; empty when the stage is valid.</param>
public sealed record ConfigLoadResult(StageConfig? Config, IReadOnlyList<ConfigFault> Faults)
{
    /// <summary>True when the configuration is valid.</summary>
    public bool IsValid => Config is not null && Faults.Count == 0;

    /// <summary>What a valid configuration may not mean (<see cref="ConfigWarnings"/>); none for an invalid one.</summary>
    public IReadOnlyList<ConfigFault> Warnings => IsValid ? ConfigWarnings.Of(Config!) : [];
}

/// <summary>
/// Reads and validates a stage configuration (JSON). Every fault is reported at once with its path:
/// malformed JSON (line and column), wrong types, unknown fields, out-of-range values, and faults
/// between parts (unknown references, regions outside walls or canvases, overlaps, wall pixels no
/// output carries, two sources on one port).
/// </summary>
public static class StageConfigLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 64,
    };

    /// <summary>Panel sizes must match a wall's size within this, metres (a cabinet's build tolerance).</summary>
    public const double SizeToleranceM = 0.002;

    /// <summary>
    /// Reads the configuration file at <paramref name="path"/>, its tracking sources through <paramref name="trackingKinds"/>
    /// (Stage.Tracking's <c>StageConfigFile.Load</c> passes every protocol of the build).
    /// </summary>
    public static ConfigLoadResult LoadFile(string path, IReadOnlyList<ITrackingSourceReader> trackingKinds)
    {
        string fullPath = System.IO.Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return new ConfigLoadResult(null, [new ConfigFault("", $"cannot read {fullPath}: {e.Message}")]);
        }
        return LoadText(text, fullPath, trackingKinds);
    }

    /// <summary>Reads a configuration from JSON text; relative paths resolve against <paramref name="sourcePath"/>'s folder.</summary>
    public static ConfigLoadResult LoadText(string json, string sourcePath, IReadOnlyList<ITrackingSourceReader> trackingKinds)
    {
        ArgumentNullException.ThrowIfNull(trackingKinds);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line
                ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}"
                : "unknown place";
            string reason = e.Message;
            int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut].TrimEnd('.', ' ');
            return new ConfigLoadResult(null, [new ConfigFault("", $"malformed JSON at {where}: {reason}")]);
        }
        using (document)
        {
            var faults = new List<ConfigFault>();
            string folder = sourcePath.Length == 0 ? Directory.GetCurrentDirectory() : System.IO.Path.GetDirectoryName(sourcePath)!;
            StageConfig? config = new StageConfigReader(faults, folder, sourcePath, trackingKinds).Read(document.RootElement);
            return faults.Count == 0 ? new ConfigLoadResult(config, faults) : new ConfigLoadResult(null, faults);
        }
    }
}
