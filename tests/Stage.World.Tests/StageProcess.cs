using System.Diagnostics;
using System.Text.Json;
using Stage.Tests.Shared;

namespace Stage.World.Tests;

/// <summary>The `stage` CLI run as a separate process, as a person or a script runs it: what crashes kills only it.</summary>
internal static class StageProcess
{
    /// <summary>The built CLI for the same configuration as this test assembly (…/bin/&lt;Configuration&gt;/net10.0/).</summary>
    public static string StageDll
    {
        get
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            string path = RepositoryPaths.Of("src", "Stage.Cli", "bin", configuration, "net10.0", "stage.dll");
            Assert.True(File.Exists(path), $"{path} is missing: build src/Stage.Cli ({configuration})");
            return path;
        }
    }

    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [StageDll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(start)!;
    }

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using Process p = Start(args);
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), "stage did not finish");
        return (p.ExitCode, output, err.Result);
    }

    /// <summary>True for an event line of <c>stage sim --json</c> (<c>{"step", "event", …}</c>), false for a step report.</summary>
    public static bool IsEvent(string jsonLine)
    {
        using var doc = JsonDocument.Parse(jsonLine);
        return doc.RootElement.TryGetProperty("event", out _);
    }
}
