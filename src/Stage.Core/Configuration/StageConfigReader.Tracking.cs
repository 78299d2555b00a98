using System.Text.Json;

namespace Stage.Core.Configuration;

// The tracking sources: each entry goes to the reader of its kind (the protocols are Stage.Tracking's plug-ins).
internal sealed partial class StageConfigReader
{
    private TrackingSourceConfig? ReadSource(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return FaultNull<TrackingSourceConfig>(path, $"must be an object, not {JsonObjectReader.Describe(element)}");
        string? kind = element.TryGetProperty("kind", out JsonElement kindElement) && kindElement.ValueKind == JsonValueKind.String
            ? kindElement.GetString() : null;
        ITrackingSourceReader? reader = trackingKinds.FirstOrDefault(r => r.Kind == kind);
        if (reader is not null) return reader.Read(element, path, faults);
        string known = trackingKinds.Count == 0
            ? "no tracking protocol is known to this reader (load the configuration through Stage.Tracking's StageConfigFile)"
            : "one of " + string.Join(", ", trackingKinds.Select(r => $"\"{r.Kind}\""));
        return FaultNull<TrackingSourceConfig>(JsonObjectReader.Join(path, "kind"), kind is null ? $"is required: {known}" : $"must be {known}, not '{kind}'");
    }
}
