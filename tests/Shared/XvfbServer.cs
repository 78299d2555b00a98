using System.Diagnostics;

namespace Stage.Tests.Shared;

/// <summary>A private X server (Debian xvfb) for window tests, on a free display number, stopped on dispose.</summary>
internal sealed class XvfbServer : IDisposable
{
    private readonly Process _process;

    public XvfbServer(int width = 1920, int height = 1080)
    {
        int display = Enumerable.Range(90, 100).First(n => !File.Exists($"/tmp/.X11-unix/X{n}") && !File.Exists($"/tmp/.X{n}-lock"));
        Display = $":{display}";
        var start = new ProcessStartInfo("Xvfb", $"{Display} -screen 0 {width}x{height}x24 -nolisten tcp -noreset")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Xvfb did not start (Debian xvfb; tools/setup installs it)");
        var waited = Stopwatch.StartNew();
        while (!File.Exists($"/tmp/.X11-unix/X{display}"))
        {
            if (_process.HasExited) throw new InvalidOperationException($"Xvfb exited: {_process.StandardError.ReadToEnd()}");
            if (waited.Elapsed > TimeSpan.FromSeconds(20)) throw new TimeoutException("Xvfb did not open its socket within 20 s");
            Thread.Sleep(20);
        }
    }

    /// <summary>The DISPLAY value, e.g. ":93".</summary>
    public string Display { get; }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }
}
