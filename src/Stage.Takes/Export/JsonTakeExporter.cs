using System.Text.Json;
using System.Text.Json.Nodes;
using Stage.Core.Space;
using Stage.Core.Time;

namespace Stage.Takes.Export;

/// <summary>
/// A take as JSON for VFX: the take's record and one sample per frame and camera shaped like an
/// OpenTrackIO sample (timing with timecode and sample rate, transforms with translation in metres and
/// rotation pan/tilt/roll in degrees in OpenTrackIO's Z-up frame, lens with pinholeFocalLength mm and
/// focusDistance m), so OpenTrackIO tooling can read it. A frame at which the camera had no pose has no
/// transforms (OpenTrackIO's shape for a lens-only sample) and <c>stage.hasPose: false</c>; the take records
/// how many such frames it has (<c>framesWithoutPose</c>).
/// </summary>
public static class JsonTakeExporter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the take and its track.</summary>
    public static string Write(TakeInfo take, IReadOnlyList<RecordedFrame> track) => Write(take, track, []);

    /// <summary>Writes the take and its track, each sample with its camera's grade at that frame (<c>stage.grade</c>) where one was recorded.</summary>
    public static string Write(TakeInfo take, IReadOnlyList<RecordedFrame> track, IReadOnlyList<RecordedGrade> grades)
    {
        ArgumentNullException.ThrowIfNull(grades);
        var samples = new JsonArray();
        foreach (RecordedFrame frame in track)
        {
            TrackFrame s = frame.Sample;
            Timecode tc = take.Start + s.Frame;
            System.Numerics.Vector3 zUp = ZUpConversion.StageToOpenTrackIOTranslation(s.PositionM);
            (double pan, double tilt, double roll) = ZUpConversion.StageToOpenTrackIORotation(s.Orientation);
            var lens = new JsonObject { ["pinholeFocalLength"] = s.FocalLengthMm };
            if (!double.IsNaN(s.FocusDistanceM)) lens["focusDistance"] = s.FocusDistanceM;
            var sample = new JsonObject
            {
                ["sourceId"] = frame.Camera,
                ["frame"] = s.Frame,
                ["timing"] = new JsonObject
                {
                    ["sampleRate"] = new JsonObject { ["num"] = take.FrameRate.Numerator, ["denom"] = take.FrameRate.Denominator },
                    ["timecode"] = new JsonObject
                    {
                        ["hours"] = tc.Hours, ["minutes"] = tc.Minutes, ["seconds"] = tc.Seconds, ["frames"] = tc.Frames,
                        ["frameRate"] = new JsonObject { ["num"] = take.FrameRate.Numerator, ["denom"] = take.FrameRate.Denominator },
                        ["dropFrame"] = tc.DropFrame,
                    },
                },
                ["lens"] = lens,
                ["stage"] = new JsonObject
                {
                    ["hasPose"] = s.HasPose,
                    ["poseAgeUs"] = double.IsNaN(s.PoseAgeUs) ? null : Math.Round(s.PoseAgeUs, 1),
                    ["worldStateHash"] = TakeLog.HashText(s.StateHash),
                },
            };
            if (RecordedGrade.At(grades, GradeTarget.Camera, frame.Camera, s.Frame) is { } cdl)
            {
                sample["stage"]!["grade"] = new JsonObject
                {
                    ["slope"] = new JsonArray(cdl.SlopeR, cdl.SlopeG, cdl.SlopeB),
                    ["offset"] = new JsonArray(cdl.OffsetR, cdl.OffsetG, cdl.OffsetB),
                    ["power"] = new JsonArray(cdl.PowerR, cdl.PowerG, cdl.PowerB),
                    ["saturation"] = cdl.Saturation,
                    ["ascSop"] = cdl.SopText(),
                    ["ascSat"] = cdl.SatText(),
                };
            }
            if (s.HasPose)
            {
                sample["transforms"] = new JsonArray(new JsonObject
                {
                    ["id"] = "Camera",
                    ["translation"] = new JsonObject { ["x"] = Round(zUp.X), ["y"] = Round(zUp.Y), ["z"] = Round(zUp.Z) },
                    ["rotation"] = new JsonObject { ["pan"] = Round(pan), ["tilt"] = Round(tilt), ["roll"] = Round(roll) },
                });
            }
            samples.Add(sample);
        }
        var document = new JsonObject
        {
            ["take"] = new JsonObject
            {
                ["id"] = take.Id, ["day"] = take.Day.ToString("yyyy-MM-dd"), ["scene"] = take.Scene, ["take"] = take.TakeNumber,
                ["camera"] = take.Camera, ["clipName"] = take.ClipName, ["frameRate"] = take.FrameRate.ToRationalString(),
                ["start"] = take.Start.ToString(), ["end"] = take.End.ToString(), ["frames"] = take.FrameCount, ["droppedFrames"] = take.DroppedFrames,
                ["framesWithoutPose"] = track.Count(f => !f.Sample.HasPose),
                ["circled"] = take.Circled, ["noGood"] = take.NoGood, ["status"] = take.Status.ToString().ToLowerInvariant(),
                ["startStateHash"] = take.StartStateHash, ["endStateHash"] = take.EndStateHash,
                ["sensorMm"] = new JsonArray(take.SensorWidthMm, take.SensorHeightMm), ["notes"] = new JsonArray(take.Notes.Select(n => (JsonNode)n!).ToArray()),
                // The render cluster's nodes that drew the take and whether their worlds agreed (empty: one machine).
                ["nodes"] = new JsonArray(take.Nodes.Select(n => (JsonNode)new JsonObject
                {
                    ["node"] = n.NodeId, ["primary"] = n.Primary, ["outputs"] = new JsonArray(n.Outputs.Select(o => (JsonNode)o!).ToArray()),
                    ["drew"] = n.Drew, ["framesCompared"] = n.FramesCompared, ["framesAgreed"] = n.FramesAgreed,
                    ["firstDivergentFrame"] = n.FirstDivergentFrame < 0 ? null : n.FirstDivergentFrame, ["agreed"] = n.Primary ? null : n.Agreed,
                }).ToArray()),
            },
            ["samples"] = samples,
        };
        return document.ToJsonString(Options);
    }

    private static double Round(double value) => Math.Round(value, 6);
}
