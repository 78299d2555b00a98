using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Tracking;
using Stage.Tracking.Buffers;
using Stage.Tracking.Simulation;
using Stage.Tracking.Statistics;

namespace Stage.Cli;

/// <summary><c>stage track monitor</c> and <c>stage track simulate</c>: watch the trackers, or be one.</summary>
public static class TrackCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var track = new Command("track", "Watch the stage's tracking inputs, or simulate a tracker.");
        track.Subcommands.Add(Monitor(output, error));
        track.Subcommands.Add(Simulate(output, error));
        return track;
    }

    private static StageConfig? Load(string path, TextWriter error)
    {
        ConfigLoadResult loaded = Stage.Tracking.StageConfigFile.Load(path);
        if (loaded.IsValid) return loaded.Config;
        error.WriteLine($"stage: {path} has {loaded.Faults.Count} faults:");
        foreach (ConfigFault fault in loaded.Faults) error.WriteLine($"  {fault}");
        return null;
    }

    private static Command Monitor(TextWriter output, TextWriter error)
    {
        var config = new Argument<string>("config") { Description = "The stage configuration." };
        var json = new Option<bool>("--json") { Description = "Print one JSON line per second instead of the table." };
        var seconds = new Option<double?>("--seconds") { Description = "Stop after this many seconds (default: until Ctrl+C)." };
        var command = new Command("monitor",
            "Listen on every tracking source of the stage and show, once a second, per camera: status (TRACKING, LOST, NO DATA), sample rate, " +
            "last pose (x y z m, pan tilt roll °), lens, arrival jitter p50/p99, and per source the errors counted.") { config, json, seconds };
        command.SetAction((result, cancellation) => Task.Run(() =>
        {
            StageConfig? stage = Load(result.GetValue(config)!, error);
            if (stage is null) return ExitCodes.Fault;
            TrackingSystem tracking;
            try
            {
                tracking = TrackingSystem.Create(stage);
                tracking.Start();
            }
            catch (Exception e) when (e is Stage.Osc.SocketSetupException or ArgumentException)
            {
                error.WriteLine($"stage: {e.Message}");
                return ExitCodes.Fault;
            }
            using (tracking)
            {
                bool asJson = result.GetValue(json);
                bool redraw = !asJson && !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
                var clock = Stopwatch.StartNew();
                double? limit = result.GetValue(seconds);
                int lines = 0;
                while (!cancellation.IsCancellationRequested && (limit is null || clock.Elapsed.TotalSeconds < limit))
                {
                    cancellation.WaitHandle.WaitOne(1000);
                    long now = Stopwatch.GetTimestamp();
                    if (asJson)
                    {
                        output.WriteLine(JsonSerializer.Serialize(new
                        {
                            seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
                            cameras = tracking.Cameras.Select(b => CameraJson(b.Snapshot(now))),
                            sources = tracking.Sources.Select(s => SourceJson(s.Statistics.Snapshot(now))),
                        }));
                    }
                    else
                    {
                        if (redraw && lines > 0) output.Write($"\u001b[{lines}A\u001b[J");
                        List<string> table = Table(tracking, now);
                        foreach (string line in table) output.WriteLine(line);
                        lines = table.Count;
                    }
                    output.Flush();
                }
                tracking.Stop();
            }
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }

    private static List<string> Table(TrackingSystem tracking, long now)
    {
        var lines = new List<string> { "camera  status     rate/s  position (m)              pan/tilt/roll (°)        lens      jitter p50/p99 ms  losses" };
        foreach (PoseBuffer buffer in tracking.Cameras)
        {
            CameraStatisticsSnapshot s = buffer.Snapshot(now);
            string pose = "—", angles = "—", lens = "—";
            if (s.Latest is CameraSample latest)
            {
                pose = Inv($"{latest.PositionM.X,7:0.000} {latest.PositionM.Y,7:0.000} {latest.PositionM.Z,7:0.000}");
                PanTiltRoll a = PanTiltRoll.FromQuaternion(latest.Orientation);
                angles = Inv($"{a.PanDeg,7:0.00} {a.TiltDeg,7:0.00} {a.RollDeg,7:0.00}");
                lens = latest.HasFocalLength ? Inv($"{latest.FocalLengthMm:0.0} mm") : "—";
            }
            string status = s.Status switch { TrackingStatus.Tracking => "TRACKING", TrackingStatus.Lost => "LOST", _ => "NO DATA" };
            string jitter = double.IsFinite(s.Samples.JitterP50Ms) ? Inv($"{s.Samples.JitterP50Ms,6:0.00}/{s.Samples.JitterP99Ms,-8:0.00}") : "     —/—       ";
            double rate = double.IsFinite(s.Samples.RatePerSecond) ? s.Samples.RatePerSecond : 0;
            lines.Add(Inv($"{s.CameraId,-7} {status,-9} {rate,7:0.0}  {pose,-25} {angles,-24} {lens,-9} {jitter}  {s.LossCount}"));
        }
        foreach (ITrackingSource source in tracking.Sources)
        {
            SourceStatisticsSnapshot s = source.Statistics.Snapshot(now);
            string drops = string.Join(", ", Enum.GetValues<TrackingDropKind>().Where(k => s.DropsOf(k) > 0).Select(k => $"{TrackingReport.KindName(k)} {s.DropsOf(k)}"));
            double packets = double.IsFinite(s.Datagrams.RatePerSecond) ? s.Datagrams.RatePerSecond : 0, samples = double.IsFinite(s.SamplesPerSecond) ? s.SamplesPerSecond : 0;
            lines.Add(Inv($"source {s.SourceId} ({source.Config.Kind} :{source.LocalEndPoint?.Port}): {packets:0.0} packets/s, {samples:0.0} samples/s{(drops.Length > 0 ? ", dropped: " + drops : "")}"));
        }
        foreach (TrackingSourceConfig unhandled in tracking.UnhandledSources) lines.Add($"source {unhandled.Id} ({unhandled.Kind}): not readable by this build");
        return lines;
    }

    private static object CameraJson(CameraStatisticsSnapshot s) => new
    {
        camera = s.CameraId,
        status = s.Status.ToString(),
        rate = Num(s.Samples.RatePerSecond, 2),
        jitterP50Ms = Num(s.Samples.JitterP50Ms, 3),
        jitterP99Ms = Num(s.Samples.JitterP99Ms, 3),
        losses = s.LossCount,
        position = s.Latest is CameraSample l ? new[] { l.PositionM.X, l.PositionM.Y, l.PositionM.Z } : null,
        panTiltRoll = s.Latest is CameraSample a ? AnglesOf(a) : null,
        focalLengthMm = s.Latest is CameraSample f && f.HasFocalLength ? f.FocalLengthMm : (double?)null,
    };

    private static double[] AnglesOf(CameraSample sample)
    {
        PanTiltRoll a = PanTiltRoll.FromQuaternion(sample.Orientation);
        return [Math.Round(a.PanDeg, 3), Math.Round(a.TiltDeg, 3), Math.Round(a.RollDeg, 3)];
    }

    private static object SourceJson(SourceStatisticsSnapshot s) => new
    {
        source = s.SourceId,
        packetsPerSecond = Num(s.Datagrams.RatePerSecond, 2),
        samplesPerSecond = Num(s.SamplesPerSecond, 2),
        malformed = s.Malformed,
        checksumErrors = s.ChecksumErrors,
        drops = Enum.GetValues<TrackingDropKind>().Where(k => s.DropsOf(k) > 0).ToDictionary(k => k.ToString(), k => s.DropsOf(k)),
    };

    private static Command Simulate(TextWriter output, TextWriter error)
    {
        var config = new Argument<string>("config") { Description = "The stage configuration." };
        var camera = new Option<string?>("--camera") { Description = "Camera id (default: the first camera)." };
        var path = new Option<string>("--path") { Description = "orbit, dolly, handheld, or a CSV file of time,x,y,z,pan,tilt,roll[,focalMm].", DefaultValueFactory = _ => "orbit" };
        var protocol = new Option<string?>("--protocol") { Description = $"{string.Join(", ", TrackingProtocols.All.Select(p => p.Kind))} (default: the camera's source kind)." };
        protocol.AcceptOnlyFromAmong([.. TrackingProtocols.All.Select(p => p.Kind)]);
        var rate = new Option<double>("--rate") { Description = "Samples per second.", DefaultValueFactory = _ => 60 };
        var seconds = new Option<double?>("--seconds") { Description = "Stop after this many seconds (default: until Ctrl+C)." };
        var target = new Option<string?>("--target") { Description = "Host to send to (default: 127.0.0.1, or the OpenTrackIO multicast group)." };
        var command = new Command("simulate",
            "Be a tracker: send a camera's moves (orbit, dolly, handheld or a recorded CSV) at a fixed rate to its tracking source, in the " +
            "source's protocol, for demos and rehearsals without a tracking system. Prints progress once a second.")
        { config, camera, path, protocol, rate, seconds, target };
        command.SetAction((result, cancellation) => Task.Run(() =>
        {
            StageConfig? stage = Load(result.GetValue(config)!, error);
            if (stage is null) return ExitCodes.Fault;
            string cameraId = result.GetValue(camera) ?? stage.Cameras[0].Id;
            CameraConfig? cameraConfig = stage.Cameras.FirstOrDefault(c => c.Id == cameraId);
            if (cameraConfig is null)
            {
                error.WriteLine($"stage: no camera '{cameraId}' (cameras: {string.Join(", ", stage.Cameras.Select(c => c.Id))})");
                return ExitCodes.Fault;
            }
            TrackingSourceConfig source = stage.FindSource(cameraConfig.SourceId)!;
            ITrackingProtocol wire = TrackingProtocols.Find(result.GetValue(protocol) ?? source.Kind) ?? TrackingProtocols.Of(source);
            double rateHz = result.GetValue(rate);
            if (!(rateHz > 0 && rateHz <= 10_000))
            {
                error.WriteLine($"stage: --rate {rateHz} must be between 0 and 10000");
                return ExitCodes.Fault;
            }
            try
            {
                CameraPath cameraPath = CameraPath.Create(result.GetValue(path)!, cameraConfig.FocalLengthMm);
                IPEndPoint endpoint = SimulatedTracker.DefaultTarget(source, result.GetValue(target));
                ITrackingSender sender = wire.CreateSender(cameraConfig, source) ?? throw new ArgumentException($"{wire.Name} has no simulated tracker; simulate another protocol with --protocol");
                using var tracker = new SimulatedTracker(sender, cameraPath, endpoint);
                error.WriteLine($"simulating camera {cameraId} ({result.GetValue(path)}) over {wire.Name} to {endpoint} at {rateHz} Hz; Ctrl+C stops");
                tracker.Run(rateHz, result.GetValue(seconds), cancellation, (n, point) =>
                {
                    PanTiltRoll a = point.Pose.Angles;
                    output.WriteLine(Inv($"{n / rateHz,6:0.0} s  sent {n + 1}  at ({point.Pose.PositionM.X:0.000}, {point.Pose.PositionM.Y:0.000}, {point.Pose.PositionM.Z:0.000}) m  pan {a.PanDeg:0.0}° tilt {a.TiltDeg:0.0}° roll {a.RollDeg:0.0}°  {point.FocalLengthMm:0.0} mm"));
                    output.Flush();
                });
                error.WriteLine($"sent {tracker.SentCount} samples");
            }
            catch (Exception e) when (e is FormatException or ArgumentException or System.Net.Sockets.SocketException)
            {
                error.WriteLine($"stage: {e.Message}");
                return ExitCodes.Fault;
            }
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }

    // JSON has no NaN: a figure with no samples yet is null.
    private static double? Num(double value, int digits) => double.IsFinite(value) ? Math.Round(value, digits) : null;

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
