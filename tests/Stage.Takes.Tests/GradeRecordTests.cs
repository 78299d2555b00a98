using System.Numerics;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Data.Sqlite;
using Stage.Core.Colour;
using Stage.Core.Time;
using Stage.Takes.Export;

namespace Stage.Takes.Tests;

/// <summary>A take's grades: recorded at frame 0 and where they change, and exported (ALE ASC_SOP/ASC_SAT, JSON per frame, .cdl).</summary>
public sealed class GradeRecordTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "stage-grades-" + Guid.NewGuid().ToString("N"));
    private readonly TakeLog _log;
    private static readonly AscCdl Before = new(1.1, 1.0, 0.9, 0.01, 0, -0.01, 1, 1, 1, 0.95);
    private static readonly AscCdl After = new(0.8, 0.9, 1.2, -0.02, 0.015, 0.03, 1.1, 0.95, 1.05, 1.25);
    private const int ChangeFrame = 6;

    public GradeRecordTests() => _log = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"));

    public void Dispose()
    {
        _log.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private TakeInfo Shoot()
    {
        TakeRecorder recorder = _log.StartTake("4C", [TakeLogTests.CameraA], FrameRate.Fps24, Timecode.Parse("10:00:00:00", FrameRate.Fps24), [], 1,
            new DateTime(2026, 12, 4, 10, 0, 0, DateTimeKind.Local));
        recorder.AddGrade(0, GradeTarget.Camera, "A", Before);
        recorder.AddGrade(0, GradeTarget.Wall, "main", AscCdl.Identity);
        for (int f = 0; f < 10; f++)
        {
            if (f == ChangeFrame) recorder.AddGrade(f, GradeTarget.Camera, "A", After);
            recorder.AddFrame([new TrackFrame(f, 0, new Vector3(0, 1.5f, 3), Quaternion.Identity, 35, double.NaN, 800, 1)], 0);
        }
        Assert.Throws<ArgumentException>(() => recorder.AddGrade(3, GradeTarget.Camera, "A", Before));
        return _log.Take(recorder.Stop(1).Id);
    }

    [Fact]
    public void A_grade_changed_at_a_known_frame_is_in_the_json_of_each_frame_and_the_ale_has_the_final_grade()
    {
        TakeInfo take = Shoot();
        IReadOnlyList<RecordedGrade> grades = _log.Grades(take.Id);
        Assert.Equal(3, grades.Count);
        Assert.Equal(new RecordedGrade(ChangeFrame, GradeTarget.Camera, "A", After), grades[2]);

        using JsonDocument json = JsonDocument.Parse(JsonTakeExporter.Write(take, _log.Track(take.Id), grades));
        foreach (JsonElement sample in json.RootElement.GetProperty("samples").EnumerateArray())
        {
            long frame = sample.GetProperty("frame").GetInt64();
            AscCdl expected = frame < ChangeFrame ? Before : After;
            JsonElement grade = sample.GetProperty("stage").GetProperty("grade");
            Assert.Equal(expected.SopText(), grade.GetProperty("ascSop").GetString());
            Assert.Equal(expected.SatText(), grade.GetProperty("ascSat").GetString());
            Assert.Equal(expected.PowerB, grade.GetProperty("power")[2].GetDouble());
        }

        string[] lines = AleExporter.Write([take]).Split('\n');
        string[] header = lines[Array.IndexOf(lines, "Column") + 1].Split('\t');
        string[] row = lines[Array.IndexOf(lines, "Data") + 1].Split('\t');
        Assert.Equal("(0.800000 0.900000 1.200000)(-0.020000 0.015000 0.030000)(1.100000 0.950000 1.050000)", row[Array.IndexOf(header, "ASC_SOP")]);
        Assert.Equal("1.250000", row[Array.IndexOf(header, "ASC_SAT")]);
    }

    [Fact]
    public void The_cdl_file_is_ASC_CDL_1_2_xml_with_the_takes_final_grade()
    {
        TakeInfo take = Shoot();
        XDocument cdl = XDocument.Parse(CdlExporter.Write(take, "A", take.CameraCdl!.Value));
        XNamespace ns = CdlExporter.Namespace;
        XElement correction = cdl.Root!.Element(ns + "ColorDecision")!.Element(ns + "ColorCorrection")!;
        Assert.Equal("ColorDecisionList", cdl.Root.Name.LocalName);
        Assert.Equal($"{take.ClipName}_A", correction.Attribute("id")!.Value);
        Assert.Equal("0.800000 0.900000 1.200000", correction.Element(ns + "SOPNode")!.Element(ns + "Slope")!.Value);
        Assert.Equal("-0.020000 0.015000 0.030000", correction.Element(ns + "SOPNode")!.Element(ns + "Offset")!.Value);
        Assert.Equal("1.250000", correction.Element(ns + "SatNode")!.Element(ns + "Saturation")!.Value);
    }

    [Fact]
    public void A_take_without_grades_exports_empty_asc_columns()
    {
        TakeRecorder recorder = _log.StartTake("5", [TakeLogTests.CameraA], FrameRate.Fps24, Timecode.Parse("10:00:00:00", FrameRate.Fps24), [], 1, DateTime.Now);
        recorder.AddFrame([new TrackFrame(0, 0, Vector3.Zero, Quaternion.Identity, 35, double.NaN, 800, 1)], 0);
        TakeInfo take = _log.Take(recorder.Stop(1).Id);
        Assert.Null(take.CameraCdl);
        string[] lines = AleExporter.Write([take]).Split('\n');
        string[] row = lines[Array.IndexOf(lines, "Data") + 1].Split('\t');
        Assert.Equal(["", ""], row[^2..]);
    }
}
