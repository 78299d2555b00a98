using System.Text.Json;

namespace Stage.Core.Configuration;

// Checks between sections: unique ids, references that resolve, regions inside walls and canvases, every wall pixel carried, one input per port.
internal sealed partial class StageConfigReader
{
    private void CheckUnique(IEnumerable<string> ids, string listName, string what)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int index = 0;
        foreach (string id in ids)
        {
            if (seen.TryGetValue(id, out int first))
                faults.Add(new ConfigFault($"{listName}[{index}].id", $"{what} id '{id}' is already used by {listName}[{first}]"));
            else
                seen[id] = index;
            index++;
        }
    }

    private void CrossCheckOutputs(List<Wall> walls, List<OutputCanvas> outputs, JsonElement root)
    {
        // Paths refer to positions in the file; outputs/regions that failed to read are skipped, so map by index.
        var wallsById = new Dictionary<string, Wall>(StringComparer.Ordinal);
        foreach (Wall wall in walls) wallsById.TryAdd(wall.Id, wall);
        var carried = new Dictionary<string, List<PixelRect>>(StringComparer.Ordinal);
        int outputIndex = -1;
        foreach (OutputCanvas output in outputs)
        {
            outputIndex = IndexOfId(root, "outputs", output.Id, outputIndex);
            string outputPath = $"outputs[{outputIndex}]";
            for (int r = 0; r < output.Regions.Count; r++)
            {
                OutputRegion region = output.Regions[r];
                string regionPath = $"{outputPath}.regions[{r}]";
                if (!wallsById.TryGetValue(region.WallId, out Wall? wall))
                {
                    bool declared = WallDeclared(root, region.WallId);
                    if (!declared)
                        faults.Add(new ConfigFault($"{regionPath}.wall", $"names wall '{region.WallId}', which does not exist (walls: {string.Join(", ", walls.Select(w => w.Id))})"));
                }
                else if (!wall.Bounds.Contains(region.WallRect))
                {
                    faults.Add(new ConfigFault($"{regionPath}.wallPixels", $"{region.WallRect} falls outside wall '{wall.Id}' ({wall.PixelWidth} × {wall.PixelHeight} px)"));
                }
                else
                {
                    if (!carried.TryGetValue(wall.Id, out List<PixelRect>? list)) carried[wall.Id] = list = [];
                    list.Add(region.WallRect);
                }
                if (!output.Bounds.Contains(region.CanvasRect))
                    faults.Add(new ConfigFault($"{regionPath}.canvasOffset", $"the region lands on canvas {region.CanvasRect}, outside output '{output.Id}' ({output.PixelWidth} × {output.PixelHeight} px)"));
                for (int earlier = 0; earlier < r; earlier++)
                {
                    PixelRect? overlap = output.Regions[earlier].CanvasRect.Intersect(region.CanvasRect);
                    if (overlap is not null)
                        faults.Add(new ConfigFault(regionPath, $"overlaps {outputPath}.regions[{earlier}] on the canvas at {overlap}"));
                }
            }
        }
        int wallIndex = -1;
        foreach (Wall wall in walls)
        {
            wallIndex = IndexOfId(root, "walls", wall.Id, wallIndex);
            IReadOnlyList<PixelRect> gaps = wall.Bounds.Uncovered(carried.GetValueOrDefault(wall.Id) ?? []);
            if (gaps.Count == 0) continue;
            long missing = gaps.Sum(g => g.Area);
            string shown = string.Join("; ", gaps.Take(3).Select(g => g.ToString()));
            string more = gaps.Count > 3 ? $"; and {gaps.Count - 3} more areas" : "";
            faults.Add(new ConfigFault($"walls[{wallIndex}]", $"{missing} of wall '{wall.Id}''s {wall.Bounds.Area} pixels are carried by no output: {shown}{more}"));
        }
    }

    private void CrossCheckCameras(List<CameraConfig> cameras, List<TrackingSourceConfig> sources, JsonElement root)
    {
        int index = -1;
        foreach (CameraConfig camera in cameras)
        {
            index = IndexOfId(root, "cameras", camera.Id, index);
            if (sources.Any(s => s.Id == camera.SourceId) || SourceDeclared(root, camera.SourceId)) continue;
            string known = sources.Count == 0 ? "none" : string.Join(", ", sources.Select(s => s.Id));
            faults.Add(new ConfigFault($"cameras[{index}].source", $"names tracking source '{camera.SourceId}', which does not exist (sources: {known})"));
        }
    }

    private void CrossCheckPorts(List<TrackingSourceConfig> sources, ControlConfig control)
    {
        var users = new List<(int Port, string Who, TrackingSourceConfig? Source)> { (control.Port, "control", null) };
        for (int i = 0; i < sources.Count; i++)
        {
            TrackingSourceConfig source = sources[i];
            if (!source.ListensOnPort) continue;
            foreach ((int port, string who, TrackingSourceConfig? other) in users)
            {
                if (port != source.Port) continue;
                // Sources of one port joined to different multicast groups are told apart by group (OpenTrackIO's fixed port).
                if (source.MulticastGroupJoined is string a && other?.MulticastGroupJoined is string b && a != b) continue;
                faults.Add(new ConfigFault($"tracking[{i}].port", $"port {port} is already used by {who}; two inputs cannot listen on one port"));
                break;
            }
            users.Add((source.Port, $"tracking source '{source.Id}'", source));
        }
    }

    private static int IndexOfId(JsonElement root, string list, string id, int after)
    {
        if (root.TryGetProperty(list, out JsonElement array) && array.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement item in array.EnumerateArray())
            {
                if (i > after && item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out JsonElement value) &&
                    value.ValueKind == JsonValueKind.String && value.GetString() == id)
                    return i;
                i++;
            }
        }
        return after + 1;
    }

    private static bool WallDeclared(JsonElement root, string id) => IdDeclared(root, "walls", id);

    private static bool SourceDeclared(JsonElement root, string id) => IdDeclared(root, "tracking", id);

    // A reference to an entry that exists but failed to read is not a second fault: its own faults say why.
    private static bool IdDeclared(JsonElement root, string list, string id) =>
        root.TryGetProperty(list, out JsonElement array) && array.ValueKind == JsonValueKind.Array &&
        array.EnumerateArray().Any(item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out JsonElement value) &&
                                           value.ValueKind == JsonValueKind.String && value.GetString() == id);
}
