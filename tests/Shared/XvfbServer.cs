using System.Diagnostics;

namespace Stage.Tests.Shared;

/// <summary>A private X server (Debian xvfb) for window tests, on a free display number, stopped on dispose.</summary>
internal sealed class XvfbServer : IDisposable
{
    private readonly Process _process;

    /// <summary>Starts a server with one screen of <paramref name="width"/> × <paramref name="height"/> at <paramref name="depth"/> bits (24, or 30: 10 bits a channel).</summary>
    public XvfbServer(int width = 1920, int height = 1080, int depth = 24)
    {
        // -displayfd: Xvfb picks a free display itself and writes its number when ready, so tests running
        // in parallel never race for one number, and stale locks of dead servers are Xvfb's to clear.
        var start = new ProcessStartInfo("Xvfb", $"-displayfd 1 -screen 0 {width}x{height}x{depth} -nolisten tcp -noreset")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Xvfb did not start (Debian xvfb; tools/setup installs it)");
        Task<string?> line = _process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(20)) || !int.TryParse(line.Result, out int display))
        {
            string why = _process.HasExited ? _process.StandardError.ReadToEnd() : "no display number within 20 s";
            Stop();
            throw new InvalidOperationException($"Xvfb did not start: {why}");
        }
        Display = $":{display}";
    }

    /// <summary>The DISPLAY value, e.g. ":93".</summary>
    public string Display { get; }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    /// <summary>SIGTERM, so Xvfb removes its socket and lock file (SIGKILL leaves them and uses up display numbers); SIGKILL if it lingers.</summary>
    private void Stop()
    {
        if (_process.HasExited) return;
        using (Process? term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])))
            term?.WaitForExit(5000);
        if (!_process.WaitForExit(5000))
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
    }
}
