using FsCheck;
using FsCheck.Fluent;
using Stage.Osc;

namespace Stage.Osc.Tests;

/// <summary>Property: no input, random or mutated, makes the decoder throw; failures are typed and placed.</summary>
public class DecoderFuzzTests
{
    private static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(2000);

    private static bool DecodesOrFailsCleanly(byte[] bytes)
    {
        if (OscPacket.TryDecode(bytes, out var packet, out var error))
        {
            // Whatever decoded must be readable end to end without throwing.
            _ = packet.ToData();
            return error.Kind == OscErrorKind.None;
        }
        return error.Kind != OscErrorKind.None && error.OffsetBytes >= 0 && error.OffsetBytes <= bytes.Length;
    }

    [Fact]
    public void Random_bytes_never_throw() =>
        Check.One(Many, Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().ToArbitrary(), DecodesOrFailsCleanly));

    [Fact]
    public void Random_bytes_after_a_message_or_bundle_prefix_never_throw()
    {
        var prefixed =
            from prefix in Gen.Elements("/", "/a\0\0,", "/a\0\0,s", "/a\0\0,b\0\0", "#bundle\0", "#bundle\0\0\0\0\0\0\0\0\x01")
            from tail in ArbMap.Default.GeneratorFor<byte[]>()
            select System.Text.Encoding.Latin1.GetBytes(prefix).Concat(tail).ToArray();
        Check.One(Many, Prop.ForAll(prefixed.ToArbitrary(), DecodesOrFailsCleanly));
    }

    [Fact]
    public void Every_truncation_of_a_valid_packet_fails_with_a_typed_error()
    {
        var cases =
            from packet in OscGenerators.Packet
            let bytes = packet.ToArray()
            from cut in Gen.Choose(0, Math.Max(0, bytes.Length - 1))
            select (bytes, cut);
        Check.One(Many, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var truncated = c.bytes[..c.cut];
            // A prefix can itself be a valid packet (e.g. a bundle cut at an element boundary); otherwise it must fail cleanly.
            return DecodesOrFailsCleanly(truncated);
        }));
    }

    [Fact]
    public void Single_byte_mutations_of_valid_packets_never_throw()
    {
        var cases =
            from packet in OscGenerators.Packet
            let bytes = packet.ToArray()
            from at in Gen.Choose(0, bytes.Length - 1)
            from value in ArbMap.Default.GeneratorFor<byte>()
            select (bytes, at, value);
        Check.One(Many, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var mutated = (byte[])c.bytes.Clone();
            mutated[c.at] = c.value;
            return DecodesOrFailsCleanly(mutated);
        }));
    }

    [Fact]
    public void Truncated_messages_are_rejected_not_misread()
    {
        // A bare message cut anywhere can never be valid: its last argument or padding is missing.
        var cases =
            from message in OscGenerators.Message
            let bytes = message.ToArray()
            from cut in Gen.Choose(1, bytes.Length - 1)
            select bytes[..cut];
        Check.One(Many, Prop.ForAll(cases.ToArbitrary(), bytes =>
        {
            var ok = OscPacket.TryDecode(bytes, out _, out var error);
            // Exception: a message cut right after its address is the legal "no type tags" form.
            var addressEnd = (bytes.AsSpan().IndexOf((byte)0) + 4) & ~3;
            return ok ? bytes.Length == addressEnd : error.IsError;
        }));
    }
}
