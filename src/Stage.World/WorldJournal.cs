using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;

namespace Stage.World;

/// <summary>What <see cref="WorldJournal.Recover"/> found and did.</summary>
/// <param name="World">The restored world (the caller owns it), or null when no snapshot was usable.</param>
/// <param name="SnapshotPath">The snapshot it was restored from, or null.</param>
/// <param name="CommandsReplayed">Journal commands put back (those the snapshot did not already hold).</param>
/// <param name="Problems">Every file that could not be used (corrupt snapshot, torn journal tail), each named with the reason.</param>
public sealed record JournalRecovery(StageWorld? World, string? SnapshotPath, int CommandsReplayed, IReadOnlyList<string> Problems);

/// <summary>
/// Persists a running world as the engine does: a snapshot every N steps
/// (<c>snapshot-STEP.snap</c>, written to a temporary file, flushed to disk, renamed, the folder flushed) and, since the
/// latest one, an append-only log of every submitted command (<c>journal-STEP.log</c>: header
/// <c>STGJRNL2</c> (<c>STGJRNL1</c> before the time-of-day rule, still read) + the snapshot's step, then records of [u32 payload length][u32 CRC-32 of the
/// payload][payload: i64 step, i64 sequence, command], each flushed to disk). Recovery takes the
/// newest snapshot that reads back intact, then replays every later journal's records until the
/// first torn or corrupt one; commands whose sequence the snapshot already holds are skipped, so a
/// crash at any point replays nothing twice.
/// </summary>
public sealed class WorldJournal : IDisposable
{
    /// <summary>How many snapshots (and their journals) are kept; older ones are deleted.</summary>
    public const int SnapshotsKept = 3;

    // STGJRNL2 (snapshot format 3) added the time-of-day rule to rules commands; STGJRNL1 records
    // still read, as format 2.
    private static ReadOnlySpan<byte> JournalMagic => "STGJRNL2"u8;

    private static ReadOnlySpan<byte> JournalMagicV1 => "STGJRNL1"u8;

    private readonly StageWorld _world;
    private FileStream? _log;
    private bool _disposed;

    /// <summary>
    /// Starts journaling <paramref name="world"/> into <paramref name="directory"/> (created if
    /// missing): writes a snapshot of the current step now, then one every
    /// <paramref name="snapshotEverySteps"/> steps.
    /// </summary>
    public WorldJournal(string directory, StageWorld world, long snapshotEverySteps)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentOutOfRangeException.ThrowIfLessThan(snapshotEverySteps, 1);
        Directory = System.IO.Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
        _world = world;
        SnapshotEverySteps = snapshotEverySteps;
        WriteSnapshotAndStartLog();
        world.CommandSubmitted += OnCommandSubmitted;
        world.StepCompleted += OnStepCompleted;
    }

    /// <summary>The journal's folder.</summary>
    public string Directory { get; }

    /// <summary>Steps between snapshots.</summary>
    public long SnapshotEverySteps { get; }

    /// <summary>The newest snapshot written.</summary>
    public string? LatestSnapshotPath { get; private set; }

    /// <summary>The snapshot file name for a step.</summary>
    public static string SnapshotName(long step) => $"snapshot-{step.ToString("D12", CultureInfo.InvariantCulture)}.snap";

    /// <summary>The journal file name for the snapshot at a step.</summary>
    public static string JournalName(long step) => $"journal-{step.ToString("D12", CultureInfo.InvariantCulture)}.log";

    /// <summary>
    /// Restores the newest good snapshot in <paramref name="directory"/> plus the journals since it.
    /// Returns a recovery with a null world when the folder holds no usable snapshot.
    /// </summary>
    public static JournalRecovery Recover(string directory)
    {
        var problems = new List<string>();
        if (!System.IO.Directory.Exists(directory)) return new JournalRecovery(null, null, 0, problems);
        List<(long Step, string Path)> snapshots = List(directory, "snapshot-", ".snap");
        List<(long Step, string Path)> journals = List(directory, "journal-", ".log");
        for (int i = snapshots.Count - 1; i >= 0; i--)
        {
            (long step, string path) = snapshots[i];
            WorldImage image;
            try
            {
                image = WorldCodec.LoadSnapshot(path);
            }
            catch (WorldFileException e)
            {
                problems.Add($"{e.FilePath}: {e.Message[(e.FilePath.Length + 2)..]}; using an older snapshot");
                continue;
            }
            StageWorld world = image.Restore();
            int replayed = 0;
            try
            {
                foreach ((long journalStep, string journalPath) in journals)
                {
                    if (journalStep < step) continue;
                    foreach (PendingCommand p in ReadRecords(journalPath, problems))
                    {
                        if (p.Sequence < world.NextCommandSequence) continue;
                        if (p.Step < world.StepCount) throw new WorldFileException(journalPath, $"record {p.Sequence} takes effect at step {p.Step}, before the snapshot's step {world.StepCount}");
                        world.InsertPending(p);
                        replayed++;
                    }
                }
            }
            catch
            {
                world.Dispose();
                throw;
            }
            return new JournalRecovery(world, path, replayed, problems);
        }
        return new JournalRecovery(null, null, 0, problems);
    }

    /// <summary>Reads a journal's records up to the first torn or corrupt one (named in <paramref name="problems"/>).</summary>
    public static IReadOnlyList<PendingCommand> ReadRecords(string path, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        byte[] bytes = File.ReadAllBytes(path);
        var records = new List<PendingCommand>();
        bool v1 = bytes.Length >= 16 && bytes.AsSpan(0, 8).SequenceEqual(JournalMagicV1);
        if (bytes.Length < 16 || !(v1 || bytes.AsSpan(0, 8).SequenceEqual(JournalMagic)))
        {
            problems.Add($"{path}: not a Stage world journal (bad magic or header cut short); no commands read from it");
            return records;
        }
        int at = 16;
        while (at < bytes.Length)
        {
            int remaining = bytes.Length - at;
            if (remaining < 8)
            {
                problems.Add($"{path}: torn record at byte {at} ({remaining} bytes of a record header) dropped");
                break;
            }
            int length = BitConverter.ToInt32(bytes, at);
            uint crc = BitConverter.ToUInt32(bytes, at + 4);
            if (length < 0 || length > remaining - 8)
            {
                problems.Add($"{path}: torn record at byte {at} (needs {length} bytes, {remaining - 8} there) dropped");
                break;
            }
            ReadOnlySpan<byte> payload = bytes.AsSpan(at + 8, length);
            if (Crc32.HashToUInt32(payload) != crc)
            {
                problems.Add($"{path}: record at byte {at} fails its checksum; it and everything after it dropped");
                break;
            }
            try
            {
                var r = new CanonicalReader(payload) { FormatVersion = v1 ? 2 : WorldCodec.SnapshotVersion };
                var record = new PendingCommand(r.ReadInt64(), r.ReadInt64(), WorldCommandCodec.Read(ref r));
                if (r.Remaining != 0) throw new InvalidDataException($"{r.Remaining} bytes after the command");
                records.Add(record);
            }
            catch (InvalidDataException e)
            {
                problems.Add($"{path}: record at byte {at} is malformed ({e.Message}); it and everything after it dropped");
                break;
            }
            at += 8 + length;
        }
        return records;
    }

    /// <summary>Writes a snapshot now and starts a new journal (also done every <see cref="SnapshotEverySteps"/> steps).</summary>
    public void WriteSnapshotAndStartLog()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long step = _world.StepCount;
        string snapshot = System.IO.Path.Combine(Directory, SnapshotName(step));
        WorldCodec.SaveSnapshot(_world, snapshot);
        LatestSnapshotPath = snapshot;
        _log?.Dispose();
        string logPath = System.IO.Path.Combine(Directory, JournalName(step));
        Span<byte> header = stackalloc byte[16];
        JournalMagic.CopyTo(header);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], step);
        // Temp + fsync + rename + folder fsync: the new journal's name is on disk before any
        // record is appended to it.
        DurableFile.Write(logPath, header);
        _log = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        Prune();
    }

    /// <summary>Closes the journal's file (the world is not touched). Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _world.CommandSubmitted -= OnCommandSubmitted;
        _world.StepCompleted -= OnStepCompleted;
        _log?.Dispose();
    }

    private void OnCommandSubmitted(object? sender, PendingCommand p)
    {
        CanonicalWriter w = CanonicalWriter.Shared();
        int headerAt = w.Skip(8);
        w.Write(p.Step);
        w.Write(p.Sequence);
        WorldCommandCodec.Write(w, p.Command);
        int length = w.Length - headerAt - 8;
        BinaryPrimitives.WriteInt32LittleEndian(w.At(headerAt, 4), length);
        BinaryPrimitives.WriteUInt32LittleEndian(w.At(headerAt + 4, 4), Crc32.HashToUInt32(w.Written.Slice(headerAt + 8, length)));
        _log!.Write(w.Written);
        _log.Flush(flushToDisk: true);
    }

    private void OnStepCompleted(object? sender, EventArgs e)
    {
        if (_world.StepCount % SnapshotEverySteps == 0) WriteSnapshotAndStartLog();
    }

    private void Prune()
    {
        List<(long Step, string Path)> snapshots = List(Directory, "snapshot-", ".snap");
        if (snapshots.Count <= SnapshotsKept) return;
        long oldestKept = snapshots[^SnapshotsKept].Step;
        foreach ((long step, string path) in snapshots) if (step < oldestKept) File.Delete(path);
        foreach ((long step, string path) in List(Directory, "journal-", ".log")) if (step < oldestKept) File.Delete(path);
    }

    private static List<(long Step, string Path)> List(string directory, string prefix, string suffix)
    {
        var found = new List<(long, string)>();
        foreach (string path in System.IO.Directory.GetFiles(directory, prefix + "*" + suffix))
        {
            string name = System.IO.Path.GetFileName(path);
            string digits = name[prefix.Length..^suffix.Length];
            if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long step)) found.Add((step, path));
        }
        found.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return found;
    }
}
