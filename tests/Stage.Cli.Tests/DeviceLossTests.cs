using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Stage.Takes;
using Stage.Tests.Shared;

namespace Stage.Cli.Tests;

/// <summary>
/// A GPU device lost mid-take (injected: lavapipe cannot lose its device on demand; the loss is handled exactly as a
/// real <c>VK_ERROR_DEVICE_LOST</c>): the device, renderer and windows are built again and the take goes on.
/// </summary>
public sealed class DeviceLossTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stage-device-loss-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_lost_device_is_rebuilt_with_its_windows_and_the_take_goes_on()
    {
        (string path, _, _) = TestStages.TestRig(_folder);
        using var xvfb = new XvfbServer(1280, 720);
        var output = new StringWriter();
        var error = new StringWriter();
        Task? injection = null;
        RunOutcome outcome = RunSession.Execute(new RunSettings
        {
            ConfigPath = path,
            Output = "window",
            OutputFactory = new WindowRun(NullLoggerFactory.Instance, xvfb.Display),
            Seconds = 3,
            TakeSlate = "LOST",
            Validate = true,
            SimulateTracking = "orbit",
            OnRendererReady = renderer => injection = Task.Delay(TimeSpan.FromSeconds(1)).ContinueWith(_ => renderer.InjectDeviceLoss()),
        }, output, error, NullLoggerFactory.Instance, CancellationToken.None);
        await injection!;

        string printed = output + "\n" + error;
        Assert.True(outcome.ExitCode == 0, printed);
        Assert.Contains("GPU devices lost 1, rebuilt 1", printed);
        EngineStatisticsOf(outcome, out long frames, out long faulted);
        // The frame that met the loss is faulted; the next one runs on the new device.
        Assert.InRange(faulted, 1, 2);
        // Three seconds at 24 fps is frame 71; frames a loaded machine dropped are gaps, not frames run.
        Assert.InRange(frames, 12, 72);
        // The test rig's two windows, opened again on the new device, present again (the summary counts the new windows' frames).
        Assert.Matches(@"output: windows 2: presented [1-9]\d*, ", printed);
        using TakeLog log = TakeLog.Open(Path.Combine(_folder, "takes.sqlite"), create: false);
        TakeInfo take = log.Take(log.LastTake()!.Id);
        Assert.InRange(take.FrameCount, frames, 72);
        Assert.Equal(TakeStatus.Complete, take.Status);
    }

    private static void EngineStatisticsOf(RunOutcome outcome, out long frames, out long faulted)
    {
        Assert.NotNull(outcome.Statistics);
        (frames, faulted) = (outcome.Statistics.Frames, outcome.Statistics.FaultedFrames);
    }
}
