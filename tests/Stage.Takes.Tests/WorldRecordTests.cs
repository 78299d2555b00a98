using System.Numerics;
using Microsoft.Data.Sqlite;
using Stage.Core.Time;

namespace Stage.Takes.Tests;

/// <summary>What a take records for its replay: the world step per frame, rule changes, the stage configuration; and the upgrade of older logs.</summary>
public sealed class WorldRecordTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "stage-takes-" + Guid.NewGuid().ToString("N"));
    private readonly DateTime _morning = new(2026, 11, 23, 9, 30, 0, DateTimeKind.Local);

    private string DbPath => Path.Combine(_folder, "takes.sqlite");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private TakeInfo RecordWithWorld(TakeLog log)
    {
        TakeRecorder recorder = log.StartTake("7", [TakeLogTests.CameraA], FrameRate.Fps24, Timecode.Parse("01:00:00:00", FrameRate.Fps24),
            [9, 9], 0xabc, _morning, "/stages/volume.json");
        for (int f = 0; f < 30; f++)
        {
            if (f == 3) recorder.AddWorldCommand(f, "gravityScale", 0.5);
            if (f == 10) recorder.AddWorldCommand(f, "floats:pane", 1);
            recorder.AddFrame([new TrackFrame(f, 0, new Vector3(0, 1.6f, 2), Quaternion.Identity, 35, double.NaN, 500, 100 + (ulong)f, 5 * f + 5)], 0);
        }
        return recorder.Stop(0xdef);
    }

    [Fact]
    public void Frames_keep_their_world_step_and_rule_changes_their_frame()
    {
        using TakeLog log = TakeLog.Open(DbPath);
        TakeInfo take = RecordWithWorld(log);
        IReadOnlyList<RecordedFrame> track = log.Track(take.Id);
        Assert.Equal(30, track.Count);
        Assert.Equal(Enumerable.Range(0, 30).Select(f => 5L * f + 5), track.Select(f => f.Sample.WorldStep));
        Assert.Equal([new RecordedWorldCommand(3, "gravityScale", 0.5), new RecordedWorldCommand(10, "floats:pane", 1)], log.WorldCommands(take.Id));
        Assert.Equal("/stages/volume.json", log.Take(take.Id).StageConfigPath);
    }

    [Fact]
    public void A_version_1_log_is_upgraded_and_its_takes_stay_readable()
    {
        long id;
        using (TakeLog log = TakeLog.Open(DbPath))
        {
            id = TakeLogTests.Record(log, "12", FrameRate.Fps24, "01:00:00:00", 5, _morning).Id;
        }
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand downgrade = connection.CreateCommand();
            // What a version 1 log looked like: no world steps, no stage configuration, no world commands.
            downgrade.CommandText = "ALTER TABLE track DROP COLUMN has_pose; ALTER TABLE track DROP COLUMN world_step; ALTER TABLE takes DROP COLUMN stage_config; DROP TABLE world_commands; DROP TABLE grades; DROP TABLE take_nodes; PRAGMA user_version = 1;";
            downgrade.ExecuteNonQuery();
        }
        using (TakeLog log = TakeLog.Open(DbPath))
        {
            TakeInfo old = log.Take(id);
            Assert.Equal(5, old.FrameCount);
            Assert.Null(old.StageConfigPath);
            Assert.All(log.Track(id), f => Assert.Equal(0, f.Sample.WorldStep));
            Assert.Empty(log.WorldCommands(id));
            TakeInfo next = RecordWithWorld(log);
            Assert.Equal(2, log.WorldCommands(next.Id).Count);
        }
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand version = connection.CreateCommand();
            version.CommandText = "PRAGMA user_version;";
            Assert.Equal(5L, (long)version.ExecuteScalar()!);
        }
    }

    [Fact]
    public void A_version_2_log_marks_its_frames_without_a_pose_age_as_having_no_pose()
    {
        long id;
        using (TakeLog log = TakeLog.Open(DbPath))
        {
            id = TakeLogTests.Record(log, "12", FrameRate.Fps24, "01:00:00:00", 5, _morning).Id;
        }
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand downgrade = connection.CreateCommand();
            // Version 2 wrote a frame without a pose with an unknown (NULL) pose age and nothing else to tell it apart.
            downgrade.CommandText = "ALTER TABLE track DROP COLUMN has_pose; UPDATE track SET pose_age_us = NULL WHERE frame < 2; DROP TABLE grades; DROP TABLE take_nodes; PRAGMA user_version = 2;";
            downgrade.ExecuteNonQuery();
        }
        using (TakeLog log = TakeLog.Open(DbPath))
        {
            Assert.Equal([false, false, true, true, true], log.Track(id).Select(f => f.Sample.HasPose));
        }
    }

    [Fact]
    public void A_rule_change_after_the_take_stopped_is_refused()
    {
        using TakeLog log = TakeLog.Open(DbPath);
        TakeRecorder recorder = log.StartTake("8", [TakeLogTests.CameraA], FrameRate.Fps24, Timecode.Parse("01:00:00:00", FrameRate.Fps24), [], 0, _morning);
        recorder.Stop(0);
        Assert.Throws<InvalidOperationException>(() => recorder.AddWorldCommand(0, "timeScale", 2));
    }
}
