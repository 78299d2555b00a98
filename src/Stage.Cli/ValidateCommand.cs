using System.CommandLine;
using Microsoft.Extensions.Logging;
using Stage.Core.Configuration;
using Stage.Hosting.Rendering;
using Stage.Render.Sky;
using Stage.World;

namespace Stage.Cli;

/// <summary><c>stage validate &lt;config&gt; [--json]</c>: checks a stage configuration and summarises it.</summary>
public static class ValidateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Argument<string>("config") { Description = "The stage configuration file (JSON)." };
        var json = new Option<bool>("--json") { Description = "Print the summary (or the faults) as JSON for scripts." };
        var command = new Command("validate",
            "Check a stage configuration. Prints every fault with its JSON path (exit 1), or a summary of the stage " +
            "(exit 0): per wall its size, pixels and pitch; per output the wall pixels it carries; per camera its lens and source.")
        {
            config,
            json,
        };
        command.SetAction(result =>
        {
            using ILoggerFactory logging = CommonOptions.CreateLogging(result);
            ILogger log = logging.CreateLogger("Stage.Cli.Validate");
            string path = result.GetValue(config)!;
            ConfigLoadResult loaded = Stage.Tracking.StageConfigFile.Load(path);
            bool asJson = result.GetValue(json);
            if (!loaded.IsValid)
            {
                log.LogInformation("Configuration {Path} has {FaultCount} faults", Path.GetFullPath(path), loaded.Faults.Count);
                if (asJson)
                {
                    output.WriteLine(StageSummary.FaultsToJson(Path.GetFullPath(path), loaded.Faults));
                }
                else
                {
                    output.WriteLine($"{path}: {loaded.Faults.Count} fault{(loaded.Faults.Count == 1 ? "" : "s")}");
                    foreach (ConfigFault fault in loaded.Faults) output.WriteLine($"  {fault}");
                }
                return ExitCodes.Fault;
            }
            // The world scene's environment: its image decoded now, so a bad .hdr is named here rather than at the start of a run.
            string? environmentLine = null;
            if (loaded.Config!.WorldScenePath is { } scenePath && File.Exists(scenePath))
            {
                SceneLoadResult scene = SceneLoader.LoadFile(scenePath);
                var sceneFaults = new List<ConfigFault>(scene.Faults);
                if (scene.IsValid && scene.Scene!.Environment is { } setting)
                {
                    try
                    {
                        SceneEnvironment? environment = SceneEnvironmentLoader.Load(setting);
                        environmentLine = $"Environment {setting.Describe()}" + (environment?.Image is { } image ? $" ({image.Width} × {image.Height})" : "");
                    }
                    catch (EnvironmentImageException e)
                    {
                        sceneFaults.Add(new ConfigFault("environment.image", e.Message));
                    }
                }
                if (sceneFaults.Count > 0)
                {
                    if (asJson)
                    {
                        output.WriteLine(StageSummary.FaultsToJson(scenePath, sceneFaults));
                    }
                    else
                    {
                        output.WriteLine($"{scenePath}: {sceneFaults.Count} fault{(sceneFaults.Count == 1 ? "" : "s")}");
                        foreach (ConfigFault fault in sceneFaults) output.WriteLine($"  {fault}");
                    }
                    return ExitCodes.Fault;
                }
            }
            StageSummary summary = StageSummary.From(loaded.Config!);
            log.LogInformation("Configuration {Path} is valid: {Walls} walls, {Outputs} outputs, {Cameras} cameras",
                loaded.Config!.SourcePath, summary.Walls.Count, summary.Outputs.Count, summary.Cameras.Count);
            IReadOnlyList<ConfigFault> warnings = loaded.Warnings;
            output.Write(asJson ? summary.ToJson(warnings) + System.Environment.NewLine : summary.ToText());
            if (!asJson && environmentLine is not null) output.WriteLine(environmentLine);
            if (!asJson && warnings.Count > 0)
            {
                output.WriteLine();
                output.WriteLine($"Warnings ({warnings.Count}; the stage runs as it is)");
                foreach (ConfigFault warning in warnings) output.WriteLine($"  {warning}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
