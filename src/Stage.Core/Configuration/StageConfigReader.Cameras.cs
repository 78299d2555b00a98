using System.Numerics;
using System.Text.Json;

namespace Stage.Core.Configuration;

// The cameras: lens, sensor, overscan, inner resolution, tracking source.
internal sealed partial class StageConfigReader
{
    private CameraConfig? ReadCamera(JsonElement element, string path)
    {
        var reader = JsonObjectReader.Open(element, path, faults,
            "id", "sensorMm", "focalLengthMm", "overscanPercent", "innerResolution", "source", "trackedId", "entrancePupilOffsetM", "cdl");
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
        Stage.Core.Colour.AscCdl? cdl = ReadCdl(reader, "cdl");
        if (cdl is null || id is null || sensor is null || focal is null || resolution is null || source is null) return null;
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
            Cdl = cdl.Value,
            EntrancePupilOffsetM = pupil is null ? Vector3.Zero : new Vector3((float)pupil[0], (float)pupil[1], (float)pupil[2]),
        };
    }
}
