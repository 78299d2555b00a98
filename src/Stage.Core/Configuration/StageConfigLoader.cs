using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text.Json;
using Stage.Core.Space;
using Stage.Core.Time;

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

    /// <summary>Reads the configuration file at <paramref name="path"/>.</summary>
    public static ConfigLoadResult LoadFile(string path)
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
        return LoadText(text, fullPath);
    }

    /// <summary>Reads a configuration from JSON text; relative paths resolve against <paramref name="sourcePath"/>'s folder.</summary>
    public static ConfigLoadResult LoadText(string json, string sourcePath)
    {
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
            StageConfig? config = new Reader(faults, folder, sourcePath).Read(document.RootElement);
            return faults.Count == 0 ? new ConfigLoadResult(config, faults) : new ConfigLoadResult(null, faults);
        }
    }

    private sealed class Reader(List<ConfigFault> faults, string folder, string sourcePath)
    {
        private Dictionary<string, PanelSpec> _panels = new(StringComparer.Ordinal);

        public StageConfig? Read(JsonElement root)
        {
            var top = JsonObjectReader.Open(root, "", faults,
                "name", "frameRate", "panels", "walls", "outputs", "cameras", "tracking", "control", "world", "takes", "display", "operator", "render");
            if (!top.IsValid) return null;

            string? name = top.String("name", required: true);
            FrameRate? rate = ReadFrameRate(top);
            _panels = ReadPanelLibrary(top);
            List<Wall> walls = ReadList(top, "walls", ReadWall);
            List<OutputCanvas> outputs = ReadList(top, "outputs", ReadOutput);
            List<TrackingSourceConfig> sources = ReadList(top, "tracking", ReadSource);
            List<CameraConfig> cameras = ReadList(top, "cameras", ReadCamera);
            ControlConfig control = ReadControl(top);
            string? worldPath = ReadWorld(top);
            string takesPath = ReadTakes(top);
            DisplayConfig display = ReadDisplay(top, outputs);
            OperatorConfig operatorConfig = ReadOperator(top, cameras, sources);
            RenderConfig render = ReadRender(top);

            if (walls.Count == 0 && top.Has("walls") && faults.Count == 0) top.Fault("walls", "must hold at least one wall");
            CheckUnique(walls.Select(w => w.Id), "walls", "wall");
            CheckUnique(outputs.Select(o => o.Id), "outputs", "output");
            CheckUnique(cameras.Select(c => c.Id), "cameras", "camera");
            CheckUnique(sources.Select(s => s.Id), "tracking", "tracking source");
            CrossCheckOutputs(walls, outputs, root);
            CrossCheckCameras(cameras, sources, root);
            CrossCheckPorts(sources, control);

            if (faults.Count > 0 || name is null || rate is null) return null;
            return new StageConfig
            {
                Name = name,
                SourcePath = sourcePath,
                FrameRate = rate.Value,
                Walls = walls,
                Outputs = outputs,
                Cameras = cameras,
                TrackingSources = sources,
                Control = control,
                WorldScenePath = worldPath,
                TakeDatabasePath = takesPath,
                Display = display,
                Operator = operatorConfig,
                Render = render,
            };
        }

        private FrameRate? ReadFrameRate(JsonObjectReader top)
        {
            JsonElement? element = top.Element("frameRate", required: true);
            if (element is null) return null;
            string? text = element.Value.ValueKind switch
            {
                JsonValueKind.String => element.Value.GetString(),
                JsonValueKind.Number => element.Value.GetRawText(),
                _ => null,
            };
            if (text is null)
            {
                top.Fault("frameRate", $"must be a rate such as \"24000/1001\", \"23.976\" or 25, not {JsonObjectReader.Describe(element.Value)}");
                return null;
            }
            if (!FrameRate.TryParse(text, out FrameRate rate, out string error))
            {
                top.Fault("frameRate", error);
                return null;
            }
            return rate;
        }

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

        private List<T> ReadList<T>(JsonObjectReader top, string name, Func<JsonElement, string, T?> readItem) where T : class
        {
            var list = new List<T>();
            foreach ((JsonElement item, string path) in top.Array(name, required: name is "walls" or "outputs" or "cameras" or "tracking"))
            {
                T? value = readItem(item, path);
                if (value is not null) list.Add(value);
            }
            return list;
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
                ? JsonObjectReader.Open(element, path, faults, "id", "kind", "panel", "centreM", "sizeM", "headingDeg")
                : JsonObjectReader.Open(element, path, faults, "id", "kind", "panel", "centreM", "sizeM", "orientation");
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
            if (id is null || panel is null || centre is null || size is null) return null;
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
                Columns = columns.Value,
                Rows = rows.Value,
            };
        }

        private int? WholePanels(JsonObjectReader reader, double sizeM, double panelM, string dimension)
        {
            double count = sizeM / panelM;
            int whole = (int)Math.Round(count);
            if (whole < 1 || Math.Abs(whole * panelM - sizeM) > SizeToleranceM)
            {
                string suggestion = whole < 1 ? $"at least one panel is {Fmt(panelM)} m" : $"{whole} panels make {Fmt(whole * panelM)} m";
                reader.Fault("sizeM", $"{dimension} {Fmt(sizeM)} m is not a whole number of {Fmt(panelM)} m panels ({suggestion})");
                return null;
            }
            return whole;
        }

        private CurvedWall? ReadCurvedWall(JsonElement element, string path)
        {
            var reader = JsonObjectReader.Open(element, path, faults, "id", "kind", "panel", "centreM", "radiusM", "startDeg", "endDeg", "heightM", "columns");
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
            if (id is null || panel is null || centre is null || radius is null || start is null || end is null || height is null || columns is null)
                return null;
            double chord = CurvedWall.ChordFor(radius.Value, end.Value - start.Value, columns.Value);
            if (Math.Abs(chord - panel.WidthM) > SizeToleranceM)
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

        private OutputCanvas? ReadOutput(JsonElement element, string path)
        {
            var reader = JsonObjectReader.Open(element, path, faults, "id", "pixels", "bitDepth", "regions");
            if (!reader.IsValid) return null;
            string? id = reader.String("id", required: true);
            int[]? pixels = reader.Integers("pixels", required: true, 2, min: 1);
            int? bitDepth = reader.Integer("bitDepth", required: false, 1, 64);
            if (bitDepth is not null and not (8 or 10 or 12 or 16))
            {
                reader.Fault("bitDepth", $"must be 8, 10, 12 or 16, not {bitDepth}");
                bitDepth = null;
            }
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
            if (id is null || pixels is null) return null;
            return new OutputCanvas { Id = id, PixelWidth = pixels[0], PixelHeight = pixels[1], BitDepth = bitDepth ?? 10, Regions = regions };
        }

        private CameraConfig? ReadCamera(JsonElement element, string path)
        {
            var reader = JsonObjectReader.Open(element, path, faults,
                "id", "sensorMm", "focalLengthMm", "overscanPercent", "innerResolution", "source", "trackedId", "entrancePupilOffsetM");
            if (!reader.IsValid) return null;
            string? id = reader.String("id", required: true);
            double[]? sensor = reader.Numbers("sensorMm", required: true, 2, positive: true);
            double? focal = reader.Number("focalLengthMm", required: true, 0, 2000, minExclusive: true);
            double? overscan = reader.Number("overscanPercent", required: false, 0, 100);
            int[]? resolution = reader.Integers("innerResolution", required: true, 2, min: 16);
            string? source = reader.String("source", required: true);
            string? trackedId = reader.String("trackedId", required: false);
            double[]? pupil = reader.Numbers("entrancePupilOffsetM", required: false, 3);
            if (resolution is not null && (resolution[0] > 16384 || resolution[1] > 16384))
            {
                reader.Fault("innerResolution", "must be at most 16384 × 16384");
                resolution = null;
            }
            if (id is null || sensor is null || focal is null || resolution is null || source is null) return null;
            return new CameraConfig
            {
                Id = id,
                SensorWidthMm = sensor[0],
                SensorHeightMm = sensor[1],
                FocalLengthMm = focal.Value,
                OverscanPercent = overscan ?? 10,
                InnerWidthPx = resolution[0],
                InnerHeightPx = resolution[1],
                SourceId = source,
                TrackedId = trackedId ?? id,
                EntrancePupilOffsetM = pupil is null ? Vector3.Zero : new Vector3((float)pupil[0], (float)pupil[1], (float)pupil[2]),
            };
        }

        private TrackingSourceConfig? ReadSource(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
                return FaultNull<TrackingSourceConfig>(path, $"must be an object, not {JsonObjectReader.Describe(element)}");
            string? kind = element.TryGetProperty("kind", out JsonElement kindElement) && kindElement.ValueKind == JsonValueKind.String
                ? kindElement.GetString() : null;
            return kind switch
            {
                "osc" => ReadOscSource(element, path),
                "freed" => ReadFreeDSource(element, path),
                "opentrackio" => ReadOpenTrackIOSource(element, path),
                "virtual" => ReadVirtualSource(element, path),
                _ => FaultNull<TrackingSourceConfig>(JsonObjectReader.Join(path, "kind"), kind is null ? "is required: \"osc\", \"freed\", \"opentrackio\" or \"virtual\"" : $"must be \"osc\", \"freed\", \"opentrackio\" or \"virtual\", not '{kind}'"),
            };
        }

        private OscSourceConfig? ReadOscSource(JsonElement element, string path)
        {
            var reader = JsonObjectReader.Open(element, path, faults, "id", "kind", "bind", "port", "delayMs", "addresses", "rotation", "eulerOrder", "units", "axes");
            string? id = reader.String("id", required: true);
            string? bind = ReadBind(reader);
            int? port = reader.Integer("port", required: true, 1, 65535);
            double delay = reader.Number("delayMs", required: false, -1000, 1000) ?? 0;
            var addresses = new SortedDictionary<string, string>(StringComparer.Ordinal);
            JsonElement? addressElement = reader.Element("addresses", required: true);
            string[] roles = ["pose", "position", "rotation", "focalLength", "focus", "iris"];
            if (addressElement is not null)
            {
                var addressReader = JsonObjectReader.Open(addressElement.Value, reader.PathOf("addresses"), faults, roles);
                foreach (string role in roles)
                {
                    string? pattern = addressReader.String(role, required: false);
                    if (pattern is null) continue;
                    if (!pattern.StartsWith('/') || pattern.Any(c => c is ' ' or '#' or ',') )
                        addressReader.Fault(role, $"'{pattern}' is not an OSC address pattern (it must start with '/' and hold no spaces, '#' or ',')");
                    else
                        addresses[role] = pattern;
                }
                if (addressReader.IsValid && !addresses.ContainsKey("pose") && !(addresses.ContainsKey("position") && addresses.ContainsKey("rotation")))
                    reader.Fault("addresses", "must give \"pose\", or both \"position\" and \"rotation\"");
            }
            string? rotation = reader.Choice("rotation", required: false, "euler", "quaternion");
            IReadOnlyList<string> order = ["pan", "tilt", "roll"];
            string? orderText = reader.String("eulerOrder", required: false);
            if (orderText is not null)
            {
                string[] parts = orderText.Split(',', StringSplitOptions.TrimEntries);
                if (parts.Length != 3 || parts.Order(StringComparer.Ordinal).SequenceEqual(["pan", "roll", "tilt"]) == false)
                    reader.Fault("eulerOrder", $"must name pan, tilt and roll once each, comma-separated (e.g. \"pan,tilt,roll\"), not '{orderText}'");
                else
                    order = parts;
            }
            LengthUnit lengthUnit = LengthUnit.Metres;
            AngleUnit angleUnit = AngleUnit.Degrees;
            JsonElement? unitsElement = reader.Element("units", required: false);
            if (unitsElement is not null)
            {
                var units = JsonObjectReader.Open(unitsElement.Value, reader.PathOf("units"), faults, "position", "angle");
                lengthUnit = units.Choice("position", required: false, "m", "cm", "mm") switch
                {
                    "cm" => LengthUnit.Centimetres,
                    "mm" => LengthUnit.Millimetres,
                    _ => LengthUnit.Metres,
                };
                angleUnit = units.Choice("angle", required: false, "deg", "rad") == "rad" ? AngleUnit.Radians : AngleUnit.Degrees;
            }
            AxisConvention axes = reader.Choice("axes", required: false, "stage", "z-up") == "z-up" ? AxisConvention.ZUp : AxisConvention.Stage;
            if (id is null || bind is null || port is null) return null;
            return new OscSourceConfig
            {
                Id = id,
                BindAddress = bind,
                Port = port.Value,
                DelayMs = delay,
                Addresses = addresses,
                Rotation = rotation == "quaternion" ? RotationForm.Quaternion : RotationForm.Euler,
                EulerOrder = order,
                PositionUnit = lengthUnit,
                AngleUnit = angleUnit,
                Axes = axes,
            };
        }

        private FreeDSourceConfig? ReadFreeDSource(JsonElement element, string path)
        {
            var reader = JsonObjectReader.Open(element, path, faults, "id", "kind", "bind", "port", "cameraId", "delayMs", "zoomCalibration", "focusCalibration");
            string? id = reader.String("id", required: true);
            string? bind = ReadBind(reader);
            int? port = reader.Integer("port", required: false, 1, 65535) ?? (reader.Has("port") ? null : 40000);
            int? cameraId = reader.Integer("cameraId", required: false, 0, 255) ?? (reader.Has("cameraId") ? null : 1);
            double delay = reader.Number("delayMs", required: false, -1000, 1000) ?? 0;
            IReadOnlyList<CalibrationPoint>? zoom = ReadCalibration(reader, "zoomCalibration", "focal length (mm)");
            IReadOnlyList<CalibrationPoint>? focus = ReadCalibration(reader, "focusCalibration", "focus distance (m)");
            if (id is null || bind is null || port is null || cameraId is null || zoom is null || focus is null) return null;
            return new FreeDSourceConfig
            {
                Id = id,
                BindAddress = bind,
                Port = port.Value,
                CameraId = cameraId.Value,
                DelayMs = delay,
                ZoomToFocalLengthMm = zoom,
                FocusToDistanceM = focus,
            };
        }

        private IReadOnlyList<CalibrationPoint>? ReadCalibration(JsonObjectReader reader, string name, string valueName)
        {
            var points = new List<CalibrationPoint>();
            bool ok = true;
            foreach ((JsonElement item, string itemPath) in reader.Array(name, required: false))
            {
                if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2 ||
                    !item[0].TryGetInt32(out int encoder) || encoder < 0 || encoder > 0xFFFFFF ||
                    item[1].ValueKind != JsonValueKind.Number || !item[1].TryGetDouble(out double value) || !(value > 0))
                {
                    faults.Add(new ConfigFault(itemPath, $"must be [encoder, {valueName}]: an encoder value 0–16777215 and a positive number"));
                    ok = false;
                    continue;
                }
                if (points.Count > 0 && encoder <= points[^1].Encoder)
                {
                    faults.Add(new ConfigFault(itemPath, $"encoder {encoder} must be greater than the previous point's {points[^1].Encoder} (points in ascending encoder order)"));
                    ok = false;
                }
                points.Add(new CalibrationPoint(encoder, value));
            }
            if (ok && points.Count == 1)
            {
                reader.Fault(name, "needs at least two points to interpolate between");
                ok = false;
            }
            return ok ? points : null;
        }

        private OpenTrackIOSourceConfig? ReadOpenTrackIOSource(JsonElement element, string path)
        {
            var reader = JsonObjectReader.Open(element, path, faults, "id", "kind", "multicastGroup", "sourceNumber", "port", "delayMs", "interface");
            string? id = reader.String("id", required: true);
            int? sourceNumber = reader.Integer("sourceNumber", required: false, 1, 200);
            string? group = reader.String("multicastGroup", required: false);
            if (group is not null && (!IPAddress.TryParse(group, out IPAddress? address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork ||
                (address.GetAddressBytes()[0] & 0xF0) != 0xE0))
            {
                reader.Fault("multicastGroup", $"'{group}' is not an IPv4 multicast group (224.0.0.0–239.255.255.255)");
                group = null;
            }
            else if (group is null && !reader.Has("multicastGroup"))
            {
                group = $"235.135.1.{sourceNumber ?? 1}";
            }
            int? port = reader.Integer("port", required: false, 1, 65535) ?? (reader.Has("port") ? null : 55555);
            double delay = reader.Number("delayMs", required: false, -1000, 1000) ?? 0;
            string? networkInterface = reader.String("interface", required: false);
            if (networkInterface is not null && (!IPAddress.TryParse(networkInterface, out IPAddress? local) || local.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
                || (local.GetAddressBytes()[0] & 0xF0) == 0xE0 || local.Equals(IPAddress.Any)))
            {
                reader.Fault("interface", $"'{networkInterface}' is not the IPv4 address of a network card (e.g. \"10.0.10.5\"; leave it out to let the routes choose)");
                return null;
            }
            if (id is null || group is null || port is null) return null;
            return new OpenTrackIOSourceConfig { Id = id, MulticastGroup = group, Port = port.Value, DelayMs = delay, InterfaceAddress = networkInterface };
        }

        private VirtualCameraSourceConfig? ReadVirtualSource(JsonElement element, string path)
        {
            var reader = JsonObjectReader.Open(element, path, faults, "id", "kind", "startPositionM", "startPanDeg", "startTiltDeg",
                "speedMPerS", "turnDegPerS", "mouseDegPerPx");
            string? id = reader.String("id", required: true);
            double[]? start = reader.Numbers("startPositionM", required: false, 3);
            double pan = reader.Number("startPanDeg", required: false, -360, 360) ?? 0;
            double tilt = reader.Number("startTiltDeg", required: false, -90, 90) ?? 0;
            double? speed = reader.Number("speedMPerS", required: false, 0, 100, minExclusive: true);
            double? turn = reader.Number("turnDegPerS", required: false, 0, 720, minExclusive: true);
            double? mouse = reader.Number("mouseDegPerPx", required: false, 0, 10, minExclusive: true);
            if (id is null || (reader.Has("startPositionM") && start is null)) return null;
            var defaults = new VirtualCameraSourceConfig { Id = id, Port = 0 };
            return defaults with
            {
                StartPositionM = start is null ? defaults.StartPositionM : new System.Numerics.Vector3((float)start[0], (float)start[1], (float)start[2]),
                StartPanDeg = pan,
                StartTiltDeg = tilt,
                SpeedMPerS = speed ?? defaults.SpeedMPerS,
                TurnDegPerS = turn ?? defaults.TurnDegPerS,
                MouseDegPerPx = mouse ?? defaults.MouseDegPerPx,
            };
        }

        private RenderConfig ReadRender(JsonObjectReader top)
        {
            JsonElement? element = top.Element("render", required: false);
            if (element is null) return new RenderConfig();
            var reader = JsonObjectReader.Open(element.Value, "render", faults, "outerEyeM", "outerFaceSizePx", "softEdgePercent");
            if (!reader.IsValid) return new RenderConfig();
            var defaults = new RenderConfig();
            double[]? eye = reader.Numbers("outerEyeM", required: false, 3);
            int? face = reader.Integer("outerFaceSizePx", required: false, 16, 4096);
            double? soft = reader.Number("softEdgePercent", required: false, 0, 25);
            return new RenderConfig
            {
                OuterEyeM = eye is null ? defaults.OuterEyeM : new System.Numerics.Vector3((float)eye[0], (float)eye[1], (float)eye[2]),
                OuterFaceSizePx = face ?? defaults.OuterFaceSizePx,
                SoftEdgePercent = soft ?? defaults.SoftEdgePercent,
            };
        }

        private DisplayConfig ReadDisplay(JsonObjectReader top, List<OutputCanvas> outputs)
        {
            JsonElement? element = top.Element("display", required: false);
            if (element is null) return new DisplayConfig();
            var reader = JsonObjectReader.Open(element.Value, "display", faults, "presentMode", "outputs");
            if (!reader.IsValid) return new DisplayConfig();
            string? mode = reader.Choice("presentMode", required: false, "fifo", "mailbox", "immediate");
            var list = new List<OutputDisplayConfig>();
            foreach ((JsonElement item, string itemPath) in reader.Array("outputs", required: false))
            {
                var output = JsonObjectReader.Open(item, itemPath, faults, "output", "monitor", "refreshHz", "overlay");
                if (!output.IsValid) continue;
                string? id = output.String("output", required: true);
                string? monitor = null;
                if (output.Element("monitor", required: false) is JsonElement monitorElement)
                {
                    if (monitorElement.ValueKind == JsonValueKind.String && monitorElement.GetString()!.Length > 0) monitor = monitorElement.GetString();
                    else if (monitorElement.ValueKind == JsonValueKind.Number && monitorElement.TryGetInt32(out int index) && index >= 0)
                        monitor = index.ToString(CultureInfo.InvariantCulture);
                    else output.Fault("monitor", $"must be a monitor name or index as `stage monitors` lists it, not {JsonObjectReader.Describe(monitorElement)}");
                }
                int? refresh = output.Integer("refreshHz", required: false, 1, 1000);
                bool overlay = output.Boolean("overlay", required: false) ?? monitor is null;
                if (id is null) continue;
                if (outputs.All(o => o.Id != id))
                {
                    output.Fault("output", $"names output '{id}', which \"outputs\" does not declare (declared: {string.Join(", ", outputs.Select(o => o.Id))})");
                    continue;
                }
                if (list.Any(o => o.OutputId == id))
                {
                    output.Fault("output", $"output '{id}' is listed twice");
                    continue;
                }
                if (refresh is not null && monitor is null) output.Fault("refreshHz", "applies only to an output on a monitor (add \"monitor\")");
                list.Add(new OutputDisplayConfig(id, monitor, refresh, overlay));
            }
            return new DisplayConfig
            {
                PresentMode = mode switch { "mailbox" => PresentModeSetting.Mailbox, "immediate" => PresentModeSetting.Immediate, _ => PresentModeSetting.Fifo },
                Outputs = list,
            };
        }

        /// <summary>Keys the virtual camera flies with (no modifier): a plain shortcut on one of them would do two things.</summary>
        private static readonly string[] FlyingKeys = ["W", "A", "S", "D", "Q", "E", "UP", "DOWN", "LEFT", "RIGHT", "HOME"];

        private OperatorConfig ReadOperator(JsonObjectReader top, List<CameraConfig> cameras, List<TrackingSourceConfig> sources)
        {
            JsonElement? element = top.Element("operator", required: false);
            if (element is null) return new OperatorConfig();
            var reader = JsonObjectReader.Open(element.Value, "operator", faults, "shortcuts", "camera");
            if (!reader.IsValid) return new OperatorConfig();
            string? camera = reader.String("camera", required: false);
            if (camera is not null && cameras.Count > 0 && cameras.All(c => c.Id != camera))
                reader.Fault("camera", $"names camera '{camera}', which \"cameras\" does not declare (declared: {string.Join(", ", cameras.Select(c => c.Id))})");
            var shortcuts = new Dictionary<OperatorAction, KeyChord>(OperatorConfig.DefaultShortcuts);
            if (reader.Element("shortcuts", required: false) is JsonElement shortcutElement)
            {
                string names = string.Join(", ", Enum.GetValues<OperatorAction>().Select(OperatorConfig.NameOf));
                if (shortcutElement.ValueKind != JsonValueKind.Object)
                {
                    reader.Fault("shortcuts", $"must be an object mapping actions ({names}) to keys such as \"F5\" or \"Ctrl+R\"");
                }
                else
                {
                    foreach (JsonProperty property in shortcutElement.EnumerateObject())
                    {
                        string path = $"operator.shortcuts.{property.Name}";
                        OperatorAction? action = Enum.GetValues<OperatorAction>().Cast<OperatorAction?>().FirstOrDefault(a => OperatorConfig.NameOf(a!.Value) == property.Name);
                        if (action is null)
                        {
                            faults.Add(new ConfigFault(path, $"is not an action (actions: {names})"));
                            continue;
                        }
                        if (property.Value.ValueKind != JsonValueKind.String)
                        {
                            faults.Add(new ConfigFault(path, $"must be a key such as \"F5\" or \"Ctrl+R\", not {JsonObjectReader.Describe(property.Value)}"));
                            continue;
                        }
                        if (!KeyChord.TryParse(property.Value.GetString()!, out KeyChord chord, out string error))
                        {
                            faults.Add(new ConfigFault(path, error));
                            continue;
                        }
                        shortcuts[action.Value] = chord;
                    }
                }
            }
            foreach (IGrouping<KeyChord, KeyValuePair<OperatorAction, KeyChord>> same in shortcuts.GroupBy(p => p.Value).Where(g => g.Count() > 1))
                faults.Add(new ConfigFault("operator.shortcuts", $"{same.Key} is given to {string.Join(" and ", same.Select(p => OperatorConfig.NameOf(p.Key)))}; one key, one action"));
            if (sources.Any(s => s is VirtualCameraSourceConfig))
            {
                foreach ((OperatorAction action, KeyChord chord) in shortcuts.OrderBy(p => p.Key))
                {
                    if (chord.Modifiers == KeyModifiers.None && FlyingKeys.Any(k => KeyChord.Code(k) == chord.KeyCode))
                        faults.Add(new ConfigFault($"operator.shortcuts.{OperatorConfig.NameOf(action)}",
                            $"{chord} flies the virtual camera; give the shortcut a modifier (Ctrl+{chord}) or another key"));
                }
            }
            return new OperatorConfig { Shortcuts = shortcuts, CameraId = camera };
        }

        private string? ReadBind(JsonObjectReader reader)
        {
            string? bind = reader.String("bind", required: false);
            if (bind is null) return reader.Has("bind") ? null : "0.0.0.0";
            if (!IPAddress.TryParse(bind, out IPAddress? address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                reader.Fault("bind", $"'{bind}' is not an IPv4 address (use 0.0.0.0 for every interface)");
                return null;
            }
            return bind;
        }

        private ControlConfig ReadControl(JsonObjectReader top)
        {
            JsonElement? element = top.Element("control", required: false);
            if (element is null) return new ControlConfig("0.0.0.0", 8000);
            var reader = JsonObjectReader.Open(element.Value, "control", faults, "bind", "port", "allowFrom");
            string bind = ReadBind(reader) ?? "0.0.0.0";
            int port = reader.Integer("port", required: false, 1, 65535) ?? 8000;
            var allowed = new List<Ipv4Network>();
            foreach ((JsonElement item, string itemPath) in reader.Array("allowFrom", required: false))
            {
                if (item.ValueKind == JsonValueKind.String && Ipv4Network.TryParse(item.GetString()!, out Ipv4Network network))
                    allowed.Add(network);
                else
                    faults.Add(new ConfigFault(itemPath, $"must be an IPv4 address or network such as \"10.0.0.5\" or \"192.168.1.0/24\", not {JsonObjectReader.Describe(item)}"));
            }
            return new ControlConfig(bind, port) { AllowedSenders = allowed };
        }

        private string? ReadWorld(JsonObjectReader top)
        {
            JsonElement? element = top.Element("world", required: false);
            if (element is null) return null;
            var reader = JsonObjectReader.Open(element.Value, "world", faults, "scene");
            string? scene = reader.String("scene", required: true);
            if (scene is null) return null;
            string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, scene));
            if (!File.Exists(full))
            {
                reader.Fault("scene", $"file '{scene}' does not exist (looked for {full})");
                return null;
            }
            return full;
        }

        private string ReadTakes(JsonObjectReader top)
        {
            string fallback = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, "takes",
                (sourcePath.Length == 0 ? "stage" : System.IO.Path.GetFileNameWithoutExtension(sourcePath)) + ".sqlite"));
            JsonElement? element = top.Element("takes", required: false);
            if (element is null) return fallback;
            var reader = JsonObjectReader.Open(element.Value, "takes", faults, "database");
            string? database = reader.String("database", required: false);
            return database is null ? fallback : System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, database));
        }

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
                IReadOnlyList<PixelRect> gaps = Uncovered(wall.Bounds, carried.GetValueOrDefault(wall.Id) ?? []);
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
                if (source is VirtualCameraSourceConfig) continue; // listens on no port
                foreach ((int port, string who, TrackingSourceConfig? other) in users)
                {
                    if (port != source.Port) continue;
                    // OpenTrackIO sources share the protocol's port and are told apart by multicast group.
                    if (source is OpenTrackIOSourceConfig a && other is OpenTrackIOSourceConfig b && a.MulticastGroup != b.MulticastGroup) continue;
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

        private T? FaultNull<T>(string path, string message) where T : class
        {
            faults.Add(new ConfigFault(path, message));
            return null;
        }

        private static string Fmt(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The parts of <paramref name="bounds"/> that none of <paramref name="covers"/> reaches, as disjoint
    /// rectangles (row bands merged). Works on the grid of the rectangles' edges, so its cost follows the
    /// number of regions, not of pixels.
    /// </summary>
    public static IReadOnlyList<PixelRect> Uncovered(PixelRect bounds, IReadOnlyList<PixelRect> covers)
    {
        var xs = new SortedSet<int> { bounds.X, bounds.Right };
        var ys = new SortedSet<int> { bounds.Y, bounds.Bottom };
        foreach (PixelRect c in covers)
        {
            PixelRect? clipped = c.Intersect(bounds);
            if (clipped is null) continue;
            xs.Add(clipped.Value.X); xs.Add(clipped.Value.Right);
            ys.Add(clipped.Value.Y); ys.Add(clipped.Value.Bottom);
        }
        int[] xEdges = [.. xs], yEdges = [.. ys];
        var gaps = new List<PixelRect>();
        for (int yi = 0; yi + 1 < yEdges.Length; yi++)
        {
            int? runStart = null;
            for (int xi = 0; xi + 1 <= xEdges.Length; xi++)
            {
                bool uncovered = false;
                if (xi + 1 < xEdges.Length)
                {
                    var cell = new PixelRect(xEdges[xi], yEdges[yi], xEdges[xi + 1] - xEdges[xi], yEdges[yi + 1] - yEdges[yi]);
                    uncovered = !covers.Any(c => c.Contains(cell));
                }
                if (uncovered && runStart is null) runStart = xEdges[xi];
                if (!uncovered && runStart is not null)
                {
                    gaps.Add(new PixelRect(runStart.Value, yEdges[yi], xEdges[xi] - runStart.Value, yEdges[yi + 1] - yEdges[yi]));
                    runStart = null;
                }
            }
        }
        // Merge vertically adjacent bands with the same columns so a gap reads as one rectangle.
        var merged = new List<PixelRect>();
        foreach (PixelRect gap in gaps)
        {
            int match = merged.FindIndex(m => m.X == gap.X && m.Width == gap.Width && m.Bottom == gap.Y);
            if (match >= 0) merged[match] = merged[match] with { Height = merged[match].Height + gap.Height };
            else merged.Add(gap);
        }
        return merged;
    }
}
