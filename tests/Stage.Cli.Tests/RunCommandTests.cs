using Microsoft.Data.Sqlite;

namespace Stage.Cli.Tests;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-run-cli-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_run_obeys_the_control_surface_and_logs_the_take()
    {
        (string path, int controlPort, int trackingPort) = TestStages.TestRig(_folder);

        var output = new StringWriter();
        var error = new StringWriter();
        Task<int> run = Task.Run(() => StageCli.Run(["run", path, "--seconds", "6", "--output", "headless", "--log-dir", _folder], output, error));
        string Send(params string[] args)
        {
            var reply = new StringWriter();
            StageCli.Run(["osc", "send", $"127.0.0.1:{controlPort}", .. args, "--reply", "--timeout-ms", "3000"], reply, new StringWriter());
            return reply.ToString();
        }
        // Wait until the control surface answers.
        string ping = "";
        for (int i = 0; i < 100 && !ping.Contains("pong"); i++) { ping = Send("/stage/ping"); if (!ping.Contains("pong")) await Task.Delay(100); }
        Assert.Contains("pong", ping);
        Assert.Contains("\"ok\" \"recording 7A/1", Send("/stage/take/start", "s", "7A"));
        await Task.Delay(1000);
        Assert.Contains("\"ok\"", Send("/stage/take/note", "s", "clean"));
        Assert.Contains("\"ok\" \"stopped 7A/1", Send("/stage/take/stop", "f", "1"));
        Assert.Contains("\"error\" \"no camera 'Z'", Send("/stage/camera/chromakey", "si", "Z", "1"));
        Assert.Contains("A:NO DATA", Send("/stage/status"));
        // A tracker's poses over OSC turn the camera's status to OK. They keep coming while the status is asked for:
        // a tracker that stopped 100 ms before would rightly show LOST on a loaded machine.
        using var tracker = new CancellationTokenSource();
        Task sending = Task.Run(async () =>
        {
            while (!tracker.IsCancellationRequested)
            {
                StageCli.Run(["osc", "send", $"127.0.0.1:{trackingPort}", "/stage/camera/A/pose", "ffffff", "0", "1.6", "2", "5", "0", "0"], new StringWriter(), new StringWriter());
                await Task.Delay(20);
            }
        });
        string status = "";
        for (int i = 0; i < 50 && !status.Contains("A:OK"); i++) { await Task.Delay(50); status = Send("/stage/status"); }
        await tracker.CancelAsync();
        await sending;
        Assert.Contains("A:OK", status);
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("summary:", output.ToString());
        // The start says the MSAA samples and the outer view's size chosen from the rig's walls (lavapipe offers 4 samples).
        Assert.Contains("views drawn with 4× MSAA; outer view: 144² per cube face, chosen from the walls", output.ToString());

        var list = new StringWriter();
        Assert.Equal(0, StageCli.Run(["takes", "list", Path.Combine(_folder, "takes.sqlite")], list, new StringWriter()));
        string take = list.ToString().Split('\n')[1];
        Assert.Contains("7A", take);
        Assert.Contains("complete", take);
        Assert.Contains("clean", take);
        int frames = int.Parse(take.Split("  ", StringSplitOptions.RemoveEmptyEntries)[8].Trim());
        Assert.InRange(frames, 12, 200);
    }
}
