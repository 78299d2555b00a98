using Stage.Osc;

namespace Stage.Osc.Tests;

/// <summary>The byte-exact examples of the OSC 1.0 specification ("Examples Supporting the OpenSoundControl 1.0 Spec").</summary>
public class SpecificationVectorTests
{
    // 32 bytes: "/oscillator/4/frequency" ,f 440.0
    internal static readonly byte[] OscillatorFrequency =
    [
        0x2f, 0x6f, 0x73, 0x63, 0x69, 0x6c, 0x6c, 0x61,
        0x74, 0x6f, 0x72, 0x2f, 0x34, 0x2f, 0x66, 0x72,
        0x65, 0x71, 0x75, 0x65, 0x6e, 0x63, 0x79, 0x00,
        0x2c, 0x66, 0x00, 0x00, 0x43, 0xdc, 0x00, 0x00,
    ];

    // 40 bytes: "/foo" ,iisff 1000 -1 "hello" 1.234 5.678
    internal static readonly byte[] FooFiveArguments =
    [
        0x2f, 0x66, 0x6f, 0x6f, 0x00, 0x00, 0x00, 0x00,
        0x2c, 0x69, 0x69, 0x73, 0x66, 0x66, 0x00, 0x00,
        0x00, 0x00, 0x03, 0xe8, 0xff, 0xff, 0xff, 0xff,
        0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00, 0x00, 0x00,
        0x3f, 0x9d, 0xf3, 0xb6, 0x40, 0xb5, 0xb2, 0x2d,
    ];

    [Fact]
    public void Oscillator_frequency_example_decodes_to_440()
    {
        Assert.True(OscPacket.TryDecode(OscillatorFrequency, out var packet, out var error), error.ToString());
        var message = packet.Message;
        Assert.Equal("/oscillator/4/frequency", message.GetAddress());
        Assert.Equal("f", message.GetTypeTags());
        Assert.Equal(440.0f, message[0].GetFloat32());
    }

    [Fact]
    public void Oscillator_frequency_example_encodes_to_the_specified_32_bytes()
    {
        var bytes = new OscMessageData("/oscillator/4/frequency", OscValue.FromFloat32(440.0f)).ToArray();
        Assert.Equal(OscillatorFrequency, bytes);
    }

    [Fact]
    public void Foo_example_decodes_to_its_five_arguments()
    {
        Assert.True(OscPacket.TryDecode(FooFiveArguments, out var packet, out var error), error.ToString());
        var message = packet.Message;
        Assert.Equal("/foo", message.GetAddress());
        Assert.Equal("iisff", message.GetTypeTags());
        Assert.Equal(1000, message[0].GetInt32());
        Assert.Equal(-1, message[1].GetInt32());
        Assert.Equal("hello", message.GetString(2));
        Assert.Equal(1.234f, message[3].GetFloat32());
        Assert.Equal(5.678f, message[4].GetFloat32());
    }

    [Fact]
    public void Foo_example_encodes_to_the_specified_40_bytes()
    {
        var bytes = new OscMessageData("/foo",
            OscValue.FromInt32(1000), OscValue.FromInt32(-1), OscValue.FromString("hello"),
            OscValue.FromFloat32(1.234f), OscValue.FromFloat32(5.678f)).ToArray();
        Assert.Equal(FooFiveArguments, bytes);
    }

    [Fact]
    public void String_of_three_bytes_takes_four_and_string_of_four_takes_eight()
    {
        // The specification's OSC-string examples: "OSC" -> O S C \0 ; "data" -> d a t a \0 \0 \0 \0.
        var osc = new OscMessageData("/x", OscValue.FromString("OSC")).ToArray();
        var data = new OscMessageData("/x", OscValue.FromString("data")).ToArray();
        Assert.Equal("OSC\0"u8.ToArray(), osc[^4..]);
        Assert.Equal("data\0\0\0\0"u8.ToArray(), data[^8..]);
    }

    [Fact]
    public void Message_with_no_arguments_has_the_lone_comma_type_tag_string()
    {
        var bytes = new OscMessageData("/abc").ToArray();
        Assert.Equal("/abc\0\0\0\0,\0\0\0"u8.ToArray(), bytes);
        Assert.True(OscPacket.TryDecode(bytes, out var packet, out _));
        Assert.Equal(0, packet.Message.ArgumentCount);
    }

    [Fact]
    public void Message_without_type_tag_string_is_accepted_as_having_no_arguments()
    {
        // OSC 1.0: "implementations should be robust in the case of a missing OSC Type Tag String".
        Assert.True(OscPacket.TryDecode("/abc\0\0\0\0"u8, out var packet, out _));
        Assert.Equal("/abc", packet.Message.GetAddress());
        Assert.Equal(0, packet.Message.ArgumentCount);
    }
}
