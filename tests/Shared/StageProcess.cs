using System.Diagnostics;
using System.Text;

namespace Stage.Tests.Shared;

/// <summary>
/// The real <c>stage</c> executable in a child process, as an operator's terminal runs it: its output
/// collected as it comes, signals sent with <c>kill</c>. The child starts with SIGINT and SIGTERM at
/// their default actions (<c>env --default-signal</c>): a test runner started in the background
/// ignores SIGINT, and that would be inherited.
/// </summary>
internal sealed class StageProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private StageProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_error) _error.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts <c>stage ARGS</c>.</summary>
    public static StageProcess Start(params string[] args) => StartProgram("stage.dll", args);

    /// <summary>
    /// The built <c>stage</c> CLI: beside the test binaries when the test project references it, else
    /// src/Stage.Cli's output for the same configuration (…/bin/&lt;Configuration&gt;/net10.0/), as a
    /// project that only builds it (ReferenceOutputAssembly false) finds it.
    /// </summary>
    public static string StageDll
    {
        get
        {
            string beside = Path.Combine(AppContext.BaseDirectory, "stage.dll");
            if (File.Exists(beside)) return beside;
            string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            string path = RepositoryPaths.Of("src", "Stage.Cli", "bin", configuration, "net10.0", "stage.dll");
            Assert.True(File.Exists(path), $"{path} is missing: build src/Stage.Cli ({configuration})");
            return path;
        }
    }

    /// <summary>Runs <c>stage ARGS</c> to its end (at most 2 minutes): its exit code, standard output and standard error.</summary>
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using StageProcess p = Start(args);
        int exit = p.WaitForExitAsync(TimeSpan.FromMinutes(2)).GetAwaiter().GetResult();
        return (exit, p.Output, p.Error);
    }

    /// <summary>True for an event line of <c>stage sim --json</c> (<c>{"step", "event", …}</c>), false for a step report.</summary>
    public static bool IsEvent(string jsonLine)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(jsonLine);
        return doc.RootElement.TryGetProperty("event", out _);
    }

    /// <summary>Starts the program <paramref name="dll"/> (beside the test binaries: <c>stage.dll</c>, <c>stage-bench.dll</c>; <c>stage.dll</c> from src/Stage.Cli when not there) with <paramref name="args"/>.</summary>
    public static StageProcess StartProgram(string dll, params string[] args)
    {
        string path = dll == "stage.dll" ? StageDll : Path.Combine(AppContext.BaseDirectory, dll);
        var start = new ProcessStartInfo("env", ["--default-signal=INT,TERM", "dotnet", path, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return new StageProcess(Process.Start(start)!);
    }

    /// <summary>Standard output so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Standard error so far.</summary>
    public string Error { get { lock (_error) return _error.ToString(); } }

    /// <summary>Waits until standard output holds <paramref name="text"/>; false after <paramref name="timeout"/> or when the process ended.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return true;
            if (_process.HasExited) return Output.Contains(text, StringComparison.Ordinal);
            await Task.Delay(50);
        }
        return false;
    }

    /// <summary>Waits until standard error (the log on the console) holds <paramref name="text"/> at least <paramref name="count"/> times; false after <paramref name="timeout"/> or when the process ended.</summary>
    public async Task<bool> WaitForErrorAsync(string text, TimeSpan timeout, int count = 1)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Occurrences(Error, text) >= count) return true;
            if (_process.HasExited) return Occurrences(Error, text) >= count;
            await Task.Delay(20);
        }
        return false;
    }

    private static int Occurrences(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>The newest frame number a status line of the run has shown (<c>frame N …</c>, once a second); −1 before the first.</summary>
    public long LatestStatusFrame
    {
        get
        {
            System.Text.RegularExpressions.MatchCollection lines = System.Text.RegularExpressions.Regex.Matches(Output, @"(?m)^frame (\d+) ");
            return lines.Count == 0 ? -1 : long.Parse(lines[^1].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Waits until a status line shows frame <paramref name="frame"/> or later: a test that needs so many frames run waits
    /// for them, not for a time (a loaded machine runs fewer frames a second). False after <paramref name="timeout"/> or when the process ended.
    /// </summary>
    public async Task<bool> WaitForStatusFrameAsync(long frame, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (LatestStatusFrame >= frame) return true;
            if (_process.HasExited) return LatestStatusFrame >= frame;
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>Sends a signal (INT, TERM …) with <c>kill</c>, as a terminal's Ctrl+C or a service manager would.</summary>
    public void Signal(string name)
    {
        using Process kill = Process.Start(new ProcessStartInfo("kill", [$"-{name}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>
    /// Waits for the process to end and returns its exit code (128 + n when signal n ended it, as a shell
    /// shows it). Kills it and fails after <paramref name="timeout"/>.
    /// </summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"stage did not exit within {timeout.TotalSeconds} s.\nstdout:\n{Output}\nstderr:\n{Error}");
        }
        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode; // 'env' execs dotnet: this is the engine's own status

    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
