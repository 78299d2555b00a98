using System.Text.Json.Nodes;
using Stage.Core.Colour;
using Stage.Core.Configuration;

namespace Stage.Core.Tests.Configuration;

/// <summary>outputs[].colour, walls[].cdl, cameras[].cdl, render.workingSpace / referenceWhiteNits: defaults, values, faults with their paths.</summary>
public sealed class ColourConfigTests
{
    [Fact]
    public void Without_colour_sections_10_bit_outputs_are_linear_rec709_and_nothing_is_graded()
    {
        StageConfig config = ConfigFixture.Load(ConfigFixture.Valid()).Config!;
        OutputColour colour = config.Outputs[0].Colour;
        Assert.Equal(Transfer.Linear, colour.Transfer);
        Assert.Equal(Primaries.Rec709, colour.Primaries);
        Assert.Equal(100, colour.PeakNits);
        Assert.True(colour.Calibration.IsNone);
        Assert.Equal(Primaries.Rec709, config.Render.WorkingSpace);
        Assert.True(config.Cameras[0].Cdl.IsIdentity);
        Assert.True(config.Walls[0].Cdl.IsIdentity);
    }

    [Fact]
    public void A_pq_output_defaults_to_rec2020_1000_nits_and_reference_white_203()
    {
        JsonObject root = ConfigFixture.Valid();
        root["outputs"]![0]!["colour"] = JsonNode.Parse("""{ "transfer": "pq" }""");
        OutputColour colour = ConfigFixture.Load(root).Config!.Outputs[0].Colour;
        Assert.Equal(new OutputColour { Transfer = Transfer.Pq, Primaries = Primaries.Rec2020, PeakNits = 1000, ReferenceWhiteNits = 203 }, colour);
    }

    [Fact]
    public void Colour_calibration_lut_grades_and_working_space_are_read()
    {
        string folder = Path.Combine(Path.GetTempPath(), "stage-colour-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "wall.cube"), "TITLE \"w\"\nLUT_3D_SIZE 2\n0 0 0\n1 0 0\n0 1 0\n1 1 0\n0 0 1\n1 0 1\n0 1 1\n1 1 1\n");
            JsonObject root = ConfigFixture.Valid();
            root["outputs"]![0]!["colour"] = JsonNode.Parse("""
                { "transfer": "hlg", "primaries": "p3d65", "peakNits": 1500,
                  "calibration": { "matrix": [0.9, 0.1, 0, 0, 1, 0, 0, 0.05, 0.95], "gains": [1, 0.98, 0.97], "lut": "wall.cube" } }
                """);
            root["walls"]![0]!["cdl"] = JsonNode.Parse("""{ "slope": [1.1, 1, 0.9], "saturation": 0.8 }""");
            root["cameras"]![0]!["cdl"] = JsonNode.Parse("""{ "slope": [1, 1, 1], "offset": [0.01, 0, -0.01], "power": [1, 1.1, 1], "saturation": 1.2 }""");
            root["render"] = JsonNode.Parse("""{ "workingSpace": "acescg", "referenceWhiteNits": 160 }""");
            ConfigLoadResult loaded = Stage.Tracking.StageConfigFile.LoadText(root.ToJsonString(), Path.Combine(folder, "stage.json"));
            Assert.True(loaded.IsValid, string.Join("\n", loaded.Faults));
            StageConfig config = loaded.Config!;
            OutputColour colour = config.Outputs[0].Colour;
            Assert.Equal(Transfer.Hlg, colour.Transfer);
            Assert.Equal(Primaries.P3D65, colour.Primaries);
            Assert.Equal(1500, colour.PeakNits);
            Assert.Equal(160, colour.ReferenceWhiteNits);
            Assert.Equal(new ColourMatrix(0.9, 0.1, 0, 0, 1, 0, 0, 0.05, 0.95), colour.Calibration.Matrix);
            Assert.Equal(0.97, colour.Calibration.GainB);
            Assert.Equal(2, colour.Calibration.Lut!.Size);
            Assert.Equal(Primaries.AcesCg, config.Render.WorkingSpace);
            Assert.Equal(new AscCdl(1.1, 1, 0.9, 0, 0, 0, 1, 1, 1, 0.8), config.Walls[0].Cdl);
            Assert.Equal(new AscCdl(1, 1, 1, 0.01, 0, -0.01, 1, 1.1, 1, 1.2), config.Cameras[0].Cdl);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Colour_faults_are_named_with_their_path()
    {
        JsonObject root = ConfigFixture.Valid();
        root["outputs"]![0]!["colour"] = JsonNode.Parse("""{ "transfer": "gamma22", "primaries": "acescg", "peakNits": 20000, "calibration": { "matrix": [1, 0, 0], "gains": [1, 0, 1] }, "hdr": true }""");
        root["walls"]![0]!["cdl"] = JsonNode.Parse("""{ "slope": [-1, 1, 1], "power": [0, 1, 1] }""");
        root["cameras"]![0]!["cdl"] = JsonNode.Parse("""{ "saturation": -1, "sat": 1 }""");
        root["render"] = JsonNode.Parse("""{ "workingSpace": "xyz", "referenceWhiteNits": 0 }""");
        IReadOnlyList<ConfigFault> faults = ConfigFixture.Faults(root);
        ConfigFixture.AssertFault(faults, "outputs[0].colour.transfer", "must be one of pq, hlg, bt1886, srgb, linear");
        ConfigFixture.AssertFault(faults, "outputs[0].colour.primaries", "must be one of rec709, rec2020, p3d65");
        ConfigFixture.AssertFault(faults, "outputs[0].colour.peakNits", "at most 10000");
        ConfigFixture.AssertFault(faults, "outputs[0].colour.calibration.matrix", "must be 9 numbers");
        ConfigFixture.AssertFault(faults, "outputs[0].colour.calibration.gains", "three positive numbers");
        ConfigFixture.AssertFault(faults, "outputs[0].colour.hdr", "unknown field");
        ConfigFixture.AssertFault(faults, "walls[0].cdl.power", "three positive numbers");
        ConfigFixture.AssertFault(faults, "cameras[0].cdl.saturation", "at least 0");
        ConfigFixture.AssertFault(faults, "cameras[0].cdl.sat", "unknown field");
        ConfigFixture.AssertFault(faults, "render.workingSpace", "must be one of rec709, acescg");
        ConfigFixture.AssertFault(faults, "render.referenceWhiteNits", "at least 1");
    }

    [Fact]
    public void An_hdr_output_at_8_bits_a_singular_matrix_and_a_bad_lut_are_refused()
    {
        JsonObject root = ConfigFixture.Valid();
        root["outputs"]![0]!["bitDepth"] = 8;
        root["outputs"]![0]!["colour"] = JsonNode.Parse("""{ "transfer": "pq" }""");
        ConfigFixture.AssertFault(ConfigFixture.Faults(root), "outputs[0].bitDepth", "must be 10, 12 or 16 for a pq output");

        root = ConfigFixture.Valid();
        root["outputs"]![0]!["colour"] = JsonNode.Parse("""{ "transfer": "srgb", "calibration": { "matrix": [1, 0, 0, 1, 0, 0, 0, 0, 1] } }""");
        ConfigFixture.AssertFault(ConfigFixture.Faults(root), "outputs[0].colour.calibration.matrix", "singular");

        root = ConfigFixture.Valid();
        root["outputs"]![0]!["colour"] = JsonNode.Parse("""{ "transfer": "srgb", "calibration": { "lut": "missing.cube" } }""");
        ConfigFixture.AssertFault(ConfigFixture.Faults(root), "outputs[0].colour.calibration.lut", "/tmp/fixture/missing.cube: cannot be read");
    }
}
