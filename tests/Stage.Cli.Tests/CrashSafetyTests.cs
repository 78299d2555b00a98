using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Stage.Takes;

namespace Stage.Cli.Tests;

public sealed class CrashSafetyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-crash-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Kill_9_during_a_take_leaves_an_interrupted_take_with_its_frames()
    {
        (string path, int controlPort, _) = TestStages.TestRig(_folder);

        // The real executable in its own process, so SIGKILL ends it with no chance to clean up.
        string stageDll = Path.Combine(AppContext.BaseDirectory, "stage.dll");
        var start = new ProcessStartInfo("dotnet", [stageDll, "run", path, "--output", "headless", "--log-dir", _folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process engine = Process.Start(start)!;
        try
        {
            string Send(params string[] args)
            {
                var reply = new StringWriter();
                StageCli.Run(["osc", "send", $"127.0.0.1:{controlPort}", .. args, "--reply", "--timeout-ms", "2000"], reply, new StringWriter());
                return reply.ToString();
            }
            string ping = "";
            for (int i = 0; i < 150 && !ping.Contains("pong"); i++) { ping = Send("/stage/ping"); if (!ping.Contains("pong")) await Task.Delay(100); }
            Assert.Contains("pong", ping);
            Assert.Contains("\"ok\" \"recording crash/1", Send("/stage/take/start", "s", "crash"));
            // Three seconds of frames at 24 fps: at least two whole seconds are committed before the kill.
            await Task.Delay(3000);
        }
        finally
        {
            engine.Kill(entireProcessTree: true);
            await engine.WaitForExitAsync();
        }
        using TakeLog log = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"));
        TakeInfo take = Assert.Single(log.Takes());
        Assert.Equal(TakeStatus.Interrupted, take.Status);
        Assert.InRange(take.FrameCount, 48, 24 * 4);
        // Frames run on the clock: the take's length is its last committed frame + 1; a frame the engine dropped under load is a gap.
        IReadOnlyList<RecordedFrame> track = log.Track(take.Id);
        Assert.Equal(take.FrameCount, track[^1].Sample.Frame + 1);
        Assert.InRange(track.Count, take.FrameCount - take.DroppedFrames - 1, take.FrameCount);
    }
}
