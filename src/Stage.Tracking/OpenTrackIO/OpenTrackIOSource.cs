using System.Net;
using System.Text;
using Stage.Core.Configuration;
using Stage.Tracking.Buffers;
using Stage.Tracking.Statistics;

namespace Stage.Tracking.OpenTrackIO;

/// <summary>
/// OpenTrackIO over UDP multicast (group and port from the configuration). Each datagram's header is checked
/// (identifier, length, Fletcher-16), segmented payloads are reassembled, JSON payloads parsed (CBOR is counted
/// as <see cref="TrackingDropKind.UnsupportedEncoding"/> and dropped) and each sample with transforms becomes a
/// <see cref="CameraSample"/> for the cameras it belongs to.
/// <para>
/// Which camera a sample belongs to: a bound camera takes it when its trackedId equals the sample's
/// <c>sourceId</c> (the URN), its <c>sourceNumber</c> in decimal, its camera label (<c>static.camera.label</c>,
/// remembered per sourceId from the last sample that carried it) or the id of its last transform. When no bound
/// camera matches and exactly one camera is bound, that camera takes the stream, pinned to the first sourceId it
/// accepted, so a second tracker on the same group cannot interleave with it; everything else is counted as
/// <see cref="TrackingDropKind.UnmatchedSubject"/>.
/// </para>
/// </summary>
public sealed class OpenTrackIOSource : UdpTrackingSource
{
    private const int LabelMemory = 8;

    private readonly BoundCamera[] _bound;
    private readonly byte[][] _trackedIdsUtf8;
    private readonly OpenTrackIOReassembler _reassembler;
    private readonly OpenTrackIOMessage _message = new();
    private readonly byte[] _pinnedSourceId = new byte[OpenTrackIOMessage.MaxIdentifierBytes];
    private int _pinnedLength = -1;
    private readonly byte[][] _labelSourceIds = new byte[LabelMemory][];
    private readonly byte[][] _labels = new byte[LabelMemory][];
    private readonly int[] _labelSourceIdLengths = new int[LabelMemory];
    private readonly int[] _labelLengths = new int[LabelMemory];
    private int _labelNext;

    /// <summary>
    /// A source for <paramref name="config"/> feeding <paramref name="cameras"/>. With
    /// <paramref name="unicastBindAddress"/> the socket binds that address and joins no group (for unicast senders
    /// and loopback tests); otherwise it joins the configured multicast group on the configured interface (or the one the routes choose).
    /// </summary>
    /// <exception cref="ArgumentException">The multicast group is not an IPv4 multicast address.</exception>
    public OpenTrackIOSource(OpenTrackIOSourceConfig config, IReadOnlyList<BoundCamera> cameras, TrackingOptions? options = null,
        IPAddress? unicastBindAddress = null)
        : base(config, [.. (cameras ?? throw new ArgumentNullException(nameof(cameras))).Select(c => c.Buffer)], options,
            new IPEndPoint(unicastBindAddress ?? IPAddress.Any, config.Port), unicastBindAddress is null ? Group(config) : null,
            config.InterfaceAddress is string card ? IPAddress.Parse(card) : null)
    {
        TypedConfig = config;
        _bound = [.. cameras];
        _trackedIdsUtf8 = [.. cameras.Select(c => Encoding.UTF8.GetBytes(c.TrackedId))];
        for (int i = 0; i < LabelMemory; i++)
        {
            _labelSourceIds[i] = new byte[OpenTrackIOMessage.MaxIdentifierBytes];
            _labels[i] = new byte[OpenTrackIOMessage.MaxIdentifierBytes];
            _labelSourceIdLengths[i] = -1;
        }
        _reassembler = new OpenTrackIOReassembler(Options.ReassemblySlots, Options.MaxMessageBytes, PoseBuffer.MsToTicks(Options.ReassemblyTimeoutMs));
    }

    private static IPAddress Group(OpenTrackIOSourceConfig config) =>
        IPAddress.TryParse(config.MulticastGroup, out IPAddress? group) && group.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && (group.GetAddressBytes()[0] & 0xF0) == 0xE0
            ? group
            : throw new ArgumentException($"source '{config.Id}': '{config.MulticastGroup}' is not an IPv4 multicast group", nameof(config));

    /// <summary>The OpenTrackIO configuration.</summary>
    public OpenTrackIOSourceConfig TypedConfig { get; }

    /// <summary>The cameras with their tracked ids.</summary>
    public IReadOnlyList<BoundCamera> BoundCameras => _bound;

    /// <summary>The most recently parsed message (owned by the receive thread; for tests and diagnostics when stopped).</summary>
    public OpenTrackIOMessage LastMessage => _message;

    /// <inheritdoc/>
    public override void ProcessDatagram(ReadOnlySpan<byte> datagram, long receiveTicks)
    {
        Statistics.Datagrams.Record(receiveTicks);
        switch (OpenTrackIOHeader.TryParse(datagram, out OpenTrackIOHeader header, out ReadOnlySpan<byte> segment))
        {
            case OpenTrackIOHeaderError.TooShort:
            case OpenTrackIOHeaderError.LengthMismatch:
                Statistics.CountDrop(TrackingDropKind.WrongLength);
                return;
            case OpenTrackIOHeaderError.BadIdentifier:
                Statistics.CountDrop(TrackingDropKind.WrongMessageType);
                return;
            case OpenTrackIOHeaderError.BadChecksum:
                Statistics.CountDrop(TrackingDropKind.BadChecksum);
                return;
        }
        if (header.SegmentOffset == 0 && header.IsLastSegment)
        {
            ProcessPayload(segment, header.Encoding, header.SequenceNumber, receiveTicks);
            return;
        }
        ReassemblyOutcome outcome = _reassembler.Add(header, segment, receiveTicks, out ReadOnlySpan<byte> message, out byte encoding, out int abandoned);
        for (int i = 0; i < abandoned; i++) Statistics.CountDrop(TrackingDropKind.IncompleteMessage);
        switch (outcome)
        {
            case ReassemblyOutcome.Complete:
                ProcessPayload(message, encoding, header.SequenceNumber, receiveTicks);
                break;
            case ReassemblyOutcome.BadSegment:
            case ReassemblyOutcome.TooLarge:
                Statistics.CountDrop(TrackingDropKind.BadSegment);
                break;
        }
    }

    /// <inheritdoc/>
    protected override void OnIdle(long nowTicks)
    {
        int expired = _reassembler.Expire(nowTicks);
        for (int i = 0; i < expired; i++) Statistics.CountDrop(TrackingDropKind.IncompleteMessage);
        base.OnIdle(nowTicks);
    }

    private void ProcessPayload(ReadOnlySpan<byte> payload, byte encoding, ushort headerSequence, long receiveTicks)
    {
        if (encoding != (byte)OpenTrackIOEncoding.Json)
        {
            Statistics.CountDrop(TrackingDropKind.UnsupportedEncoding);
            return;
        }
        OpenTrackIOMessage message = _message;
        if (OpenTrackIOJsonParser.Parse(payload, message) != OpenTrackIOParseError.None)
        {
            Statistics.CountDrop(TrackingDropKind.MalformedPayload);
            return;
        }
        if (message.HasSourceId && message.HasCameraLabel) RememberLabel(message.SourceIdUtf8, message.CameraLabelUtf8);
        if (message.TimecodeInvalid) Statistics.CountDrop(TrackingDropKind.InvalidTimecode);
        if (message.TransformCount == 0)
        {
            Statistics.CountDrop(TrackingDropKind.NoPose);
            return;
        }

        ReadOnlySpan<byte> label = message.HasCameraLabel ? message.CameraLabelUtf8 : RememberedLabel(message.SourceIdUtf8, out bool _);
        Span<byte> number = stackalloc byte[24];
        int numberLength = message.SourceNumber >= 0 && message.SourceNumber.TryFormat(number, out int written) ? written : -1;
        long sequence = message.SampleSequenceNumber >= 0 ? message.SampleSequenceNumber : headerSequence;

        int matched = 0;
        for (int i = 0; i < _bound.Length; i++)
        {
            ReadOnlySpan<byte> id = _trackedIdsUtf8[i];
            bool match = (message.HasSourceId && id.SequenceEqual(message.SourceIdUtf8))
                || (numberLength > 0 && id.SequenceEqual(number[..numberLength]))
                || (label.Length > 0 && id.SequenceEqual(label))
                || (message.LastTransformIdUtf8.Length > 0 && id.SequenceEqual(message.LastTransformIdUtf8));
            if (!match) continue;
            Write(Buffers[i], message, sequence, receiveTicks);
            matched++;
        }
        if (matched > 0) return;
        if (_bound.Length == 1 && PinAccepts(message))
        {
            Write(Buffers[0], message, sequence, receiveTicks);
            return;
        }
        Statistics.CountDrop(TrackingDropKind.UnmatchedSubject);
    }

    private void Write(PoseBuffer buffer, OpenTrackIOMessage message, long sequence, long receiveTicks)
    {
        var sample = new CameraSample
        {
            CameraId = buffer.CameraId,
            PositionM = message.PositionM,
            Orientation = message.Orientation,
            FocalLengthMm = message.FocalLengthMm,
            FocusDistanceM = message.FocusDistanceM,
            Iris = message.Iris,
            EntrancePupilOffsetM = message.EntrancePupilOffsetM,
            SourceTimecode = message.Timecode,
            ReceiveTicks = receiveTicks,
            SequenceNumber = sequence,
        };
        buffer.Write(sample);
        Statistics.Samples.Record(receiveTicks);
    }

    /// <summary>The sole bound camera follows the first sourceId it sees; samples without a sourceId are accepted.</summary>
    private bool PinAccepts(OpenTrackIOMessage message)
    {
        if (!message.HasSourceId) return true;
        ReadOnlySpan<byte> id = message.SourceIdUtf8;
        if (_pinnedLength < 0)
        {
            id.CopyTo(_pinnedSourceId);
            _pinnedLength = id.Length;
            return true;
        }
        return id.SequenceEqual(_pinnedSourceId.AsSpan(0, _pinnedLength));
    }

    private void RememberLabel(ReadOnlySpan<byte> sourceId, ReadOnlySpan<byte> label)
    {
        RememberedLabel(sourceId, out bool found, out int index);
        if (!found)
        {
            index = _labelNext;
            _labelNext = (_labelNext + 1) % LabelMemory;
            sourceId.CopyTo(_labelSourceIds[index]);
            _labelSourceIdLengths[index] = sourceId.Length;
        }
        label.CopyTo(_labels[index]);
        _labelLengths[index] = label.Length;
    }

    private ReadOnlySpan<byte> RememberedLabel(ReadOnlySpan<byte> sourceId, out bool found) => RememberedLabel(sourceId, out found, out _);

    private ReadOnlySpan<byte> RememberedLabel(ReadOnlySpan<byte> sourceId, out bool found, out int index)
    {
        for (int i = 0; i < LabelMemory; i++)
        {
            int length = _labelSourceIdLengths[i];
            if (length >= 0 && sourceId.Length > 0 && sourceId.SequenceEqual(_labelSourceIds[i].AsSpan(0, length)))
            {
                found = true;
                index = i;
                return _labels[i].AsSpan(0, _labelLengths[i]);
            }
        }
        found = false;
        index = -1;
        return default;
    }
}
