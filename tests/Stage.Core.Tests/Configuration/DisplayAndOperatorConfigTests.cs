using System.Numerics;
using System.Text.Json.Nodes;
using Stage.Core.Configuration;
using Stage.Tracking.Virtual;

namespace Stage.Core.Tests.Configuration;

/// <summary>The "display" and "operator" sections and the "virtual" tracking source: defaults when absent, every fault with its path.</summary>
public sealed class DisplayAndOperatorConfigTests
{
    [Fact]
    public void Without_the_sections_windows_are_fifo_with_overlay_and_shortcuts_are_the_defaults()
    {
        StageConfig config = ConfigFixture.Load(ConfigFixture.Valid()).Config!;
        Assert.Equal(PresentModeSetting.Fifo, config.Display.PresentMode);
        Assert.Equal(OutputDisplayConfig.Windowed("o1"), config.Display.For("o1"));
        Assert.Equal(OperatorConfig.DefaultShortcuts, config.Operator.Shortcuts);
        Assert.Null(config.Operator.CameraId);
        Assert.Equal("F5", config.Operator.Shortcuts[OperatorAction.TakeStart].ToString());
        Assert.Equal("Ctrl+R", config.Operator.Shortcuts[OperatorAction.WorldReset].ToString());
    }

    [Fact]
    public void A_display_section_puts_outputs_on_monitors_with_the_overlay_off_by_default_there()
    {
        JsonObject root = ConfigFixture.Valid();
        root["display"] = JsonNode.Parse("""{ "presentMode": "mailbox", "outputs": [ { "output": "o1", "monitor": "HDMI-1", "refreshHz": 60 } ] }""");
        StageConfig config = ConfigFixture.Load(root).Config!;
        Assert.Equal(PresentModeSetting.Mailbox, config.Display.PresentMode);
        Assert.Equal(new OutputDisplayConfig("o1", "HDMI-1", 60, Overlay: false), config.Display.For("o1"));
        Assert.True(config.Display.For("o1").IsFullScreen);

        root["display"] = JsonNode.Parse("""{ "outputs": [ { "output": "o1", "monitor": 1, "overlay": true } ] }""");
        Assert.Equal(new OutputDisplayConfig("o1", "1", null, Overlay: true), ConfigFixture.Load(root).Config!.Display.For("o1"));
    }

    [Fact]
    public void Display_faults_are_named_with_their_path()
    {
        JsonObject root = ConfigFixture.Valid();
        root["display"] = JsonNode.Parse("""
        { "presentMode": "vsync", "outputs": [
            { "output": "nope" },
            { "output": "o1", "monitor": true },
            { "output": "o1", "refreshHz": 60, "colour": 1 }
        ] }
        """);
        IReadOnlyList<ConfigFault> faults = ConfigFixture.Faults(root);
        ConfigFixture.AssertFault(faults, "display.presentMode", "must be one of fifo, mailbox, immediate");
        ConfigFixture.AssertFault(faults, "display.outputs[0].output", "names output 'nope'");
        ConfigFixture.AssertFault(faults, "display.outputs[1].monitor", "must be a monitor name or index");
        ConfigFixture.AssertFault(faults, "display.outputs[2].colour", "unknown field");
    }

    [Fact]
    public void Display_refresh_without_a_monitor_and_an_output_listed_twice_are_faults()
    {
        JsonObject root = ConfigFixture.Valid();
        root["display"] = JsonNode.Parse("""{ "outputs": [ { "output": "o1", "refreshHz": 50 }, { "output": "o1" } ] }""");
        IReadOnlyList<ConfigFault> faults = ConfigFixture.Faults(root);
        ConfigFixture.AssertFault(faults, "display.outputs[0].refreshHz", "applies only to an output on a monitor");
        ConfigFixture.AssertFault(faults, "display.outputs[1].output", "listed twice");
    }

    [Fact]
    public void Shortcuts_are_read_by_action_with_modifiers_and_the_rest_keep_their_defaults()
    {
        JsonObject root = ConfigFixture.Valid();
        root["operator"] = JsonNode.Parse("""{ "shortcuts": { "takeStart": "ctrl+shift+space", "overlayToggle": "F2" }, "camera": "A" }""");
        StageConfig config = ConfigFixture.Load(root).Config!;
        Assert.Equal(new KeyChord(32, KeyModifiers.Ctrl | KeyModifiers.Shift), config.Operator.Shortcuts[OperatorAction.TakeStart]);
        Assert.Equal("Ctrl+Shift+Space", config.Operator.Shortcuts[OperatorAction.TakeStart].ToString());
        Assert.Equal(new KeyChord(291, KeyModifiers.None), config.Operator.Shortcuts[OperatorAction.OverlayToggle]);
        Assert.Equal(OperatorConfig.DefaultShortcuts[OperatorAction.TakeStop], config.Operator.Shortcuts[OperatorAction.TakeStop]);
        Assert.Equal("A", config.Operator.CameraId);
    }

    [Fact]
    public void Shortcut_faults_name_the_action_the_key_and_the_clash()
    {
        JsonObject root = ConfigFixture.Valid();
        root["operator"] = JsonNode.Parse("""
        { "camera": "Z", "shortcuts": { "takeStart": "F13", "takeStop": "Hyper+F6", "jump": "J", "takeCircle": 7, "worldReset": "F1" } }
        """);
        IReadOnlyList<ConfigFault> faults = ConfigFixture.Faults(root);
        ConfigFixture.AssertFault(faults, "operator.camera", "names camera 'Z'");
        ConfigFixture.AssertFault(faults, "operator.shortcuts.takeStart", "'F13' in \"F13\" is not a key name");
        ConfigFixture.AssertFault(faults, "operator.shortcuts.takeStop", "'Hyper' in \"Hyper+F6\" is not a modifier");
        ConfigFixture.AssertFault(faults, "operator.shortcuts.jump", "is not an action (actions: takeStart, takeStop, takeCircle, worldReset, chromaKeyToggle, markersToggle, overlayToggle)");
        ConfigFixture.AssertFault(faults, "operator.shortcuts.takeCircle", "must be a key");
        ConfigFixture.AssertFault(faults, "operator.shortcuts", "F1 is given to worldReset and overlayToggle");
    }

    [Fact]
    public void A_virtual_source_feeds_a_camera_listens_on_no_port_and_forbids_plain_shortcuts_on_flying_keys()
    {
        JsonObject root = ConfigFixture.Valid();
        root["tracking"]!.AsArray().Add(JsonNode.Parse("""{ "id": "fly", "kind": "virtual", "startPositionM": [1, 1.5, 3], "startPanDeg": 10, "speedMps": 2 }"""));
        root["cameras"]![0]!["source"] = "fly";
        StageConfig config = ConfigFixture.Load(root).Config!;
        var source = Assert.IsType<VirtualCameraSourceConfig>(config.FindSource("fly"));
        Assert.Equal(new Vector3(1, 1.5f, 3), source.StartPositionM);
        Assert.Equal((10.0, 0.0, 2.0, 45.0, 0.15), (source.StartPanDeg, source.StartTiltDeg, source.SpeedMps, source.TurnDegPerS, source.MouseDegPerPx));
        Assert.Equal((0, "virtual"), (source.Port, source.Kind));

        root["operator"] = JsonNode.Parse("""{ "shortcuts": { "takeStart": "W", "takeStop": "Ctrl+W" } }""");
        ConfigFixture.AssertFault(ConfigFixture.Faults(root), "operator.shortcuts.takeStart", "W flies the virtual camera");

        root.Remove("operator");
        root["tracking"]![3]!["speedMps"] = 0;
        root["tracking"]![3]!["startPositionM"] = JsonNode.Parse("[1, 2]");
        IReadOnlyList<ConfigFault> faults = ConfigFixture.Faults(root);
        ConfigFixture.AssertFault(faults, "tracking[3].speedMps", "");
        ConfigFixture.AssertFault(faults, "tracking[3].startPositionM", "");
    }

    [Fact]
    public void Key_chords_round_trip_through_their_text()
    {
        foreach (string name in KeyChord.KeyNames)
        {
            Assert.True(KeyChord.TryParse("Ctrl+Alt+" + name, out KeyChord chord, out string error), error);
            Assert.True(KeyChord.TryParse(chord.ToString(), out KeyChord again, out error), error);
            Assert.Equal(chord, again);
        }
    }
}
