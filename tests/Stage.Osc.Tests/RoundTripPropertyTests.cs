using FsCheck;
using FsCheck.Fluent;
using Stage.Osc;

namespace Stage.Osc.Tests;

/// <summary>Property: encoding then decoding gives back exactly what was encoded, for every type.</summary>
public class RoundTripPropertyTests
{
    private static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static bool RoundTrips(OscPacketData original)
    {
        var bytes = original.ToArray();
        if (bytes.Length % 4 != 0) return false;
        if (!OscPacket.TryDecode(bytes, out var packet, out var error)) throw new InvalidOperationException($"{error} for {original}");
        return packet.ToData().Equals(original);
    }

    [Fact]
    public void Messages_of_every_type_round_trip() =>
        Check.One(Many, Prop.ForAll(OscGenerators.Message.ToArbitrary(), message => RoundTrips(message)));

    [Fact]
    public void Nested_bundles_round_trip() =>
        Check.One(Many, Prop.ForAll(OscGenerators.Bundle.ToArbitrary(), bundle => RoundTrips(bundle)));

    [Fact]
    public void Each_scalar_type_round_trips_alone() =>
        Check.One(Many, Prop.ForAll(OscGenerators.Scalar.ToArbitrary(), value => RoundTrips(new OscMessageData("/v", value))));

    [Fact]
    public void Encoded_length_matches_bytes_written() =>
        Check.One(Many, Prop.ForAll(OscGenerators.Packet.ToArbitrary(), packet =>
        {
            var destination = new byte[packet.GetEncodedLength() + 64];
            return OscEncoder.Encode(packet, destination) == packet.GetEncodedLength();
        }));

    [Fact]
    public void Span_writer_and_managed_encoder_agree() =>
        Check.One(Many, Prop.ForAll(OscGenerators.Message.ToArbitrary(), message =>
        {
            Span<byte> buffer = stackalloc byte[8192];
            var writer = new OscWriter(buffer);
            writer.BeginMessage(message.Address);
            foreach (var value in message.Arguments) writer.Write(value);
            writer.EndMessage();
            return writer.WrittenSpan.SequenceEqual(message.ToArray());
        }));
}
