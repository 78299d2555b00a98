using Microsoft.Data.Sqlite;
using Stage.Core.Time;
using Stage.Engine.Control;
using Stage.Engine.Takes;
using Stage.Engine.Timing;
using Stage.Osc;
using Stage.Takes;

namespace Stage.Engine.Tests.Takes;

/// <summary>Circle, NG and notes on any take by id (the operator page's take list) and the revision that tells readers to list again.</summary>
public sealed class TakeMarkingTests : IDisposable
{
    private sealed class Context : ITakeContext
    {
        public FrameTick CurrentFrame { get; } = new(0, Timecode.FromFrameCount(86400, FrameRate.Fps24), 0, 0, 0);
        public IReadOnlyList<TakeCamera> Cameras { get; } = [new TakeCamera("A", 35, 36.7, 25.54)];
        public (byte[] Snapshot, ulong StateHash) CaptureWorld() => ([], 0);
        public DateTime LocalNow => new(2026, 11, 23, 15, 0, 0, DateTimeKind.Local);
        public long DroppedFrames => 0;
    }

    private readonly string _folder = Directory.CreateTempSubdirectory("stage-takemarks-").FullName;
    private readonly TakeLog _log;
    private readonly TakeController _takes;
    private readonly CommandRegistry _registry = new();
    private readonly EngineCommandQueue _queue = new();

    public TakeMarkingTests()
    {
        _log = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"));
        _takes = new TakeController(_log, new Context());
        _takes.Register(_registry, _queue, TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        _log.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Sends a command as a control surface does and runs the queue as the engine thread does.</summary>
    private ControlReply Send(string address, params OscValue[] args)
    {
        Task<ControlReply> reply = Task.Factory.StartNew(() => _registry.Execute(new OscMessageData(address, args), "test").Single().Reply,
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        while (!reply.IsCompleted) _queue.Drain();
        return reply.Result;
    }

    [Fact]
    public void Any_take_is_circled_marked_ng_and_noted_by_id_and_each_change_raises_the_revision()
    {
        Assert.True(_takes.Start("4").Ok);
        _takes.Stop();
        long first = _takes.LastTake!.Id;
        Assert.True(_takes.Start("4").Ok);
        _takes.Stop();
        long revision = _takes.Revision;

        Assert.Equal("circled 4/1", Send("/stage/takes/circle", OscValue.FromInt32((int)first), OscValue.FromInt32(1)).Text);
        Assert.Equal("marked NG 4/1", Send("/stage/takes/ng", OscValue.FromFloat32(first), OscValue.FromString("on")).Text);
        Assert.Equal("noted on 4/1", Send("/stage/takes/note", OscValue.FromInt32((int)first), OscValue.FromString("boom in shot")).Text);
        TakeInfo marked = _log.Take(first);
        Assert.True(marked.Circled);
        Assert.True(marked.NoGood);
        Assert.Equal(["boom in shot"], marked.Notes);
        Assert.Equal(revision + 3, _takes.Revision);

        Assert.Equal("un-circled 4/1", Send("/stage/takes/circle", OscValue.FromInt32((int)first), OscValue.FromInt32(0)).Text);
        Assert.False(_log.Take(first).Circled);
        // The last take is untouched by marks on another.
        Assert.False(_log.Take(_takes.LastTake.Id).NoGood);
    }

    [Fact]
    public void The_ng_button_marks_the_last_take_and_the_status_says_so()
    {
        Assert.False(Send("/stage/take/ng").Ok);
        Assert.True(_takes.Start("7").Ok);
        _takes.Stop();
        ControlReply ng = Send("/stage/take/ng", OscValue.FromInt32(1));
        Assert.True(ng.Ok, ng.Text);
        Assert.True(_takes.LastTake!.NoGood);
        Assert.True(_log.Take(_takes.LastTake.Id).NoGood);
    }

    [Fact]
    public void A_take_that_does_not_exist_is_named_in_the_error_and_nothing_changes()
    {
        long revision = _takes.Revision;
        ControlReply missing = Send("/stage/takes/circle", OscValue.FromInt32(42), OscValue.FromInt32(1));
        Assert.False(missing.Ok);
        Assert.Contains("take 42 does not exist", missing.Text);
        ControlReply fraction = Send("/stage/takes/note", OscValue.FromFloat64(1.5), OscValue.FromString("x"));
        Assert.False(fraction.Ok);
        Assert.Contains("does not exist", fraction.Text);
        Assert.Equal(revision, _takes.Revision);
    }
}
