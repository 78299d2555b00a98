using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Stage.Takes;
using Stage.Takes.Export;

namespace Stage.Cli;

/// <summary><c>stage takes list|show|export</c>: reads the take log for the DIT.</summary>
public static class TakesCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Builds the command group.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var takes = new Command("takes", "Read the take log: list takes, show one, export to editorial (ALE, CSV) and VFX (Nuke .chan, JSON).");
        takes.Subcommands.Add(List(output, error));
        takes.Subcommands.Add(Show(output, error));
        takes.Subcommands.Add(Export(output, error));
        return takes;
    }

    private static Argument<string> Database() => new("db") { Description = "The take database (the stage configuration's takes.database)." };

    private static Option<string?> Day() => new("--day") { Description = "Only this shoot day (YYYY-MM-DD)." };

    private static Command List(TextWriter output, TextWriter error)
    {
        Argument<string> db = Database();
        Option<string?> day = Day();
        var json = new Option<bool>("--json") { Description = "Print the takes as JSON." };
        var command = new Command("list", "List takes, in the order they were shot.") { db, day, json };
        command.SetAction(result => Guard(error, () =>
        {
            using TakeLog log = TakeLog.Open(result.GetValue(db)!, create: false);
            IReadOnlyList<TakeInfo> selected = log.Takes(ParseDay(result.GetValue(day)));
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(selected.Select(Describe), JsonOptions));
                return ExitCodes.Ok;
            }
            if (selected.Count == 0)
            {
                output.WriteLine("no takes");
                return ExitCodes.Ok;
            }
            // The cluster column only where a take was drawn by a render cluster.
            bool cluster = selected.Any(t => t.Nodes.Count > 0);
            output.WriteLine($"{"id",4}  {"day",-10}  {"scene",-8} {"take",4}  {"cam",-4} {"lens",-6}  {"start",-11}  {"end",-11}  {"frames",6}  {"drop",4}  {"",1}  {"status",-11}  {(cluster ? $"{"cluster",-32}  " : "")}notes");
            foreach (TakeInfo t in selected)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{t.Id,4}  {t.Day:yyyy-MM-dd}  {t.Scene,-8} {t.TakeNumber,4}  {t.Camera,-4} {t.FocalLengthMm + "mm",-6}  {t.Start,-11}  {t.End,-11}  {t.FrameCount,6}  {t.DroppedFrames,4}  {(t.Circled ? "●" : t.NoGood ? "✗" : " "),1}  {t.Status.ToString().ToLowerInvariant(),-11}  {(cluster ? $"{(t.Nodes.Count == 0 ? "–" : t.ClusterVerdict),-32}  " : "")}{string.Join(" | ", t.Notes)}"));
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show(TextWriter output, TextWriter error)
    {
        Argument<string> db = Database();
        var take = new Argument<long>("take") { Description = "The take's id (first column of 'stage takes list')." };
        var json = new Option<bool>("--json") { Description = "Print the take as JSON." };
        var command = new Command("show", "Show one take: slate, timecode, lens, world state hashes, notes and its camera track's extent.") { db, take, json };
        command.SetAction(result => Guard(error, () =>
        {
            using TakeLog log = TakeLog.Open(result.GetValue(db)!, create: false);
            TakeInfo t = log.Take(result.GetValue(take));
            IReadOnlyList<RecordedFrame> track = log.Track(t.Id);
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new { take = Describe(t), trackSamples = track.Count, cameras = track.Select(f => f.Camera).Distinct().ToList() }, JsonOptions));
                return ExitCodes.Ok;
            }
            output.WriteLine($"Take {t.Id}: scene {t.Scene} take {t.TakeNumber} ({t.ClipName}), {t.Status.ToString().ToLowerInvariant()}{(t.Circled ? ", circled" : "")}{(t.NoGood ? ", NG" : "")}");
            output.WriteLine($"  day          {t.Day:yyyy-MM-dd}, started {t.StartedUtc.ToLocalTime():HH:mm:ss}");
            output.WriteLine($"  camera       {t.Camera}, {t.FocalLengthMm.ToString("0.#", CultureInfo.InvariantCulture)} mm on {t.SensorWidthMm.ToString("0.00", CultureInfo.InvariantCulture)} × {t.SensorHeightMm.ToString("0.00", CultureInfo.InvariantCulture)} mm");
            output.WriteLine($"  timecode     {t.Start} – {t.LastFrame} at {t.FrameRate} fps{(t.DropFrame ? " DF" : "")}, {t.FrameCount} frames, {t.DroppedFrames} dropped");
            output.WriteLine($"  world hash   start {Show(t.StartStateHash)}, end {Show(t.EndStateHash)}");
            output.WriteLine($"  track        {track.Count} samples for {string.Join(", ", track.Select(f => f.Camera).Distinct())}");
            foreach (TakeNode n in t.Nodes)
                output.WriteLine($"  node         {n.Verdict}; draws {(n.Outputs.Count == 0 ? "no output" : string.Join(", ", n.Outputs))}" +
                                 (n.FirstDivergentFrame >= 0 ? $"; first divergent frame {n.FirstDivergentFrame} ({t.Start + n.FirstDivergentFrame})" : ""));
            foreach (string note in t.Notes) output.WriteLine($"  note         {note}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Export(TextWriter output, TextWriter error)
    {
        Argument<string> db = Database();
        Option<string?> day = Day();
        var format = new Option<string>("--format") { Description = "ale (editorial), csv (take list), chan (Nuke camera track per take), json (OpenTrackIO-shaped samples per take, with each frame's grade), cdl (ASC CDL XML per take and camera: the grade at the take's end).", Required = true };
        format.AcceptOnlyFromAmong("ale", "csv", "chan", "json", "cdl");
        var take = new Option<long?>("--take") { Description = "Only this take (its id)." };
        var outDir = new Option<string>("--out") { Description = "Folder to write into (created if missing).", DefaultValueFactory = _ => "." };
        var command = new Command("export", "Export takes: ALE and CSV write one file for the selection; chan and json write one file per take.") { db, day, take, format, outDir };
        command.SetAction(result => Guard(error, () =>
        {
            using TakeLog log = TakeLog.Open(result.GetValue(db)!, create: false);
            long? takeId = result.GetValue(take);
            IReadOnlyList<TakeInfo> selected = takeId is long id ? [log.Take(id)] : log.Takes(ParseDay(result.GetValue(day)));
            if (selected.Count == 0)
            {
                error.WriteLine("stage: no takes match; nothing exported");
                return ExitCodes.Fault;
            }
            string folder = Path.GetFullPath(result.GetValue(outDir)!);
            Directory.CreateDirectory(folder);
            string name = takeId is not null ? selected[0].ClipName : result.GetValue(day) ?? "all-days";
            var written = new List<string>();
            switch (result.GetValue(format))
            {
                case "ale":
                    foreach (IGrouping<Stage.Core.Time.FrameRate, TakeInfo> group in selected.GroupBy(t => t.FrameRate))
                    {
                        string suffix = selected.Select(t => t.FrameRate).Distinct().Count() > 1 ? "-" + group.Key.ToString().Replace('/', '_') : "";
                        written.Add(WriteFile(folder, $"{name}{suffix}.ale", AleExporter.Write(group.ToList())));
                    }
                    break;
                case "csv":
                    written.Add(WriteFile(folder, $"{name}.csv", CsvExporter.Write(selected)));
                    break;
                case "chan":
                    foreach (TakeInfo t in selected)
                    {
                        IReadOnlyList<RecordedFrame> track = log.Track(t.Id);
                        foreach (string camera in track.Select(f => f.Camera).Distinct())
                            written.Add(WriteFile(folder, $"{t.Day:yyyy-MM-dd}_{t.ClipName}_{camera}.chan", ChanExporter.Write(t, track, camera))
                                        + WithoutPose(ChanExporter.FramesWithoutPose(track, camera), "left out"));
                    }
                    break;
                case "cdl":
                    foreach (TakeInfo t in selected)
                    {
                        IReadOnlyList<RecordedGrade> grades = log.Grades(t.Id);
                        foreach (string camera in grades.Where(g => g.Target == GradeTarget.Camera).Select(g => g.Id).Distinct())
                        {
                            Stage.Core.Colour.AscCdl cdl = grades.Last(g => g.Target == GradeTarget.Camera && g.Id == camera).Cdl;
                            written.Add(WriteFile(folder, $"{t.Day:yyyy-MM-dd}_{t.ClipName}_{camera}.cdl", CdlExporter.Write(t, camera, cdl)));
                        }
                    }
                    if (written.Count == 0)
                    {
                        error.WriteLine("stage: the selected takes recorded no grade; nothing exported");
                        return ExitCodes.Fault;
                    }
                    break;
                default:
                    foreach (TakeInfo t in selected)
                    {
                        IReadOnlyList<RecordedFrame> track = log.Track(t.Id);
                        written.Add(WriteFile(folder, $"{t.Day:yyyy-MM-dd}_{t.ClipName}.json", JsonTakeExporter.Write(t, track, log.Grades(t.Id)))
                                    + WithoutPose(track.Count(f => !f.Sample.HasPose), "flagged hasPose false, without transforms"));
                    }
                    break;
            }
            foreach (string file in written) output.WriteLine(file);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>What an export says about frames whose camera had no pose (nothing when there are none).</summary>
    internal static string WithoutPose(int frames, string what) =>
        frames == 0 ? "" : $"  ({frames} frame{(frames == 1 ? "" : "s")} without a camera pose: {what})";

    private static string WriteFile(string folder, string name, string content)
    {
        string path = Path.Combine(folder, name);
        // Write beside and rename, so a full disk never leaves half an export under the real name.
        string temporary = path + ".partial";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private static object Describe(TakeInfo t) => new
    {
        t.Id, Day = t.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), t.Scene, Take = t.TakeNumber, t.Camera, t.FocalLengthMm,
        FrameRate = t.FrameRate.ToRationalString(), Start = t.Start.ToString(), End = t.End.ToString(), Frames = t.FrameCount, t.DroppedFrames,
        t.Circled, t.NoGood, Status = t.Status.ToString().ToLowerInvariant(), t.StartStateHash, t.EndStateHash, t.Notes, t.ClipName,
        Nodes = t.Nodes.Select(n => new
        {
            Node = n.NodeId, n.Primary, n.Outputs, n.Drew, n.FramesCompared, n.FramesAgreed,
            FirstDivergentFrame = n.FirstDivergentFrame < 0 ? (long?)null : n.FirstDivergentFrame, Agreed = n.Primary ? (bool?)null : n.Agreed,
        }).ToList(),
    };

    private static string Show(string hash) => hash.Length == 0 ? "—" : hash;

    private static DateOnly? ParseDay(string? text)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day)) return day;
        throw new TakeLogException($"--day '{text}' is not a date written YYYY-MM-DD");
    }

    private static int Guard(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is TakeLogException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"stage: {e.Message}");
            return ExitCodes.Fault;
        }
    }
}
