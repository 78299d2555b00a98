using System.Text.Json;

namespace Stage.Core.Configuration;

/// <summary>
/// A tracking protocol's part of the configuration loader: it reads one <c>tracking[]</c> entry whose
/// <c>kind</c> is its own into its configuration record. The loader knows no protocol; it is handed the
/// readers (Stage.Tracking's <c>TrackingProtocols.All</c>) and gives each entry to the one of its kind.
/// </summary>
public interface ITrackingSourceReader
{
    /// <summary>The <c>kind</c> this reader takes ("osc", "freed" …).</summary>
    string Kind { get; }

    /// <summary>
    /// Reads the entry at <paramref name="path"/> (e.g. <c>tracking[2]</c>), adding every fault with its path to
    /// <paramref name="faults"/>; returns null when the entry has faults.
    /// </summary>
    TrackingSourceConfig? Read(JsonElement entry, string path, List<ConfigFault> faults);
}
