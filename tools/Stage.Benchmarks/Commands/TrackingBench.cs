using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Stage.Core.Configuration;
using Stage.Osc;
using Stage.Tracking;
using Stage.Tracking.Buffers;
using Stage.Tracking.Osc;

using Stage.Cli;

namespace Stage.Benchmarks.Commands;

/// <summary>
/// <c>stage bench tracking</c>: N cameras × R Hz of OSC poses over loopback into Stage's OSC source for
/// S seconds; loss, and the time from a datagram's receive stamp to its sample being readable in the
/// camera's pose buffer (p50/p99), as seen by a reader polling the buffer. With <c>--baseline liblo</c>
/// the same traffic from the same sender goes into liblo (tools/Stage.Benchmarks/Harnesses/liblo-pose-receiver.c), measured
/// the same way: stamp where recv() returns, a reader polling camera 0, the same statistics.
/// </summary>
public static class TrackingBench
{
    /// <summary>What one receiver did with the traffic.</summary>
    /// <param name="Applied">Pose messages applied, all cameras.</param>
    /// <param name="ReceiveToReadableNs">Per sample of camera 0 the reader saw: receive stamp → readable.</param>
    /// <param name="SendToReadableNs">Per sample of camera 0 the reader saw: sender's stamp → readable.</param>
    private sealed record Outcome(long Applied, List<double> ReceiveToReadableNs, List<double> SendToReadableNs);

    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var cameras = new Option<int>("--cameras") { Description = "Cameras, one OSC pose message each per tick.", DefaultValueFactory = _ => 8 };
        var rate = new Option<int>("--rate") { Description = "Poses per second per camera.", DefaultValueFactory = _ => 1000 };
        var seconds = new Option<double>("--seconds") { Description = "How long to send.", DefaultValueFactory = _ => 10 };
        var baseline = new Option<string>("--baseline")
        {
            Description = "Also run the same traffic into liblo (built with gcc from tools/Stage.Benchmarks/Harnesses/liblo-pose-receiver.c), or none.",
            DefaultValueFactory = _ => "liblo",
        };
        baseline.AcceptOnlyFromAmong("liblo", "none");
        var rounds = new Option<int>("--rounds") { Description = "Runs of each receiver, alternating Stage and liblo (the machine's load changes over time).", DefaultValueFactory = _ => 1 };
        var command = new Command("tracking",
            "Send N cameras × R Hz of OSC pose messages over loopback into Stage's OSC tracking source; print the loss and the " +
            "receive-to-sample-available latency (p50/p99), and the same for liblo fed the same traffic.") { cameras, rate, seconds, baseline, rounds };
        command.SetAction(result =>
        {
            int count = Math.Clamp(result.GetValue(cameras), 1, 64);
            int rateHz = Math.Clamp(result.GetValue(rate), 1, 10_000);
            double duration = Math.Clamp(result.GetValue(seconds), 0.5, 600);
            long ticks = (long)(duration * rateHz);
            long sent = ticks * count;
            string Line(string who, Outcome o) => string.Create(CultureInfo.InvariantCulture,
                $"{who,-6} sent {sent}, applied {o.Applied}, lost {sent - o.Applied} ({100.0 * (sent - o.Applied) / sent:0.000} %); " +
                $"receive → readable {Summary(o.ReceiveToReadableNs)}; send → readable {Summary(o.SendToReadableNs)} ({o.ReceiveToReadableNs.Count} samples of cam0 seen)");

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} cameras × {rateHz} Hz for {duration:0.#} s of OSC over loopback, one sender thread; latencies p50/p99/max in µs"));
            string? harness = result.GetValue(baseline) == "liblo" ? Harnesses.NativeHarness.LibloPoseReceiver(error) : null;
            if (result.GetValue(baseline) == "liblo" && harness is null) output.WriteLine("liblo  not measured (the harness did not build)");
            bool ok = true;
            for (int round = Math.Clamp(result.GetValue(rounds), 1, 100); round > 0; round--)
            {
                Outcome stage = RunStage(count, rateHz, ticks);
                output.WriteLine(Line("stage", stage));
                output.Flush();
                ok &= stage.Applied == sent;
                if (harness is null) continue;
                output.WriteLine(Line("liblo", RunLiblo(harness, count, rateHz, ticks, error)));
                output.Flush();
            }
            return ok ? ExitCodes.Ok : ExitCodes.Fault;
        });
        return command;
    }

    private static Outcome RunStage(int count, int rateHz, long ticks)
    {
        var config = new OscSourceConfig
        {
            Id = "bench", BindAddress = "127.0.0.1", Port = 0, Rotation = RotationForm.Euler, EulerOrder = ["pan", "tilt", "roll"],
            PositionUnit = LengthUnit.Metres, AngleUnit = AngleUnit.Degrees, Axes = AxisConvention.Stage,
            Addresses = new Dictionary<string, string> { ["pose"] = "/camera/{camera}/pose" },
        };
        var buffers = Enumerable.Range(0, count).Select(i => new PoseBuffer($"cam{i}", 0)).ToArray();
        using var source = new OscCameraSource(config, buffers.Select((b, i) => new BoundCamera(b, $"cam{i}")).ToArray());
        source.Start();
        var receiveToReadable = new double[ticks];
        var x = new float[ticks];
        var readable = new long[ticks];
        int seen = 0;
        using var stop = new CancellationTokenSource();
        var reader = new Thread(() =>
        {
            long lastWritten = 0;
            PoseBuffer watched = buffers[0];
            while (!stop.IsCancellationRequested)
            {
                long written = watched.WrittenCount;
                if (written != lastWritten && watched.TryGetLatest(out CameraSample sample))
                {
                    long now = Stopwatch.GetTimestamp();
                    lastWritten = written;
                    if (seen < ticks)
                    {
                        receiveToReadable[seen] = TicksToNs(now - sample.ReceiveTicks);
                        x[seen] = sample.PositionM.X;
                        readable[seen] = now;
                        seen++;
                    }
                }
                else
                {
                    // Both readers (here and in the liblo harness) give the core away while nothing is new.
                    Thread.Yield();
                }
            }
        }) { IsBackground = true, Name = "bench reader" };
        reader.Start();
        long[] sendTicks = Send(source.LocalEndPoint!.Port, count, rateHz, ticks);
        Thread.Sleep(200);
        stop.Cancel();
        reader.Join();
        source.Stop();
        var sendToReadable = new List<double>(seen);
        for (int i = 0; i < seen; i++) sendToReadable.Add(TicksToNs(readable[i] - sendTicks[(long)x[i]]));
        return new Outcome(buffers.Sum(b => b.WrittenCount), [.. receiveToReadable.AsSpan(0, seen)], sendToReadable);
    }

    private static Outcome RunLiblo(string harness, int count, int rateHz, long ticks, TextWriter error)
    {
        var start = new ProcessStartInfo(harness, [count.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{harness} did not start");
        int port = int.Parse(process.StandardOutput.ReadLine()!.Split(' ')[1], CultureInfo.InvariantCulture);
        long harnessClockNs = long.Parse(process.StandardOutput.ReadLine()!.Split(' ')[1], CultureInfo.InvariantCulture);
        // The send → readable figure compares two processes' clocks: both must read CLOCK_MONOTONIC.
        bool sameClock = Stopwatch.Frequency == 1_000_000_000 && Math.Abs(Stopwatch.GetTimestamp() - harnessClockNs) < 1_000_000_000;
        long[] sendTicks = Send(port, count, rateHz, ticks);
        Thread.Sleep(200);
        process.StandardInput.WriteLine("stop");
        process.StandardInput.Close();
        var receiveToReadable = new List<double>();
        var sendToReadable = new List<double>();
        long applied = 0;
        for (string? line; (line = process.StandardOutput.ReadLine()) is not null;)
        {
            string[] f = line.Split(' ');
            if (f[0] == "applied")
            {
                applied = long.Parse(f[1], CultureInfo.InvariantCulture);
            }
            else if (f[0] == "r")
            {
                receiveToReadable.Add(double.Parse(f[1], CultureInfo.InvariantCulture));
                long n = (long)double.Parse(f[2], CultureInfo.InvariantCulture);
                if (sameClock && n >= 0 && n < ticks) sendToReadable.Add(long.Parse(f[3], CultureInfo.InvariantCulture) - sendTicks[n]);
            }
        }
        process.WaitForExit();
        if (process.ExitCode != 0) error.WriteLine($"stage: {harness} exited {process.ExitCode}: {process.StandardError.ReadToEnd()}");
        return new Outcome(applied, receiveToReadable, sendToReadable);
    }

    /// <summary>
    /// One thread sends tick n's messages (camera 0 first) at start + n / rate on the monotonic clock;
    /// camera 0's x is n, so a reader can find the tick's send stamp, which is returned per tick.
    /// </summary>
    private static long[] Send(int port, int count, int rateHz, long ticks)
    {
        using var sender = new OscUdpSender(new IPEndPoint(IPAddress.Loopback, port));
        string[] addresses = [.. Enumerable.Range(0, count).Select(i => $"/camera/cam{i}/pose")];
        float[] pose = [0, 1.7f, 2, 0, 0, 0];
        var sendTicks = new long[ticks];
        long start = Stopwatch.GetTimestamp();
        for (long n = 0; n < ticks; n++)
        {
            long due = start + n * Stopwatch.Frequency / rateHz;
            while (Stopwatch.GetTimestamp() < due) Thread.Yield();
            pose[0] = n;
            sendTicks[n] = Stopwatch.GetTimestamp();
            foreach (string address in addresses) sender.SendMessage(address, pose);
        }
        return sendTicks;
    }

    private static double TicksToNs(long ticks) => ticks * 1e9 / Stopwatch.Frequency;

    private static string Summary(List<double> ns)
    {
        if (ns.Count == 0) return "—";
        ns.Sort();
        double At(double q) => ns[Math.Min(ns.Count - 1, (int)(q * ns.Count))] / 1000;
        return string.Create(CultureInfo.InvariantCulture, $"{At(0.5):0.0}/{At(0.99):0.0}/{ns[^1] / 1000:0.0}");
    }
}
