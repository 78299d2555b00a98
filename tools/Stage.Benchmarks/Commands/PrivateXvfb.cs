using System.Diagnostics;
using System.Globalization;

namespace Stage.Benchmarks.Commands;

/// <summary>Xvfb on a free display number for the bench's own window, stopped on dispose.</summary>
internal sealed class PrivateXvfb : IDisposable
{
    private readonly Process _process;

    /// <summary>Starts Xvfb with one screen of <paramref name="widthPx"/> × <paramref name="heightPx"/>.</summary>
    public PrivateXvfb(int widthPx = 1920, int heightPx = 1080)
    {
        int number = Enumerable.Range(60, 100).First(n => !File.Exists($"/tmp/.X11-unix/X{n}") && !File.Exists($"/tmp/.X{n}-lock"));
        Display = $":{number}";
        _process = Process.Start(new ProcessStartInfo("Xvfb", string.Create(CultureInfo.InvariantCulture, $"{Display} -screen 0 {widthPx}x{heightPx}x24 -nolisten tcp -noreset")) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("Xvfb did not start (Debian xvfb; tools/setup installs it)");
        var waited = Stopwatch.StartNew();
        while (!File.Exists($"/tmp/.X11-unix/X{number}"))
        {
            if (_process.HasExited) throw new InvalidOperationException($"Xvfb exited: {_process.StandardError.ReadToEnd()}");
            if (waited.Elapsed > TimeSpan.FromSeconds(20)) throw new InvalidOperationException("Xvfb did not open its socket within 20 s");
            Thread.Sleep(20);
        }
    }

    public string Display { get; }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // SIGTERM, not Kill (SIGKILL): Xvfb then removes its /tmp/.X<n>-lock and socket, so display numbers are not used up.
            using (Process? term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])))
                term?.WaitForExit(5000);
            if (!_process.WaitForExit(5000)) _process.Kill();
        }
        _process.Dispose();
    }
}
