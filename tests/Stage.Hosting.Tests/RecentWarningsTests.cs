using Microsoft.Extensions.Logging;
using Stage.Hosting.Operator;

namespace Stage.Hosting.Tests;

public sealed class RecentWarningsTests
{
    [Fact]
    public void Only_warnings_and_errors_are_kept_and_only_the_last_few()
    {
        using var factory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace));
        var warnings = new RecentWarnings(capacity: 3);
        factory.AddProvider(warnings);
        ILogger log = factory.CreateLogger("Stage.Test");
        log.LogInformation("not kept");
        for (int i = 1; i <= 4; i++) log.LogWarning("warning {Number}", i);
        log.LogError(new IOException("disk full"), "journal write failed");
        Assert.Equal(5, warnings.Count);
        IReadOnlyList<LoggedWarning> kept = warnings.Latest();
        Assert.Equal(["warning 3", "warning 4", "journal write failed (IOException: disk full)"], kept.Select(w => w.Message));
        Assert.Equal(LogLevel.Error, kept[^1].Level);
        Assert.Equal("Stage.Test", kept[0].Category);
    }
}
