using System.Numerics;
using System.Text.Json;
using Stage.Core.Configuration;
using Stage.Tracking.Simulation;

namespace Stage.Tracking.Virtual;

/// <summary>
/// A camera flown by the operator from a window (keyboard, mouse, gamepad): it listens on no port, and its
/// poses come from the window output (Stage.Engine's VirtualCamera), not from a receiving source.
/// </summary>
internal sealed class VirtualProtocol : ITrackingProtocol
{
    public string Name => "virtual camera";

    public string Kind => "virtual";

    public TrackingSourceConfig? Read(JsonElement element, string path, List<ConfigFault> faults)
    {
        var reader = JsonObjectReader.Open(element, path, faults, "id", "kind", "startPositionM", "startPanDeg", "startTiltDeg",
            "speedMps", "turnDegPerS", "mouseDegPerPx");
        string? id = reader.String("id", required: true);
        double[]? start = reader.Numbers("startPositionM", required: false, 3);
        double pan = reader.Number("startPanDeg", required: false, -360, 360) ?? 0;
        double tilt = reader.Number("startTiltDeg", required: false, -90, 90) ?? 0;
        double? speed = reader.Number("speedMps", required: false, 0, 100, minExclusive: true);
        double? turn = reader.Number("turnDegPerS", required: false, 0, 720, minExclusive: true);
        double? mouse = reader.Number("mouseDegPerPx", required: false, 0, 10, minExclusive: true);
        if (id is null || (reader.Has("startPositionM") && start is null)) return null;
        var defaults = new VirtualCameraSourceConfig { Id = id, Port = 0 };
        return defaults with
        {
            StartPositionM = start is null ? defaults.StartPositionM : new Vector3((float)start[0], (float)start[1], (float)start[2]),
            StartPanDeg = pan,
            StartTiltDeg = tilt,
            SpeedMps = speed ?? defaults.SpeedMps,
            TurnDegPerS = turn ?? defaults.TurnDegPerS,
            MouseDegPerPx = mouse ?? defaults.MouseDegPerPx,
        };
    }

    public string Describe(TrackingSourceConfig source)
    {
        var flown = (VirtualCameraSourceConfig)source;
        return FormattableString.Invariant($"flown from a window, {flown.SpeedMps} m/s, {flown.TurnDegPerS} °/s");
    }

    public ITrackingSource? CreateSource(TrackingSourceConfig source, IReadOnlyList<BoundCamera> cameras, TrackingOptions options) => null;

    public ITrackingSender? CreateSender(CameraConfig camera, TrackingSourceConfig source) => null;
}
