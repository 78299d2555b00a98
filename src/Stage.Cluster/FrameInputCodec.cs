using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Stage.Core.Space;
using Stage.Core.Time;
using Stage.Engine.Cluster;
using Stage.World;

namespace Stage.Cluster;

/// <summary>
/// The frame input's wire form (docs/cluster.md has the table): little-endian, fixed header, one fixed record per
/// camera, one variable record per world command, a CRC-32 at the end. Version 1.
/// <code>
///  0  u32  magic "SFIN"
///  4  u16  version (1)
///  6  u16  flags: bit 0 end of run, bit 1 diagnostic snapshot
///  8  i64  frame
/// 16  i64  timecode as frames since 00:00:00:00 at the stage's rate
/// 24  i64  world step (engine steps) the frame advances to
/// 32  u8   timecode drop-frame (0/1)
/// 33  u8   camera count
/// 34  u16  world command count
/// 36  i64  previous frame published (-1: none; frame numbers skip where the clock dropped frames)
/// 44  per camera, 37 bytes: f32 position x y z (m), f32 orientation x y z w, f64 focal length (mm), u8 flags
///          (bit 0 has pose, bit 1 chroma key, bit 2 markers)
///     per command: u8 rule name length n, n bytes UTF-8, f64 value
/// end u32  CRC-32 (IEEE) of every byte before it
/// </code>
/// Poses travel as the float32 values the engine holds, so every node draws bit-identical poses.
/// </summary>
public static class FrameInputCodec
{
    /// <summary>"SFIN" read as a little-endian u32.</summary>
    public const uint Magic = 0x4E494653;

    /// <summary>The layout version this build writes and reads.</summary>
    public const ushort Version = 1;

    /// <summary>Bytes before the camera records.</summary>
    public const int HeaderBytes = 44;

    /// <summary>Bytes per camera record.</summary>
    public const int CameraBytes = 37;

    private const ushort EndOfRunFlag = 1, DiagnosticFlag = 2;

    /// <summary>The encoded size of <paramref name="input"/>.</summary>
    public static int SizeOf(FrameInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int size = HeaderBytes + input.Cameras.Length * CameraBytes + 4;
        foreach (WorldRuleCommand command in input.Commands) size += 1 + Encoding.UTF8.GetByteCount(command.Name) + 8;
        return size;
    }

    /// <summary>Writes <paramref name="input"/> into <paramref name="destination"/> (at least <see cref="SizeOf"/> bytes); returns the bytes written.</summary>
    public static int Encode(FrameInput input, Span<byte> destination)
    {
        int size = SizeOf(input);
        if (destination.Length < size) throw new ArgumentException($"a frame input needs {size} bytes, the buffer has {destination.Length}", nameof(destination));
        if (input.Cameras.Length > byte.MaxValue) throw new ArgumentException($"a frame input carries at most 255 cameras, not {input.Cameras.Length}", nameof(input));
        if (input.Commands.Count > ushort.MaxValue) throw new ArgumentException($"a frame input carries at most 65535 world commands, not {input.Commands.Count}", nameof(input));
        Span<byte> d = destination;
        BinaryPrimitives.WriteUInt32LittleEndian(d, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(d[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(d[6..], (ushort)((input.EndOfRun ? EndOfRunFlag : 0) | (input.DiagnosticSnapshot ? DiagnosticFlag : 0)));
        BinaryPrimitives.WriteInt64LittleEndian(d[8..], input.Frame);
        BinaryPrimitives.WriteInt64LittleEndian(d[16..], input.Timecode.ToFrameCount());
        BinaryPrimitives.WriteInt64LittleEndian(d[24..], input.WorldStep);
        d[32] = input.Timecode.DropFrame ? (byte)1 : (byte)0;
        d[33] = (byte)input.Cameras.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(d[34..], (ushort)input.Commands.Count);
        BinaryPrimitives.WriteInt64LittleEndian(d[36..], input.PreviousFrame);
        int at = HeaderBytes;
        foreach (FrameInputCamera camera in input.Cameras)
        {
            Vector3 p = camera.Pose.PositionM;
            Quaternion q = camera.Pose.Orientation;
            BinaryPrimitives.WriteSingleLittleEndian(d[at..], p.X);
            BinaryPrimitives.WriteSingleLittleEndian(d[(at + 4)..], p.Y);
            BinaryPrimitives.WriteSingleLittleEndian(d[(at + 8)..], p.Z);
            BinaryPrimitives.WriteSingleLittleEndian(d[(at + 12)..], q.X);
            BinaryPrimitives.WriteSingleLittleEndian(d[(at + 16)..], q.Y);
            BinaryPrimitives.WriteSingleLittleEndian(d[(at + 20)..], q.Z);
            BinaryPrimitives.WriteSingleLittleEndian(d[(at + 24)..], q.W);
            BinaryPrimitives.WriteDoubleLittleEndian(d[(at + 28)..], camera.FocalLengthMm);
            d[at + 36] = (byte)((camera.HasPose ? 1 : 0) | (camera.ChromaKey ? 2 : 0) | (camera.Markers ? 4 : 0));
            at += CameraBytes;
        }
        foreach (WorldRuleCommand command in input.Commands)
        {
            int length = Encoding.UTF8.GetBytes(command.Name, d[(at + 1)..]);
            if (length > byte.MaxValue) throw new ArgumentException($"world rule name '{command.Name}' is longer than 255 bytes", nameof(input));
            d[at] = (byte)length;
            at += 1 + length;
            BinaryPrimitives.WriteDoubleLittleEndian(d[at..], command.Value);
            at += 8;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(d[at..], System.IO.Hashing.Crc32.HashToUInt32(d[..at]));
        return at + 4;
    }

    /// <summary>Reads a frame input into <paramref name="into"/> (its camera count must match); throws <see cref="FormatException"/> naming the fault.</summary>
    public static void Decode(ReadOnlySpan<byte> data, FrameRate rate, FrameInput into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (data.Length < HeaderBytes + 4) throw new FormatException($"frame input of {data.Length} bytes is shorter than its {HeaderBytes + 4}-byte frame");
        if (BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic) throw new FormatException("frame input: bad magic at byte 0 (not \"SFIN\")");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        if (version != Version) throw new FormatException($"frame input version {version} at byte 4; this build reads version {Version}");
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]);
        uint actual = System.IO.Hashing.Crc32.HashToUInt32(data[..^4]);
        if (expected != actual) throw new FormatException($"frame input CRC-32 {actual:x8} differs from the {expected:x8} it carries (byte {data.Length - 4})");
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        int cameras = data[33];
        if (cameras != into.Cameras.Length) throw new FormatException($"frame input carries {cameras} cameras (byte 33); this stage has {into.Cameras.Length}");
        int commands = BinaryPrimitives.ReadUInt16LittleEndian(data[34..]);
        int body = data.Length - 4;
        if (HeaderBytes + cameras * CameraBytes > body) throw new FormatException($"frame input of {data.Length} bytes is too short for its {cameras} cameras");
        into.Frame = BinaryPrimitives.ReadInt64LittleEndian(data[8..]);
        long timecodeFrames = BinaryPrimitives.ReadInt64LittleEndian(data[16..]);
        into.WorldStep = BinaryPrimitives.ReadInt64LittleEndian(data[24..]);
        into.PreviousFrame = BinaryPrimitives.ReadInt64LittleEndian(data[36..]);
        into.Timecode = Timecode.FromFrameCount(timecodeFrames, rate, data[32] != 0);
        into.EndOfRun = (flags & EndOfRunFlag) != 0;
        into.DiagnosticSnapshot = (flags & DiagnosticFlag) != 0;
        int at = HeaderBytes;
        for (int i = 0; i < cameras; i++)
        {
            var position = new Vector3(BinaryPrimitives.ReadSingleLittleEndian(data[at..]), BinaryPrimitives.ReadSingleLittleEndian(data[(at + 4)..]), BinaryPrimitives.ReadSingleLittleEndian(data[(at + 8)..]));
            var orientation = new Quaternion(BinaryPrimitives.ReadSingleLittleEndian(data[(at + 12)..]), BinaryPrimitives.ReadSingleLittleEndian(data[(at + 16)..]),
                BinaryPrimitives.ReadSingleLittleEndian(data[(at + 20)..]), BinaryPrimitives.ReadSingleLittleEndian(data[(at + 24)..]));
            double focal = BinaryPrimitives.ReadDoubleLittleEndian(data[(at + 28)..]);
            byte cameraFlags = data[at + 36];
            into.Cameras[i] = new FrameInputCamera(new Pose(position, orientation), focal, (cameraFlags & 1) != 0, (cameraFlags & 2) != 0, (cameraFlags & 4) != 0);
            at += CameraBytes;
        }
        into.Commands.Clear();
        for (int i = 0; i < commands; i++)
        {
            if (at >= body) throw new FormatException($"frame input ends inside world command {i} (byte {at})");
            int length = data[at];
            if (at + 1 + length + 8 > body) throw new FormatException($"frame input ends inside world command {i} (byte {at}, name of {length} bytes)");
            string name = Encoding.UTF8.GetString(data.Slice(at + 1, length));
            at += 1 + length;
            into.Commands.Add(new WorldRuleCommand(name, BinaryPrimitives.ReadDoubleLittleEndian(data[at..])));
            at += 8;
        }
        if (at != body) throw new FormatException($"frame input has {body - at} bytes after its last world command (byte {at})");
    }
}
