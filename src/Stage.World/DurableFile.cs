using System.Runtime.InteropServices;

namespace Stage.World;

/// <summary>
/// Crash-safe file writes: a temporary file beside the target, flushed to disk, renamed over the
/// target, then the folder itself flushed — a rename is a change to the folder, and until the
/// folder's entry reaches the disk a power cut can bring back the old file (or no file) even
/// though the new bytes were on disk.
/// </summary>
public static partial class DurableFile
{
    // Linux open(2) flags: O_RDONLY is 0 everywhere; O_CLOEXEC is 0x80000 on every Linux
    // architecture .NET runs on (x64, arm64, arm, riscv64, loongarch64). O_DIRECTORY differs
    // between them, so it is left out: a plain read-only open of a folder works.
    private const int LinuxOpenReadOnlyCloseOnExec = 0x80000;

    /// <summary>How many folder flushes this process has done (tests check that renames are made durable).</summary>
    internal static long DirectorySyncs;

    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/> crash-safely: <c>path.tmp</c>
    /// written and fsynced, renamed over <paramref name="path"/>, then the containing folder
    /// fsynced (<see cref="SyncDirectory"/>).
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        string temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>
    /// Flushes a folder's entries (names created, renamed or deleted in it) to disk. .NET cannot do
    /// this itself — it refuses to open a folder as a <see cref="FileStream"/> or
    /// <see cref="File.OpenHandle"/> — so on Linux and macOS this is <c>open(dir, O_RDONLY)</c> +
    /// <c>fsync</c> + <c>close</c>. On Windows it does nothing: NTFS journals its metadata and
    /// <c>MoveFileEx</c> with write-through is what .NET's move already uses.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be opened or flushed (named, with the errno).</exception>
    public static void SyncDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        int flags = OperatingSystem.IsLinux() ? LinuxOpenReadOnlyCloseOnExec : 0;
        int fd = Posix.Open(directory, flags);
        if (fd < 0) throw new IOException($"{directory}: cannot open the folder to flush it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Posix.Fsync(fd) != 0) throw new IOException($"{directory}: fsync of the folder failed (errno {Marshal.GetLastPInvokeError()}).");
            Interlocked.Increment(ref DirectorySyncs);
        }
        finally
        {
            _ = Posix.Close(fd);
        }
    }

    private static partial class Posix
    {
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static partial int Fsync(int fd);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        public static partial int Close(int fd);
    }
}
