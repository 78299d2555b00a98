using System.Numerics;
using System.Text.Json;
using Stage.Core.Space;

namespace Stage.Core.Configuration;

// The panel library and the walls (flat, ceiling, curved), each checked against whole panels.
internal sealed partial class StageConfigReader
{
    private Dictionary<string, PanelSpec> ReadPanelLibrary(JsonObjectReader top)
    {
        var panels = new Dictionary<string, PanelSpec>(StringComparer.Ordinal);
        JsonElement? element = top.Element("panels", required: false);
        if (element is null) return panels;
        if (element.Value.ValueKind != JsonValueKind.Object)
        {
            top.Fault("panels", "must be an object naming panel types");
            return panels;
        }
        foreach (JsonProperty property in element.Value.EnumerateObject())
        {
            PanelSpec? panel = ReadPanelObject(property.Value, $"panels.{property.Name}");
            if (panel is not null) panels[property.Name] = panel;
        }
        return panels;
    }

    private PanelSpec? ReadPanelObject(JsonElement element, string path)
    {
        var reader = JsonObjectReader.Open(element, path, faults, "sizeM", "pixels");
        if (!reader.IsValid) return null;
        double[]? size = reader.Numbers("sizeM", required: true, 2, positive: true);
        int[]? pixels = reader.Integers("pixels", required: true, 2, min: 1);
        return size is null || pixels is null ? null : new PanelSpec(size[0], size[1], pixels[0], pixels[1]);
    }

    private PanelSpec? ReadPanel(JsonObjectReader wall)
    {
        JsonElement? element = wall.Element("panel", required: true);
        if (element is null) return null;
        if (element.Value.ValueKind == JsonValueKind.String)
        {
            string key = element.Value.GetString()!;
            if (_panels.TryGetValue(key, out PanelSpec? named)) return named;
            string known = _panels.Count == 0 ? "none declared in \"panels\"" : string.Join(", ", _panels.Keys.Order(StringComparer.Ordinal));
            wall.Fault("panel", $"names panel type '{key}', which \"panels\" does not declare (declared: {known})");
            return null;
        }
        return ReadPanelObject(element.Value, wall.PathOf("panel"));
    }

    private Wall? ReadWall(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            faults.Add(new ConfigFault(path, $"must be an object, not {JsonObjectReader.Describe(element)}"));
            return null;
        }
        string? kind = element.TryGetProperty("kind", out JsonElement kindElement) && kindElement.ValueKind == JsonValueKind.String
            ? kindElement.GetString() : null;
        return kind switch
        {
            "flat" => ReadFlatWall(element, path, ceiling: false),
            "ceiling" => ReadFlatWall(element, path, ceiling: true),
            "curved" => ReadCurvedWall(element, path),
            _ => FaultNull<Wall>(JsonObjectReader.Join(path, "kind"), kind is null ? "is required: \"flat\", \"curved\" or \"ceiling\"" : $"must be \"flat\", \"curved\" or \"ceiling\", not '{kind}'"),
        };
    }

    private FlatWall? ReadFlatWall(JsonElement element, string path, bool ceiling)
    {
        var reader = ceiling
            ? JsonObjectReader.Open(element, path, faults, "id", "kind", "panel", "centreM", "sizeM", "headingDeg", "cdl")
            : JsonObjectReader.Open(element, path, faults, "id", "kind", "panel", "centreM", "sizeM", "orientation", "cdl");
        string? id = reader.String("id", required: true);
        PanelSpec? panel = ReadPanel(reader);
        double[]? centre = reader.Numbers("centreM", required: true, 3);
        double[]? size = reader.Numbers("sizeM", required: true, 2, positive: true);
        PanTiltRoll orientation;
        if (ceiling)
        {
            double heading = reader.Number("headingDeg", required: false, -360, 360) ?? 0;
            orientation = new PanTiltRoll(heading, 90, 0);
        }
        else
        {
            orientation = ReadOrientation(reader, "orientation") ?? default;
        }
        Stage.Core.Colour.AscCdl? cdl = ReadCdl(reader, "cdl");
        if (cdl is null || id is null || panel is null || centre is null || size is null) return null;
        int? columns = WholePanels(reader, size[0], panel.WidthM, "width");
        int? rows = WholePanels(reader, size[1], panel.HeightM, "height");
        if (columns is null || rows is null) return null;
        return new FlatWall
        {
            Id = id,
            Panel = panel,
            CentreM = new Vector3((float)centre[0], (float)centre[1], (float)centre[2]),
            Orientation = orientation,
            IsCeiling = ceiling,
            Cdl = cdl.Value,
            Columns = columns.Value,
            Rows = rows.Value,
        };
    }

    private int? WholePanels(JsonObjectReader reader, double sizeM, double panelM, string dimension)
    {
        double count = sizeM / panelM;
        int whole = (int)Math.Round(count);
        if (whole < 1 || Math.Abs(whole * panelM - sizeM) > StageConfigLoader.SizeToleranceM)
        {
            string suggestion = whole < 1 ? $"at least one panel is {Fmt(panelM)} m" : $"{whole} panels make {Fmt(whole * panelM)} m";
            reader.Fault("sizeM", $"{dimension} {Fmt(sizeM)} m is not a whole number of {Fmt(panelM)} m panels ({suggestion})");
            return null;
        }
        return whole;
    }

    private CurvedWall? ReadCurvedWall(JsonElement element, string path)
    {
        var reader = JsonObjectReader.Open(element, path, faults, "id", "kind", "panel", "centreM", "radiusM", "startDeg", "endDeg", "heightM", "columns", "cdl");
        string? id = reader.String("id", required: true);
        PanelSpec? panel = ReadPanel(reader);
        double[]? centre = reader.Numbers("centreM", required: true, 3);
        double? radius = reader.Number("radiusM", required: true, 0, minExclusive: true);
        double? start = reader.Number("startDeg", required: true, -360, 360);
        double? end = reader.Number("endDeg", required: true, -360, 720);
        double? height = reader.Number("heightM", required: true, 0, minExclusive: true);
        int? columns = reader.Integer("columns", required: true, 1, 10_000);
        if (start is not null && end is not null && (end <= start || end - start > 360))
        {
            reader.Fault("endDeg", $"must be greater than startDeg ({Fmt(start.Value)}) by at most 360");
            return null;
        }
        Stage.Core.Colour.AscCdl? cdl = ReadCdl(reader, "cdl");
        if (cdl is null || id is null || panel is null || centre is null || radius is null || start is null || end is null || height is null || columns is null)
            return null;
        double chord = CurvedWall.ChordFor(radius.Value, end.Value - start.Value, columns.Value);
        if (Math.Abs(chord - panel.WidthM) > StageConfigLoader.SizeToleranceM)
        {
            // Suggest the column count whose chord comes closest to the panel width.
            double columnAngle = 2 * double.RadiansToDegrees(Math.Asin(Math.Min(1, panel.WidthM / (2 * radius.Value))));
            int suggested = Math.Max(1, (int)Math.Round((end.Value - start.Value) / columnAngle));
            reader.Fault("columns", $"{columns} columns over {Fmt(end.Value - start.Value)}° at radius {Fmt(radius.Value)} m are {Fmt(chord)} m wide each, but the panel is {Fmt(panel.WidthM)} m wide (try {suggested} columns, or adjust the radius or angles)");
            return null;
        }
        int? rows = WholePanels(reader, height.Value, panel.HeightM, "height");
        if (rows is null) return null;
        return new CurvedWall
        {
            Id = id,
            Panel = panel,
            CentreXZM = new Vector2((float)centre[0], (float)centre[2]),
            BaseM = centre[1],
            RadiusM = radius.Value,
            StartDeg = start.Value,
            EndDeg = end.Value,
            Columns = columns.Value,
            Rows = rows.Value,
            Cdl = cdl.Value,
        };
    }

    private PanTiltRoll? ReadOrientation(JsonObjectReader parent, string name)
    {
        JsonElement? element = parent.Element(name, required: false);
        if (element is null) return null;
        var reader = JsonObjectReader.Open(element.Value, parent.PathOf(name), faults, "panDeg", "tiltDeg", "rollDeg");
        if (!reader.IsValid) return null;
        double pan = reader.Number("panDeg", required: false, -360, 360) ?? 0;
        double tilt = reader.Number("tiltDeg", required: false, -90, 90) ?? 0;
        double roll = reader.Number("rollDeg", required: false, -360, 360) ?? 0;
        return new PanTiltRoll(pan, tilt, roll);
    }
}
