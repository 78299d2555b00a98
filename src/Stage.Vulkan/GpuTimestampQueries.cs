namespace Stage.Vulkan;

/// <summary>
/// A pool of GPU timestamp queries for timing parts of a submission: <see cref="Reset"/> at the start of a
/// command buffer, <see cref="Write"/> after each part, and after the submission has completed
/// <see cref="Read"/> the values and take <see cref="Milliseconds"/> between two of them.
/// Ticks are converted with the device's <c>timestampPeriod</c> (nanoseconds per tick) and differences
/// are taken modulo the queue family's <c>timestampValidBits</c>.
/// Where the device cannot write timestamps on Stage's queue (<see cref="GpuDeviceInfo.Timestamps"/>:
/// <c>timestampValidBits</c> is 0 or the limit <c>timestampComputeAndGraphics</c> is false) no pool is created, <see cref="IsSupported"/> is false,
/// <see cref="Unsupported"/> says why, and every recording call does nothing.
/// Nothing is allocated after construction.
/// </summary>
public sealed unsafe class GpuTimestampQueries : IDisposable
{
    private readonly GpuDevice _device;
    private readonly QueryPool _pool;
    private readonly ulong[] _ticks;
    private readonly bool[] _written;
    private readonly ulong _mask;
    private int _writtenCount;
    private int _readCount;
    private bool _disposed;

    /// <summary>Creates a pool of <paramref name="count"/> timestamps (nothing when the device cannot write them).</summary>
    public GpuTimestampQueries(GpuDevice device, int count)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _device = device;
        Count = count;
        _ticks = new ulong[count];
        _written = new bool[count];
        PeriodNs = device.Info.Timestamps.PeriodNs;
        ValidBits = device.Info.Timestamps.ValidBits;
        Unsupported = device.Info.Timestamps.Unsupported;
        _mask = ValidBits >= 64 ? ulong.MaxValue : (1UL << ValidBits) - 1;
        if (Unsupported is not null) return;
        var info = new QueryPoolCreateInfo(queryType: QueryType.Timestamp, queryCount: (uint)count);
        QueryPool pool;
        device.Vk.CreateQueryPool(device.Handle, &info, null, &pool).Check("vkCreateQueryPool");
        _pool = pool;
    }

    /// <summary>How many timestamps the pool holds.</summary>
    public int Count { get; }

    /// <summary>True when timestamps are written and read; false: every call is a no-op (see <see cref="Unsupported"/>).</summary>
    public bool IsSupported => Unsupported is null;

    /// <summary>Null when supported; otherwise why not, e.g. "timestampValidBits of queue family 0 is 0".</summary>
    public string? Unsupported { get; }

    /// <summary>Nanoseconds per timestamp tick (<c>VkPhysicalDeviceLimits.timestampPeriod</c>).</summary>
    public double PeriodNs { get; }

    /// <summary>Meaningful bits of a timestamp on Stage's queue family (<c>timestampValidBits</c>; 0: none).</summary>
    public int ValidBits { get; }

    /// <summary>How many timestamps the last <see cref="Read"/> returned.</summary>
    public int ReadCount => _readCount;

    /// <summary>
    /// Records the reset of every query of the pool (outside any rendering, before the first <see cref="Write"/> of
    /// the command buffer); forgets what was written before.
    /// </summary>
    public void Reset(GpuCommandBuffer commandBuffer)
    {
        ArgumentNullException.ThrowIfNull(commandBuffer);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Array.Clear(_written);
        _writtenCount = 0;
        _readCount = 0;
        if (!IsSupported) return;
        _device.Vk.CmdResetQueryPool(commandBuffer.Handle, _pool, 0, (uint)Count);
    }

    /// <summary>
    /// Records a timestamp into query <paramref name="index"/>, written once every command recorded before it
    /// has completed <paramref name="stage"/> (default: all commands, i.e. after the work so far is done).
    /// Each index once per <see cref="Reset"/>.
    /// </summary>
    public void Write(GpuCommandBuffer commandBuffer, int index, PipelineStageFlags2 stage = PipelineStageFlags2.AllCommandsBit)
    {
        ArgumentNullException.ThrowIfNull(commandBuffer);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (_written[index]) throw new InvalidOperationException($"timestamp {index} was already written since the last reset");
        _written[index] = true;
        _writtenCount = Math.Max(_writtenCount, index + 1);
        if (!IsSupported) return;
        _device.Vk.CmdWriteTimestamp2(commandBuffer.Handle, stage, _pool, (uint)index);
    }

    /// <summary>
    /// Reads the timestamps written since the last <see cref="Reset"/> (queries 0 … the highest written, which must
    /// all have been written) with <c>VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT</c>. Call after the
    /// submission carrying them has completed. Returns how many were read (0 when unsupported or none written).
    /// </summary>
    public int Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _readCount = 0;
        if (!IsSupported || _writtenCount == 0) return 0;
        for (var i = 0; i < _writtenCount; i++)
        {
            if (!_written[i]) throw new InvalidOperationException($"timestamp {i} was not written (queries 0 … {_writtenCount - 1} are read together)");
        }
        fixed (ulong* data = _ticks)
        {
            _device.Vk.GetQueryPoolResults(_device.Handle, _pool, 0, (uint)_writtenCount, (nuint)(_writtenCount * sizeof(ulong)), data, sizeof(ulong),
                QueryResultFlags.Result64Bit | QueryResultFlags.ResultWaitBit).Check("vkGetQueryPoolResults");
        }
        _readCount = _writtenCount;
        return _readCount;
    }

    /// <summary>The raw value of timestamp <paramref name="index"/> of the last <see cref="Read"/>, in ticks (masked to the valid bits).</summary>
    public ulong Ticks(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _readCount);
        return _ticks[index] & _mask;
    }

    /// <summary>Milliseconds from timestamp <paramref name="from"/> to timestamp <paramref name="to"/> of the last <see cref="Read"/>.</summary>
    public double Milliseconds(int from, int to)
    {
        ulong ticks = (Ticks(to) - Ticks(from)) & _mask;
        return ticks * PeriodNs / 1e6;
    }

    /// <summary>
    /// Null when <paramref name="device"/> can write timestamps on Stage's queue; otherwise the reason
    /// (what <c>stage gpu info</c> and the renderer report).
    /// </summary>
    public static string? UnsupportedReason(GpuDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.Info.Timestamps.Unsupported;
    }

    /// <summary>Retires the pool until the GPU is done with the submissions in flight.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_pool.Handle == 0) return;
        var device = _device;
        var pool = _pool;
        device.Retire(() => device.Vk.DestroyQueryPool(device.Handle, pool, null));
    }
}
