using System.Diagnostics;
using System.Numerics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Engine.Control;
using Stage.Engine.Input;
using Stage.Tracking;
using Stage.Tracking.Buffers;
using Stage.Windowing.Outputs;

namespace Stage.Windowing.Tests;

/// <summary>
/// Operator input through the window's seam (the calls GLFW's callbacks make): shortcuts reach the
/// engine's commands, and the virtual camera writes the expected poses into its camera's pose buffer.
/// </summary>
public sealed class OperatorInputTests
{
    private const int GlfwPress = 1, GlfwRelease = 0, GlfwRepeat = 2, GlfwModControl = 2;

    /// <summary>The test rig with camera A flown by a virtual source, and <paramref name="operatorSection"/> when given.</summary>
    private static StageConfig VirtualRig(string? operatorSection = null) => WindowRig.TestRig(text =>
    {
        JsonNode root = JsonNode.Parse(text, documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        root["cameras"]![0]!["source"] = "virtual";
        root["tracking"]!.AsArray().Add(JsonNode.Parse("""{ "id": "virtual", "kind": "virtual", "startPositionM": [0, 1.7, 4], "speedMps": 2, "turnDegPerS": 90 }"""));
        if (operatorSection is not null) root["operator"] = JsonNode.Parse(operatorSection);
        return root.ToJsonString();
    }).WithOneOutput();

    /// <summary>A registry whose take/world/camera commands record what they were called with.</summary>
    private static (CommandRegistry Registry, List<string> Calls) RecordingRegistry()
    {
        var registry = new CommandRegistry();
        var calls = new List<string>();
        foreach (string address in new[] { "/stage/take/start", "/stage/take/stop", "/stage/take/circle", "/stage/world/reset" })
            registry.Register(new ControlCommand { Address = address, Description = "test", Handler = call => { lock (calls) calls.Add(call.Address + " " + call.Sender); return ControlReply.Success(); } });
        foreach (string address in new[] { "/stage/camera/chromakey", "/stage/camera/markers" })
            registry.Register(new ControlCommand
            {
                Address = address,
                Description = "test",
                Parameters = [new ControlParameter("camera", ControlParameterKind.Text), new ControlParameter("on", ControlParameterKind.Switch)],
                Handler = call => { lock (calls) calls.Add($"{call.Address} {call.Text("camera")} {(call.Switch("on") ? 1 : 0)}"); return ControlReply.Success(); },
            });
        return (registry, calls);
    }

    [Fact]
    public void Default_shortcuts_pressed_in_a_window_run_the_engine_commands_once_per_press()
    {
        StageConfig config = WindowRig.TestRig().WithOneOutput();
        (CommandRegistry registry, List<string> calls) = RecordingRegistry();
        using var rig = new WindowRig(config);
        var input = new OperatorInput(config, registry, [new PoseBuffer("A", 0)], NullLogger.Instance);
        rig.Output.Input = input;
        GlfwWindow window = rig.Output.Windows[0].Window;
        void Press(string key, int mods = 0)
        {
            int code = KeyChord.Code(key);
            window.DeliverKey(code, GlfwPress, mods);
            window.DeliverKey(code, GlfwRepeat, mods); // auto-repeat of a held key must not repeat the command
            window.DeliverKey(code, GlfwRelease, mods);
        }
        Press("F5");
        Press("F6");
        Press("F7");
        Press("R", GlfwModControl);
        Press("R"); // plain R is not the reset shortcut
        Press("F9");
        Press("F9");
        Press("F10");
        Assert.True(input.OverlayVisible);
        Press("F1");
        Assert.False(input.OverlayVisible);
        Assert.True(input.WaitForCommands(TimeSpan.FromSeconds(10)));
        Assert.Equal(
            ["/stage/take/start keyboard", "/stage/take/stop keyboard", "/stage/take/circle keyboard", "/stage/world/reset keyboard",
             "/stage/camera/chromakey A 1", "/stage/camera/chromakey A 0", "/stage/camera/markers A 1"],
            calls);
        Assert.All(input.RecentReplies, r => Assert.True(r.Reply.Ok));
        input.Dispose();
    }

    [Fact]
    public void Configured_shortcuts_replace_the_defaults_and_a_command_the_engine_lacks_is_answered_not_thrown()
    {
        StageConfig config = VirtualRig("""{ "shortcuts": { "takeStart": "Ctrl+Space", "worldReset": "F12" }, "camera": "A" }""");
        Assert.Equal(new KeyChord(32, KeyModifiers.Ctrl), config.Operator.Shortcuts[OperatorAction.TakeStart]);
        var registry = new CommandRegistry(); // no engine commands at all
        using var input = new OperatorInput(config, registry, [new PoseBuffer("A", 0)], NullLogger.Instance);
        input.Key(KeyChord.Code("F5"), KeyModifiers.None, true); // the old default does nothing now
        input.Key(32, KeyModifiers.Ctrl, true);
        input.Key(KeyChord.Code("F12"), KeyModifiers.None, true);
        Assert.True(input.WaitForCommands(TimeSpan.FromSeconds(10)));
        Assert.Equal(["/stage/take/start", "/stage/world/reset"], input.RecentReplies.Select(r => r.Address));
        Assert.All(input.RecentReplies, r => Assert.Contains("unknown command", r.Reply.Text));
    }

    [Fact]
    public void Keys_fly_the_virtual_camera_and_its_pose_buffer_receives_the_poses()
    {
        StageConfig config = VirtualRig();
        var buffer = new PoseBuffer("A", 0);
        using var input = new OperatorInput(config, new CommandRegistry(), [buffer], NullLogger.Instance);
        VirtualCamera camera = Assert.Single(input.VirtualCameras);
        Assert.Equal("A", camera.CameraId);
        long t = 1_000_000, half = Stopwatch.Frequency / 2;
        input.Update(t);
        Assert.True(buffer.TryGetLatest(out CameraSample start));
        AssertClose(new Vector3(0, 1.7f, 4), start.PositionM);

        // W for half a second at 2 m/s: one metre towards the wall (−Z at pan 0).
        input.Key(KeyChord.Code("W"), KeyModifiers.None, true);
        for (int i = 1; i <= 30; i++) input.Update(t + half * i / 30);
        input.Key(KeyChord.Code("W"), KeyModifiers.None, false);
        Assert.True(buffer.TryGetLatest(out CameraSample moved));
        AssertClose(new Vector3(0, 1.7f, 3), moved.PositionM);
        Assert.Equal(31, buffer.WrittenCount);
        Assert.Equal(t + half, moved.ReceiveTicks);

        // Right arrow for half a second at 90°/s: pan 45° right; then W goes along the new heading.
        t += half;
        input.Key(KeyChord.Code("Right"), KeyModifiers.None, true);
        for (int i = 1; i <= 30; i++) input.Update(t + half * i / 30);
        input.Key(KeyChord.Code("Right"), KeyModifiers.None, false);
        Assert.True(buffer.TryGetLatest(out CameraSample turned));
        Assert.Equal(45, PanTiltRoll.FromQuaternion(turned.Orientation).PanDeg, 3);
        Assert.Equal(0, PanTiltRoll.FromQuaternion(turned.Orientation).TiltDeg, 3);
        t += half;
        input.Key(KeyChord.Code("W"), KeyModifiers.None, true);
        for (int i = 1; i <= 30; i++) input.Update(t + half * i / 30);
        input.Key(KeyChord.Code("W"), KeyModifiers.None, false);
        Assert.True(buffer.TryGetLatest(out CameraSample ahead));
        float step = MathF.Sqrt(0.5f);
        AssertClose(new Vector3(step, 1.7f, 3 - step), ahead.PositionM);
        // The camera looks where it travels: its forward (−Z of the camera) is the travel direction.
        AssertClose(Vector3.Normalize(new Vector3(1, 0, -1)), new Pose(ahead.PositionM, ahead.Orientation).Forward);

        // The pose buffer serves the engine like a tracker's: tracking, interpolated between samples.
        Assert.Equal(TrackingStatus.Tracking, buffer.UpdateStatus(t + half));
        Assert.True(buffer.TrySample(t + half - half / 60, out PoseQuery query));
        Assert.Equal(PoseSampleKind.Interpolated, query.Kind);

        // Home goes back to the start.
        input.Key(KeyChord.Code("Home"), KeyModifiers.None, true);
        input.Update(t + half + 1);
        Assert.True(buffer.TryGetLatest(out CameraSample home));
        AssertClose(new Vector3(0, 1.7f, 4), home.PositionM);
    }

    [Fact]
    public void A_gamepad_read_by_the_window_output_flies_the_virtual_camera()
    {
        StageConfig config = VirtualRig();
        var buffer = new PoseBuffer("A", 0);
        using var rig = new WindowRig(config);
        var input = new OperatorInput(config, new CommandRegistry(), [buffer], NullLogger.Instance);
        var pad = new FakeGamepad();
        rig.Output.Input = input;
        rig.Output.Gamepads = pad;
        var canvas = WindowRig.Gradient("out-front", 128, 64, 0);
        rig.Show(WindowRig.Tick(0), [canvas]);
        Assert.True(buffer.TryGetLatest(out CameraSample first));
        AssertClose(new Vector3(0, 1.7f, 4), first.PositionM);
        // Left stick pushed fully away (GLFW: −1 is up), right trigger fully in: forward and up.
        pad.State = GamepadState.Rest with { LeftY = -1, RightTrigger = 1 };
        for (int frame = 1; frame <= 10; frame++)
        {
            Thread.Sleep(10);
            rig.Show(WindowRig.Tick(frame), [canvas]);
        }
        Assert.True(buffer.TryGetLatest(out CameraSample flown));
        Assert.True(flown.PositionM.Z < 4 - 0.05f, $"no forward travel: {flown.PositionM}");
        Assert.True(flown.PositionM.Y > 1.7f + 0.05f, $"no rise: {flown.PositionM}");
        Assert.Equal(0, flown.PositionM.X, 4);
        // Forward and up at the same speed from the same stick deflection: equal travel.
        Assert.Equal(4 - flown.PositionM.Z, flown.PositionM.Y - 1.7f, 3);
        Assert.Equal(11, buffer.WrittenCount);

        // Right stick to the right: pan right, no travel once the left stick is released.
        pad.State = GamepadState.Rest with { RightX = 1 };
        for (int frame = 11; frame <= 15; frame++)
        {
            Thread.Sleep(10);
            rig.Show(WindowRig.Tick(frame), [canvas]);
        }
        Assert.True(buffer.TryGetLatest(out CameraSample panned));
        Assert.True(PanTiltRoll.FromQuaternion(panned.Orientation).PanDeg > 1);
        AssertClose(flown.PositionM, panned.PositionM);
    }

    private static void AssertClose(Vector3 expected, Vector3 actual, float tolerance = 1e-4f) =>
        Assert.True(Vector3.Distance(expected, actual) < tolerance, $"expected {expected}, got {actual}");

    private sealed class FakeGamepad : IGamepadReader
    {
        public GamepadState State { get; set; } = GamepadState.Rest;

        public bool TryRead(out GamepadState state)
        {
            state = State;
            return true;
        }
    }
}
