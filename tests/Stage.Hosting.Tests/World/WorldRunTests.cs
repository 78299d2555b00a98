using Stage.Engine;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Core.Configuration;
using Stage.Core.Time;
using Stage.Engine.Control;
using Stage.Engine.Outputs;
using Stage.Hosting.Replay;
using Stage.Engine.Timing;
using Stage.Hosting.World;
using Stage.Engine.Tests;
using Stage.Osc;
using Stage.Takes;
using Stage.Tests.Shared;
using Stage.Tracking;
using Stage.World;
using Stage.Core.Frames;

namespace Stage.Hosting.Tests.World;

/// <summary>The engine driving a real Stage.World: takes, resets, rule commands and replays keep the world's state hashes.</summary>
public sealed class WorldRunTests : IDisposable
{

    /// <summary>Renders nothing; remembers the frames it was asked for.</summary>
    private sealed class NullRenderer : IFrameRenderer
    {
        public List<long> Frames { get; } = [];
        public IReadOnlyList<PassTiming> LastPassTimings { get; } = [];
        public long ReadbackBytes => 0;
        public void Render(in FrameRequest request, ICameraLatch latch, IFrameSink sink)
        {
            Frames.Add(request.Tick.Frame);
            latch.Latch();
            latch.Submitted(double.NaN);
        }
        public void Collect(IFrameSink sink, bool wait)
        {
        }
        public void Dispose()
        {
        }
    }

    private static string Scene(string name) => RepositoryPaths.Of("stage-configs", "worlds", name + ".json");

    private readonly string _folder = Directory.CreateTempSubdirectory("stage-world-run-").FullName;
    private readonly StageConfig _config = Stage.Tracking.StageConfigFile.Load(RepositoryPaths.Of("stage-configs", "test-rig.json")).Config!;
    private readonly JumpClock _clock = new();
    private readonly TakeLog _takes;
    private readonly TrackingSystem _tracking;
    private readonly StageWorldHost _host;

    public WorldRunTests()
    {
        _takes = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"));
        _tracking = TrackingSystem.Create(_config);
        _host = StageWorldHost.Open(Scene("breakout"), null, fresh: false, 1.0, _ => { });
    }

    public void Dispose()
    {
        _host.Dispose();
        _tracking.Dispose();
        _takes.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private FrameLoop Build(long frames) =>
        new(_config, _tracking, _host, new NullRenderer(), new HeadlessOutput(), _takes, NullLogger.Instance,
            new EngineOptions { MaxFrames = frames, CommandTimeout = TimeSpan.FromSeconds(60) }, _clock, Timecode.Parse("01:00:00:00", _config.FrameRate));


    private async Task<TakeInfo> RecordTake(bool resetFirst, int frames)
    {
        FrameLoop engine = Build(frames);
        Task<ControlReply>? reset = resetFirst ? EngineCommands.Queue(engine, "/stage/world/reset") : null;
        Task<ControlReply> start = EngineCommands.Queue(engine, "/stage/take/start", OscValue.FromString("3"));
        Task<ControlReply> rule = EngineCommands.Queue(engine, "/stage/world/rule", OscValue.FromString("gravityScale"), OscValue.FromFloat32(0.5f));
        engine.Run(CancellationToken.None);
        if (reset is not null) Assert.True((await reset).Ok, (await reset).Text);
        Assert.True((await start).Ok, (await start).Text);
        ControlReply ruled = await rule;
        Assert.True(ruled.Ok, ruled.Text);
        return _takes.Take(engine.Takes.LastTake!.Id);
    }

    private IReadOnlyList<ulong> Hashes(long takeId) => [.. _takes.Track(takeId).Select(f => f.Sample.StateHash)];

    [Fact]
    public async Task A_take_reset_and_shot_again_with_the_same_commands_has_the_same_hash_at_every_frame()
    {
        Build(24).Run(CancellationToken.None);
        TakeInfo first = await RecordTake(resetFirst: false, 60);
        TakeInfo second = await RecordTake(resetFirst: true, 60);
        Assert.Equal(first.StartStateHash, second.StartStateHash);
        Assert.Equal(Hashes(first.Id), Hashes(second.Id));
        // The world moved during the take: the ball flies, so the hashes are not all one.
        Assert.True(Hashes(first.Id).Distinct().Count() > 50);
        Assert.Equal(first.EndStateHash, second.EndStateHash);
        Assert.Equal([new RecordedWorldCommand(0, "gravityScale", 0.5)], _takes.WorldCommands(second.Id));
    }

    [Fact]
    public async Task A_replay_verifies_every_frame_and_names_a_frame_whose_hash_differs()
    {
        Build(12).Run(CancellationToken.None);
        TakeInfo take = await RecordTake(resetFirst: false, 48);
        using (StageWorldHost replayWorld = TakeReplay.RestoreStartWorld(_takes, take.Id)!)
        {
            var renderer = new NullRenderer();
            ReplayResult result = TakeReplay.Run(_takes, take.Id, _config, replayWorld, renderer, new HeadlessOutput(), _ => { }, CancellationToken.None);
            Assert.True(result.Verified);
            Assert.Equal(48, result.Frames);
            Assert.Equal(48, result.HashesVerified);
            Assert.Equal(Enumerable.Range(0, 48).Select(i => (long)i), renderer.Frames);
        }

        using (var connection = new SqliteConnection($"Data Source={_takes.Path};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand tamper = connection.CreateCommand();
            tamper.CommandText = "UPDATE track SET state_hash = state_hash + 1 WHERE take_id = $id AND frame = 30;";
            tamper.Parameters.AddWithValue("$id", take.Id);
            Assert.Equal(1, tamper.ExecuteNonQuery());
        }
        using (StageWorldHost replayWorld = TakeReplay.RestoreStartWorld(_takes, take.Id)!)
        {
            ReplayResult result = TakeReplay.Run(_takes, take.Id, _config, replayWorld, new NullRenderer(), new HeadlessOutput(), _ => { }, CancellationToken.None);
            Assert.False(result.Verified);
            Assert.Equal(30, Assert.Single(result.Mismatches).Frame);
            Assert.Equal(47, result.HashesVerified);
        }
    }

    [Fact]
    public async Task A_reset_while_recording_is_refused_and_bad_rules_are_answered()
    {
        FrameLoop engine = Build(3);
        Task<ControlReply> start = EngineCommands.Queue(engine, "/stage/take/start", OscValue.FromString("1"));
        Task<ControlReply> reset = EngineCommands.Queue(engine, "/stage/world/reset");
        Task<ControlReply> unknown = EngineCommands.Queue(engine, "/stage/world/rule", OscValue.FromString("warpFactor"), OscValue.FromFloat32(9));
        Task<ControlReply> negative = EngineCommands.Queue(engine, "/stage/world/rule", OscValue.FromString("timeScale"), OscValue.FromFloat32(-1));
        Task<ControlReply> noTag = EngineCommands.Queue(engine, "/stage/world/rule", OscValue.FromString("floats:dragons"), OscValue.FromInt32(1));
        engine.Run(CancellationToken.None);
        Assert.True((await start).Ok, (await start).Text);
        Assert.Contains("stop it before resetting", (await reset).Text);
        Assert.Contains("no world rule 'warpFactor'", (await unknown).Text);
        Assert.Contains("timeScale must be positive", (await negative).Text);
        Assert.Contains("no entity has the tag 'dragons'", (await noTag).Text);
        Assert.False((await unknown).Ok || (await negative).Ok || (await noTag).Ok);
    }

    [Fact]
    public void Time_scale_runs_fewer_world_steps_for_the_same_engine_time()
    {
        Assert.True(_host.TrySetRule("timeScale", 0.5, out string message), message);
        _host.AdvanceToStep(_host.StepCount + 1);
        long worldBefore = _host.WorldStep, clockBefore = _host.StepCount;
        int ran = _host.AdvanceToStep(clockBefore + 240);
        Assert.Equal(120, ran);
        Assert.Equal(worldBefore + 120, _host.WorldStep);
        Assert.Equal(clockBefore + 240, _host.StepCount);
    }

    [Fact]
    public void A_per_tag_rule_floats_the_tagged_entities()
    {
        Assert.True(_host.TrySetRule("floats:pane", 1, out string message), message);
        Assert.Contains("entities tagged 'pane'", message);
        _host.AdvanceToStep(_host.StepCount + 1);
        Assert.All(_host.World.WithTag("pane"), e => Assert.True(e.Overrides.Floats));
    }

    [Fact]
    public void A_journalled_world_resumes_where_it_was_and_a_reset_discards_the_later_timeline()
    {
        string journal = Path.Combine(_folder, "journal");
        ulong hashAt600;
        byte[] early;
        using (StageWorldHost host = StageWorldHost.Open(Scene("breakout"), journal, fresh: false, 1.0, _ => { }))
        {
            host.AdvanceToStep(60);
            early = host.Snapshot();
            host.AdvanceToStep(600);
            hashAt600 = host.StateHash;
        }
        var lines = new List<string>();
        using (StageWorldHost resumed = StageWorldHost.Open(Scene("breakout"), journal, fresh: false, 1.0, lines.Add))
        {
            Assert.Equal(600, resumed.WorldStep);
            Assert.Equal(hashAt600, resumed.StateHash);
            Assert.Contains(lines, l => l.StartsWith("world resumed from", StringComparison.Ordinal));
            resumed.Restore(early);
            Assert.Equal(60, resumed.WorldStep);
        }
        using (StageWorldHost afterReset = StageWorldHost.Open(Scene("breakout"), journal, fresh: false, 1.0, _ => { }))
            Assert.Equal(60, afterReset.WorldStep);
        var fresh = new List<string>();
        using (StageWorldHost restarted = StageWorldHost.Open(Scene("breakout"), journal, fresh: true, 1.0, fresh.Add))
            Assert.Equal(0, restarted.WorldStep);
        Assert.Contains(fresh, l => l.Contains("set aside", StringComparison.Ordinal));
        Assert.Single(Directory.GetDirectories(_folder, "journal-set-aside-*"));
    }

    [Fact]
    public void A_journal_of_another_scene_is_set_aside_and_the_named_scene_starts_fresh()
    {
        string journal = Path.Combine(_folder, "journal");
        using (StageWorldHost host = StageWorldHost.Open(Scene("breakout"), journal, fresh: false, 1.0, _ => { }))
            host.AdvanceToStep(240);
        // The same scene again: resumed (a crash recovered).
        using (StageWorldHost again = StageWorldHost.Open(Scene("breakout"), journal, fresh: false, 1.0, _ => { }))
            Assert.Equal(240, again.WorldStep);
        // Another scene named: its own world from step 0, the old journal kept aside, the operator told why.
        var lines = new List<string>();
        using (StageWorldHost other = StageWorldHost.Open(Scene("shelf"), journal, fresh: false, 1.0, lines.Add))
        using (StageWorldHost straight = StageWorldHost.Open(Scene("shelf"), null, fresh: false, 1.0, _ => { }))
        {
            Assert.Equal(0, other.WorldStep);
            Assert.Equal(straight.StateHash, other.StateHash);
        }
        Assert.Contains(lines, l => l.Contains("set aside", StringComparison.Ordinal) && l.Contains("breakout.json", StringComparison.Ordinal));
        Assert.Single(Directory.GetDirectories(_folder, "journal-set-aside-*"));
    }

    [Fact]
    public void A_corrupt_snapshot_is_refused_and_leaves_the_world_as_it_was()
    {
        _host.AdvanceToStep(90);
        byte[] snapshot = _host.Snapshot();
        _host.AdvanceToStep(200);
        ulong before = _host.StateHash;
        snapshot[snapshot.Length / 2] ^= 0x40;
        Assert.Throws<WorldFileException>(() => _host.Restore(snapshot));
        Assert.Equal(200, _host.WorldStep);
        Assert.Equal(before, _host.StateHash);
        _host.AdvanceToStep(201);
        Assert.Equal(201, _host.WorldStep);
    }

    [Fact]
    public void An_invalid_scene_names_every_fault()
    {
        string bad = Path.Combine(_folder, "bad.json");
        File.WriteAllText(bad, """{ "entities": [ { "name": "x", "shape": { "kind": "box", "sizeM": [1, -1, 1] } } ] }""");
        WorldLoadException e = Assert.Throws<WorldLoadException>(() => StageWorldHost.Open(bad, null, false, 1.0, _ => { }));
        Assert.Contains("entities[0].shape", e.Message);
    }
}
