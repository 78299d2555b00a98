using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Stage.Cli;

/// <summary>The <c>stage</c> command: builds the command tree and runs it.</summary>
public static class StageCli
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns its exit code (0 success, 1 fault, 2 usage).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand root = Build(output, error);
        ParseResult parsed = root.Parse(args);
        // Stage handles Ctrl+C and SIGTERM itself (ShutdownSignals): a clean stop at a frame boundary, never a cut after 2 s.
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        if (parsed.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError parseError in parsed.Errors)
                error.WriteLine($"stage: {parseError.Message}");
            error.WriteLine("Run 'stage --help' for usage.");
            return ExitCodes.Usage;
        }
        // Only commands that watch a cancellation token (the long-running ones) take the signals over; the
        // others keep the default action, so Ctrl+C still ends them at once.
        if (parsed.Action is not AsynchronousCommandLineAction) return parsed.Invoke(invocation);
        using var signals = new ShutdownSignals(error);
        return parsed.InvokeAsync(invocation, signals.Token).GetAwaiter().GetResult();
    }

    /// <summary>The version printed by <c>stage --version</c>.</summary>
    public static string Version =>
        typeof(StageCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "Stage: a real-time engine for LED virtual-production stages. " +
            "Renders a simulated world onto LED walls from the tracked camera's point of view and logs every take.");
        root.Options.Add(CommonOptions.Verbose);
        root.Options.Add(CommonOptions.Quiet);
        root.Options.Add(CommonOptions.LogDirectory);
        root.Subcommands.Add(ValidateCommand.Create(output, error));
        root.Subcommands.Add(TakesCommand.Create(output, error));
        root.Subcommands.Add(GpuCommand.Create(output, error));
        root.Subcommands.Add(OscCommand.Create(output, error));
        root.Subcommands.Add(MonitorsCommand.Create(output, error));
        root.Subcommands.Add(RenderCommand.Create(output, error));
        root.Subcommands.Add(RunCommand.Create(output, error));
        root.Subcommands.Add(DemoCommand.Create(output, error));
        root.Subcommands.Add(ReplayCommand.Create(output, error));
        root.Subcommands.Add(TrackCommand.Create(output, error));
        root.Subcommands.Add(SimCommand.Create(output, error));
        root.Subcommands.Add(WorldCommand.Create(output, error));
        // 'stage' alone: show what there is to do rather than a bare parse error.
        root.SetAction(result =>
        {
            error.WriteLine("stage: name a command; the commands are:");
            foreach (Command command in root.Subcommands)
                error.WriteLine($"  {command.Name,-12} {command.Description?.Split(". ")[0]}");
            error.WriteLine("Run 'stage <command> --help' for its options.");
            return ExitCodes.Usage;
        });
        return root;
    }
}

/// <summary>Exit codes every command uses.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>The command ran and found faults (an invalid configuration, a failed operation).</summary>
    public const int Fault = 1;
    /// <summary>The command line itself was wrong.</summary>
    public const int Usage = 2;
}
