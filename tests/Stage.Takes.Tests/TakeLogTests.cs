using System.Numerics;
using Microsoft.Data.Sqlite;
using Stage.Core.Time;

namespace Stage.Takes.Tests;

public sealed class TakeLogTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "stage-takes-" + Guid.NewGuid().ToString("N"));
    private readonly DateTime _morning = new(2026, 11, 23, 9, 30, 0, DateTimeKind.Local);

    private string DbPath => Path.Combine(_folder, "takes.sqlite");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    internal static readonly TakeCamera CameraA = new("A", 35, 36.7, 25.54);

    internal static TakeInfo Record(TakeLog log, string scene, FrameRate rate, string start, int frames, DateTime when, ulong hash = 0x1234)
    {
        TakeRecorder recorder = log.StartTake(scene, [CameraA], rate, Timecode.Parse(start, rate), [1, 2, 3], hash, when);
        for (int f = 0; f < frames; f++)
        {
            recorder.AddFrame([new TrackFrame(f, 0, new Vector3(f * 0.01f, 1.6f, 2), Quaternion.Identity, 35, 3.5, 800, hash + (ulong)f)], 0);
        }
        return recorder.Stop(hash + (ulong)frames);
    }

    [Fact]
    public void Take_numbers_count_up_per_scene_and_day()
    {
        using TakeLog log = TakeLog.Open(DbPath);
        Assert.Equal(1, Record(log, "12", FrameRate.Fps24, "01:00:00:00", 5, _morning).TakeNumber);
        Assert.Equal(2, Record(log, "12", FrameRate.Fps24, "01:00:10:00", 5, _morning).TakeNumber);
        Assert.Equal(1, Record(log, "12A", FrameRate.Fps24, "01:00:20:00", 5, _morning).TakeNumber);
        Assert.Equal(1, Record(log, "12", FrameRate.Fps24, "01:00:00:00", 5, _morning.AddDays(1)).TakeNumber);
        Assert.Equal(2, log.Days().Count);
        Assert.Equal(3, log.Takes(DateOnly.FromDateTime(_morning)).Count);
    }

    [Theory]
    [InlineData("23.976", "01:00:00:00", 48, "01:00:02:00", "01:00:01:23")]
    [InlineData("25", "10:00:00:00", 25, "10:00:01:00", "10:00:00:24")]
    [InlineData("29.97", "00:00:59;28", 4, "00:01:00;04", "00:01:00;03")]
    public void Timecode_in_and_out_follow_the_rate(string rate, string start, int frames, string end, string last)
    {
        using TakeLog log = TakeLog.Open(DbPath);
        TakeInfo take = Record(log, "1", FrameRate.Parse(rate), start, frames, _morning);
        TakeInfo read = log.Take(take.Id);
        Assert.Equal(start, read.Start.ToString());
        Assert.Equal(end, read.End.ToString());
        Assert.Equal(last, read.LastFrame.ToString());
        Assert.Equal(frames, read.FrameCount);
        Assert.Equal(TakeStatus.Complete, read.Status);
    }

    [Fact]
    public void The_track_reads_back_frame_for_frame()
    {
        using TakeLog log = TakeLog.Open(DbPath);
        TakeInfo take = Record(log, "3", FrameRate.Fps25, "01:00:00:00", 60, _morning, hash: 0xFEDCBA9876543210);
        IReadOnlyList<RecordedFrame> track = log.Track(take.Id);
        Assert.Equal(60, track.Count);
        Assert.Equal("01:00:02:09", track[59].Timecode);
        Assert.Equal(0.59f, track[59].Sample.PositionM.X, 5);
        Assert.Equal(0xFEDCBA9876543210UL + 59, track[59].Sample.StateHash);
        Assert.Equal("fedcba9876543210", take.StartStateHash);
        Assert.Equal(new byte[] { 1, 2, 3 }, log.StartSnapshot(take.Id));
    }

    [Fact]
    public void Circles_no_goods_and_notes_are_kept()
    {
        using TakeLog log = TakeLog.Open(DbPath);
        TakeInfo take = Record(log, "4", FrameRate.Fps24, "01:00:00:00", 2, _morning);
        log.SetCircled(take.Id, true);
        log.AddNote(take.Id, "boom in frame");
        log.AddNote(take.Id, "focus buzz at the end");
        TakeInfo read = log.Take(take.Id);
        Assert.True(read.Circled);
        Assert.False(read.NoGood);
        Assert.Equal(["boom in frame", "focus buzz at the end"], read.Notes);
        Assert.Throws<TakeLogException>(() => log.AddNote(999, "no such take"));
    }

    [Fact]
    public void A_take_left_recording_is_marked_interrupted_with_its_committed_frames()
    {
        long id;
        using (TakeLog log = TakeLog.Open(DbPath))
        {
            TakeRecorder recorder = log.StartTake("7", [CameraA], FrameRate.Fps24, Timecode.Parse("01:00:00:00", FrameRate.Fps24), [], 0, _morning);
            id = recorder.TakeId;
            // 60 frames at 24 fps: two whole seconds are committed, the last 12 frames are only buffered when the process dies.
            for (int f = 0; f < 60; f++)
                recorder.AddFrame([new TrackFrame(f, 0, Vector3.Zero, Quaternion.Identity, 35, double.NaN, 500, 0)], 0);
        }
        using (TakeLog reopened = TakeLog.Open(DbPath))
        {
            Assert.Equal([id], reopened.RecoveredTakeIds);
            TakeInfo take = reopened.Take(id);
            Assert.Equal(TakeStatus.Interrupted, take.Status);
            Assert.Equal(48, take.FrameCount);
            Assert.Equal(48, reopened.Track(id).Count);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_take_log_is_refused_by_name()
    {
        Directory.CreateDirectory(_folder);
        string junk = Path.Combine(_folder, "junk.sqlite");
        File.WriteAllText(junk, "this is not a database, just some text long enough to fill a header page of sqlite's format....");
        TakeLogException e = Assert.Throws<TakeLogException>(() => TakeLog.Open(junk));
        Assert.Contains(junk, e.Message);
        Assert.Throws<TakeLogException>(() => TakeLog.Open(Path.Combine(_folder, "missing.sqlite"), create: false));
    }

    [Fact]
    public void Another_sqlite_database_is_not_mistaken_for_a_take_log()
    {
        Directory.CreateDirectory(_folder);
        string other = Path.Combine(_folder, "other.sqlite");
        using (var connection = new SqliteConnection($"Data Source={other};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE inventory (item TEXT);";
            command.ExecuteNonQuery();
        }
        TakeLogException e = Assert.Throws<TakeLogException>(() => TakeLog.Open(other));
        Assert.Contains("not a Stage take log", e.Message);
    }
}
