using FsCheck;
using FsCheck.Fluent;
using Stage.Osc;

namespace Stage.Osc.Tests;

/// <summary>FsCheck generators for random OSC values, messages and nested bundles of every type.</summary>
internal static class OscGenerators
{
    private static readonly Gen<int> AnyInt = ArbMap.Default.GeneratorFor<int>();
    private static readonly Gen<long> AnyLong = ArbMap.Default.GeneratorFor<long>();
    private static readonly Gen<byte> AnyByte = ArbMap.Default.GeneratorFor<byte>();

    /// <summary>Floats drawn from raw bit patterns, so NaNs, infinities and subnormals occur.</summary>
    private static readonly Gen<float> AnyFloat = Gen.OneOf(AnyInt.Select(BitConverter.Int32BitsToSingle), ArbMap.Default.GeneratorFor<float>());

    private static readonly Gen<double> AnyDouble = Gen.OneOf(AnyLong.Select(BitConverter.Int64BitsToDouble), ArbMap.Default.GeneratorFor<double>());

    /// <summary>Strings of printable ASCII and some non-ASCII letters (UTF-8 multi-byte), never NUL.</summary>
    public static readonly Gen<string> Text =
        Gen.Elements("abcxyzABC019 /_-.,#*é€日".ToCharArray()).ListOf().Select(chars => new string([.. chars]));

    /// <summary>An address: one to four parts of text without '/'.</summary>
    public static readonly Gen<string> Address =
        Gen.Elements("abcxyz019_-".ToCharArray()).NonEmptyListOf().Select(c => new string([.. c]))
            .NonEmptyListOf().Select(parts => "/" + string.Join('/', parts.Take(4)));

    /// <summary>A single argument of any non-array type.</summary>
    public static readonly Gen<OscValue> Scalar = Gen.OneOf(
        AnyInt.Select(OscValue.FromInt32),
        AnyFloat.Select(OscValue.FromFloat32),
        Text.Select(OscValue.FromString),
        AnyByte.ArrayOf().Select(OscValue.FromBlob),
        AnyLong.Select(OscValue.FromInt64),
        AnyLong.Select(l => OscValue.FromTimeTag(new OscTimeTag((ulong)l))),
        AnyDouble.Select(OscValue.FromFloat64),
        Text.Select(OscValue.FromSymbol),
        Gen.Choose(1, 255).Select(c => OscValue.FromChar((char)c)),
        AnyInt.Select(c => OscValue.FromColor(OscColor.FromPacked((uint)c))),
        AnyInt.Select(m => OscValue.FromMidi(OscMidi.FromPacked((uint)m))),
        Gen.Constant(OscValue.True),
        Gen.Constant(OscValue.False),
        Gen.Constant(OscValue.Nil),
        Gen.Constant(OscValue.Infinitum));

    /// <summary>Arguments: scalars with, now and then, a bracketed (possibly nested) array.</summary>
    public static readonly Gen<List<OscValue>> Arguments = Gen.Sized(size => ArgumentsOfSize(Math.Min(size, 12), 2));

    private static Gen<List<OscValue>> ArgumentsOfSize(int size, int arrayDepth)
    {
        var item = arrayDepth == 0
            ? Scalar.Select(v => new List<OscValue> { v })
            : Gen.Frequency(new (int, Gen<List<OscValue>>)[]
            {
                (6, Scalar.Select(v => new List<OscValue> { v })),
                (1, ArgumentsOfSize(size / 2, arrayDepth - 1)
                    .Select(inner => (List<OscValue>)[OscValue.ArrayBegin, .. inner, OscValue.ArrayEnd])),
            });
        return Gen.Choose(0, size).SelectMany(count => item.ListOf(count)).Select(lists => lists.SelectMany(l => l).ToList());
    }

    /// <summary>A message with random address and arguments.</summary>
    public static readonly Gen<OscMessageData> Message =
        from address in Address
        from arguments in Arguments
        select new OscMessageData(address, arguments);

    /// <summary>A message or a bundle nested up to three deep.</summary>
    public static readonly Gen<OscPacketData> Packet = Gen.Sized(size => PacketOfDepth(3, Math.Min(size, 8)));

    private static Gen<OscPacketData> PacketOfDepth(int depth, int width)
    {
        var message = Message.Select(m => (OscPacketData)m);
        if (depth == 0) return message;
        var bundle =
            from time in AnyLong
            from elements in Gen.Choose(0, width).SelectMany(n => PacketOfDepth(depth - 1, width / 2).ListOf(n))
            select (OscPacketData)new OscBundleData(new OscTimeTag((ulong)time), [.. elements]);
        return Gen.Frequency(new (int, Gen<OscPacketData>)[] { (2, message), (1, bundle) });
    }

    /// <summary>A bundle (never a bare message) with nested elements.</summary>
    public static readonly Gen<OscBundleData> Bundle =
        from time in AnyLong
        from elements in Gen.Sized(s => PacketOfDepth(2, Math.Min(s, 6))).ListOf()
        select new OscBundleData(new OscTimeTag((ulong)time), [.. elements]);
}
