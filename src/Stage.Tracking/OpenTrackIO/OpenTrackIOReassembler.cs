namespace Stage.Tracking.OpenTrackIO;

/// <summary>What <see cref="OpenTrackIOReassembler.Add"/> made of a segment.</summary>
public enum ReassemblyOutcome
{
    /// <summary>The message is complete; its payload is returned.</summary>
    Complete,
    /// <summary>Stored; more segments are needed.</summary>
    Pending,
    /// <summary>An exact repeat of a stored segment; ignored.</summary>
    Duplicate,
    /// <summary>The segment overlaps another, disagrees about the total length, or exceeds the per-message segment count; the message is dropped.</summary>
    BadSegment,
    /// <summary>The message would exceed the size cap; the message is dropped.</summary>
    TooLarge,
}

/// <summary>
/// Reassembles segmented OpenTrackIO payloads. Segments of one sample share its sequence number and carry
/// their byte offset; they may arrive in any order, and the last one (flagged) fixes the total length.
/// Memory is fixed at construction: a few slots of <c>maxMessageBytes</c> each, so a flood of partial messages
/// can cost neither memory nor time. When all slots are busy the oldest partial message is given up; partial
/// messages older than the timeout are given up too. Single-threaded: the source's receive thread owns it.
/// </summary>
public sealed class OpenTrackIOReassembler
{
    private const int MaxSegmentsPerMessage = 256;

    private sealed class Slot(int maxBytes)
    {
        public readonly byte[] Buffer = new byte[maxBytes];
        public readonly uint[] Offsets = new uint[MaxSegmentsPerMessage];
        public readonly int[] Lengths = new int[MaxSegmentsPerMessage];
        public bool InUse;
        public ushort Sequence;
        public byte Encoding;
        public long FirstTicks;
        public long TotalLength;
        public long ReceivedBytes;
        public int SegmentCount;
    }

    private readonly Slot[] _slots;
    private readonly long _timeoutTicks;

    /// <summary>A reassembler with <paramref name="slots"/> messages in flight of at most <paramref name="maxMessageBytes"/> each.</summary>
    public OpenTrackIOReassembler(int slots, int maxMessageBytes, long timeoutTicks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeoutTicks, 1);
        _slots = new Slot[slots];
        for (int i = 0; i < slots; i++) _slots[i] = new Slot(maxMessageBytes);
        MaxMessageBytes = maxMessageBytes;
        _timeoutTicks = timeoutTicks;
    }

    /// <summary>The size cap of a reassembled message.</summary>
    public int MaxMessageBytes { get; }

    /// <summary>Partial messages currently held.</summary>
    public int InFlight
    {
        get
        {
            int n = 0;
            foreach (Slot s in _slots) if (s.InUse) n++;
            return n;
        }
    }

    /// <summary>
    /// Adds one segment received at <paramref name="nowTicks"/>. On <see cref="ReassemblyOutcome.Complete"/>,
    /// <paramref name="message"/> is the whole payload, valid until the next call. <paramref name="abandoned"/>
    /// counts partial messages given up to make room or because they timed out.
    /// </summary>
    public ReassemblyOutcome Add(in OpenTrackIOHeader header, ReadOnlySpan<byte> segment, long nowTicks,
        out ReadOnlySpan<byte> message, out byte encoding, out int abandoned)
    {
        message = default;
        encoding = header.Encoding;
        abandoned = Expire(nowTicks);
        long end = (long)header.SegmentOffset + segment.Length;
        Slot? slot = Find(header.SequenceNumber, header.Encoding);
        if (end > MaxMessageBytes)
        {
            if (slot is not null) slot.InUse = false;
            return ReassemblyOutcome.TooLarge;
        }
        if (slot is null)
        {
            slot = FreeOrOldest(ref abandoned);
            slot.InUse = true;
            slot.Sequence = header.SequenceNumber;
            slot.Encoding = header.Encoding;
            slot.FirstTicks = nowTicks;
            slot.TotalLength = -1;
            slot.ReceivedBytes = 0;
            slot.SegmentCount = 0;
        }

        for (int i = 0; i < slot.SegmentCount; i++)
        {
            long otherStart = slot.Offsets[i];
            long otherEnd = otherStart + slot.Lengths[i];
            if (otherStart == header.SegmentOffset && otherEnd == end) return ReassemblyOutcome.Duplicate;
            bool overlaps = header.SegmentOffset < otherEnd && otherStart < end;
            // Empty segments overlap nothing but still may not sit inside another.
            if (overlaps || (segment.Length == 0 && header.SegmentOffset > otherStart && header.SegmentOffset < otherEnd))
            {
                slot.InUse = false;
                return ReassemblyOutcome.BadSegment;
            }
        }
        if (header.IsLastSegment)
        {
            if (slot.TotalLength >= 0 && slot.TotalLength != end) { slot.InUse = false; return ReassemblyOutcome.BadSegment; }
            for (int i = 0; i < slot.SegmentCount; i++)
            {
                if (slot.Offsets[i] + (long)slot.Lengths[i] > end) { slot.InUse = false; return ReassemblyOutcome.BadSegment; }
            }
            slot.TotalLength = end;
        }
        else if (slot.TotalLength >= 0 && end > slot.TotalLength)
        {
            slot.InUse = false;
            return ReassemblyOutcome.BadSegment;
        }
        if (slot.SegmentCount == MaxSegmentsPerMessage) { slot.InUse = false; return ReassemblyOutcome.BadSegment; }

        segment.CopyTo(slot.Buffer.AsSpan((int)header.SegmentOffset));
        slot.Offsets[slot.SegmentCount] = header.SegmentOffset;
        slot.Lengths[slot.SegmentCount] = segment.Length;
        slot.SegmentCount++;
        slot.ReceivedBytes += segment.Length;
        if (slot.TotalLength >= 0 && slot.ReceivedBytes == slot.TotalLength)
        {
            slot.InUse = false;
            message = slot.Buffer.AsSpan(0, (int)slot.TotalLength);
            encoding = slot.Encoding;
            return ReassemblyOutcome.Complete;
        }
        return ReassemblyOutcome.Pending;
    }

    /// <summary>Gives up partial messages older than the timeout at <paramref name="nowTicks"/>; returns how many.</summary>
    public int Expire(long nowTicks)
    {
        int expired = 0;
        foreach (Slot s in _slots)
        {
            if (s.InUse && nowTicks - s.FirstTicks > _timeoutTicks)
            {
                s.InUse = false;
                expired++;
            }
        }
        return expired;
    }

    private Slot? Find(ushort sequence, byte encoding)
    {
        foreach (Slot s in _slots) if (s.InUse && s.Sequence == sequence && s.Encoding == encoding) return s;
        return null;
    }

    private Slot FreeOrOldest(ref int abandoned)
    {
        Slot oldest = _slots[0];
        foreach (Slot s in _slots)
        {
            if (!s.InUse) return s;
            if (s.FirstTicks < oldest.FirstTicks) oldest = s;
        }
        abandoned++;
        oldest.InUse = false;
        return oldest;
    }
}
