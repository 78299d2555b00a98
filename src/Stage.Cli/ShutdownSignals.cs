using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Stage.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the long-running commands: the first one asks the command to stop
/// at its next boundary (a frame, a step, a second) through <see cref="Token"/>, so a take still
/// recording is closed, the world journal flushed and the summary printed; a second one within
/// <see cref="ForceWindow"/> lets the signal through and the process ends at once, as after
/// <c>kill -9</c> (a take still recording is then left interrupted, and recovered as such).
/// </summary>
/// <remarks>
/// System.CommandLine's own handler is switched off (<c>ProcessTerminationTimeout = null</c>): it ends
/// the process after a fixed 2 s, which cuts a slow frame's summary and take close short.
/// </remarks>
public sealed class ShutdownSignals : IDisposable
{
    /// <summary>A second signal within this long of the first ends the process at once.</summary>
    public static readonly TimeSpan ForceWindow = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private readonly TextWriter _error;
    private readonly PosixSignalRegistration[] _registrations;
    private long _firstSignalTicks;

    /// <summary>Starts handling SIGINT and SIGTERM; messages go to <paramref name="error"/>.</summary>
    public ShutdownSignals(TextWriter error)
    {
        _error = error;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>The signal that asked to stop, or null while none has.</summary>
    public PosixSignal? Received { get; private set; }

    private void OnSignal(PosixSignalContext context)
    {
        long now = Stopwatch.GetTimestamp();
        if (Received is null)
        {
            Received = context.Signal;
            _firstSignalTicks = now;
            context.Cancel = true;
            _error.WriteLine($"stage: {Name(context.Signal)}: stopping after the current frame (a take still recording is closed); " +
                             $"{Name(context.Signal)} again within {ForceWindow.TotalSeconds:0} s exits at once");
            _error.Flush();
            _stop.Cancel();
            return;
        }
        if (Stopwatch.GetElapsedTime(_firstSignalTicks, now) <= ForceWindow)
        {
            // Let the default action end the process now: nothing more is written, as after kill -9.
            _error.WriteLine($"stage: {Name(context.Signal)} again: exiting at once; a take still recording is left interrupted");
            _error.Flush();
            context.Cancel = false;
            return;
        }
        // A late second signal while a slow stop is still under way: say so, keep stopping cleanly.
        context.Cancel = true;
        _error.WriteLine($"stage: still stopping cleanly; {Name(context.Signal)} twice within {ForceWindow.TotalSeconds:0} s exits at once");
        _error.Flush();
        _firstSignalTicks = now;
    }

    private static string Name(PosixSignal signal) => signal == PosixSignal.SIGINT ? "Ctrl+C" : signal.ToString();

    /// <summary>Stops handling the signals (their default action is back).</summary>
    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations) registration.Dispose();
        _stop.Dispose();
    }
}
