using System.Diagnostics;
using Stage.Vulkan;

namespace Stage.Render;

/// <summary>
/// Notes when each watched submission finishes on the GPU, on a thread of its own that waits on the device
/// timeline: the frame loop learns "GPU done" times (latency, the pacing margin) without ever waiting itself.
/// A fixed ring of the newest <see cref="Capacity"/> submissions; nothing allocated per frame.
/// </summary>
public sealed class SubmissionWatch : IDisposable
{
    /// <summary>Submissions remembered (far more than frames in flight).</summary>
    public const int Capacity = 64;

    private readonly GpuDevice _device;
    private readonly ulong[] _submissions = new ulong[Capacity];
    private readonly long[] _doneTicks = new long[Capacity];
    private readonly SemaphoreSlim _queued = new(0);
    private readonly Thread _thread;
    private long _watched;
    private volatile bool _stopping;

    /// <summary>Starts the watching thread for <paramref name="device"/>.</summary>
    public SubmissionWatch(GpuDevice device)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _thread = new Thread(Run) { IsBackground = true, Name = "GPU submission watch" };
        _thread.Start();
    }

    /// <summary>Watches <paramref name="submission"/> (in submission order, from one thread).</summary>
    public void Watch(ulong submission)
    {
        long n = _watched;
        int index = (int)(n % Capacity);
        Volatile.Write(ref _doneTicks[index], 0);
        Volatile.Write(ref _submissions[index], submission);
        Volatile.Write(ref _watched, n + 1);
        _queued.Release();
    }

    /// <summary>When <paramref name="submission"/> finished (Stopwatch ticks, as the watch saw it); false while it runs or once forgotten.</summary>
    public bool TryGetDoneTicks(ulong submission, out long doneTicks)
    {
        long n = Volatile.Read(ref _watched);
        for (long i = n - 1; i >= Math.Max(0, n - Capacity); i--)
        {
            int index = (int)(i % Capacity);
            if (Volatile.Read(ref _submissions[index]) != submission) continue;
            doneTicks = Volatile.Read(ref _doneTicks[index]);
            return doneTicks != 0;
        }
        doneTicks = 0;
        return false;
    }

    private void Run()
    {
        long next = 0;
        while (!_stopping)
        {
            _queued.Wait();
            if (_stopping) return;
            int index = (int)(next++ % Capacity);
            ulong submission = Volatile.Read(ref _submissions[index]);
            // A short timeout, so that disposal is never held up by a GPU that stopped.
            while (!_stopping)
            {
                try
                {
                    if (_device.TryWait(submission, TimeSpan.FromMilliseconds(100))) break;
                }
                catch (Exception e) when (e is VulkanException or ObjectDisposedException)
                {
                    return;
                }
            }
            if (Volatile.Read(ref _submissions[index]) == submission) Volatile.Write(ref _doneTicks[index], Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Stops the thread (before the device goes).</summary>
    public void Dispose()
    {
        _stopping = true;
        _queued.Release();
        _thread.Join();
        _queued.Dispose();
    }
}
