using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Stage.Core.Space;
using Stage.Core.Time;
using Stage.Takes.Export;

namespace Stage.Takes.Tests;

public sealed class ExportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "stage-export-" + Guid.NewGuid().ToString("N"));
    private readonly TakeLog _log;
    private readonly TakeInfo _take;

    public ExportTests()
    {
        _log = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"));
        TakeRecorder recorder = _log.StartTake("21B", [TakeLogTests.CameraA, new TakeCamera("B", 50, 36.7, 25.54)], FrameRate.Fps2997,
            Timecode.Parse("00:59:59;28", FrameRate.Fps2997), [], 7, new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Local));
        for (int f = 0; f < 10; f++)
        {
            Quaternion q = new PanTiltRoll(10 + f, -5, 2).ToQuaternion();
            recorder.AddFrame([
                new TrackFrame(f, 0, new Vector3(1, 1.5f, 3 - f * 0.1f), q, 35, 4, 900, 7),
                new TrackFrame(f, 1, new Vector3(-1, 1.5f, 3), Quaternion.Identity, 50, double.NaN, 900, 7),
            ], 0);
        }
        _take = recorder.Stop(9);
        _log.SetCircled(_take.Id, true);
        _log.AddNote(_take.Id, "hero take, tab\there");
        _take = _log.Take(_take.Id);
    }

    public void Dispose()
    {
        _log.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Ale_has_its_three_sections_and_drop_frame_timecode()
    {
        string ale = AleExporter.Write([_take]);
        string[] lines = ale.Split('\n');
        Assert.Equal("Heading", lines[0]);
        Assert.Equal("FIELD_DELIM\tTABS", lines[1]);
        Assert.Contains("FPS\t29.97", lines);
        int column = Array.IndexOf(lines, "Column");
        int data = Array.IndexOf(lines, "Data");
        Assert.True(column > 0 && data > column);
        string[] header = lines[column + 1].Split('\t');
        string[] row = lines[data + 1].Split('\t');
        Assert.Equal(header.Length, row.Length);
        Assert.Equal(["Name", "Tracks", "Start", "End", "Scene", "Take", "Camera", "Lens", "Circled", "Comments", "ASC_SOP", "ASC_SAT", "Cluster"], header);
        Assert.Equal("A_S21B_T001", row[0]);
        Assert.Equal("00:59:59;28", row[2]);
        Assert.Equal("01:00:00;08", row[3]);
        Assert.Equal("35mm", row[7]);
        Assert.Equal("Yes", row[8]);
        Assert.Equal("hero take, tab here", row[9]);
    }

    [Fact]
    public void Chan_has_one_row_per_frame_that_rebuilds_the_orientation()
    {
        string chan = ChanExporter.Write(_take, _log.Track(_take.Id));
        string[] rows = chan.TrimEnd('\n').Split('\n');
        Assert.Equal(10, rows.Length);
        double[] first = rows[0].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(8, first.Length);
        Assert.Equal(_take.Start.ToFrameCount(), first[0]);
        Assert.Equal(3.0, first[3], 5);
        // Nuke ZXY: M = Ry(ry) · Rx(rx) · Rz(rz) must give back the recorded orientation.
        Quaternion rebuilt = Quaternion.CreateFromAxisAngle(Vector3.UnitY, (float)double.DegreesToRadians(first[5]))
                           * Quaternion.CreateFromAxisAngle(Vector3.UnitX, (float)double.DegreesToRadians(first[4]))
                           * Quaternion.CreateFromAxisAngle(Vector3.UnitZ, (float)double.DegreesToRadians(first[6]));
        Assert.True(MathF.Abs(Quaternion.Dot(rebuilt, new PanTiltRoll(10, -5, 2).ToQuaternion())) > 0.99999f);
        double vfov = double.RadiansToDegrees(2 * Math.Atan(25.54 / 70.0));
        Assert.Equal(vfov, first[7], 4);
    }

    [Fact]
    public void Frames_without_a_pose_are_left_out_of_chan_and_flagged_in_json_never_a_camera_at_the_origin()
    {
        // Camera B never received a pose for its first four frames: the engine records placeholders there.
        TakeRecorder recorder = _log.StartTake("22", [TakeLogTests.CameraA, new TakeCamera("B", 50, 36.7, 25.54)], FrameRate.Fps24,
            Timecode.Parse("01:00:00:00", FrameRate.Fps24), [], 7, new DateTime(2026, 11, 23, 11, 0, 0, DateTimeKind.Local));
        for (int f = 0; f < 10; f++)
        {
            recorder.AddFrame([
                new TrackFrame(f, 0, new Vector3(1, 1.5f, 3), Quaternion.Identity, 35, 4, 900, 7),
                f < 4 ? new TrackFrame(f, 1, Vector3.Zero, Quaternion.Identity, 50, double.NaN, double.NaN, 7, HasPose: false)
                      : new TrackFrame(f, 1, new Vector3(-1, 1.5f, 3), Quaternion.Identity, 50, double.NaN, 900, 7),
            ], 0);
        }
        TakeInfo take = recorder.Stop(9);
        IReadOnlyList<RecordedFrame> track = _log.Track(take.Id);
        Assert.Equal(4, track.Count(f => !f.Sample.HasPose));

        string[] rows = ChanExporter.Write(take, track, "B").TrimEnd('\n').Split('\n');
        Assert.Equal(6, rows.Length);
        Assert.All(rows, r => Assert.StartsWith("-1 1.5 3 ", string.Join(' ', r.Split(' ')[1..4]) + " "));
        Assert.Equal(take.Start.ToFrameCount() + 4, long.Parse(rows[0].Split(' ')[0], CultureInfo.InvariantCulture));
        Assert.Equal(4, ChanExporter.FramesWithoutPose(track, "B"));
        Assert.Equal(0, ChanExporter.FramesWithoutPose(track, "A"));

        using JsonDocument json = JsonDocument.Parse(JsonTakeExporter.Write(take, track));
        Assert.Equal(4, json.RootElement.GetProperty("take").GetProperty("framesWithoutPose").GetInt32());
        JsonElement[] b = [.. json.RootElement.GetProperty("samples").EnumerateArray().Where(x => x.GetProperty("sourceId").GetString() == "B")];
        Assert.All(b[..4], x =>
        {
            Assert.False(x.GetProperty("stage").GetProperty("hasPose").GetBoolean());
            Assert.False(x.TryGetProperty("transforms", out _));
        });
        Assert.All(b[4..], x => Assert.True(x.GetProperty("stage").GetProperty("hasPose").GetBoolean()));
    }

    [Fact]
    public void Json_samples_are_shaped_like_opentrackio()
    {
        using JsonDocument json = JsonDocument.Parse(JsonTakeExporter.Write(_take, _log.Track(_take.Id)));
        Assert.Equal("21B", json.RootElement.GetProperty("take").GetProperty("scene").GetString());
        JsonElement samples = json.RootElement.GetProperty("samples");
        Assert.Equal(20, samples.GetArrayLength());
        JsonElement first = samples[0];
        Assert.Equal(59, first.GetProperty("timing").GetProperty("timecode").GetProperty("seconds").GetInt32());
        Assert.True(first.GetProperty("timing").GetProperty("timecode").GetProperty("dropFrame").GetBoolean());
        JsonElement transform = first.GetProperty("transforms")[0];
        // Stage (1, 1.5, 3) is OpenTrackIO (x 1, y forward −3, z up 1.5).
        Assert.Equal(-3.0, transform.GetProperty("translation").GetProperty("y").GetDouble(), 5);
        Assert.Equal(1.5, transform.GetProperty("translation").GetProperty("z").GetDouble(), 5);
        Assert.Equal(-10.0, transform.GetProperty("rotation").GetProperty("pan").GetDouble(), 3);
        Assert.Equal(35.0, first.GetProperty("lens").GetProperty("pinholeFocalLength").GetDouble());
        Assert.False(samples[1].GetProperty("lens").TryGetProperty("focusDistance", out _));
    }

    [Fact]
    public void Csv_quotes_fields_that_need_it_and_parses_back()
    {
        string csv = CsvExporter.Write([_take]);
        string[] lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(string.Join(',', CsvExporter.Header), lines[0]);
        Assert.Contains("\"hero take, tab\there\"", lines[1]);
        Assert.StartsWith($"{_take.Id},2026-11-23,21B,1,A,35,30000/1001,00:59:59;28,01:00:00;08,10,0,1,0,complete", lines[1]);
    }
}
