using System.CommandLine;
using Microsoft.Extensions.Logging;
using Stage.Takes;
using Stage.Takes.Export;

namespace Stage.Cli;

/// <summary>
/// <c>stage demo</c>: the main job on the demo stage, end to end, with nothing attached: the 270°
/// volume, the demo street world, a simulated tracker orbiting the camera, one take recorded, exported to
/// ALE and Nuke .chan, and preview images of every output.
/// </summary>
public static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Option<string?>("--config") { Description = "The stage configuration (default: stage-configs/volume-270.json, the demo volume)." };
        var world = new Option<string?>("--world") { Description = "The world scene (default: stage-configs/worlds/street.json, the demo street: `stage world make-demo` writes it)." };
        var seconds = new Option<double>("--seconds") { Description = "How long to run.", DefaultValueFactory = _ => 20 };
        var outDir = new Option<string>("--out") { Description = "Folder for everything the demo writes.", DefaultValueFactory = _ => "demo-output" };
        Option<int> canvasScale = CommonOptions.CanvasScale(4, "so a CPU Vulkan driver can draw the nine 4K canvases (960 × 540 each) and both inner frustums at a quarter size; lavapipe still takes seconds a frame on the street world");
        var path = new Option<string>("--path") { Description = "The simulated camera's path: orbit, dolly, handheld or a CSV.", DefaultValueFactory = _ => "orbit" };
        var command = new Command("demo",
            "Run the demo: the 270° volume with the demo street world and a simulated tracked camera, one take recorded (slate DEMO), " +
            "exported to ALE and .chan, with preview images of every output, all in one folder.")
        { config, world, seconds, outDir, path, canvasScale };
        command.SetAction((result, cancellation) => Task.Run(() => Run(result, output, error, config, world, seconds, outDir, path, canvasScale, cancellation), CancellationToken.None));
        return command;
    }

    private static int Run(ParseResult result, TextWriter output, TextWriter error, Option<string?> configOption, Option<string?> worldOption,
        Option<double> secondsOption, Option<string> outOption, Option<string> pathOption, Option<int> canvasScaleOption, CancellationToken cancellation)
    {
        string root = RepositoryLocator.Root;
        string configPath = result.GetValue(configOption) ?? Path.Combine(root, "stage-configs", "volume-270.json");
        string worldPath = result.GetValue(worldOption) ?? Path.Combine(root, "stage-configs", "worlds", "street.json");
        string folder = Path.GetFullPath(result.GetValue(outOption)!);
        double seconds = result.GetValue(secondsOption);
        if (!(seconds > 0))
        {
            error.WriteLine("stage: --seconds must be positive");
            return ExitCodes.Usage;
        }
        Directory.CreateDirectory(folder);
        // The demo's world starts from its scene every time: its journal is the demo's own.
        string journal = Path.Combine(folder, "world-journal");
        if (Directory.Exists(journal)) Directory.Delete(journal, recursive: true);
        output.WriteLine($"stage demo: {Path.GetFileName(configPath)} with the {Path.GetFileNameWithoutExtension(worldPath)} world and a simulated '{result.GetValue(pathOption)}' camera for {seconds:0.#} s; everything goes to {folder}");
        output.Flush();

        using ILoggerFactory logging = CommonOptions.CreateLogging(result);
        RunOutcome outcome = RunSession.Execute(new RunSettings
        {
            ConfigPath = configPath,
            Seconds = seconds,
            Output = "preview",
            OutputFolder = Path.Combine(folder, "preview"),
            SimulateTracking = result.GetValue(pathOption),
            WorldScenePath = worldPath,
            TakeSlate = "DEMO",
            TakeDatabasePath = Path.Combine(folder, "takes.sqlite"),
            JournalDirectory = journal,
            CanvasScaleDivisor = result.GetValue(canvasScaleOption),
        }, output, error, logging, cancellation);
        if (outcome.ExitCode != ExitCodes.Ok || outcome.LastTake is null || outcome.TakeDatabasePath is null)
        {
            error.WriteLine("stage demo: the run did not complete; nothing exported");
            return outcome.ExitCode == ExitCodes.Ok ? ExitCodes.Fault : outcome.ExitCode;
        }

        using TakeLog log = TakeLog.Open(outcome.TakeDatabasePath, create: false);
        TakeInfo take = log.Take(outcome.LastTake.Id);
        IReadOnlyList<RecordedFrame> track = log.Track(take.Id);
        var written = new List<string>();
        string ale = Path.Combine(folder, $"{take.Day:yyyy-MM-dd}_{take.ClipName}.ale");
        File.WriteAllText(ale, AleExporter.Write([take]));
        written.Add(ale);
        foreach (string camera in track.Select(f => f.Camera).Distinct())
        {
            string chan = Path.Combine(folder, $"{take.Day:yyyy-MM-dd}_{take.ClipName}_{camera}.chan");
            File.WriteAllText(chan, ChanExporter.Write(take, track, camera));
            written.Add(chan + TakesCommand.WithoutPose(ChanExporter.FramesWithoutPose(track, camera), "left out"));
        }
        string[] previews = Directory.Exists(Path.Combine(folder, "preview")) ? Directory.GetFiles(Path.Combine(folder, "preview"), "*.png") : [];
        Array.Sort(previews, StringComparer.Ordinal);

        output.WriteLine();
        output.WriteLine($"demo take {take.Scene}/{take.TakeNumber} (id {take.Id}): {take.FrameCount} frames {take.Start}–{take.LastFrame}, " +
                         $"{take.DroppedFrames} dropped, world hash {take.StartStateHash} → {take.EndStateHash}");
        output.WriteLine("exported:");
        foreach (string file in written) output.WriteLine($"  {file}");
        output.WriteLine($"previews ({previews.Length}, refreshed every second):");
        foreach (string file in previews) output.WriteLine($"  {file}");
        output.WriteLine($"take log: {outcome.TakeDatabasePath}");
        int scale = result.GetValue(canvasScaleOption);
        output.WriteLine($"replay it frame for frame and verify the world: tools/stage replay {outcome.TakeDatabasePath} {take.Id} --out {Path.Combine(folder, "replay")}{(scale > 1 ? $" --canvas-scale {scale}" : "")}");
        return ExitCodes.Ok;
    }
}

/// <summary>Finds the repository the <c>stage</c> CLI runs from (for its example stages and tools).</summary>
public static class RepositoryLocator
{
    /// <summary>The repository root: the nearest folder above the CLI holding <c>stage-configs/</c> and <c>Stage.sln</c>.</summary>
    public static string Root
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Stage.sln")) && Directory.Exists(Path.Combine(dir.FullName, "stage-configs"))) return dir.FullName;
            for (DirectoryInfo? dir = new(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Stage.sln")) && Directory.Exists(Path.Combine(dir.FullName, "stage-configs"))) return dir.FullName;
            return Environment.CurrentDirectory;
        }
    }
}
