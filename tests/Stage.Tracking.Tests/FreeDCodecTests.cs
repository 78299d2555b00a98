using FsCheck;
using FsCheck.Fluent;
using Stage.Tracking.FreeD;

namespace Stage.Tracking.Tests;

public class FreeDCodecTests
{
    // Built by hand from the free-d manual (A.3.2, appendix B): big-endian 24-bit two's complement fields.
    // pan −90° = −2949120 units = D3 00 00; tilt +12.5° = 409600 = 06 40 00; roll −0.5° = −16384 = FF C0 00;
    // X +1000 mm = 64000 = 00 FA 00; Y −2500.25 mm = −160016 = FD 8E F0; Z +1500.5 mm = 96032 = 01 77 20;
    // zoom 4096 = 00 10 00; focus 32768 = 00 80 00; user bits 12 34; checksum 0x40 − Σ = 0xB3.
    internal static readonly byte[] KnownPacket =
    [
        0xD1, 0x01,
        0xD3, 0x00, 0x00,
        0x06, 0x40, 0x00,
        0xFF, 0xC0, 0x00,
        0x00, 0xFA, 0x00,
        0xFD, 0x8E, 0xF0,
        0x01, 0x77, 0x20,
        0x00, 0x10, 0x00,
        0x00, 0x80, 0x00,
        0x12, 0x34,
        0xB3,
    ];

    [Fact]
    public void Known_packet_decodes_to_the_manual_values()
    {
        Assert.Equal(FreeDError.None, FreeDCodec.TryDecode(KnownPacket, out FreeDPacket p));
        Assert.Equal(1, p.CameraId);
        Assert.Equal(-90.0, p.PanDeg);
        Assert.Equal(12.5, p.TiltDeg);
        Assert.Equal(-0.5, p.RollDeg);
        Assert.Equal(1000.0, p.XMm);
        Assert.Equal(-2500.25, p.YMm);
        Assert.Equal(1500.5, p.ZMm);
        Assert.Equal(4096, p.Zoom);
        Assert.Equal(32768, p.Focus);
        Assert.Equal(0x1234, p.UserBits);
    }

    [Fact]
    public void Checksum_is_0x40_minus_the_byte_sum()
    {
        int sum = 0;
        for (int i = 0; i < 28; i++) sum += KnownPacket[i];
        Assert.Equal((byte)((0x40 - sum) & 0xFF), KnownPacket[28]);
        Assert.Equal(0xB3, FreeDCodec.Checksum(KnownPacket.AsSpan(0, 28)));
    }

    [Fact]
    public void Encoder_reproduces_the_known_packet()
    {
        FreeDPacket p = FreeDPacket.FromValues(1, -90, 12.5, -0.5, 1000, -2500.25, 1500.5, 4096, 32768, 0x1234);
        Assert.Equal(KnownPacket, FreeDCodec.Encode(p));
    }

    [Fact]
    public void Extremes_of_the_24_bit_fields_decode()
    {
        byte[] packet = (byte[])KnownPacket.Clone();
        packet[2] = 0x80; packet[3] = 0x00; packet[4] = 0x00;   // pan most negative
        packet[5] = 0x7F; packet[6] = 0xFF; packet[7] = 0xFF;   // tilt most positive
        packet[20] = 0xFF; packet[21] = 0xFF; packet[22] = 0xFF; // zoom max unsigned
        packet[28] = FreeDCodec.Checksum(packet.AsSpan(0, 28));
        Assert.Equal(FreeDError.None, FreeDCodec.TryDecode(packet, out FreeDPacket p));
        Assert.Equal(-8388608, p.PanRaw);
        Assert.Equal(8388607, p.TiltRaw);
        Assert.Equal(16777215, p.Zoom);
    }

    [Fact]
    public void Bad_checksum_length_and_type_are_typed_errors()
    {
        byte[] bad = (byte[])KnownPacket.Clone();
        bad[28] ^= 0x01;
        Assert.Equal(FreeDError.BadChecksum, FreeDCodec.TryDecode(bad, out _));
        Assert.Equal(FreeDError.WrongLength, FreeDCodec.TryDecode(KnownPacket.AsSpan(0, 28), out _));
        Assert.Equal(FreeDError.WrongLength, FreeDCodec.TryDecode([.. KnownPacket, 0x00], out _));
        byte[] d2 = (byte[])KnownPacket.Clone();
        d2[0] = 0xD2;
        d2[28] = FreeDCodec.Checksum(d2.AsSpan(0, 28));
        Assert.Equal(FreeDError.WrongMessageType, FreeDCodec.TryDecode(d2, out _));
    }

    [Fact]
    public void Out_of_range_values_are_refused_by_the_encoder()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FreeDPacket.FromValues(1, 300, 0, 0, 0, 0, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FreeDPacket.FromValues(1, 0, 0, 0, 140_000_000, 0, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FreeDPacket.FromValues(1, 0, 0, 0, 0, 0, 0, -1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FreeDCodec.Encode(new FreeDPacket { Focus = 1 << 24 }));
    }

    [Fact]
    public void Encode_then_decode_returns_the_packet()
    {
        Gen<int> signed = Gen.Choose(FreeDPacket.MinSigned24, FreeDPacket.MaxSigned24);
        Gen<int> unsigned = Gen.Choose(0, FreeDPacket.MaxUnsigned24);
        Gen<FreeDPacket> packets =
            from id in Gen.Choose(0, 255)
            from pan in signed
            from tilt in signed
            from roll in signed
            from x in signed
            from y in signed
            from z in signed
            from zoom in unsigned
            from focus in unsigned
            from user in Gen.Choose(0, 0xFFFF)
            select new FreeDPacket
            {
                CameraId = (byte)id, PanRaw = pan, TiltRaw = tilt, RollRaw = roll, XRaw = x, YRaw = y, ZRaw = z,
                Zoom = zoom, Focus = focus, UserBits = (ushort)user,
            };
        Prop.ForAll(packets.ToArbitrary(), packet =>
        {
            byte[] bytes = FreeDCodec.Encode(packet);
            return bytes.Length == 29 && FreeDCodec.TryDecode(bytes, out FreeDPacket back) == FreeDError.None && back == packet;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Physical_values_survive_to_within_half_a_wire_unit()
    {
        Gen<double> angle = Gen.Choose(-180_000, 180_000).Select(v => v / 1000.0);
        Gen<double> mm = Gen.Choose(-100_000_000, 100_000_000).Select(v => v / 1000.0);
        Prop.ForAll(angle.ToArbitrary(), angle.ToArbitrary(), mm.ToArbitrary(), (pan, tilt, xMm) =>
        {
            FreeDPacket p = FreeDPacket.FromValues(7, pan, tilt, 0, xMm, 0, 0, 0, 0);
            FreeDCodec.TryDecode(FreeDCodec.Encode(p), out FreeDPacket back);
            return Math.Abs(back.PanDeg - pan) <= 0.5 / 32768 && Math.Abs(back.TiltDeg - tilt) <= 0.5 / 32768
                && Math.Abs(back.XMm - xMm) <= 0.5 / 64;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Any_single_bit_flip_is_caught_by_the_checksum_or_the_type()
    {
        for (int bit = 0; bit < 29 * 8; bit++)
        {
            byte[] flipped = (byte[])KnownPacket.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(FreeDError.None, FreeDCodec.TryDecode(flipped, out _));
        }
    }
}
