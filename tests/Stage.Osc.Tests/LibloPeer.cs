using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stage.Osc.Tests;

/// <summary>
/// Runs liblo's command-line tools (Debian liblo-tools: oscsend, oscdump) as real OSC peers.
/// Every process is killed on dispose and every wait has a timeout.
/// </summary>
internal static class LibloPeer
{
    public const string OscSend = "/usr/bin/oscsend";
    public const string OscDump = "/usr/bin/oscdump";

    public static void RequireTools()
    {
        Assert.True(File.Exists(OscSend) && File.Exists(OscDump),
            "liblo's oscsend/oscdump are missing: install Debian package liblo-tools (tools/setup does)");
    }

    /// <summary>Runs oscsend with <paramref name="arguments"/>, returns its stdout bytes; fails on non-zero exit or timeout.</summary>
    public static byte[] RunOscSend(params string[] arguments)
    {
        RequireTools();
        var start = new ProcessStartInfo(OscSend) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(10_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"oscsend {string.Join(' ', arguments)} timed out");
        }
        copy.Wait(5_000);
        Assert.True(process.ExitCode == 0, $"oscsend {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
        return stdout.ToArray();
    }

    /// <summary>A free port number on loopback for the given protocol (the socket is closed again).</summary>
    public static int FreePort(ProtocolType protocol)
    {
        using var socket = protocol == ProtocolType.Udp
            ? new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

/// <summary>A running oscdump whose printed lines are collected.</summary>
internal sealed class OscDumpProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();

    public OscDumpProcess(string listenUrlOrPort)
    {
        LibloPeer.RequireTools();
        var start = new ProcessStartInfo(LibloPeer.OscDump) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(listenUrlOrPort);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_gate) _lines.Add(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_gate) _lines.Add("stderr: " + e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string[] Lines
    {
        get { lock (_gate) return [.. _lines]; }
    }

    /// <summary>Calls <paramref name="probe"/> until oscdump prints a line containing <paramref name="marker"/> (it is then listening).</summary>
    public void WaitUntilListening(Action probe, string marker)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            Assert.False(_process.HasExited, $"oscdump exited: {string.Join('\n', Lines)}");
            try
            {
                probe();
            }
            catch (SocketException)
            {
                // Not listening yet (TCP refuses the connection); try again.
            }
            Thread.Sleep(100);
            if (Lines.Any(l => l.Contains(marker, StringComparison.Ordinal))) return;
        }
        Assert.Fail($"oscdump never printed {marker}: {string.Join('\n', Lines)}");
    }

    /// <summary>Waits until at least <paramref name="count"/> lines containing <paramref name="filter"/> are printed.</summary>
    public string[] WaitForLines(string filter, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            var lines = Lines.Where(l => l.Contains(filter, StringComparison.Ordinal)).ToArray();
            if (lines.Length >= count) return lines;
            Thread.Sleep(20);
        }
        Assert.Fail($"oscdump printed {Lines.Length} lines, not {count} with '{filter}': {string.Join('\n', Lines)}");
        return [];
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5_000);
        }
        finally
        {
            _process.Dispose();
        }
    }
}
