using System.Buffers;
using System.Net;
using System.Text.Json;
using Stage.Core.Configuration;
using Stage.Core.Space;
using Stage.Core.Time;
using Stage.Tracking.Simulation;

namespace Stage.Tracking.OpenTrackIO;

/// <summary>
/// A simulated OpenTrackIO tracker: one JSON sample per datagram with the camera's tracked id as its
/// <c>sourceId</c>, the source number of its group, a sequence number, 24 fps timecode of the path time, the
/// camera transform in OpenTrackIO's Z-up frame and the pinhole focal length.
/// </summary>
internal sealed class OpenTrackIOSender(CameraConfig camera, OpenTrackIOSourceConfig? source) : ITrackingSender
{
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private ushort _sequence;

    public int Write(PathPoint point, double seconds, double rateHz, byte[] datagram)
    {
        _json.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(_json))
        {
            (double pan, double tilt, double roll) = ZUpConversion.StageToOpenTrackIORotation(point.Pose.Orientation);
            System.Numerics.Vector3 p = ZUpConversion.StageToOpenTrackIOTranslation(point.Pose.PositionM);
            Timecode tc = Timecode.FromFrameCount((long)(seconds * 24), FrameRate.Fps24);
            w.WriteStartObject();
            w.WriteStartObject("protocol"); w.WriteString("name", "OpenTrackIO"); w.WriteStartArray("version"); w.WriteNumberValue(1); w.WriteNumberValue(0); w.WriteNumberValue(0); w.WriteEndArray(); w.WriteEndObject();
            w.WriteString("sourceId", camera.TrackedId);
            // The source number is the last byte of the group (235.135.1.<sourceNumber> by default).
            if (source is not null && IPAddress.TryParse(source.MulticastGroup, out IPAddress? group))
                w.WriteNumber("sourceNumber", group.GetAddressBytes()[3]);
            w.WriteStartObject("timing");
            w.WriteNumber("sequenceNumber", _sequence);
            w.WriteStartObject("sampleRate"); w.WriteNumber("num", (long)Math.Round(rateHz * 1000)); w.WriteNumber("denom", 1000); w.WriteEndObject();
            w.WriteStartObject("timecode");
            w.WriteNumber("hours", tc.Hours); w.WriteNumber("minutes", tc.Minutes); w.WriteNumber("seconds", tc.Seconds); w.WriteNumber("frames", tc.Frames);
            w.WriteStartObject("frameRate"); w.WriteNumber("num", 24); w.WriteNumber("denom", 1); w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("transforms");
            w.WriteStartObject();
            w.WriteString("id", "Camera");
            w.WriteStartObject("translation"); w.WriteNumber("x", p.X); w.WriteNumber("y", p.Y); w.WriteNumber("z", p.Z); w.WriteEndObject();
            w.WriteStartObject("rotation"); w.WriteNumber("pan", pan); w.WriteNumber("tilt", tilt); w.WriteNumber("roll", roll); w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("lens"); w.WriteNumber("pinholeFocalLength", point.FocalLengthMm); w.WriteEndObject();
            w.WriteEndObject();
        }
        return OpenTrackIOHeader.Write(datagram, 0x01, _sequence++, 0, true, _json.WrittenSpan);
    }
}
