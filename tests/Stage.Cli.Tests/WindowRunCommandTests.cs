using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Stage.Takes;
using Stage.Tests.Shared;

namespace Stage.Cli.Tests;

/// <summary><c>stage run --output window</c> under Xvfb: the window output is attached to the engine, so a virtual camera flies its pose buffer.</summary>
public sealed class WindowRunCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-window-run-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_window_run_feeds_a_virtual_camera_into_its_take()
    {
        (string path, _, _) = TestStages.TestRig(_folder);
        JsonNode config = JsonNode.Parse(File.ReadAllText(path))!;
        config["tracking"] = new JsonArray(new JsonObject { ["id"] = "fly", ["kind"] = "virtual", ["startPositionM"] = new JsonArray(0.25, 1.7, 3.5) });
        config["cameras"]![0]!["source"] = "fly";
        File.WriteAllText(path, config.ToJsonString());

        using var xvfb = new XvfbServer(1280, 720);
        // Its own process: GLFW reads the display from the environment.
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "stage.dll"), "run", path, "--output", "window", "--seconds", "3",
            "--take", "V", "--validate", "--log-dir", _folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DISPLAY"] = xvfb.Display;
        using Process run = Process.Start(start)!;
        Task<string> output = run.StandardOutput.ReadToEndAsync();
        Task<string> error = run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(run.ExitCode == 0, await output + "\n" + await error);
        Assert.Contains("virtual camera: fly it from the window", await error);
        Assert.Contains("A:OK", await output);

        using TakeLog log = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"), create: false);
        IReadOnlyList<RecordedFrame> track = log.Track(log.LastTake()!.Id);
        Assert.NotEmpty(track);
        // Nobody touched the keys: the virtual camera holds its start pose, and every frame used it.
        Assert.All(track.Skip(1), f => Assert.True(System.Numerics.Vector3.Distance(new(0.25f, 1.7f, 3.5f), f.Sample.PositionM) < 1e-4f, $"frame {f.Sample.Frame}: {f.Sample.PositionM}"));
    }
}
