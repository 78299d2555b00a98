using System.Text.Json;
using Stage.Core.Configuration;
using Stage.Tracking.Simulation;

namespace Stage.Tracking.FreeD;

/// <summary>FreeD D1 over UDP: a camera id, and zoom / focus encoder calibration tables.</summary>
internal sealed class FreeDProtocol : ITrackingProtocol
{
    public string Name => "FreeD";

    public string Kind => "freed";

    public TrackingSourceConfig? Read(JsonElement element, string path, List<ConfigFault> faults)
    {
        var reader = JsonObjectReader.Open(element, path, faults, "id", "kind", "bind", "port", "cameraId", "delayMs", "zoomCalibration", "focusCalibration");
        string? id = reader.String("id", required: true);
        string? bind = CommonFields.Bind(reader);
        int? port = CommonFields.Port(reader, defaultPort: 40000);
        int? cameraId = reader.Integer("cameraId", required: false, 0, 255) ?? (reader.Has("cameraId") ? null : 1);
        double delay = CommonFields.DelayMs(reader);
        IReadOnlyList<CalibrationPoint>? zoom = ReadCalibration(reader, "zoomCalibration", "focal length (mm)", faults);
        IReadOnlyList<CalibrationPoint>? focus = ReadCalibration(reader, "focusCalibration", "focus distance (m)", faults);
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

    private static IReadOnlyList<CalibrationPoint>? ReadCalibration(JsonObjectReader reader, string name, string valueName, List<ConfigFault> faults)
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

    public string Describe(TrackingSourceConfig source)
    {
        var freed = (FreeDSourceConfig)source;
        return $"camera id {freed.CameraId}, zoom calibration {freed.ZoomToFocalLengthMm.Count} points, focus calibration {freed.FocusToDistanceM.Count} points";
    }

    public ITrackingSource CreateSource(TrackingSourceConfig source, IReadOnlyList<BoundCamera> cameras, TrackingOptions options) =>
        new FreeDSource((FreeDSourceConfig)source, [.. cameras.Select(c => c.Buffer)], options);

    public ITrackingSender CreateSender(CameraConfig camera, TrackingSourceConfig source) => new FreeDSender(source as FreeDSourceConfig);
}
