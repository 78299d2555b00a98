using System.Text.Json;
using Stage.Core.Colour;

namespace Stage.Core.Configuration;

// Colour: an output's encoding and calibration (outputs[].colour), ASC CDL grades (walls[].cdl, cameras[].cdl),
// the working space (render.workingSpace, render.referenceWhiteNits).
internal sealed partial class StageConfigReader
{
    private static readonly string[] TransferNames = ["pq", "hlg", "bt1886", "srgb", "linear"];
    private static readonly string[] OutputPrimariesNames = ["rec709", "rec2020", "p3d65"];

    private OutputColour? ReadOutputColour(JsonObjectReader output, int? bitDepth)
    {
        JsonElement? element = output.Element("colour", required: false);
        if (element is null) return OutputColour.DefaultFor(bitDepth ?? 10);
        var reader = JsonObjectReader.Open(element.Value, output.PathOf("colour"), faults, "transfer", "primaries", "peakNits", "calibration");
        if (!reader.IsValid) return null;
        string? transferName = reader.Choice("transfer", required: true, TransferNames);
        string? primariesName = reader.Choice("primaries", required: false, OutputPrimariesNames);
        double? peak = reader.Number("peakNits", required: false, 1, 10000);
        WallCalibration? calibration = ReadCalibration(reader);
        if (transferName is null || calibration is null || (primariesName is null && reader.Has("primaries")) || (peak is null && reader.Has("peakNits"))) return null;
        Transfer transfer = ParseTransfer(transferName);
        if (transfer is Transfer.Pq or Transfer.Hlg && bitDepth is 8)
        {
            output.Fault("bitDepth", $"must be 10, 12 or 16 for a {transferName} output (8 bits band visibly across an HDR range)");
            return null;
        }
        return new OutputColour
        {
            Transfer = transfer,
            Primaries = primariesName is null ? (transfer is Transfer.Pq or Transfer.Hlg ? Primaries.Rec2020 : Primaries.Rec709) : ParsePrimaries(primariesName),
            PeakNits = peak ?? OutputColour.DefaultPeakNits(transfer),
            ReferenceWhiteNits = OutputColour.DefaultReferenceWhiteNits(transfer),
            Calibration = calibration,
        };
    }

    private WallCalibration? ReadCalibration(JsonObjectReader colour)
    {
        JsonElement? element = colour.Element("calibration", required: false);
        if (element is null) return WallCalibration.None;
        var reader = JsonObjectReader.Open(element.Value, colour.PathOf("calibration"), faults, "matrix", "gains", "lut");
        if (!reader.IsValid) return null;
        double[]? matrix = reader.Numbers("matrix", required: false, 9);
        double[]? gains = reader.Numbers("gains", required: false, 3, positive: true);
        string? lutPath = reader.String("lut", required: false);
        CubeLut? lut = null;
        if (lutPath is not null)
        {
            string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, lutPath));
            try
            {
                lut = CubeLutReader.Load(full);
            }
            catch (CubeLutException e)
            {
                reader.Fault("lut", e.Message);
                return null;
            }
        }
        if ((matrix is null && reader.Has("matrix")) || (gains is null && reader.Has("gains"))) return null;
        ColourMatrix m = matrix is null ? ColourMatrix.Identity : ColourMatrix.FromRows(matrix);
        if (Math.Abs(m.M00 * (m.M11 * m.M22 - m.M12 * m.M21) - m.M01 * (m.M10 * m.M22 - m.M12 * m.M20) + m.M02 * (m.M10 * m.M21 - m.M11 * m.M20)) < 1e-6)
        {
            reader.Fault("matrix", "is singular (its rows must be independent: nine numbers, row by row)");
            return null;
        }
        return new WallCalibration(m, gains?[0] ?? 1, gains?[1] ?? 1, gains?[2] ?? 1, lut);
    }

    /// <summary>An optional ASC CDL member { slope, offset, power, saturation }; identity when absent, null on a fault.</summary>
    private AscCdl? ReadCdl(JsonObjectReader parent, string name)
    {
        JsonElement? element = parent.Element(name, required: false);
        if (element is null) return AscCdl.Identity;
        var reader = JsonObjectReader.Open(element.Value, parent.PathOf(name), faults, "slope", "offset", "power", "saturation");
        if (!reader.IsValid) return null;
        double[]? slope = reader.Numbers("slope", required: false, 3);
        double[]? offset = reader.Numbers("offset", required: false, 3);
        double[]? power = reader.Numbers("power", required: false, 3, positive: true);
        double? saturation = reader.Number("saturation", required: false, 0);
        if ((slope is null && reader.Has("slope")) || (offset is null && reader.Has("offset")) || (power is null && reader.Has("power")) || (saturation is null && reader.Has("saturation")))
            return null;
        if (slope is not null && slope.Any(s => s < 0))
        {
            reader.Fault("slope", "must be three numbers of at least 0");
            return null;
        }
        slope ??= [1, 1, 1];
        offset ??= [0, 0, 0];
        power ??= [1, 1, 1];
        return new AscCdl(slope[0], slope[1], slope[2], offset[0], offset[1], offset[2], power[0], power[1], power[2], saturation ?? 1);
    }

    private static Transfer ParseTransfer(string name) => name switch
    {
        "pq" => Transfer.Pq, "hlg" => Transfer.Hlg, "bt1886" => Transfer.Bt1886, "srgb" => Transfer.Srgb, _ => Transfer.Linear,
    };

    private static Primaries ParsePrimaries(string name) => name switch
    {
        "rec2020" => Primaries.Rec2020, "p3d65" => Primaries.P3D65, "acescg" => Primaries.AcesCg, _ => Primaries.Rec709,
    };

    /// <summary>Each output's reference white from render.referenceWhiteNits where the stage sets one.</summary>
    private static List<OutputCanvas> ApplyReferenceWhite(List<OutputCanvas> outputs, RenderConfig render) =>
        render.ReferenceWhiteNits is not { } white ? outputs
            : outputs.Select(o => o with { Colour = o.Colour with { ReferenceWhiteNits = white } }).ToList();
}
