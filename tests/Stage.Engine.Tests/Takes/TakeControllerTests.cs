using System.Numerics;
using Microsoft.Data.Sqlite;
using Stage.Core.Time;
using Stage.Engine.Control;
using Stage.Engine.Takes;
using Stage.Engine.Timing;
using Stage.Osc;
using Stage.Takes;

namespace Stage.Engine.Tests.Takes;

public sealed class TakeControllerTests : IDisposable
{
    private sealed class Context : ITakeContext
    {
        public FrameTick CurrentFrame { get; set; }
        public IReadOnlyList<TakeCamera> Cameras { get; } = [new TakeCamera("A", 35, 36.7, 25.54)];
        public ulong Hash { get; set; } = 0xABCD;
        public (byte[] Snapshot, ulong StateHash) CaptureWorld() => ([9, 9], Hash);
        public DateTime LocalNow => new(2026, 11, 23, 15, 0, 0, DateTimeKind.Local);
        public long DroppedFrames { get; set; }
    }

    private readonly string _folder = Directory.CreateTempSubdirectory("stage-takectl-").FullName;
    private readonly TakeLog _log;
    private readonly Context _context = new();
    private readonly TakeController _takes;

    public TakeControllerTests()
    {
        _log = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"));
        _takes = new TakeController(_log, _context);
    }

    public void Dispose()
    {
        _log.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private void At(long frame) => _context.CurrentFrame = new FrameTick(frame, Timecode.FromFrameCount(86400 + frame, FrameRate.Fps24), 0, 0, 0);

    /// <summary>Records the current engine frame and moves to the next.</summary>
    private void Frame()
    {
        long frame = _context.CurrentFrame.Frame;
        _takes.RecordFrame([new TrackFrame(_takes.TakeFrameOf(frame), 0, new Vector3(0, 1.6f, 2), Quaternion.Identity, 35, 2, 500, _context.Hash)], _context.DroppedFrames);
        At(frame + 1);
    }

    [Fact]
    public void Frames_the_engine_dropped_are_gaps_and_the_timecode_out_follows_the_clock()
    {
        At(100);
        Assert.True(_takes.Start("9").Ok);
        Frame();
        At(112);
        _context.DroppedFrames = 11;
        Frame();
        _takes.Stop();
        TakeInfo take = _log.Take(_takes.LastTake!.Id);
        Assert.Equal(13, take.FrameCount);
        Assert.Equal(11, take.DroppedFrames);
        Assert.Equal(take.Start + 12, take.LastFrame);
        Assert.Equal([0L, 12], _log.Track(take.Id).Select(f => f.Sample.Frame));
    }

    [Fact]
    public void A_take_records_from_its_start_frame_to_its_stop()
    {
        At(100);
        Assert.True(_takes.Start("12A").Ok);
        for (int i = 0; i < 30; i++) Frame();
        _context.DroppedFrames = 2;
        Frame();
        _context.Hash = 0xEEEE;
        ControlReply stop = _takes.Stop();
        Assert.True(stop.Ok);
        Assert.Contains("31 frames, 01:00:04:04–01:00:05:10", stop.Text);
        TakeInfo take = _log.Take(_takes.LastTake!.Id);
        Assert.Equal(("12A", 1, 31L, 2L), (take.Scene, take.TakeNumber, take.FrameCount, take.DroppedFrames));
        Assert.Equal("000000000000abcd", take.StartStateHash);
        Assert.Equal("000000000000eeee", take.EndStateHash);
        Assert.Equal(new byte[] { 9, 9 }, _log.StartSnapshot(take.Id));
    }

    [Fact]
    public void Commands_out_of_order_get_error_replies()
    {
        Assert.False(_takes.Stop().Ok);
        Assert.False(_takes.Circle().Ok);
        Assert.False(_takes.Note("x").Ok);
        At(0);
        _takes.Start(null);
        Assert.Contains("still recording", _takes.Start("2").Text);
        _takes.Stop();
        Assert.True(_takes.Start(null).Ok);
        Assert.Equal(("1", 2), (_takes.LastTake!.Scene, _takes.LastTake.TakeNumber));
    }

    [Fact]
    public void Control_commands_run_on_the_engine_thread_and_reply()
    {
        var registry = new CommandRegistry();
        var queue = new EngineCommandQueue();
        _takes.Register(registry, queue, TimeSpan.FromSeconds(5));
        At(0);
        using var engine = new CancellationTokenSource();
        int engineThread = 0;
        var loop = new Thread(() =>
        {
            engineThread = Environment.CurrentManagedThreadId;
            while (!engine.IsCancellationRequested)
            {
                queue.Drain();
                Thread.Sleep(1);
            }
        });
        loop.Start();
        var start = registry.Execute(new OscMessageData("/stage/take/start", OscValue.FromString("7")), "test");
        Assert.Equal("recording 7/1 from 01:00:00:00", Assert.Single(start).Reply.Text);
        Assert.True(Assert.Single(registry.Execute(new OscMessageData("/stage/take/note", OscValue.FromString("nice")), "test")).Reply.Ok);
        Assert.True(Assert.Single(registry.Execute(new OscMessageData("/stage/take/stop", OscValue.FromFloat32(1)), "test")).Reply.Ok);
        Assert.True(Assert.Single(registry.Execute(new OscMessageData("/stage/take/circle"), "test")).Reply.Ok);
        engine.Cancel();
        loop.Join();
        TakeInfo take = _log.Take(_takes.LastTake!.Id);
        Assert.True(take.Circled);
        Assert.Equal(["nice"], take.Notes);
        Assert.NotEqual(Environment.CurrentManagedThreadId, engineThread);
    }

    [Fact]
    public void A_command_the_engine_never_takes_up_times_out_with_an_error()
    {
        var queue = new EngineCommandQueue();
        bool ran = false;
        ControlReply reply = queue.Invoke(() => { ran = true; return ControlReply.Success(); }, TimeSpan.FromMilliseconds(50));
        Assert.False(reply.Ok);
        Assert.Contains("did not take the command up", reply.Text);
        Assert.Equal(0, queue.Drain());
        Assert.False(ran);
    }
}
