using System.Numerics;
using System.Text.Json;

namespace Stage.Core.Configuration;

// The render section (outer viewpoint, cube-face size, soft edge, frames in flight, MSAA samples).
internal sealed partial class StageConfigReader
{
    private RenderConfig ReadRender(JsonObjectReader top)
    {
        JsonElement? element = top.Element("render", required: false);
        if (element is null) return new RenderConfig();
        var reader = JsonObjectReader.Open(element.Value, "render", faults, "outerEyeM", "outerFaceSizePx", "softEdgePercent", "framesInFlight", "msaaSamples", "workingSpace", "referenceWhiteNits", "exposureEv");
        if (!reader.IsValid) return new RenderConfig();
        var defaults = new RenderConfig();
        double[]? eye = reader.Numbers("outerEyeM", required: false, 3);
        int? face = reader.Integer("outerFaceSizePx", required: false, 16, 4096);
        double? soft = reader.Number("softEdgePercent", required: false, 0, 25);
        int? inFlight = reader.Integer("framesInFlight", required: false, 1, 3);
        int? msaa = reader.Integer("msaaSamples", required: false, 1, 8);
        if (msaa is not null && (msaa & (msaa - 1)) != 0)
        {
            faults.Add(new ConfigFault("render.msaaSamples", $"{msaa} samples per pixel is not a count Vulkan offers: use 1, 2, 4 or 8"));
            msaa = null;
        }
        string? working = reader.Choice("workingSpace", required: false, "rec709", "acescg");
        double? white = reader.Number("referenceWhiteNits", required: false, 1, 10000);
        double? exposure = reader.Number("exposureEv", required: false, RenderLimits.MinExposureEv, RenderLimits.MaxExposureEv);
        return new RenderConfig
        {
            OuterEyeM = eye is null ? defaults.OuterEyeM : new System.Numerics.Vector3((float)eye[0], (float)eye[1], (float)eye[2]),
            OuterFaceSizePx = face,
            SoftEdgePercent = soft ?? defaults.SoftEdgePercent,
            FramesInFlight = inFlight ?? defaults.FramesInFlight,
            MsaaSamples = msaa ?? defaults.MsaaSamples,
            WorkingSpace = working == "acescg" ? Stage.Core.Colour.Primaries.AcesCg : Stage.Core.Colour.Primaries.Rec709,
            ReferenceWhiteNits = white,
            ExposureEv = exposure ?? defaults.ExposureEv,
        };
    }
}
