using System.Numerics;
using System.Text.Json;
using Stage.Core.Space;
using Stage.Core.Time;

namespace Stage.Tracking.OpenTrackIO;

/// <summary>Why a JSON payload was rejected.</summary>
public enum OpenTrackIOParseError
{
    /// <summary>Parsed.</summary>
    None,
    /// <summary>Not a JSON object, or not valid JSON.</summary>
    InvalidJson,
    /// <summary>A field Stage uses has the wrong type or an impossible value (non-finite pose, too many transforms).</summary>
    InvalidField,
    /// <summary>protocol.name is present and is not "OpenTrackIO".</summary>
    UnknownProtocol,
}

/// <summary>
/// Parses an OpenTrackIO JSON sample (schema 1.0; older drafts' timecode.format.frameRate is accepted too)
/// with <see cref="Utf8JsonReader"/>, reading only what Stage uses and skipping the rest:
/// <list type="bullet">
/// <item><c>transforms</c>: composed in order, the first the outermost (e.g. dolly → crane arm → camera):
/// each maps its child's frame into its parent's as p ↦ translation + rotation · (scale ⊙ p); the camera's
/// orientation is the product of the rotations. Translation metres, rotation pan/tilt/roll degrees applied
/// Z-X-Y in OpenTrackIO's Z-up frame, each turned into stage space by <see cref="ZUpConversion"/> (the one place).</item>
/// <item><c>lens.pinholeFocalLength</c> mm, <c>lens.focusDistance</c> m, <c>lens.entrancePupilOffset</c> m, <c>lens.fStop</c> (or <c>tStop</c>).</item>
/// <item><c>timing.timecode</c> (hours, minutes, seconds, frames, frameRate {num, denom}) → <see cref="Timecode"/>, drop-frame at 29.97/59.94 unless <c>dropFrame</c> says otherwise; <c>timing.sequenceNumber</c>.</item>
/// <item><c>sourceId</c>, <c>sourceNumber</c>, <c>static.camera.label</c>, the last transform's <c>id</c>: the identifiers a camera's trackedId is matched against.</item>
/// </list>
/// Never throws, allocates nothing for well-formed input.
/// </summary>
public static class OpenTrackIOJsonParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    /// <summary>Parses <paramref name="json"/> into <paramref name="message"/> (reset first).</summary>
    public static OpenTrackIOParseError Parse(ReadOnlySpan<byte> json, OpenTrackIOMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Reset();
        Span<Vector3> translations = stackalloc Vector3[OpenTrackIOMessage.MaxTransforms];
        Span<Quaternion> rotations = stackalloc Quaternion[OpenTrackIOMessage.MaxTransforms];
        Span<Vector3> scales = stackalloc Vector3[OpenTrackIOMessage.MaxTransforms];
        int transformCount = 0;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return OpenTrackIOParseError.InvalidJson;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                OpenTrackIOParseError error;
                if (reader.ValueTextEquals("transforms"u8))
                    error = ReadTransforms(ref reader, message, translations, rotations, scales, out transformCount);
                else if (reader.ValueTextEquals("lens"u8)) error = ReadLens(ref reader, message);
                else if (reader.ValueTextEquals("timing"u8)) error = ReadTiming(ref reader, message);
                else if (reader.ValueTextEquals("static"u8)) error = ReadStatic(ref reader, message);
                else if (reader.ValueTextEquals("protocol"u8)) error = ReadProtocol(ref reader);
                else if (reader.ValueTextEquals("sourceId"u8))
                {
                    reader.Read();
                    error = ReadIdentifier(ref reader, out bool present, out ReadOnlySpan<byte> id);
                    if (present) message.SetSourceId(id);
                }
                else if (reader.ValueTextEquals("sourceNumber"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long number))
                    {
                        message.SourceNumber = number;
                        error = OpenTrackIOParseError.None;
                    }
                    else error = Skip(ref reader, nullOk: true);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                    error = OpenTrackIOParseError.None;
                }
                if (error != OpenTrackIOParseError.None) return error;
            }
            if (reader.TokenType != JsonTokenType.EndObject) return OpenTrackIOParseError.InvalidJson;
            // Anything after the root object is invalid; the reader throws on it.
            if (reader.Read()) return OpenTrackIOParseError.InvalidJson;
        }
        catch (JsonException)
        {
            return OpenTrackIOParseError.InvalidJson;
        }
        catch (InvalidOperationException)
        {
            return OpenTrackIOParseError.InvalidJson;
        }

        if (transformCount > 0)
        {
            // Fold from the camera outwards: p = t_i + R_i (s_i ⊙ p), Q = R_0 · R_1 · … · R_{n−1}.
            Vector3 position = Vector3.Zero;
            for (int i = transformCount - 1; i >= 0; i--)
                position = translations[i] + Vector3.Transform(scales[i] * position, rotations[i]);
            Quaternion orientation = Quaternion.Identity;
            for (int i = 0; i < transformCount; i++) orientation *= rotations[i];
            orientation = Quaternion.Normalize(orientation);
            if (!IsFinite(position) || !float.IsFinite(orientation.X) || !float.IsFinite(orientation.Y)
                || !float.IsFinite(orientation.Z) || !float.IsFinite(orientation.W))
                return OpenTrackIOParseError.InvalidField;
            message.TransformCount = transformCount;
            message.PositionM = position;
            message.Orientation = orientation;
        }
        return OpenTrackIOParseError.None;
    }

    private static OpenTrackIOParseError ReadTransforms(ref Utf8JsonReader reader, OpenTrackIOMessage message,
        scoped Span<Vector3> translations, scoped Span<Quaternion> rotations, scoped Span<Vector3> scales, out int count)
    {
        count = 0;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return OpenTrackIOParseError.None;
        if (reader.TokenType != JsonTokenType.StartArray) return OpenTrackIOParseError.InvalidField;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || count == OpenTrackIOMessage.MaxTransforms) return OpenTrackIOParseError.InvalidField;
            double tx = 0, ty = 0, tz = 0, pan = 0, tilt = 0, roll = 0, sx = 1, sy = 1, sz = 1;
            message.ClearLastTransformId();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                OpenTrackIOParseError error;
                if (reader.ValueTextEquals("translation"u8)) error = ReadTriple(ref reader, "x"u8, "y"u8, "z"u8, ref tx, ref ty, ref tz);
                else if (reader.ValueTextEquals("rotation"u8)) error = ReadTriple(ref reader, "pan"u8, "tilt"u8, "roll"u8, ref pan, ref tilt, ref roll);
                else if (reader.ValueTextEquals("scale"u8)) error = ReadTriple(ref reader, "x"u8, "y"u8, "z"u8, ref sx, ref sy, ref sz);
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    error = ReadIdentifier(ref reader, out bool present, out ReadOnlySpan<byte> id);
                    if (present) message.SetLastTransformId(id);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                    error = OpenTrackIOParseError.None;
                }
                if (error != OpenTrackIOParseError.None) return error;
            }
            translations[count] = ZUpConversion.OpenTrackIOTranslationToStage(tx, ty, tz);
            rotations[count] = ZUpConversion.OpenTrackIORotationToStage(pan, tilt, roll);
            // Scale factors along Z-up x, y (forward), z (up) act along stage x, −z and y: magnitudes (x, z, y).
            scales[count] = new Vector3((float)sx, (float)sz, (float)sy);
            count++;
        }
        return OpenTrackIOParseError.None;
    }

    private static OpenTrackIOParseError ReadLens(ref Utf8JsonReader reader, OpenTrackIOMessage message)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return OpenTrackIOParseError.None;
        if (reader.TokenType != JsonTokenType.StartObject) return OpenTrackIOParseError.InvalidField;
        double tStop = double.NaN;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            double value = double.NaN;
            OpenTrackIOParseError error;
            if (reader.ValueTextEquals("pinholeFocalLength"u8)) { error = ReadNumber(ref reader, ref value); message.FocalLengthMm = value; }
            else if (reader.ValueTextEquals("focusDistance"u8)) { error = ReadNumber(ref reader, ref value); message.FocusDistanceM = value; }
            else if (reader.ValueTextEquals("entrancePupilOffset"u8)) { error = ReadNumber(ref reader, ref value); message.EntrancePupilOffsetM = value; }
            else if (reader.ValueTextEquals("fStop"u8)) { error = ReadNumber(ref reader, ref value); message.Iris = value; }
            else if (reader.ValueTextEquals("tStop"u8)) error = ReadNumber(ref reader, ref tStop);
            else
            {
                reader.Read();
                reader.Skip();
                error = OpenTrackIOParseError.None;
            }
            if (error != OpenTrackIOParseError.None) return error;
        }
        if (double.IsNaN(message.Iris)) message.Iris = tStop;
        return OpenTrackIOParseError.None;
    }

    private static OpenTrackIOParseError ReadTiming(ref Utf8JsonReader reader, OpenTrackIOMessage message)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return OpenTrackIOParseError.None;
        if (reader.TokenType != JsonTokenType.StartObject) return OpenTrackIOParseError.InvalidField;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            OpenTrackIOParseError error;
            if (reader.ValueTextEquals("timecode"u8)) error = ReadTimecode(ref reader, message);
            else if (reader.ValueTextEquals("sequenceNumber"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long sequence) && sequence >= 0)
                {
                    message.SampleSequenceNumber = sequence;
                    error = OpenTrackIOParseError.None;
                }
                else error = Skip(ref reader, nullOk: true);
            }
            else
            {
                reader.Read();
                reader.Skip();
                error = OpenTrackIOParseError.None;
            }
            if (error != OpenTrackIOParseError.None) return error;
        }
        return OpenTrackIOParseError.None;
    }

    private static OpenTrackIOParseError ReadTimecode(ref Utf8JsonReader reader, OpenTrackIOMessage message)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return OpenTrackIOParseError.None;
        if (reader.TokenType != JsonTokenType.StartObject) return OpenTrackIOParseError.InvalidField;
        long hours = -1, minutes = -1, seconds = -1, frames = -1, num = 0, denom = 0;
        int dropFrame = -1; // −1: not given
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            OpenTrackIOParseError error = OpenTrackIOParseError.None;
            if (reader.ValueTextEquals("hours"u8)) error = ReadInteger(ref reader, ref hours);
            else if (reader.ValueTextEquals("minutes"u8)) error = ReadInteger(ref reader, ref minutes);
            else if (reader.ValueTextEquals("seconds"u8)) error = ReadInteger(ref reader, ref seconds);
            else if (reader.ValueTextEquals("frames"u8)) error = ReadInteger(ref reader, ref frames);
            else if (reader.ValueTextEquals("frameRate"u8)) error = ReadRational(ref reader, ref num, ref denom);
            else if (reader.ValueTextEquals("dropFrame"u8)) error = ReadBoolean(ref reader, ref dropFrame);
            else if (reader.ValueTextEquals("format"u8))
            {
                // Draft schemas: "format": { "frameRate": {num, denom}, "dropFrame": bool, "subFrame": n }.
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject) error = Skip(ref reader, nullOk: true);
                else
                {
                    while (error == OpenTrackIOParseError.None && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("frameRate"u8)) error = ReadRational(ref reader, ref num, ref denom);
                        else if (reader.ValueTextEquals("dropFrame"u8)) error = ReadBoolean(ref reader, ref dropFrame);
                        else
                        {
                            reader.Read();
                            reader.Skip();
                        }
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
            if (error != OpenTrackIOParseError.None) return error;
        }
        message.Timecode = MakeTimecode(hours, minutes, seconds, frames, num, denom, dropFrame);
        message.TimecodeInvalid = message.Timecode is null;
        return OpenTrackIOParseError.None;
    }

    private static Timecode? MakeTimecode(long hours, long minutes, long seconds, long frames, long num, long denom, int dropFrameFlag)
    {
        if (hours is < 0 or > 23 || minutes is < 0 or > 59 || seconds is < 0 or > 59 || frames < 0) return null;
        if (num <= 0 || denom <= 0 || num > int.MaxValue || denom > uint.MaxValue) return null;
        var rate = new FrameRate(num, denom);
        if (frames >= rate.TimecodeBase) return null;
        bool dropFrame = dropFrameFlag < 0 ? Timecode.DefaultDropFrame(rate) : dropFrameFlag == 1;
        if (dropFrame && !rate.SupportsDropFrame) return null;
        if (dropFrame && seconds == 0 && minutes % 10 != 0 && frames < rate.DropFramesPerMinute) return null;
        try
        {
            return Timecode.FromFields((int)hours, (int)minutes, (int)seconds, (int)frames, rate, dropFrame);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static OpenTrackIOParseError ReadStatic(ref Utf8JsonReader reader, OpenTrackIOMessage message)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return OpenTrackIOParseError.None;
        if (reader.TokenType != JsonTokenType.StartObject) return OpenTrackIOParseError.InvalidField;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("camera"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                if (Skip(ref reader, nullOk: true) != OpenTrackIOParseError.None) return OpenTrackIOParseError.InvalidField;
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("label"u8))
                {
                    reader.Read();
                    OpenTrackIOParseError error = ReadIdentifier(ref reader, out bool present, out ReadOnlySpan<byte> label);
                    if (error != OpenTrackIOParseError.None) return error;
                    if (present) message.SetCameraLabel(label);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        return OpenTrackIOParseError.None;
    }

    private static OpenTrackIOParseError ReadProtocol(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return OpenTrackIOParseError.None;
        if (reader.TokenType != JsonTokenType.StartObject) return OpenTrackIOParseError.InvalidField;
        bool known = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) return OpenTrackIOParseError.InvalidField;
                known = reader.ValueTextEquals("OpenTrackIO"u8);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return known ? OpenTrackIOParseError.None : OpenTrackIOParseError.UnknownProtocol;
    }

    /// <summary>A string identifier at the current token; escaped strings are not matchable and count as absent.</summary>
    private static OpenTrackIOParseError ReadIdentifier(ref Utf8JsonReader reader, out bool present, out ReadOnlySpan<byte> utf8)
    {
        present = false;
        utf8 = default;
        if (reader.TokenType == JsonTokenType.Null) return OpenTrackIOParseError.None;
        if (reader.TokenType != JsonTokenType.String) return OpenTrackIOParseError.InvalidField;
        if (reader.ValueIsEscaped || reader.HasValueSequence) return OpenTrackIOParseError.None;
        utf8 = reader.ValueSpan;
        present = true;
        return OpenTrackIOParseError.None;
    }

    private static OpenTrackIOParseError ReadTriple(ref Utf8JsonReader reader, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c,
        ref double va, ref double vb, ref double vc)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return OpenTrackIOParseError.None;
        if (reader.TokenType != JsonTokenType.StartObject) return OpenTrackIOParseError.InvalidField;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            OpenTrackIOParseError error;
            if (reader.ValueTextEquals(a)) error = ReadNumber(ref reader, ref va);
            else if (reader.ValueTextEquals(b)) error = ReadNumber(ref reader, ref vb);
            else if (reader.ValueTextEquals(c)) error = ReadNumber(ref reader, ref vc);
            else
            {
                reader.Read();
                reader.Skip();
                error = OpenTrackIOParseError.None;
            }
            if (error != OpenTrackIOParseError.None) return error;
        }
        return OpenTrackIOParseError.None;
    }

    private static OpenTrackIOParseError ReadRational(ref Utf8JsonReader reader, ref long num, ref long denom)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject) return Skip(ref reader, nullOk: true);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            OpenTrackIOParseError error;
            if (reader.ValueTextEquals("num"u8)) error = ReadInteger(ref reader, ref num);
            else if (reader.ValueTextEquals("denom"u8)) error = ReadInteger(ref reader, ref denom);
            else
            {
                reader.Read();
                reader.Skip();
                error = OpenTrackIOParseError.None;
            }
            if (error != OpenTrackIOParseError.None) return error;
        }
        return OpenTrackIOParseError.None;
    }

    private static OpenTrackIOParseError ReadNumber(ref Utf8JsonReader reader, ref double value)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return OpenTrackIOParseError.None;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double v) || !double.IsFinite(v)) return OpenTrackIOParseError.InvalidField;
        value = v;
        return OpenTrackIOParseError.None;
    }

    private static OpenTrackIOParseError ReadInteger(ref Utf8JsonReader reader, ref long value)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long v)) return OpenTrackIOParseError.InvalidField;
        value = v;
        return OpenTrackIOParseError.None;
    }

    private static OpenTrackIOParseError ReadBoolean(ref Utf8JsonReader reader, ref int flag)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.True) flag = 1;
        else if (reader.TokenType == JsonTokenType.False) flag = 0;
        else return OpenTrackIOParseError.InvalidField;
        return OpenTrackIOParseError.None;
    }

    private static OpenTrackIOParseError Skip(ref Utf8JsonReader reader, bool nullOk)
    {
        if (reader.TokenType == JsonTokenType.Null && nullOk) return OpenTrackIOParseError.None;
        return OpenTrackIOParseError.InvalidField;
    }

    private static bool IsFinite(Vector3 v) => float.IsFinite(v.X) && float.IsFinite(v.Y) && float.IsFinite(v.Z);
}
