using System.Numerics;
using Microsoft.Data.Sqlite;
using Stage.Core.Time;

namespace Stage.Takes.Tests;

/// <summary>A second reader of the take log beside the engine that writes it (the operator page): no recovery, no writes.</summary>
public sealed class ReadOnlyTakeLogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-takes-ro-").FullName;
    private readonly DateTime _morning = new(2026, 11, 23, 9, 30, 0, DateTimeKind.Local);

    private string DbPath => Path.Combine(_folder, "takes.sqlite");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void A_reader_sees_the_take_recording_and_leaves_it_recording()
    {
        using TakeLog writer = TakeLog.Open(DbPath);
        TakeLogTests.Record(writer, "1", FrameRate.Fps24, "01:00:00:00", 3, _morning);
        TakeRecorder recording = writer.StartTake("2", [TakeLogTests.CameraA], FrameRate.Fps24, Timecode.Parse("01:00:10:00", FrameRate.Fps24), [], 0, _morning);
        recording.AddFrame([new TrackFrame(0, 0, new Vector3(0, 1.6f, 2), Quaternion.Identity, 35, 3.5, 800, 1)], 0);

        using (TakeLog reader = TakeLog.OpenReadOnly(DbPath))
        {
            Assert.Empty(reader.RecoveredTakeIds);
            IReadOnlyList<TakeInfo> takes = reader.Takes();
            Assert.Equal(["1", "2"], takes.Select(t => t.Scene));
            Assert.Equal(TakeStatus.Recording, takes[1].Status);
            Assert.Equal(3, reader.Track(takes[0].Id).Count);
            // Writing through it fails: the page changes takes only through the engine's commands.
            Assert.ThrowsAny<SqliteException>(() => reader.SetCircled(takes[0].Id, true));
        }

        recording.AddFrame([new TrackFrame(1, 0, new Vector3(0, 1.6f, 2), Quaternion.Identity, 35, 3.5, 800, 2)], 0);
        TakeInfo done = recording.Stop(3);
        Assert.Equal(TakeStatus.Complete, done.Status);
        Assert.Equal(2, done.FrameCount);
        Assert.False(writer.Take(done.Id).Circled);
    }

    [Fact]
    public void A_missing_file_or_one_that_is_not_a_take_log_is_named()
    {
        TakeLogException missing = Assert.Throws<TakeLogException>(() => TakeLog.OpenReadOnly(Path.Combine(_folder, "nope.sqlite")));
        Assert.Contains("nope.sqlite does not exist", missing.Message);

        string other = Path.Combine(_folder, "other.sqlite");
        using (var connection = new SqliteConnection($"Data Source={other}"))
        {
            connection.Open();
            using SqliteCommand create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE t (x INTEGER);";
            create.ExecuteNonQuery();
        }
        TakeLogException wrong = Assert.Throws<TakeLogException>(() => TakeLog.OpenReadOnly(other));
        Assert.Contains("other.sqlite has schema 0", wrong.Message);
    }
}
