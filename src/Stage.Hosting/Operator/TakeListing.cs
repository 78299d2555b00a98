using System.Globalization;
using Stage.Core.Logging;
using Stage.Takes;
using Stage.Takes.Export;

namespace Stage.Hosting.Operator;

/// <summary>
/// The take log as the page reads it: the takes of a shoot day and their exports (ALE, CSV, Nuke .chan, JSON).
/// Its own read-only connection (<see cref="TakeLog.OpenReadOnly"/>), so the page's reads never run on the engine
/// thread and never touch the engine's connection; the engine's WAL commits are visible to it as they land.
/// Requests come on several threads; the connection is used by one at a time.
/// </summary>
public sealed class TakeListing : IDisposable
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private TakeLog? _log;

    /// <summary>Reads the take log at <paramref name="path"/> (opened at the first request).</summary>
    public TakeListing(string path) => _path = path;

    /// <summary>
    /// The shoot days with takes (newest first) and the takes of <paramref name="day"/> in the order shot — by
    /// default the newest day (today's, once a take is shot today).
    /// </summary>
    /// <exception cref="TakeLogException">The log cannot be read.</exception>
    public (IReadOnlyList<DateOnly> Days, DateOnly Day, IReadOnlyList<TakeInfo> Takes) List(DateOnly? day)
    {
        lock (_gate)
        {
            TakeLog log = Log();
            IReadOnlyList<DateOnly> days = log.Days().OrderDescending().ToList();
            DateOnly chosen = day ?? (days.Count > 0 ? days[0] : ShootDay.Of(DateTime.Now));
            return (days, chosen, log.Takes(chosen));
        }
    }

    /// <summary>The ALE or CSV of a shoot day's takes.</summary>
    /// <exception cref="TakeLogException">No takes that day, several frame rates in one ALE, or an unknown format (the message says which).</exception>
    public TakeExport ExportDay(string format, DateOnly day)
    {
        lock (_gate)
        {
            IReadOnlyList<TakeInfo> takes = Log().Takes(day);
            string name = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (takes.Count == 0) throw new TakeLogException($"no takes on {name}");
            switch (format)
            {
                case "ale":
                    // One frame rate per ALE file, as Avid reads it.
                    string[] rates = takes.Select(t => t.FrameRate.ToString()).Distinct().ToArray();
                    if (rates.Length > 1) throw new TakeLogException($"the takes of {name} were shot at {string.Join(" and ", rates)} fps; an ALE holds one rate: use stage takes export --format ale, which writes one file per rate");
                    return new TakeExport($"{name}.ale", "text/plain; charset=utf-8", AleExporter.Write(takes));
                case "csv":
                    return new TakeExport($"{name}.csv", "text/csv; charset=utf-8", CsvExporter.Write(takes));
                default:
                    throw new TakeLogException($"'{format}' is not a day's export: ale or csv (per take: chan, json)");
            }
        }
    }

    /// <summary>The .chan (of <paramref name="camera"/>, default the hero camera) or the JSON of take <paramref name="takeId"/>.</summary>
    /// <exception cref="TakeLogException">No such take, no track of that camera, or an unknown format.</exception>
    public TakeExport ExportTake(long takeId, string format, string? camera)
    {
        lock (_gate)
        {
            TakeLog log = Log();
            TakeInfo take = log.Take(takeId);
            string day = take.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            IReadOnlyList<RecordedFrame> track = log.Track(take.Id);
            switch (format)
            {
                case "chan":
                    string id = camera ?? take.Camera;
                    if (track.All(f => f.Camera != id))
                        throw new TakeLogException($"take {take.Scene}/{take.TakeNumber} has no track of camera '{id}' (cameras: {string.Join(", ", track.Select(f => f.Camera).Distinct())})");
                    return new TakeExport($"{day}_{take.ClipName}_{id}.chan", "text/plain; charset=utf-8", ChanExporter.Write(take, track, id));
                case "json":
                    return new TakeExport($"{day}_{take.ClipName}.json", "application/json; charset=utf-8", JsonTakeExporter.Write(take, track, log.Grades(take.Id)));
                default:
                    throw new TakeLogException($"'{format}' is not a take's export: chan or json (per day: ale, csv)");
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private TakeLog Log() => _log ??= TakeLog.OpenReadOnly(_path);
}
