using System.Diagnostics;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stage.Engine.Status;
using Stage.Hosting.Operator;
using Stage.Tracking;

namespace Stage.Hosting.Tests;

public sealed class StatusWriterTests
{
    private static JsonElement Parse(byte[] sseEvent)
    {
        string text = Encoding.UTF8.GetString(sseEvent);
        Assert.StartsWith("event: status\ndata: {", text);
        Assert.EndsWith("}\n\n", text);
        // One data line: a newline inside would end the event early.
        Assert.Equal(3, text.Count(c => c == '\n'));
        return JsonDocument.Parse(text["event: status\ndata: ".Length..].Trim()).RootElement;
    }

    [Fact]
    public void Trackers_are_read_at_the_push_so_a_silent_one_shows_LOST_even_before_the_engine_publishes()
    {
        using var run = new InProcessPage(new JsonObject { ["port"] = 0 });
        var writer = new StatusWriter(run.Stage, run.Tracking, null, run.Warnings);
        JsonElement none = Parse(writer.Write(null, null, includeWarnings: true));
        Assert.False(none.GetProperty("engine").GetProperty("started").GetBoolean());
        JsonElement camera = none.GetProperty("cameras")[0];
        Assert.Equal("NO DATA", camera.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, camera.GetProperty("rateHz").ValueKind);
        Assert.Equal(24, camera.GetProperty("focalLengthMm").GetDouble());
        Assert.Empty(none.GetProperty("warnings").EnumerateArray());

        // A pose received 2 s ago: tracking when written, LOST by the time of the push (loss timeout 100 ms).
        long twoSecondsAgo = Stopwatch.GetTimestamp() - 2 * Stopwatch.Frequency;
        run.Tracking.Cameras[0].Write(CameraSample.Create("A", new Vector3(1, 1.5f, 3), Quaternion.Identity, twoSecondsAgo, 1));
        JsonElement lost = Parse(writer.Write(null, null, includeWarnings: false)).GetProperty("cameras")[0];
        Assert.Equal("LOST", lost.GetProperty("status").GetString());
        Assert.Equal(1, lost.GetProperty("losses").GetInt64());
        Assert.InRange(lost.GetProperty("poseAgeMs").GetDouble(), 1900, 10_000);
        Assert.Equal([1, 1.5, 3], lost.GetProperty("positionM").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public void The_engines_snapshot_carries_frames_latency_take_and_toggles()
    {
        using var run = new InProcessPage(new JsonObject { ["port"] = 0 });
        run.Engine.Run(CancellationToken.None);
        Assert.True(run.Engine.StatusBoard.WaitAndTake(TimeSpan.Zero, out EngineStatusSnapshot? snapshot));
        var writer = new StatusWriter(run.Stage, run.Tracking, null, run.Warnings);
        JsonElement status = Parse(writer.Write(snapshot, null, includeWarnings: false));
        JsonElement engine = status.GetProperty("engine");
        Assert.True(engine.GetProperty("started").GetBoolean());
        Assert.Equal(snapshot!.Frame, engine.GetProperty("frame").GetInt64());
        Assert.Equal(snapshot.Frames, engine.GetProperty("frames").GetInt64());
        Assert.Equal("24", engine.GetProperty("stageRate").GetString());
        Assert.True(engine.GetProperty("frameMs").GetProperty("count").GetInt32() > 0);
        // No camera had a pose: no latency yet, written as null, never NaN (which JSON cannot carry).
        Assert.Equal(JsonValueKind.Null, engine.GetProperty("poseToPresentMs").GetProperty("p99").ValueKind);
        Assert.False(status.GetProperty("take").GetProperty("recording").GetBoolean());
        Assert.False(status.GetProperty("world").GetProperty("present").GetBoolean());
        Assert.Equal(["out-front", "out-side"], status.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
    }

    [Fact]
    public void The_stage_description_draws_each_wall_from_above()
    {
        using var run = new InProcessPage(new JsonObject { ["port"] = 0 });
        JsonElement stage = JsonDocument.Parse(StageDescription.Build(run.Stage, run.Engine.Commands, hasWorld: false, 100)).RootElement;
        JsonElement[] walls = stage.GetProperty("walls").EnumerateArray().ToArray();
        // The front wall: 2 m wide at z = −2, four panel columns, so five points from x −1 to 1.
        double[][] front = walls[0].GetProperty("pointsXZ").EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        Assert.Equal(5, front.Length);
        Assert.Equal([-1, -2], front[0]);
        Assert.Equal([1, -2], front[^1]);
        // The curved wall: seven points on its circle (radius to the panel edges), from bearing 45° to 135°.
        double[][] curve = walls[1].GetProperty("pointsXZ").EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        Assert.Equal(7, curve.Length);
        Assert.All(curve, p => Assert.Equal(1.9153, Math.Sqrt(p[0] * p[0] + p[1] * p[1]), 3));
        Assert.True(walls[2].GetProperty("closed").GetBoolean());
        Assert.Equal(4, walls[2].GetProperty("pointsXZ").GetArrayLength());
        Assert.Empty(stage.GetProperty("rules").EnumerateArray());
        Assert.Contains(stage.GetProperty("commands").EnumerateArray(), c => c.GetProperty("signature").GetString() == "/stage/takes/circle take:number on:switch");
    }
}
