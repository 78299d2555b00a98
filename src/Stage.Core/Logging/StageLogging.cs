using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Stage.Core.Logging;

/// <summary>How much a command says on the console.</summary>
public enum Verbosity
{
    /// <summary>Errors only.</summary>
    Quiet,
    /// <summary>Warnings and errors (a command's own output is printed separately).</summary>
    Normal,
    /// <summary>Everything, debug included.</summary>
    Verbose,
}

/// <summary>
/// Builds the one structured log every part of Stage writes to: the console (standard error, so a
/// command's own output on standard output stays clean for scripts) and a JSON-lines file per shoot day.
/// </summary>
public static class StageLogging
{
    /// <summary>Environment variable that overrides the log folder.</summary>
    public const string LogDirectoryVariable = "STAGE_LOG_DIR";

    /// <summary>The log folder: $STAGE_LOG_DIR, else $XDG_STATE_HOME/stage/logs, else ~/.local/state/stage/logs.</summary>
    public static string DefaultLogDirectory()
    {
        string? overridden = Environment.GetEnvironmentVariable(LogDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(overridden)) return Path.GetFullPath(overridden);
        string? state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        string root = string.IsNullOrWhiteSpace(state)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state")
            : state;
        return Path.Combine(root, "stage", "logs");
    }

    /// <summary>Creates the logger factory for a command run.</summary>
    /// <param name="verbosity">Console level: quiet = errors, normal = warnings, verbose = debug. The file gets information and above (debug when verbose).</param>
    /// <param name="logDirectory">Folder of the shoot-day files, or null for no file.</param>
    public static ILoggerFactory Create(Verbosity verbosity, string? logDirectory)
    {
        LogLevel consoleLevel = verbosity switch
        {
            Verbosity.Quiet => LogLevel.Error,
            Verbosity.Verbose => LogLevel.Debug,
            _ => LogLevel.Warning,
        };
        return LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(verbosity == Verbosity.Verbose ? LogLevel.Debug : LogLevel.Information);
            builder.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss.fff ";
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            });
            builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.AddFilter<ConsoleLoggerProvider>(null, consoleLevel);
            if (logDirectory is not null)
                builder.AddProvider(new FileLoggerProvider(logDirectory, verbosity == Verbosity.Verbose ? LogLevel.Debug : LogLevel.Information));
        });
    }
}
