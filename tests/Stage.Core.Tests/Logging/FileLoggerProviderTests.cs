using System.Text.Json;
using Microsoft.Extensions.Logging;
using Stage.Core.Logging;

namespace Stage.Core.Tests.Logging;

public sealed class FileLoggerProviderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "stage-log-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Each_entry_is_one_json_line_with_its_structured_fields()
    {
        var now = new DateTime(2026, 11, 23, 14, 0, 0, DateTimeKind.Local);
        using (var provider = new FileLoggerProvider(_folder, LogLevel.Information, () => now))
        {
            ILogger log = provider.CreateLogger("Stage.Test");
            log.LogInformation("Take {Take} started at {Timecode}", 7, "01:00:00:00");
            log.LogDebug("not written below the level");
            log.LogError(new InvalidOperationException("boom"), "Render fault on {Output}", "out-1");
        }
        string[] lines = File.ReadAllLines(Path.Combine(_folder, "stage-2026-11-23.log"));
        Assert.Equal(2, lines.Length);
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        Assert.Equal("Information", first.RootElement.GetProperty("level").GetString());
        Assert.Equal("Take 7 started at 01:00:00:00", first.RootElement.GetProperty("message").GetString());
        Assert.Equal("7", first.RootElement.GetProperty("Take").GetString());
        using JsonDocument second = JsonDocument.Parse(lines[1]);
        Assert.Contains("boom", second.RootElement.GetProperty("exception").GetString());
    }

    [Fact]
    public void A_shoot_day_runs_past_midnight_until_six()
    {
        Assert.Equal(new DateOnly(2026, 11, 23), ShootDay.Of(new DateTime(2026, 11, 24, 5, 59, 0)));
        Assert.Equal(new DateOnly(2026, 11, 24), ShootDay.Of(new DateTime(2026, 11, 24, 6, 0, 0)));
        DateTime now = new(2026, 11, 24, 5, 0, 0, DateTimeKind.Local);
        using (var provider = new FileLoggerProvider(_folder, LogLevel.Information, () => now))
        {
            ILogger log = provider.CreateLogger("Stage.Test");
            log.LogInformation("late wrap");
            now = now.AddHours(2);
            log.LogInformation("next day's call");
        }
        Assert.Contains("late wrap", File.ReadAllText(Path.Combine(_folder, "stage-2026-11-23.log")));
        Assert.Contains("next day's call", File.ReadAllText(Path.Combine(_folder, "stage-2026-11-24.log")));
    }

    [Fact]
    public void An_unwritable_log_folder_does_not_stop_the_caller()
    {
        string blocker = Path.Combine(Path.GetTempPath(), "stage-log-blocker-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(blocker, "a file where the folder should be");
        try
        {
            using var provider = new FileLoggerProvider(Path.Combine(blocker, "logs"), LogLevel.Information);
            ILogger log = provider.CreateLogger("Stage.Test");
            log.LogWarning("first");
            log.LogWarning("second");
        }
        finally
        {
            File.Delete(blocker);
        }
    }
}
