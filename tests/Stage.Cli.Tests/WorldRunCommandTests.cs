using Microsoft.Data.Sqlite;
using Stage.Tests.Shared;

namespace Stage.Cli.Tests;

/// <summary><c>stage run</c> with a world, <c>stage replay</c> and <c>stage demo</c>, end to end on the test rig (lavapipe).</summary>
public sealed class WorldRunCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-world-cli-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static string World(string name) => RepositoryPaths.Of("stage-configs", "worlds", name + ".json");

    [Fact]
    public void A_take_run_with_a_world_replays_with_the_same_hash_at_every_frame()
    {
        (string path, _, _) = TestStages.TestRig(_folder);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = StageCli.Run(["run", path, "--seconds", "3", "--output", "headless", "--world", World("breakout"), "--take", "W1",
            "--simulate-tracking", "orbit", "--validate", "--log-dir", _folder], output, error);
        Assert.True(code == 0, output + "\n" + error);
        Assert.Contains(" entities at 120 Hz", output.ToString());
        Assert.Contains("world: step", output.ToString());
        Assert.Contains("last take W1/1", output.ToString());

        string db = Path.Combine(_folder, "takes.sqlite");
        var replay = new StringWriter();
        var replayError = new StringWriter();
        string frames = Path.Combine(_folder, "replay");
        code = StageCli.Run(["replay", db, "last", "--out", frames, "--validate"], replay, replayError);
        Assert.True(code == 0, replay + "\n" + replayError);
        Assert.Matches(@"state hash verified at all \d+ frames", replay.ToString());
        string[] pngs = Directory.GetFiles(frames, "*.png", SearchOption.AllDirectories);
        Assert.NotEmpty(pngs);

        // A tampered recording is caught and named by frame (the last one: a slow machine drops frames, so take frames have gaps).
        long last;
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand lastFrame = connection.CreateCommand();
            lastFrame.CommandText = "SELECT MAX(frame) FROM track;";
            last = (long)lastFrame.ExecuteScalar()!;
            using SqliteCommand tamper = connection.CreateCommand();
            tamper.CommandText = $"UPDATE track SET state_hash = state_hash + 1 WHERE frame = {last};";
            Assert.True(tamper.ExecuteNonQuery() >= 1);
        }
        var bad = new StringWriter();
        Assert.Equal(1, StageCli.Run(["replay", db, "last", "--output", "headless"], bad, new StringWriter()));
        Assert.Contains($"frame {last} ", bad.ToString());
    }

    [Fact]
    public void Replay_names_what_is_wrong_with_its_arguments()
    {
        var error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["replay", Path.Combine(_folder, "none.sqlite"), "1"], new StringWriter(), error));
        Assert.Contains("does not exist", error.ToString());
        (string path, _, _) = TestStages.TestRig(_folder);
        Assert.Equal(0, StageCli.Run(["run", path, "--seconds", "2", "--output", "headless", "--take", "X", "--log-dir", _folder], new StringWriter(), new StringWriter()));
        error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["replay", Path.Combine(_folder, "takes.sqlite"), "abc"], new StringWriter(), error));
        Assert.Contains("'abc' is not a take id", error.ToString());
        error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["replay", Path.Combine(_folder, "takes.sqlite"), "99"], new StringWriter(), error));
        Assert.Contains("take 99 does not exist", error.ToString());
    }

    [Fact]
    public void Canvas_scale_renders_every_canvas_at_a_fraction_of_its_size()
    {
        (string path, _, _) = TestStages.TestRig(_folder);
        string full = Path.Combine(_folder, "full"), half = Path.Combine(_folder, "half");
        var fullOutput = new StringWriter();
        var fullError = new StringWriter();
        Assert.True(StageCli.Run(["run", path, "--seconds", "2", "--output", "files", "--out", full, "--log-dir", _folder], fullOutput, fullError) == 0, fullOutput + "\n" + fullError);
        var output = new StringWriter();
        var halfError = new StringWriter();
        Assert.True(StageCli.Run(["run", path, "--seconds", "2", "--output", "files", "--out", half, "--canvas-scale", "2", "--log-dir", _folder], output, halfError) == 0, output + "\n" + halfError);
        Assert.NotEmpty(Directory.GetFiles(half, "*.png", SearchOption.AllDirectories));
        Assert.Contains("1/2 size", output.ToString());
        string[] frames = Directory.GetFiles(full, "*.png", SearchOption.AllDirectories);
        Assert.NotEmpty(frames);
        foreach (string fullFrame in frames.Where(f => File.Exists(Path.Combine(half, Path.GetRelativePath(full, f)))).Take(2))
        {
            string halfFrame = Path.Combine(half, Path.GetRelativePath(full, fullFrame));
            Stage.Render.Imaging.PngImage a = Stage.Render.Imaging.PngCodec.Read(fullFrame), b = Stage.Render.Imaging.PngCodec.Read(halfFrame);
            Assert.Equal(((a.Width + 1) / 2, (a.Height + 1) / 2), (b.Width, b.Height));
        }
        Assert.Equal(2, StageCli.Run(["run", path, "--canvas-scale", "0"], new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void A_take_records_the_poses_a_simulated_osc_tracker_sent_over_loopback()
    {
        (string path, _, _) = TestStages.TestRig(_folder);
        string moves = Path.Combine(_folder, "hold.csv");
        // The camera holds one pose, so what each frame used must be exactly what was sent (no interpolation to blur it).
        File.WriteAllText(moves, "time,x,y,z,pan,tilt,roll\n0,0.5,1.6,2.25,10,-2,1.5\n600,0.5,1.6,2.25,10,-2,1.5\n");
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(StageCli.Run(["run", path, "--seconds", "3", "--output", "headless", "--simulate-tracking", moves, "--take", "P", "--log-dir", _folder], output, error) == 0,
            output + "\n" + error);
        Assert.Contains("over OSC", error.ToString());
        using var log = Stage.Takes.TakeLog.Open(Path.Combine(_folder, "takes.sqlite"), create: false);
        IReadOnlyList<Stage.Takes.RecordedFrame> track = log.Track(log.LastTake()!.Id);
        Stage.Core.Space.Pose sent = Stage.Core.Space.Pose.FromPanTiltRoll(new System.Numerics.Vector3(0.5f, 1.6f, 2.25f), new Stage.Core.Space.PanTiltRoll(10, -2, 1.5));
        Stage.Takes.RecordedFrame[] tracked = [.. track.Where(f => !double.IsNaN(f.Sample.PoseAgeUs))];
        Assert.True(tracked.Length >= track.Count - 3, $"{tracked.Length} of {track.Count} frames had a pose");
        foreach (Stage.Takes.RecordedFrame frame in tracked)
        {
            Assert.True(System.Numerics.Vector3.Distance(sent.PositionM, frame.Sample.PositionM) < 1e-5f, $"frame {frame.Sample.Frame}: {frame.Sample.PositionM}");
            Assert.True(Math.Abs(System.Numerics.Quaternion.Dot(sent.Orientation, frame.Sample.Orientation)) > 1 - 1e-6f, $"frame {frame.Sample.Frame}: {frame.Sample.Orientation}");
            // The newest sample: the tracker sends every 10 ms, so the pose used is at most a few sends old.
            Assert.InRange(frame.Sample.PoseAgeUs, 0, 200_000);
        }
    }

    [Fact]
    public void A_broken_world_scene_stops_the_run_with_its_faults()
    {
        (string path, _, _) = TestStages.TestRig(_folder);
        string scene = Path.Combine(_folder, "broken.json");
        File.WriteAllText(scene, """{ "entities": [ { "name": "x", "shape": { "kind": "sphere", "radiusM": -1 } } ] }""");
        var error = new StringWriter();
        Assert.Equal(1, StageCli.Run(["run", path, "--seconds", "1", "--output", "headless", "--world", scene, "--log-dir", _folder], new StringWriter(), error));
        Assert.Contains("entities[0].shape", error.ToString());
    }

    [Fact]
    public void The_demo_records_a_take_exports_it_and_writes_previews()
    {
        (string path, _, _) = TestStages.TestRig(_folder);
        string demo = Path.Combine(_folder, "demo");
        var output = new StringWriter();
        var error = new StringWriter();
        int code = StageCli.Run(["demo", "--config", path, "--world", World("traffic"), "--seconds", "3", "--out", demo, "--log-dir", _folder], output, error);
        Assert.True(code == 0, output + "\n" + error);
        string ale = Assert.Single(Directory.GetFiles(demo, "*.ale"));
        Assert.Contains("FIELD_DELIM\tTABS", File.ReadAllText(ale));
        string chan = Assert.Single(Directory.GetFiles(demo, "*.chan"));
        Assert.NotEmpty(File.ReadAllLines(chan));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(demo, "preview"), "*.png"));
        Assert.Contains("demo take DEMO/1", output.ToString());
        Assert.Contains("tools/stage replay", output.ToString());
    }
}
