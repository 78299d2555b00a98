using System.Text.Json;

namespace Stage.Core.Configuration;

// The output canvases and the wall regions each carries.
internal sealed partial class StageConfigReader
{
    private OutputCanvas? ReadOutput(JsonElement element, string path)
    {
        var reader = JsonObjectReader.Open(element, path, faults, "id", "pixels", "bitDepth", "regions", "colour");
        if (!reader.IsValid) return null;
        string? id = reader.String("id", required: true);
        int[]? pixels = reader.Integers("pixels", required: true, 2, min: 1);
        int? bitDepth = reader.Integer("bitDepth", required: false, 1, 64);
        if (bitDepth is not null and not (8 or 10 or 12 or 16))
        {
            reader.Fault("bitDepth", $"must be 8, 10, 12 or 16, not {bitDepth}");
            bitDepth = null;
        }
        Stage.Core.Colour.OutputColour? colour = ReadOutputColour(reader, bitDepth);
        var regions = new List<OutputRegion>();
        foreach ((JsonElement item, string itemPath) in reader.Array("regions", required: true))
        {
            var region = JsonObjectReader.Open(item, itemPath, faults, "wall", "wallPixels", "canvasOffset");
            if (!region.IsValid) continue;
            string? wall = region.String("wall", required: true);
            int[]? rect = region.Integers("wallPixels", required: true, 4, min: 0);
            if (rect is not null && (rect[2] < 1 || rect[3] < 1))
            {
                region.Fault("wallPixels", "must be [x, y, width, height] with a positive width and height");
                rect = null;
            }
            int[]? offset = region.Integers("canvasOffset", required: false, 2, min: 0) ?? (region.Has("canvasOffset") ? null : [0, 0]);
            if (wall is not null && rect is not null && offset is not null)
                regions.Add(new OutputRegion(wall, new PixelRect(rect[0], rect[1], rect[2], rect[3]), offset[0], offset[1]));
        }
        if (id is null || pixels is null || colour is null) return null;
        return new OutputCanvas { Id = id, PixelWidth = pixels[0], PixelHeight = pixels[1], BitDepth = bitDepth ?? 10, Regions = regions, Colour = colour };
    }
}
