using System.Numerics;
using System.Text;
using Stage.Core.Space;
using Stage.Core.Time;
using Stage.Tracking.OpenTrackIO;
using Stage.Tests.Shared;

namespace Stage.Tracking.Tests;

public class OpenTrackIOJsonParserTests
{
    // opentrackio/examples/recommended_dynamic_example.json, SMPTE RIS-OSVP camdkit (github.com/SMPTE/ris-osvp-metadata-camdkit).
    internal const string RecommendedDynamicExample = """
        {
          "tracker": { "notes": "Example generated sample.", "recording": false, "slate": "A101_A_4", "status": "Optical Good" },
          "timing": {
            "mode": "external",
            "sampleRate": { "num": 24000, "denom": 1001 },
            "timecode": { "hours": 1, "minutes": 2, "seconds": 3, "frames": 4, "frameRate": { "num": 24000, "denom": 1001 } }
          },
          "lens": {
            "distortion": [ { "radial": [ 1.0, 2.0, 3.0 ], "tangential": [ 1.0, 2.0 ], "overscan": 3.1 } ],
            "encoders": { "focus": 0.1, "iris": 0.2, "zoom": 0.3 },
            "entrancePupilOffset": 0.123,
            "fStop": 4.0,
            "pinholeFocalLength": 24.305,
            "focusDistance": 10.0,
            "projectionOffset": { "x": 0.1, "y": 0.2 }
          },
          "protocol": { "name": "OpenTrackIO", "version": [ 1, 0, 0 ] },
          "sampleId": "urn:uuid:b5c4292e-8bb7-431d-a719-9f8efa04e916",
          "sourceId": "urn:uuid:a44ae08e-f1e7-4fe9-952e-a043007073c9",
          "sourceNumber": 1,
          "transforms": [
            { "translation": { "x": 1.0, "y": 2.0, "z": 3.0 }, "rotation": { "pan": 180.0, "tilt": 90.0, "roll": 45.0 }, "id": "Camera" }
          ]
        }
        """;

    // The transforms, timing.sequenceNumber and sourceNumber of opentrackio/examples/complete_dynamic_example.json
    // (same repository); its other members are skipped by the parser and left out here for brevity.
    internal const string CompleteDynamicTransforms = """
        {
          "timing": { "sequenceNumber": 0, "timecode": { "hours": 1, "minutes": 2, "seconds": 3, "frames": 4, "frameRate": { "num": 24000, "denom": 1001 } } },
          "sourceNumber": 1,
          "transforms": [
            { "translation": { "x": 1.0, "y": 2.0, "z": 3.0 }, "rotation": { "pan": 180.0, "tilt": 90.0, "roll": 45.0 }, "id": "Dolly" },
            { "translation": { "x": 1.0, "y": 2.0, "z": 3.0 }, "rotation": { "pan": 180.0, "tilt": 90.0, "roll": 45.0 }, "scale": { "x": 1.0, "y": 2.0, "z": 3.0 }, "id": "Crane Arm" },
            { "translation": { "x": 1.0, "y": 2.0, "z": 3.0 }, "rotation": { "pan": 180.0, "tilt": 90.0, "roll": 45.0 }, "scale": { "x": 1.0, "y": 2.0, "z": 3.0 }, "id": "Camera" }
          ],
          "custom": { "pot1": 2435, "button1": false }
        }
        """;

    private static OpenTrackIOMessage Parse(string json)
    {
        var message = new OpenTrackIOMessage();
        Assert.Equal(OpenTrackIOParseError.None, OpenTrackIOJsonParser.Parse(Encoding.UTF8.GetBytes(json), message));
        return message;
    }

    /// <summary>OpenTrackIO's rotation in its own Z-up frame, built independently: intrinsic Z (pan), X (tilt), Y (roll), right-handed.</summary>
    private static Quaternion ZUpRotation(double pan, double tilt, double roll) =>
        Quaternion.CreateFromAxisAngle(Vector3.UnitZ, (float)double.DegreesToRadians(pan))
        * Quaternion.CreateFromAxisAngle(Vector3.UnitX, (float)double.DegreesToRadians(tilt))
        * Quaternion.CreateFromAxisAngle(Vector3.UnitY, (float)double.DegreesToRadians(roll));

    [Fact]
    public void Published_recommended_example_decodes_to_its_values()
    {
        OpenTrackIOMessage m = Parse(RecommendedDynamicExample);
        Assert.Equal(1, m.TransformCount);
        Assert.Equal(new Vector3(1, 3, -2), m.PositionM); // Z-up (1, 2, 3) → stage (x, z, −y)
        Assert.Equal(24.305, m.FocalLengthMm);
        Assert.Equal(10.0, m.FocusDistanceM);
        Assert.Equal(0.123, m.EntrancePupilOffsetM);
        Assert.Equal(4.0, m.Iris);
        Assert.Equal(Timecode.FromFields(1, 2, 3, 4, FrameRate.Fps23976, false), m.Timecode);
        Assert.Equal("urn:uuid:a44ae08e-f1e7-4fe9-952e-a043007073c9", m.SourceId);
        Assert.Equal(1, m.SourceNumber);
        Assert.Equal("Camera", m.LastTransformId);
        Assert.Equal(-1, m.SampleSequenceNumber);
        // The camera's view axis: OpenTrackIO forward (+Y) rotated in the Z-up frame, then taken to stage space.
        Vector3 expectedForward = ZUpConversion.PositionToStage(Vector3.Transform(Vector3.UnitY, ZUpRotation(180, 90, 45)));
        Vector3 expectedUp = ZUpConversion.PositionToStage(Vector3.Transform(Vector3.UnitZ, ZUpRotation(180, 90, 45)));
        var pose = new Pose(m.PositionM, m.Orientation);
        Assert.True(Vector3.Distance(expectedForward, pose.Forward) < 1e-5, $"{pose.Forward} vs {expectedForward}");
        Assert.True(Vector3.Distance(expectedUp, pose.Up) < 1e-5, $"{pose.Up} vs {expectedUp}");
    }

    [Fact]
    public void Transforms_of_the_complete_example_compose_in_order()
    {
        OpenTrackIOMessage m = Parse(CompleteDynamicTransforms);
        Assert.Equal(3, m.TransformCount);
        Assert.Equal(0, m.SampleSequenceNumber);
        var t = new Vector3(1, 2, 3);
        Quaternion r = ZUpRotation(180, 90, 45);
        var s = new Vector3(1, 2, 3);
        // Z-up: camera p = t0 + R0 (t1 + R1 (s1 ⊙ t2)), the first transform having no scale.
        Vector3 inner = t + Vector3.Transform(s * t, r);
        Vector3 expectedZUp = t + Vector3.Transform(inner, r);
        Vector3 expected = ZUpConversion.PositionToStage(expectedZUp);
        Assert.True(Vector3.Distance(expected, m.PositionM) < 1e-4, $"{m.PositionM} vs {expected}");
        Quaternion r3 = r * r * r;
        Vector3 expectedForward = ZUpConversion.PositionToStage(Vector3.Transform(Vector3.UnitY, r3));
        Assert.True(Vector3.Distance(expectedForward, new Pose(m.PositionM, m.Orientation).Forward) < 1e-4);
    }

    [Fact]
    public void Samples_without_transforms_have_no_pose_and_absent_lens_is_nan()
    {
        OpenTrackIOMessage m = Parse("""{"static":{"camera":{"label":"camera-b"}},"sourceId":"urn:uuid:1"}""");
        Assert.Equal(0, m.TransformCount);
        Assert.Equal("camera-b", m.CameraLabel);
        Assert.True(double.IsNaN(m.FocalLengthMm));
        Assert.Null(m.Timecode);
    }

    [Theory]
    [InlineData("""{"hours":1,"minutes":1,"seconds":0,"frames":0,"frameRate":{"num":30000,"denom":1001}}""", null)]
    [InlineData("""{"hours":1,"minutes":10,"seconds":0,"frames":0,"frameRate":{"num":30000,"denom":1001}}""", "01:10:00;00")]
    [InlineData("""{"hours":0,"minutes":0,"seconds":1,"frames":24,"frameRate":{"num":24,"denom":1}}""", null)]
    [InlineData("""{"hours":10,"minutes":0,"seconds":1,"frames":24,"format":{"frameRate":{"num":25,"denom":1}}}""", "10:00:01:24")]
    [InlineData("""{"hours":10,"minutes":0,"seconds":1,"frames":2,"frameRate":{"num":0,"denom":1}}""", null)]
    public void Timecodes_convert_or_are_flagged_invalid(string timecode, string? expected)
    {
        OpenTrackIOMessage m = Parse("{\"timing\":{\"timecode\":" + timecode + "}}");
        Assert.Equal(expected, m.Timecode?.ToString());
        Assert.Equal(expected is null, m.TimecodeInvalid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"transforms\": 5}")]
    [InlineData("{\"transforms\": [{\"translation\": {\"x\": \"1\"}}]}")]
    [InlineData("{\"transforms\": [{\"translation\": {\"x\": 1e39}}]}")]
    [InlineData("{\"lens\": {\"pinholeFocalLength\": true}}")]
    [InlineData("{} trailing")]
    [InlineData("{\"a\": 1")]
    public void Invalid_payloads_are_rejected(string json)
    {
        var message = new OpenTrackIOMessage();
        Assert.NotEqual(OpenTrackIOParseError.None, OpenTrackIOJsonParser.Parse(Encoding.UTF8.GetBytes(json), message));
    }

    [Fact]
    public void Another_protocol_name_is_refused()
    {
        var message = new OpenTrackIOMessage();
        Assert.Equal(OpenTrackIOParseError.UnknownProtocol,
            OpenTrackIOJsonParser.Parse("""{"protocol":{"name":"Other"},"transforms":[]}"""u8, message));
    }

    [Fact]
    public void Parsing_allocates_nothing()
    {
        byte[] json = Encoding.UTF8.GetBytes(RecommendedDynamicExample);
        var message = new OpenTrackIOMessage();
        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            for (int i = 0; i < 200; i++) OpenTrackIOJsonParser.Parse(json, message);
        }));
    }
}
