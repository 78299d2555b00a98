using System.Text;

namespace Stage.Takes.Export;

/// <summary>
/// Avid Log Exchange for editorial: a <c>Heading</c> (tab-delimited, video format, FPS), a <c>Column</c>
/// list, and one <c>Data</c> row per take. Start is the first frame; End is one past the last, as Avid
/// reads it. Drop-frame timecode keeps its ';'. Cluster: the render cluster's verdict on the take (empty for one machine).
/// </summary>
public static class AleExporter
{
    /// <summary>The columns, in order.</summary>
    public static readonly string[] Columns = ["Name", "Tracks", "Start", "End", "Scene", "Take", "Camera", "Lens", "Circled", "Comments", "ASC_SOP", "ASC_SAT", "Cluster"];

    /// <summary>Writes the takes as one ALE document.</summary>
    public static string Write(IReadOnlyList<TakeInfo> takes, string videoFormat = "1080")
    {
        var text = new StringBuilder();
        string fps = takes.Count == 0 ? "24" : takes[0].FrameRate.ToString();
        if (takes.Any(t => t.FrameRate != takes[0].FrameRate))
            throw new ArgumentException("an ALE file holds one frame rate; export takes of different rates separately", nameof(takes));
        text.Append("Heading\n");
        text.Append("FIELD_DELIM\tTABS\n");
        text.Append("VIDEO_FORMAT\t").Append(videoFormat).Append('\n');
        text.Append("AUDIO_FORMAT\t48khz\n");
        text.Append("FPS\t").Append(fps).Append('\n');
        text.Append('\n');
        text.Append("Column\n");
        text.Append(string.Join('\t', Columns)).Append('\n');
        text.Append('\n');
        text.Append("Data\n");
        foreach (TakeInfo take in takes)
        {
            string comments = string.Join(" | ", take.Notes.Prepend(take.Status == TakeStatus.Interrupted ? "INTERRUPTED" : "")
                .Append(take.NoGood ? "NG" : "").Where(n => n.Length > 0));
            string[] row =
            [
                take.ClipName, "V", take.Start.ToString(), take.End.ToString(), take.Scene, take.TakeNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
                take.Camera, FormattableString.Invariant($"{take.FocalLengthMm:0.#}mm"), take.Circled ? "Yes" : "", comments,
                // The camera's grade at the take's last frame (the DIT's decision for the clip); empty when none was recorded.
                take.CameraCdl?.SopText() ?? "", take.CameraCdl?.SatText() ?? "",
                // Which render nodes drew the clip and whether they agreed ("4 of 4 nodes drew, all agreed"); empty for one machine.
                take.ClusterVerdict,
            ];
            text.Append(string.Join('\t', row.Select(Clean))).Append('\n');
        }
        return text.ToString();
    }

    // A tab or newline inside a field would break the columns.
    private static string Clean(string field) => field.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
}
