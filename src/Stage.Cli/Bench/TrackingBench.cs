using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Stage.Core.Configuration;
using Stage.Engine.Statistics;
using Stage.Osc;
using Stage.Tracking;
using Stage.Tracking.Buffers;
using Stage.Tracking.Osc;

namespace Stage.Cli.Bench;

/// <summary>
/// <c>stage bench tracking</c>: N cameras × R Hz of OSC poses over loopback into Stage's OSC source for
/// S seconds; loss, and the time from a datagram's receive stamp to its sample being readable in the
/// camera's pose buffer (p50/p99), as seen by a reader polling the buffer.
/// </summary>
public static class TrackingBench
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var cameras = new Option<int>("--cameras") { Description = "Cameras, one OSC pose message each per tick.", DefaultValueFactory = _ => 8 };
        var rate = new Option<int>("--rate") { Description = "Poses per second per camera.", DefaultValueFactory = _ => 1000 };
        var seconds = new Option<double>("--seconds") { Description = "How long to send.", DefaultValueFactory = _ => 10 };
        var command = new Command("tracking",
            "Send N cameras × R Hz of OSC pose messages over loopback into Stage's OSC tracking source; print the loss and the " +
            "receive-to-sample-available latency (p50/p99).") { cameras, rate, seconds };
        command.SetAction(result =>
        {
            int count = Math.Clamp(result.GetValue(cameras), 1, 64);
            int rateHz = Math.Clamp(result.GetValue(rate), 1, 10_000);
            double duration = Math.Max(0.5, result.GetValue(seconds));
            var config = new OscSourceConfig
            {
                Id = "bench", BindAddress = "127.0.0.1", Port = 0, Rotation = RotationForm.Euler, EulerOrder = ["pan", "tilt", "roll"],
                PositionUnit = LengthUnit.Metres, AngleUnit = AngleUnit.Degrees, Axes = AxisConvention.Stage,
                Addresses = new Dictionary<string, string> { ["pose"] = "/camera/{camera}/pose" },
            };
            var buffers = Enumerable.Range(0, count).Select(i => new PoseBuffer($"cam{i}", 0)).ToArray();
            using var source = new OscCameraSource(config, buffers.Select((b, i) => new BoundCamera(b, $"cam{i}")).ToArray());
            source.Start();
            var latency = new RollingPercentiles(1 << 16);
            using var stop = new CancellationTokenSource();
            var reader = new Thread(() =>
            {
                long seen = 0;
                PoseBuffer watched = buffers[0];
                while (!stop.IsCancellationRequested)
                {
                    long written = watched.WrittenCount;
                    if (written != seen && watched.TryGetLatest(out CameraSample sample))
                    {
                        seen = written;
                        latency.Record((Stopwatch.GetTimestamp() - sample.ReceiveTicks) * 1e6 / Stopwatch.Frequency);
                    }
                    else
                    {
                        Thread.SpinWait(20);
                    }
                }
            }) { IsBackground = true, Name = "bench reader" };
            reader.Start();
            using var sender = new OscUdpSender(new IPEndPoint(IPAddress.Loopback, source.LocalEndPoint!.Port));
            string[] addresses = [.. Enumerable.Range(0, count).Select(i => $"/camera/cam{i}/pose")];
            float[] pose = [0, 1.7f, 2, 0, 0, 0];
            long ticks = (long)(duration * rateHz), sent = 0;
            long start = Stopwatch.GetTimestamp();
            for (long n = 0; n < ticks; n++)
            {
                long due = start + n * Stopwatch.Frequency / rateHz;
                while (Stopwatch.GetTimestamp() < due) Thread.SpinWait(10);
                pose[0] = (float)(n * 1e-4);
                foreach (string address in addresses)
                {
                    sender.SendMessage(address, pose);
                    sent++;
                }
            }
            Thread.Sleep(200);
            stop.Cancel();
            reader.Join();
            source.Stop();
            long received = buffers.Sum(b => b.WrittenCount);
            PercentileSummary l = latency.Summarise();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count} cameras × {rateHz} Hz for {duration:0.#} s over loopback: sent {sent}, applied {received}, lost {sent - received} ({100.0 * (sent - received) / sent:0.000} %)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"receive → sample readable: p50 {l.P50:0.0} µs, p99 {l.P99:0.0} µs, max {l.Max:0.0} µs ({l.Count} samples of camera cam0 observed by a polling reader)"));
            return sent == received ? ExitCodes.Ok : ExitCodes.Fault;
        });
        return command;
    }
}
