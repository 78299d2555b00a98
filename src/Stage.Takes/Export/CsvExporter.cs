using System.Globalization;
using System.Text;

namespace Stage.Takes.Export;

/// <summary>The take list as CSV (RFC 4180), one row per take, for spreadsheets and scripts.</summary>
public static class CsvExporter
{
    /// <summary>The header row's fields.</summary>
    public static readonly string[] Header =
        ["id", "day", "scene", "take", "camera", "focal_length_mm", "frame_rate", "start", "end", "frames", "dropped_frames", "circled", "ng", "status", "start_state_hash", "end_state_hash", "notes"];

    /// <summary>Writes the takes as CSV.</summary>
    public static string Write(IReadOnlyList<TakeInfo> takes)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Header)).Append("\r\n");
        foreach (TakeInfo t in takes)
        {
            string[] row =
            [
                t.Id.ToString(CultureInfo.InvariantCulture), t.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), t.Scene,
                t.TakeNumber.ToString(CultureInfo.InvariantCulture), t.Camera, t.FocalLengthMm.ToString("0.###", CultureInfo.InvariantCulture),
                t.FrameRate.ToRationalString(), t.Start.ToString(), t.End.ToString(), t.FrameCount.ToString(CultureInfo.InvariantCulture),
                t.DroppedFrames.ToString(CultureInfo.InvariantCulture), t.Circled ? "1" : "0", t.NoGood ? "1" : "0",
                t.Status.ToString().ToLowerInvariant(), t.StartStateHash, t.EndStateHash, string.Join(" | ", t.Notes),
            ];
            text.Append(string.Join(',', row.Select(Quote))).Append("\r\n");
        }
        return text.ToString();
    }

    /// <summary>Quotes a field when it holds a comma, quote or line break (RFC 4180).</summary>
    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
