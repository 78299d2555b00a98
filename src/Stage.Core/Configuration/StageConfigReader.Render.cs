using System.Numerics;
using System.Text.Json;

namespace Stage.Core.Configuration;

// The render section (outer viewpoint, cube-face size, soft edge, frames in flight).
internal sealed partial class StageConfigReader
{
    private RenderConfig ReadRender(JsonObjectReader top)
    {
        JsonElement? element = top.Element("render", required: false);
        if (element is null) return new RenderConfig();
        var reader = JsonObjectReader.Open(element.Value, "render", faults, "outerEyeM", "outerFaceSizePx", "softEdgePercent", "framesInFlight", "exposureEv");
        if (!reader.IsValid) return new RenderConfig();
        var defaults = new RenderConfig();
        double[]? eye = reader.Numbers("outerEyeM", required: false, 3);
        int? face = reader.Integer("outerFaceSizePx", required: false, 16, 4096);
        double? soft = reader.Number("softEdgePercent", required: false, 0, 25);
        int? inFlight = reader.Integer("framesInFlight", required: false, 1, 3);
        double? exposure = reader.Number("exposureEv", required: false, RenderLimits.MinExposureEv, RenderLimits.MaxExposureEv);
        return new RenderConfig
        {
            OuterEyeM = eye is null ? defaults.OuterEyeM : new System.Numerics.Vector3((float)eye[0], (float)eye[1], (float)eye[2]),
            OuterFaceSizePx = face ?? defaults.OuterFaceSizePx,
            SoftEdgePercent = soft ?? defaults.SoftEdgePercent,
            FramesInFlight = inFlight ?? defaults.FramesInFlight,
            ExposureEv = exposure ?? defaults.ExposureEv,
        };
    }
}
