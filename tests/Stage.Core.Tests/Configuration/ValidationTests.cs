using System.Text.Json.Nodes;
using Stage.Core.Configuration;
using static Stage.Core.Tests.Configuration.ConfigFixture;
using Stage.Tracking.OpenTrackIO;
using Stage.Tracking.FreeD;

namespace Stage.Core.Tests.Configuration;

public class ValidationTests
{
    [Fact]
    public void The_fixture_is_valid()
    {
        ConfigLoadResult result = Load(Valid());
        Assert.True(result.IsValid, string.Join("\n", result.Faults));
        StageConfig config = result.Config!;
        Assert.Equal(3, config.TrackingSources.Count);
        Assert.Equal("235.135.1.1", ((OpenTrackIOSourceConfig)config.TrackingSources[2]).MulticastGroup);
        Assert.Equal(55555, config.TrackingSources[2].Port);
        Assert.Equal(10, config.Cameras[0].OverscanPercent);
        Assert.Equal(1, ((FreeDSourceConfig)config.TrackingSources[1]).CameraId);
        Assert.Equal("A", config.Cameras[0].TrackedId);
        Assert.Equal(Path.GetFullPath("/tmp/fixture/takes/stage.sqlite"), config.TakeDatabasePath);
    }

    [Fact]
    public void Malformed_json_reports_line_and_column()
    {
        ConfigLoadResult result = Stage.Tracking.StageConfigFile.LoadText("{\n  \"name\": \"x\",\n  \"walls\": [ }\n", "/tmp/x.json");
        ConfigFault fault = Assert.Single(result.Faults);
        Assert.Contains("line 3, column 14", fault.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        ConfigLoadResult result = Stage.Tracking.StageConfigFile.Load("/nonexistent/stage.json");
        Assert.Contains("/nonexistent/stage.json", Assert.Single(result.Faults).Message);
    }

    [Fact]
    public void Panel_pixels_must_be_two_positive_integers()
    {
        JsonObject json = Valid();
        json["walls"]![1]!["panel"]!["pixels"] = new JsonArray(10, -3);
        Assert.Contains("walls[1].panel.pixels: must be two positive integers", Faults(json).Select(f => f.ToString()));
    }

    [Fact]
    public void Unknown_fields_are_errors_at_every_level()
    {
        JsonObject json = Valid();
        json["colour"] = "blue";
        json["walls"]![0]!["sizeMm"] = 3;
        json["tracking"]![0]!["adresses"] = "typo";
        IReadOnlyList<ConfigFault> faults = Faults(json);
        AssertFault(faults, "colour", "unknown field");
        AssertFault(faults, "walls[0].sizeMm", "unknown field");
        AssertFault(faults, "tracking[0].adresses", "unknown field");
    }

    [Fact]
    public void Required_fields_are_named_when_missing()
    {
        JsonObject json = Valid();
        json.Remove("frameRate");
        json["cameras"]![0]!.AsObject().Remove("focalLengthMm");
        IReadOnlyList<ConfigFault> faults = Faults(json);
        AssertFault(faults, "frameRate", "is required");
        AssertFault(faults, "cameras[0].focalLengthMm", "is required");
    }

    [Fact]
    public void Wrong_types_and_ranges_are_reported()
    {
        JsonObject json = Valid();
        json["frameRate"] = "23.5";
        json["tracking"]![0]!["port"] = 70000;
        json["cameras"]![0]!["focalLengthMm"] = "35";
        json["outputs"]![0]!["bitDepth"] = 9;
        json["tracking"]![1]!["cameraId"] = 256;
        json["walls"]![0]!["kind"] = "round";
        IReadOnlyList<ConfigFault> faults = Faults(json);
        AssertFault(faults, "frameRate", "'23.5'");
        AssertFault(faults, "tracking[0].port", "between 1 and 65535");
        AssertFault(faults, "cameras[0].focalLengthMm", "must be a number");
        AssertFault(faults, "outputs[0].bitDepth", "8, 10, 12 or 16");
        AssertFault(faults, "tracking[1].cameraId", "between 0 and 255");
        AssertFault(faults, "walls[0].kind", "'round'");
    }

    [Fact]
    public void A_wall_must_be_a_whole_number_of_panels()
    {
        JsonObject json = Valid();
        json["walls"]![0]!["sizeM"] = new JsonArray(2.2, 1.0);
        AssertFault(Faults(json), "walls[0].sizeM", "not a whole number of 0.5 m panels");
    }

    [Fact]
    public void A_curved_wall_column_must_be_one_panel_wide()
    {
        JsonObject json = Valid();
        json["walls"]![1]!["columns"] = 5;
        AssertFault(Faults(json), "walls[1].columns", "try 6 columns");
    }

    [Fact]
    public void A_region_naming_an_unknown_wall_is_reported()
    {
        JsonObject json = Valid();
        json["outputs"]![0]!["regions"]![1]!["wall"] = "back";
        IReadOnlyList<ConfigFault> faults = Faults(json);
        AssertFault(faults, "outputs[0].regions[1].wall", "wall 'back', which does not exist");
    }

    [Fact]
    public void A_region_outside_its_wall_is_reported()
    {
        JsonObject json = Valid();
        json["outputs"]![0]!["regions"]![0]!["wallPixels"] = new JsonArray(10, 0, 40, 20);
        AssertFault(Faults(json), "outputs[0].regions[0].wallPixels", "falls outside wall 'front' (40 × 20 px)");
    }

    [Fact]
    public void A_region_outside_its_canvas_is_reported()
    {
        JsonObject json = Valid();
        json["outputs"]![0]!["regions"]![1]!["canvasOffset"] = new JsonArray(40, 30);
        AssertFault(Faults(json), "outputs[0].regions[1].canvasOffset", "outside output 'o1' (100 × 40 px)");
    }

    [Fact]
    public void Overlapping_regions_on_a_canvas_are_reported()
    {
        JsonObject json = Valid();
        json["outputs"]![0]!["pixels"] = new JsonArray(200, 40);
        json["outputs"]![0]!["regions"]![1]!["canvasOffset"] = new JsonArray(30, 10);
        AssertFault(Faults(json), "outputs[0].regions[1]", "overlaps outputs[0].regions[0] on the canvas at x 30–39, y 10–19");
    }

    [Fact]
    public void Wall_pixels_carried_by_no_output_are_reported_with_their_place()
    {
        JsonObject json = Valid();
        json["outputs"]![0]!["regions"]![1]!["wallPixels"] = new JsonArray(0, 0, 50, 20);
        AssertFault(Faults(json), "walls[1]", "200 of wall 'arc''s 1200 pixels are carried by no output: x 50–59, y 0–19");
    }

    [Fact]
    public void A_camera_bound_to_an_unknown_source_is_reported()
    {
        JsonObject json = Valid();
        json["cameras"]![0]!["source"] = "ghost";
        AssertFault(Faults(json), "cameras[0].source", "tracking source 'ghost', which does not exist (sources: t1, t2, t3)");
    }

    [Fact]
    public void Two_sources_on_one_port_are_reported()
    {
        JsonObject json = Valid();
        json["tracking"]![1]!["port"] = 9000;
        AssertFault(Faults(json), "tracking[1].port", "port 9000 is already used by tracking source 't1'");
    }

    [Fact]
    public void A_source_on_the_control_port_is_reported()
    {
        JsonObject json = Valid();
        json["control"]!["port"] = 40000;
        AssertFault(Faults(json), "tracking[1].port", "port 40000 is already used by control");
    }

    [Fact]
    public void OpenTrackIO_sources_share_a_port_on_different_groups_but_not_on_one()
    {
        JsonObject json = Valid();
        json["tracking"]!.AsArray().Add(JsonNode.Parse("""{ "id": "t4", "kind": "opentrackio", "sourceNumber": 2 }"""));
        Assert.True(Load(json).IsValid, string.Join("\n", Load(json).Faults));
        json["tracking"]![3]!["sourceNumber"] = 1;
        AssertFault(Faults(json), "tracking[3].port", "already used by tracking source 't3'");
    }

    [Fact]
    public void Duplicate_ids_are_reported()
    {
        JsonObject json = Valid();
        json["walls"]![1]!["id"] = "front";
        AssertFault(Faults(json), "walls[1].id", "wall id 'front' is already used by walls[0]");
    }

    [Fact]
    public void Calibration_tables_must_ascend()
    {
        JsonObject json = Valid();
        json["tracking"]![1]!["zoomCalibration"] = JsonNode.Parse("[[1000, 20], [500, 50]]");
        AssertFault(Faults(json), "tracking[1].zoomCalibration[1]", "must be greater than the previous point's 1000");
    }

    [Fact]
    public void Osc_sources_need_a_pose_or_position_and_rotation()
    {
        JsonObject json = Valid();
        json["tracking"]![0]!["addresses"] = JsonNode.Parse("""{ "position": "/cam/pos" }""");
        AssertFault(Faults(json), "tracking[0].addresses", "must give \"pose\", or both \"position\" and \"rotation\"");
    }

    [Fact]
    public void A_missing_world_scene_is_reported()
    {
        JsonObject json = Valid();
        json["world"] = JsonNode.Parse("""{ "scene": "worlds/none.json" }""");
        AssertFault(Faults(json), "world.scene", "does not exist");
    }

    [Fact]
    public void Every_fault_is_reported_at_once()
    {
        JsonObject json = Valid();
        json["colour"] = "blue";
        json["walls"]![1]!["panel"]!["pixels"] = new JsonArray(10, -3);
        json["cameras"]![0]!["source"] = "ghost";
        json["tracking"]![1]!["port"] = 9000;
        json["outputs"]![0]!["regions"]![0]!["wallPixels"] = new JsonArray(0, 0, 30, 20);
        IReadOnlyList<ConfigFault> faults = Faults(json);
        AssertFault(faults, "colour", "unknown field");
        AssertFault(faults, "walls[1].panel.pixels", "two positive integers");
        AssertFault(faults, "cameras[0].source", "ghost");
        AssertFault(faults, "tracking[1].port", "9000");
        AssertFault(faults, "walls[0]", "carried by no output");
        Assert.Equal(5, faults.Count);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_allowed()
    {
        string json = ValidJson.Replace("\"name\": \"Fixture\",", "// the stage\n\"name\": \"Fixture\",").Replace("\"port\": 8000 }", "\"port\": 8000, }");
        ConfigLoadResult result = Stage.Tracking.StageConfigFile.LoadText(json, "/tmp/x.json");
        Assert.True(result.IsValid, string.Join("\n", result.Faults));
    }

    [Fact]
    public void Uncovered_areas_are_found_without_walking_pixels()
    {
        var bounds = new PixelRect(0, 0, 100_000, 100_000);
        IReadOnlyList<PixelRect> gaps = bounds.Uncovered([new PixelRect(0, 0, 100_000, 50_000), new PixelRect(0, 50_000, 60_000, 50_000)]);
        Assert.Equal([new PixelRect(60_000, 50_000, 40_000, 50_000)], gaps);
        Assert.Empty(bounds.Uncovered([bounds]));
    }

    [Fact]
    public void Control_senders_can_be_restricted_to_networks()
    {
        JsonObject json = Valid();
        json["control"]!["allowFrom"] = JsonNode.Parse("""["127.0.0.1", "10.1.0.0/16"]""");
        ControlConfig control = Load(json).Config!.Control;
        Assert.Equal(["127.0.0.1/32", "10.1.0.0/16"], control.AllowedSenders.Select(n => n.ToString()));
        Assert.True(control.AllowedSenders[1].Contains(System.Net.IPAddress.Parse("10.1.200.3")));
        Assert.False(control.AllowedSenders[1].Contains(System.Net.IPAddress.Parse("10.2.0.1")));
        json["control"]!["allowFrom"] = JsonNode.Parse("""["10.0.0.0/33", 5]""");
        IReadOnlyList<ConfigFault> faults = Faults(json);
        AssertFault(faults, "control.allowFrom[0]", "IPv4 address or network");
        AssertFault(faults, "control.allowFrom[1]", "not the number 5");
    }
}
