using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Engine.Statistics;
using Stage.Engine.Status;
using Stage.Takes;
using Stage.Tracking;
using Stage.Tracking.Buffers;
using Stage.Tracking.Statistics;
using Stage.World;

namespace Stage.Hosting.Operator;

/// <summary>
/// Writes one status event for the page (Server-Sent Events, <c>event: status</c>): the engine's last published
/// snapshot, every camera's tracking read now from its pose buffer (so a silent tracker shows LOST even when
/// the engine is slow), every tracking source's counters, the thumbnails' versions, and — when asked — the
/// world's map and the recent warnings. Runs on the broadcaster's thread only, never on the frame thread.
/// </summary>
internal sealed class StatusWriter
{
    /// <summary>An engine that has published nothing for this long is shown as not responding.</summary>
    public static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(2);

    private static readonly byte[] EventHeader = Encoding.UTF8.GetBytes("event: status\ndata: ");
    private static readonly byte[] EventEnd = Encoding.UTF8.GetBytes("\n\n");

    private readonly StageConfig _stage;
    private readonly TrackingSystem _tracking;
    private readonly ThumbnailTap? _thumbnails;
    private readonly RecentWarnings _warnings;
    private readonly MemoryStream _buffer = new();
    private readonly Utf8JsonWriter _json;
    private readonly long[] _rateCount;
    private readonly long[] _rateTimestamp;
    private readonly double[] _rateHz;
    private string[] _sourceText = [];
    private long[] _sourceFaults = [];
    private long _sourcesTimestamp = long.MinValue;

    public StatusWriter(StageConfig stage, TrackingSystem tracking, ThumbnailTap? thumbnails, RecentWarnings warnings)
    {
        _stage = stage;
        _tracking = tracking;
        _thumbnails = thumbnails;
        _warnings = warnings;
        _json = new Utf8JsonWriter(_buffer, JsonOutput.Options);
        int cameras = tracking.Cameras.Count;
        _rateCount = new long[cameras];
        _rateTimestamp = new long[cameras];
        _rateHz = new double[cameras];
        Array.Fill(_rateTimestamp, long.MinValue);
    }

    /// <summary>One whole SSE event: <c>event: status</c>, the JSON on one data line, a blank line.</summary>
    public byte[] Write(EngineStatusSnapshot? engine, WorldMapSnapshot? map, bool includeWarnings)
    {
        _buffer.SetLength(0);
        _buffer.Write(EventHeader);
        _json.Reset(_buffer);
        long now = Stopwatch.GetTimestamp();
        _json.WriteStartObject();
        _json.WriteNumber("timestampFrequency", Stopwatch.Frequency);
        _json.WriteNumber("writtenTimestamp", now);
        WriteEngine(engine, now);
        WriteOutputs(engine);
        WriteCameras(engine, now);
        WriteSources(now);
        WriteTake(engine);
        WriteWorld(engine, map);
        _json.WriteNumber("warningsCount", _warnings.Count);
        if (includeWarnings) WriteWarnings();
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write(EventEnd);
        return _buffer.ToArray();
    }

    private void WriteEngine(EngineStatusSnapshot? s, long now)
    {
        _json.WriteStartObject("engine");
        _json.WriteString("stageRate", _stage.FrameRate.ToString());
        _json.WriteNumber("stageFps", _stage.FrameRate.FramesPerSecond);
        if (s is null)
        {
            _json.WriteBoolean("started", false);
            _json.WriteEndObject();
            return;
        }
        double ageMs = (now - s.PublishedTimestamp) * 1000.0 / Stopwatch.Frequency;
        _json.WriteBoolean("started", true);
        _json.WriteNumber("sequence", s.Sequence);
        _json.WriteNumber("publishedTimestamp", s.PublishedTimestamp);
        Number("statusAgeMs", ageMs);
        _json.WriteBoolean("stalled", ageMs > StallAfter.TotalMilliseconds);
        _json.WriteNumber("frame", s.Frame);
        _json.WriteString("timecode", s.Timecode.ToString());
        _json.WriteString("timecodeSource", s.TimecodeSource);
        Number("fps", s.RenderedFps);
        _json.WriteNumber("frames", s.Frames);
        _json.WriteNumber("presented", s.PresentedFrames);
        _json.WriteNumber("dropped", s.DroppedFrames);
        _json.WriteNumber("late", s.LateFrames);
        _json.WriteNumber("faulted", s.FaultedFrames);
        _json.WriteString("output", s.OutputName);
        Percentiles("frameMs", s.FrameMs.Summarise());
        Percentiles("renderMs", s.RenderMs.Summarise());
        Percentiles("poseAgeMs", s.PoseAgeMs.Summarise());
        Percentiles("poseToPresentMs", s.PoseToPresentMs.Summarise());
        _json.WriteEndObject();
    }

    private void WriteOutputs(EngineStatusSnapshot? s)
    {
        _json.WriteStartArray("outputs");
        foreach (OutputCanvas output in _stage.Outputs)
        {
            _json.WriteStartObject();
            _json.WriteString("id", output.Id);
            if (s is not null)
            {
                // One renderer hands every canvas to one output each frame: the frame counters are every output's.
                _json.WriteNumber("presented", s.PresentedFrames);
                _json.WriteNumber("late", s.LateFrames);
                _json.WriteNumber("faulted", s.FaultedFrames);
            }
            WriteThumbnail(output.Id);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
        _json.WriteStartArray("innerThumbnails");
        foreach (CameraConfig camera in _stage.Cameras)
        {
            if (_thumbnails?.Find("inner-" + camera.Id) is null) continue;
            _json.WriteStartObject();
            _json.WriteString("camera", camera.Id);
            WriteThumbnail("inner-" + camera.Id);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
    }

    private void WriteThumbnail(string id)
    {
        if (_thumbnails?.Find(id) is not Thumbnail t)
        {
            _json.WriteNull("thumbnail");
            return;
        }
        _json.WriteStartObject("thumbnail");
        _json.WriteString("id", t.Id);
        _json.WriteNumber("version", t.Version);
        _json.WriteNumber("frame", t.Frame);
        _json.WriteString("timecode", t.Timecode);
        _json.WriteNumber("width", t.Width);
        _json.WriteNumber("height", t.Height);
        _json.WriteNumber("sourceWidth", t.SourceWidth);
        _json.WriteNumber("sourceHeight", t.SourceHeight);
        _json.WriteEndObject();
    }

    private void WriteCameras(EngineStatusSnapshot? s, long now)
    {
        _json.WriteStartArray("cameras");
        for (int i = 0; i < _tracking.Cameras.Count; i++)
        {
            PoseBuffer buffer = _tracking.Cameras[i];
            CameraConfig? camera = i < _stage.Cameras.Count ? _stage.Cameras[i] : null;
            TrackingStatus status = buffer.UpdateStatus(now);
            _json.WriteStartObject();
            _json.WriteString("id", buffer.CameraId);
            _json.WriteString("source", camera?.SourceId ?? "");
            _json.WriteString("status", status switch { TrackingStatus.Tracking => "OK", TrackingStatus.Lost => "LOST", _ => "NO DATA" });
            _json.WriteNumber("losses", buffer.LossCount);
            Number("rateHz", Rate(i, buffer, now));
            if (buffer.TryGetLatest(out CameraSample sample))
            {
                Number("poseAgeMs", (now - sample.ReceiveTicks) * 1000.0 / Stopwatch.Frequency);
                _json.WriteStartArray("positionM");
                _json.WriteNumberValue(Math.Round(sample.PositionM.X, 4));
                _json.WriteNumberValue(Math.Round(sample.PositionM.Y, 4));
                _json.WriteNumberValue(Math.Round(sample.PositionM.Z, 4));
                _json.WriteEndArray();
                PanTiltRoll angles = PanTiltRoll.FromQuaternion(sample.Orientation);
                _json.WriteStartArray("panTiltRollDeg");
                _json.WriteNumberValue(Math.Round(angles.PanDeg, 3));
                _json.WriteNumberValue(Math.Round(angles.TiltDeg, 3));
                _json.WriteNumberValue(Math.Round(angles.RollDeg, 3));
                _json.WriteEndArray();
            }
            double focal = s is not null && i < s.FocalLengthMm.Length && s.FocalLengthMm[i] > 0 ? s.FocalLengthMm[i] : camera?.FocalLengthMm ?? double.NaN;
            Number("focalLengthMm", focal);
            _json.WriteBoolean("chromaKey", s is not null && i < s.ChromaKey.Length && s.ChromaKey[i]);
            _json.WriteBoolean("markers", s is not null && i < s.Markers.Length && s.Markers[i]);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
    }

    /// <summary>Samples per second, from the arrival counter over at least half a second (no sorting, no allocation).</summary>
    private double Rate(int i, PoseBuffer buffer, long now)
    {
        long count = buffer.Arrivals.Count;
        if (_rateTimestamp[i] == long.MinValue)
        {
            (_rateCount[i], _rateTimestamp[i], _rateHz[i]) = (count, now, double.NaN);
        }
        else if (now - _rateTimestamp[i] >= Stopwatch.Frequency / 2)
        {
            _rateHz[i] = (count - _rateCount[i]) * (double)Stopwatch.Frequency / (now - _rateTimestamp[i]);
            (_rateCount[i], _rateTimestamp[i]) = (count, now);
        }
        return _rateHz[i];
    }

    private void WriteSources(long now)
    {
        // The sources' counters are snapshots that copy and sort; twice a second is plenty for an operator.
        if (_sourcesTimestamp == long.MinValue || now - _sourcesTimestamp >= Stopwatch.Frequency / 2)
        {
            _sourceText = _tracking.Sources.Select(source => TrackingReport.Compact(source, now)).ToArray();
            _sourceFaults = _tracking.Sources.Select(source => source.Statistics.FaultCount).ToArray();
            _sourcesTimestamp = now;
        }
        _json.WriteStartArray("sources");
        for (int i = 0; i < _sourceText.Length; i++)
        {
            _json.WriteStartObject();
            _json.WriteString("id", _tracking.Sources[i].Config.Id);
            _json.WriteString("kind", _tracking.Sources[i].Config.Kind);
            _json.WriteString("text", _sourceText[i]);
            _json.WriteNumber("faults", _sourceFaults[i]);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
    }

    private void WriteTake(EngineStatusSnapshot? s)
    {
        _json.WriteStartObject("take");
        _json.WriteBoolean("recording", s?.Recording ?? false);
        _json.WriteNumber("revision", s?.TakesRevision ?? 0);
        _json.WriteNumber("frames", s?.TakeFrames ?? 0);
        if (s?.LastTake is TakeInfo take)
        {
            _json.WriteNumber("id", take.Id);
            _json.WriteString("scene", take.Scene);
            _json.WriteNumber("take", take.TakeNumber);
            _json.WriteString("start", take.Start.ToString());
            _json.WriteBoolean("circled", take.Circled);
            _json.WriteBoolean("noGood", take.NoGood);
        }
        _json.WriteEndObject();
    }

    private void WriteWorld(EngineStatusSnapshot? s, WorldMapSnapshot? map)
    {
        _json.WriteStartObject("world");
        bool present = s?.HasWorld ?? false;
        _json.WriteBoolean("present", present);
        if (s is not null && present)
        {
            _json.WriteNumber("step", s.WorldStep);
            _json.WriteNumber("stepRateHz", s.StepRateHz);
            Number("timeS", s.StepRateHz > 0 ? s.WorldStep / (double)s.StepRateHz : double.NaN);
            if (s.StateHashStep >= 0)
            {
                _json.WriteString("stateHash", TakeLog.HashText(s.StateHash));
                _json.WriteNumber("stateHashStep", s.StateHashStep);
            }
        }
        if (map is not null)
        {
            if (map.Rules is WorldRules rules)
            {
                _json.WriteStartObject("rules");
                Number("gravityScale", rules.GravityScale);
                Number("timeScale", rules.TimeScale);
                Number("linearDampingPerS", rules.LinearDampingPerS);
                Number("angularDampingPerS", rules.AngularDampingPerS);
                Number("gravityX", rules.GravityMps2.X);
                Number("gravityY", rules.GravityMps2.Y);
                Number("gravityZ", rules.GravityMps2.Z);
                Number("contactEventThresholdMps", rules.ContactEventThresholdMps);
                _json.WriteEndObject();
            }
            _json.WriteStartObject("map");
            _json.WriteNumber("step", map.WorldStep);
            _json.WriteNumber("total", map.TotalCount);
            _json.WriteStartArray("entities");
            for (int i = 0; i < map.Count; i++)
            {
                (float x, float y, float z) = map.PositionM(i);
                _json.WriteStartObject();
                _json.WriteNumber("id", map.Id(i));
                _json.WriteString("name", map.Name(i));
                // A ground plane's bounding radius is infinite: null, and the map leaves it out.
                Number("x", x);
                Number("y", y);
                Number("z", z);
                Number("r", map.RadiusM(i));
                _json.WriteEndObject();
            }
            _json.WriteEndArray();
            _json.WriteEndObject();
        }
        _json.WriteEndObject();
    }

    private void WriteWarnings()
    {
        _json.WriteStartArray("warnings");
        foreach (LoggedWarning warning in _warnings.Latest())
        {
            _json.WriteStartObject();
            _json.WriteString("time", warning.TimeLocal.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
            _json.WriteString("level", warning.Level.ToString());
            _json.WriteString("category", warning.Category);
            _json.WriteString("message", warning.Message);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
    }

    private void Percentiles(string name, PercentileSummary summary)
    {
        _json.WriteStartObject(name);
        Number("p50", summary.P50);
        Number("p99", summary.P99);
        Number("max", summary.Max);
        _json.WriteNumber("count", summary.Count);
        _json.WriteEndObject();
    }

    /// <summary>JSON has no NaN: a figure not known yet is null.</summary>
    private void Number(string name, double value)
    {
        if (double.IsFinite(value)) _json.WriteNumber(name, Math.Round(value, 3));
        else _json.WriteNull(name);
    }
}
