using Microsoft.Data.Sqlite;
using Stage.Takes;
using Stage.Tests.Shared;

namespace Stage.Cli.Tests;

/// <summary>
/// Ctrl+C and SIGTERM as a crew sends them, to the real executable in its own process: every long-running
/// command stops at a boundary, closes what it had open, prints its summary and exits 0.
/// </summary>
public sealed class InterruptTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60), StopTimeout = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-interrupt-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_to_a_run_recording_a_take_closes_the_take_complete_with_every_frame_and_exits_0(string signal)
    {
        (string path, _, _) = TestStages.TestRig(_folder);
        using var stage = StageProcess.Start("run", path, "--output", "headless", "--take", "CTRLC",
            "--world", RepositoryPaths.Of("stage-configs", "worlds", "breakout.json"), "--log-dir", _folder);
        Assert.True(await stage.WaitForOutputAsync("REC CTRLC/1", StartTimeout), stage.Output + stage.Error);
        // Frames, not seconds: the take records from the first frame, so past frame 30 it holds at least 24.
        Assert.True(await stage.WaitForStatusFrameAsync(30, TimeSpan.FromSeconds(90)), stage.Output + stage.Error);
        stage.Signal(signal);
        int code = await stage.WaitForExitAsync(StopTimeout);

        Assert.True(code == 0, $"exit {code}\n{stage.Output}\n{stage.Error}");
        Assert.Contains("stopped on request after", stage.Output);
        Assert.Contains("summary:", stage.Output);
        Assert.Matches(@"world: step \d+, state hash [0-9a-f]{16}, saved to .*snapshot-\d+\.snap", stage.Output);
        Assert.Contains("last take CTRLC/1", stage.Output);

        using TakeLog log = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"));
        Assert.Empty(log.RecoveredTakeIds);
        TakeInfo take = Assert.Single(log.Takes());
        Assert.Equal(TakeStatus.Complete, take.Status);
        Assert.NotEqual("", take.EndStateHash);
        // Every frame the engine ran is in the track: the take's length is its last frame + 1, gaps only where the clock dropped frames.
        IReadOnlyList<RecordedFrame> track = log.Track(take.Id);
        Assert.Equal(take.FrameCount, track[^1].Sample.Frame + 1);
        Assert.Equal(take.FrameCount - take.DroppedFrames, track.Count);
        Assert.True(take.FrameCount >= 24, $"{take.FrameCount} frames");
    }

    [Fact]
    public async Task Ctrl_c_to_sim_reports_the_step_it_stopped_at_and_writes_the_snapshot()
    {
        string snapshot = Path.Combine(_folder, "end.snap");
        using var stage = StageProcess.Start("sim", RepositoryPaths.Of("stage-configs", "worlds", "hills.json"), "--seconds", "100000",
            "--snapshot-out", snapshot, "--every", "120");
        Assert.True(await stage.WaitForOutputAsync("step 240 ", StartTimeout), stage.Output + stage.Error);
        stage.Signal("INT");
        int code = await stage.WaitForExitAsync(StopTimeout);

        Assert.True(code == 0, $"exit {code}\n{stage.Output}\n{stage.Error}");
        Assert.Matches(@"stopped on request at step \d+ of \d+", stage.Error);
        Assert.True(File.Exists(snapshot));
        var inspect = new StringWriter();
        Assert.Equal(0, StageCli.Run(["world", "inspect", snapshot], inspect, new StringWriter()));
    }

    [Theory]
    [InlineData("osc", "dump", "--port", "0")]
    [InlineData("track", "monitor", "{config}")]
    public async Task Ctrl_c_ends_the_watching_commands_with_exit_0(params string[] args)
    {
        (string path, _, _) = TestStages.TestRig(_folder);
        using var stage = StageProcess.Start([.. args.Select(a => a == "{config}" ? path : a)]);
        await Task.Delay(3000);
        stage.Signal("INT");
        int code = await stage.WaitForExitAsync(StopTimeout);
        Assert.True(code == 0, $"exit {code}\n{stage.Output}\n{stage.Error}");
        Assert.Contains("Ctrl+C: stopping", stage.Error);
    }
}
