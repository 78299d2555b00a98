using System.CommandLine;
using Microsoft.Extensions.Logging;
using Stage.Core.Logging;

namespace Stage.Cli;

/// <summary>Options every command accepts, and the logger they configure.</summary>
public static class CommonOptions
{
    /// <summary>--verbose: debug detail on the console and in the log file.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Print debug detail (console and log file).",
        Recursive = true,
    };

    /// <summary>--quiet: errors only on the console.</summary>
    public static Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print only errors on the console (the log file still gets everything).",
        Recursive = true,
    };

    /// <summary>--log-dir: folder of the per-shoot-day log files.</summary>
    public static Option<string?> LogDirectory { get; } = new("--log-dir")
    {
        Description = $"Folder of the shoot-day log files (default ${StageLogging.LogDirectoryVariable} or ~/.local/state/stage/logs).",
        Recursive = true,
    };

    /// <summary>--canvas-scale N: render every canvas at 1/N size each way (rehearsal and previews on a slow GPU).</summary>
    public static Option<int> CanvasScale(int defaultDivisor, string purpose)
    {
        var option = new Option<int>("--canvas-scale")
        {
            Description = $"Render every canvas at 1/N size each way, {purpose} (default {defaultDivisor}; 1 is full size, the only size for the wall).",
            DefaultValueFactory = _ => defaultDivisor,
        };
        option.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--canvas-scale must be at least 1"); });
        return option;
    }

    /// <summary>The verbosity a parse result asks for; --verbose wins over --quiet.</summary>
    public static Verbosity VerbosityOf(ParseResult result) =>
        result.GetValue(Verbose) ? Verbosity.Verbose : result.GetValue(Quiet) ? Verbosity.Quiet : Verbosity.Normal;

    /// <summary>The log for a command run: console (standard error) and the shoot-day file.</summary>
    public static ILoggerFactory CreateLogging(ParseResult result) =>
        StageLogging.Create(VerbosityOf(result), result.GetValue(LogDirectory) ?? StageLogging.DefaultLogDirectory());
}
