using System.Numerics;
using Microsoft.Data.Sqlite;
using Stage.Core.Time;
using Stage.Takes;

namespace Stage.Cli.Tests;

public sealed class TakesCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "stage-takes-cli-" + Guid.NewGuid().ToString("N"));
    private readonly string _db;

    public TakesCommandTests()
    {
        _db = Path.Combine(_folder, "takes.sqlite");
        using TakeLog log = TakeLog.Open(_db);
        var camera = new TakeCamera("A", 35, 36.7, 25.54);
        var when = new DateTime(2026, 11, 23, 11, 0, 0, DateTimeKind.Local);
        for (int take = 0; take < 2; take++)
        {
            TakeRecorder recorder = log.StartTake("5", [camera], FrameRate.Fps23976, Timecode.Parse("01:00:00:00", FrameRate.Fps23976) + take * 100, [], 1, when);
            for (int f = 0; f < 30; f++)
                recorder.AddFrame([new TrackFrame(f, 0, new Vector3(0, 1.6f, 3), Quaternion.Identity, 35, 2, 700, 1)], 0);
            recorder.Stop(2);
        }
        log.SetCircled(2, true);
        log.AddNote(2, "print this one");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = StageCli.Run([.. args, "--log-dir", Path.Combine(_folder, "logs")], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void List_shows_every_take_with_timecode_and_notes()
    {
        (int exit, string output, _) = Run("takes", "list", _db);
        Assert.Equal(0, exit);
        string[] lines = output.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Contains("01:00:00:00  01:00:01:06", lines[1]);
        Assert.Contains("●", lines[2]);
        Assert.Contains("print this one", lines[2]);
        (exit, output, _) = Run("takes", "list", _db, "--day", "2026-11-24");
        Assert.Equal("no takes", output.Trim());
    }

    [Fact]
    public void A_cluster_take_lists_and_shows_its_nodes_and_their_agreement()
    {
        using (TakeLog log = TakeLog.Open(_db))
            log.SetNodes(2, [new TakeNode("primary", true, ["wall-1"], 0, 0, -1), new TakeNode("render-1", false, ["wall-2"], 30, 29, 12), new TakeNode("render-2", false, [], 30, 30, -1)]);
        (int exit, string output, _) = Run("takes", "list", _db);
        Assert.Equal(0, exit);
        string[] lines = output.TrimEnd().Split('\n');
        Assert.Contains("cluster", lines[0]);
        Assert.Contains("–", lines[1]);
        Assert.Contains("render-1 DIVERGED at take frame 12 (29/30 agreed)", lines[2]);
        (exit, output, _) = Run("takes", "show", _db, "2");
        Assert.Equal(0, exit);
        Assert.Contains("node         primary (primary); draws wall-1", output);
        Assert.Contains("node         render-1 DIVERGED at take frame 12 (29/30 agreed); draws wall-2; first divergent frame 12 (01:00:04:16)", output);
        Assert.Contains("node         render-2 agreed 30/30; draws no output", output);
        (exit, output, _) = Run("takes", "show", _db, "2", "--json");
        Assert.Contains("\"firstDivergentFrame\": 12", output);
    }

    [Fact]
    public void Show_describes_one_take()
    {
        (int exit, string output, _) = Run("takes", "show", _db, "2");
        Assert.Equal(0, exit);
        Assert.Contains("scene 5 take 2 (A_S5_T002), complete, circled", output);
        Assert.Contains("30 frames, 0 dropped", output);
        Assert.Contains("note         print this one", output);
    }

    [Fact]
    public void Export_writes_each_format()
    {
        string outDir = Path.Combine(_folder, "out");
        (int exit, string output, _) = Run("takes", "export", _db, "--format", "ale", "--out", outDir, "--day", "2026-11-23");
        Assert.Equal(0, exit);
        string ale = File.ReadAllText(output.Trim());
        Assert.StartsWith("Heading\nFIELD_DELIM\tTABS", ale);
        Assert.Contains("A_S5_T002\tV\t01:00:04:04", ale);

        (exit, output, _) = Run("takes", "export", _db, "--format", "chan", "--out", outDir);
        Assert.Equal(0, exit);
        string[] chans = output.Trim().Split('\n');
        Assert.Equal(2, chans.Length);
        Assert.Equal(30, File.ReadAllLines(chans[0]).Length);

        (exit, output, _) = Run("takes", "export", _db, "--format", "json", "--take", "1", "--out", outDir);
        Assert.Equal(0, exit);
        Assert.Contains("\"pinholeFocalLength\": 35", File.ReadAllText(output.Trim()));

        (exit, output, _) = Run("takes", "export", _db, "--format", "csv", "--out", outDir);
        Assert.Equal(3, File.ReadAllLines(output.Trim()).Length);
    }

    [Fact]
    public void Faults_are_named_and_exit_1()
    {
        (int exit, _, string error) = Run("takes", "show", _db, "99");
        Assert.Equal(1, exit);
        Assert.Contains("take 99 does not exist", error);
        (exit, _, error) = Run("takes", "list", Path.Combine(_folder, "none.sqlite"));
        Assert.Equal(1, exit);
        Assert.Contains("does not exist", error);
        (exit, _, error) = Run("takes", "export", _db, "--format", "mov");
        Assert.Equal(2, exit);
        (exit, _, error) = Run("takes", "list", _db, "--day", "yesterday");
        Assert.Equal(1, exit);
        Assert.Contains("YYYY-MM-DD", error);
    }

    [Fact]
    public void A_camera_that_never_received_a_pose_exports_no_origin_rows_and_the_export_says_how_many_frames_had_none()
    {
        // A real run with nothing sending poses: camera A stays NO DATA for the whole take.
        (string rig, _, _) = TestStages.TestRig(_folder);
        (int exit, string output, string error) = Run("run", rig, "--seconds", "2", "--output", "headless", "--take", "BLIND");
        Assert.True(exit == 0, output + error);
        string db = Path.Combine(_folder, "takes.sqlite");
        long takeId;
        using (TakeLog log = TakeLog.Open(db, create: false)) takeId = log.LastTake()!.Id;
        string folder = Path.Combine(_folder, "export");

        (exit, output, error) = Run("takes", "export", db, "--take", takeId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "chan", "--out", folder);
        Assert.True(exit == 0, error);
        Assert.Matches(@"\.chan  \(\d+ frames without a camera pose: left out\)", output);
        string chan = File.ReadAllText(Directory.GetFiles(folder, "*.chan").Single());
        Assert.Equal("", chan);

        (exit, output, error) = Run("takes", "export", db, "--take", takeId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "json", "--out", folder);
        Assert.True(exit == 0, error);
        Assert.Matches(@"\.json  \(\d+ frames without a camera pose: flagged hasPose false, without transforms\)", output);
        Assert.DoesNotContain("\"transforms\"", File.ReadAllText(Directory.GetFiles(folder, "*.json").Single()));
    }
}
