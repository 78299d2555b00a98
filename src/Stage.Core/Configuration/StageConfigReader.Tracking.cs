using System.Net;
using System.Numerics;
using System.Text.Json;
using Stage.Core.Space;

namespace Stage.Core.Configuration;

// The tracking sources, one reader per protocol.
internal sealed partial class StageConfigReader
{
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
}
