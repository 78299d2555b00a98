using System.Text.Json;
using Stage.Core.Configuration;
using Stage.Tracking.Simulation;

namespace Stage.Tracking.Osc;

/// <summary>Camera poses over OSC: the configuration's addresses by role, units, axes and rotation form.</summary>
internal sealed class OscProtocol : ITrackingProtocol
{
    private static readonly string[] Roles = ["pose", "position", "rotation", "focalLength", "focus", "iris"];

    public string Name => "OSC";

    public string Kind => "osc";

    public TrackingSourceConfig? Read(JsonElement element, string path, List<ConfigFault> faults)
    {
        var reader = JsonObjectReader.Open(element, path, faults, "id", "kind", "bind", "port", "delayMs", "addresses", "rotation", "eulerOrder", "units", "axes");
        string? id = reader.String("id", required: true);
        string? bind = CommonFields.Bind(reader);
        int? port = CommonFields.Port(reader, defaultPort: null);
        double delay = CommonFields.DelayMs(reader);
        var addresses = new SortedDictionary<string, string>(StringComparer.Ordinal);
        JsonElement? addressElement = reader.Element("addresses", required: true);
        if (addressElement is not null)
        {
            var addressReader = JsonObjectReader.Open(addressElement.Value, reader.PathOf("addresses"), faults, Roles);
            foreach (string role in Roles)
            {
                string? pattern = addressReader.String(role, required: false);
                if (pattern is null) continue;
                if (!pattern.StartsWith('/') || pattern.Any(c => c is ' ' or '#' or ','))
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
            if (parts.Length != 3 || !parts.Order(StringComparer.Ordinal).SequenceEqual(["pan", "roll", "tilt"]))
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

    public string Describe(TrackingSourceConfig source)
    {
        var osc = (OscSourceConfig)source;
        return $"{osc.Rotation.ToString().ToLowerInvariant()} ({string.Join(",", osc.EulerOrder)}), {osc.PositionUnit.ToString().ToLowerInvariant()}, " +
               $"{osc.AngleUnit.ToString().ToLowerInvariant()}, {(osc.Axes == AxisConvention.ZUp ? "z-up" : "stage")} axes; " +
               string.Join(", ", osc.Addresses.Select(a => $"{a.Key} {a.Value}"));
    }

    public ITrackingSource CreateSource(TrackingSourceConfig source, IReadOnlyList<BoundCamera> cameras, TrackingOptions options) =>
        new OscCameraSource((OscSourceConfig)source, cameras, options);

    public ITrackingSender CreateSender(CameraConfig camera, TrackingSourceConfig source) =>
        source is OscSourceConfig osc
            ? new OscSender(camera, osc)
            : throw new ArgumentException($"source '{source.Id}' is {source.Kind}; OSC needs an OSC source's addresses", nameof(source));
}
